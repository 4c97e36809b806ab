"""What a coordinator's data administrator reads: the authorities it coordinates, one in detail, form choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as sa_orm
from sqlmodel import Session, func, select

from imi_app.authorities.models import (
    Authority, AuthorityArea, AuthorityName, AuthorityStatus, Invitation, LegislativeArea,
)
from imi_app.accounts.models import User
from imi_app.accounts.users import UserRow, user_row
from imi_app.core.actions import query
from imi_app.core.edges import is_id
from imi_app.core.time import as_utc
from imi_app.authorities import rules as _rules  # noqa: F401 - registers the authority rules
from imi_app.policy import restrict
from imi_app.authorities.coordination import area_ids_of, grantable_area_ids, open_request_count
from imi_app.policy import deny, require
from imi_app.core.text import fold

PAGE_SIZE = 20
STATUSES = (AuthorityStatus.ACTIVE, AuthorityStatus.PENDING, AuthorityStatus.REJECTED)


@dataclass(frozen=True)
class CoordinatedRow:
    id: int
    name: str
    status: str
    is_coordinator: bool
    coordinator: str
    area_ids: tuple[int, ...]
    created_at: datetime | None


@dataclass(frozen=True)
class AreaRow:
    area: LegislativeArea
    granted: bool
    keywords: str
    can_change: bool  # the viewer is a data administrator in this area
    open_requests: int


@dataclass(frozen=True)
class CoordinatedDetail:
    authority: Authority
    coordinator: str
    other_names: dict[str, str]
    areas: list[AreaRow]
    ldas: list[UserRow]
    validated_by: str
    invited_email: str


def _escaped_like(text: str) -> str:
    # The user's % and _ are searched for, not used as wildcards.
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filtered(session: Session, actor: User, search: object, status: object, area_id: object):
    query = restrict(session, actor, Authority, "coordination.view")
    if status in STATUSES:
        query = query.where(Authority.status == status)
    if is_id(area_id):
        query = query.where(sa.exists().where(AuthorityArea.authority_id == Authority.id,
                                              AuthorityArea.area_id == area_id))
    folded = fold(search[:100] if isinstance(search, str) else "").strip()
    if folded:
        like = _escaped_like(folded)
        query = query.where(sa.or_(
            Authority.name_key.like(like, escape="\\"),  # type: ignore[attr-defined]
            sa.exists().where(AuthorityName.authority_id == Authority.id,
                              AuthorityName.name_key.like(like, escape="\\"))))  # type: ignore[attr-defined]
    return query


def _rows(session: Session, query, *, order, offset: int, limit: int) -> list[CoordinatedRow]:
    parent = sa_orm.aliased(Authority)
    inner = query.subquery()
    listed = sa_orm.aliased(Authority, inner)
    found = session.execute(
        sa.select(listed, parent.official_name).join(parent, parent.id == listed.parent_coordinator_id, isouter=True)
        .order_by(*order(listed)).offset(offset).limit(limit)).all()
    ids = [row[0].id for row in found]
    areas: dict[int, list[int]] = {}
    if ids:
        for authority_id, area_id in session.exec(select(AuthorityArea.authority_id, AuthorityArea.area_id).where(
                AuthorityArea.authority_id.in_(ids)).order_by(AuthorityArea.area_id)).all():  # type: ignore[attr-defined]
            areas.setdefault(authority_id, []).append(area_id)
    return [CoordinatedRow(a.id, a.official_name, a.status, a.is_coordinator, parent_name or "",
                           tuple(areas.get(a.id, [])), as_utc(a.created_at)) for a, parent_name in found]


def list_coordinated(session: Session, *, actor: User, search: object = "", status: object = "",
                     area_id: object = None, page: object = 1,
                     page_size: int = PAGE_SIZE) -> tuple[list[CoordinatedRow], int]:
    """One page of the authorities the actor coordinates (every status), sorted by folded name."""
    require(session, actor, "coordination.list", session.get(Authority, actor.authority_id), "authority",
            actor.authority_id)
    query = _filtered(session, actor, search, status, area_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = page if is_id(page) else 1
    rows = _rows(session, query, order=lambda t: (t.name_key, t.id), offset=(page - 1) * page_size,
                 limit=page_size)
    return rows, total


def pending_queue(session: Session, *, actor: User, limit: int = 5) -> tuple[list[CoordinatedRow], int]:
    """The oldest registrations waiting for validation, and how many wait in all."""
    require(session, actor, "coordination.list", session.get(Authority, actor.authority_id), "authority",
            actor.authority_id)
    query = restrict(session, actor, Authority, "coordination.view").where(Authority.status == AuthorityStatus.PENDING)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    return _rows(session, query, order=lambda t: (t.created_at, t.id), offset=0, limit=limit), total


def grantable_areas(session: Session, actor: User) -> list[LegislativeArea]:
    ids = grantable_area_ids(session, actor)
    if not ids:
        return []
    return list(session.exec(select(LegislativeArea).where(
        LegislativeArea.id.in_(ids)).order_by(LegislativeArea.code)).all())  # type: ignore[union-attr]


def all_areas(session: Session) -> list[LegislativeArea]:
    return list(session.exec(select(LegislativeArea).order_by(LegislativeArea.code)).all())


def coordinator_choices(session: Session, *, actor: User, action: str) -> list[tuple[int, str]]:
    """Where a new authority may go: the actor's own coordinator, then the active sub-coordinators below it."""
    own = session.get(Authority, actor.authority_id)
    require(session, actor, action, own, "authority", actor.authority_id)
    below = session.exec(restrict(session, actor, Authority, "coordination.view").where(
        Authority.is_coordinator.is_(True), Authority.status == AuthorityStatus.ACTIVE)  # type: ignore[attr-defined]
        .order_by(Authority.name_key)).all()
    return [(own.id, own.official_name)] + [(a.id, a.official_name) for a in below]


def _ldas(session: Session, authority_id: int) -> list[UserRow]:
    users = session.exec(select(User).where(User.authority_id == authority_id, User.is_lda.is_(True))  # type: ignore[attr-defined]
                         .order_by(User.full_name, User.id)).all()
    return [user_row(u) for u in users]


@query
def coordinated_detail(session: Session, *, actor: User, authority_id: object) -> CoordinatedDetail:
    if not is_id(authority_id):
        raise deny(session, actor, "coordination.view", "authority", repr(authority_id)[:40])
    target = session.get(Authority, authority_id)
    require(session, actor, "coordination.view", target, "authority", authority_id)
    granted = {row.area_id: row.keywords for row in session.exec(
        select(AuthorityArea).where(AuthorityArea.authority_id == target.id)).all()}
    changeable = grantable_area_ids(session, actor)
    areas = [AreaRow(area, area.id in granted, granted.get(area.id, ""), area.id in changeable,
                     open_request_count(session, target.id, area.id) if area.id in granted else 0)
             for area in all_areas(session) if area.id in granted or area.id in changeable]
    names = {row.language: row.name for row in session.exec(
        select(AuthorityName).where(AuthorityName.authority_id == target.id).order_by(AuthorityName.language)).all()}
    parent = session.get(Authority, target.parent_coordinator_id) if target.parent_coordinator_id else None
    validator = session.get(User, target.validated_by_user_id) if target.validated_by_user_id else None
    invitation = session.exec(select(Invitation).where(Invitation.authority_id == target.id)).first()
    return CoordinatedDetail(target, parent.official_name if parent else "", names, areas, _ldas(session, target.id),
                             validator.full_name if validator else "", invitation.email if invitation else "")


@dataclass(frozen=True)
class CoordinatedPage:
    """The list screen: one page of the filtered list, the validation queue, and every area (names, filter)."""

    areas: list[LegislativeArea]
    rows: list[CoordinatedRow]
    total: int
    queue: list[CoordinatedRow]
    waiting: int


@query
def coordinated_page(session: Session, *, actor: User, search: object = "", status: object = "",
                     area_id: object = None, page: object = 1) -> CoordinatedPage:
    rows, total = list_coordinated(session, actor=actor, search=search, status=status, area_id=area_id, page=page)
    queue, waiting = pending_queue(session, actor=actor)
    return CoordinatedPage(all_areas(session), rows, total, queue, waiting)


@dataclass(frozen=True)
class FormChoices:
    """What a registration or invitation form offers: where the authority may go, in which country and areas."""

    coordinators: list[tuple[int, str]]  # the actor's own coordinator first
    country_code: str
    areas: list[LegislativeArea]  # the areas the actor may grant; none for an invitation


def _choices(session: Session, actor: User, action: str, areas: bool) -> FormChoices:
    coordinators = coordinator_choices(session, actor=actor, action=action)
    own = session.get(Authority, actor.authority_id)
    return FormChoices(coordinators, own.country_code if own else "", grantable_areas(session, actor) if areas else [])


@query
def register_form(session: Session, *, actor: User) -> FormChoices:
    return _choices(session, actor, "coordination.register", areas=True)


@query
def invite_form(session: Session, *, actor: User) -> FormChoices:
    return _choices(session, actor, "coordination.invite", areas=False)


__all__ = ["PAGE_SIZE", "STATUSES", "AreaRow", "CoordinatedDetail", "CoordinatedPage", "CoordinatedRow", "FormChoices",
           "all_areas", "area_ids_of", "coordinated_detail", "coordinated_page", "coordinator_choices",
           "grantable_areas", "invite_form", "list_coordinated", "pending_queue", "register_form"]
