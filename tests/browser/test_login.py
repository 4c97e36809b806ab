"""Signing in as a user does: password, three code characters, blocking, throttling, language, signing out."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from imi_app.accounts.throttle import FREE_PER_PAIR, WAIT_ONE_MINUTE
from imi_app.accounts.ui.login import CHECKED_LATER
from imi_app.accounts.ui.login_state import FAILURE
from tests.browser.conftest import answer_challenge, enter_password, requested_positions, sign_in, wait_hydrated

WRONG_CODE = "~" * 12  # no character of the demo code


def test_sign_in_with_three_code_characters(page, live_app, shot):
    enter_password(page, "hu.handler")
    shot(page, "login-challenge-hu")  # hu.handler's language is applied only after sign-in
    positions = requested_positions(page)
    assert len(set(positions)) == 3 and all(1 <= p <= 12 for p in positions)
    answer_challenge(page)
    expect(page.locator("#welcome")).to_contain_text("Szabó Éva")
    cookie = next(c for c in page.context.cookies() if c["name"] == "imi_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("imi_session") == -1
    assert "imi_session" not in page.evaluate("JSON.stringify(window.localStorage)")


def test_wrong_character_fails_without_saying_which_factor(page, live_app):
    enter_password(page, "de.basic")
    positions = requested_positions(page)
    page.fill("#char1", "?")
    page.fill("#char2", "?")
    page.fill("#char3", "?")
    page.click("#login-submit")
    message = page.get_by_role("alert")
    message.wait_for()
    failed_code = message.inner_text()
    enter_password(page, "de.basic", "not-the-password-at-all")
    assert requested_positions(page) == positions  # SEC-6: the same positions after failures
    answer_challenge(page)
    page.get_by_role("alert").wait_for()
    assert page.get_by_role("alert").inner_text() == failed_code
    enter_password(page, "no.such.user")
    answer_challenge(page)
    page.get_by_role("alert").wait_for()
    assert page.get_by_role("alert").inner_text() == failed_code
    assert failed_code == FAILURE  # one message naming every factor, so it tells none of them apart
    with create_engine(live_app.db_url).connect() as conn:
        failures = conn.execute(text("select failed_logins from user where username = 'de.basic'")).scalar()
    assert failures == 1  # the wrong characters after the right password; a wrong password only slows down


def test_the_first_step_says_the_password_is_checked_after_the_code(page, live_app):
    """Any username and password reach the code step (which usernames exist stays hidden), and the first
    step says so, for whoever mistyped."""
    page.goto("/login")
    wait_hydrated(page)
    expect(page.locator("#login-checked-later")).to_have_text(CHECKED_LATER)
    enter_password(page, "no.such.user", "not-the-password-at-all")
    assert len(requested_positions(page)) == 3


def test_five_wrong_sign_ins_block_and_only_the_right_password_learns_it(page, live_app, smtp_server):
    for _ in range(5):
        enter_password(page, "at.handler")
        answer_challenge(page, WRONG_CODE)
        page.get_by_role("alert").wait_for()
    enter_password(page, "at.handler", "a-wrong-password-here")
    answer_challenge(page)
    page.get_by_role("alert").wait_for()
    assert "blocked" not in page.get_by_role("alert").inner_text().lower()
    enter_password(page, "at.handler")
    answer_challenge(page)
    page.get_by_role("alert").wait_for()
    assert "blocked" in page.get_by_role("alert").inner_text().lower()
    mail = smtp_server.wait_for(lambda m: "at.handler@imi.example" in str(m["To"]) and "blocked" in str(m["Subject"]).lower())
    assert "at.handler" not in mail.get_body(preferencelist=("plain",)).get_content().replace("at.handler@", "")


def test_wrong_passwords_are_told_to_wait_after_the_free_tries(page, live_app, shot):
    try:
        for _ in range(FREE_PER_PAIR):
            enter_password(page, "at.lda", "a-wrong-password-here")
            answer_challenge(page)
            expect(page.get_by_role("alert")).to_have_text(FAILURE)
        enter_password(page, "at.lda", "a-wrong-password-here")
        answer_challenge(page)
        expect(page.get_by_role("alert")).to_have_text(WAIT_ONE_MINUTE)
        # Now even the right password is not heard: the page says to wait at once.
        enter_password(page, "at.lda")
        expect(page.get_by_role("alert")).to_have_text(WAIT_ONE_MINUTE)
        assert not page.locator("#char1").is_visible()
        shot(page, "login-throttled")
    finally:
        # The other browser tests sign in from the same address.
        with create_engine(live_app.db_url).begin() as conn:
            conn.execute(text("delete from login_throttle"))


def test_login_page_switches_to_hungarian(page, live_app, shot):
    page.goto("/login")
    page.wait_for_selector("#username")
    shot(page, "login-en")
    page.get_by_role("combobox").click()
    page.get_by_role("option", name="magyar").click()
    page.wait_for_function("() => document.body.innerText.includes('Bejelentkezés')")
    shot(page, "login-hu")
    page.fill("#username", "hu.lda")
    page.fill("#password", "imi-demo-password")
    page.click("#login-continue")
    requested_positions(page)
    shot(page, "challenge-hu")
    page.get_by_role("combobox").click()
    page.get_by_role("option", name="English").click()
    page.wait_for_function("() => document.body.innerText.includes('Security code')")
    shot(page, "challenge-en")


def test_sign_out_ends_every_session_of_the_user_open_tabs_included(browser, live_app):
    first = browser.new_context(base_url=live_app.url).new_page()
    second = browser.new_context(base_url=live_app.url).new_page()
    sign_in(first, "de.handler")
    sign_in(second, "de.handler")
    first.click("#user-menu")
    first.click("#sign-out")
    first.wait_for_url(re.compile(r".*/login/?$"))
    second.click("#user-menu")
    second.get_by_role("menuitem", name="My profile").click()
    second.wait_for_url(re.compile(r".*/login/?$"), timeout=20_000)
    second.goto("/")
    second.wait_for_url(re.compile(r".*/login/?$"))
