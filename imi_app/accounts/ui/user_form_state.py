"""Registering a user and editing one: details, roles per area, new password, disable/enable."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import unquote

import reflex as rx

from imi_app.core import routes
from imi_app.core.i18n import N_
from imi_app.core.errors import Denied
from imi_app.accounts import user_views
from imi_app.accounts.user_views import AreaChoice, UserEdit
from imi_app.accounts.users import UserInput, register_user
from imi_app.ui.common import (
    LOADING, NO_ACCESS, NOT_FOUND, READY, checked, form_value, id_from_text, roles_from_form,
)
from imi_app.ui.base import AppState, run

SAVED = N_("The user's details have been saved.")
NEW_PASSWORD_SENT = N_("A new temporary password has been e-mailed to the user. The account is unblocked, "
                       "the user's sessions have ended, and the user will choose a new security code.")


def _user_input(form: object) -> UserInput:
    # As sent: the service refuses wrong types beside their fields.
    return UserInput(full_name=form_value(form, "full_name"), email=form_value(form, "email"),  # type: ignore[arg-type]
                     family_name=form_value(form, "family_name"),  # type: ignore[arg-type]
                     given_name=form_value(form, "given_name"),  # type: ignore[arg-type]
                     phone=form_value(form, "phone"), language=form_value(form, "language"),  # type: ignore[arg-type]
                     is_lda=checked(form, "is_lda"), roles=roles_from_form(form))  # type: ignore[arg-type]


def _area_rows(areas: tuple[AreaChoice, ...]) -> list[dict[str, Any]]:
    return [asdict(area) | {"id": str(area.id)} for area in areas]


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
        # Not an id: the service refuses it and audits the attempt.
        return id_from_text(unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]))

    @rx.event
    async def open_new(self):
        self._reset_form("new")
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        try:
            areas = await run(user_views.new_user_form, actor=opened.actor, language=self.lang)
        except Denied:
            self.access = NO_ACCESS
            return None
        self.areas = _area_rows(areas)
        self.language = self.lang
        self.access = READY
        return None

    @rx.event
    async def open_edit(self):
        self._reset_form("edit")
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        try:
            shown = await run(user_views.user_edit_form, actor=opened.actor, user_id=self._route_id(),
                              language=self.lang)
        except Denied:
            self.access = NO_ACCESS
            return None
        self._show(shown)
        return None

    def _show(self, shown: UserEdit | None) -> None:
        """The edit form with fresh values, or "not found" when the user is not one the actor administers."""
        if shown is None:
            self._reset_form("edit")
            self.access = NOT_FOUND
            return
        user, fmt = shown.account, self._formats()
        self.full_name, self.email, self.phone, self.language = user.full_name, user.email, user.phone, user.language
        self.lda = user.is_lda
        self.areas = _area_rows(shown.areas)
        self.account = {"id": user.id, "username": user.username, "status": user.status,
                        "active": user.is_active, "is_self": user.is_self, "registered": fmt.moment(user.registered_at),
                        "last_login": fmt.moment(user.last_login_at)}
        self.form_key += 1
        self.access = READY

    @rx.event
    async def submit(self, form: dict):
        if self.access != READY or self.busy:
            return
        data = _user_input(form)
        self.busy = True
        yield
        if self.mode == "new":
            done = await self._perform(register_user, data=data)
        else:
            done = await self._perform(user_views.save_user, user_id=self._route_id(), data=data,
                                       language=self.lang)
        self.busy = False
        if not done.ok:
            yield done.events
            return
        self.errors = {}
        if self.mode == "new":
            self.new_username, self.new_user_email = done.value.username, done.value.email
            self.form_key += 1
        else:
            self._show(done.value)
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
        self.busy = True
        yield
        done = await self._perform(user_views.renew_password, refused=self._fail, user_id=self._route_id(),
                                   language=self.lang)
        self.busy = False
        if not done.ok:
            yield done.events
            return
        self._show(done.value)
        yield rx.toast.success(self._tr(NEW_PASSWORD_SENT))

    @rx.event
    async def change_active(self, active: bool):
        done = await self._perform(user_views.change_active, refused=self._fail, user_id=self._route_id(),
                                   active=active, language=self.lang)
        if not done.ok:
            return done.events
        self._show(done.value)
        message = N_("The user can sign in again.") if active else N_("The user is disabled and has been signed out.")
        return rx.toast.success(self._tr(message))
