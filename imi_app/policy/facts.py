"""The facts every rule builds on: is the user active, which roles they hold, the coordinator tree."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as sa_orm
from sqlmodel import Session, col, select

from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.authorities.models import Authority, AuthorityStatus
from imi_app.core.db import READ_ONLY

_ROLES_MEMO = "imi_area_roles"


def is_active_user(user: User | None) -> bool:
    return bool(user and user.id and user.is_active and user.blocked_at is None
                and not user.password_is_temporary)


def lda_of(actor: User, authority_id: int | None) -> bool:
    """The actor is a local data administrator of that authority."""
    return actor.is_lda and authority_id is not None and actor.authority_id == authority_id


def area_roles(session: Session, user_id: int | None) -> dict[str, frozenset[int]]:
    """Role -> the legislative areas the user holds it in, in one statement. A read-only transaction (a
    screen's query) reads them once: nothing can change them before it ends."""
    memo = session.info.setdefault(_ROLES_MEMO, {}) if session.info.get(READ_ONLY) else None
    if memo is not None and user_id in memo:
        return memo[user_id]
    found: dict[str, set[int]] = {}
    for role, area_id in session.exec(select(RoleAssignment.role, RoleAssignment.area_id).where(
            RoleAssignment.user_id == user_id)).all():
        found.setdefault(str(role), set()).add(area_id)
    roles = {role: frozenset(areas) for role, areas in found.items()}
    if memo is not None:
        memo[user_id] = roles
    return roles


def areas_with_role(session: Session, user: User, *roles: str) -> set[int]:
    """The areas where the user holds any of `roles`."""
    held = area_roles(session, user.id)
    return set().union(*(held.get(role, ()) for role in roles))


def has_area_role(session: Session, user: User, role: str) -> bool:
    """The user holds `role` in at least one legislative area."""
    return bool(area_roles(session, user.id).get(role))


def has_role_in_area(session: Session, user: User, role: str, area_id: int) -> bool:
    return area_id in area_roles(session, user.id).get(role, ())


def coordinator_chain(session: Session, authority_id: int) -> list[int]:
    """Ids of the coordinators above an authority, nearest first (the tree per country)."""
    chain: list[int] = []
    current = session.get(Authority, authority_id)
    while current and current.parent_coordinator_id and current.parent_coordinator_id not in chain:
        chain.append(current.parent_coordinator_id)
        current = session.get(Authority, current.parent_coordinator_id)
    return chain


def acting_coordinator(session: Session, actor: User) -> Authority | None:
    """The actor's authority when it is an active coordinator and the actor one of its data administrators."""
    own = session.get(Authority, actor.authority_id)
    if own is None or not own.is_coordinator or own.status != AuthorityStatus.ACTIVE:
        return None
    return own if has_area_role(session, actor, Role.DATA_ADMINISTRATOR) else None


def coordinated_where(session: Session, actor: User) -> sa.ColumnElement[bool]:
    """The authorities a data administrator coordinates, at any depth below its coordinator; none otherwise."""
    own = acting_coordinator(session, actor)
    if own is None:
        return sa.false()
    return col(Authority.id).in_(authorities_below(own.id))  # type: ignore[arg-type]


def authorities_below(coordinator_id: int) -> sa.Select:
    """SELECT of the ids of every authority below a coordinator, at any depth (the coordinator not included)."""
    tree = sa.select(Authority.id).where(Authority.parent_coordinator_id == coordinator_id).cte(
        "coordinated", recursive=True)
    below = sa_orm.aliased(Authority)
    # UNION (not UNION ALL) also ends the walk if bad data ever made a cycle.
    tree = tree.union(sa.select(below.id).where(below.parent_coordinator_id == tree.c.id))
    return sa.select(tree.c.id)


def coordinator_staff_of(session: Session, actor: User) -> Authority | None:
    """The actor's authority when it is an active coordinator and the actor acts for it in some area (a data
    administrator or an approver-referee)."""
    own = session.get(Authority, actor.authority_id)
    if own is None or not own.is_coordinator or own.status != AuthorityStatus.ACTIVE:
        return None
    return own if areas_with_role(session, actor, Role.DATA_ADMINISTRATOR, Role.APPROVER_REFEREE) else None
