"""Coordination in the browser: the coordinator invites an authority, it registers itself through the mailed
link, the coordinator validates it, and its new local data administrator signs in. Also: used, tampered and
expired links, and the coordinator screens in English on a desktop and a phone."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import enter_password, sign_in, wait_hydrated

TEMP_PASSWORD = re.compile(r"([A-HJ-NP-Za-km-z2-9]{20})")
LINK = re.compile(r"(https?://\S+/register\?token=\S+)")
NEW_PASSWORD = "amber kettle ninety"
NEW_CODE = "Qw8#rT5-yU2p"
INVITED = "titkarsag@debreceni-kamara.example"
FIRST_USER = "kovacs.bela@debreceni-kamara.example"
AUTHORITY = "Debreceni Gyógyszerészi Kamara"


def mail_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def choose(page, trigger: str, option: str) -> None:
    """Picks an option of a Radix select."""
    page.click(trigger)
    page.get_by_role("option", name=option, exact=True).click()


def invite(page, email: str) -> str:
    page.goto("/admin/coordinated/invite")
    wait_hydrated(page)
    page.wait_for_selector("#email")
    page.fill("#email", email)
    choose(page, "#language", "English")
    page.click("#invite-submit")
    expect(page.locator("#invite-sent-to")).to_have_text(email)
    return email


def invitation_link(smtp_server, email: str) -> str:
    message = smtp_server.wait_for(lambda m: email in str(m["To"]) and "Invitation" in str(m["Subject"]))
    return LINK.search(mail_body(message)).group(1)


def fill_self_registration(page) -> None:
    page.fill("#official_name", AUTHORITY)
    page.fill("#contact_email", INVITED)
    page.fill("#phone", "+36 52 555 010")
    page.fill("#address", "Debrecen, Piac utca 20.")
    page.click("#lang-hu")
    page.click("#add-name")
    choose(page, "#name-language-1", "English")
    page.fill("#name-text-1", "Pharmacists' Chamber of Debrecen")
    page.fill("#user_family_name", "Kovács")
    page.fill("#user_given_name", "Béla")
    page.fill("#user_email", FIRST_USER)


def test_invite_self_register_validate_and_sign_in(browser, live_app, smtp_server, shot):
    coordinator = browser.new_context(base_url=live_app.url, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(coordinator, "hu.coordinator")
    coordinator.goto("/admin/coordinated")
    coordinator.wait_for_selector("#coordinated-table")
    coordinator.click("#invite-authority")
    invite(coordinator, INVITED)
    link = invitation_link(smtp_server, INVITED)
    assert link.startswith(live_app.url)

    # The invited authority is nobody in IMI yet: the link alone opens the form.
    guest = browser.new_context(base_url=live_app.url, viewport={"width": 1280, "height": 900}).new_page()
    guest.goto(link)
    guest.wait_for_selector("#self-register-submit")
    expect(guest.locator("#invited-by")).to_contain_text("Nemzeti IMI-koordinátor")
    fill_self_registration(guest)
    guest.click("#self-register-submit")  # no legislative area ticked yet
    expect(guest.get_by_text("Choose at least one legislative area.")).to_be_visible()
    guest.click("#area-professional_qualifications")
    guest.fill("#keywords-professional_qualifications", "gyógyszerész, gyógyszertár, oklevél")
    shot(guest, "self-register-en")
    guest.click("#self-register-submit")
    expect(guest.locator("#self-register-done")).to_contain_text(AUTHORITY)
    guest.goto(link)  # single use
    expect(guest.locator("#invitation-used")).to_be_visible()

    coordinator.goto("/admin/coordinated")
    queued = coordinator.locator("[id^=pending-row-]").filter(has_text=AUTHORITY)
    expect(queued).to_have_count(1)
    expect(coordinator.locator("#pending-count")).not_to_have_text("0")
    shot(coordinator, "coordinated-list-hu")
    queued.click()
    coordinator.wait_for_selector("#validation-card")
    shot(coordinator, "coordinated-detail-pending-hu")
    coordinator.click("#validate-authority")
    coordinator.click("#confirm-validate")
    username = coordinator.locator("#validated-username").inner_text().strip()
    assert username.startswith("hu.")
    expect(coordinator.locator("#detail-status")).not_to_contain_text(re.compile("Awaiting|Érvényesítésre", re.I))
    shot(coordinator, "coordinated-validated-hu")

    mail = smtp_server.wait_for(lambda m: FIRST_USER in str(m["To"]))
    body = mail_body(mail)
    assert username not in body and username not in str(mail["Subject"])
    temporary = TEMP_PASSWORD.search(body.split("temporary password", 1)[1]).group(1)

    lda = browser.new_context(base_url=live_app.url).new_page()
    enter_password(lda, username, temporary)
    lda.wait_for_selector("#setup-submit")
    lda.fill("#password", NEW_PASSWORD)
    lda.fill("#password_confirm", NEW_PASSWORD)
    lda.fill("#code", NEW_CODE)
    lda.fill("#code_confirm", NEW_CODE)
    lda.click("#setup-submit")
    lda.wait_for_url(re.compile(r".*/login/?$"))  # the set-up is followed by a full sign-in
    sign_in(lda, username, NEW_PASSWORD, NEW_CODE)
    expect(lda.locator("#welcome")).to_contain_text("Kovács Béla")
    expect(lda.get_by_text(AUTHORITY).last).to_be_visible()

    # A changed character in the link, and a link whose invitation has expired.
    tampered = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")
    guest.goto(tampered)
    expect(guest.locator("#invitation-invalid")).to_be_visible()
    shot(guest, "self-register-invalid-en")
    coordinator.goto("/admin/coordinated/invite")
    invite(coordinator, "late@example.org")
    late = invitation_link(smtp_server, "late@example.org")
    engine = sa.create_engine(live_app.db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE invitation SET expires_at = '2020-01-01 00:00:00' WHERE email = :email"),
                     {"email": "late@example.org"})
    engine.dispose()
    guest.goto(late)
    expect(guest.locator("#invitation-expired")).to_contain_text("expired")
    shot(guest, "self-register-expired-en")


def test_coordinator_screens_in_english(browser, live_app, shot):
    for width, height, suffix in ((1280, 900, ""), (390, 844, "-phone")):
        page = browser.new_context(base_url=live_app.url, viewport={"width": width, "height": height}).new_page()
        sign_in(page, "de.coordinator")
        page.goto("/admin/coordinated")
        page.wait_for_selector("#coordinated-table")
        page.fill("#coordinated-search", "arztekammer")  # no umlaut, any case
        row = page.locator("[id^=coordinated-row-]").filter(has_text="Ärztekammer Berlin")
        expect(row).to_have_count(1)
        page.wait_for_timeout(300)
        shot(page, f"coordinated-list-en{suffix}")
        for path, name, ready in (("/admin/coordinated/new", "coordinated-register-en", "#official_name"),
                                  ("/admin/coordinated/invite", "coordinated-invite-en", "#email")):
            page.goto(path)
            page.wait_for_selector(ready)
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} overflows at {width}px"
            shot(page, f"{name}{suffix}")
        page.goto("/admin/coordinated")
        page.fill("#coordinated-search", "Ärztekammer Berlin")
        page.locator("[id^=coordinated-link-]").filter(has_text="Ärztekammer Berlin").click()
        page.wait_for_selector("#lda-table")
        expect(page.locator("#detail-heading")).to_have_text("Ärztekammer Berlin")
        expect(page.locator("#area-row-professional_qualifications")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"coordinated-detail-en{suffix}")
        page.context.close()


def test_a_coordinator_cannot_open_another_countrys_authority(browser, live_app):
    page = browser.new_context(base_url=live_app.url).new_page()
    sign_in(page, "hu.coordinator")
    page.goto("/admin/coordinated")
    page.fill("#coordinated-search", "Magyar Orvosi")
    href = page.locator("[id^=coordinated-link-]").first.get_attribute("href")
    hu_authority = href.rstrip("/").rsplit("/", 1)[1]
    page.context.close()
    page = browser.new_context(base_url=live_app.url).new_page()
    sign_in(page, "de.coordinator")
    for path in (f"/admin/coordinated/{hu_authority}", "/admin/coordinated/999999", "/admin/coordinated/abc"):
        page.goto(path)
        expect(page.locator("#not-found")).to_be_visible()
    expect(page.get_by_text("Magyar Orvosi Kamara")).to_have_count(0)
