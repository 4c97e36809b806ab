"""The request page's steps: the action buttons, the one dialog each of them opens, and the answer form."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.admin import FOCUS_BACK
from imi_app.ui.forms import described_by, field_error
from imi_app.ui.i18n import T
from imi_app.requests.ui.files import drop_zone
from imi_app.core.i18n import N_
from imi_app.requests.ui.request_page_state import RequestPageState as S

DETAIL_UPLOAD = "detail-files"


def action_bar() -> rx.Component:
    """Exactly the steps this reader may take now (RequestDetail.actions)."""
    return rx.cond(S.buttons.length() > 0, rx.card(
        rx.flex(
            rx.hstack(rx.icon("zap", size=16, color=rx.color("indigo", 10)),
                      rx.text(T("What you can do now"), size="2", weight="bold"), align="center", spacing="2",
                      margin_right="2"),
            rx.foreach(S.buttons, lambda b: rx.button(
                b["label"], color_scheme=b["color"], variant=b["variant"], size="2", id="action-" + b["name"],
                on_click=S.open_action(b["name"]), disabled=S.answering & (b["name"] == "answer"))),
            spacing="2", wrap="wrap", align="center",
        ),
        width="100%", id="action-bar", border_left=f"4px solid {rx.color('indigo', 9)}",
    ))


def _label(text, html_for: str) -> rx.Component:
    return rx.el.label(text, html_for=html_for, class_name="imi-label")


def _text_area(name: str, label, element_id: str, *, rows: str = "4") -> rx.Component:
    error = S.errors.get(name, "").to(str)
    return rx.vstack(
        _label(label, element_id),
        rx.text_area(name=name, id=element_id, rows=rows, size="3", width="100%", max_length=20_000,
                     color_scheme=rx.cond(error != "", "red", "gray"), **described_by(element_id, error, "")),
        field_error(error, f"{element_id}-error"), spacing="1", width="100%",
    )


def _date(label, element_id: str) -> rx.Component:
    return rx.vstack(
        _label(label, element_id),
        rx.input(type="date", name="reply_date", id=element_id, size="3", width="100%"),
        field_error(S.errors.get("reply_date", "").to(str)), spacing="1", width="100%",
    )


def _has(field: str) -> rx.Var:
    return S.dialog_fields.contains(field)


def _reply_choice() -> rx.Component:
    return rx.vstack(
        rx.radio_group.root(
            rx.vstack(
                rx.hstack(rx.radio_group.item(value="proposed", id="reply-proposed"),
                          rx.el.label(T("Agree to the proposed reply date"), " ", rx.text.strong(S.info["proposed"]),
                                      html_for="reply-proposed"), align="center", spacing="2"),
                rx.hstack(rx.radio_group.item(value="other", id="reply-other"),
                          rx.el.label(T("Propose another reply date"), html_for="reply-other"),
                          align="center", spacing="2"),
                spacing="2",
            ),
            name="reply_choice", default_value="proposed",
        ),
        field_error(S.errors.get("reply_choice", "").to(str)),
        _date(T("Another reply date"), "dialog-reply-date"),
        spacing="3", width="100%",
    )


def _opinion_choice() -> rx.Component:
    def item(value: str, label: str) -> rx.Component:
        return rx.hstack(rx.radio_group.item(value=value, id=f"opinion-{value}", margin_top="3px"),
                         rx.el.label(T(label), html_for=f"opinion-{value}"), align="start", spacing="2")

    return rx.vstack(
        rx.radio_group.root(rx.vstack(
            item("requester", N_("The requesting authority: the information should be given")),
            item("responder", N_("The responding authority: the information cannot be given")), spacing="2"),
            name="opinion"),
        field_error(S.errors.get("opinion", "").to(str)), spacing="2", width="100%",
    )


def _rating_choice() -> rx.Component:
    """Two questions, three answers each, as radio groups with their question as the group's name."""
    def question(name: str, text: str) -> rx.Component:
        def item(value: str, label: str) -> rx.Component:
            return rx.hstack(rx.radio_group.item(value=value, id=f"{name}-{value}"),
                             rx.el.label(T(label), html_for=f"{name}-{value}"), align="center", spacing="1")

        return rx.el.fieldset(
            rx.el.legend(T(text), class_name="imi-label"),
            rx.radio_group.root(rx.hstack(item("positive", N_("Positive")), item("neutral", N_("Neutral")),
                                          item("negative", N_("Negative")), spacing="4", wrap="wrap"),
                                name=name, id=f"rating-{name}"),
            field_error(S.errors.get(name, "").to(str)), class_name="imi-fieldset",
        )

    return rx.vstack(
        question("timeliness", N_("Timeliness of the reply")),
        question("efforts", N_("Efforts made to answer")),
        spacing="3", width="100%",
    )


def _authority_choice() -> rx.Component:
    return rx.vstack(
        _label(T("Authority"), "dialog-authority"),
        rx.cond(S.choices.length() > 0, rx.select.root(
            rx.select.trigger(placeholder=T("Choose an authority"), id="dialog-authority", width="100%"),
            rx.select.content(rx.foreach(S.choices, lambda c: rx.select.item(c[1], value=c[0]))),
            name="to_authority_id", size="3"),
            rx.text(T("No other authority of your country works in this legislative area."), size="2",
                    color_scheme="gray")),
        field_error(S.errors.get("to_authority_id", "").to(str)), spacing="1", width="100%",
    )


def _handler_choice() -> rx.Component:
    return rx.vstack(
        rx.foreach(S.choices, lambda c: rx.checkbox(c[1], name="alloc:" + c[0], default_checked=c[2] == "1",
                                                    id="alloc-" + c[0], size="2")),
        field_error(S.errors.get("user_ids", "").to(str)), spacing="2", width="100%",
    )


def action_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.dialog_title),
            rx.dialog.description(S.dialog_text, size="2"),
            rx.form(
                rx.vstack(
                    rx.cond(_has("reply_choice"), _reply_choice()),
                    rx.cond(_has("authority"), _authority_choice()),
                    rx.cond(_has("handlers"), _handler_choice()),
                    rx.cond(_has("opinion"), _opinion_choice()),
                    rx.cond(_has("rating"), _rating_choice()),
                    rx.cond(_has("comment"), _text_area("comment", T("Comment (optional)"), "dialog-comment",
                                                        rows="3")),
                    rx.cond(_has("reason"), _text_area("reason", T("Reason"), "dialog-reason")),
                    rx.cond(_has("reason_optional"), _text_area("reason", T("Reason (optional)"), "dialog-reason")),
                    rx.cond(_has("note"), _text_area("note", S.dialog_note_label, "dialog-note")),
                    rx.cond(_has("note_optional"), _text_area("note", T("Note (optional)"), "dialog-note", rows="2")),
                    rx.cond(_has("new_date"), _date(T("New reply date (optional)"), "dialog-reply-date")),
                    rx.flex(
                        rx.dialog.close(rx.button(T("Cancel"), variant="soft", color_scheme="gray", type="button",
                                                  id="dialog-cancel")),
                        rx.button(S.dialog_confirm, color_scheme=S.dialog_color, type="submit",
                                  id="confirm-" + S.dialog, loading=S.busy),
                        spacing="3", justify="end", width="100%", wrap="wrap",
                    ),
                    spacing="4", width="100%", margin_top="3",
                ),
                on_submit=S.do_action, no_validate=True, key=S.dialog,
            ),
            max_width="560px",
            **FOCUS_BACK,
        ),
        open=S.dialog != "", on_open_change=S.set_dialog_open,
    )


def detail_drop_zone() -> rx.Component:
    """Files go up at once; the service checks each and says why one is refused."""
    return drop_zone(DETAIL_UPLOAD, max_size=S.max_upload, on_rejected=S.files_refused, error=S.upload_error,
                     on_drop=S.upload(rx.upload_files(upload_id=DETAIL_UPLOAD)),
                     element_id=rx.cond(S.can_answer, "action-attach_to_answer", "action-attach_to_request"))


def _answer_input(q) -> rx.Component:
    name, choice = "answer_" + q["id"], "yes-no-" + q["id"]
    return rx.match(
        q["type"],
        ("yes_no", rx.radio_group.root(
            rx.hstack(rx.hstack(rx.radio_group.item(value="yes", id=choice + "-yes"),
                                rx.el.label(T("Yes"), html_for=choice + "-yes"), align="center", spacing="1"),
                      rx.hstack(rx.radio_group.item(value="no", id=choice + "-no"),
                                rx.el.label(T("No"), html_for=choice + "-no"), align="center", spacing="1"),
                      spacing="4"),
            name=name, default_value=q["raw"])),
        ("date", rx.input(type="date", name=name, id=name, default_value=q["raw"], size="2")),
        rx.text_area(name=name, id=name, default_value=q["raw"], rows="2", size="2", width="100%",
                     max_length=20_000),
    )


def answer_cell(q) -> rx.Component:
    """The answer column: the input while answering, otherwise the answer this reader sees."""
    return rx.cond(
        S.answering,
        rx.vstack(_answer_input(q), field_error(S.errors.get("answer_" + q["id"], "").to(str)), spacing="1",
                  width="100%"),
        rx.cond(q["answer"] != "", rx.text(q["answer"], size="2", white_space="pre-wrap", weight="medium"),
                rx.text(T("Not answered yet"), size="2", color_scheme="gray")),
    )


def answer_footer() -> rx.Component:
    """Below the questions while answering: the free-text reply, the files, and sending."""
    return rx.cond(S.answering, rx.vstack(
        _text_area("reply", T("Your reply (free text)"), "answer-reply", rows="5"),
        field_error(S.errors.get("answers", "").to(str)),
        rx.text(T("Files for the answer"), size="2", weight="bold"),
        detail_drop_zone(),
        rx.flex(
            rx.button(T("Cancel"), variant="soft", color_scheme="gray", type="button", on_click=S.cancel_answer,
                      id="answer-cancel"),
            rx.button(rx.icon("send", size=16), T("Send answer"), type="submit", id="confirm-answer"),
            spacing="3", justify="end", width="100%", wrap="wrap",
        ),
        spacing="3", width="100%", padding_top="3",
    ))
