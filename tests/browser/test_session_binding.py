"""A tab's state token that outlives its session (leaked, or kept after signing out) brings nothing of that
session's pages to whoever reconnects with it under another session."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_hydrated

# Not at.handler: test_login blocks that one.
A_USERNAME, A_NAME, A_EMAIL = "de.allocator", "Felix Wagner", "de.allocator@"


def test_a_reused_tab_token_shows_another_session_nothing_of_the_first(browser, live_app):
    first = browser.new_context(base_url=live_app.url)
    a = first.new_page()
    sign_in(a, A_USERNAME)
    a.goto("/profile")
    wait_hydrated(a)
    expect(a.locator("#profile-username")).to_have_value(A_USERNAME)
    leaked = a.evaluate("() => window.sessionStorage.getItem('token')")
    assert leaked
    a.click("#user-menu")
    a.click("#sign-out")
    a.wait_for_url(re.compile(r".*/login/?$"))
    first.close()

    second = browser.new_context(base_url=live_app.url)
    b = second.new_page()
    sign_in(b, "de.basic")
    b.evaluate("token => window.sessionStorage.setItem('token', token)", leaked)
    frames: list[str] = []
    b.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    b.goto("/profile")
    wait_hydrated(b)
    expect(b.locator("#profile-username")).to_have_value("de.basic")
    assert b.evaluate("() => window.sessionStorage.getItem('token')") == leaked  # the old tab's state, reused
    assert frames, "no event frames were seen"
    seen = "\n".join(frames)
    assert A_USERNAME not in seen and A_NAME not in seen and A_EMAIL not in seen
    second.close()
