"""Registering a user and editing one: details, roles per area, new password, disable/enable."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import reflex as rx

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import N_
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.accounts.models import Role, User
from imi_app.core.errors import Denied, ServiceError
from imi_app.accounts.users import (
    UserInput, UserRow, areas_of_authority, create_new_password, get_user_for_edit, register_user, require,
    set_active, update_user,
)
from imi_app.ui.common import (
    LOADING, NO_ACCESS, NOT_FOUND, READY, checked, form_value, id_from_text, roles_from_form, utc_text,
)
from imi_app.accounts.ui.users_state import user_status
from imi_app.ui.base import AppState, run

SAVED = N_("The user's details have been saved.")
NEW_PASSWORD_SENT = N_("A new temporary password has been e-mailed to the user. The account is unblocked, "
                       "the user's sessions have ended, and the user will choose a new security code.")


def _user_input(form: object) -> UserInput:
    return UserInput(full_name=form_value(form, "full_name"), email=form_value(form, "email"),  # type: ignore[arg-type]
                     phone=form_value(form, "phone"), language=form_value(form, "language"),  # type: ignore[arg-type]
                     is_lda=checked(form, "is_lda"), roles=roles_from_form(form))  # type: ignore[arg-type]


def _register(actor: User, data: UserInput) -> User:
    with session_scope() as session:
        return register_user(session, actor=actor, data=data)


def _update(actor: User, user_id: object, data: UserInput) -> None:
    with session_scope() as session:
        update_user(session, actor=actor, user_id=user_id, data=data)  # type: ignore[arg-type]


def _new_password(actor: User, user_id: object) -> None:
    with session_scope() as session:
        create_new_password(session, actor=actor, user_id=user_id)  # type: ignore[arg-type]


def _area_rows(areas: list[LegislativeArea], roles: dict[int, list[str]], language: str) -> list[dict[str, Any]]:
    return [{"id": str(a.id), "code": a.code, "name": a.name_in(language),
             "request_handler": Role.REQUEST_HANDLER in roles.get(a.id, []),
             "allocator": Role.ALLOCATOR in roles.get(a.id, [])} for a in areas]


class UserFormState(AppState):
    access: str = LOADING
    mode: str = "new"
    busy: bool = False
    errors: dict[str, str] = {}
    form_key: int = 0  # changes whenever the form must show fresh values (uncontrolled inputs)
    full_name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"
    lda: bool = False
    areas: list[dict[str, Any]] = []
    account: dict[str, Any] = {}
    # Shown once after registering; cleared as soon as the success panel goes away.
    new_username: str = ""
    new_user_email: str = ""

    def _reset_form(self, mode: str) -> None:
        self.access, self.mode, self.busy, self.errors = LOADING, mode, False, {}
        self.full_name = self.email = self.phone = self.new_username = self.new_user_email = ""
        self.language, self.lda, self.areas, self.account = "en", False, [], {}
        self.form_key += 1

    def _route_id(self) -> object:
        # The last segment of /admin/users/[user_id]; RouterData.page.params is deprecated in 0.10.
        return id_from_text(unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]))

    def _signed_in(self):
        user = self._active_user()
        if user is None:
            self._reset_form(self.mode)
        return user

    @rx.event
    def open_new(self):
        self._reset_form("new")
        redirect = self.require_user()
        user = None if redirect is not None else self._signed_in()
        if user is None:
            return redirect or rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                require(session, user, "user.register", session.get(Authority, user.authority_id),
                        "authority", user.authority_id)
                self.areas = _area_rows(areas_of_authority(session, user.authority_id), {}, self.lang)
        except Denied:
            self.access = NO_ACCESS
            return None
        self.language = self.lang
        self.access = READY
        return None

    @rx.event
    def open_edit(self):
        self._reset_form("edit")
        redirect = self.require_user()
        user = None if redirect is not None else self._signed_in()
        if user is None:
            return redirect or rx.redirect(routes.LOGIN, replace=True)
        self._load_edit(user)
        return None

    def _load_edit(self, actor: User) -> None:
        try:
            with session_scope() as session:
                require(session, actor, "user.list", session.get(Authority, actor.authority_id),
                        "authority", actor.authority_id)
        except Denied:
            self.access = NO_ACCESS
            return
        try:
            with session_scope() as session:
                user, roles = get_user_for_edit(session, actor=actor,
                                                user_id=self._route_id())  # type: ignore[arg-type]
                self.areas = _area_rows(areas_of_authority(session, user.authority_id), roles, self.lang)
        except Denied:
            self._reset_form("edit")
            self.access = NOT_FOUND
            return
        self._show_account(user, is_self=user.id == actor.id)
        self.access = READY

    def _show_account(self, user: User, *, is_self: bool) -> None:
        self.full_name, self.email, self.phone, self.language = user.full_name, user.email, user.phone, user.language
        self.lda = user.is_lda
        row = UserRow(user.id, user.username, user.full_name, user.email, user.is_active,
                      user.blocked_at is not None, user.is_lda, user.password_is_temporary)
        self.account = {"id": user.id, "username": user.username, "status": user_status(row),
                        "active": user.is_active, "is_self": is_self, "registered": utc_text(user.created_at),
                        "last_login": utc_text(user.last_login_at)}
        self.form_key += 1

    @rx.event
    async def submit(self, form: dict):
        actor = self._active_user()
        if actor is None:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        if self.access != READY or self.busy:
            return
        data = _user_input(form)
        self.busy = True
        yield
        try:
            if self.mode == "new":
                user = await run(_register, actor, data)
            else:
                await run(_update, actor, self._route_id(), data)
        except ServiceError as error:
            yield self._form_refused(error)
            return
        finally:
            self.busy = False
        self.errors = {}
        if self.mode == "new":
            self.new_username, self.new_user_email = user.username, user.email
            self.form_key += 1
        else:
            self._load_edit(actor)
            yield rx.toast.success(self._tr(SAVED))

    @rx.event
    def register_another(self):
        self.new_username = self.new_user_email = ""
        self.errors = {}
        self.form_key += 1

    @rx.event
    def forget_new_username(self):
        """on_unmount of the success panel: the username is never shown a second time."""
        self.new_username = self.new_user_email = ""

    @rx.event
    def back_to_list(self):
        self.forget_new_username()
        return rx.redirect(routes.ADMIN_USERS)

    @rx.event
    async def create_password(self):
        actor = self._active_user()
        if actor is None:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        self.busy = True
        yield
        try:
            await run(_new_password, actor, self._route_id())
        except ServiceError as error:
            yield self._fail(error)
            return
        finally:
            self.busy = False
        self._load_edit(actor)
        yield rx.toast.success(self._tr(NEW_PASSWORD_SENT))

    @rx.event
    def change_active(self, active: bool):
        actor = self._active_user()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                set_active(session, actor=actor, user_id=self._route_id(), active=active)  # type: ignore[arg-type]
        except ServiceError as error:
            return self._fail(error)
        self._load_edit(actor)
        message = N_("The user can sign in again.") if active else N_("The user is disabled and has been signed out.")
        return rx.toast.success(self._tr(message))
