"""A tab's state belongs to the sign-in session that created it.

Reflex keeps each tab's state under a token the page holds; whoever presents the token gets the state.
A token that leaked (or a tab left open after signing out, then signed in as someone else) would hand
the last page's data to another session. So every event first compares the session cookie it came with
to the one the tab's state was created under; when they differ, or the cookie is gone, the state is
reset to a fresh one before the event runs, and the event is handled for the new session (or none)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from reflex.middleware import Middleware
from reflex.state import BaseState, OnLoadInternalState

from imi_app.ui.base import AppState, cookie_token

SIGNED_OUT = "signed-out"

# Reflex's own page-load bookkeeping: these two run on a state beside AppState and read nothing under it
# (they list the page's on_load events and flip the hydrated flag), so they need not load AppState to
# check the binding; the page's own on_load event, under AppState, checks it before it runs. With Redis
# that spares two of a navigation's four events a read and a write-back of the tab's AppState.
OUTSIDE_THE_TAB_DATA = frozenset(f"{OnLoadInternalState.get_full_name()}.{name}"
                                 for name in ("on_load_internal", "set_is_hydrated"))


def binding_for(cookie_header: str | None) -> str:
    """What a tab's state is bound to: a hash of the session token in the cookie (never the token itself,
    nor the hash the sessions table keys on), or SIGNED_OUT."""
    token = cookie_token(cookie_header)
    if not token:
        return SIGNED_OUT
    return hashlib.sha256(b"imi-tab-state\0" + token.encode()).hexdigest()


def _state_classes(cls: type[BaseState]) -> Iterator[type[BaseState]]:
    yield cls
    for sub in cls.get_substates():
        yield from _state_classes(sub)


async def drop_tab_state(app_state: AppState) -> None:
    """Resets the shared state and every page's state under it to their defaults, also those not loaded
    for this event (a state manager such as Redis loads only the states an event needs). The language
    the browser chose stays."""
    for cls in _state_classes(AppState):
        await app_state.get_state(cls)
    lang, chosen = app_state.lang, app_state.lang_chosen
    app_state.reset()
    app_state.lang, app_state.lang_chosen = lang, chosen


class SessionBinding(Middleware):
    async def preprocess(self, app: Any, state: BaseState, event: Any) -> None:
        if getattr(event, "name", None) in OUTSIDE_THE_TAB_DATA:
            return None
        app_state = await state.get_state(AppState)
        binding = binding_for(state.router.headers.cookie)
        if app_state._session_binding == binding:
            return None
        if app_state._session_binding:
            await drop_tab_state(app_state)
        app_state._session_binding = binding
        return None
