"""The privacy notice: reached from the sign-in form and from the footer of every page, signed in or not, in the
reader's language, with its three parts, the contact of IMI_PRIVACY_CONTACT, no axe finding and nothing wider
than a phone; its links are reached with the keyboard alone."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from imi_app.core.i18n import gettext
from imi_app.ui.privacy import (CONTACT, EXCHANGED, HOW_LONG, PARTS, RIGHTS, TITLE, USERS, WHICH_DATA,
                                WHO_SEES, WHY)
from tests.browser.axe import describe, violations
from tests.browser.conftest import PRIVACY_CONTACT, own_page, sign_in, wait_hydrated
from tests.support.live_db import db_value

NOTICE = re.compile(r".*/privacy/?(#.*)?$")
LOGIN_LINK = "How IMI processes your personal data"
TOPICS = ("What IMI is", WHICH_DATA, WHY, WHO_SEES, HOW_LONG, RIGHTS, "How to use your rights", "Complaints",
          WHICH_DATA, WHY, WHO_SEES, HOW_LONG, RIGHTS, "Contact")
PHONE = {"width": 390, "height": 844}


def _arrives(page) -> None:
    """On the notice: its address, and its own heading drawn (the page before it may linger a moment)."""
    page.wait_for_url(NOTICE)
    page.locator("#privacy-heading").wait_for(timeout=20_000)


def _shows_the_notice(page, language: str) -> None:
    """The title, the three parts and their topics in order, the contact of the setting, in `language`."""
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext(language, TITLE))
    expect(page.locator("main h2")).to_have_text([gettext(language, title) for _anchor, title in PARTS])
    expect(page.locator("main h3")).to_have_text([gettext(language, topic) for topic in TOPICS])
    expect(page.locator("#privacy-contact")).to_have_text(gettext(language, CONTACT, contact=PRIVACY_CONTACT))
    assert page.evaluate("() => document.documentElement.lang") == language


def _axe_clean(page, screen: str) -> None:
    broken = violations(page)
    assert not broken, f"axe:\n{describe({screen: broken})}"


def _fits(page, pixels: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= pixels


def test_the_notice_is_one_click_from_the_sign_in_form_and_from_a_signed_in_page(browser, live_app, shot):
    with own_page(browser, live_app, locale="en-GB", viewport={"width": 1280, "height": 900}) as page:
        page.goto("/login")
        wait_hydrated(page)
        shot(page, "privacy-sign-in-link-en")
        _axe_clean(page, "sign-in with the link to the notice (en, desk)")
        page.get_by_role("link", name=LOGIN_LINK).click()
        _arrives(page)
        _shows_the_notice(page, "en")
        expect(page.locator("#privacy-retention")).to_contain_text("blocked 6 months after the exchange is closed")
        expect(page.locator("#privacy-retention")).to_contain_text("deleted automatically 3 years after")
        expect(page.locator("#privacy-area-periods")).to_have_count(0)  # no area keeps data longer
        expect(page.locator(f"#{EXCHANGED[0]} li")).to_have_count(8)  # the data exchanged, then the rights
        expect(page.locator(f"#{USERS[0]} li")).to_have_count(5)
        _axe_clean(page, "privacy notice (en, desk)")
        shot(page, "privacy-notice-en")

        # The contents lead to each part.
        page.get_by_role("navigation", name="Contents").get_by_role("link", name=USERS[1]).click()
        page.wait_for_url(re.compile(rf".*/privacy/?#{USERS[0]}$"))
        expect(page.get_by_role("heading", name=USERS[1])).to_be_in_viewport()

        page.set_viewport_size(PHONE)
        _fits(page, PHONE["width"])
        _axe_clean(page, "privacy notice (en, phone)")
        shot(page, "privacy-notice-en-phone")

    with own_page(browser, live_app, locale="en-GB") as page:
        sign_in(page, "de.basic")
        page.locator("#footer-privacy").click()
        _arrives(page)
        _shows_the_notice(page, "en")


def test_the_notice_in_hungarian_from_the_footer(browser, live_app, shot):
    with own_page(browser, live_app, locale="hu-HU", viewport=PHONE) as page:
        page.goto("/login")
        wait_hydrated(page)
        # The footer of the sign-in page speaks Hungarian already (a text the catalog has long had).
        accessibility = gettext("hu", "Accessibility statement")
        assert accessibility != "Accessibility statement"
        expect(page.locator("#footer-accessibility")).to_have_text(accessibility)
        _fits(page, PHONE["width"])
        expect(page.locator("#footer-privacy")).to_have_text(gettext("hu", "Privacy notice"))
        page.locator("#footer-privacy").click()
        _arrives(page)
        _shows_the_notice(page, "hu")
        expect(page.locator("#footer-accessibility")).to_have_text(accessibility)
        _fits(page, PHONE["width"])
        _axe_clean(page, "privacy notice (hu, phone)")
        shot(page, "privacy-notice-hu-phone")
        page.set_viewport_size({"width": 1280, "height": 900})
        _axe_clean(page, "privacy notice (hu, desk)")


def test_the_links_to_the_notice_are_reached_with_the_keyboard(browser, live_app):
    with own_page(browser, live_app, locale="en-GB") as page:
        for link in ("#login-privacy", "#footer-privacy"):
            page.goto("/login")
            wait_hydrated(page)
            target = page.locator(link)
            for _ in range(20):
                if target.evaluate("(el) => el === document.activeElement"):
                    break
                page.keyboard.press("Tab")
            expect(target).to_be_focused()
            page.keyboard.press("Enter")
            _arrives(page)
            expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_an_area_that_keeps_data_longer_is_listed_with_its_periods(browser, live_app, shot):
    engine = sa.create_engine(live_app.db_url)
    area = db_value(live_app.db_url, "SELECT code FROM legislative_area ORDER BY code LIMIT 1")
    names = db_value(live_app.db_url, "SELECT names FROM legislative_area WHERE code = :c", c=area)
    name = (json.loads(names) if isinstance(names, str) else names)["hu"]
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE legislative_area SET block_months = 18, delete_months = 60 WHERE code = :c"),
                         {"c": area})
        with own_page(browser, live_app, locale="hu-HU", viewport={"width": 1280, "height": 900}) as page:
            page.goto("/privacy")
            wait_hydrated(page)
            expect(page.locator("#privacy-retention")).to_contain_text("6 hónap")
            rows = page.locator("#privacy-area-periods tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first.locator("th")).to_have_text(name)
            expect(rows.first.locator("td")).to_have_text(["18 hónap", "5 év"])
            expect(page.locator("#privacy-area-periods th").first).to_have_text(gettext("hu", "Legislative area"))
            _axe_clean(page, "privacy notice with an area's own periods (hu, desk)")
            shot(page, "privacy-area-periods-hu")
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE legislative_area SET block_months = NULL, delete_months = NULL "
                                 "WHERE code = :c"), {"c": area})
        engine.dispose()
