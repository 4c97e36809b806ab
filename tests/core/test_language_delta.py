"""Setting the language it already has sends nothing: each page load sets it again (the signed-in user's
language, the browser's stored one), and a marked change resends every text the server wrote. The
translations of the page's own texts are in the compiled page: a change of language sends no catalog,
and no tab's state carries one."""

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
    assert any(name.endswith("lang_rx_state_") for name in first)
    _root(state)._clean()
    state.lang = "hu"
    assert state.dirty_vars == set() and _root(state).dirty_vars == set()
    assert not any(name.endswith("lang_rx_state_") for name in _delta_sizes(state))


def test_a_real_change_sends_the_new_language(database):
    state = state_for(AppState, cookie="", path="/")
    state.lang = "hu"
    _root(state)._clean()
    state.lang = "en"
    sent = _delta_sizes(state)
    assert any(name.endswith("lang_rx_state_") for name in sent)


@pytest.mark.parametrize("language", ["hu", "de", "fr"])
def test_a_change_of_language_sends_no_catalog_and_the_state_stays_small(database, language):
    state = state_for(AppState, cookie="", path="/")
    _root(state)._clean()
    state.lang = language
    sent = _delta_sizes(state)
    assert any(name.endswith("lang_rx_state_") for name in sent)
    assert max(sent.values()) < 2_000, sent
    assert len(state._serialize()) < 5_000  # what Redis stores for the tab's AppState, read by every event


def test_a_page_text_carries_every_language_and_the_browser_picks_by_the_tabs_language():
    from imi_app.core.i18n import available_languages, gettext
    from imi_app.ui.i18n import T

    code = str(T("Save"))
    assert set(available_languages()) >= {"en", "hu", "de", "fr"}
    for language in available_languages():
        assert json.dumps(gettext(language, "Save")) in code
    assert gettext("hu", "Save") != "Save" and "lang_rx_state_" in code
    with pytest.raises(TypeError):
        T(AppState.user_name)  # type: ignore[arg-type] - a text the server writes goes through _tr instead
