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


def _open_backlog(session: Session, *, authority_ids, side: str, area_id: int | None,
                  now: datetime) -> tuple[tuple[int, ...], tuple[tuple[str, int], ...]]:
    """The open backlog by age (AGE_BUCKETS) and by status (OPEN_ORDER, every open status even at 0, then
    any other), in one pass: the same requests counted two ways."""
    # Written as the partial indexes' condition, so both databases use them.
    where = [_side_column(side).in_(authority_ids), sa.text(FIGURES_OPEN), col(F.received_at).is_not(None)]
    if area_id is not None:
        where.append(F.area_id == area_id)
    cases = []
    for low, high in AGE_BUCKETS:
        newest = now - timedelta(days=low)
        condition = F.received_at <= newest if high is None else sa.and_(
            F.received_at <= newest, F.received_at > now - timedelta(days=high + 1))
        cases.append(sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0))
    rows = session.execute(sa.select(F.status, sa.func.count(), *cases).where(*where).group_by(F.status)).all()
    by_age = tuple(sum(int(row[2 + i]) for row in rows) for i in range(len(AGE_BUCKETS)))
    found = {row[0]: int(row[1]) for row in rows}
    by_status = tuple((str(s), int(found.pop(s, 0))) for s in OPEN_ORDER) + tuple(  # type: ignore[call-overload]
        (str(s), int(n)) for s, n in sorted(found.items()))
    return by_age, by_status


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


# What _grid gives per (authority, month): INDICATOR_COUNTS, the requests received (or sent), ANSWER_DAY_BUCKETS.
GRID_WIDTH = len(INDICATOR_COUNTS) + 1 + len(ANSWER_DAY_BUCKETS)
_VOLUME, _BUCKETS = len(INDICATOR_COUNTS), len(INDICATOR_COUNTS) + 1
# Each pass of _grid: the cells it fills, in the order of its statement's columns.
_GRID_OFFSETS = ([0, 1, _VOLUME], [2, 3, 4, 5, *range(_BUCKETS, GRID_WIDTH)], [6, 7, 8])


@functools.lru_cache(maxsize=64)
def _grid_statements(side: str, with_area: bool, months: int) -> tuple[sa.Select, ...]:
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
    where = [key.in_(sa.bindparam("ids", expanding=True)),
             *([F.area_id == sa.bindparam("area_id")] if with_area else [])]

    def count(*conditions) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((sa.and_(*conditions), 1), else_=0)), 0)

    def grouped(moment, *columns) -> sa.Select:
        month = _month_of(moment, starts)
        return sa.select(key, month, *columns).where(*where, moment >= first, moment < last).group_by(key, month)

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
          now: datetime) -> dict[tuple[int, int], list[float]]:
    """(authority, month index) -> its counts (GRID_WIDTH of them), counted as the period's are. Three grouped
    passes, one per moment an indicator counts from (received, answered, closed), each through that moment's
    (authority, moment) index over the months' span only: each figures.counted over the whole span, split
    by the month of its moment; the months cut the span without gaps, so each month gets exactly what
    counting it alone would, and the sum of the months what counting the span would."""
    params: dict = {f"month_{i}": start for i, (start, _end) in enumerate(bounds)}
    params.update(span_end=bounds[-1][1], now=now, ids=ids)
    if area_id is not None:
        params["area_id"] = area_id
    grid: dict[tuple[int, int], list[float]] = {}
    for statement, offsets in zip(_grid_statements(side, area_id is not None, len(bounds)), _GRID_OFFSETS,
                                  strict=True):
        for row in session.execute(statement, params).all():
            cell = grid.setdefault((row[0], row[1]), [0.0] * GRID_WIDTH)
            for offset, value in zip(offsets, row[2:], strict=True):
                cell[offset] = float(value or 0)
    return grid


def _sums(cells) -> list[float]:
    return [sum(values) for values in zip(*cells, strict=True)] if cells else [0.0] * GRID_WIDTH


def _waiting(session: Session, ids: list[int], now: datetime) -> tuple[WaitingRow, ...]:
    """Approvals and referral opinions due from the coordinators among `ids` (requests.escalation)."""
    tree = set(ids)
    wanted = (InfoRequest.id, InfoRequest.case_id, InfoRequest.status)  # not the requests' personal data
    approvals = select(*wanted).where(col(InfoRequest.status).in_(APPROVAL_STATUSES), sa.or_(
        col(InfoRequest.requesting_authority_id).in_(ids), col(InfoRequest.responding_authority_id).in_(ids)))
    opinions = select(*wanted).where(InfoRequest.status == RequestStatus.IN_REFERRAL, sa.exists(
        sa.select(ReferralOpinion.request_id).where(ReferralOpinion.request_id == InfoRequest.id,
                                                    col(ReferralOpinion.at).is_(None),
                                                    col(ReferralOpinion.coordinator_id).in_(ids))))
    requests = [*session.exec(approvals.limit(WAITING_LIMIT)).all(),
                *session.exec(opinions.limit(WAITING_LIMIT)).all()]
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
    grid = _grid(session, ids=ids, side=side, area_id=area_id, bounds=bounds, now=now)
    per: dict[int, list[float]] = {}  # authority -> its counts over the period, laid out as the grid's
    if months[0].first != period.first:  # longer than the trend shows: the whole period counted apart
        start, end = period.bounds(own.country_code)
        for authority_id, *counts in _counts(session, authority_ids=ids, side=side, area_id=area_id, start=start,
                                             end=end, now=now, by_authority=True, with_answer_days=True):
            indicators = [float(v or 0) for v in counts[:len(INDICATOR_COUNTS)]]
            per[authority_id] = [*indicators, 0.0, *(float(v or 0) for v in counts[len(INDICATOR_COUNTS):])]
    else:
        for (authority_id, _month), cell in grid.items():
            per[authority_id] = [a + b for a, b in zip(per.get(authority_id, [0.0] * GRID_WIDTH), cell, strict=True)]
    total = _sums(list(per.values()))
    trend, volume = [], []
    for index, month in enumerate(months):
        cell = _sums([c for (_a, m), c in grid.items() if m == index])
        trend.append((date(month.first.year, month.first.month, 1), _card(cell)))
        volume.append(int(cell[len(INDICATOR_COUNTS)]))
    cards = {authority_id: _card(row) for authority_id, row in per.items()}
    names = {row[0]: row for row in session.execute(sa.select(Authority.id, Authority.official_name, Authority.country_code)
                                                     .where(col(Authority.id).in_(list(cards)))).all()}
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
