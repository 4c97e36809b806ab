"""Dates and times as the reader's language writes them, in the reader's time zone: the country's until the
user chooses another one in the profile."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from playwright.sync_api import expect

from imi_app.core.formats import Formats
from imi_app.core.i18n import gettext
from imi_app.demo.links import case_ids
from tests.browser.conftest import own_page, sign_in, wait_hydrated
from tests.support.live_db import db_value

READER = "hu.allocator"  # Hungarian, at the Hungarian chamber, which sent demo request 101


def test_times_follow_the_language_and_the_chosen_zone(browser, live_app, shot):
    request_id = db_value(live_app.db_url, "SELECT id FROM info_request WHERE case_id = :c", c=case_ids()[101])
    sent = db_value(live_app.db_url, "SELECT sent_at FROM info_request WHERE id = :r", r=request_id)
    sent = sent if isinstance(sent, datetime) else datetime.fromisoformat(str(sent))
    try:
        with own_page(browser, live_app) as page:
            sign_in(page, READER)
            page.goto(f"/requests/{request_id}")
            wait_hydrated(page)
            expect(page.locator("#request-sent")).to_have_text(Formats("hu", "Europe/Budapest").moment(sent))

            page.goto("/profile")
            wait_hydrated(page)
            page.click("#profile-time-zone")
            page.get_by_role("option", name="Lisszabon (Portugália)").click()
            page.click("#profile-save")
            expect(page.get_by_text(gettext("hu", "Your details have been saved."))).to_be_visible()
            shot(page, "profile-time-zone-hu")

            page.goto(f"/requests/{request_id}")
            wait_hydrated(page)
            expect(page.locator("#request-sent")).to_have_text(Formats("hu", "Europe/Lisbon").moment(sent))
    finally:
        engine = sa.create_engine(live_app.db_url)
        with engine.begin() as conn:  # the shared app's other tests read this user's times in the country's zone
            conn.execute(sa.text("UPDATE \"user\" SET time_zone = NULL WHERE username = :u"), {"u": READER})
        engine.dispose()
