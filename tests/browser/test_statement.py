"""The accessibility statement: reached from the footer of every page, signed in or not, in the reader's
language, with the date of the last check written the way that language writes dates."""

from __future__ import annotations

import re

from babel.dates import format_date
from playwright.sync_api import expect

from imi_app.core.i18n import gettext
from imi_app.ui.accessibility import LAST_CHECKED, NO_CONTACT
from tests.browser.conftest import own_page, sign_in, wait_hydrated


def test_the_statement_is_one_click_from_the_login_page_and_from_a_signed_in_page(browser, live_app, shot):
    with own_page(browser, live_app, locale="de-DE") as page:
        page.goto("/login")
        wait_hydrated(page)
        page.get_by_role("link", name=gettext("de", "Accessibility statement")).click()
        page.wait_for_url(re.compile(r".*/accessibility/?$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(gettext("de", "Accessibility statement"))
        expect(page.locator("#statement-checked")).to_contain_text(format_date(LAST_CHECKED, "long", locale="de"))
        expect(page.locator("#statement-contact")).to_have_text(gettext("de", NO_CONTACT))
        shot(page, "accessibility-statement-de")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "accessibility-statement-de-phone")

    with own_page(browser, live_app) as page:
        sign_in(page, "de.basic")
        page.locator("#footer-accessibility").click()
        page.wait_for_url(re.compile(r".*/accessibility/?$"))
        expect(page.locator("#statement-checked")).to_contain_text(format_date(LAST_CHECKED, "long", locale="en"))
