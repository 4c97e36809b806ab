"""The visitor's language before anyone signs in (the browser's Accept-Language, then the switcher,
remembered), and `<html lang>` following the page's language."""

from __future__ import annotations

from playwright.sync_api import expect

from imi_app.accounts.ui.login_state import FAILURE
from imi_app.core.i18n import gettext
from tests.browser.conftest import answer_challenge, own_page, requested_positions, sign_in, wait_hydrated


def html_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def test_the_login_page_speaks_the_browsers_language_until_the_visitor_chooses(browser, live_app, shot):
    with own_page(browser, live_app, locale="hu-HU") as page:
        page.goto("/login")
        wait_hydrated(page)
        expect(page.locator("#login-continue")).to_have_text(gettext("hu", "Continue"))
        assert html_lang(page) == "hu"
        shot(page, "login-accept-language-hu")
        # The refusal after the code step is in the visitor's language too.
        page.fill("#username", "no.such.user")
        page.fill("#password", "not-the-password-at-all")
        page.click("#login-continue")
        requested_positions(page)
        answer_challenge(page, "~" * 12)
        expect(page.get_by_role("alert")).to_have_text(gettext("hu", FAILURE))
        # The switcher wins over the browser, and is remembered on the next visit.
        page.get_by_role("combobox").click()
        page.get_by_role("option", name="Deutsch").click()
        expect(page.locator("html")).to_have_attribute("lang", "de")
        page.goto("/login")
        wait_hydrated(page)
        expect(page.locator("#login-continue")).to_have_text(gettext("de", "Continue"))
        assert html_lang(page) == "de"


def test_a_signed_in_page_has_the_users_language_in_html_lang(browser, live_app):
    with own_page(browser, live_app) as page:  # the browser asks for English
        page.goto("/login")
        wait_hydrated(page)
        assert html_lang(page) == "en"
        sign_in(page, "hu.handler")  # a Hungarian user
        expect(page.locator("html")).to_have_attribute("lang", "hu")
        expect(page.get_by_role("navigation", name=gettext("hu", "Main menu")).first).to_be_visible()
