"""The whole story of a new user, as people do it: the LDA registers them, the mail brings the
temporary password, the username comes from the screen, the user sets up and signs in with three
characters of their code. Also: the LDA's new password unblocks; a basic user sees no admin screen."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import answer_challenge, enter_password, sign_in

TEMP_PASSWORD = re.compile(r"([A-HJ-NP-Za-km-z2-9]{20})")
NEW_PASSWORD = "lilac tram seventeen"
NEW_CODE = "Kx7-pQ2!mZ9a"


def mail_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def sign_out(page) -> None:
    page.click("#user-menu")
    page.click("#sign-out")
    page.wait_for_url(re.compile(r".*/login/?$"))


def test_lda_registers_a_user_who_sets_up_and_signs_in(browser, live_app, smtp_server, shot):
    lda = browser.new_context(base_url=live_app.url, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(lda, "de.lda")
    lda.goto("/admin/users")
    lda.wait_for_selector("#users-table")
    shot(lda, "users-list-en")
    lda.click("#register-user")
    lda.wait_for_selector("#family_name")
    lda.fill("#given_name", "Clara")
    lda.fill("#family_name", "Fischer")
    lda.fill("#email", "clara.fischer@aerztekammer.example")
    lda.click("#role-professional_qualifications-request_handler")
    shot(lda, "register-user-en")
    lda.click("#register-submit")
    username = lda.locator("#new-username").inner_text().strip()
    assert username.startswith("de.fischer")  # from the family name
    shot(lda, "register-user-done-en")

    mail = smtp_server.wait_for(lambda m: "clara.fischer@aerztekammer.example" in str(m["To"]))
    body = mail_body(mail)
    assert username not in body and username not in str(mail["Subject"])
    temporary = TEMP_PASSWORD.search(body.split("temporary password", 1)[1]).group(1)

    user = browser.new_context(base_url=live_app.url).new_page()
    enter_password(user, username, temporary)
    user.wait_for_selector("#setup-submit")
    expect(user.locator("#setup-username")).to_have_text(username)
    user.goto("/profile")  # nothing else is reachable before the set-up
    user.wait_for_url(re.compile(r".*/setup/?$"))
    user.fill("#password", NEW_PASSWORD)
    user.fill("#password_confirm", NEW_PASSWORD)
    user.fill("#code", NEW_CODE[:11])
    user.fill("#code_confirm", NEW_CODE[:11])
    user.click("#setup-submit")
    expect(user.get_by_text("The security code must be exactly 12 characters long.")).to_be_visible()
    shot(user, "first-login-setup-en")
    user.fill("#password", NEW_PASSWORD)
    user.fill("#password_confirm", NEW_PASSWORD)
    user.fill("#code", NEW_CODE)
    user.fill("#code_confirm", NEW_CODE)
    user.click("#setup-submit")
    # The set-up session ends with the set-up: the user signs in again with every factor (SEC-15).
    expect(user.get_by_text("Your password and security code are set. Sign in with them now.")).to_be_visible()
    user.wait_for_url(re.compile(r".*/login/?$"))
    user.goto("/")
    user.wait_for_url(re.compile(r".*/login/?$"))
    sign_in(user, username, NEW_PASSWORD, NEW_CODE)
    expect(user.locator("#welcome")).to_contain_text("Clara Fischer")
    sign_out(user)

    enter_password(user, username, temporary)  # single use
    answer_challenge(user, NEW_CODE)
    user.get_by_role("alert").wait_for()
    sign_in(user, username, NEW_PASSWORD, NEW_CODE)
    expect(user.locator("#welcome")).to_contain_text("Clara Fischer")


def test_lda_new_password_unblocks_a_blocked_user(browser, live_app, smtp_server, shot):
    victim = browser.new_context(base_url=live_app.url).new_page()
    for _ in range(5):  # the right password, the wrong characters: only that blocks (docs/SIGN_IN.md)
        enter_password(victim, "hu.allocator")
        answer_challenge(victim, "~" * 12)
        victim.get_by_role("alert").wait_for()
    enter_password(victim, "hu.allocator")
    answer_challenge(victim)
    expect(victim.get_by_role("alert")).to_contain_text(re.compile("blocked|zárolt|letiltott", re.I))

    lda = browser.new_context(base_url=live_app.url).new_page()
    sign_in(lda, "hu.lda")
    lda.goto("/admin/users")
    lda.fill("#users-search", "Tóth")
    row = lda.locator("[id^=user-row-]").filter(has_text="Tóth Gábor")
    expect(row).to_have_count(1)
    user_id = row.get_attribute("id").rsplit("-", 1)[1]
    lda.goto(f"/admin/users/{user_id}")
    lda.click("#new-password-button")
    lda.click("#confirm-new-password")
    # The reset mail is the one to this user that carries a temporary password (other mails may arrive too).
    mail = smtp_server.wait_for(lambda m: "hu.allocator@" in str(m["To"])
                                and TEMP_PASSWORD.search(mail_body(m)) is not None)
    temporary = TEMP_PASSWORD.findall(mail_body(mail))[-1]
    enter_password(victim, "hu.allocator", temporary)
    victim.wait_for_selector("#setup-submit")
    expect(victim.get_by_role("heading", name="Fiókja beállítása")).to_be_visible()  # in the user's own language
    shot(victim, "first-login-setup-hu")
    victim.fill("#password", NEW_PASSWORD)
    victim.fill("#password_confirm", NEW_PASSWORD)
    victim.fill("#code", NEW_CODE)
    victim.fill("#code_confirm", NEW_CODE)
    victim.click("#setup-submit")
    victim.wait_for_url(re.compile(r".*/login/?$"))
    sign_in(victim, "hu.allocator", NEW_PASSWORD, NEW_CODE)


def test_basic_user_cannot_open_the_admin_screens(page, live_app):
    sign_in(page, "hu.basic")
    expect(page.locator("#admin-menu")).to_have_count(0)
    for path in ("/admin/users", "/admin/users/new", "/admin/users/1", "/admin/authority", "/admin/outbox",
                 "/admin/coordinated"):
        page.goto(path)
        expect(page.locator("#no-access")).to_be_visible()
        assert "@imi.example" not in page.inner_text("body")


SCREENS = [("/", "home"), ("/admin/users", "users-list"), ("/admin/users/new", "register-user"),
           ("/admin/authority", "authority"), ("/admin/outbox", "outbox"), ("/profile", "profile")]


def test_screens_in_both_languages(browser, live_app, shot):
    for username, language, heading in (("de.lda", "en", "Manage users of my authority"),
                                        ("hu.lda", "hu", "Hatóságom felhasználóinak kezelése")):
        for width, height, suffix in ((1280, 900, ""), (390, 844, "-phone")):
            page = browser.new_context(base_url=live_app.url, viewport={"width": width, "height": height}).new_page()
            sign_in(page, username)
            for path, name in SCREENS:
                page.goto(path)
                page.wait_for_selector("h1, h2")
                page.wait_for_timeout(300)
                if path == "/admin/users":
                    expect(page.get_by_role("heading", name=heading)).to_be_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} overflows at {width}px"
                shot(page, f"{name}-{language}{suffix}")
            page.context.close()
