"""Who is told what about a request: immediate mails or a daily digest, and the deadline reminders.

Every mail goes through the outbox inside the step's transaction, so a rolled-back step sends
nothing. Mails carry the case id, subject, area and authorities — never personal data. The person
who acted is never told about their own step, and nobody gets two mails about one event.
Users who chose the daily digest (User.notify_mode == "digest") get their notifications held
(OutboxMail.status "held", not picked by the sender) and merged by `send_digests` into one mail.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.core.formats import Formats
from imi_app.core.db import session_scope
from imi_app.core.i18n import available_languages, country_name, gettext, localized
from imi_app.mail.outbox import queue_mail
from imi_app.mail.templates import REFERRAL_CLOSED, REFERRAL_RETURNED
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.requests.models import InfoRequest, RequestAllocation, RequestEvent, RequestStatus
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.core.time import as_utc, utcnow
from imi_app.core import audit
from imi_app.core.settings import get_settings

log = logging.getLogger(__name__)

HELD, DIGESTED = MailStatus.HELD, MailStatus.DIGESTED
DIGEST = "digest"
IMMEDIATE = "immediate"
REMINDER_DAYS = 2
REMINDER_BATCH = 200
REMINDER_KINDS = ("deadline_soon", "deadline_passed")


def _active_users(query) -> sa.Select:
    return query.where(User.is_active.is_(True), col(User.blocked_at).is_(None))


def handlers(session: Session, authority_id: int, area_id: int) -> list[User]:
    """The active request handlers of an authority in one area."""
    return list(session.exec(_active_users(select(User).join(RoleAssignment, RoleAssignment.user_id == User.id).where(
        User.authority_id == authority_id, RoleAssignment.area_id == area_id,
        RoleAssignment.role == Role.REQUEST_HANDLER)).order_by(User.id)).all())


def responder_handlers(session: Session, request: InfoRequest) -> list[User]:
    """The allocated handlers still handling the area, or all handlers of the area while nobody is allocated."""
    everyone = handlers(session, request.responding_authority_id, request.area_id)
    allocated = set(session.exec(select(RequestAllocation.user_id).where(
        RequestAllocation.request_id == request.id)).all())
    chosen = [u for u in everyone if u.id in allocated]
    return chosen or everyone


def requester_handlers(session: Session, request: InfoRequest) -> list[User]:
    """The handler who wrote the request while they still handle the area, otherwise every handler of it."""
    everyone = handlers(session, request.requesting_authority_id, request.area_id)
    author = [u for u in everyone if u.id == request.created_by_user_id]
    return author or everyone


def coordinator_staff(session: Session, coordinator_id: int, area_id: int, *,
                      referee_user_id: int | None = None) -> list[User]:
    """Who acts for a coordinator in an area: its approver-referee when it named one, else its data administrators
    (approvals: both)."""
    if referee_user_id is not None:
        user = session.get(User, referee_user_id)
        if user is not None and user.is_active and user.blocked_at is None and user.authority_id == coordinator_id:
            return [user]
    roles = (Role.DATA_ADMINISTRATOR,) if referee_user_id is not None else (Role.DATA_ADMINISTRATOR,
                                                                             Role.APPROVER_REFEREE)
    return list(session.exec(_active_users(select(User).join(RoleAssignment, RoleAssignment.user_id == User.id).where(
        User.authority_id == coordinator_id, RoleAssignment.area_id == area_id,
        col(RoleAssignment.role).in_(roles))).distinct().order_by(User.id)).all())


def authority_language(authority: Authority) -> str:
    """A contact address gets the authority's own language when IMI has it (not English if it has another)."""
    languages = [code.strip() for code in (authority.languages or "").split(",") if code.strip()]
    known = [code for code in languages if code in available_languages()]
    return next((code for code in known if code != "en"), known[0] if known else "en")


TRANSLATED = ("outcome", "field")  # extra values that are texts to translate (N_), not names or numbers


def _params(session: Session, request: InfoRequest, language: str, extra: dict | None) -> dict:
    area = session.get(LegislativeArea, request.area_id)
    requester = session.get(Authority, request.requesting_authority_id)
    responder = session.get(Authority, request.responding_authority_id)
    names = dict(area.names) if area else {}
    return {
        "case_id": request.case_id, "subject": request.subject,
        "area": localized(names, language, area.code if area else ""),
        "requesting_authority": requester.official_name if requester else "",
        "requesting_country": country_name(requester.country_code, language) if requester else "",
        "responding_authority": responder.official_name if responder else "",
        "deadline": Formats(language).day(request.deadline) or "—",
        "reply_date": Formats(language).day(request.proposed_reply_date) or "—",
        **{key: gettext(language, value) if key in TRANSLATED else value for key, value in (extra or {}).items()},
    }


def notify(session: Session, *, request: InfoRequest, kind: str, users: Iterable[User], actor: User | None,
           addresses: Iterable[tuple[str, str]] = (), extra: dict | None = None) -> int:
    """Queues mail `kind` about `request` for each user (and each (address, language)) once, never to the actor.

    Digest users get it held for their daily summary. Returns how many notifications were queued.
    """
    seen: set[str] = set()
    if actor is not None:
        seen.add(actor.email.strip().casefold())
    count = 0
    for user in users:
        key = user.email.strip().casefold()
        if key in seen or (actor is not None and user.id == actor.id) or not user.is_active:
            continue
        seen.add(key)
        mail = queue_mail(session, recipient=user.email, kind=kind, language=user.language,
                          params=_params(session, request, user.language, extra), user_id=user.id,
                          request_id=request.id)
        if user.notify_mode == DIGEST:
            mail.status = HELD
        count += 1
    for address, language in addresses:
        key = address.strip().casefold()
        if not key or key in seen:
            continue
        seen.add(key)
        queue_mail(session, recipient=address, kind=kind, language=language,
                   params=_params(session, request, language, extra), request_id=request.id)
        count += 1
    return count


def notify_new_incoming(session: Session, *, request: InfoRequest, actor: User | None) -> int:
    """A request arrived: every handler of the responding authority in the area and its contact address."""
    responder = session.get(Authority, request.responding_authority_id)
    addresses = [(responder.contact_email, authority_language(responder))] if responder else []
    return notify(session, request=request, kind="request_received", actor=actor,
                  users=handlers(session, request.responding_authority_id, request.area_id), addresses=addresses)


def referral_outcome(returned: bool) -> dict:
    return {"outcome": REFERRAL_RETURNED if returned else REFERRAL_CLOSED}


# --- deadline reminders ------------------------------------------------------------------------

def _not_reminded(kind: str):
    reminded = sa.select(RequestEvent.id).where(
        RequestEvent.request_id == InfoRequest.id, RequestEvent.kind == kind,
        RequestEvent.note == sa.cast(InfoRequest.deadline, sa.String)).correlate(InfoRequest)
    return ~sa.exists(reminded)


def send_deadline_reminders(session: Session, *, now: datetime | None = None) -> int:
    """Reminds the responder's handlers once per deadline: 2 days before it and once it has passed.

    The reminder is recorded as a RequestEvent (its note holds the deadline), so running this again,
    or in two workers, reminds nobody twice; a new agreed deadline gets its own reminders. Reminders
    change no state of the request and so do not bump its version.
    """
    today = (as_utc(now) if now else utcnow()).date()
    sent = 0
    for kind, condition in (("deadline_passed", InfoRequest.deadline < today),
                            ("deadline_soon", sa.and_(InfoRequest.deadline >= today,
                                                      InfoRequest.deadline <= today + timedelta(days=REMINDER_DAYS)))):
        rows = session.exec(select(InfoRequest).where(
            InfoRequest.status == RequestStatus.ACCEPTED, col(InfoRequest.deadline).is_not(None),
            condition, _not_reminded(kind)).order_by(InfoRequest.deadline, InfoRequest.id)
            .limit(REMINDER_BATCH).with_for_update(skip_locked=True)).all()
        for request in rows:
            session.add(RequestEvent(request_id=request.id, kind=kind, note=request.deadline.isoformat(),
                                     data={"internal": "responder"}))
            notify(session, request=request, kind=kind, users=responder_handlers(session, request), actor=None)
            audit.record(session, action=f"request.{kind}", actor=None, object_type="info_request",
                         object_id=request.id, after={"deadline": request.deadline.isoformat()})
            sent += 1
    return sent


# --- the daily digest --------------------------------------------------------------------------

def send_digests(session: Session, *, now: datetime | None = None) -> int:
    """Merges each user's held notifications into one digest mail in their language; returns mails queued."""
    now = as_utc(now) if now else utcnow()
    held = session.exec(select(OutboxMail).where(OutboxMail.status == HELD, col(OutboxMail.user_id).is_not(None))
                        .order_by(OutboxMail.user_id, OutboxMail.id).with_for_update(skip_locked=True)).all()
    by_user: dict[int, list[OutboxMail]] = {}
    for mail in held:
        by_user.setdefault(mail.user_id, []).append(mail)  # type: ignore[arg-type]
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(list(by_user))))}  # type: ignore[union-attr]
    queued = 0
    for user_id, mails in by_user.items():
        user = users.get(user_id)
        if user is not None and user.is_active:
            items = "\n".join(f"- {m.subject}" for m in mails)
            queue_mail(session, recipient=user.email, kind="digest", language=user.language, user_id=user.id,
                       params={"name": user.full_name, "items": items})
            queued += 1
        for mail in mails:
            mail.status, mail.sent_at = DIGESTED, now
    return queued


_last_digest_day = None


def _digest_sent_today(session: Session, now: datetime) -> bool:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return session.exec(select(OutboxMail.id).where(OutboxMail.kind == "digest",
                                                    OutboxMail.created_at >= start).limit(1)).first() is not None


def run_due_jobs(*, now: datetime | None = None, url: str | None = None) -> None:
    """One round: deadline reminders, and the digest once a day after `digest_hour` (UTC)."""
    global _last_digest_day
    now = as_utc(now) if now else utcnow()
    while True:
        with session_scope(url) as session:
            if send_deadline_reminders(session, now=now) < REMINDER_BATCH:
                break
    if now.hour >= get_settings().digest_hour and _last_digest_day != now.date():
        with session_scope(url) as session:
            if not _digest_sent_today(session, now):
                send_digests(session, now=now)
        _last_digest_day = now.date()


async def run_request_jobs() -> None:
    """Lifespan task: runs `run_due_jobs` every `request_jobs_poll_seconds` until cancelled."""
    log.info("request jobs started")
    try:
        while True:
            try:
                await asyncio.to_thread(run_due_jobs)
            except Exception:
                log.exception("request jobs round failed; retrying")
            await asyncio.sleep(get_settings().request_jobs_poll_seconds)
    except asyncio.CancelledError:
        log.info("request jobs stopped")


__all__ = ["DIGESTED", "HELD", "authority_language", "coordinator_staff", "handlers", "notify",
           "notify_new_incoming", "referral_outcome", "requester_handlers", "responder_handlers", "run_due_jobs",
           "run_request_jobs", "send_deadline_reminders", "send_digests"]
