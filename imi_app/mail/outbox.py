"""The transactional outbox: mails are queued inside the caller's transaction and sent after commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, func, select

from imi_app.mail.templates import render
from imi_app.core.time import as_utc, utcnow
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.core.settings import get_settings

DELIVERED_BODY = "[delivered — content removed]"
UNDELIVERED_BODY = "[not delivered — content removed]"
MAX_PAGE_SIZE = 200


def _check_recipient(recipient: str) -> str:
    address = recipient.strip()
    # A CR/LF here would let a caller inject headers into the mail.
    if not 3 <= len(address) <= 254 or "@" not in address or any(ord(c) < 32 for c in address):
        raise ValueError("recipient must be a single e-mail address")
    return address


def queue_mail(
    session: Session,
    *,
    recipient: str,
    kind: str,
    language: str,
    params: dict,
    user_id: int | None = None,
    request_id: int | None = None,
) -> OutboxMail:
    """Render the mail in the recipient's language and add it to `session` (not committed).

    It commits with the change that caused it, so a rollback sends nothing (REL-2).
    `url` and `hours` default to the public URL and the temporary-password lifetime.
    """
    settings = get_settings()
    values = {"url": settings.public_url, "hours": settings.temp_password_hours, **params}
    subject, body = render(kind, language, **values)
    now = utcnow()
    mail = OutboxMail(
        created_at=now,
        recipient=_check_recipient(recipient),
        user_id=user_id,
        request_id=request_id,
        kind=kind,
        language=(language or "en")[:8],
        subject=subject,
        body_text=body,
        status=MailStatus.PENDING,
        next_attempt_at=now,
    )
    session.add(mail)
    return mail


def list_mail(
    session: Session, *, page: int, page_size: int = 25, status: str | None = None
) -> tuple[list[OutboxMail], int]:
    """One page (1-based) of outbox rows, newest first, and the total count.

    The rows are detached copies with an empty body_text: a pending mail carries a temporary
    password, which the administrator must never see (SEC-7).
    """
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    where = [OutboxMail.status == status] if status else []
    total = session.exec(select(func.count()).select_from(OutboxMail).where(*where)).one()
    columns = [c for c in OutboxMail.__table__.columns if c.name != "body_text"]
    rows = session.execute(
        sa.select(*columns)
        .where(*where)
        .order_by(sa.desc(OutboxMail.created_at), sa.desc(OutboxMail.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).mappings()
    return [_copy_without_body(row) for row in rows], int(total)


def _copy_without_body(row) -> OutboxMail:
    values = {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items()}
    return OutboxMail(**values, body_text="")
