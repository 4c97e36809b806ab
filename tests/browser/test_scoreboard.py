"""The scoreboard as people use it: a requesting handler closes a request and rates it; the national
coordinator reads the dashboard, changes the period, the area and the side, and mistypes a date range."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from imi_app.demo.links import case_ids
from tests.browser.conftest import sign_in, wait_hydrated
from tests.support.live_db import db_value

DEMO = case_ids()


def _page(browser, live_app, username: str, width: int = 1280, height: int = 900):
    page = browser.new_context(base_url=live_app.url, viewport={"width": width, "height": height}).new_page()
    sign_in(page, username)
    return page


def test_a_requesting_handler_closes_a_request_and_rates_it(browser, live_app, shot):
    request_id = db_value(live_app.db_url, "SELECT id FROM info_request WHERE case_id = :c", c=DEMO[107])
    page = _page(browser, live_app, "de.handler")
    page.goto(f"/requests/{request_id}")
    page.locator("#request-header").wait_for()
    page.click("#action-accept_answer")
    page.click("#confirm-accept_answer")
    expect(page.locator("#confirm-accept_answer")).to_have_count(0)

    page.click("#action-rate")
    page.locator("#confirm-rate").wait_for()
    page.click("#confirm-rate")  # nothing chosen: told so beside both questions, nothing saved
    expect(page.get_by_text("Choose one of the three.")).to_have_count(2)
    assert db_value(live_app.db_url, "SELECT count(*) FROM request_rating WHERE request_id = :r", r=request_id) == 0
    page.click("#timeliness-negative")
    page.click("#efforts-positive")
    page.fill("#dialog-comment", "The answer came after the agreed date.")
    shot(page, "rating-dialog")
    page.click("#confirm-rate")
    expect(page.get_by_text("Thank you. Your rating has been saved.")).to_be_visible()
    expect(page.get_by_text("Timeliness: Negative · Efforts made: Positive")).to_be_visible()
    assert db_value(live_app.db_url, "SELECT timeliness FROM request_figures WHERE request_id = :r",
                    r=request_id) == "negative"


def test_the_coordinator_reads_the_dashboard(browser, live_app, shot):
    page = _page(browser, live_app, "de.coordinator")
    page.get_by_role("link", name="Dashboard").first.click()
    wait_hydrated(page)
    expect(page.locator("#dashboard-coordinator")).to_contain_text("Nationaler IMI-Koordinator")
    expect(page.locator("#figure-accepting")).to_have_text(re.compile(r"^\d+%$"))
    # The demo requests alone: the days they arrived on, before any other test sent one. The DE tree received
    # 101, 103 and 105 from Hungary: 103 and 105 were accepted the day after they arrived, 101 still waits.
    today = date.today()
    page.click("#dashboard-period")
    page.get_by_role("option", name="Chosen dates").click()
    page.fill("#dashboard-first", (today - timedelta(days=60)).isoformat())
    page.fill("#dashboard-last", (today - timedelta(days=30)).isoformat())
    page.click("#dashboard-apply")
    expect(page.locator("#figure-accepting")).to_have_text("67%")
    expect(page.locator("#card-accepting")).to_contain_text("Requests counted: 3")
    expect(page.locator("#card-accepting")).to_contain_text("Needs attention")
    # Hungary rated the timeliness of 105 negative: the one rating, so 100 % negative.
    expect(page.locator("#figure-timeliness")).to_have_text("100%")
    expect(page.locator("#card-timeliness")).to_contain_text("Poor")
    # Month by month, the chosen indicator: the same rating, in its month.
    expect(page.locator("#trend-table tbody tr").first).to_contain_text("%")
    page.click("#trend-indicator")
    page.click("#trend-timeliness")
    expect(page.locator("#trend-table")).to_contain_text("100%")
    page.click("#trend-indicator")
    page.click("#trend-volume")
    # The months of the period with the requests received in each (the demo's three, in one month or two).
    expect(page.locator("#trend-table tbody tr").first.locator("td").first).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#dashboard-authorities")).to_contain_text("Ärztekammer Berlin")
    page.click("#sort-accepting")  # the table sorts by a column, and says so to a screen reader
    expect(page.locator("#dashboard-authorities th[aria-sort='ascending']")).to_contain_text("Speed in accepting")
    expect(page.locator("#backlog-table")).to_contain_text("31–90 days")
    expect(page.locator("#waiting-heading")).to_have_text("Waiting on coordinators")
    expect(page.get_by_text("After 3 working days their staff are reminded", exact=False)).to_be_visible()
    shot(page, "dashboard-de-en")
    with page.expect_download() as download:
        page.click("#dashboard-csv")
    assert "Ärztekammer Berlin" in download.value.path().read_text(encoding="utf-8-sig")

    # Outgoing: what Germany sent to others (102, 104, 107).
    page.click("#side-outgoing")
    expect(page.locator("#card-accepting")).to_contain_text("Requests counted: 3")
    # The HU side's rating of 105 does not count here, the DE side's of 104 (and 107, if rated) does.
    expect(page.locator("#card-timeliness")).not_to_contain_text("No data")

    # Chosen dates, the wrong way round: said so beside the field; the figures stay as they were.
    page.click("#dashboard-period")
    page.get_by_role("option", name="Chosen dates").click()
    page.fill("#dashboard-first", "2026-06-30")
    page.fill("#dashboard-last", "2026-06-01")
    page.click("#dashboard-apply")
    expect(page.get_by_text("The last day cannot be before the first.")).to_be_visible()

    page.click("#dashboard-period")
    page.get_by_role("option", name="Last 3 months").click()
    expect(page.get_by_text("The last day cannot be before the first.")).to_have_count(0)
    expect(page.locator("#figure-accepting")).to_be_visible()
    page.click("#dashboard-area")
    page.get_by_role("option", name="Services").click()
    expect(page.locator("#dashboard-empty")).to_be_visible()  # no demo request is in that area


def test_the_dashboard_in_hungarian_at_phone_width(browser, live_app, shot):
    page = _page(browser, live_app, "hu.coordinator", width=390, height=844)
    page.goto("/dashboard")
    wait_hydrated(page)
    expect(page.locator("h1")).to_have_text("Irányítópult")
    expect(page.locator("#card-accepting")).to_contain_text("Az elfogadás gyorsasága")
    expect(page.locator("#figure-accepting")).to_have_text(re.compile(r"^\d+%$"))
    shot(page, "dashboard-hu-phone")


def test_a_handler_sees_the_own_figures_but_no_dashboard(browser, live_app, shot):
    page = _page(browser, live_app, "hu.handler")
    # The home page: the Hungarian chamber accepted 102, 104 and 107 the day after they arrived.
    expect(page.locator("#own-figures")).to_contain_text("Az elfogadás gyorsasága")
    expect(page.locator("#own-figure-accepting")).to_have_text(re.compile(r"^\d+%$"))
    shot(page, "home-own-figures-hu")
    expect(page.get_by_role("link", name="Irányítópult")).to_have_count(0)
    page.goto("/dashboard")
    wait_hydrated(page)
    expect(page.locator("#no-access")).to_be_visible()
