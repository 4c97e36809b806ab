"""The task list and the requests overview in the browser, on the demo data (IMI-<year>-000101..108 between
Magyar Orvosi Kamara and Ärztekammer Berlin, a few weeks old) plus requests made here through the services."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from playwright.sync_api import expect

from imi_app.demo.links import case_ids
from tests.browser.conftest import ROOT, sign_in, wait_hydrated

DEMO = case_ids()  # the demo requests' case ids by number, as the live app's seed made them today

# Makes requests in the live app's database through the services, as the given user, to the given authority.
MAKE_REQUESTS = """
import json, sys
from datetime import timedelta
from sqlmodel import select
from imi_app.core.db import session_scope
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.accounts.models import User
from imi_app.requests import actions as rq
from imi_app.requests.inputs import DraftInput, PersonInput, today

spec = json.loads(sys.argv[1])
made = []
with session_scope() as session:  # the actor comes from its own session, as in the app's handlers
    actor = session.exec(select(User).where(User.username == spec["username"])).one()
with session_scope() as session:
    to = session.exec(select(Authority).where(Authority.official_name == spec["to"])).one()
    area = session.exec(select(LegislativeArea).where(LegislativeArea.code == "professional_qualifications")).one()
    for subject in spec["subjects"]:
        data = DraftInput(area_id=area.id, responding_authority_id=to.id, subject=subject,
                          free_text="Please confirm the licence of Dr. Teszt Elek.",
                          proposed_reply_date=today() + timedelta(days=20),
                          person=PersonInput(full_name="Dr. Teszt Elek", birth_date="1979-08-21"))
        result = rq.create_draft(session, actor=actor, data=data)
        if spec["send"]:
            result = rq.submit(session, actor=actor, request_id=result.request_id, expected_version=result.version)
        made.append([result.request_id, result.case_id, result.status])
print(json.dumps(made))
"""
PERSONAL = ("Dr. Kiss János", "1978-03-14", "Confidential note", "Dr. Teszt Elek", "1979-08-21", "Példa utca")
PAGE_SIZE = 25


def make_requests(live_app, username: str, to: str, subjects: list[str], *, send: bool) -> list[list]:
    spec = json.dumps({"username": username, "to": to, "subjects": subjects, "send": send})
    done = subprocess.run([sys.executable, "-c", MAKE_REQUESTS, spec], cwd=ROOT, env=live_app.env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _page(browser, live_app, width: int = 1280, height: int = 900):
    return browser.new_context(base_url=live_app.url, viewport={"width": width, "height": height},
                               accept_downloads=True).new_page()


def rows(page, table: str):
    return page.locator(f"#{table} tbody tr")


def overview_row(page, case_id: str):
    return page.locator("#overview-table tbody tr", has_text=case_id)


def test_handler_sees_incoming_requests_to_accept_and_opens_one(browser, live_app, shot):
    # Sent from Austria, whose coordinator wants no approval: straight to Ärztekammer Berlin. (Not by
    # at.handler: test_login blocks that one.)
    (request_id, case_id, status), = make_requests(
        live_app, "at.lda", "Ärztekammer Berlin", ["Licence of a dentist (task list check)"], send=True)
    assert status == "sent"

    page = _page(browser, live_app)
    sign_in(page, "de.handler")
    row = page.locator(f"#task-accept_incoming-{request_id}")
    expect(row).to_contain_text(case_id)
    expect(row).to_contain_text("Österreichische Ärztekammer")
    expect(row).to_contain_text("Austria")
    to_accept = page.locator("#count-accept_incoming .imi-count")
    expect(to_accept).not_to_have_text("0")
    count = int(to_accept.inner_text())
    expect(page.locator("#new-request")).to_be_visible()
    demo = page.locator("#tasks-table tbody tr", has_text=DEMO[101])
    if demo.count():  # sent five weeks ago, due after four: overdue (unless another test has moved it on)
        expect(demo.locator(".imi-overdue:visible")).to_contain_text("Overdue by")
    shot(page, "task-list-en")

    page.click("#count-accept_incoming")  # a stat card shows only its kind
    expect(rows(page, "tasks-table")).to_have_count(count)
    expect(page.locator("#count-accept_incoming")).to_have_attribute("aria-pressed", "true")
    page.click("#tasks-show-all")
    expect(page.locator("#count-accept_incoming")).to_have_attribute("aria-pressed", "false")

    row.locator(".imi-request-link").click()
    page.wait_for_url(re.compile(rf".*/requests/{request_id}/?$"))
    expect(page.get_by_text(case_id).first).to_be_visible()  # the request page shows it


def test_hungarian_handler_task_list(browser, live_app, shot):
    page = _page(browser, live_app)
    sign_in(page, "hu.handler")
    expect(page.locator("#welcome")).to_contain_text("Szabó Éva")
    expect(page.locator("#tasks-table")).to_be_visible()
    expect(page.locator("#task-counts")).to_be_visible()
    shot(page, "task-list-hu")


def test_basic_user_sees_the_empty_task_list(browser, live_app):
    page = _page(browser, live_app)
    sign_in(page, "de.basic")
    expect(page.locator("#tasks-empty")).to_be_visible()
    expect(page.locator("#new-request")).to_have_count(0)
    expect(page.locator("#my-roles")).to_be_visible()


def test_overview_filters_searches_pages_and_exports(browser, live_app, shot):
    made = make_requests(live_app, "hu.handler", "Ärztekammer Berlin",
                         [f"Paging check {n:02d}" for n in range(PAGE_SIZE + 1)], send=False)
    page = _page(browser, live_app)
    sign_in(page, "hu.handler")
    page.click("a[href='/requests']")
    page.wait_for_url(re.compile(r".*/requests/?$"))
    wait_hydrated(page)
    table = rows(page, "overview-table")
    expect(table).to_have_count(PAGE_SIZE)  # the newest changes first: the drafts just made

    page.click("#overview-status")  # the closed ones: demo requests 104 and 105
    page.click("#overview-status-closed")
    expect(overview_row(page, DEMO[104])).to_be_visible()
    expect(overview_row(page, DEMO[105])).to_be_visible()
    expect(page.locator("#overview-table")).not_to_contain_text("Paging check")  # drafts
    expect(overview_row(page, DEMO[101])).to_have_count(0)  # sent
    page.click("#overview-clear")
    expect(table).to_have_count(PAGE_SIZE)

    page.fill("#overview-search", "diploma")  # other tests may have sent diplomas too
    expect(overview_row(page, DEMO[101])).to_contain_text("Verification of a medical diploma")
    assert all("diploma" in text.lower() for text in table.all_inner_texts())
    page.fill("#overview-search", DEMO[103].lower())
    expect(table).to_have_count(1)
    expect(page.locator("#overview-table")).to_contain_text("Good standing certificate of a general practitioner")
    page.fill("#overview-search", DEMO[106])  # our own draft
    expect(table).to_have_count(1)
    page.fill("#overview-search", DEMO[108])  # Ärztekammer's draft, not sent: not ours to see
    expect(page.locator("#overview-empty")).to_be_visible()
    page.fill("#overview-search", DEMO[103].lower())
    expect(table).to_have_count(1)
    shot(page, "overview-hu")

    page.fill("#overview-search", "Paging check")
    expect(table).to_have_count(PAGE_SIZE)
    expect(page.locator("#overview-previous")).to_be_disabled()
    first_page = page.locator("#overview-table").inner_text()
    page.click("#overview-next")
    expect(table).to_have_count(1)
    expect(page.locator("#overview-next")).to_be_disabled()
    assert page.locator("#overview-table").inner_text() not in first_page
    page.click("#overview-previous")
    expect(table).to_have_count(PAGE_SIZE)
    assert page.locator("#overview-table").inner_text() == first_page

    page.fill("#overview-search", "")
    expect(page.locator("#overview-clear")).to_have_count(0)  # no filter left: the export has every row
    with page.expect_download() as info:
        page.click("#overview-export")
    download = info.value
    assert download.suggested_filename == "imi-requests.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    assert DEMO[101] in text and "Verification of a medical diploma" in text
    assert all(case_id in text for _id, case_id, _status in made)
    for personal in PERSONAL:
        assert personal not in text, personal

    newest = made[-1][0]  # the last change first: on the first page
    page.click(f"#overview-row-{newest}")
    page.wait_for_url(re.compile(rf".*/requests/{newest}/?$"))


def test_overview_screens_in_english_on_desktop_and_phone(browser, live_app, shot):
    page = _page(browser, live_app)
    sign_in(page, "de.handler")
    page.goto("/requests")
    wait_hydrated(page)
    expect(overview_row(page, DEMO[101])).to_contain_text("Verification of a medical diploma")
    expect(overview_row(page, DEMO[101])).to_contain_text("Incoming")
    shot(page, "overview-en")

    phone = _page(browser, live_app, 390, 844)
    sign_in(phone, "de.handler")
    phone.goto("/requests")
    wait_hydrated(phone)
    expect(overview_row(phone, DEMO[101])).to_contain_text("Magyar Orvosi Kamara")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    shot(phone, "overview-phone-en")
