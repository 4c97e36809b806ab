"""The background sender: delivers due outbox mails after commit, retrying with backoff."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from imi_app.core import incidents
from imi_app.core.db import session_scope
from imi_app.mail.outbox import DELIVERED_BODY, UNDELIVERED_BODY
from imi_app.mail.transport import deliver, remove_expired_secret_files
from imi_app.core.time import as_utc, utcnow
from imi_app.mail.models import UNREADABLE_BODY, MailStatus, OutboxMail
from imi_app.core.settings import get_settings

logger = logging.getLogger(__name__)

# A claimed mail is hidden from other workers this long; a worker that dies mid-send thus
# delays the mail instead of losing it. Far above the SMTP timeouts of one delivery.
CLAIM_LEASE = timedelta(minutes=5)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: 30 s, 1 min, 2 min … at most 1 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _claim_next(now: datetime, url: str | None) -> OutboxMail | None:
    # Claimed in its own short transaction and sent outside it: holding a transaction over
    # the network would, on SQLite, block every other writer for the SMTP round trip.
    with session_scope(url) as session:
        row = session.exec(
            select(OutboxMail)
            .where(OutboxMail.status == MailStatus.PENDING, OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.created_at, OutboxMail.id)
            .limit(1)
            # PostgreSQL: two workers never take the same row. SQLite renders no FOR UPDATE;
            # its BEGIN IMMEDIATE already serialises the claims.
            .with_for_update(skip_locked=True)
        ).first()
        if row is not None:
            row.next_attempt_at = now + CLAIM_LEASE
        return row


def _error_text(exc: Exception, body: str) -> str:
    text = f"{type(exc).__name__}: {exc}"
    # Never let a fragment of the mail (it may hold a temporary password) into the table.
    if any(len(line) >= 8 and line in text for line in body.splitlines()):
        text = type(exc).__name__
    return text[:500]


def _record(mail_id: int, url: str | None, now: datetime, status: str | None, error: str,
            give_up: bool = False) -> None:
    max_attempts = 1 if give_up else get_settings().mail_max_attempts
    with session_scope(url) as session:
        row = session.get(OutboxMail, mail_id)
        if row is None or row.status != MailStatus.PENDING:
            return
        if status is not None:
            row.status, row.sent_at, row.last_error = status, now, ""
            row.body_text = DELIVERED_BODY
            return
        row.attempts += 1
        row.last_error = error
        if row.attempts >= max_attempts:
            row.status = MailStatus.FAILED
            # Nobody can use it any more; a new mail needs a new temporary password anyway.
            row.body_text = UNDELIVERED_BODY
        else:
            row.next_attempt_at = now + backoff(row.attempts)


def deliver_due(*, now: datetime | None = None, url: str | None = None, limit: int = 50) -> int:
    """Send up to `limit` pending mails that are due; returns how many were delivered."""
    now = as_utc(now).astimezone(UTC) if now else utcnow()
    settings = get_settings()
    delivered = 0
    for _ in range(limit):
        mail = _claim_next(now, url)
        if mail is None:
            break
        if mail.body_text == UNREADABLE_BODY:
            logger.error("mail %s (%s) cannot be decrypted: IMI_TOTP_KEY has changed", mail.id, mail.kind)
            _record(mail.id, url, now, None, "the body cannot be decrypted with the configured key", give_up=True)
            continue
        try:
            status = deliver(mail, settings)
        except Exception as exc:  # noqa: BLE001 - any failure is retried later
            error = _error_text(exc, mail.body_text)
            logger.warning("mail %s (%s) not delivered: %s", mail.id, mail.kind, error)
            _record(mail.id, url, now, None, error)
            continue
        _record(mail.id, url, now, status, "")
        delivered += 1
    return delivered


def remove_expired_files(now: datetime | None = None) -> int:
    """Without SMTP: the .eml files of temporary-password mails go once the password has expired."""
    return remove_expired_secret_files(get_settings(), as_utc(now) if now else utcnow())


async def run_sender() -> None:
    """Lifespan task: every `mail_poll_seconds` deliver due mails and remove expired mail files,
    until cancelled."""
    logger.info("mail sender started")
    try:
        while True:
            try:
                await asyncio.to_thread(deliver_due)
                await asyncio.to_thread(remove_expired_files)
            except Exception as exc:  # noqa: BLE001 - the next round tries again
                # Its message may list a failing row (a recipient, a body): an error id instead.
                incidents.report(exc, "mail sender round; retrying")
            await asyncio.sleep(get_settings().mail_poll_seconds)
    except asyncio.CancelledError:
        logger.info("mail sender stopped")
