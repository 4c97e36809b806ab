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
from sqlmodel import Session, col, select

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


def _stored_files(session: Session, request_ids: list[int]) -> list[str]:
    return list(session.exec(select(Attachment.stored_name).where(col(Attachment.request_id).in_(request_ids))).all())


def _remove_mail_files_after_commit(session: Session, request_ids: list[int]) -> None:
    """The .eml copies of the requests' mails (written where no SMTP is set up) go with their outbox rows."""
    settings = get_settings()
    paths = [eml_path(mail, settings) for mail in session.exec(select(OutboxMail).where(
        col(OutboxMail.request_id).in_(request_ids))).all()]
    if paths:
        after_transaction(session, on_commit=lambda: [path.unlink(missing_ok=True) for path in paths])


def _delete_where(session: Session, model, request_id: int) -> None:
    session.execute(sa.delete(model).where(model.request_id == request_id))


def delete_request(session: Session, request: InfoRequest) -> int:
    """Deletes the request with everything it has, files once committed; returns the number of files."""
    stored = _stored_files(session, [request.id])  # type: ignore[list-item]
    _remove_mail_files_after_commit(session, [request.id])  # type: ignore[list-item]
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
    """Deletes every copy of the request's personal data; see `erase_personal_data_of`."""
    return erase_personal_data_of(session, [request.id], now)  # type: ignore[list-item]


def erase_personal_data_of(session: Session, request_ids: list[int], now: datetime) -> int:
    """Deletes every copy of the requests' personal data (rows deleted where they are rows of their own, texts
    emptied where they are columns of the skeleton), a statement per table for all of them at once; files go
    once committed. Returns the file count. Objects of these requests the session holds are brought up to date."""
    if not request_ids:
        return 0
    stored = _stored_files(session, request_ids)
    _remove_mail_files_after_commit(session, request_ids)
    for model in (RequestPerson, Attachment, OutboxMail):
        session.execute(sa.delete(model).where(col(model.request_id).in_(request_ids)))
    for model, column, empty in ((RequestQuestion, "answer", None), (ReferralOpinion, "note", ""),
                                 (RequestRating, "comment", "")):
        session.execute(sa.update(model).where(col(model.request_id).in_(request_ids)).values({column: empty}))
    events = col(RequestEvent.request_id).in_(request_ids)
    session.execute(sa.update(RequestEvent).where(events, RequestEvent.note != "").values(note=""))
    scrubbed = [{"id": event_id, "data": _scrubbed(data)} for event_id, data in session.execute(
        sa.select(RequestEvent.id, RequestEvent.data).where(events, col(RequestEvent.data).is_not(None)))
        if _scrubbed(data) != data]
    if scrubbed:
        session.execute(sa.update(RequestEvent), scrubbed)  # by primary key, one statement for the lot
    session.execute(sa.update(InfoRequest).where(col(InfoRequest.id).in_(request_ids)).values(
        subject="", free_text="", personal_data_deleted_at=now,
        personal_data_blocked_at=sa.func.coalesce(InfoRequest.personal_data_blocked_at, now)),
        execution_options={"synchronize_session": "fetch"})
    remove_files_after_commit(session, stored)
    return len(stored)


__all__ = ["PERSONAL_KEYS", "delete_request", "erase_personal_data", "erase_personal_data_of"]
