"""A new user's name fields follow the reader's language: in Hungarian the family name comes first ("Családi név",
then "Utónév"), on the screen and for the keyboard; in English the given name does. The username is made from the
family name as typed, and the full name is written as the authority's country writes names."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from imi_app.core.i18n import gettext
from tests.browser.conftest import own_page, save_screenshot, sign_in, wait_hydrated
from tests.support.live_db import db_value

# (who registers, in which language, what is typed in the order asked, the username's start, the full name kept)
CASES = {
    "hu": ("hu.lda", [("#family_name", "Kovács-Szabó"), ("#given_name", "Béla")], r"hu\.kovacsszabo",
           "Kovács-Szabó Béla"),
    "en": ("de.lda", [("#given_name", "Ursula"), ("#family_name", "von der Leyen")], r"de\.vonderleyen",
           "Ursula von der Leyen"),
}


def _forget(db_url: str, username: str) -> None:
    """The demo data as the other browser tests know it: the new user and what hangs on it go again."""
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        user = {"u": conn.execute(sa.text('SELECT id FROM "user" WHERE username = :n'), {"n": username}).scalar()}
        for table in ("role_assignment", "user_session", "mail_outbox"):
            conn.execute(sa.text(f"DELETE FROM {table} WHERE user_id = :u"), user)
        conn.execute(sa.text('DELETE FROM "user" WHERE id = :u'), user)
    engine.dispose()


@pytest.mark.parametrize("language", sorted(CASES))
def test_the_name_fields_come_in_the_order_the_language_writes_names(browser, live_app, language):
    lda, typed, username_start, full_name = CASES[language]
    username = ""
    try:
        with own_page(browser, live_app, viewport={"width": 1280, "height": 900}) as page:
            sign_in(page, lda)
            page.goto("/admin/users/new")
            wait_hydrated(page)
            page.wait_for_selector("#family_name")
            order = page.eval_on_selector_all("#family_name, #given_name", "(found) => found.map((e) => '#' + e.id)")
            assert order == [selector for selector, _ in typed]  # the document's order, which the screen reader reads
            first, second = (page.locator(selector).bounding_box() for selector, _ in typed)
            assert first["x"] < second["x"] and first["y"] == second["y"]  # side by side, the first one left
            labels = [page.locator(f"label[for='{selector[1:]}']").inner_text() for selector, _ in typed]
            asked = ["Family name", "Given name"] if language == "hu" else ["Given name", "Family name"]
            assert labels == [gettext(language, text) for text in asked]
            page.click(typed[0][0])
            page.keyboard.type(typed[0][1])
            page.keyboard.press("Tab")  # as a person types: the second field is the next stop of the keyboard
            assert page.evaluate("() => document.activeElement.id") == typed[1][0][1:]
            page.keyboard.type(typed[1][1])
            page.fill("#email", f"name-order-{language}@example.eu")
            save_screenshot(page, f"{language}-name-order")
            page.click("#register-submit")
            username = page.locator("#new-username").inner_text().strip()
        assert re.fullmatch(rf"{username_start}\d{{4}}", username), username
        assert db_value(live_app.db_url, 'SELECT full_name FROM "user" WHERE username = :u', u=username) == full_name
    finally:
        if username:
            _forget(live_app.db_url, username)
