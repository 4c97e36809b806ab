"""What the user administration forms show, and their changes: one query or action per click."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from imi_app.accounts.models import Role, User
from imi_app.accounts.users import (
    UserInput, areas_of_authority, create_new_password, get_user_for_edit, set_active, update_user, user_roles,
    user_row, user_status,
)
from imi_app.authorities.models import Authority
from imi_app.core.actions import action, query
from imi_app.core.errors import Denied
from imi_app.policy import can, require


@dataclass(frozen=True)
class AreaChoice:
    """A legislative area of the authority, with the area roles the user holds in it."""

    id: int
    code: str
    name: str
    request_handler: bool = False
    allocator: bool = False


@dataclass(frozen=True)
class UserAccount:
    """The account as the edit form shows it."""

    id: int
    username: str
    full_name: str
    email: str
    phone: str
    language: str
    is_lda: bool
    is_active: bool
    status: str  # see `user_status`
    is_self: bool
    registered_at: datetime | None
    last_login_at: datetime | None


@dataclass(frozen=True)
class UserEdit:
    account: UserAccount
    areas: tuple[AreaChoice, ...]


def _areas(session: Session, authority_id: int, roles: dict[int, list[str]], language: str) -> tuple[AreaChoice, ...]:
    return tuple(AreaChoice(area.id, area.code, area.name_in(language),
                            Role.REQUEST_HANDLER in roles.get(area.id, []), Role.ALLOCATOR in roles.get(area.id, []))
                 for area in areas_of_authority(session, authority_id))


def _edit(session: Session, actor: User, user: User, roles: dict[int, list[str]], language: str) -> UserEdit:
    account = UserAccount(user.id, user.username, user.full_name, user.email, user.phone, user.language,
                          user.is_lda, user.is_active, user_status(user_row(user)), user.id == actor.id,
                          user.created_at, user.last_login_at)
    return UserEdit(account, _areas(session, user.authority_id, roles, language))


@query
def new_user_form(session: Session, *, actor: User, language: str) -> tuple[AreaChoice, ...]:
    """The areas a new user may get roles in; Denied unless the actor may register users."""
    require(session, actor, "user.register", session.get(Authority, actor.authority_id), "authority",
            actor.authority_id)
    return _areas(session, actor.authority_id, {}, language)


@query
def user_edit_form(session: Session, *, actor: User, user_id: object, language: str) -> UserEdit | None:
    """Denied when the actor administers no users at all; None (the refusal audited) when this user
    is not one of theirs or the id is no id, so the page cannot tell which users exist elsewhere."""
    require(session, actor, "user.list", session.get(Authority, actor.authority_id), "authority",
            actor.authority_id)
    try:
        user, roles = get_user_for_edit.within(session, actor=actor, user_id=user_id)
    except Denied:
        return None
    return _edit(session, actor, user, roles, language)


def _edit_after_change(session: Session, actor: User, user: User, language: str) -> UserEdit | None:
    # `can`, not `require`: a refusal here would roll back the change that was just allowed (a data
    # administrator resets a coordinated LDA's password but does not administer that user).
    if not (can(session, actor, "user.list", session.get(Authority, actor.authority_id))
            and can(session, actor, "user.edit", user)):
        return None
    return _edit(session, actor, user, user_roles(session, user.id), language)


@action
def save_user(session: Session, *, actor: User, user_id: object, data: UserInput, language: str) -> UserEdit | None:
    """The edit form saved; what it shows afterwards."""
    user = update_user.within(session, actor=actor, user_id=user_id, data=data)
    return _edit_after_change(session, actor, user, language)


@action
def renew_password(session: Session, *, actor: User, user_id: object, language: str) -> UserEdit | None:
    """A new temporary password for the user (see `create_new_password`); what the form shows afterwards."""
    user = create_new_password(session, actor=actor, user_id=user_id)
    return _edit_after_change(session, actor, user, language)


@action
def change_active(session: Session, *, actor: User, user_id: object, active: object,
                  language: str) -> UserEdit | None:
    """The user disabled or enabled again; what the form shows afterwards."""
    user = set_active.within(session, actor=actor, user_id=user_id, active=active)
    return _edit_after_change(session, actor, user, language)
