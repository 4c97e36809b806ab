"""A person's request as a local data administrator handles it: from the Administration menu, the exchanges about
them found whatever the accents and case typed, the file of their data downloaded as JSON and PDF, a field
corrected, an early erasure refused without its ground; in English at desktop width and in Hungarian on a phone."""

from __future__ import annotations

import json

import sqlalchemy as sa
from playwright.sync_api import expect

from imi_app.demo.links import case_ids
from tests.browser.axe import describe, violations
from tests.browser.conftest import own_page, sign_in, wait_hydrated
from tests.support.live_db import db_value

DEMO = case_ids()
PERSON = "Dr. Markus Richter"  # the person of demo request 104: Ärztekammer Berlin asks Magyar Orvosi Kamara
NEW_NUMBER = "DE-BE 4711/2026"


def _restore(db_url: str, request_id: int, number: str) -> None:
    """Back as the other browser tests know it (the audit entries stay: the log is append-only)."""
    with sa.create_engine(db_url).begin() as conn:
        conn.execute(sa.text("UPDATE request_person SET registration_number = :n, identifier_key = :k "
                             "WHERE request_id = :r"),
                     {"n": number, "k": "".join(ch for ch in number.casefold() if ch.isalnum()), "r": request_id})
        conn.execute(sa.text("DELETE FROM request_event WHERE request_id = :r AND kind = 'personal_data_corrected'"),
                     {"r": request_id})


def _search(page, name: str) -> None:
    page.fill("#name", name)
    page.click("#subject-search")


def test_an_lda_finds_exports_and_corrects_a_persons_data(browser, live_app, shot):
    request_id = db_value(live_app.db_url, "SELECT id FROM info_request WHERE case_id = :c", c=DEMO[104])
    number = db_value(live_app.db_url, "SELECT registration_number FROM request_person WHERE request_id = :r",
                      r=request_id)
    try:
        with own_page(browser, live_app, viewport={"width": 1280, "height": 900}) as page:
            sign_in(page, "de.lda")
            page.click("#admin-menu")
            page.click("#menu-data-subject")
            page.wait_for_url("**/admin/data-subject")
            wait_hydrated(page)
            page.click("#subject-search")  # nothing typed: told beside the name, nothing searched
            expect(page.locator("#name-error")).to_contain_text("Enter a name, a date of birth or an identifier.")
            expect(page.locator("#subject-hits")).to_have_count(0)

            _search(page, "markus RICHTER")
            row = page.locator(f"#subject-row-{request_id}")
            expect(row).to_contain_text(PERSON)
            expect(row).to_contain_text(DEMO[104])
            expect(row).to_contain_text("Magyar Orvosi Kamara")
            found = violations(page)
            assert found == [], describe({'screen': found})
            shot(page, "data-subject-en")

            with page.expect_download() as download:
                page.click("#subject-json")
            document = json.loads(download.value.path().read_text(encoding="utf-8"))
            exchange = next(e for e in document["exchanges"] if e["case_id"] == DEMO[104])
            assert exchange["person"]["full_name"] == PERSON
            assert {a["name"] for a in exchange["seen_by"]} >= {"Ärztekammer Berlin", "Magyar Orvosi Kamara"}
            with page.expect_download() as download:
                page.click("#subject-pdf")
            assert download.value.path().read_bytes().startswith(b"%PDF")

            page.click(f"#subject-correct-{request_id}")
            dialog = page.locator("#subject-dialog")
            expect(dialog).to_contain_text(DEMO[104])
            page.click("#subject-field")
            page.click("#subject-field-registration_number")
            page.fill("#value", NEW_NUMBER)
            page.click("#subject-confirm-correct")  # no reason: told beside it, nothing changed
            expect(page.locator("#subject-reason-error")).to_be_visible()
            page.fill("#subject-reason", "The person showed the chamber's certificate.")
            page.click("#subject-confirm-correct")
            expect(dialog).to_have_count(0)
            expect(row).to_contain_text(NEW_NUMBER)
            shot(page, "data-subject-corrected-en")

            page.click(f"#subject-erase-{request_id}")
            page.fill("#subject-reason", "Court order 3/2027")
            page.click("#subject-confirm-erase")  # no ground chosen: nothing erased
            expect(page.locator("#subject-ground-error")).to_be_visible()
            found = violations(page)
            assert found == [], describe({'screen': found})
            page.click("#subject-cancel")
            expect(row).to_contain_text(PERSON)

        with own_page(browser, live_app, viewport={"width": 390, "height": 844}) as phone:
            sign_in(phone, "hu.lda")  # the responding authority's administrator finds it too
            phone.goto("/admin/data-subject")
            wait_hydrated(phone)
            _search(phone, "richter")
            expect(phone.locator(f"#subject-row-{request_id}")).to_contain_text(PERSON)
            expect(phone.locator("#subject-summary")).to_contain_text("található")
            found = violations(phone)
            assert found == [], describe({'screen': found})
            shot(phone, "data-subject-phone-hu")
    finally:
        _restore(live_app.db_url, request_id, number)
