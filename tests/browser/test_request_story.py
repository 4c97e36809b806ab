"""The whole life of one request between two countries, as people do it in the browser (issue 4 §9):
HU handler sends with approval on → HU coordinator approves → DE handlers get the e-mail → DE allocator
allocates → DE handler accepts and answers → HU asks for more information → DE insists → referral →
both coordinators give their opinion → closed, with the opinions on the timeline."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from imi_app.core.i18n import gettext
from imi_app.requests.steps import STEPS
from imi_app.requests.ui.request_view import WAITING_LABELS
from imi_app.requests.ui.request_page_state import TO_COORDINATOR
from tests.support.live_db import db_value
from tests.browser.conftest import ROOT, sign_in

PQ = "professional_qualifications"
SUBJECT = "Verification of a medical diploma"
PERSON = "Dr. Test Person"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SEED_QUESTIONS = ("from imi_app.core.db import session_scope\nfrom imi_app import reference\n"
                  "with session_scope() as s:\n    reference.load_questions(s)\n")


def _user(browser, live_app, username: str, width: int = 1280, height: int = 900):
    page = browser.new_context(base_url=live_app.url, viewport={"width": width, "height": height},
                               accept_downloads=True).new_page()
    sign_in(page, username)
    return page


def _status(live_app, request_id: int) -> str:
    return db_value(live_app.db_url, "SELECT status FROM info_request WHERE id = :id", id=request_id)


def wait_status(live_app, request_id: int, status: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while (now := _status(live_app, request_id)) != status:
        assert time.monotonic() < deadline, f"request {request_id} is {now}, not {status}"
        time.sleep(0.2)


def open_request(page, request_id: int) -> None:
    page.goto(f"/requests/{request_id}")
    page.locator("#request-header").wait_for()


def act(page, action: str, *, note: str = "", opinion: str = "") -> None:
    """Clicks a step's button and confirms its dialog, with a note and a choice where it asks for them."""
    page.click(f"#action-{action}")
    page.locator(f"#confirm-{action}").wait_for()
    if opinion:
        page.click(f"#opinion-{opinion}")
    if note:
        page.fill("#dialog-note", note)
    page.click(f"#confirm-{action}")
    expect(page.locator(f"#confirm-{action}")).to_have_count(0)


def approval_of_requests(page, on: bool) -> None:
    """Sets the coordinator's "approve outgoing requests" switch for the area through its settings page."""
    page.goto("/admin/coordinator-settings")
    switch = page.locator(f"#approve-requests-{PQ}")
    switch.wait_for()
    if (switch.get_attribute("aria-checked") == "true") != on:
        switch.click()
        page.click(f"#save-{PQ}")
        expect(page.locator(f"#save-{PQ}")).to_be_disabled()
    expect(switch).to_have_attribute("aria-checked", "true" if on else "false")


def mail_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def write_request(page, reply_date: str) -> None:
    page.goto("/requests/new")
    page.locator("#subject").wait_for()
    page.fill("#responder-search", "Ärztekammer Berlin")
    page.locator("[id^='responder-option-']", has_text="Ärztekammer Berlin").first.click()
    expect(page.locator("#responder-chosen")).to_contain_text("Ärztekammer Berlin")
    page.fill("#subject", SUBJECT)
    page.fill("#proposed_reply_date", reply_date)
    page.fill("#person_full_name", PERSON)
    page.fill("#person_birth_date", "1980-05-17")
    page.fill("#person_nationality", "HU")
    questions = page.locator("#request-question-set [id^='question-']")
    questions.nth(0).click()  # Is the diploma attached authentic? (yes/no)
    questions.nth(2).click()  # On what date was the qualification awarded? (date)
    page.fill("#free_text", "Please confirm the diploma attached.")
    page.set_input_files("#request-files input[type=file]",
                         files=[{"name": "diploma.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(page.locator("#chosen-files")).to_contain_text("diploma.pdf")


@pytest.fixture
def approvals_kept(live_app):
    """The coordinators' approval switches as they were before the test, whether it passes or not: the
    tests after it share the live app."""
    engine = sa.create_engine(live_app.db_url)
    key = "coordinator_id, area_id"
    try:
        with engine.connect() as conn:
            before = conn.execute(sa.text(f"SELECT {key}, approve_requests FROM coordinator_setting")).all()
        yield
        with engine.begin() as conn:
            kept = {(c, a) for c, a, _ in before}
            for c, a in conn.execute(sa.text(f"SELECT {key} FROM coordinator_setting")).all():
                if (c, a) not in kept:
                    conn.execute(sa.text("DELETE FROM coordinator_setting WHERE coordinator_id = :c AND area_id = :a"),
                                 {"c": c, "a": a})
            for c, a, value in before:
                conn.execute(sa.text("UPDATE coordinator_setting SET approve_requests = :v"
                                     " WHERE coordinator_id = :c AND area_id = :a"), {"v": value, "c": c, "a": a})
    finally:
        engine.dispose()


def test_a_request_between_two_countries_from_approval_to_referral(browser, live_app, smtp_server, shot,
                                                                   approvals_kept):
    subprocess.run([sys.executable, "-c", SEED_QUESTIONS], cwd=ROOT, env=live_app.env, check=True, timeout=120)
    coordinator = _user(browser, live_app, "hu.coordinator")
    approval_of_requests(coordinator, True)

    english = _user(browser, live_app, "de.handler")
    english.goto("/requests/new")
    english.locator("#request-question-set").wait_for()
    shot(english, "new-request-en")

    # The HU handler writes the request and sends it: it waits for the coordinator.
    hu = _user(browser, live_app, "hu.handler")
    write_request(hu, (date.today() + timedelta(days=21)).isoformat())
    shot(hu, "new-request-hu")
    hu.click("#send-request")
    hu.wait_for_url(re.compile(r".*/requests/\d+/?$"))
    request_id = int(re.search(r"/requests/(\d+)", hu.url).group(1))
    expect(hu.get_by_text(gettext("hu", TO_COORDINATOR))).to_be_visible()
    wait_status(live_app, request_id, "awaiting_approval")
    hu.locator("#request-header").wait_for()
    case_id = hu.locator("#request-case-id").inner_text().strip()
    expect(hu.locator("#files-card")).to_contain_text("diploma.pdf")
    expect(hu.locator("#action-approve_request")).to_have_count(0)
    # Whom it waits on, since today (requests.escalation), in the reader's language.
    expect(hu.locator("#request-waiting")).to_contain_text(gettext("hu", WAITING_LABELS["approval"]).split(":")[0])
    shot(hu, "request-waiting-hu")

    open_request(coordinator, request_id)
    expect(coordinator.locator("#person-card")).to_contain_text(PERSON)  # approvers judge what leaves the country
    act(coordinator, "approve_request")
    wait_status(live_app, request_id, "sent")
    # Approved, the request is out of the coordinator's sight: the task list, with what was done.
    coordinator.wait_for_url(re.compile(r"^https?://[^/]+/?$"))
    coordinator.locator("#welcome").wait_for()
    expect(coordinator.get_by_text(gettext("hu", STEPS["approve_request"].message("sent")))).to_be_visible()

    # Every DE request handler of the area is told, without the personal data.
    for address in ("de.handler@imi.example", "de.allocator@imi.example"):
        mail = smtp_server.wait_for(lambda m, a=address: a in str(m["To"]) and case_id in str(m["Subject"]))
        assert PERSON not in mail_body(mail) and PERSON not in str(mail["Subject"])

    allocator = _user(browser, live_app, "de.allocator")
    open_request(allocator, request_id)
    allocator.click("#action-allocate")
    allocator.locator("#confirm-allocate").wait_for()
    allocator.get_by_label("Lena Weber").check()
    allocator.click("#confirm-allocate")
    expect(allocator.locator("#request-allocated")).to_contain_text("Lena Weber")

    # The DE handler accepts, reads the file, and answers in English.
    de = english
    open_request(de, request_id)
    expect(de.locator("#questions-card")).to_contain_text("Is the diploma attached authentic?")
    # A download does not leave the page: Reflex closes the page's event socket when it is left.
    de.evaluate("() => { window.imiLeft = 0; window.addEventListener('beforeunload', () => window.imiLeft++); }")
    with de.expect_download() as download:
        de.locator("[id^='file-link-']").first.click()
    assert download.value.suggested_filename == "diploma.pdf"
    assert de.evaluate("() => window.imiLeft") == 0
    act(de, "accept")
    wait_status(live_app, request_id, "accepted")
    de.click("#action-answer")
    de.locator("#confirm-answer").wait_for()
    de.locator("[id^='yes-no-'][id$='-yes']").first.click()
    de.locator("#questions-card input[type=date]").first.fill("2004-06-30")
    de.fill("#answer-reply", "The diploma is authentic.")
    de.click("#confirm-answer")
    wait_status(live_app, request_id, "answered")

    open_request(hu, request_id)
    expect(hu.locator("#questions-card")).to_contain_text("2004. jún. 30.")  # the date answer, as Hungarian writes it
    act(hu, "request_more_info", note="Please also send the transcript of the studies.")
    wait_status(live_app, request_id, "accepted")

    open_request(de, request_id)
    act(de, "insist", note="We do not keep transcripts; the university does.")
    wait_status(live_app, request_id, "insisted")

    open_request(hu, request_id)
    act(hu, "start_referral", note="The transcript is needed to recognise the diploma.")
    wait_status(live_app, request_id, "in_referral")
    expect(hu.locator("#request-waiting")).to_contain_text(gettext("hu", WAITING_LABELS["opinion"]).split(":")[0])

    open_request(coordinator, request_id)
    expect(coordinator.locator("#person-card")).to_have_count(0)  # arbiters do not see the person
    act(coordinator, "give_opinion", opinion="responder", note="HU: the chamber cannot be asked for this.")
    wait_status(live_app, request_id, "in_referral")
    other = _user(browser, live_app, "de.coordinator")
    open_request(other, request_id)
    act(other, "give_opinion", opinion="responder", note="DE: transcripts are kept by the universities.")
    wait_status(live_app, request_id, "closed")

    for page, name in ((hu, "request-page-hu"), (de, "request-page-en")):
        open_request(page, request_id)
        expect(page.locator("#timeline")).to_contain_text("DE: transcripts are kept by the universities.")
        expect(page.locator("#opinions-card")).to_contain_text("HU: the chamber cannot be asked for this.")
        # On a closed request only the requesting side has something left to do: rate the answer.
        buttons = page.locator("#action-bar button")
        if page is hu:
            expect(buttons).to_have_count(1)
            expect(page.locator("#action-rate")).to_be_visible()
        else:
            expect(page.locator("#action-bar")).to_have_count(0)
        shot(page, name)
    phone = _user(browser, live_app, "de.handler", 390, 844)
    open_request(phone, request_id)
    shot(phone, "request-page-phone-en")
    approval_of_requests(coordinator, False)  # as the demo data had it, for the other tests
