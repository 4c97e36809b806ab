"""Who may manage users, reset passwords, read the outbox and edit a profile (registered with the policy)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from imi_app.accounts.models import Role, User
from imi_app.authorities.models import Authority, AuthorityStatus
from imi_app.policy import core
from imi_app.policy.facts import coordinator_chain, has_area_role, lda_of


def _manage_users(session: Session, actor: User, obj: object) -> bool:
    if isinstance(obj, Authority):
        return lda_of(actor, obj.id)
    if isinstance(obj, User):
        return lda_of(actor, obj.authority_id)
    return False


def _reset_password(session: Session, actor: User, obj: object) -> bool:
    if not isinstance(obj, User):
        return False
    if lda_of(actor, obj.authority_id):
        return True
    # The coordinator's data administrator resets the passwords of the LDAs of the active
    # authorities it coordinates (a pending one has nobody who could sign in yet).
    target_authority = session.get(Authority, obj.authority_id)
    return (
        obj.is_lda
        and target_authority is not None
        and target_authority.status == AuthorityStatus.ACTIVE
        and actor.authority_id in coordinator_chain(session, obj.authority_id)
        and has_area_role(session, actor, Role.DATA_ADMINISTRATOR)
    )


def _view_outbox(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, Authority) and lda_of(actor, obj.id)


def _edit_own_profile(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, User) and obj.id == actor.id


def _listed_users(session: Session, actor: User) -> sa.ColumnElement[bool]:
    """The users an actor may list: those of their own authority, for an LDA; nobody otherwise."""
    return User.authority_id == actor.authority_id if actor.is_lda else sa.false()  # type: ignore[return-value]


core.register({
    "user.list": _manage_users,
    "user.register": _manage_users,
    "user.edit": _manage_users,
    "user.set_active": _manage_users,
    "user.reset_password": _reset_password,
    "outbox.view": _view_outbox,
    "profile.edit": _edit_own_profile,
})
core.register_filter(User, "user.list", _listed_users)
