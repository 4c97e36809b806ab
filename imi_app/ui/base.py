"""The state every page shares: language, the signed-in user (display data only), sign-out, and the one
way a handler calls the domain: `_perform` resolves the actor, runs the action or query off the event
loop, and turns a refusal into field errors and a toast (or the way back to the login page)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import reflex as rx

from imi_app.accounts import auth
from imi_app.accounts.models import User
from imi_app.core import routes
from imi_app.core.errors import ServiceError, ValidationFailed
from imi_app.core.formats import Formats
from imi_app.core.time import DEFAULT_ZONE
from imi_app.core.settings import get_settings
from imi_app.core.i18n import available_languages, gettext, language_name, preferred_language
from imi_app.policy.menu import Menu
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


def cookie_token(cookie_header: str | None) -> str | None:
    """The session token in a Cookie header, or None (none there, or a malformed header)."""
    cookie = SimpleCookie()
    try:
        cookie.load(cookie_header or "")
    except Exception:  # noqa: BLE001 - a malformed cookie header means no session
        return None
    morsel = cookie.get(COOKIE_NAME)
    return morsel.value if morsel else None


@dataclass
class Outcome:
    """What `_perform` got: `ok` with the call's `value`, or the `events` the handler returns as they are."""

    ok: bool
    value: Any = None
    actor: User | None = None
    events: Any = field(default=None)


def _signed_in(token: str | None, touch: bool, with_menu: bool = True) -> tuple[User | None, Menu]:
    """The session's user (checked against the database, SEC-9) and, for a page, what the menu offers them."""
    return auth.signed_in(token, touch=touch, with_menu=with_menu)


_POOL: list[ThreadPoolExecutor] = []


def _pool() -> ThreadPoolExecutor:
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(max_workers=max(1, get_settings().domain_threads),
                                        thread_name_prefix="imi-domain"))
    return _POOL[0]


async def run(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Runs a domain call in a worker thread: no database or CPU work on Reflex's one event loop,
    so one tab's queries (or bcrypt) never hold up the other tabs. The threads are a pool of their
    own (`IMI_DOMAIN_THREADS`): a few, so that the loop still gets its share of the interpreter."""
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_pool(), call)


class AppState(rx.State):
    lang: str = rx.LocalStorage("en", name="imi_lang", sync=True)
    # "1" once the language was chosen (the switcher, or a sign-in in the user's language): from then on
    # the browser's Accept-Language no longer decides.
    lang_chosen: str = rx.LocalStorage("", name="imi_lang_chosen", sync=True)
    signed_in: bool = False
    user_name: str = ""
    username: str = ""
    authority_name: str = ""
    is_lda: bool = False
    is_data_admin: bool = False
    can_create_request: bool = False
    sees_scoreboard: bool = False
    _zone: str = DEFAULT_ZONE  # the signed-in user's time zone, for the times the pages show
    _session_binding: str = ""  # the session the tab's state was created under (ui/session_binding.py)

    def __setattr__(self, name: str, value: Any) -> None:
        # The page (and the browser's stored language, on every page load) sets the language again and
        # again; only a real change may mark it dirty: each marking resends every shown text of every open
        # page that the server writes in the reader's language.
        if name == "lang" and value == getattr(self, "lang", None):  # on a page's state too: it is inherited
            return
        super().__setattr__(name, value)

    @rx.var
    def languages(self) -> list[list[str]]:
        return [[code, language_name(code)] for code in available_languages()]

    def _tr(self, message: str, **params: object) -> str:
        return gettext(self.lang, message, **params)

    def _formats(self) -> Formats:
        """Dates, times and numbers as the reader's language writes them, times in the reader's zone."""
        return Formats(self.lang, self._zone)

    def _token(self) -> str | None:
        return cookie_token(self.router.headers.cookie)

    async def _session_user(self, *, touch: bool = True, with_menu: bool = True) -> tuple[User | None, Menu]:
        return await run(_signed_in, self._token(), touch, with_menu)

    async def _actor(self) -> User | None:
        """The signed-in user who may act (set-up done), checked again for this event; None otherwise."""
        user, _menu = await self._session_user(with_menu=False)
        return None if user is None or user.password_is_temporary else user

    def _show_user(self, user: User, menu: Menu) -> None:
        self.signed_in = True
        self.user_name = user.full_name
        self.username = user.username
        self.authority_name = menu.authority_name
        self.is_lda, self.is_data_admin = menu.is_lda, menu.is_data_admin
        self.can_create_request, self.sees_scoreboard = menu.can_create_request, menu.sees_scoreboard
        self._zone = menu.zone
        if user.language in available_languages():
            self.lang, self.lang_chosen = user.language, "1"

    def _forget_user(self) -> None:
        self.signed_in = False
        self.user_name = self.username = self.authority_name = ""
        self.is_lda = self.is_data_admin = self.can_create_request = self.sees_scoreboard = False

    def _to_login(self) -> rx.event.EventSpec:
        self._forget_user()
        return rx.redirect(routes.LOGIN, replace=True)

    async def _open_page(self) -> Outcome:
        """The start of every signed-in page's on_load: who is here, and the menu they see."""
        user, menu = await self._session_user()
        if user is None:
            return Outcome(False, events=self._to_login())
        if user.password_is_temporary:
            return Outcome(False, events=rx.redirect(routes.SETUP, replace=True))
        self._show_user(user, menu)
        return Outcome(True, actor=user)

    async def _perform(self, fn: Callable[..., Any], /, *, refused: Callable[[ServiceError], Any] | None = None,
                       **kwargs: Any) -> Outcome:
        """`fn(actor=<the signed-in user>, **kwargs)` off the event loop: an action (one transaction of its
        own) or a query. No session: the way to the login page. A ServiceError: `refused(error)`, by
        default its messages beside the fields (for a state with `errors`) and a toast."""
        actor = await self._actor()
        if actor is None:
            return Outcome(False, events=self._to_login())
        try:
            value = await run(fn, actor=actor, **kwargs)
        except ServiceError as error:
            return Outcome(False, actor=actor, events=(refused or self._form_refused)(error))
        return Outcome(True, value=value, actor=actor)

    @rx.event
    async def check_still_signed_in(self):
        """Runs every minute in open tabs: ending a session elsewhere signs them out too."""
        if not self.signed_in:
            return None
        user, _menu = await self._session_user(touch=False, with_menu=False)
        return self._to_login() if user is None else None

    @rx.event
    def set_language(self, language: str):
        if language in available_languages():
            self.lang, self.lang_chosen = language, "1"

    @rx.event
    def adopt_browser_language(self):
        """On the pages seen before signing in: the browser's language, until the visitor chooses one."""
        if self.lang_chosen:
            return
        found = preferred_language(self.router.headers.accept_language)
        if found:
            self.lang = found

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
        if isinstance(error, ValidationFailed) and hasattr(self, "errors"):
            self.errors = self._field_errors(error)
        return self._fail(error)
