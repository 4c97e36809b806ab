"""The requests overview: all incoming and outgoing requests of the user's authority, filtered, sorted, keyset-paged."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.core.edges import is_id
from imi_app.core.i18n import N_
from imi_app.authorities.models import Authority
from imi_app.requests.models import InfoRequest, RequestAllocation
from imi_app.accounts.models import User
from imi_app.core.time import as_utc
from imi_app.core.errors import ValidationFailed
from imi_app.requests.inputs import NOT_VALID, parse_date, today
from imi_app.requests.queries import ALL_STATUSES, CASE_ID, DUE_STATUSES, FAR_FUTURE, MAX_PAGE, authority_refs
from imi_app.requests.visibility import DIRECTIONS, INCOMING, OUTGOING, SUMMARY_COLUMNS, participant_branches
from imi_app.core.text import fold

@dataclass
class OverviewFilters:
    """All optional; empty means no filter. `search` matches the subject (accents and case ignored) or a case id."""

    status: str | None = None
    area_id: int | None = None
    direction: str | None = None  # OUTGOING, INCOMING or FORWARDED; None: incoming and outgoing
    country: str | None = None  # the counterpart authority's country (ISO code)
    created_from: date | str | None = None
    created_to: date | str | None = None
    handler_id: int | None = None  # allocated to this handler
    overdue: bool = False
    search: str = ""


@dataclass(frozen=True)
class OverviewRow:
    request_id: int
    case_id: str
    subject: str
    status: str
    area_id: int
    direction: str
    counterpart_authority_id: int
    counterpart_name: str
    counterpart_country: str
    created_at: datetime | None
    updated_at: datetime | None
    deadline: date | None
    overdue: bool
    handlers: tuple[str, ...]  # full names of the allocated handlers (incoming requests)
    tree_authority: str = ""  # behind a figure, a request of another authority: its authority, the subject hidden


@dataclass(frozen=True)
class OverviewPage:
    rows: tuple[OverviewRow, ...]
    next_cursor: str | None  # pass as `after` for the next page; None on the last page


# sort key -> (expression, descending)
SORTS = {
    "updated_at": (InfoRequest.updated_at, True),
    "created_at": (InfoRequest.created_at, True),
    "deadline": (sa.func.coalesce(InfoRequest.deadline, FAR_FUTURE), False),
}


def _clean_filters(filters: object) -> OverviewFilters:
    f = filters if isinstance(filters, OverviewFilters) else OverviewFilters()
    errors = {}
    if f.status not in (None, "") and f.status not in ALL_STATUSES:
        errors["status"] = NOT_VALID
    if f.area_id not in (None, "") and not is_id(f.area_id):
        errors["area_id"] = NOT_VALID
    if f.direction not in (None, "") and f.direction not in DIRECTIONS:
        errors["direction"] = NOT_VALID
    if f.country not in (None, "") and not (isinstance(f.country, str) and re.fullmatch(r"[A-Za-z]{2}", f.country)):
        errors["country"] = NOT_VALID
    if f.handler_id not in (None, "") and not is_id(f.handler_id):
        errors["handler_id"] = NOT_VALID
    if not isinstance(f.search, str) or len(f.search) > 200:
        errors["search"] = NOT_VALID
    for name in ("created_from", "created_to"):
        if not parse_date(getattr(f, name))[1]:
            errors[name] = N_("Enter a valid date (YYYY-MM-DD).")
    if not isinstance(f.overdue, bool):
        errors["overdue"] = NOT_VALID
    if errors:
        raise ValidationFailed(errors)
    return f


def _filter_conditions(f: OverviewFilters, direction: str) -> list:
    where: list = []
    if f.status:
        where.append(InfoRequest.status == f.status)
    if f.area_id:
        where.append(InfoRequest.area_id == f.area_id)
    if f.country:
        of_country = sa.select(Authority.id).where(Authority.country_code == f.country.upper())
        counterpart = (InfoRequest.responding_authority_id if direction == OUTGOING
                       else InfoRequest.requesting_authority_id)
        where.append(counterpart.in_(of_country))  # type: ignore[attr-defined]
    start, _ok = parse_date(f.created_from)
    if start:
        where.append(InfoRequest.created_at >= datetime.combine(start, time(), UTC))
    end, _ok = parse_date(f.created_to)
    if end:
        where.append(InfoRequest.created_at < datetime.combine(end + timedelta(days=1), time(), UTC))
    if f.handler_id:
        where.append(sa.exists(sa.select(RequestAllocation.request_id).where(
            RequestAllocation.request_id == InfoRequest.id, RequestAllocation.user_id == f.handler_id)
            .correlate(InfoRequest)))
    if f.overdue:
        where.append(sa.and_(InfoRequest.deadline < today(), col(InfoRequest.status).in_(DUE_STATUSES)))
    text = f.search.strip()
    if text:
        escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        match = col(InfoRequest.subject_key).like(f"%{escaped}%", escape="\\")
        where.append(sa.or_(match, InfoRequest.case_id == text.upper()) if CASE_ID.match(text) else match)
    return where


def encode_cursor(sort: str, value: object, request_id: int) -> str:
    raw = value.isoformat() if isinstance(value, (date, datetime)) else None
    return base64.urlsafe_b64encode(json.dumps([sort, raw, request_id]).encode()).decode()


def decode_cursor(cursor: object, sort: str) -> tuple[object, int] | None:
    """(sort value, id) of a cursor made for the same sort; anything else starts from the first page."""
    try:
        key, raw, request_id = json.loads(base64.urlsafe_b64decode(str(cursor).encode()))
        if key != sort or not is_id(request_id):
            return None
        value = date.fromisoformat(raw) if sort == "deadline" else as_utc(datetime.fromisoformat(raw))
        return value, request_id
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def overview(session: Session, *, actor: User, filters: OverviewFilters | None = None, sort: str = "updated_at",
             after: str | None = None, limit: int = 50) -> OverviewPage:
    """One page of the incoming and outgoing requests of the actor's authority, sorted by `sort` (updated_at
    and created_at newest first, deadline soonest first) and paged by keyset: pass `next_cursor` as `after`."""
    f = _clean_filters(filters)
    sort = sort if sort in SORTS else "updated_at"
    limit = min(max(limit, 1), MAX_PAGE) if is_id(limit) else 50
    expression, descending = SORTS[sort]
    position = decode_cursor(after, sort) if after else None
    branches = participant_branches(actor)
    directions = [f.direction] if f.direction else [OUTGOING, INCOMING]
    parts = []
    for direction in directions:
        where = [branches[direction], *_filter_conditions(f, direction)]
        if position is not None:
            value, last_id = position
            # A row-value comparison: both databases turn it into one range on the (authority, sort, id) index.
            here = sa.tuple_(expression, InfoRequest.id)
            mark = sa.tuple_(sa.literal(value, type_=expression.type), sa.literal(last_id, type_=sa.Integer))
            where.append(here < mark if descending else here > mark)
        order = (expression.desc(), col(InfoRequest.id).desc()) if descending else (expression.asc(), col(InfoRequest.id).asc())
        label = sa.literal_column(f"'{direction}'").label("direction")  # one of DIRECTIONS, never user text
        part = sa.select(InfoRequest.id, expression.label("sort_value"), label) \
            .where(*where).order_by(*order).limit(limit + 1).subquery()
        parts.append(sa.select(part.c.id, part.c.sort_value, part.c.direction))
    merged = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery()
    order = (merged.c.sort_value.desc(), merged.c.id.desc()) if descending else (merged.c.sort_value.asc(),
                                                                                    merged.c.id.asc())
    picked = session.execute(sa.select(merged.c.id, merged.c.direction, merged.c.sort_value)
                             .order_by(*order).limit(limit + 1)).all()
    more = len(picked) > limit
    picked = picked[:limit]
    rows = overview_rows(session, actor, [(r.id, r.direction) for r in picked])
    cursor = encode_cursor(sort, picked[-1].sort_value, picked[-1].id) if more and picked else None
    return OverviewPage(tuple(rows), cursor)


def overview_rows(session: Session, actor: User, picked: list[tuple[int, str]]) -> list[OverviewRow]:
    if not picked:
        return []
    ids = [i for i, _d in picked]
    requests = {r.id: r for r in session.exec(select(*SUMMARY_COLUMNS, InfoRequest.created_at, InfoRequest.updated_at)
                                              .where(InfoRequest.id.in_(ids))).all()}  # type: ignore[union-attr]
    handlers: dict[int, list[str]] = {}
    for request_id, name in session.exec(select(RequestAllocation.request_id, User.full_name).join(
            User, User.id == RequestAllocation.user_id).where(RequestAllocation.request_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(User.full_name)).all():
        handlers.setdefault(request_id, []).append(name)
    refs = authority_refs(session, {r.requesting_authority_id for r in requests.values()}
                          | {r.responding_authority_id for r in requests.values()})
    now = today()
    result = []
    for request_id, direction in picked:
        r = requests[request_id]
        other = r.responding_authority_id if direction == OUTGOING else r.requesting_authority_id
        name, country = refs.get(other, ("", ""))
        result.append(OverviewRow(r.id, r.case_id, r.subject, r.status, r.area_id, direction, other, name, country,
                                  as_utc(r.created_at), as_utc(r.updated_at), r.deadline,
                                  bool(r.deadline and r.deadline < now and r.status in DUE_STATUSES),
                                  tuple(handlers.get(r.id, ()))))
    return result
