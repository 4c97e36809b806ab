"""The scoreboard's reads: a coordinator's dashboard and an authority's own figures, from request_figures.

Who sees what: the staff of an active coordinator (data administrators and approver-referees) see the
coordinator and every authority below it, at any depth; any active user sees the own authority's figures.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col, select

from imi_app.accounts.models import User
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.core.actions import query
from imi_app.core.time import start_of_day, utcnow
from imi_app.policy import authorities_below, coordinator_staff_of, deny, is_active_user
from imi_app.requests import escalation, figures
from imi_app.requests.models import FIGURES_OPEN, InfoRequest, ReferralOpinion, RequestFigures, RequestStatus
from imi_app.scoreboard.indicators import Scorecard, figure, scorecard

F = RequestFigures
INCOMING, OUTGOING = "incoming", "outgoing"
SIDES = (INCOMING, OUTGOING)
APPROVAL_STATUSES = (RequestStatus.AWAITING_APPROVAL, RequestStatus.ANSWER_AWAITING_APPROVAL)
WAITING_LIMIT = 200  # of each kind; more waiting than that on one tree is a fire the dashboard cannot hide
AGE_BUCKETS = ((0, 7), (8, 30), (31, 90), (91, None))  # days since the request reached the responder
# Whole days from acceptance to the answer (0-6, 7-15, 16-25, 26-50, over 50): indicator 2's requests, the
# edges its green and yellow bounds (under 16, 16 to 25).
ANSWER_DAY_BUCKETS = ((0, 6), (7, 15), (16, 25), (26, 50), (51, None))
# The statuses of a request received but not closed or withdrawn, in the order a request goes through them.
OPEN_ORDER = (RequestStatus.SENT, RequestStatus.ACCEPTED, RequestStatus.ANSWER_AWAITING_APPROVAL, RequestStatus.ANSWERED,
              RequestStatus.INSISTED, RequestStatus.IN_REFERRAL)
# What _counts gives per row, in its order (the five indicators' numerators and bases).
INDICATOR_COUNTS = ("accepted", "accept_basis", "days", "answered", "on_time", "agreed", "late", "little", "rated")


@dataclass(frozen=True)
class Period:
    """From the first to the last day, both included, in the viewer's country."""

    first: date
    last: date

    def bounds(self, country: str | None) -> tuple[datetime, datetime]:
        return start_of_day(self.first, country), start_of_day(self.last + timedelta(days=1), country)


@dataclass(frozen=True)
class AuthorityFigures:
    authority_id: int
    name: str
    country_code: str
    card: Scorecard


@dataclass(frozen=True)
class Dashboard:
    coordinator_id: int
    coordinator_name: str
    country_code: str
    period: Period
    side: str
    area_id: int | None
    total: Scorecard
    authorities: tuple[AuthorityFigures, ...]  # worst first
    backlog: tuple[int, ...]  # open requests per AGE_BUCKETS
    areas: tuple[tuple[int, dict, str], ...]  # (id, names, code) of every legislative area, for the filter
    waiting: tuple[WaitingRow, ...] = ()  # what waits on this coordinator or one below it, the longest first
    trend: tuple[tuple[date, Scorecard], ...] = ()  # the tree's figures month by month (the first day of each)
    volume: tuple[int, ...] = ()  # the requests the tree received (incoming) or sent (outgoing), per trend month
    answer_days: tuple[int, ...] = ()  # indicator 2's requests per ANSWER_DAY_BUCKETS
    open_by_status: tuple[tuple[str, int], ...] = ()  # the open requests per status (OPEN_ORDER), none left out


@dataclass(frozen=True)
class WaitingRow:
    request_id: int
    case_id: str
    coordinator: str
    what: str  # escalation.APPROVAL | escalation.OPINION
    since: datetime
    working_days: int
    escalated: bool


def _side_column(side: str):
    return col(F.responding_authority_id) if side == INCOMING else col(F.requesting_authority_id)


def _counts(session: Session, *, authority_ids: sa.Select | list[int], side: str, area_id: int | None,
            start: datetime, end: datetime, now: datetime, by_authority: bool, with_answer_days: bool = False):
    """The numerators and bases of the five indicators, in one pass over the figures in the period. Each
    base is figures.counted: the overview lists the same requests behind a figure. `with_answer_days`: each
    row goes on with indicator 2's requests per ANSWER_DAY_BUCKETS, from the same pass."""
    def count(*conditions) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((sa.and_(*conditions), 1), else_=0)), 0)

    basis = {key: figures.counted(key, start, end, now) for key in figures.INDICATOR_KEYS}
    scoring = figures.SCORING
    columns = [
        count(basis["accepting"], scoring["accepting"]),
        count(basis["accepting"]),
        sa.func.coalesce(sa.func.sum(sa.case((basis["answering"], F.answer_days), else_=0)), 0),
        count(basis["answering"]),
        count(basis["agreed_date"], scoring["agreed_date"]),
        count(basis["agreed_date"]),
        count(basis["timeliness"], scoring["timeliness"]),
        count(basis["efforts"], scoring["efforts"]),
        count(basis["timeliness"]),
    ]
    if with_answer_days:
        columns += [count(basis["answering"], col(F.answer_days) >= low,
                          *([] if high is None else [col(F.answer_days) < high + 1]))
                    for low, high in ANSWER_DAY_BUCKETS]
    key = _side_column(side)
    where = [key.in_(authority_ids), figures.in_period(start, end)]
    if area_id is not None:
        where.append(F.area_id == area_id)
    statement = sa.select(*([key] if by_authority else []), *columns).where(*where)
    if by_authority:
        statement = statement.group_by(key)
    return session.execute(statement).all()


def _card(row) -> Scorecard:
    """The scorecard of a row of _counts (its first len(INDICATOR_COUNTS) values)."""
    row = tuple(row)[:len(INDICATOR_COUNTS)]
    accepted, accept_basis, days, answered, on_time, agreed, late, little, rated = (float(v or 0) for v in row)
    return scorecard((figure("accepting", accepted, int(accept_basis)), figure("answering", days, int(answered)),
                      figure("agreed_date", on_time, int(agreed)), figure("timeliness", late, int(rated)),
                      figure("efforts", little, int(rated))))


# AGE_BUCKETS cut the ages without gaps, so a request's bucket is the first whose youngest edge it is older than.
assert all(high + 1 == low for (_l, high), (low, _h) in zip(AGE_BUCKETS, AGE_BUCKETS[1:], strict=False))


def _in_tree(column, dialect: str) -> sa.ColumnElement[bool]:
    """The cached passes' test of the authority: on PostgreSQL `= ANY` of one array parameter (an IN list of a
    national tree's hundreds of ids is rendered, cast and parsed again at every execution), elsewhere IN."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(sa.bindparam("ids", expanding=True))


def _in_area() -> sa.ColumnElement[bool]:
    """The area filter of the cached passes, tested inside the authority's covering index: written on
    `area_id + 0`, so that no database reads the area's own index instead (all the area's requests, every
    country's, and each looked up in the table)."""
    return (col(F.area_id) + 0) == sa.bindparam("area_id")


@functools.lru_cache(maxsize=16)
def _backlog_statement(side: str, with_area: bool, dialect: str) -> sa.Select:
    """_open_backlog's statement, built once: (status, age bucket or NULL when received after now, count)."""
    moment_type = col(F.received_at).type
    youngest = [sa.bindparam(f"age_{i}", type_=moment_type) for i in range(len(AGE_BUCKETS))]  # now - low days
    bucket = sa.case((F.received_at > youngest[0], None),
                     *[(F.received_at > edge, i) for i, edge in enumerate(youngest[1:])], else_=len(AGE_BUCKETS) - 1)
    # Written as the partial indexes' condition, so both databases use them.
    where = [_in_tree(_side_column(side), dialect), sa.text(FIGURES_OPEN),
             col(F.received_at).is_not(None), *([_in_area()] if with_area else [])]
    return sa.select(F.status, bucket, sa.func.count()).where(*where).group_by(F.status, bucket)


def _open_backlog(session: Session, *, authority_ids, side: str, area_id: int | None,
                  now: datetime) -> tuple[tuple[int, ...], tuple[tuple[str, int], ...]]:
    """The open backlog by age (AGE_BUCKETS) and by status (OPEN_ORDER, every open status even at 0, then
    any other), in one pass: the same requests counted two ways."""
    params: dict = {f"age_{i}": now - timedelta(days=low) for i, (low, _high) in enumerate(AGE_BUCKETS)}
    params["ids"] = list(authority_ids)
    if area_id is not None:
        params["area_id"] = area_id
    by_age, found = [0] * len(AGE_BUCKETS), {}
    statement = _backlog_statement(side, area_id is not None, session.get_bind().dialect.name)
    for status, bucket, count in session.execute(statement, params).all():
        found[status] = found.get(status, 0) + int(count)
        if bucket is not None:
            by_age[int(bucket)] += int(count)
    by_status = tuple((str(s), int(found.pop(s, 0))) for s in OPEN_ORDER) + tuple(  # type: ignore[call-overload]
        (str(s), int(n)) for s, n in sorted(found.items()))
    return tuple(by_age), by_status


TREND_MONTHS = 24  # a longer period shows its last 24 months month by month


def months_of(period: Period) -> list[Period]:
    """The calendar months the period touches, each cut to the period, the last TREND_MONTHS of them."""
    months, first = [], date(period.first.year, period.first.month, 1)
    while first <= period.last:
        last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        months.append(Period(max(first, period.first), min(last, period.last)))
        first = last + timedelta(days=1)
    return months[-TREND_MONTHS:]


def _month_of(column, starts: list) -> sa.ColumnElement:
    """The index of the month the column's moment falls in, for moments within the months' span (the query
    keeps to it): the last of the months' `starts` at or before it, found by halving, so a row takes about
    log2(months) comparisons instead of one pair per month. The starts are the country's midnights, worked
    out by the caller, so both databases group alike."""
    def index(low: int, high: int) -> sa.ColumnElement:
        if high - low == 1:
            return sa.literal(low)
        middle = (low + high) // 2
        return sa.case((column < starts[middle], index(low, middle)), else_=index(middle, high))
    return index(0, len(starts))


# What _grid sums per authority and per month: INDICATOR_COUNTS, the requests received (or sent), ANSWER_DAY_BUCKETS.
GRID_WIDTH = len(INDICATOR_COUNTS) + 1 + len(ANSWER_DAY_BUCKETS)
_VOLUME, _BUCKETS = len(INDICATOR_COUNTS), len(INDICATOR_COUNTS) + 1
# Each pass of _grid: the cells it fills, in the order of its statement's columns.
_GRID_OFFSETS = ([0, 1, _VOLUME], [2, 3, 4, 5, *range(_BUCKETS, GRID_WIDTH)], [6, 7, 8])


@functools.lru_cache(maxsize=128)
def _grid_statements(side: str, with_area: bool, months: int, dialect: str) -> tuple[sa.Select, ...]:
    """_grid's three statements for a side, with or without an area, over `months` months: built once, with
    bind parameters for the authorities, the area, the months' starts, the span's end and now, so each
    dashboard only binds its values (building and keying the expressions cost more than running them)."""
    moment_type = col(F.received_at).type
    starts = [sa.bindparam(f"month_{i}", type_=moment_type) for i in range(months)]
    first, last = starts[0], sa.bindparam("span_end", type_=moment_type)
    now = sa.bindparam("now", type_=moment_type)
    # Each pass keeps to the rows whose moment (figures.MOMENT of the indicators it counts) is in the span:
    # what figures.counted adds to that is counted_at_moment, not the span again for every row and column.
    basis = {key: figures.counted_at_moment(key, now) for key in figures.INDICATOR_KEYS}
    scoring = figures.SCORING
    key = _side_column(side)
    where = [_in_tree(key, dialect), *([_in_area()] if with_area else [])]

    def count(*conditions) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((sa.and_(*conditions), 1), else_=0)), 0)

    def grouped(moment, *columns) -> sa.Select:
        month = _month_of(moment, starts)
        statement = sa.select(key, month, *columns).where(*where, moment >= first, moment < last)
        if dialect == "postgresql":  # each authority's and each month's sums straight away: a row for each, not
            # one for each (authority, month) (18 000 rows for a national tree at 1 000 000 requests)
            return statement.group_by(sa.func.grouping_sets(sa.tuple_(key), sa.tuple_(month)))
        return statement.group_by(key, month)

    return (
        grouped(F.received_at, count(basis["accepting"], scoring["accepting"]), count(basis["accepting"]),
                sa.func.count()),
        grouped(F.answered_at, sa.func.coalesce(sa.func.sum(sa.case((basis["answering"], F.answer_days), else_=0)), 0),
                count(basis["answering"]), count(basis["agreed_date"], scoring["agreed_date"]),
                count(basis["agreed_date"]),
                *[count(basis["answering"], col(F.answer_days) >= low,
                        *([] if high is None else [col(F.answer_days) < high + 1])) for low, high in ANSWER_DAY_BUCKETS]),
        grouped(F.closed_at, count(basis["timeliness"], scoring["timeliness"]),
                count(basis["efforts"], scoring["efforts"]), count(basis["timeliness"])),
    )


def _grid(session: Session, *, ids: list[int], side: str, area_id: int | None, bounds: list[tuple[datetime, datetime]],
          now: datetime) -> tuple[dict[int, list[float]], list[list[float]]]:
    """Each authority's counts over the months and each month's over the authorities (GRID_WIDTH of them),
    counted as the period's are. Three grouped passes, one per moment an indicator counts from (received,
    answered, closed), each through that moment's (authority, moment) index over the months' span only: each
    figures.counted over the whole span, split by the month of its moment; the months cut the span without
    gaps, so each month gets exactly what counting it alone would, and the sum of the months what counting
    the span would. A row grouped by (authority, month) is added to both sums; PostgreSQL groups by each
    alone (GROUPING SETS), and a row there has the other one NULL."""
    params: dict = {f"month_{i}": start for i, (start, _end) in enumerate(bounds)}
    params.update(span_end=bounds[-1][1], now=now, ids=ids)
    if area_id is not None:
        params["area_id"] = area_id
    by_authority: dict[int, list[float]] = {}
    by_month = [[0.0] * GRID_WIDTH for _ in bounds]
    statements = _grid_statements(side, area_id is not None, len(bounds), session.get_bind().dialect.name)
    connection = session.connection()  # plain rows: the ORM's result layer costs more than the counting here
    for statement, offsets in zip(statements, _GRID_OFFSETS, strict=True):
        for authority_id, month, *values in connection.execute(statement, params).all():
            sums = []  # the row's authority's sums, its month's, or (grouped by both) each
            if authority_id is not None:
                own = by_authority.get(authority_id)
                if own is None:
                    own = by_authority[authority_id] = [0.0] * GRID_WIDTH
                sums.append(own)
            if month is not None:
                sums.append(by_month[month])
            for offset, value in zip(offsets, values, strict=True):
                if value:
                    for target in sums:
                        target[offset] += float(value)
    return by_authority, by_month


def _sums(cells) -> list[float]:
    return [sum(values) for values in zip(*cells, strict=True)] if cells else [0.0] * GRID_WIDTH


def _waiting(session: Session, ids: list[int], now: datetime) -> tuple[WaitingRow, ...]:
    """Approvals and referral opinions due from the coordinators among `ids` (requests.escalation)."""
    tree = set(ids)
    wanted = (InfoRequest.id, InfoRequest.case_id, InfoRequest.status)  # not the requests' personal data
    # One side at a time, each through its (authority, status) index (with OR, PostgreSQL scanned the table);
    # a request both of whose sides are in the tree comes twice and is kept once.
    dialect, given = session.get_bind().dialect.name, {"ids": ids}
    approvals = sa.union_all(*(select(*wanted).where(col(InfoRequest.status).in_(APPROVAL_STATUSES),
                                                     _in_tree(col(side), dialect))
                               for side in (InfoRequest.requesting_authority_id, InfoRequest.responding_authority_id)))
    opinions = select(*wanted).where(InfoRequest.status == RequestStatus.IN_REFERRAL, sa.exists(
        sa.select(ReferralOpinion.request_id).where(ReferralOpinion.request_id == InfoRequest.id,
                                                    col(ReferralOpinion.at).is_(None),
                                                    _in_tree(col(ReferralOpinion.coordinator_id), dialect))))
    requests = [*{row.id: row for row in session.execute(approvals.limit(WAITING_LIMIT), given).all()}.values(),
                *session.execute(opinions.limit(WAITING_LIMIT), given).all()]
    due = escalation.waiting_on(session, requests)
    found = [(r, w) for r in requests for w in due.get(r.id, []) if w.coordinator_id in tree]  # type: ignore[arg-type]
    names = dict(session.exec(select(Authority.id, Authority.official_name).where(
        col(Authority.id).in_({w.coordinator_id for _r, w in found}))).all()) if found else {}
    rows = [WaitingRow(r.id, r.case_id, names.get(w.coordinator_id, ""), w.what, w.since,  # type: ignore[arg-type]
                       escalation.working_days(w.since, now), escalation.escalated(w.since, now)) for r, w in found]
    return tuple(sorted(rows, key=lambda row: (row.since, row.case_id)))


def _denied(session: Session, actor: User | None) -> Exception:
    return deny(session, actor, "scoreboard.view", "authority", actor.authority_id if actor else None)


@query
def coordinator_dashboard(session: Session, *, actor: User | None, period: Period, side: str = INCOMING,
                          area_id: int | None = None, now: datetime | None = None) -> Dashboard:
    """The dashboard of the actor's coordinator: its tree's totals, each authority's figures, the backlog."""
    own = coordinator_staff_of(session, actor) if is_active_user(actor) else None
    if own is None:
        raise _denied(session, actor)
    if side not in SIDES:
        side = INCOMING
    now = now or utcnow()
    tree = sa.union(authorities_below(own.id), sa.select(sa.literal(own.id)))
    ids = [row[0] for row in session.execute(tree).all()]
    months = months_of(period)
    bounds = [month.bounds(own.country_code) for month in months]
    per, by_month = _grid(session, ids=ids, side=side, area_id=area_id, bounds=bounds, now=now)
    if months[0].first != period.first:  # longer than the trend shows: the whole period counted apart
        per = {}  # authority -> its counts over the period, laid out as the grid's
        start, end = period.bounds(own.country_code)
        for authority_id, *counts in _counts(session, authority_ids=ids, side=side, area_id=area_id, start=start,
                                             end=end, now=now, by_authority=True, with_answer_days=True):
            indicators = [float(v or 0) for v in counts[:len(INDICATOR_COUNTS)]]
            per[authority_id] = [*indicators, 0.0, *(float(v or 0) for v in counts[len(INDICATOR_COUNTS):])]
    total = _sums(list(per.values()))
    trend, volume = [], []
    for month, cell in zip(months, by_month, strict=True):
        trend.append((date(month.first.year, month.first.month, 1), _card(cell)))
        volume.append(int(cell[len(INDICATOR_COUNTS)]))
    cards = {authority_id: _card(row) for authority_id, row in per.items()}
    names = {row[0]: row for row in session.execute(  # the tree's: the cards are of authorities among `ids`
        sa.select(Authority.id, Authority.official_name, Authority.country_code)
        .where(_in_tree(col(Authority.id), session.get_bind().dialect.name)), {"ids": ids}).all()}
    rows = sorted((AuthorityFigures(i, names[i][1], names[i][2], card) for i, card in cards.items() if i in names),
                  key=lambda r: (r.card.verdict == "none", r.card.score, -r.card.reds, r.name.casefold()))
    areas = tuple((a.id, a.names, a.code) for a in session.exec(select(LegislativeArea)
                                                                 .order_by(LegislativeArea.id)).all())
    backlog, open_by_status = _open_backlog(session, authority_ids=ids, side=side, area_id=area_id, now=now)
    answer_days = tuple(int(v) for v in total[len(INDICATOR_COUNTS) + 1:])
    return Dashboard(own.id, own.official_name, own.country_code, period, side, area_id, _card(total),  # type: ignore[arg-type]
                     tuple(rows), backlog, areas, _waiting(session, ids, now), tuple(trend), tuple(volume),
                     answer_days, open_by_status)


@query
def own_figures(session: Session, *, actor: User | None, period: Period,
                now: datetime | None = None) -> tuple[Scorecard, tuple[int, ...]]:
    """The actor's authority's incoming figures and backlog (its home page)."""
    if not is_active_user(actor):
        raise _denied(session, actor)
    own = session.get(Authority, actor.authority_id)  # type: ignore[union-attr]
    if own is None:
        raise _denied(session, actor)
    now = now or utcnow()
    start, end = period.bounds(own.country_code)
    ids = [own.id]
    row = _counts(session, authority_ids=ids, side=INCOMING, area_id=None, start=start, end=end, now=now,
                  by_authority=False)[0]
    return _card(row), _open_backlog(session, authority_ids=ids, side=INCOMING, area_id=None, now=now)[0]


def last_months(months: int, today: date) -> Period:
    """The `months` months up to today: from the day after the same day `months` months ago."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return Period(date(year, month, day) + timedelta(days=1), today)


__all__ = ["AGE_BUCKETS", "ANSWER_DAY_BUCKETS", "OPEN_ORDER", "INCOMING", "OUTGOING", "SIDES", "AuthorityFigures", "Dashboard", "Period", "WaitingRow",
           "coordinator_dashboard", "last_months", "months_of", "own_figures"]
