"""Sign-in (two steps) and the first-login set-up."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.core.i18n import N_, available_languages
from imi_app.accounts import auth
from imi_app.accounts import profile
from imi_app.accounts.auth import PasswordStep
from imi_app.core.errors import ValidationFailed
from imi_app.ui.base import AppState, post_form_script, run

FAILURE = N_("Sign-in failed. Check your username, password and the requested characters, then try again.")
BLOCKED = N_("Your account is blocked. Please contact your local data administrator.")


def _text(form: dict, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def first_login_input(form: object) -> dict[str, object]:
    """The set-up form's four secrets as sent (None when missing); the service checks them."""
    names = ("password", "password_confirm", "code", "code_confirm")
    return {name: form.get(name) if isinstance(form, dict) else None for name in names}


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
        step = await run(auth.check_password, username, password)
        self.busy = False
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
        result = await run(auth.finish_login, self._pending, chars, _text(form, "totp", 12))
        self.busy, self._pending = False, None
        if result.status == auth.OK and result.ticket:
            yield rx.call_script(post_form_script(routes.SESSION_START, {"ticket": result.ticket}))
            return
        self.step = "password"
        self.error = self._tr(BLOCKED if result.status == auth.BLOCKED else FAILURE)


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
        yield rx.toast.success(self._tr("Your password and security code are set. Welcome to IMI."))
        yield rx.redirect(routes.HOME, replace=True)
