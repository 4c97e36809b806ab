"""The requests behind one figure of the scoreboard: the overview's figure filter (docs/INDICATORS.md).

A dashboard figure links to the overview with the figure's indicator, authority (or the whole tree), side,
legislative area and period in the address. The list holds exactly the requests the figure counts
(figures.counted, the scoreboard's own condition) and the permission is checked here again: the staff of a
coordinator reach its tree only, anyone else only the own authority.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.accounts.models import User
from imi_app.authorities.models import Authority
from imi_app.core.edges import is_id
from imi_app.core.time import start_of_day, utcnow
from imi_app.policy import authorities_below, coordinator_staff_of, deny, is_active_user
from imi_app.requests.figures import INDICATOR_KEYS, counted
from imi_app.requests.models import InfoRequest, RequestFigures
from imi_app.requests.overview import OverviewPage, OverviewRow, overview_rows
from imi_app.requests.visibility import INCOMING, OUTGOING

F = RequestFigures
SIDES = (INCOMING, OUTGOING)
LONGEST = timedelta(days=5 * 366)  # the dashboard's longest chosen period
MAX_OFFSET = 100_000


@dataclass(frozen=True)
class FigureFilter:
    indicator: str  # one of figures.INDICATOR_KEYS
    first: date  # the period's first and last day, both included, in the coordinator's (or own) country
    last: date
    authority_id: int | None = None  # None: the whole tree of the actor's coordinator (or the own authority)
    side: str = INCOMING
    area_id: int | None = None

    def query(self) -> dict[str, str]:
        """The address's query parameters (routes.figure_requests)."""
        values = {"figure": self.indicator, "side": self.side, "from": self.first.isoformat(),
                  "to": self.last.isoformat()}
        if self.authority_id is not None:
            values["authority"] = str(self.authority_id)
        if self.area_id is not None:
            values["area"] = str(self.area_id)
        return values


def parse_figure_filter(params: dict) -> FigureFilter | None:
    """The filter of an address's query parameters; None when there is none or it is not valid."""
    try:
        indicator, side = str(params.get("figure", "")), str(params.get("side", INCOMING))
        first, last = date.fromisoformat(str(params["from"])), date.fromisoformat(str(params["to"]))
        authority = int(params["authority"]) if params.get("authority", "") != "" else None
        area = int(params["area"]) if params.get("area", "") != "" else None
    except (KeyError, ValueError, TypeError):
        return None
    if indicator not in INDICATOR_KEYS or side not in SIDES or first > last or last - first > LONGEST:
        return None
    if any(v is not None and not is_id(v) for v in (authority, area)):
        return None
    return FigureFilter(indicator, first, last, authority, side, area)


@dataclass(frozen=True)
class FigureScope:
    authority_ids: list[int]
    country: str  # whose days the period's bounds are read in (as the dashboard reads them)
    name: str  # the one authority's name, or the coordinator's for its whole tree
    whole_tree: bool


def figure_scope(session: Session, actor: User | None, wanted: FigureFilter) -> FigureScope:
    """What the actor may list behind a figure, or an audited Denied: a coordinator's staff its tree (all of
    it, or one authority of it), anyone else the own authority."""
    def refused() -> Exception:
        return deny(session, actor, "scoreboard.view", "authority", wanted.authority_id)

    if not is_active_user(actor):
        raise refused()
    coordinator = coordinator_staff_of(session, actor)  # type: ignore[arg-type]
    if coordinator is None:
        own = session.get(Authority, actor.authority_id)  # type: ignore[union-attr]
        if own is None or wanted.authority_id not in (None, own.id):
            raise refused()
        return FigureScope([own.id], own.country_code, own.official_name, False)  # type: ignore[list-item]
    tree = sa.union(authorities_below(coordinator.id), sa.select(sa.literal(coordinator.id)))  # type: ignore[arg-type]
    ids = [row[0] for row in session.execute(tree).all()]
    if wanted.authority_id is None:
        return FigureScope(ids, coordinator.country_code, coordinator.official_name, True)
    one = session.get(Authority, wanted.authority_id) if wanted.authority_id in ids else None
    if one is None:
        raise refused()
    return FigureScope([one.id], coordinator.country_code, one.official_name, False)  # type: ignore[list-item]


def figure_condition(scope: FigureScope, wanted: FigureFilter, now: datetime) -> list:
    """The WHERE of the requests behind the figure: the scope's side, the area, the indicator's count."""
    start = start_of_day(wanted.first, scope.country)
    end = start_of_day(wanted.last + timedelta(days=1), scope.country)
    side = col(F.responding_authority_id) if wanted.side == INCOMING else col(F.requesting_authority_id)
    where = [side.in_(scope.authority_ids), counted(wanted.indicator, start, end, now)]
    if wanted.area_id is not None:
        where.append(F.area_id == wanted.area_id)
    return where


@dataclass(frozen=True)
class FigurePage:
    page: OverviewPage  # next_cursor: the offset of the next page, as text
    total: int  # every request behind the figure: the figure's "requests counted"
    name: str
    whole_tree: bool


def figure_requests(session: Session, *, actor: User | None, wanted: FigureFilter, after: str | None = None,
                    limit: int = 25, now: datetime | None = None) -> FigurePage:
    """One page of the requests behind a figure, the last changed first. The subject and the handlers are
    shown only of the requests the actor's authority takes part in; the others show their responder or
    requester of the tree instead (the scoreboard's view, not the request's)."""
    scope = figure_scope(session, actor, wanted)
    where = figure_condition(scope, wanted, now or utcnow())
    offset = int(after) if after and after.isdigit() and int(after) <= MAX_OFFSET else 0
    total = session.execute(sa.select(sa.func.count()).select_from(F).where(*where)).scalar_one()
    picked = session.execute(sa.select(F.request_id).join(InfoRequest, InfoRequest.id == F.request_id).where(*where)
                             .order_by(col(InfoRequest.updated_at).desc(), col(InfoRequest.id).desc())
                             .offset(offset).limit(limit + 1)).scalars().all()
    more = len(picked) > limit
    picked = list(picked[:limit])
    rows = overview_rows(session, actor, [(i, wanted.side) for i in picked])  # type: ignore[arg-type]
    rows = _hide_others(session, actor, rows, wanted.side)  # type: ignore[arg-type]
    page = OverviewPage(tuple(rows), str(offset + limit) if more else None)
    return FigurePage(page, int(total), scope.name, scope.whole_tree)


def _hide_others(session: Session, actor: User, rows: list[OverviewRow], side: str) -> list[OverviewRow]:
    if not rows:
        return rows
    own = actor.authority_id
    parties = {r.id: r for r in session.exec(select(
        InfoRequest.id, InfoRequest.requesting_authority_id, InfoRequest.responding_authority_id,
        InfoRequest.forwarded_from_authority_id).where(col(InfoRequest.id).in_([r.request_id for r in rows]))).all()}
    names = dict(session.exec(select(Authority.id, Authority.official_name).where(col(Authority.id).in_(
        {(p.responding_authority_id if side == INCOMING else p.requesting_authority_id)
         for p in parties.values()}))).all())
    shown = []
    for row in rows:
        p = parties[row.request_id]
        if own in (p.requesting_authority_id, p.responding_authority_id, p.forwarded_from_authority_id):
            shown.append(row)
            continue
        ours = p.responding_authority_id if side == INCOMING else p.requesting_authority_id
        shown.append(replace(row, subject="", handlers=(), tree_authority=names.get(ours, "")))
    return shown


__all__ = ["FigureFilter", "FigurePage", "FigureScope", "figure_condition", "figure_requests", "figure_scope",
           "parse_figure_filter"]
