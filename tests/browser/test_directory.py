"""The directory as a user uses it: Hungarian names typed with wrong accents and case, a country filter,
the entry's contact e-mail, the way back with the filters kept, and the phone layout."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in

MOK, BKIK = "Magyar Orvosi Kamara", "Budapesti Kereskedelmi és Iparkamara"
MOK_EMAIL = "magyarorvosikamara@hu.imi.example"


def _row(page, name: str):
    return page.locator("#directory-table tbody tr", has_text=name)


def _search(page, text: str) -> None:
    page.fill("#directory-search", text)
    expect(page.locator("#directory-search")).to_have_value(text)


def test_a_handler_finds_a_hungarian_authority_typed_without_accents(browser, live_app, shot):
    page = browser.new_context(base_url=live_app.url, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "de.handler")
    page.goto("/directory")
    page.wait_for_selector("#directory-table")
    expect(_row(page, "Ärztekammer Berlin")).to_be_visible()

    _search(page, "Budapesti Kereskedelmi es Iparkamara")  # "és" typed without its accent
    expect(_row(page, BKIK)).to_be_visible()
    expect(_row(page, MOK)).to_have_count(0)

    _search(page, "orvosi KAMARA")
    expect(_row(page, MOK)).to_be_visible()
    expect(_row(page, BKIK)).to_have_count(0)
    page.click("#directory-country")
    page.get_by_role("option", name="Hungary", exact=True).click()
    expect(page.locator("#directory-table tbody tr")).to_have_count(1)
    expect(_row(page, MOK)).to_contain_text("Hungary")
    expect(page.locator("#directory-count")).to_have_text("Authorities found: 1")
    shot(page, "directory-en")

    _row(page, MOK).click()
    page.wait_for_url(re.compile(r".*/directory/\d+/?$"))
    expect(page.locator("#entry-name")).to_have_text(MOK)
    expect(page.locator("#entry-email")).to_have_text(MOK_EMAIL)
    expect(page.locator("#entry-areas")).to_contain_text("Professional qualifications")
    expect(page.locator("#entry-areas")).to_contain_text("szakorvos")
    expect(page.locator("#entry-coordinator")).to_contain_text("Nemzeti IMI-koordinátor")
    shot(page, "directory-detail-en")

    page.locator("#directory-back a").click()  # back to the list, filters as they were
    page.wait_for_url(re.compile(r".*/directory/?$"))
    expect(page.locator("#directory-search")).to_have_value("orvosi KAMARA")
    expect(page.locator("#directory-country")).to_contain_text("Hungary")
    expect(page.locator("#directory-table tbody tr")).to_have_count(1)

    page.click("#directory-clear")
    expect(page.locator("#directory-search")).to_have_value("")
    expect(_row(page, "Wirtschaftskammer Wien")).to_be_visible()

    _search(page, "no such authority anywhere")
    expect(page.locator("#directory-empty")).to_be_visible()

    page.goto("/directory/999999")
    expect(page.locator("#not-found")).to_be_visible()


def test_directory_on_a_phone(browser, live_app, shot):
    page = browser.new_context(base_url=live_app.url, viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, "de.basic")
    page.goto("/directory")
    page.wait_for_selector("#directory-table")
    _search(page, "ärztekammer")
    expect(_row(page, BKIK)).to_have_count(0)  # the debounced search has answered
    expect(_row(page, "Ärztekammer Berlin")).to_be_visible()
    expect(_row(page, "Österreichische Ärztekammer")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    shot(page, "directory-phone-en")
    _row(page, "Ärztekammer Berlin").click()
    expect(page.locator("#entry-email")).to_contain_text("@de.imi.example")
    shot(page, "directory-detail-phone-en")
