"""The state every page shares: language, the signed-in user (display data only), sign-out."""

from __future__ import annotations

import asyncio
import json
from http.cookies import SimpleCookie

import reflex as rx

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import _catalog, available_languages, gettext, language_name
from imi_app.authorities.models import Authority
from imi_app.accounts.models import User
from imi_app.policy import has_area_role
from imi_app.accounts.models import Role
from imi_app.accounts import auth
from imi_app.core.errors import ServiceError, ValidationFailed
from imi_app.web import COOKIE_NAME


def post_form_script(action: str, fields: dict[str, str]) -> str:
    """JavaScript that submits a real POST form, so the response can set an HttpOnly cookie.

    It also drops the tab's Reflex token: after signing in or out the tab starts with fresh
    server-side state, so nothing one user saw stays in the state of the next."""
    return (
        "(() => {window.sessionStorage.removeItem('token'); "
        "const f = document.createElement('form'); f.method = 'POST'; "
        f"f.action = {json.dumps(action)}; "
        f"for (const [k, v] of Object.entries({json.dumps(fields)})) "
        "{const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);} "
        "document.body.appendChild(f); f.submit();})()"
    )


class AppState(rx.State):
    lang: str = rx.LocalStorage("en", name="imi_lang", sync=True)
    signed_in: bool = False
    user_name: str = ""
    username: str = ""
    authority_name: str = ""
    is_lda: bool = False
    is_data_admin: bool = False

    @rx.var
    def texts(self) -> dict[str, str]:
        return dict(_catalog(self.lang)) if self.lang != "en" else {}

    @rx.var
    def languages(self) -> list[list[str]]:
        return [[code, language_name(code)] for code in available_languages()]

    def _tr(self, message: str, **params: object) -> str:
        return gettext(self.lang, message, **params)

    def _token(self) -> str | None:
        cookie = SimpleCookie()
        try:
            cookie.load(self.router.headers.cookie or "")
        except Exception:  # noqa: BLE001 - a malformed cookie header means no session
            return None
        morsel = cookie.get(COOKIE_NAME)
        return morsel.value if morsel else None

    def _current_user(self, *, touch: bool = True) -> User | None:
        """The signed-in user, checked against the database on every call (SEC-9)."""
        return auth.resolve_session(self._token(), touch=touch)

    def _active_user(self) -> User | None:
        user = self._current_user()
        if user is None or user.password_is_temporary:
            return None
        return user

    def _show_user(self, user: User) -> None:
        with session_scope() as session:
            authority = session.get(Authority, user.authority_id)
            self.is_data_admin = bool(authority and authority.is_coordinator
                                      and has_area_role(session, user, Role.DATA_ADMINISTRATOR))
        self.signed_in = True
        self.user_name = user.full_name
        self.username = user.username
        self.authority_name = authority.official_name if authority else ""
        self.is_lda = user.is_lda
        if user.language in available_languages():
            self.lang = user.language

    def _forget_user(self) -> None:
        self.signed_in = False
        self.user_name = self.username = self.authority_name = ""
        self.is_lda = self.is_data_admin = False

    @rx.event
    def require_user(self):
        """on_load of every signed-in page."""
        user = self._current_user()
        if user is None:
            self._forget_user()
            return rx.redirect(routes.LOGIN, replace=True)
        if user.password_is_temporary:
            return rx.redirect(routes.SETUP, replace=True)
        self._show_user(user)
        return None

    @rx.event
    def check_still_signed_in(self):
        """Runs every minute in open tabs: ending a session elsewhere signs them out too."""
        if self.signed_in and self._current_user(touch=False) is None:
            self._forget_user()
            return rx.redirect(routes.LOGIN, replace=True)
        return None

    @rx.event
    def set_language(self, language: str):
        if language in available_languages():
            self.lang = language

    @rx.event
    def sign_out(self):
        self._forget_user()
        return rx.call_script(post_form_script(routes.SESSION_END, {}))

    def _fail(self, error: ServiceError) -> rx.event.EventSpec:
        """A toast for errors that belong to no single field."""
        return rx.toast.error(self._tr(error.message, **error.params))

    def _field_errors(self, error: ValidationFailed) -> dict[str, str]:
        return {field: self._tr(message) for field, message in error.errors.items()}

    def _form_refused(self, error: ServiceError) -> rx.event.EventSpec:
        """A form the service refused, for a state with an `errors` var: a validation failure's messages
        go beside their fields, and a toast says what is wrong."""
        if isinstance(error, ValidationFailed):
            self.errors = self._field_errors(error)
        return self._fail(error)


async def run(fn, /, *args, **kwargs):
    """Service calls run off the event loop so one user's bcrypt does not stall the others."""
    return await asyncio.to_thread(fn, *args, **kwargs)
