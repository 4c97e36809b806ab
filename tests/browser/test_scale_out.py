"""The larger installation, run for real: nginx (from Debian) in front of the exported frontend and two
backend workers sharing PostgreSQL and Redis, the layout the README documents. A user works through
nginx; a worker dies while the tab is open; the tab reconnects to the other one and nothing is lost."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import running_scaled_app, sign_in, wait_hydrated
from tests.support import postgres
from tests.support.live_db import db_value

REDIS_URL = os.environ.get("IMI_TEST_REDIS_URL", "")
PG_URL = os.environ.get("IMI_TEST_DATABASE_URL", "")


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, smtp_server):
    if not (REDIS_URL and PG_URL):
        pytest.skip("IMI_TEST_DATABASE_URL and IMI_TEST_REDIS_URL not set")
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        pytest.fail("nginx is not installed (scripts/test.sh installs Debian's)")
    database = postgres.create_database(PG_URL)
    try:
        with running_scaled_app(tmp_path_factory.mktemp("scaled"), smtp_server, database, REDIS_URL) as app:
            yield app
    finally:
        postgres.drop_database(PG_URL, database)


def _phone_of(app, username: str) -> str:
    return db_value(app.db_url, 'SELECT phone FROM "user" WHERE username = :u', u=username)


def _save_phone(page, phone: str) -> None:
    saved = page.get_by_text("Your details have been saved.")
    # The toast of an earlier save must be gone first, or it would be read as this save's answer.
    expect(saved).to_have_count(0, timeout=30_000)
    page.fill("#profile-phone", phone)
    page.click("#profile-save")
    expect(saved).to_be_visible(timeout=30_000)


def _kill_and_wait_for_the_tab(page, scaled, index: int) -> None:
    """Kills worker `index`. When it held the tab's socket, the tab opens a new one through nginx and hydrates
    again, which sets the form's fields to the state's values: wait for that delta before typing, as a user
    waits for the page to come back, so that it does not overwrite what is typed next."""
    sockets, deltas = [], []

    def opened(socket) -> None:
        sockets.append(socket)

    page.on("websocket", opened)
    scaled.kill_worker(index)
    deadline = time.monotonic() + 5
    while not sockets and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.remove_listener("websocket", opened)
    if not sockets:
        return  # the other worker held it: the tab did not notice
    socket = sockets[-1]
    socket.on("framereceived", lambda payload: deltas.append(payload) if str(payload).startswith("42") else None)
    deadline = time.monotonic() + 30
    while not deltas and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert deltas, "the tab reconnected but was not hydrated again"


def test_a_user_signs_in_and_works_through_nginx(browser, scaled, shot):
    page = browser.new_context(base_url=scaled.url).new_page()
    sign_in(page, "de.handler")
    expect(page.locator("#welcome")).to_be_visible()
    page.goto("/requests")  # a page that exists only as the app shell: nginx's fallback, routed in the browser
    wait_hydrated(page)
    expect(page.locator("h1")).to_be_visible()
    page.goto("/profile")
    wait_hydrated(page)
    _save_phone(page, "+49 30 555 0101")
    assert _phone_of(scaled, "de.handler") == "+49 30 555 0101"
    shot(page, "profile-through-nginx")


def test_the_tab_carries_on_when_its_worker_dies(browser, scaled):
    page = browser.new_context(base_url=scaled.url).new_page()
    sign_in(page, "de.handler")
    page.goto("/profile")
    wait_hydrated(page)
    # One of the two workers holds the tab's socket; kill each in turn, so one of the kills is its own.
    for index, phone in ((0, "+49 30 555 0102"), (1, "+49 30 555 0103")):
        _kill_and_wait_for_the_tab(page, scaled, index)
        _save_phone(page, phone)  # the socket reconnects through nginx to the worker that is left
        assert _phone_of(scaled, "de.handler") == phone
        scaled.start_worker(index)
    page.reload()
    wait_hydrated(page)
    expect(page.locator("#profile-phone")).to_have_value("+49 30 555 0103")
