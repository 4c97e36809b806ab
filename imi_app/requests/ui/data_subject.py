"""The data subject screen (Administration): a local data administrator finds the own authority's exchanges about
a person, downloads what is held about them as PDF or JSON, corrects a field, erases an exchange's data early."""

from __future__ import annotations

import reflex as rx

from imi_app.core.i18n import N_
from imi_app.requests.ui.badges import personal_data_badge, request_status_badge
from imi_app.requests.ui.data_subject_state import CORRECT, ERASE, DataSubjectState as S
from imi_app.ui.admin import FOCUS_BACK, access_gate
from imi_app.ui.forms import described_by, field_error, page_heading, text_field
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.ui.tables import NARROW_BLOCK, WIDE, column, empty_card


def _search_card() -> rx.Component:
    return rx.card(rx.form(
        rx.vstack(
            rx.grid(
                text_field(N_("Name"), "name", errors=S.errors, default_value=S.name, max_length=300,
                           hint=N_("Accents and capitals do not matter; every word must match.")),
                text_field(N_("Date of birth"), "birth_date", errors=S.errors, type="date",
                           default_value=S.birth_date),
                text_field(N_("Identifier"), "identifier", errors=S.errors, default_value=S.identifier,
                           max_length=100, hint=N_("A registration or document number; spaces and dashes do not "
                                                   "matter.")),
                columns=rx.breakpoints(initial="1", md="3"), spacing="3", width="100%",
            ),
            rx.flex(rx.button(rx.icon("search", size=16), T("Find exchanges"), type="submit", size="3",
                              id="subject-search"), justify="end", width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=S.search, no_validate=True,
    ), width="100%")


def _actions(hit, prefix: str) -> rx.Component:
    """Correct and erase; at phone width under the person (ids with the "narrow" prefix), else a column."""
    return rx.cond(hit["may_change"] != "", rx.flex(
        rx.button(T("Correct"), size="1", variant="soft", on_click=S.ask_correct(hit["id"]),
                  id=prefix + "-correct-" + hit["id"],
                  custom_attrs={"aria-label": T("Correct") + " " + hit["case_id"]}),
        rx.button(T("Erase"), size="1", variant="soft", color_scheme="red", high_contrast=True,
                  on_click=S.ask_erase(hit["id"]), id=prefix + "-erase-" + hit["id"],
                  custom_attrs={"aria-label": T("Erase") + " " + hit["case_id"]}),
        spacing="2", wrap="wrap", justify="start" if prefix == "narrow" else "end",
        padding_top="8px" if prefix == "narrow" else "0"))


def _row(hit) -> rx.Component:
    exchange = rx.vstack(
        rx.text(hit["direction"], " ", rx.text.strong(hit["counterpart"]), size="2"),
        rx.text(hit["country"], " · ", hit["area"], size="1", color_scheme="gray"),
        rx.text(hit["subject"], size="2"),
        spacing="0", min_width="0",
    )
    return rx.table.row(
        rx.table.cell(rx.vstack(
            rx.link(hit["case_id"], href=hit["href"], weight="medium", white_space="nowrap",
                    id="subject-case-" + hit["id"]),
            request_status_badge(hit["status"], hit["status_label"]),
            rx.cond(hit["blocked"] != "", rx.badge(rx.icon("lock", size=12), hit["blocked"], color_scheme="amber",
                                                   variant="surface", high_contrast=True)),
            spacing="1", align="start")),
        rx.table.cell(rx.vstack(
            rx.text(hit["person"], size="2", weight="medium"),
            rx.cond(hit["born"] != "", rx.text(T("Born"), " ", hit["born"], size="1", color_scheme="gray")),
            rx.cond(hit["number"] != "", rx.text(hit["number"], size="1", color_scheme="gray")),
            rx.box(exchange, _actions(hit, "narrow"), display=NARROW_BLOCK, padding_top="6px"),
            spacing="0", min_width="0")),
        rx.table.cell(exchange, display=WIDE),
        rx.table.cell(_actions(hit, "subject"), text_align="right", display=WIDE),
        id="subject-row-" + hit["id"],
    )


def _results() -> rx.Component:
    return rx.cond(S.searched, rx.cond(
        S.hits.length() > 0,
        rx.vstack(
            rx.flex(
                rx.text(S.summary, size="2", id="subject-summary", role="status"),
                rx.spacer(),
                rx.button(rx.icon("file-text", size=16), T("Download as PDF"), variant="soft",
                          on_click=S.download("pdf"), id="subject-pdf"),
                rx.button(rx.icon("braces", size=16), T("Download as JSON"), variant="soft",
                          on_click=S.download("json"), id="subject-json"),
                spacing="2", wrap="wrap", align="center", width="100%"),
            rx.hstack(personal_data_badge(), rx.text(T("Everything below is personal data: use it only to answer "
                                                         "the person concerned."), size="1", color_scheme="gray"),
                      align="center", spacing="2", wrap="wrap"),
            rx.table.root(
                rx.table.header(rx.table.row(
                    column(N_("Case")), column(N_("Person concerned")), column(N_("Exchange"), side=True),
                    rx.table.column_header_cell(rx.box(), width="1%", display=WIDE))),
                rx.table.body(rx.foreach(S.hits, _row)),
                variant="surface", width="100%", id="subject-hits"),
            spacing="3", width="100%"),
        empty_card("search-x", rx.text(T("No exchange of your authority is about such a person.")),
                   "subject-empty"),
    ))


def _reason() -> rx.Component:
    error = S.errors.get("reason", "").to(str)
    return rx.vstack(
        rx.el.label(T("Reason"), html_for="subject-reason", class_name="imi-label"),
        rx.text_area(name="reason", id="subject-reason", rows="3", size="3", width="100%", max_length=2000,
                     color_scheme=rx.cond(error != "", "red", "gray"), **described_by("subject-reason", error, "")),
        field_error(error, "subject-reason-error"), spacing="1", width="100%",
    )


def _buttons(label: str, color: str, element_id: str) -> rx.Component:
    return rx.flex(
        rx.dialog.close(rx.button(T("Cancel"), variant="soft", color_scheme="gray", type="button",
                                  id="subject-cancel")),
        rx.button(T(label), color_scheme=color, type="submit", loading=S.busy, id=element_id),
        spacing="3", justify="end", width="100%", wrap="wrap",
    )


def _correct_form() -> rx.Component:
    field_error_text = S.errors.get("field", "").to(str)
    return rx.form(rx.vstack(
        rx.vstack(
            rx.el.label(T("Field"), html_for="subject-field", class_name="imi-label"),
            rx.select.root(
                rx.select.trigger(id="subject-field", width="100%", placeholder=T("Choose a field"),
                                  **described_by("subject-field", field_error_text, "")),
                rx.select.content(rx.foreach(S.fields, lambda f: rx.select.item(f[1], value=f[0],
                                                                          id="subject-field-" + f[0]))),
                name="field", size="3"),
            field_error(field_error_text, "subject-field-error"), spacing="1", width="100%"),
        text_field(N_("Correct value"), "value", errors=S.errors, max_length=20_000,
                   hint=N_("A date as YYYY-MM-DD.")),
        _reason(),
        _buttons(N_("Correct"), "indigo", "subject-confirm-correct"),
        spacing="4", width="100%", margin_top="3"),
        on_submit=S.correct, no_validate=True, key=S.dialog_case)


def _erase_form() -> rx.Component:
    error = S.errors.get("ground", "").to(str)
    return rx.form(rx.vstack(
        rx.el.fieldset(
            rx.el.legend(T("Why is it erased before its time?"), class_name="imi-label"),
            rx.radio_group.root(rx.vstack(rx.foreach(S.grounds, lambda g: rx.hstack(
                rx.radio_group.item(value=g[0], id="ground-" + g[0]),
                rx.el.label(g[1], html_for="ground-" + g[0]), align="center", spacing="2")), spacing="2"),
                name="ground", id="subject-ground"),
            field_error(error, "subject-ground-error"), class_name="imi-fieldset"),
        _reason(),
        _buttons(N_("Erase the personal data"), "red", "subject-confirm-erase"),
        spacing="4", width="100%", margin_top="3"),
        on_submit=S.erase, no_validate=True, key=S.dialog_case)


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.dialog == CORRECT, T("Correct personal data"), T("Erase personal data early")),
                            " — ", S.dialog_case),
            rx.dialog.description(rx.cond(
                S.dialog == CORRECT,
                T("The person concerned may have wrong data set right. The old and the new value are kept in the "
                  "audit log, and the other authority's local data administrators are told."),
                T("The person, the texts, the answers and the files of this exchange are deleted for good; what "
                  "proves the exchange stays. The other authority's local data administrators are told, and see "
                  "your reason on the timeline.")), size="2"),
            rx.match(S.dialog, (CORRECT, _correct_form()), (ERASE, _erase_form()), rx.fragment()),
            max_width="560px", id="subject-dialog",
            **FOCUS_BACK,
        ),
        open=S.dialog != "", on_open_change=S.set_dialog_open,
    )


def data_subject_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Data subject requests"),
                     N_("Find every exchange of your authority about a person, to give them what is held about "
                        "them, set it right or erase it (Regulation (EU) 1024/2012, Art. 19).")),
        access_gate(S.access, rx.vstack(_search_card(), _results(), _dialog(), spacing="4", width="100%")),
        spacing="4", width="100%", on_unmount=S.leave,
    ))
