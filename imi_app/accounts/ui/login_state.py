"""Sign-in (two steps) and the first-login set-up."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.core.i18n import N_, available_languages
from imi_app.accounts import auth
from imi_app.accounts import profile
from imi_app.accounts import throttle
from imi_app.accounts.auth import PasswordStep
from imi_app.core.errors import ValidationFailed
from imi_app.core.settings import get_settings
from imi_app.core.validation import NOT_VALID, readable
from imi_app.ui.base import AppState, post_form_script, run

FAILURE = N_("Sign-in failed. Check your username, password and the requested characters, then try again.")
BLOCKED = N_("Your account is blocked. Please contact your local data administrator.")
SET_UP_DONE = N_("Your password and security code are set. Sign in with them now.")


def _text(form: dict, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def first_login_input(form: object) -> dict[str, object]:
    """The set-up form's four secrets as sent (None when missing or unencodable); the service checks them."""
    names = ("password", "password_confirm", "code", "code_confirm")
    return {name: readable(form.get(name)) if isinstance(form, dict) else None for name in names}


class LoginState(AppState):
    step: str = "password"
    positions: list[int] = []
    error: str = ""
    busy: bool = False
    _pending: PasswordStep | None = None

    @rx.event
    async def open_login(self):
        self.step, self.error, self.busy, self._pending = "password", "", False, None
        user = await run(auth.resolve_session, self._token(), touch=False)
        if user is not None:
            return rx.redirect(routes.SETUP if user.password_is_temporary else routes.HOME, replace=True)
        return None

    def _address(self) -> str:
        """The client's address: the socket's peer, or behind a trusted proxy the one it forwarded."""
        forwarded = self.router.headers.raw_headers.get("x-forwarded-for", "")
        return throttle.client_address(self.router.session.client_ip, forwarded,
                                       trusted_proxy=get_settings().trusted_proxy)

    def _wait_error(self, seconds: int) -> str:
        message, params = throttle.wait_message(seconds)
        return self._tr(message, **params)

    @rx.event
    def start_again(self):
        self.step, self.error, self._pending = "password", "", None

    @rx.event
    async def submit_password(self, form: dict):
        username, password = _text(form, "username"), _text(form, "password", 1000)
        if not username.strip() or not password:
            self.error = self._tr("Enter your username and password.")
            return
        self.busy, self.error = True, ""
        yield
        try:
            step = await run(auth.check_password, username, password, self._address())
        except ValidationFailed:
            self.error = self._tr(NOT_VALID)
            return
        finally:
            self.busy = False
        if step.wait_seconds:
            self.error = self._wait_error(step.wait_seconds)
            return
        if step.ticket:
            yield rx.call_script(post_form_script(routes.SESSION_START, {"ticket": step.ticket}))
            return
        self._pending = step
        self.positions = list(step.positions)
        self.step = "challenge"

    @rx.event
    async def submit_challenge(self, form: dict):
        if self._pending is None:
            self.step = "password"
            return
        chars = (_text(form, "char1", 4), _text(form, "char2", 4), _text(form, "char3", 4))
        self.busy = True
        yield
        try:
            result = await run(auth.finish_login, self._pending, chars, _text(form, "totp", 12))
        except ValidationFailed:
            result = None
        finally:
            self.busy, self._pending = False, None
        if result is not None and result.status == auth.OK and result.ticket:
            yield rx.call_script(post_form_script(routes.SESSION_START, {"ticket": result.ticket}))
            return
        self.step = "password"
        if result is not None and result.status == auth.THROTTLED:
            self.error = self._wait_error(result.wait_seconds)
            return
        self.error = self._tr(NOT_VALID if result is None else BLOCKED if result.status == auth.BLOCKED else FAILURE)


class SetupState(AppState):
    errors: dict[str, str] = {}
    busy: bool = False

    @rx.event
    async def open_setup(self):
        self.errors = {}
        user = await run(auth.resolve_session, self._token())
        if user is None:
            return rx.redirect(routes.LOGIN, replace=True)
        if not user.password_is_temporary:
            return rx.redirect(routes.HOME, replace=True)
        self.user_name, self.username = user.full_name, user.username
        if user.language in available_languages():
            self.lang = user.language
        return None

    @rx.event
    async def submit(self, form: dict):
        # Only a user still holding a temporary password sets up; `_actor` would refuse them.
        user = await run(auth.resolve_session, self._token())
        if user is None or not user.password_is_temporary:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        self.busy = True
        yield
        try:
            await run(profile.complete_first_login, actor=user, **first_login_input(form))
        except ValidationFailed as error:
            self.errors = self._field_errors(error)
            return
        finally:
            self.busy = False
        self.errors = {}
        # The set-up ended the temporary session: the user now signs in with every factor (SEC-15).
        yield rx.toast.success(self._tr(SET_UP_DONE))
        yield rx.redirect(routes.LOGIN, replace=True)
