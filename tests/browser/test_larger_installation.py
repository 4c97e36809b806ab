"""The path for larger installations: PostgreSQL for data, Redis for Reflex's state, two workers."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import running_app, sign_in
from tests.support import postgres

REDIS_URL = os.environ.get("IMI_TEST_REDIS_URL", "")
PG_URL = os.environ.get("IMI_TEST_DATABASE_URL", "")


@pytest.fixture(scope="module")
def large_app(tmp_path_factory, smtp_server):
    if not REDIS_URL:
        pytest.skip("IMI_TEST_REDIS_URL not set")
    extra = {"REFLEX_REDIS_URL": REDIS_URL, "REFLEX_STATE_MANAGER_MODE": "redis", "GRANIAN_WORKERS": "2"}
    # A database of its own (running_app migrates and seeds it): other test runs may share the server.
    database = postgres.create_database(PG_URL) if PG_URL else None
    if database:
        extra["IMI_DATABASE_URL"] = database
    try:
        with running_app(tmp_path_factory.mktemp("large_app"), smtp_server, extra) as app:
            yield app
    finally:
        if database:
            postgres.drop_database(PG_URL, database)  # after running_app has stopped the app


def test_sign_in_and_out_with_redis_state_and_postgresql(browser, large_app, shot):
    page = browser.new_context(base_url=large_app.url).new_page()
    sign_in(page, "hu.handler")
    expect(page.locator("#welcome")).to_contain_text("Szabó Éva")
    page.reload()
    page.wait_for_selector("#welcome")  # the session survives a reload on any worker
    shot(page, "home-redis")
    page.click("#user-menu")
    page.click("#sign-out")
    page.wait_for_url("**/login**")
