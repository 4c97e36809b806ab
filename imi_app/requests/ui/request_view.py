"""The request page's data as the page shows it: labels in the reader's language, plain rows for the components."""

from __future__ import annotations

from datetime import date
from typing import Any

from imi_app.core import routes
from imi_app.core.i18n import N_, country_name, gettext
from imi_app.requests import data_subject as subject_rights
from imi_app.requests.detail import RequestDetail
from imi_app.requests.lifecycle import REQUESTER, RESPONDER, STATUS_LABELS, TRANSITIONS
from imi_app.requests.steps import STEPS
from imi_app.core.formats import Formats

EVENT_LABELS = {
    "created": N_("Draft created"), "draft_updated": N_("Draft saved"),
    "submitted_for_approval": N_("Sent to the coordinator for approval"), "request_approved": N_("Request approved"),
    "request_rejected": N_("Request returned by the coordinator"), "sent": N_("Sent"), "withdrawn": N_("Withdrawn"),
    "forwarded": N_("Forwarded"), "accepted": N_("Accepted"), "allocated": N_("Allocated"),
    "answer_submitted": N_("Answer sent to the coordinator for approval"), "answered": N_("Answered"),
    "answer_approved": N_("Answer approved"), "answer_rejected": N_("Answer returned by the coordinator"),
    "answer_accepted": N_("Answer accepted"), "more_info_requested": N_("More information asked for"),
    "insisted": N_("No further information can be given"), "referral_started": N_("Referral started"),
    "opinion_given": N_("Opinion given"), "referral_decided": N_("Referral decided"), "file_added": N_("File added"),
    "file_removed": N_("File removed"), "rated": N_("Rated by the requesting authority"),
    "personal_data_blocked": N_("Personal data blocked"), "personal_data_deleted": N_("Personal data deleted"),
    "personal_data_opened": N_("Blocked personal data opened by a local data administrator"),
    "draft_expiry_warned": N_("The author was told that the unsent draft will be deleted"),
    "personal_data_corrected": N_("Personal data corrected by a local data administrator"),
    "coordinator_reminded": N_("The coordinator's staff were reminded of what waits on them"),
    "coordinator_escalated": N_("Escalated to the coordinator above: nobody answered"),
    "personal_data_erased": N_("Personal data erased early by a local data administrator"),
}
WAITING_LABELS = {"approval": N_("Waiting for the approval of {coordinator} since {date} ({days} working days)"),
                  "opinion": N_("Waiting for the opinion of {coordinator} since {date} ({days} working days)")}
RATING_LABELS = {"positive": N_("Positive"), "neutral": N_("Neutral"), "negative": N_("Negative")}
OPINION_LABELS = {"requester": N_("Supports the requesting authority: the information should be given"),
                  "responder": N_("Supports the responding authority: the information cannot be given")}
OUTCOME_LABELS = {"returned": N_("The request returns to the responding authority"),
                  "closed": N_("The request is closed")}
ANSWER_LABELS = {"yes": N_("Yes"), "no": N_("No")}
SIDE_LABELS = {REQUESTER: N_("Requesting authority"), RESPONDER: N_("Responding authority")}
DELETED_SUBJECT = N_("Subject deleted with the personal data")
# Shown where the page's own element stands in for the button: the upload zone.
NOT_BUTTONS = ("attach_to_request", "attach_to_answer")


def shown_subject(subject: str, language: str) -> str:
    """A request's subject in a list or heading; once retention deleted it, words saying so (never empty)."""
    return subject or gettext(language, DELETED_SUBJECT)


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB" if size >= 1024 else f"{size} B"


def _authority(ref, language: str) -> dict[str, str]:
    return {"name": ref.name, "country": country_name(ref.country_code, language) if ref.country_code else ""}


def header(d: RequestDetail, language: str, fmt: Formats) -> dict[str, Any]:
    requesting, responding = _authority(d.requesting, language), _authority(d.responding, language)
    return {
        "case_id": d.case_id, "subject": shown_subject(d.subject, language), "status": d.status,
        "status_label": gettext(language, STATUS_LABELS.get(d.status, d.status)), "area": d.area_name,
        "requesting": requesting["name"], "requesting_country": requesting["country"],
        "responding": responding["name"], "responding_country": responding["country"],
        "forwarded_from": d.forwarded_from.name if d.forwarded_from else "",
        "deadline": fmt.day(d.deadline), "proposed": fmt.day(d.proposed_reply_date),
        "agreed": fmt.day(d.agreed_reply_date), "sent": fmt.moment(d.sent_at), "created": fmt.moment(d.created_at),
        "allocated": ", ".join(name for _id, name in d.allocated), "free_text": d.free_text, "reply": d.reply,
        "pending_reply": d.pending_reply, "side": d.side or "",
        # Retention: at most one of these is set (requests.retention, requests.blocking).
        "deleted_on": fmt.day(d.personal_data_deleted_at),
        "blocked_on": fmt.day(d.personal_data_blocked_at) if d.personal_data_blocked and not d.personal_data_deleted_at
        else "",
        "opened": "1" if d.personal_data_blocked_at and not d.personal_data_blocked and not d.personal_data_deleted_at
        else "",
        # Whom it waits on (requests.escalation); "escalated" once twice the reminder's working days have passed.
        "waiting": "; ".join(gettext(language, WAITING_LABELS[w.what], coordinator=w.coordinator,
                                     date=fmt.day(w.since.date()), days=w.working_days) for w in d.waiting),
        "escalated": "1" if any(w.escalated for w in d.waiting) else "",
    }


def questions(d: RequestDetail, language: str, fmt: Formats) -> list[dict[str, str]]:
    rows = []
    for q in d.questions:
        shown = q.answer or ""
        if q.answer_type == "yes_no" and shown in ANSWER_LABELS:
            shown = gettext(language, ANSWER_LABELS[shown])
        elif q.answer_type == "date" and shown:
            shown = fmt.day(shown)
        rows.append({"id": str(q.question_id), "text": q.text, "type": q.answer_type, "answer": shown,
                     "raw": q.answer or ""})
    return rows


def person(d: RequestDetail, fmt: Formats) -> dict[str, str]:
    p = d.person
    if p is None:
        return {}
    return {"kind": p.kind, "full_name": p.full_name, "birth_date": fmt.day(p.birth_date), "nationality": p.nationality,
            "registration_number": p.registration_number, "address": p.address, "other_details": p.other_details}


def files(d: RequestDetail, language: str, fmt: Formats, can_remove: bool) -> list[dict[str, Any]]:
    return [{"id": str(f.id), "name": f.name, "size": file_size(f.size), "href": routes.file_download(f.id),
             "side": gettext(language, SIDE_LABELS.get(f.side, f.side)), "at": fmt.moment(f.created_at),
             "removable": can_remove and f.side == d.side} for f in d.attachments]


def _extra(kind: str, data: dict, language: str, fmt: Formats) -> str:
    if kind in ("accepted", "more_info_requested") and data.get("reply_date"):
        return gettext(language, N_("Reply date: {date}"), date=fmt.day(str(data["reply_date"])))
    if kind == "opinion_given" and data.get("opinion") in OPINION_LABELS:
        return gettext(language, OPINION_LABELS[data["opinion"]])
    if kind == "referral_decided" and data.get("outcome") in OUTCOME_LABELS:
        return gettext(language, OUTCOME_LABELS[data["outcome"]])
    if kind == "rated" and data.get("timeliness") in RATING_LABELS and data.get("efforts") in RATING_LABELS:
        return gettext(language, N_("Timeliness: {timeliness} · Efforts made: {efforts}"),
                       timeliness=gettext(language, RATING_LABELS[data["timeliness"]]),
                       efforts=gettext(language, RATING_LABELS[data["efforts"]]))
    if kind == "personal_data_corrected" and data.get("field") in subject_rights.FIELDS:
        return gettext(language, N_("Field: {field}"), field=gettext(language, subject_rights.FIELDS[data["field"]]))
    if kind == "personal_data_erased" and data.get("ground") in subject_rights.GROUNDS:
        return gettext(language, subject_rights.GROUNDS[data["ground"]])
    if kind in ("coordinator_reminded", "coordinator_escalated") and data.get("days"):
        return gettext(language, N_("{days} working days without an answer"), days=data["days"])
    if kind == "request_approved" and data.get("sent"):
        return gettext(language, N_("Sent to the responding authority"))
    return ""


def timeline(d: RequestDetail, language: str, fmt: Formats) -> list[dict[str, str]]:
    rows = []
    for index, e in enumerate(d.timeline):
        who = " · ".join(part for part in (e.actor_name, e.actor_authority) if part)
        rows.append({"key": str(index), "kind": e.kind, "label": gettext(language, EVENT_LABELS.get(e.kind, e.kind)),
                     "at": fmt.moment(e.at), "who": who, "note": e.note,
                     "extra": _extra(e.kind, e.data, language, fmt)})
    return list(reversed(rows))  # newest first


def opinions(d: RequestDetail, language: str, fmt: Formats) -> list[dict[str, str]]:
    return [{"coordinator": o.coordinator.name, "country": country_name(o.coordinator.country_code, language),
             "opinion": gettext(language, OPINION_LABELS[o.opinion]) if o.opinion in OPINION_LABELS
             else gettext(language, N_("Opinion not given yet")), "given": "1" if o.at else "", "note": o.note,
             "at": fmt.moment(o.at)} for o in d.opinions]


def buttons(d: RequestDetail, language: str) -> list[dict[str, str]]:
    def danger(name: str) -> bool:
        return name in STEPS and STEPS[name].danger

    return [{"name": name, "label": gettext(language, TRANSITIONS[name].label),
             "color": "red" if danger(name) else "indigo", "variant": "soft" if danger(name) else "solid"}
            for name in d.actions if name not in NOT_BUTTONS and name in TRANSITIONS]
