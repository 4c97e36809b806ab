"""Retention of personal data (Regulation (EU) 1024/2012 Art. 14), run daily and by `python -m imi_app.manage
retention [--dry-run]`.

- An exchange's personal data is blocked `block_months` after its closure or withdrawal (closed_at): readers
  see the exchange as proof, without the data (requests.detail).
- It is deleted `delete_months` after closure: requests.erasure.erase_personal_data_of; the skeleton stays.
- A draft never sent is deleted `draft_days` after its last change; its author is told `draft_warning_days`
  before (once per version of the draft: the warning's timeline entry names the change it counts from).
- Mail that has left the outbox is deleted `mail_keep_days` after it was queued; attachment files no row
  names (left by a crash between a commit and the file's removal) are removed.

Periods are the installation's settings unless the legislative area holds longer ones (authorities.models).
Every phase works in batches of `retention_batch`, one transaction each (blocking and deletion as a few
set-based statements per batch, so the job holds neither the database nor the interpreter long): a crash loses
at most the batch in hand, and the next run takes up what is still due. Two workers at once skip each other's rows (PostgreSQL
SKIP LOCKED; SQLite lets one writer at a time). Each run that changed anything writes one audit entry with its
counts; each request's step is on its timeline. Once a month the local data administrators of the authorities
taking part are mailed the list of last month's blocked and deleted exchanges.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.accounts.models import User
from imi_app.authorities.models import LegislativeArea
from imi_app.core import audit
from imi_app.core.actions import query
from imi_app.core.db import session_scope
from imi_app.core.jobs import in_own_process, repeat
from imi_app.core.formats import Formats
from imi_app.core.settings import get_settings
from imi_app.core.time import as_utc, utcnow
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.mail.outbox import queue_mail
from imi_app.mail.transport import remove_old_mail_files
from imi_app.requests.erasure import delete_request, erase_personal_data_of
from imi_app.requests.frame import record_event
from imi_app.requests.lifecycle import REQUESTER
from imi_app.requests.models import Attachment, InfoRequest, RequestEvent, RequestStatus

log = logging.getLogger(__name__)

CLOSED = (RequestStatus.CLOSED, RequestStatus.WITHDRAWN)
BLOCKED_EVENT, DELETED_EVENT, WARNED_EVENT = "personal_data_blocked", "personal_data_deleted", "draft_expiry_warned"
RUN_ACTION = "retention.run"
LEFT_MAIL = (MailStatus.SENT, MailStatus.WRITTEN, MailStatus.FAILED, MailStatus.DIGESTED)
REPORT_KIND = "retention_report"
REPORT_LOCK = 4_242_002  # PostgreSQL advisory lock key: one worker at a time queues the monthly reports
ORPHAN_MINUTES = 60  # an unreferenced file younger than this may belong to an upload not yet committed


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day where it is shorter)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    following = datetime(year + month // 12, month % 12 + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


@dataclass(frozen=True)
class Periods:
    block_months: int
    delete_months: int


def area_periods(session: Session) -> tuple[Periods, dict[int, Periods]]:
    """The installation's periods, and each area's that differs from them."""
    settings = get_settings()
    default = Periods(settings.retention_block_months, settings.retention_delete_months)
    own = {}
    for area in session.exec(select(LegislativeArea).where(sa.or_(col(LegislativeArea.block_months).is_not(None),
                                                                  col(LegislativeArea.delete_months).is_not(None)))):
        own[area.id] = Periods(area.block_months or default.block_months, area.delete_months or default.delete_months)
    return default, own


@dataclass(frozen=True)
class AreaPeriods:
    code: str
    names: dict[str, str]
    periods: Periods


@query
def periods_in_force(session: Session) -> tuple[Periods, list[AreaPeriods]]:
    """What the privacy notice tells: the installation's periods, and the areas that keep data longer, by code."""
    default, own = area_periods(session)
    if not own:
        return default, []
    areas = session.exec(select(LegislativeArea).where(col(LegislativeArea.id).in_(list(own)))
                         .order_by(LegislativeArea.code)).all()
    return default, [AreaPeriods(area.code, dict(area.names or {}), own[area.id]) for area in areas]  # type: ignore[index]


MAX_BLOCK_MONTHS = 18  # Art. 14(1): blocked at the latest 18 months after the formal closure


def set_area_periods(session: Session, code: str, *, block_months: int | None,
                     delete_months: int | None) -> LegislativeArea:
    """An area's own periods where its law asks for longer ones (None: the installation's), audited."""
    area = session.exec(select(LegislativeArea).where(LegislativeArea.code == code)).first()
    if area is None:
        raise ValueError(f"no legislative area with the code {code!r}")
    settings = get_settings()
    block = block_months or settings.retention_block_months
    delete = delete_months or settings.retention_delete_months
    if not 1 <= block <= MAX_BLOCK_MONTHS:
        raise ValueError(f"personal data is blocked after 1 to {MAX_BLOCK_MONTHS} months, not {block}")
    if delete < block:
        raise ValueError(f"deletion ({delete} months) cannot come before blocking ({block} months)")
    before = {"block_months": area.block_months, "delete_months": area.delete_months}
    area.block_months, area.delete_months = block_months, delete_months
    session.add(area)
    audit.record(session, action="area.retention_periods", actor=None, object_type="legislative_area",
                 object_id=area.id, before=before, after={"block_months": block_months, "delete_months": delete_months})
    return area


def _closed_before(session: Session, now: datetime, months_of) -> sa.ColumnElement[bool]:
    """closed_at is at least the area's period (`months_of(Periods)`) ago: one range per distinct period."""
    default, own = area_periods(session)
    groups: dict[int, list[int]] = {}
    for area_id, periods in own.items():
        groups.setdefault(months_of(periods), []).append(area_id)
    conditions = [sa.and_(col(InfoRequest.area_id).in_(ids), InfoRequest.closed_at <= months_before(now, months))
                  for months, ids in groups.items()]
    rest = InfoRequest.closed_at <= months_before(now, months_of(default))
    conditions.append(sa.and_(col(InfoRequest.area_id).not_in(list(own)), rest) if own else rest)
    return sa.and_(col(InfoRequest.status).in_(CLOSED), col(InfoRequest.closed_at).is_not(None), sa.or_(*conditions))


def _due_to_block(session: Session, now: datetime):
    return select(InfoRequest).where(col(InfoRequest.personal_data_blocked_at).is_(None),
                                     _closed_before(session, now, lambda p: p.block_months))


def _due_to_delete(session: Session, now: datetime):
    return select(InfoRequest).where(col(InfoRequest.personal_data_deleted_at).is_(None),
                                     _closed_before(session, now, lambda p: p.delete_months))


def _expired_drafts(now: datetime):
    return select(InfoRequest).where(InfoRequest.status == RequestStatus.DRAFT,
                                     InfoRequest.updated_at <= now - timedelta(days=get_settings().draft_days))


def _drafts_to_warn(now: datetime):
    settings = get_settings()
    warned = sa.select(RequestEvent.id).where(
        RequestEvent.request_id == InfoRequest.id, RequestEvent.kind == WARNED_EVENT,
        RequestEvent.note == sa.cast(InfoRequest.version, sa.String)).correlate(InfoRequest)
    return select(InfoRequest).where(
        InfoRequest.status == RequestStatus.DRAFT, ~sa.exists(warned),
        InfoRequest.updated_at <= now - timedelta(days=settings.draft_days - settings.draft_warning_days),
        InfoRequest.updated_at > now - timedelta(days=settings.draft_days))


def _old_mail(now: datetime):
    return select(OutboxMail).where(col(OutboxMail.status).in_(LEFT_MAIL),
                                    OutboxMail.created_at <= now - timedelta(days=get_settings().mail_keep_days))


@dataclass
class RetentionReport:
    blocked: int = 0
    deleted: int = 0
    drafts_deleted: int = 0
    drafts_warned: int = 0
    mails_deleted: int = 0
    files_removed: int = 0
    mail_files_removed: int = 0
    reports_sent: int = 0
    case_ids: dict[str, list[str]] = field(default_factory=dict)  # phase -> the case ids (dry run: would)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "case_ids"}


def _batches(url: str | None, query_of, *, limit: int, whole: bool) -> Iterator[tuple[Session, list]]:
    """Yields (session, rows) per batch in its own transaction until a batch comes back short; rests after each
    (`retention_pause` times the batch's own time) so that the requests of people at work go first. Rows are
    the requests (`whole`) or their (id, case_id)."""
    pause = get_settings().retention_pause
    while True:
        started = time.monotonic()
        with session_scope(url) as session:
            query = query_of(session).order_by(InfoRequest.id).limit(limit).with_for_update(skip_locked=True)
            rows = list(session.exec(query).all() if whole else session.execute(
                query.with_only_columns(InfoRequest.id, InfoRequest.case_id)).all())
            yield session, rows
        if len(rows) < limit:
            return
        if pause:
            time.sleep((time.monotonic() - started) * pause)


def _record_steps(session: Session, request_ids: list[int], kind: str, now: datetime) -> None:
    """The retention step on each request's timeline: one statement for the batch."""
    if not request_ids:
        return
    session.execute(sa.insert(RequestEvent), [
        {"request_id": request_id, "at": now, "actor_user_id": None, "actor_authority_id": None, "kind": kind,
         "note": "", "data": None} for request_id in request_ids])


def block_all(session: Session, request_ids: list[int], now: datetime) -> None:
    """Blocks the requests' personal data from `now`, a statement for the batch and one for their timelines."""
    session.execute(sa.update(InfoRequest).where(col(InfoRequest.id).in_(request_ids))
                    .values(personal_data_blocked_at=now))
    _record_steps(session, request_ids, BLOCKED_EVENT, now)


def block_personal_data(session: Session, request: InfoRequest, now: datetime) -> None:
    block_all(session, [request.id], now)  # type: ignore[list-item]


def delete_all(session: Session, request_ids: list[int], now: datetime) -> int:
    """Deletes the requests' personal data (requests.erasure), and records the step on their timelines."""
    files = erase_personal_data_of(session, request_ids, now)
    _record_steps(session, request_ids, DELETED_EVENT, now)
    return files


def _warn(session: Session, request: InfoRequest, now: datetime) -> None:
    settings = get_settings()
    author = session.get(User, request.created_by_user_id) if request.created_by_user_id else None
    record_event(session, None, request, WARNED_EVENT, note=str(request.version), internal=REQUESTER).at = now
    if author is not None and author.is_active:
        expires = as_utc(request.updated_at) + timedelta(days=settings.draft_days)  # type: ignore[operator]
        queue_mail(session, recipient=author.email, kind="draft_expiry", language=author.language,
                   user_id=author.id, request_id=request.id,
                   params={"name": author.full_name, "case_id": request.case_id, "subject": request.subject,
                           "date": expires.date().isoformat()})


def _each(apply):
    """A batch applier that takes the requests one by one (the drafts' phases: few rows, mail and deletion)."""
    def batch(session: Session, requests: list[InfoRequest]) -> int:
        return sum(apply(session, request) or 0 for request in requests)
    return batch


def _ids(apply):
    """A batch applier over the requests' ids (the blocking and deletion phases: set-based, many rows)."""
    return lambda session, rows: apply(session, [row[0] for row in rows]) or 0


def _phases(now: datetime):
    """(name, the due requests, the batch's change, whether it needs the whole requests)."""
    return (("drafts_warned", lambda s: _drafts_to_warn(now), _each(lambda s, r: _warn(s, r, now)), True),
            ("drafts_deleted", lambda s: _expired_drafts(now), _each(delete_request), True),
            ("blocked", lambda s: _due_to_block(s, now), _ids(lambda s, ids: block_all(s, ids, now)), False),
            ("deleted", lambda s: _due_to_delete(s, now), _ids(lambda s, ids: delete_all(s, ids, now)), False))


def _orphan_files(session: Session, now: datetime) -> list[str]:
    folder = get_settings().attachment_dir
    if not folder.is_dir():
        return []
    known = set(session.exec(select(Attachment.stored_name)).all())
    cutoff = now.timestamp() - ORPHAN_MINUTES * 60
    return [entry.name for entry in os.scandir(folder)
            if entry.is_file() and entry.name not in known and entry.stat().st_mtime < cutoff]


def run_retention(*, now: datetime | None = None, dry_run: bool = False, url: str | None = None,
                  batch: int | None = None) -> RetentionReport:
    """One run of every phase; `dry_run` only counts and lists what a run would do now."""
    now = as_utc(now) if now else utcnow()
    limit = batch or get_settings().retention_batch
    report = RetentionReport()
    for name, query_of, apply, whole in _phases(now):
        ids = report.case_ids.setdefault(name, [])
        if dry_run:
            with session_scope(url, read_only=True) as session:
                ids.extend(session.exec(query_of(session).with_only_columns(InfoRequest.case_id)
                                        .order_by(InfoRequest.id)).all())
            setattr(report, name, len(ids))
            continue
        for session, rows in _batches(url, query_of, limit=limit, whole=whole):
            report.files_removed += apply(session, rows)
            ids.extend(row.case_id for row in rows)
            setattr(report, name, len(ids))
    with session_scope(url, read_only=dry_run) as session:
        if dry_run:
            report.mails_deleted = session.exec(sa.select(sa.func.count()).select_from(
                _old_mail(now).subquery())).one()[0]
            report.files_removed += len(_orphan_files(session, now))
            return report
        report.mails_deleted = session.execute(sa.delete(OutboxMail).where(
            OutboxMail.id.in_(_old_mail(now).with_only_columns(OutboxMail.id)))).rowcount  # type: ignore[union-attr]
        orphans = _orphan_files(session, now)
    for name in orphans:
        (get_settings().attachment_dir / name).unlink(missing_ok=True)
    report.files_removed += len(orphans)
    report.mail_files_removed = remove_old_mail_files(get_settings(), now)
    _checkpoint(url)
    with session_scope(url) as session:
        report.reports_sent = send_monthly_reports(session, now)
        audit.record(session, action=RUN_ACTION, actor=None, object_type="retention",
                     object_id=now.date().isoformat(), after=report.counts())
    return report


def _lda_recipients(session: Session, authority_ids: set[int]) -> dict[int, list[User]]:
    users = session.exec(select(User).where(col(User.authority_id).in_(authority_ids), User.is_lda.is_(True),
                                            User.is_active.is_(True), col(User.blocked_at).is_(None))
                         .order_by(User.id)).all()
    by_authority: dict[int, list[User]] = {}
    for user in users:
        by_authority.setdefault(user.authority_id, []).append(user)  # type: ignore[arg-type]
    return by_authority


def send_monthly_reports(session: Session, now: datetime) -> int:
    """Once a month: each local data administrator of an authority taking part in a request blocked or deleted
    last month gets the list. Returns the mails queued (none when this month's were queued already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": REPORT_LOCK})
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if session.exec(select(OutboxMail.id).where(OutboxMail.kind == REPORT_KIND,
                                                OutboxMail.created_at >= month_start).limit(1)).first():
        return 0
    last_month = months_before(month_start, 1)
    rows = session.exec(select(RequestEvent.kind, InfoRequest.case_id, InfoRequest.requesting_authority_id,
                               InfoRequest.responding_authority_id)
                        .join(InfoRequest, InfoRequest.id == RequestEvent.request_id)
                        .where(col(RequestEvent.kind).in_((BLOCKED_EVENT, DELETED_EVENT)),
                               RequestEvent.at >= last_month, RequestEvent.at < month_start)
                        .order_by(InfoRequest.case_id)).all()
    lists: dict[int, dict[str, list[str]]] = {}
    for kind, case_id, requester, responder in rows:
        for authority_id in {requester, responder}:
            lists.setdefault(authority_id, {BLOCKED_EVENT: [], DELETED_EVENT: []})[kind].append(case_id)
    queued = 0
    for authority_id, users in _lda_recipients(session, set(lists)).items():
        cases = lists[authority_id]
        for user in users:
            queue_mail(session, recipient=user.email, kind=REPORT_KIND, language=user.language, user_id=user.id,
                       params={"name": user.full_name, "month": Formats(user.language).month(last_month),
                               "blocked": _listed(cases[BLOCKED_EVENT]), "deleted": _listed(cases[DELETED_EVENT])}
                       ).created_at = now  # the month it counts for, as the next run's check reads it
            queued += 1
    return queued


def _listed(case_ids: list[str]) -> str:
    return "\n".join(f"- {case_id}" for case_id in case_ids) or "-"


def _checkpoint(url: str | None) -> None:
    """SQLite: copy the write-ahead log into the database file and empty it, so deleted data is gone from both
    (secure_delete overwrote the freed pages)."""
    with session_scope(url, read_only=True) as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _ran_today(session: Session, now: datetime) -> bool:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return session.exec(select(audit.AuditEntry.id).where(audit.AuditEntry.action == RUN_ACTION,
                                                          audit.AuditEntry.at >= start).limit(1)).first() is not None


def is_due(*, now: datetime | None = None, url: str | None = None) -> bool:
    """Today's run is due once `retention_hour` has passed and no run has been recorded yet today."""
    now = as_utc(now) if now else utcnow()
    if now.hour < get_settings().retention_hour:
        return False
    with session_scope(url, read_only=True) as session:
        return not _ran_today(session, now)


def run_if_due(*, now: datetime | None = None, url: str | None = None) -> RetentionReport | None:
    """The daily run, if it is due (`is_due`)."""
    now = as_utc(now) if now else utcnow()
    if not is_due(now=now, url=url):
        return None
    started = time.monotonic()
    report = run_retention(now=now, url=url)
    log.info("retention run in %.1f s: %s", time.monotonic() - started, report.counts())
    return report


async def daily_round() -> None:
    """One round of the lifespan task: when today's run is due, `python -m imi_app.manage retention` does it in
    a process of its own. Its batches would otherwise take the interpreter from the tabs, turn about with
    their handlers, and slow every one of them for as long as the run lasts."""
    if await asyncio.to_thread(is_due):
        await in_own_process("retention", name="retention run")


async def run_retention_jobs() -> None:
    """Lifespan task: checks every `request_jobs_poll_seconds` whether today's run is due."""
    await repeat(daily_round, name="retention run")


__all__ = ["AreaPeriods", "BLOCKED_EVENT", "DELETED_EVENT", "Periods", "RetentionReport", "WARNED_EVENT",
           "area_periods", "block_all", "block_personal_data", "daily_round", "delete_all", "is_due", "months_before",
           "periods_in_force", "run_if_due", "run_retention", "run_retention_jobs"]
