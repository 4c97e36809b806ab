"""Blocked personal data as people meet it: a handler sees a closed exchange as proof, without the person; the
local data administrator opens the data for one view with a reason, which the other side's administrator then
reads on the timeline; a reload blocks it again."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

import imi_app.schema  # noqa: F401 - every table, for the session on the live app's database
from imi_app.core.db import session_scope
from imi_app.core.time import utcnow
from imi_app.demo.links import case_ids
from imi_app.requests.models import InfoRequest
from imi_app.requests.retention import block_personal_data
from tests.browser.axe import violations
from tests.browser.conftest import own_page, sign_in, wait_hydrated
from tests.support.live_db import db_value

DEMO = case_ids()
PERSON = "Dr. Markus Richter"  # the person of demo request 104: Ärztekammer Berlin asks Magyar Orvosi Kamara
REASON = "Proof of the exchange for the administrative court, case 12/2027"


def _block(db_url: str, request_id: int) -> None:
    with session_scope(db_url) as session:
        block_personal_data(session, session.get(InfoRequest, request_id), utcnow())


def _unblock(db_url: str, request_id: int) -> None:
    """Back as the other browser tests know it (the audit entries stay: the log is append-only)."""
    with sa.create_engine(db_url).begin() as conn:
        conn.execute(sa.text("UPDATE info_request SET personal_data_blocked_at = NULL WHERE id = :r"), {"r": request_id})
        conn.execute(sa.text("DELETE FROM request_event WHERE request_id = :r AND kind LIKE 'personal_data_%'"),
                     {"r": request_id})


def _open(page, request_id: int) -> None:
    page.goto(f"/requests/{request_id}")
    page.locator("#request-header").wait_for()
    wait_hydrated(page)


def test_blocked_data_is_withheld_and_an_lda_opens_it_once_with_a_reason(browser, live_app, shot):
    request_id = db_value(live_app.db_url, "SELECT id FROM info_request WHERE case_id = :c", c=DEMO[104])
    _block(live_app.db_url, request_id)
    try:
        with own_page(browser, live_app, viewport={"width": 1280, "height": 900}) as handler:
            sign_in(handler, "de.handler")
            _open(handler, request_id)
            expect(handler.locator("#retention-blocked")).to_contain_text("Personal data blocked")
            expect(handler.locator("#person-card")).to_have_count(0)
            expect(handler.locator("#open-blocked")).to_have_count(0)  # only a local data administrator
            expect(handler.locator("#request-case-id")).to_have_text(DEMO[104])  # the proof stays
            assert PERSON not in handler.content()
            found = violations(handler)
            assert found == [], found
            shot(handler, "retention-blocked-en")

        with own_page(browser, live_app, viewport={"width": 1280, "height": 900}) as lda:
            sign_in(lda, "de.lda")
            _open(lda, request_id)
            lda.click("#open-blocked")
            lda.locator("#confirm-open_blocked_data").wait_for()
            lda.click("#confirm-open_blocked_data")  # no reason: told beside the field, nothing opened
            expect(lda.locator("#dialog-reason-error")).to_be_visible()
            expect(lda.locator("#person-card")).to_have_count(0)
            lda.fill("#dialog-reason", REASON)
            lda.click("#confirm-open_blocked_data")
            expect(lda.locator("#person-card")).to_contain_text(PERSON)
            expect(lda.locator("#retention-opened")).to_be_visible()
            shot(lda, "retention-opened-en")
            lda.reload()
            lda.locator("#retention-blocked").wait_for()
            expect(lda.locator("#person-card")).to_have_count(0)  # that one view only

        with own_page(browser, live_app, viewport={"width": 390, "height": 844}) as other:
            sign_in(other, "hu.lda")  # the responding authority's administrator, in Hungarian
            _open(other, request_id)
            expect(other.locator("#retention-blocked")).to_contain_text("Személyes adatok zárolva")
            expect(other.locator("#timeline")).to_contain_text(REASON)
            expect(other.locator("#timeline")).to_contain_text("helyi adatkezelő")
            found = violations(other)
            assert found == [], found
            shot(other, "retention-blocked-phone-hu")
    finally:
        _unblock(live_app.db_url, request_id)
