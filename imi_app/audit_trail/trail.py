"""The audit log as its readers see it: the entries they may read (audit_trail.rules), newest first, a page at a
time by id (keyset, never OFFSET), filtered by actor, action, object, case and day; one entry in full; and the
same filtered list as CSV whose cells a spreadsheet never runs as a formula."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.accounts.auth import username_key
from imi_app.accounts.models import User
from imi_app.audit_trail import rules as _rules  # noqa: F401 - registers the audit trail rules
from imi_app.authorities.models import Authority
from imi_app.core.actions import query
from imi_app.core.audit import AuditEntry
from imi_app.core.edges import is_id
from imi_app.core.errors import ValidationFailed
from imi_app.core.i18n import N_, gettext, normalize_language
from imi_app.core.text import safe_cell
from imi_app.core.time import as_utc
from imi_app.core.validation import has_control_chars, unencodable
from imi_app.policy import require, restricted
from imi_app.requests.models import Attachment, InfoRequest

PAGE_SIZE = 25
EXPORT_BATCH = 500
MAX_EXPORT_ROWS = 50_000
NOT_A_DATE = N_("Enter a date as YYYY-MM-DD.")
TO_BEFORE_FROM = N_("The last day cannot be before the first.")
TOO_LONG = N_("This value is too long.")
INVALID = N_("This value is not valid.")
CSV_HEADERS = (N_("Entry"), N_("Time (UTC)"), N_("User"), N_("Authority"), N_("Action"), N_("Object type"),
               N_("Object id"), N_("Before"), N_("After"), N_("Hash"))
LIMITS = {"actor": 64, "action": 60, "object_type": 40, "object_id": 40, "case_id": 24}


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # a username
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    case_id: str = ""
    first_day: date | None = None
    last_day: date | None = None


def parse_filters(raw: object) -> AuditFilters:
    """The filters as typed, checked; a ValidationFailed names each field whose value cannot be used."""
    values = raw if isinstance(raw, dict) else {}
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name, limit in LIMITS.items():
        value = values.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or unencodable(value) or has_control_chars(value):
            errors[name] = INVALID
            continue
        value = value.strip()
        if len(value) > limit:
            errors[name] = TOO_LONG
        texts[name] = value
    days: dict[str, date | None] = {}
    for name in ("first_day", "last_day"):
        value = values.get(name, "")
        if value in ("", None):
            days[name] = None
            continue
        try:
            days[name] = date.fromisoformat(value.strip()) if isinstance(value, str) and len(value) <= 10 else None
        except ValueError:
            days[name] = None
        if days[name] is None:
            errors[name] = NOT_A_DATE
    if days.get("first_day") and days.get("last_day") and days["last_day"] < days["first_day"]:
        errors["last_day"] = TO_BEFORE_FROM
    if errors:
        raise ValidationFailed(errors)
    return AuditFilters(**texts, first_day=days["first_day"], last_day=days["last_day"])


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    authority: str
    action: str
    object_type: str
    object_id: str


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    next_cursor: int | None  # the id to page on from ("older than"), None on the last page
    actions: list[str] = field(default_factory=list)
    object_types: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AuditDetail:
    row: AuditRow
    before: dict | None
    after: dict | None
    chain_hash: str


def _where(session: Session, actor: User, filters: AuditFilters) -> list[sa.ColumnElement[bool]]:
    where = [restricted(session, actor, AuditEntry, "audit.view")]
    if filters.actor:
        where.append(col(AuditEntry.actor_user_id).in_(
            select(User.id).where(User.username_key == username_key(filters.actor))))
    if filters.action:
        where.append(col(AuditEntry.action) == filters.action)
    if filters.object_type:
        where.append(col(AuditEntry.object_type) == filters.object_type)
    if filters.object_id:
        where.append(col(AuditEntry.object_id) == filters.object_id)
    if filters.case_id:
        request_ids = select(InfoRequest.id).where(InfoRequest.case_id == filters.case_id.upper())
        where.append(sa.or_(
            sa.and_(col(AuditEntry.object_type) == "info_request",
                    col(AuditEntry.object_id).in_(select(sa.cast(InfoRequest.id, sa.String)).where(
                        InfoRequest.case_id == filters.case_id.upper()))),
            sa.and_(col(AuditEntry.object_type) == "attachment",
                    col(AuditEntry.object_id).in_(select(sa.cast(Attachment.id, sa.String)).where(
                        col(Attachment.request_id).in_(request_ids)))),
        ))
    if filters.first_day:
        where.append(col(AuditEntry.at) >= datetime.combine(filters.first_day, time(0), tzinfo=UTC))
    if filters.last_day:
        where.append(col(AuditEntry.at) < datetime.combine(filters.last_day + timedelta(days=1), time(0), tzinfo=UTC))
    return where


def _rows(session: Session, where: list, *, after: int | None, limit: int):
    statement = (
        select(AuditEntry, User.username, Authority.official_name)
        .outerjoin(User, col(User.id) == AuditEntry.actor_user_id)
        .outerjoin(Authority, col(Authority.id) == AuditEntry.actor_authority_id)
        .where(*where)
    )
    if after is not None:
        statement = statement.where(col(AuditEntry.id) < after)
    return session.exec(statement.order_by(col(AuditEntry.id).desc()).limit(limit)).all()


def _row(entry: AuditEntry, username: str | None, authority: str | None) -> AuditRow:
    return AuditRow(id=entry.id, at=as_utc(entry.at), username=username or "", authority=authority or "",  # type: ignore[arg-type]
                    action=entry.action, object_type=entry.object_type, object_id=entry.object_id)


def _cursor(value: object) -> int | None:
    return value if is_id(value) else None  # type: ignore[return-value]


@query
def audit_page(session: Session, *, actor: User, filters: AuditFilters, after: object = None,
               limit: int = PAGE_SIZE) -> AuditPage:
    """One page of the entries `actor` may read, newest first, older than the entry `after` (keyset)."""
    require(session, actor, "audit.view", None, "audit_log", "")
    visible = restricted(session, actor, AuditEntry, "audit.view")
    found = _rows(session, _where(session, actor, filters), after=_cursor(after), limit=limit + 1)
    rows = [_row(*item) for item in found[:limit]]
    actions = session.exec(select(AuditEntry.action).where(visible).distinct().order_by(AuditEntry.action)).all()
    types = session.exec(select(AuditEntry.object_type).where(visible, col(AuditEntry.object_type) != "")
                         .distinct().order_by(AuditEntry.object_type)).all()
    return AuditPage(rows=rows, next_cursor=rows[-1].id if len(found) > limit else None,
                     actions=list(actions), object_types=list(types))


@query
def audit_entry(session: Session, *, actor: User, entry_id: object) -> AuditDetail:
    """One entry in full, when `actor` may read it; refused (and audited) otherwise, as if it were not there."""
    entry = session.get(AuditEntry, entry_id) if is_id(entry_id) else None
    require(session, actor, "audit.view_entry", entry, "audit_log", entry_id if is_id(entry_id) else "")
    assert entry is not None
    user = session.get(User, entry.actor_user_id) if entry.actor_user_id else None
    authority = session.get(Authority, entry.actor_authority_id) if entry.actor_authority_id else None
    return AuditDetail(row=_row(entry, user.username if user else "", authority.official_name if authority else ""),
                       before=entry.before, after=entry.after, chain_hash=entry.chain_hash or "")


def _data(value: dict | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@query
def export_audit_csv(session: Session, *, actor: User, filters: AuditFilters, language: str = "en",
                     max_rows: int = MAX_EXPORT_ROWS) -> str:
    """Every entry of the list with these filters (at most `max_rows`), newest first, as CSV text."""
    require(session, actor, "audit.view", None, "audit_log", "")
    language = normalize_language(language)
    where = _where(session, actor, filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(language, h) for h in CSV_HEADERS])
    cursor, written = None, 0
    while written < max_rows:
        found = _rows(session, where, after=cursor, limit=min(EXPORT_BATCH, max_rows - written))
        for entry, username, authority in found:
            writer.writerow([safe_cell(v) for v in (
                entry.id, as_utc(entry.at).strftime("%Y-%m-%d %H:%M:%S"), username or "",  # type: ignore[union-attr]
                authority or "", entry.action, entry.object_type, entry.object_id, _data(entry.before),
                _data(entry.after), entry.chain_hash or "")])
        written += len(found)
        if len(found) < EXPORT_BATCH:
            break
        cursor = found[-1][0].id
    return out.getvalue()
