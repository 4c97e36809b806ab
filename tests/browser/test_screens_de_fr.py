"""The main screens in German and French, at desk and at phone width and at 320 px: screenshots of each
(test-artifacts/screenshots/<lang>-<width>-<screen>.png), no screen wider than the window, and none broken for
axe-core's WCAG 2.1 A and AA rules (see language_screens)."""

from __future__ import annotations

import pytest

from imi_app.core.i18n import gettext
from imi_app.demo.links import case_ids
from tests.browser.conftest import own_page, sign_in
from tests.browser.language_screens import WIDTHS, Screens, reading_in
from tests.support.live_db import db_value

READER = "de.allocator"  # Ärztekammer Berlin: handler and allocator, so every request screen has content


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_main_screens_in_german_and_french(browser, live_app, language, width):
    request_id = db_value(live_app.db_url, "SELECT id FROM info_request WHERE case_id = :c", c=case_ids()[102])
    paths = {"tasks": "/", "request": f"/requests/{request_id}", "new-request": "/requests/new",
             "overview": "/requests", "directory": "/directory", "profile": "/profile",
             "accessibility": "/accessibility", "privacy": "/privacy"}
    screens = Screens(language, width)
    with reading_in(live_app, language, READER), \
            own_page(browser, live_app, viewport={"width": WIDTHS[width], "height": 900}) as page:
        sign_in(page, READER)
        for name, path in paths.items():
            screens.visit(page, name, path)
    assert gettext(language, "Task list") != "Task list"  # the catalog is there, not English again
    screens.assert_fine()
