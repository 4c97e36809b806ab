"""The one access policy: `can(session, actor, action, obj)`, deny by default (SEC-10)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session, select

from imi_app.models import Authority, Role, RoleAssignment, User

log = logging.getLogger(__name__)


def is_active_user(user: User | None) -> bool:
    return bool(user and user.id and user.is_active and user.blocked_at is None
                and not user.password_is_temporary)


def coordinator_chain(session: Session, authority_id: int) -> list[int]:
    """Ids of the coordinators above an authority, nearest first (the tree per country)."""
    chain: list[int] = []
    current = session.get(Authority, authority_id)
    while current and current.parent_coordinator_id and current.parent_coordinator_id not in chain:
        chain.append(current.parent_coordinator_id)
        current = session.get(Authority, current.parent_coordinator_id)
    return chain


def has_area_role(session: Session, user: User, role: str) -> bool:
    return session.exec(
        select(RoleAssignment.id).where(RoleAssignment.user_id == user.id, RoleAssignment.role == role)
    ).first() is not None


def _lda_of(actor: User, authority_id: int | None) -> bool:
    return actor.is_lda and authority_id is not None and actor.authority_id == authority_id


def _manage_users(session: Session, actor: User, obj: object) -> bool:
    if isinstance(obj, Authority):
        return _lda_of(actor, obj.id)
    if isinstance(obj, User):
        return _lda_of(actor, obj.authority_id)
    return False


def _reset_password(session: Session, actor: User, obj: object) -> bool:
    if not isinstance(obj, User):
        return False
    if _lda_of(actor, obj.authority_id):
        return True
    # The coordinator's data administrator resets the passwords of the LDAs it coordinates.
    return (
        obj.is_lda
        and actor.authority_id in coordinator_chain(session, obj.authority_id)
        and has_area_role(session, actor, Role.DATA_ADMINISTRATOR)
    )


def _edit_own_authority(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, Authority) and _lda_of(actor, obj.id)


def _view_outbox(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, Authority) and _lda_of(actor, obj.id)


def _edit_own_profile(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, User) and obj.id == actor.id


RULES: dict[str, Callable[[Session, User, object], bool]] = {
    "user.list": _manage_users,
    "user.register": _manage_users,
    "user.edit": _manage_users,
    "user.set_active": _manage_users,
    "user.reset_password": _reset_password,
    "authority.edit_own": _edit_own_authority,
    "outbox.view": _view_outbox,
    "profile.edit": _edit_own_profile,
}


def can(session: Session, actor: User | None, action: str, obj: object) -> bool:
    """True only when a rule for `action` exists and allows it; any error means no."""
    if not is_active_user(actor):
        return False
    rule = RULES.get(action)
    if rule is None:
        return False
    try:
        return bool(rule(session, actor, obj))
    except Exception:  # noqa: BLE001 - a failing rule must deny, never allow
        log.exception("permission rule %s failed", action)
        return False


def visible_users_query(actor: User):
    """The users an actor may list: those of their own authority, for an LDA; nobody otherwise."""
    query = select(User)
    if actor.is_lda:
        return query.where(User.authority_id == actor.authority_id)
    return query.where(False)  # noqa: FBT003 - deny by default
