"""Coordinator settings per area and linked authorities, as people use them: the data administrator
changes a setting and sees it after a reload; the LDA links an authority whose user then sees the
overview of the exchanges, without personal data; unlinking takes it away again."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from imi_app.demo.links import case_ids
from tests.browser.conftest import sign_in, wait_hydrated

PQ = "professional_qualifications"
DEMO = case_ids()  # the demo requests' case ids by number, as the live app's seed made them today
PERSONAL = ("Dr. Kiss János", "1978-03-14", "Confidential note", "Példa utca", "REG-000101")


def _page(browser, live_app, width: int = 1280, height: int = 900):
    return browser.new_context(base_url=live_app.url, viewport={"width": width, "height": height}).new_page()


def test_data_administrator_changes_a_setting_per_area(browser, live_app, shot):
    page = _page(browser, live_app)
    sign_in(page, "hu.coordinator")
    page.goto("/admin/coordinator-settings")
    card = page.locator(f"#settings-{PQ}")
    card.wait_for()
    expect(page.locator("#settings-services")).to_be_visible()
    # The only data administrator of an area cannot be removed.
    expect(card.locator("[id^='remove-da-']").first).to_be_disabled()
    expect(page.locator(f"#save-{PQ}")).to_be_disabled()  # nothing changed yet

    # Whatever an earlier test left, the switch is turned the other way.
    approve = page.locator(f"#approve-requests-{PQ}")
    turned = "false" if approve.get_attribute("aria-checked") == "true" else "true"
    page.click(f"#referral-{PQ}-referee")
    # The picker sits under the option it belongs to, above "No".
    chosen, picker, no = (page.locator(f"#{element}").bounding_box()
                          for element in (f"referral-{PQ}-referee", f"referee-{PQ}", f"referral-{PQ}-none"))
    shot(page, "coordinator-settings-referee-hu")
    assert chosen["y"] < picker["y"] < no["y"], (chosen, picker, no)
    page.click(f"#referee-{PQ}")
    page.get_by_role("option", name="Molnár Judit").click()
    expect(page.get_by_role("listbox")).to_have_count(0)
    approve.click()
    expect(approve).to_have_attribute("aria-checked", turned)
    page.click(f"#save-{PQ}")
    expect(page.locator(f"#save-{PQ}")).to_be_disabled()

    page.reload()
    wait_hydrated(page)
    card.wait_for()
    expect(approve).to_have_attribute("aria-checked", turned)
    expect(page.locator(f"#approve-answers-{PQ}")).to_have_attribute("aria-checked", "false")
    expect(page.locator(f"#referral-{PQ}-referee")).to_have_attribute("aria-checked", "true")
    expect(page.locator(f"#referee-{PQ}")).to_contain_text("Molnár Judit")
    # The other area keeps its defaults.
    expect(page.locator("#approve-requests-services")).to_have_attribute("aria-checked", "false")
    expect(page.locator("#referral-services-self")).to_have_attribute("aria-checked", "true")
    shot(page, "coordinator-settings-hu")

    # A second data administrator for the area: then either one may be removed.
    page.click(f"#add-da-{PQ}")
    page.get_by_role("option", name="Molnár Judit").click()
    page.click(f"#add-da-submit-{PQ}")
    expect(card.locator("[id^='da-']")).to_have_count(2)
    expect(card.locator("[id^='remove-da-']").first).to_be_enabled()

    english = _page(browser, live_app)
    sign_in(english, "de.coordinator")
    english.goto("/admin/coordinator-settings")
    english.locator(f"#settings-{PQ}").wait_for()
    shot(english, "coordinator-settings-en")
    phone = _page(browser, live_app, 390, 844)
    sign_in(phone, "de.coordinator")
    phone.goto("/admin/coordinator-settings")
    phone.locator(f"#settings-{PQ}").wait_for()
    shot(phone, "coordinator-settings-phone-en")


def test_lda_links_an_authority_whose_user_sees_the_overview_without_personal_data(browser, live_app, shot):
    reader = _page(browser, live_app)
    sign_in(reader, "hu.edu")
    reader.goto("/linked")
    expect(reader.locator("#overview-empty")).to_be_visible()

    lda = _page(browser, live_app)
    sign_in(lda, "hu.lda")
    lda.goto("/admin/links")
    lda.wait_for_selector("#link-search")
    expect(lda.locator("#links-empty")).to_be_visible()
    lda.fill("#link-search", "OKTATASI hiv")  # no accents, other case
    candidate = lda.locator("[id^='candidate-']", has_text="Oktatási Hivatal")
    expect(lda.locator("[id^='candidate-']")).to_have_count(1)
    candidate.get_by_role("button").click()
    expect(lda.locator("#links-table")).to_contain_text("Oktatási Hivatal")
    lda.fill("#link-search", "")
    expect(lda.locator("#link-candidates")).to_contain_text("Budapesti Kereskedelmi")
    expect(lda.locator("#link-candidates")).not_to_contain_text("Ärztekammer")  # another country
    shot(lda, "links-hu")

    reader.goto("/linked")
    overview = reader.locator("#linked-overview")
    overview.wait_for()
    expect(reader.locator("#overview-authority-name")).to_have_text("Magyar Orvosi Kamara")
    # Other browser tests add requests of Magyar Orvosi Kamara, so the expected counts come from the
    # database: its requests once sent, outgoing and incoming (no draft, nothing still at a coordinator).
    with sa.create_engine(live_app.db_url).connect() as conn:
        expected = conn.execute(sa.text(
            "SELECT count(*) FROM info_request r JOIN authority a ON a.official_name = 'Magyar Orvosi Kamara' "
            "WHERE (r.requesting_authority_id = a.id OR r.responding_authority_id = a.id) AND r.sent_at IS NOT NULL"
        )).scalar()
        closed = conn.execute(sa.text(
            "SELECT count(*) FROM info_request r JOIN authority a ON a.official_name = 'Magyar Orvosi Kamara' "
            "WHERE (r.requesting_authority_id = a.id OR r.responding_authority_id = a.id) AND r.status = 'closed'"
        )).scalar()
    expect(reader.locator("#overview-total")).to_have_text(re.compile(rf"(^|\D){expected}(\D|$)"))
    expect(reader.locator("#status-count-closed")).to_contain_text(str(closed))
    expect(reader.locator(f"#area-count-{PQ}")).to_contain_text(str(expected))
    expect(reader.locator(f"#subject-{DEMO[101]}")).to_contain_text("Verification of a professional qualification")
    expect(reader.locator(f"#subject-{DEMO[101]}")).not_to_contain_text("Verification of a medical diploma")
    expect(reader.locator(f"#subject-{DEMO[102]}")).to_contain_text("Incoming")
    expect(reader.locator(f"#subject-{DEMO[108]}")).to_have_count(0)  # Ärztekammer's unsent draft
    expect(reader.locator(f"#subject-{DEMO[106]}")).to_have_count(0)  # its own unsent draft
    html = reader.content()
    for secret in PERSONAL:
        assert secret not in html
    expect(overview.locator("a")).to_have_count(0)  # no way into the requests themselves
    shot(reader, "linked-overview-en")
    phone = _page(browser, live_app, 390, 844)
    sign_in(phone, "hu.edu")
    phone.goto("/linked")
    phone.locator("#linked-overview").wait_for()
    shot(phone, "linked-overview-phone-en")

    lda.locator("#links-table").get_by_role("button").click()
    lda.click("#confirm-unlink")
    expect(lda.locator("#links-empty")).to_be_visible()
    reader.reload()
    expect(reader.locator("#overview-empty")).to_be_visible()


def test_links_and_settings_are_for_their_administrators_only(browser, live_app, shot):
    page = _page(browser, live_app)
    sign_in(page, "hu.basic")
    page.goto("/admin/links")
    expect(page.locator("#no-access")).to_be_visible()
    page.goto("/admin/coordinator-settings")
    expect(page.locator("#no-access")).to_be_visible()

    lda = _page(browser, live_app)
    sign_in(lda, "de.lda")
    lda.goto("/admin/coordinator-settings")
    expect(lda.locator("#no-access")).to_be_visible()
    lda.goto("/admin/links")
    lda.fill("#link-search", "landesamt")
    expect(lda.locator("[id^='candidate-']")).to_have_count(1)
    expect(lda.locator("#link-candidates")).to_contain_text(re.compile("Landesamt"))
    shot(lda, "links-en")
