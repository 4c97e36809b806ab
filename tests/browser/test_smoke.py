"""Smoke test: the live app serves a page that hydrates in a real browser."""

from __future__ import annotations


def test_home_page_loads(page, live_app, hydrate, shot):
    response = page.goto(live_app.url + "/")
    assert response is not None
    assert response.status == 200, f"HTTP {response.status} from {live_app.url}/"

    hydrate(page)

    title = page.title().strip()
    body_text = page.inner_text("body").strip()
    assert title or body_text, "the page has neither a <title> nor any body text"

    shot(page, "smoke")
