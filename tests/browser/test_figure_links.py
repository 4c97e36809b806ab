"""From a figure to the requests behind it: the national coordinator follows a red figure of the dashboard to
the overview, which lists exactly the requests counted and says so; an address edited to another country's
authority is refused."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_hydrated
from tests.support.live_db import db_value


def _page(browser, live_app, username: str, width: int = 1280, height: int = 900):
    page = browser.new_context(base_url=live_app.url, viewport={"width": width, "height": height}).new_page()
    sign_in(page, username)
    return page


def test_a_red_figure_opens_the_requests_it_counts(browser, live_app, shot):
    page = _page(browser, live_app, "de.coordinator")
    page.goto("/dashboard")
    wait_hydrated(page)
    # The two distributions, each with its table: days to answer in five buckets, the open ones per status.
    expect(page.locator("#answer-days-table tbody tr")).to_have_count(5)
    expect(page.locator("#open-status-table")).to_contain_text("Answer awaiting approval")
    shot(page, "dashboard-distributions-en")
    with page.expect_download() as download:  # the PDF beside the CSV
        page.click("#dashboard-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    red = page.locator("[id^='card-']").filter(has_text="Poor").first  # Hungary's negative rating of 105
    expect(red).to_be_visible()
    counted = re.search(r"Requests counted: (\d+)", red.inner_text())
    assert counted, red.inner_text()
    count = int(counted.group(1))
    title = red.locator("h3").inner_text()
    red.locator("[id^='figure-link-']").click()

    expect(page).to_have_url(re.compile(r"/requests\?figure="))
    expect(page.locator("#figure-chip-label")).to_contain_text(f"— {title}: all authorities of")
    expect(page.locator("#figure-chip-count")).to_have_text(f"Requests counted: {count}")
    expect(page.get_by_text("The requests a figure of the dashboard counts.")).to_be_visible()
    expect(page.locator("#overview-table tbody tr")).to_have_count(min(count, 25))
    expect(page.locator("#overview-search")).to_have_count(0)  # the figure is the filter, said in the chip
    shot(page, "figure-requests-en")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "figure-requests-en-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The same address edited to another country's authority: refused, nothing listed.
    params = {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}
    other = db_value(live_app.db_url, "SELECT id FROM authority WHERE country_code = 'HU' ORDER BY id LIMIT 1")
    edited = "&".join(f"{k}={v}" for k, v in {**params, "authority": other}.items())
    page.goto(f"/requests?{edited}")
    wait_hydrated(page)
    expect(page.locator("#no-access")).to_be_visible()
    expect(page.locator("#overview-table")).to_have_count(0)

    # Back to a figure, then the chip removed: the whole overview with its filters.
    page.go_back()
    expect(page.locator("#figure-chip")).to_be_visible()
    page.click("#figure-chip-remove")
    expect(page.locator("#figure-chip")).to_have_count(0)
    expect(page.locator("#overview-search")).to_be_visible()
    expect(page.get_by_text("All incoming and outgoing requests of my authority.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/requests$"))


def test_an_authoritys_row_links_to_its_own_requests(browser, live_app, shot):
    page = _page(browser, live_app, "hu.coordinator", width=390, height=844)
    page.goto("/dashboard")
    wait_hydrated(page)
    accepting = "[id^='figure-link-'][id$='-accepting']"
    row = page.locator("#dashboard-authorities tbody tr").filter(has=page.locator(accepting)).first
    link = row.locator(accepting)
    expect(link).to_be_visible()
    name = row.locator("th").inner_text().strip()
    link.click()
    expect(page.locator("#figure-chip-label")).to_contain_text(name)
    expect(page.locator("#figure-chip-label")).to_contain_text("1. mutató")
    count = int(re.search(r"(\d+)", page.locator("#figure-chip-count").inner_text()).group(1))
    expect(page.locator("#overview-table tbody tr")).to_have_count(min(count, 25))
    shot(page, "figure-requests-hu-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.go_back()
    wait_hydrated(page)
    expect(page.locator("#answer-days-table")).to_be_visible()
    shot(page, "dashboard-hu")
