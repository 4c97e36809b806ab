"""The audit screen as a local data administrator uses it: from the Administration menu, filtered by an action,
one entry opened, a mistyped date named beside its field, and the list downloaded as CSV."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

import imi_app.schema  # noqa: F401 - every table, for the session on the live app's database
from imi_app.accounts.models import User
from imi_app.core import audit
from imi_app.core.db import session_scope
from tests.browser.conftest import sign_in, wait_hydrated
from tests.support.live_db import db_value


def _note_a_change(live_app) -> None:
    """An audited change by de.lda, written the way the app writes it (in the hash chain)."""
    user_id = db_value(live_app.db_url, "SELECT id FROM \"user\" WHERE username = 'de.lda'")
    with session_scope(live_app.db_url) as session:
        actor = session.get(User, user_id)
        audit.record(session, action="user.update", actor=actor, object_type="user", object_id=user_id,
                     before={"phone": "+49 30 0000"}, after={"phone": "+49 30 1234"})


def test_an_lda_reads_filters_opens_and_downloads_the_audit_log(browser, live_app, shot):
    context = browser.new_context(base_url=live_app.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _note_a_change(live_app)
        sign_in(page, "de.lda")
        page.click("#admin-menu")
        page.click("#menu-audit")
        page.wait_for_url("**/admin/audit")
        wait_hydrated(page)
        expect(page.locator("#audit-entries")).to_be_visible()

        rows = page.locator("#audit-entries tbody tr")
        expect(rows.first).to_contain_text("login.success")  # the sign-in just now, newest first
        page.click("#audit-action")
        page.locator('[id="audit-action-user.update"]').click()
        page.click("#audit-apply")
        expect(rows.first).to_contain_text("user.update")
        actions = page.locator("#audit-entries tbody tr td:nth-child(2) .rt-Text.rt-r-weight-medium").all_inner_texts()
        assert actions and set(actions) == {"user.update"}
        shot(page, "audit-desk")

        rows.first.locator("button").click()
        entry = page.locator("#audit-entry")
        expect(entry).to_be_visible()
        expect(entry).to_contain_text("user.update")
        expect(page.locator("#entry-user")).to_have_text("de.lda")
        expect(page.locator("#entry-before")).to_contain_text("+49 30 0000")
        expect(page.locator("#entry-after")).to_contain_text("+49 30 1234")
        assert len(page.locator("#entry-hash").inner_text()) == 64
        shot(page, "audit-entry")
        page.click("#entry-close")
        expect(entry).to_have_count(0)

        page.fill("#audit-first-day", "")
        page.locator("#audit-last-day").fill("2020-01-01")
        page.locator("#audit-first-day").fill("2021-01-01")
        page.click("#audit-apply")
        expect(page.get_by_text("The last day cannot be before the first.")).to_be_visible()
        expect(rows.first).to_contain_text("user.update")  # the list stays as it was
        page.click("#audit-clear")
        expect(page.get_by_text("The last day cannot be before the first.")).to_have_count(0)
        expect(rows.first).to_contain_text("login.success")
        page.click("#audit-action")
        page.locator('[id="audit-action-user.update"]').click()
        page.click("#audit-apply")
        expect(rows.first).to_contain_text("user.update")

        with page.expect_download() as download:
            page.click("#audit-csv")
        table = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
        assert table[0][:5] == ["Entry", "Time (UTC)", "User", "Authority", "Action"]
        assert len(table) > 1 and {row[4] for row in table[1:]} == {"user.update"}
        assert "de.lda" in {row[2] for row in table[1:]} and "+49 30 1234" in table[1][8]

        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        wait_hydrated(page)
        expect(page.locator("#audit-entries")).to_be_visible()
        shot(page, "audit-phone")
    finally:
        context.close()
