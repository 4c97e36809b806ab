"""Each step a reader takes on a request's page, described once: its service, how its dialog's fields become
the service's arguments, the dialog itself, the message once done, and whether it is a dangerous one.

The lifecycle table (lifecycle.TRANSITIONS) says who may take a step when; this table says how the page
offers it. The page's buttons, dialogs and toasts, and the one action that runs a step, all read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from imi_app.core.errors import ValidationFailed
from imi_app.core.i18n import N_
from imi_app.requests import actions as rq
from imi_app.requests.inputs import NOT_VALID, REQUIRED
from imi_app.requests.models import RequestStatus

S = RequestStatus
ANSWER_FIELD = re.compile(r"^answer_(\d{1,12})$")
SENT = N_("The request has been sent.")
APPROVED_AND_SENT = N_("The request has been approved and sent to the responding authority.")
TO_COORDINATOR = N_("The request has gone to your coordinator for approval. It is sent once approved.")
ANSWER_SENT = N_("The answer has been sent.")
ANSWER_TO_COORDINATOR = N_("The answer has gone to your coordinator for approval. It is released once approved.")


def form_value(form: object, name: str) -> object:
    """A submitted value as sent (the service validates it); "" when the field is missing."""
    return form.get(name, "") if isinstance(form, dict) else ""


def form_id(value: object) -> object:
    """An id from a form as int when it is one; otherwise unchanged, for the service to refuse.
    (The domain reads forms without the screens' helpers: it never imports them.)"""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return value


@dataclass(frozen=True)
class Dialog:
    """What the confirmation dialog of a step shows and asks for (fields: see ui/request_actions.py)."""

    title: str
    text: str
    fields: tuple[str, ...] = ()
    color: str = "indigo"
    note_label: str = N_("Note")


def _nothing(form: object) -> dict[str, Any]:
    return {}


def _reason(form: object) -> dict[str, Any]:
    return {"reason": form_value(form, "reason")}


def _note(form: object) -> dict[str, Any]:
    return {"note": form_value(form, "note")}


def _more_info(form: object) -> dict[str, Any]:
    return {"note": form_value(form, "note"), "reply_date": form_value(form, "reply_date") or None}


def _opinion(form: object) -> dict[str, Any]:
    return {"opinion": form_value(form, "opinion"), "note": form_value(form, "note")}


def _rating(form: object) -> dict[str, Any]:
    return {"timeliness": form_value(form, "timeliness"), "efforts": form_value(form, "efforts"),
            "comment": form_value(form, "comment")}


def _forward(form: object) -> dict[str, Any]:
    return {"to_authority_id": form_id(form_value(form, "to_authority_id")), "note": form_value(form, "note")}


def _accept(form: object) -> dict[str, Any]:
    choice = form_value(form, "reply_choice")
    if choice == "proposed":
        return {"reply_date": None}
    if choice != "other":
        raise ValidationFailed({"reply_choice": NOT_VALID})
    chosen = form_value(form, "reply_date")
    if chosen in ("", None):
        raise ValidationFailed({"reply_date": REQUIRED})
    return {"reply_date": chosen}


def _allocate(form: object) -> dict[str, Any]:
    ticked = form.items() if isinstance(form, dict) else []
    return {"user_ids": [form_id(key[6:]) for key, value in ticked
                         if isinstance(key, str) and key.startswith("alloc:") and value in ("on", True)]}


def _answer(form: object) -> dict[str, Any]:
    """{question id: answer} from the "answer_<id>" fields (other fields are no answers), and the reply."""
    found: dict[object, object] = {}
    for key, value in (form.items() if isinstance(form, dict) else []):
        match = ANSWER_FIELD.match(key) if isinstance(key, str) else None
        if match:
            found[form_id(match.group(1))] = value
    return {"answers": found, "reply": form_value(form, "reply")}


@dataclass(frozen=True)
class Step:
    service: Callable[..., Any]  # (session, *, actor, request_id, expected_version, **arguments)
    parse: Callable[[object], dict[str, Any]]  # the dialog's form -> the service's arguments (ValidationFailed)
    done: str  # the toast once done
    dialog: Dialog | None = None  # None: the page has its own form for it (the answer)
    danger: bool = False
    done_when: dict[str, str] = field(default_factory=dict)  # the toast by the status the step led to

    def message(self, status: str) -> str:
        return self.done_when.get(status, self.done)

    def arguments(self, form: object) -> dict[str, Any]:
        if not isinstance(form, dict):
            raise ValidationFailed({"form": NOT_VALID})
        return self.parse(form)


STEPS: dict[str, Step] = {
    "delete_draft": Step(rq.delete_draft, _nothing, N_("The draft has been deleted."), Dialog(
        N_("Delete this draft?"), N_("The draft and its files are deleted. This cannot be undone."), color="red"),
        danger=True),
    "submit": Step(rq.submit, _nothing, SENT, Dialog(
        N_("Send this request?"), N_("The request goes to the responding authority, or first to your coordinator "
                                     "when outgoing requests need approval.")),
        done_when={S.AWAITING_APPROVAL: TO_COORDINATOR}),
    "approve_request": Step(rq.approve_request, _nothing, N_("The request has been approved."), Dialog(
        N_("Approve this request?"), N_("The request is sent to the responding authority, or to the next "
                                        "coordinator who must approve it.")),
        done_when={S.SENT: APPROVED_AND_SENT}),
    "reject_request": Step(rq.reject_request, _reason, N_("The request has been returned."), Dialog(
        N_("Return this request?"), N_("The request goes back to its draft. The request handler sees your "
                                       "reason."), ("reason",), "red"), danger=True),
    "withdraw": Step(rq.withdraw, _reason, N_("The request has been withdrawn."), Dialog(
        N_("Withdraw this request?"), N_("The responding authority is told. A withdrawn request cannot be sent "
                                         "again."), ("reason_optional",), "red"), danger=True),
    "allocate": Step(rq.allocate, _allocate, N_("The allocation has been saved."), Dialog(
        N_("Allocate the request"), N_("Choose the request handlers of your authority who handle this request. "
                                       "While nobody is chosen, every request handler of the area can handle it."),
        ("handlers",))),
    "forward": Step(rq.forward, _forward, N_("The request has been forwarded."), Dialog(
        N_("Forward the request"), N_("Hand the request to another authority of your country that works in this "
                                      "legislative area."), ("authority", "note_optional"))),
    "accept": Step(rq.accept, _accept, N_("The request has been accepted."), Dialog(
        N_("Accept the request"), N_("Agree to the proposed reply date or propose another one. The agreed date "
                                     "becomes the deadline."), ("reply_choice",))),
    "answer": Step(rq.answer, _answer, ANSWER_SENT, done_when={S.ANSWER_AWAITING_APPROVAL: ANSWER_TO_COORDINATOR}),
    "insist": Step(rq.insist, _note, N_("Your reply has been sent."), Dialog(
        N_("Cannot give more information"), N_("Explain why the further information asked for cannot be given."),
        ("note",), note_label=N_("Why can it not be given?"))),
    "approve_answer": Step(rq.approve_answer, _nothing, N_("The answer has been approved."), Dialog(
        N_("Approve this answer?"), N_("The answer is released to the requesting authority, or goes to the next "
                                       "coordinator who must approve it."))),
    "reject_answer": Step(rq.reject_answer, _reason, N_("The answer has been returned."), Dialog(
        N_("Return this answer?"), N_("The answer goes back to the responding request handlers with your reason."),
        ("reason",), "red"), danger=True),
    "accept_answer": Step(rq.accept_answer, _nothing, N_("The request is closed."), Dialog(
        N_("Accept the answer?"), N_("You are satisfied with the answer; the request is closed."))),
    "request_more_info": Step(rq.request_more_info, _more_info, N_("Your question has been sent."), Dialog(
        N_("Ask for more information"), N_("Say what else you need. You may also set a new reply date."),
        ("note", "new_date"), note_label=N_("What else do you need?"))),
    "start_referral": Step(rq.start_referral, _note, N_("The referral has started."), Dialog(
        N_("Start a referral"), N_("The coordinators of both countries give their opinion on whether the "
                                   "information can be given."), ("note",),
        note_label=N_("Why do you ask for a referral?"))),
    "give_opinion": Step(rq.give_opinion, _opinion, N_("Your opinion has been recorded."), Dialog(
        N_("Give your opinion"), N_("Whose position do you support? Both authorities see your reasons."),
        ("opinion", "note"), note_label=N_("Your reasons"))),
    "rate": Step(rq.rate, _rating, N_("Thank you. Your rating has been saved."), Dialog(
        N_("Rate the answer"), N_("How did the responding authority handle this request? The responding "
                                  "authority sees your rating. You can change it for 30 days after the closure."),
        ("rating", "comment"))),
}


__all__ = ["ANSWER_SENT", "ANSWER_TO_COORDINATOR", "APPROVED_AND_SENT", "Dialog", "SENT", "STEPS", "Step",
           "TO_COORDINATOR", "form_id", "form_value"]
