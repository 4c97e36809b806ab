"""A field the server refused says so to a screen reader too: marked invalid, its message read out with it
(aria-describedby) and announced when it appears (role=alert); the hint stays tied to it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import own_page, sign_in, wait_hydrated


def test_a_refused_field_is_invalid_and_described_by_its_message(browser, live_app):
    with own_page(browser, live_app) as page:
        sign_in(page, "de.basic")
        page.goto("/profile")
        wait_hydrated(page)
        phone = page.locator("#profile-phone")
        expect(phone).to_have_attribute("aria-invalid", "false")
        expect(phone).to_have_attribute("aria-describedby", "profile-phone-hint")
        phone.fill("not a number")
        page.click("#profile-save")
        message = page.locator("#profile-phone-error")
        expect(message).to_have_text("Enter a valid phone number.")
        expect(message).to_have_attribute("role", "alert")
        expect(phone).to_have_attribute("aria-invalid", "true")
        expect(phone).to_have_attribute("aria-describedby", "profile-phone-error profile-phone-hint")
        described = page.evaluate("""() => document.getElementById('profile-phone').getAttribute('aria-describedby')
            .split(' ').map((id) => document.getElementById(id).innerText).join(' | ')""")
        assert described.startswith("Enter a valid phone number. | Optional.")
        phone.fill("")
        page.click("#profile-save")
        expect(page.get_by_text("Your details have been saved.")).to_be_visible()
        expect(phone).to_have_attribute("aria-invalid", "false")
        expect(message).to_have_count(0)
