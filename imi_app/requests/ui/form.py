"""The request form: a new request, or a draft being edited; save it as a draft or send it."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import access_gate, back_link
from imi_app.ui.forms import PAGE_TITLE_SIZE, field_error, select_field, text_field
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.requests.ui.badges import personal_data_badge, personal_data_note
from imi_app.requests.ui.files import chosen_files, chosen_list, drop_zone, file_row
from imi_app.core.i18n import N_
from imi_app.requests.ui.form_state import ATTACH_TRIGGER, UPLOAD_ID
from imi_app.requests.ui.form_state import RequestFormState as S

TWO = rx.breakpoints(initial="1", sm="2")


def _section(title: str, hint: str, *children: rx.Component, **props) -> rx.Component:
    return rx.card(rx.vstack(
        rx.vstack(rx.heading(T(title), size="4"), rx.cond(hint != "", rx.text(T(hint) if hint else "", size="2",
                                                                             color_scheme="gray")), spacing="1"),
        *children, spacing="4", width="100%"), size="3", width="100%", **props)


def _error(name: str) -> rx.Component:
    return field_error(S.errors.get(name, "").to(str))


def _text_area(label: str, name: str, *, rows: str = "4", max_length: int = 20_000, hint: str = "") -> rx.Component:
    error = S.errors.get(name, "").to(str)
    return rx.vstack(
        rx.el.label(T(label), html_for=name, class_name="imi-label"),
        rx.text_area(name=name, id=name, default_value=S.draft[name].to(str), rows=rows, size="3", width="100%",
                     max_length=max_length, color_scheme=rx.cond(error != "", "red", "gray")),
        rx.cond(hint != "", rx.text(T(hint) if hint else "", size="1", color_scheme="gray")),
        field_error(error), spacing="1", width="100%",
    )


def _area_select() -> rx.Component:
    return select_field(N_("Legislative area"), "area", S.areas, errors=S.errors, error_name="area_id",
                        hint=N_("The areas in which you are a request handler. The question set depends on it."),
                        sent=False, value=S.area_id, on_change=S.set_area, disabled=S.editing)


def _responder_option(row) -> rx.Component:
    return rx.button(
        rx.hstack(rx.icon("building-2", size=14), rx.text(row[1], weight="medium", size="2"),
                  rx.text(row[2], size="1", color_scheme="gray"), align="center", spacing="2"),
        type="button", variant="ghost", on_click=S.choose_responder(row[0]), id="responder-option-" + row[0],
        width="100%", height="auto", padding_y="6px", style={"justify_content": "flex-start", "text_align": "left"},
    )


def _responder() -> rx.Component:
    return rx.vstack(
        rx.el.label(T("Responding authority"), html_for="responder-search", class_name="imi-label"),
        rx.cond(
            S.responder_id != "",
            rx.hstack(rx.icon("circle-check", size=16, color=rx.color("green", 10)),
                      rx.text(S.responder_name, weight="medium", size="2", id="responder-chosen"), rx.spacer(),
                      rx.button(T("Change"), type="button", variant="soft", size="1", on_click=S.change_responder,
                                id="responder-change"),
                      align="center", width="100%", padding="8px 12px", border_radius="8px",
                      border=f"1px solid {rx.color('green', 6)}", background=rx.color("green", 2)),
            rx.vstack(
                rx.input(rx.input.slot(rx.icon("search", size=16)), id="responder-search", name="responder_search", type="search",
                         placeholder=T("Search by name, in any language"), value=S.responder_query,
                         on_change=S.search_responder.debounce(300), max_length=100, size="3", width="100%",
                         color_scheme=rx.cond(S.errors.get("responding_authority_id", "").to(str) != "", "red", "gray")),
                rx.cond(S.responder_results.length() > 0,
                        rx.vstack(rx.foreach(S.responder_results, _responder_option), spacing="0", width="100%",
                                  border=f"1px solid {rx.color('gray', 5)}", border_radius="8px", padding="4px"),
                        rx.text(T("No authority of another country works in this legislative area with this name."),
                                size="2", color_scheme="gray")),
                spacing="2", width="100%",
            ),
        ),
        rx.text(T("Active authorities of other countries that work in the chosen legislative area."), size="1",
                color_scheme="gray"),
        _error("responding_authority_id"), spacing="1", width="100%",
    )


def _person() -> rx.Component:
    return _section(
        N_("The person or business concerned"), "",
        rx.hstack(personal_data_badge(), personal_data_note(), align="center", spacing="2", wrap="wrap"),
        rx.vstack(
            rx.radio_group.root(rx.hstack(
                rx.hstack(rx.radio_group.item(value="person", id="person-kind-person"),
                          rx.el.label(T("A person"), html_for="person-kind-person"), align="center", spacing="1"),
                rx.hstack(rx.radio_group.item(value="business", id="person-kind-business"),
                          rx.el.label(T("A business"), html_for="person-kind-business"), align="center", spacing="1"),
                spacing="5"), name="person_kind", default_value=S.draft["person_kind"].to(str)),
            _error("person_kind"), spacing="1"),
        rx.grid(
            text_field(N_("Full name"), "person_full_name", errors=S.errors, max_length=300,
                       default_value=S.draft["person_full_name"].to(str)),
            text_field(N_("Date of birth"), "person_birth_date", errors=S.errors, type="date",
                       default_value=S.draft["person_birth_date"].to(str)),
            text_field(N_("Nationality"), "person_nationality", errors=S.errors, max_length=60,
                       default_value=S.draft["person_nationality"].to(str)),
            text_field(N_("Registration number"), "person_registration_number", errors=S.errors, max_length=100,
                       default_value=S.draft["person_registration_number"].to(str),
                       hint=N_("For example a company or professional register number.")),
            columns=TWO, spacing="4", width="100%",
        ),
        _text_area(N_("Address"), "person_address", rows="2", max_length=500),
        _text_area(N_("Other details"), "person_other_details", rows="3"),
        id="person-section", border_top=f"3px solid {rx.color('crimson', 8)}",
    )


def _question(q) -> rx.Component:
    return rx.checkbox(q["text"], name="q:" + q["id"].to(str), default_checked=q["checked"].to(bool),
                       id="question-" + q["id"].to(str),
                       size="2", align_items="start")


def _questions() -> rx.Component:
    return _section(
        N_("Questions"), N_("Choose the questions to ask. The responding authority reads them in its own language."),
        rx.cond(S.questions.length() > 0,
                rx.vstack(rx.foreach(S.questions, _question), spacing="3", width="100%", id="request-question-set",
                          key=S.area_id),
                rx.text(T("This legislative area has no question set."), size="2", color_scheme="gray")),
        _error("question_ids"),
        _text_area(N_("Free text"), "free_text", rows="5",
                   hint=N_("Anything else you need to know, in your own words.")),
    )


def _files() -> rx.Component:
    return _section(
        N_("Attachments"), "",
        rx.cond(S.files.length() > 0, rx.vstack(rx.foreach(S.files, lambda f: file_row(f, on_remove=S.remove_file(
            f["id"]))), spacing="2", width="100%")),
        drop_zone(UPLOAD_ID, max_size=S.max_upload, on_rejected=S.files_refused, error=S.file_error),
        chosen_list(UPLOAD_ID, S.clear_files),
        rx.button(type="button", id=ATTACH_TRIGGER, display="none",
                  on_click=S.attach_selected(rx.upload_files(upload_id=UPLOAD_ID))),
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _section(
                N_("Request"), "",
                rx.grid(_area_select(), text_field(N_("Proposed reply date"), "proposed_reply_date", errors=S.errors,
                                                   type="date", default_value=S.draft["proposed_reply_date"].to(str)),
                        columns=TWO, spacing="4", width="100%"),
                _responder(),
                text_field(N_("Subject"), "subject", errors=S.errors, max_length=300,
                           default_value=S.draft["subject"].to(str)),
            ),
            _person(),
            _questions(),
            _files(),
            rx.el.input(type="hidden", name="file_count", value=chosen_files(UPLOAD_ID).length().to_string()),
            rx.flex(
                rx.link(rx.button(T("Cancel"), variant="soft", color_scheme="gray", size="3", type="button",
                                  width="100%"), href=rx.cond(S.editing, routes.REQUESTS_OVERVIEW, routes.HOME)),
                rx.button(rx.icon("save", size=16), T("Save draft"), type="submit", size="3", variant="soft",
                          on_click=S.set_intent("draft"), id="save-draft"),
                rx.button(rx.icon("send", size=16), T("Send"), type="submit", size="3",
                          on_click=S.set_intent("send"), id="send-request"),
                spacing="3", justify="end", width="100%", wrap="wrap",
            ),
            spacing="4", width="100%",
        ),
        on_submit=S.save, key=S.form_key, no_validate=True,
    )


def request_form_page() -> rx.Component:
    return app_page(rx.vstack(
        back_link(N_("Back to the task list"), routes.HOME),
        rx.vstack(
            rx.heading(rx.cond(S.editing, T("Edit draft"), T("New request")), size=PAGE_TITLE_SIZE, id="request-form-heading"),
            rx.cond(S.editing, rx.code(S.case_id, variant="soft", id="request-form-case-id"),
                    rx.text(T("Ask a competent authority of another country for information."), color_scheme="gray",
                            size="3")),
            spacing="1",
        ),
        access_gate(S.access, rx.box(_form(), max_width="900px", width="100%")),
        spacing="4", width="100%", on_unmount=S.leave,
    ))
