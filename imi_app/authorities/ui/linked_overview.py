"""Linked overview: counts of the sent exchanges of each authority that linked mine, named by area and question set."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.admin import access_gate, pager
from imi_app.ui.forms import page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.ui.tables import NARROW, WIDE
from imi_app.core.i18n import N_
from imi_app.authorities.ui.links_state import LinkedOverviewState as S



def request_status_badge(status, label) -> rx.Component:
    color = rx.match(status, ("draft", "gray"), ("awaiting_approval", "amber"), ("sent", "blue"),
                     ("accepted", "indigo"), ("answer_awaiting_approval", "amber"), ("answered", "green"),
                     ("insisted", "orange"), ("in_referral", "purple"), ("closed", "gray"), ("withdrawn", "red"),
                     "gray")
    return rx.badge(label, color_scheme=color, variant="soft", white_space="nowrap")


def _direction(row) -> rx.Component:
    return rx.badge(rx.cond(row["direction"] == "outgoing", rx.icon("arrow-up-right", size=12),
                            rx.icon("arrow-down-left", size=12)),
                    row["direction_label"], variant="outline",
                    color_scheme=rx.cond(row["direction"] == "outgoing", "cyan", "violet"), white_space="nowrap")


def _stat(label, value, element_id, accent: str = "gray") -> rx.Component:
    return rx.card(
        rx.vstack(rx.text(label, size="1", color_scheme="gray", weight="medium"),
                  rx.text(value, size="6", weight="bold", color=rx.color(accent, 11)), spacing="1"),
        id=element_id,
    )


def _counts() -> rx.Component:
    return rx.vstack(
        rx.grid(
            _stat(T("All exchanges"), S.total, "overview-total", "indigo"),
            rx.foreach(S.by_status, lambda s: _stat(s["label"], s["count"], f"status-count-{s['status']}")),
            columns=rx.breakpoints(initial="2", sm="3", md="6"), spacing="3", width="100%",
        ),
        rx.cond(S.by_area.length() > 0, rx.vstack(
            rx.text(T("By legislative area"), weight="bold", size="3"),
            rx.table.root(
                rx.table.body(rx.foreach(S.by_area, lambda a: rx.table.row(
                    rx.table.row_header_cell(a["name"]),
                    rx.table.cell(rx.text(a["count"], weight="bold"), text_align="right"),
                    id=f"area-count-{a['code']}"))),
                variant="surface", width="100%", max_width="480px", id="overview-areas",
            ),
            spacing="2", width="100%",
        )),
        spacing="4", width="100%",
    )


def _subject_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(row["case_id"], variant="ghost", size="2", white_space="nowrap"), display=WIDE),
        rx.table.row_header_cell(rx.vstack(
            rx.code(row["case_id"], variant="ghost", size="1", display=NARROW),
            rx.text(row["question_set"], size="2", weight="medium"),
            rx.flex(request_status_badge(row["status"], row["status_label"]), _direction(row),
                    rx.text(row["area"], size="1", color_scheme="gray"), spacing="2", wrap="wrap", align="center",
                    display=NARROW),
            rx.text(row["sent"], size="1", color_scheme="gray", display=NARROW),
            spacing="1")),
        rx.table.cell(rx.text(row["area"], size="2"), display=WIDE),
        rx.table.cell(_direction(row), display=WIDE),
        rx.table.cell(request_status_badge(row["status"], row["status_label"]), display=WIDE),
        rx.table.cell(rx.text(row["sent"], size="2", white_space="nowrap"), display=WIDE),
        rx.table.cell(rx.text(row["updated"], size="2", white_space="nowrap"), display=WIDE),
        rx.table.cell(rx.text(row["deadline"], size="2", white_space="nowrap"), display=WIDE),
        id=f"subject-{row['case_id']}", align="center",
    )


def _subjects() -> rx.Component:
    header = [(N_("Area"), WIDE), (N_("Direction"), WIDE), (N_("Status"), WIDE), (N_("Sent"), WIDE),
              (N_("Last change"), WIDE), (N_("Deadline"), WIDE)]
    return rx.vstack(
        rx.text(T("Sent exchanges"), weight="bold", size="3"),
        rx.cond(S.subjects.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(T("Case"), display=WIDE), rx.table.column_header_cell(T("Question set")),
                *[rx.table.column_header_cell(T(label), display=display) for label, display in header])),
            rx.table.body(rx.foreach(S.subjects, _subject_row)),
            variant="surface", width="100%", id="overview-subjects",
        ), rx.callout(T("This authority has no exchanges yet."), icon="inbox", color_scheme="gray", width="100%",
                      id="subjects-empty")),
        pager(S.counter, S.has_previous, S.has_next, S.previous_page, S.next_page, "subjects"),
        spacing="3", width="100%",
    )


def _chooser() -> rx.Component:
    return rx.cond(S.linking.length() > 1, rx.hstack(
        rx.el.label(T("Authority"), html_for="overview-authority", class_name="imi-label"),
        rx.select.root(
            rx.select.trigger(id="overview-authority", min_width="260px"),
            rx.select.content(rx.foreach(S.linking, lambda a: rx.select.item(a["name"], value=a["id"]))),
            value=S.selected, on_change=S.choose, size="2",
        ),
        align="center", spacing="3", wrap="wrap",
    ))


def _overview() -> rx.Component:
    return rx.vstack(
        _chooser(),
        rx.card(
            rx.vstack(
                rx.hstack(rx.icon("building-2", size=20, color=rx.color("indigo", 10)),
                          rx.heading(S.linking_name, size="5", id="overview-authority-name"),
                          align="center", spacing="2"),
                rx.text(T("This authority linked yours. You see how many requests it has sent and received, with "
                          "their legislative area and question set; the subjects, the people concerned, messages, "
                          "answers and files stay with the authorities taking part."), size="2",
                        color_scheme="gray"),
                _counts(),
                rx.separator(size="4"),
                _subjects(),
                spacing="4", width="100%",
            ),
            size="3", width="100%", id="linked-overview",
        ),
        spacing="4", width="100%",
    )


def _empty() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.box(rx.icon("link-2", size=28, color=rx.color("indigo", 10)), background=rx.color("indigo", 3),
                   border_radius="999px", padding="12px", display="flex"),
            rx.heading(T("No authority has linked yours yet"), size="5"),
            rx.text(T("The local data administrator of another authority of your country can link your authority "
                      "to theirs. You then see here a high-level overview of that authority's exchanges: how many "
                      "requests it has sent and received in each status and legislative area, and their question "
                      "sets."),
                    size="2", color_scheme="gray", max_width="560px"),
            rx.text(T("Personal data, messages, answers and attachments are never shown to linked authorities."),
                    size="2", color_scheme="gray", max_width="560px"),
            spacing="3", align="center", text_align="center", padding_y="24px", width="100%",
        ),
        size="3", width="100%", id="overview-empty",
    )


def linked_overview_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Linked overview"), N_("The exchanges of the authorities that linked yours, at a glance.")),
        access_gate(S.access, rx.cond(S.linking.length() > 0, _overview(), _empty())),
        spacing="4", width="100%", on_unmount=S.leave,
    ))
