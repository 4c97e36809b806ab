"""A closed tab's state does not outlive the sign-in session it belonged to by much."""

from __future__ import annotations

import importlib
import sys

from reflex.istate.manager.memory import StateManagerMemory


def test_tab_state_expires_a_little_after_the_idle_session(monkeypatch, test_settings):
    monkeypatch.setenv("IMI_SESSION_IDLE_MINUTES", "20")
    from imi_app.core.settings import get_settings
    get_settings.cache_clear()
    monkeypatch.delitem(sys.modules, "rxconfig", raising=False)  # imported afresh, put back afterwards
    config = importlib.import_module("rxconfig").config
    assert config.redis_token_expiration == 25 * 60
    # The state managers read it through Reflex's get_config(), which loads this same module.
    monkeypatch.setattr("reflex.istate.manager.get_config", lambda *a, **k: config)
    assert StateManagerMemory().token_expiration == 25 * 60
