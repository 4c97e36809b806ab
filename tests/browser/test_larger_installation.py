"""The path for larger installations: PostgreSQL for data, Redis for Reflex's state, two workers."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import running_app, sign_in

REDIS_URL = os.environ.get("IMI_TEST_REDIS_URL", "")
PG_URL = os.environ.get("IMI_TEST_DATABASE_URL", "")


@pytest.fixture(scope="module")
def large_app(tmp_path_factory, smtp_server):
    if not REDIS_URL:
        pytest.skip("IMI_TEST_REDIS_URL not set")
    extra = {"REFLEX_REDIS_URL": REDIS_URL, "REFLEX_STATE_MANAGER_MODE": "redis", "GRANIAN_WORKERS": "2"}
    if PG_URL:
        # Browser tests run after every database test, so this database is free to reset.
        with sa.create_engine(PG_URL).begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        extra["IMI_DATABASE_URL"] = PG_URL
    with running_app(tmp_path_factory.mktemp("large_app"), smtp_server, extra) as app:
        yield app


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
