"""Setting the language it already has sends nothing: each page load sets it again (the signed-in user's
language, the browser's stored one), and a marked change resends the whole catalog and every text shown."""

from __future__ import annotations

import asyncio
import json

import pytest

from imi_app.requests.ui.home_state import HomeState
from imi_app.ui.base import AppState
from tests.support.handlers import state_for


def _root(state):
    while state.parent_state is not None:
        state = state.parent_state
    return state


def _delta_sizes(state) -> dict[str, int]:
    delta = _root(state).get_delta()
    if asyncio.iscoroutine(delta):
        delta = asyncio.run(delta)
    return {f"{name.rsplit('.', 1)[-1]}.{var}": len(json.dumps(value, default=str))
            for name, values in delta.items() for var, value in values.items()}


@pytest.mark.parametrize("page_state", [AppState, HomeState])  # a page's handlers set it on their own state
def test_the_same_language_again_sends_nothing(database, page_state):
    state = state_for(page_state, cookie="", path="/")
    state.lang = "hu"
    first = _delta_sizes(state)
    assert any(name.endswith("texts_rx_state_") and size > 10_000 for name, size in first.items())
    _root(state)._clean()
    state.lang = "hu"
    assert state.dirty_vars == set() and _root(state).dirty_vars == set()
    assert not any(name.endswith(("texts_rx_state_", "lang_rx_state_")) for name in _delta_sizes(state))


def test_a_real_change_sends_the_new_language(database):
    state = state_for(AppState, cookie="", path="/")
    state.lang = "hu"
    _root(state)._clean()
    state.lang = "en"
    sent = _delta_sizes(state)
    assert any(name.endswith("lang_rx_state_") for name in sent) and state.texts == {}
