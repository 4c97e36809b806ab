"""The facts every rule builds on: is the user active, which roles they hold, the coordinator tree."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as sa_orm
from sqlmodel import Session, col, select

from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.authorities.models import Authority, AuthorityStatus


def is_active_user(user: User | None) -> bool:
    return bool(user and user.id and user.is_active and user.blocked_at is None
                and not user.password_is_temporary)


def lda_of(actor: User, authority_id: int | None) -> bool:
    """The actor is a local data administrator of that authority."""
    return actor.is_lda and authority_id is not None and actor.authority_id == authority_id


def has_area_role(session: Session, user: User, role: str) -> bool:
    """The user holds `role` in at least one legislative area."""
    return session.exec(
        select(RoleAssignment.id).where(RoleAssignment.user_id == user.id, RoleAssignment.role == role)
    ).first() is not None


def has_role_in_area(session: Session, user: User, role: str, area_id: int) -> bool:
    return session.exec(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == role, RoleAssignment.area_id == area_id)
    ).first() is not None


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
    staff = session.exec(select(RoleAssignment.id).where(
        RoleAssignment.user_id == actor.id,
        col(RoleAssignment.role).in_((Role.DATA_ADMINISTRATOR, Role.APPROVER_REFEREE)))).first()
    return own if staff is not None else None
