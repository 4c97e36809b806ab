"""The request page: header, questions and answers side by side, person, files, opinions, timeline, steps."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import gated_page
from imi_app.ui.i18n import T
from imi_app.requests.ui.badges import overdue_badge, personal_data_badge, personal_data_note, request_status_badge
from imi_app.requests.ui.files import file_row
from imi_app.core.i18n import N_
from imi_app.requests.ui.request_actions import (
    action_bar, action_dialog, answer_cell, answer_footer, detail_drop_zone,
)
from imi_app.requests.ui.request_page_state import RequestPageState as S


def _fact(label: str, value, element_id: str = "") -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(T(label), min_width="150px"),
        rx.data_list.value(rx.text(rx.cond(value != "", value, "—"), size="2", word_break="break-word",
                                   **({"id": element_id} if element_id else {}))),
    )


def _party(name, country, element_id: str) -> rx.Component:
    return rx.vstack(rx.text(name, weight="medium", size="2"), rx.text(country, size="1", color_scheme="gray"),
                     spacing="0", id=element_id, min_width="0")


def _header() -> rx.Component:
    info = S.info
    return rx.card(rx.vstack(
        rx.flex(
            rx.code(info["case_id"], variant="soft", size="3", weight="bold", id="request-case-id"),
            request_status_badge(S.status, info["status_label"], id="request-status"),
            rx.cond(S.overdue, overdue_badge(id="request-overdue")),
            rx.spacer(),
            rx.hstack(rx.icon("scale", size=14, color=rx.color("gray", 10)),
                      rx.text(info["area"], size="2", color_scheme="gray"), align="center", spacing="1"),
            spacing="2", align="center", wrap="wrap", width="100%",
        ),
        rx.heading(info["subject"], size="6", id="request-subject", word_break="break-word"),
        rx.flex(
            _party(info["requesting"], info["requesting_country"], "request-requesting"),
            rx.icon("arrow-right", size=18, color=rx.color("indigo", 9), flex_shrink="0",
                    transform=rx.breakpoints(initial="rotate(90deg)", sm="none")),
            _party(info["responding"], info["responding_country"], "request-responding"),
            direction=rx.breakpoints(initial="column", sm="row"), spacing="3",
            align=rx.breakpoints(initial="start", sm="center"), padding="10px 12px", border_radius="8px",
            background=rx.color("gray", 2), width="100%",
        ),
        rx.cond(info["forwarded_from"] != "", rx.text(rx.icon("forward", size=12), " ", T("Forwarded by"), " ",
                                                      info["forwarded_from"], size="1", color_scheme="gray")),
        rx.cond(info["waiting"] != "", rx.callout.root(
            rx.callout.icon(rx.cond(info["escalated"] != "", rx.icon("siren"), rx.icon("hourglass"))),
            rx.callout.text(info["waiting"]),
            color_scheme=rx.cond(info["escalated"] != "", "red", "amber"), variant="surface", high_contrast=True,
            size="1", width="100%", id="request-waiting")),
        rx.data_list.root(
            _fact(N_("Proposed reply date"), info["proposed"]),
            _fact(N_("Agreed reply date"), info["agreed"]),
            rx.data_list.item(
                rx.data_list.label(T("Deadline"), min_width="150px"),
                rx.data_list.value(rx.hstack(rx.text(rx.cond(info["deadline"] != "", info["deadline"], "—"),
                                                     size="2", weight="bold", id="request-deadline"),
                                             rx.cond(S.overdue, overdue_badge()), spacing="2", align="center"))),
            _fact(N_("Sent"), info["sent"], "request-sent"),
            rx.cond(info["side"] == "responder", _fact(N_("Allocated to"), info["allocated"], "request-allocated")),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"), size="2",
        ),
        spacing="3", width="100%",
    ), size="3", width="100%", id="request-header")


def _retention_callout(icon: str, color: str, title: str, day, text: str, element_id: str,
                       *extra: rx.Component) -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon)),
        rx.vstack(
            rx.text(rx.text.strong(T(title)), rx.cond(day != "", rx.fragment(" — ", day)), size="2"),
            rx.text(T(text), size="2"),
            *extra,
            spacing="2", width="100%",
        ),
        color_scheme=color, variant="surface", high_contrast=True, width="100%", id=element_id, role="status",
    )


def _retention_notice() -> rx.Component:
    """Blocked or deleted personal data (Regulation 1024/2012 Art. 14): what the page shows in its place."""
    info = S.info
    return rx.cond(
        info["deleted_on"] != "",
        _retention_callout("trash-2", "gray", N_("Personal data deleted"), info["deleted_on"],
                           N_("The retention period of this exchange has passed: its personal data is gone. "
                              "What stays proves the exchange and counts in the statistics: case id, authorities, "
                              "area, dates, status and the questions asked."), "retention-deleted"),
        rx.cond(
            info["blocked_on"] != "",
            _retention_callout(
                "lock", "amber", N_("Personal data blocked"), info["blocked_on"],
                N_("This exchange was closed a while ago, so its personal data is blocked: the person, the request "
                   "text, the answers, notes and files are not shown. What stays proves the exchange."),
                "retention-blocked",
                rx.cond(S.may_open_blocked, rx.button(
                    rx.icon("lock-open", size=14), T("Open the blocked personal data"), on_click=S.ask_open_blocked,
                    variant="soft", color_scheme="crimson", size="2", align_self="start", id="open-blocked"))),
            rx.cond(info["opened"] != "", _retention_callout(
                "eye", "crimson", N_("Blocked personal data, opened for this view"), "",
                N_("It is blocked again as soon as you leave or reload this page. Your reason is in the audit log "
                   "and on the timeline."), "retention-opened")),
        ),
    )


def _question_row(q) -> rx.Component:
    return rx.grid(
        rx.hstack(rx.icon("circle-help", size=16, color=rx.color("indigo", 9), flex_shrink="0", margin_top="2px"),
                  rx.text(q["text"], size="2"), spacing="2", align="start"),
        rx.box(answer_cell(q), padding_left=rx.breakpoints(initial="24px", sm="0")),
        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%", padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}", id="question-" + q["id"],
    )


def _text_block(title: str, value, element_id: str) -> rx.Component:
    return rx.cond(value != "", rx.vstack(
        rx.text(T(title), size="2", weight="bold"),
        rx.text(value, size="2", white_space="pre-wrap", word_break="break-word", id=element_id),
        spacing="1", width="100%", padding_top="3"))


def _questions_card() -> rx.Component:
    return rx.card(rx.form(
        rx.vstack(
            rx.hstack(rx.heading(T("Questions and answers"), size="4"), rx.spacer(),
                      rx.cond(S.answering, rx.badge(rx.icon("pencil", size=12), T("Answering"), color_scheme="indigo")),
                      align="center", width="100%", id="answer-form"),
            rx.cond(S.questions.length() > 0, rx.vstack(
                rx.grid(rx.text(T("Question"), size="1", weight="bold", color_scheme="gray"),
                        rx.text(T("Answer"), size="1", weight="bold", color_scheme="gray"),
                        columns="2", spacing="3", width="100%", display=rx.breakpoints(initial="none", sm="grid")),
                rx.foreach(S.questions, _question_row), spacing="0", width="100%"),
                rx.text(T("No questions were chosen from the question set."), size="2", color_scheme="gray")),
            _text_block(N_("Request text"), S.info["free_text"], "request-free-text"),
            _text_block(N_("Reply"), S.info["reply"], "request-reply"),
            _text_block(N_("Reply awaiting approval"), S.info["pending_reply"], "request-pending-reply"),
            answer_footer(),
            spacing="2", width="100%",
        ),
        on_submit=S.submit_answer, no_validate=True, key=S.form_key,
    ), size="3", width="100%", id="questions-card")


def _person_fact(label: str, key: str) -> rx.Component:
    return _fact(label, S.person[key], f"person-{key.replace('_', '-')}")


def _person_card() -> rx.Component:
    return rx.cond(S.has_person, rx.card(rx.vstack(
        rx.hstack(rx.icon("user-lock", size=18, color=rx.color("crimson", 10)),
                  rx.heading(rx.cond(S.person["kind"] == "business", T("Business concerned"), T("Person concerned")),
                             size="4"),
                  align="center", spacing="2"),
        personal_data_badge(align_self="start"),
        personal_data_note(),
        rx.data_list.root(
            _person_fact(N_("Full name"), "full_name"), _person_fact(N_("Date of birth"), "birth_date"),
            _person_fact(N_("Nationality"), "nationality"),
            _person_fact(N_("Registration number"), "registration_number"),
            _person_fact(N_("Address"), "address"), _person_fact(N_("Other details"), "other_details"),
            orientation="vertical", size="2",
        ),
        spacing="3", width="100%",
    ), size="2", width="100%", id="person-card", border_top=f"3px solid {rx.color('crimson', 8)}"))


def _files_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.icon("paperclip", size=18), rx.heading(T("Attachments"), size="4"), align="center", spacing="2"),
        rx.cond(S.files.length() > 0,
                rx.vstack(rx.foreach(S.files, lambda f: file_row(f, on_remove=S.remove_file(f["id"]))),
                          spacing="2", width="100%"),
                rx.text(T("No files."), size="2", color_scheme="gray")),
        rx.cond(S.can_attach & ~S.answering, detail_drop_zone()),
        spacing="3", width="100%",
    ), size="2", width="100%", id="files-card")


def _opinion(o) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.icon(rx.cond(o["given"] != "", "circle-check", "circle-dashed"), size=16,
                          color=rx.cond(o["given"] != "", rx.color("green", 10), rx.color("gray", 9))),
                  rx.text(o["coordinator"], weight="medium", size="2"), align="center", spacing="2"),
        rx.text(o["country"], size="1", color_scheme="gray"),
        rx.text(o["opinion"], size="2", weight="bold"),
        rx.cond(o["note"] != "", rx.text(o["note"], size="2", white_space="pre-wrap", word_break="break-word")),
        rx.cond(o["at"] != "", rx.text(o["at"], size="1", color_scheme="gray")),
        spacing="1", width="100%", padding="10px", border=f"1px solid {rx.color('gray', 5)}", border_radius="8px",
    )


def _opinions_card() -> rx.Component:
    return rx.cond(S.opinions.length() > 0, rx.card(rx.vstack(
        rx.hstack(rx.icon("gavel", size=18), rx.heading(T("Referral opinions"), size="4"), align="center",
                  spacing="2"),
        rx.foreach(S.opinions, _opinion),
        spacing="3", width="100%",
    ), size="2", width="100%", id="opinions-card"))


def _event(e) -> rx.Component:
    return rx.hstack(
        rx.box(width="10px", height="10px", border_radius="50%", background=rx.color("indigo", 9), margin_top="6px",
               flex_shrink="0"),
        rx.vstack(
            rx.hstack(rx.text(e["label"], size="2", weight="bold"), rx.text(e["at"], size="1", color_scheme="gray"),
                      spacing="2", align="baseline", wrap="wrap"),
            rx.cond(e["who"] != "", rx.text(e["who"], size="1", color_scheme="gray")),
            rx.cond(e["extra"] != "", rx.text(e["extra"], size="2")),
            rx.cond(e["note"] != "", rx.blockquote(e["note"], size="2", white_space="pre-wrap",
                                                   word_break="break-word")),
            spacing="1", min_width="0", width="100%",
        ),
        spacing="3", align="start", width="100%", class_name="timeline-entry", id="event-" + e["kind"] + "-" + e["key"],
    )


def _timeline_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.icon("history", size=18), rx.heading(T("Timeline"), size="4"), align="center", spacing="2"),
        rx.foreach(S.timeline, _event),
        spacing="3", width="100%",
    ), size="3", width="100%", id="timeline")


def _content() -> rx.Component:
    return rx.vstack(
        _header(),
        _retention_notice(),
        action_bar(),
        rx.flex(
            rx.vstack(_questions_card(), _timeline_card(), spacing="4", flex="2", min_width="0", width="100%"),
            rx.vstack(_person_card(), _files_card(), _opinions_card(), spacing="4", flex="1", min_width="0",
                      width="100%"),
            direction=rx.breakpoints(initial="column", md="row"), spacing="4", width="100%", align="start",
        ),
        action_dialog(),
        spacing="4", width="100%",
    )


def request_detail_page() -> rx.Component:
    return gated_page(N_("Back to the requests"), routes.REQUESTS_OVERVIEW, S.access, _content(), on_unmount=S.leave)
