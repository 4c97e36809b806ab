"""The administration and coordination screens and the dashboard in German and French, at desk and at phone width
and at 320 px: a local data administrator's (users, a user, the own authority, the audit log with an entry open, a
person's data, links) and a coordinator's (the coordinated authorities and one of them, the coordinator settings,
the dashboard). Screenshots of each, no screen wider than the window, none broken for axe (see language_screens)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import own_page, sign_in
from tests.browser.language_screens import WIDTHS, Screens, reading_in
from tests.support.live_db import db_value

LDA, COORDINATOR = "de.lda", "de.coordinator"  # Ärztekammer Berlin's, and the German coordinator's


def _lda_screens(screens: Screens, page, live_app) -> None:
    user = db_value(live_app.db_url, 'SELECT id FROM "user" WHERE username = :u', u="de.allocator")
    for name, path in (("users", "/admin/users"), ("new-user", "/admin/users/new"), ("user", f"/admin/users/{user}"),
                       ("own-authority", "/admin/authority"), ("data-subject", "/admin/data-subject"),
                       ("links", "/admin/links"), ("audit", "/admin/audit")):
        screens.visit(page, name, path)
    page.locator("#audit-entries button").first.click()
    page.locator("#audit-entry").wait_for()
    screens.check(page, "audit-entry")


def _coordinator_screens(screens: Screens, page, live_app) -> None:
    below = db_value(live_app.db_url, "SELECT a.id FROM authority a JOIN authority c ON a.parent_coordinator_id = c.id"
                                      " WHERE c.country_code = 'DE' AND c.parent_coordinator_id IS NULL ORDER BY a.id")
    for name, path in (("coordinated", "/admin/coordinated"), ("coordinated-authority", f"/admin/coordinated/{below}"),
                       ("new-coordinated", "/admin/coordinated/new"),
                       ("coordinator-settings", "/admin/coordinator-settings"), ("dashboard", "/dashboard")):
        screens.visit(page, name, path)


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_administration_screens_in_german_and_french(browser, live_app, language, width):
    screens = Screens(language, width)
    viewport = {"width": WIDTHS[width], "height": 900}
    with reading_in(live_app, language, LDA, COORDINATOR):
        with own_page(browser, live_app, viewport=viewport) as page:
            sign_in(page, LDA)
            _lda_screens(screens, page, live_app)
        with own_page(browser, live_app, viewport=viewport) as page:
            sign_in(page, COORDINATOR)
            _coordinator_screens(screens, page, live_app)
    screens.assert_fine()
