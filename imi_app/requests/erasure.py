"""Removing a request's personal data: the whole of a draft, or every copy of an exchange's personal data
while its statistical skeleton stays (case id, area, authorities, dates, status, the timeline's steps).

Personal data of an exchange lives in: the person card (request_person), the subject and the request text,
the answers (request_question.answer and the released snapshot on the timeline), the replies, notes and
reasons on the timeline, the referral opinions' notes, the rating's comment, the attachments (rows and files)
and the notification mails about it (mail_outbox.request_id). The audit log records only states and ids
(requests.frame.finish), so it keeps nothing of these.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from imi_app.core.settings import get_settings
from imi_app.mail.models import OutboxMail
from imi_app.mail.transport import eml_path
from imi_app.requests.attachments import after_transaction, remove_files_after_commit
from imi_app.requests.models import (
    Attachment, InfoRequest, ReferralOpinion, RequestAllocation, RequestEvent, RequestFigures, RequestPerson,
    RequestQuestion, RequestRating,
)

# Keys of a timeline entry's data that hold what people wrote (the released answers, a reply). What stays is
# what the scoreboard derives from the timeline (requests.figures): kinds, dates, outcomes, ratings' values.
PERSONAL_KEYS = ("reply",)
RELEASED = "released"  # kept as an empty snapshot: its presence marks the answer's release for the figures


def _stored_files(session: Session, request_id: int) -> list[str]:
    return list(session.exec(select(Attachment.stored_name).where(Attachment.request_id == request_id)).all())


def _remove_mail_files_after_commit(session: Session, request_id: int) -> None:
    """The .eml copies of the request's mails (written where no SMTP is set up) go with their outbox rows."""
    settings = get_settings()
    paths = [eml_path(mail, settings) for mail in session.exec(select(OutboxMail).where(
        OutboxMail.request_id == request_id)).all()]
    if paths:
        after_transaction(session, on_commit=lambda: [path.unlink(missing_ok=True) for path in paths])


def _delete_where(session: Session, model, request_id: int) -> None:
    session.execute(sa.delete(model).where(model.request_id == request_id))


def delete_request(session: Session, request: InfoRequest) -> int:
    """Deletes the request with everything it has, files once committed; returns the number of files."""
    stored = _stored_files(session, request.id)  # type: ignore[arg-type]
    _remove_mail_files_after_commit(session, request.id)  # type: ignore[arg-type]
    for model in (RequestQuestion, RequestAllocation, RequestEvent, Attachment, ReferralOpinion, RequestPerson,
                  RequestRating, RequestFigures, OutboxMail):
        _delete_where(session, model, request.id)  # type: ignore[arg-type]
    session.delete(request)
    session.flush()
    remove_files_after_commit(session, stored)
    return len(stored)


def _scrubbed(data: dict | None) -> dict | None:
    if not isinstance(data, dict):
        return data
    kept = {key: value for key, value in data.items() if key not in PERSONAL_KEYS}
    if RELEASED in kept:
        kept[RELEASED] = {"answers": {}, "reply": ""}
    return kept


def erase_personal_data(session: Session, request: InfoRequest, now: datetime) -> int:
    """Deletes every copy of the request's personal data (rows deleted where they are rows of their own,
    texts emptied where they are columns of the skeleton); files go once committed. Returns the file count."""
    stored = _stored_files(session, request.id)  # type: ignore[arg-type]
    _remove_mail_files_after_commit(session, request.id)  # type: ignore[arg-type]
    for model in (RequestPerson, Attachment, OutboxMail):
        _delete_where(session, model, request.id)  # type: ignore[arg-type]
    session.execute(sa.update(RequestQuestion).where(RequestQuestion.request_id == request.id)
                    .values(answer=None))
    session.execute(sa.update(ReferralOpinion).where(ReferralOpinion.request_id == request.id).values(note=""))
    session.execute(sa.update(RequestRating).where(RequestRating.request_id == request.id).values(comment=""))
    for event in session.exec(select(RequestEvent).where(RequestEvent.request_id == request.id)).all():
        event.note, event.data = "", _scrubbed(event.data)
        session.add(event)
    request.subject, request.free_text = "", ""
    request.personal_data_blocked_at = request.personal_data_blocked_at or now
    request.personal_data_deleted_at = now
    session.add(request)
    session.flush()
    remove_files_after_commit(session, stored)
    return len(stored)


__all__ = ["PERSONAL_KEYS", "delete_request", "erase_personal_data"]
