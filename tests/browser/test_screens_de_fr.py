"""The main screens in German and French, at desk and at phone width: screenshots of each
(test-artifacts/screenshots/<lang>-<width>-<screen>.png), and no screen wider than the window (long German
words must wrap, not push the page sideways)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from imi_app.core.i18n import gettext
from imi_app.demo.links import case_ids
from tests.browser.conftest import own_page, save_screenshot, sign_in, wait_hydrated
from tests.support.live_db import db_value

READER = "de.allocator"  # Ärztekammer Berlin: handler and allocator, so every request screen has content
WIDTHS = {"desk": 1280, "phone": 390, "narrow": 320}  # 320: WCAG 1.4.10 reflow (1280 px at 400 % zoom)


def _set_language(live_app, language: str) -> None:
    engine = sa.create_engine(live_app.db_url)
    with engine.begin() as conn:
        conn.execute(sa.text('UPDATE "user" SET language = :l WHERE username = :u'), {"l": language, "u": READER})
    engine.dispose()


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_main_screens_in_german_and_french(browser, live_app, language, width):
    pixels = WIDTHS[width]
    request_id = db_value(live_app.db_url, "SELECT id FROM info_request WHERE case_id = :c", c=case_ids()[102])
    screens = {"tasks": "/", "request": f"/requests/{request_id}", "new-request": "/requests/new",
               "overview": "/requests", "directory": "/directory", "profile": "/profile",
               "accessibility": "/accessibility", "privacy": "/privacy"}
    _set_language(live_app, language)
    try:
        with own_page(browser, live_app, viewport={"width": pixels, "height": 900}) as page:
            sign_in(page, READER)
            too_wide = []
            for name, path in screens.items():
                page.goto(path)
                wait_hydrated(page)
                page.locator("main h1").first.wait_for()
                assert page.evaluate("() => document.documentElement.lang") == language
                save_screenshot(page, f"{language}-{width}-{name}")
                if page.evaluate("document.documentElement.scrollWidth") > pixels:
                    too_wide.append(name)
            assert gettext(language, "Task list") != "Task list"  # the catalog is there, not English again
            assert not too_wide, f"wider than {pixels}px in {language}: {too_wide}"
    finally:
        _set_language(live_app, "en")
