"""The app starts on a restored backup and a user signs in in the browser, with the same secrets."""

from __future__ import annotations

import sys

from playwright.sync_api import expect

from imi_app.backup import database as stores
from tests.browser.conftest import app_env, free_port, run_step, running_app, sign_in


def test_the_app_runs_on_a_restored_backup_and_a_user_signs_in(browser, tmp_path, smtp_server):
    source, restored = tmp_path / "source", tmp_path / "restored"
    source.mkdir()
    restored.mkdir()
    env = app_env(source, free_port(), smtp_server)
    log = tmp_path / "steps.log"
    run_step([sys.executable, "-m", "imi_app.manage", "migrate"], env, log, "migrate")
    run_step([sys.executable, "-m", "imi_app.demo.seed"], env, log, "seed")
    run_step([sys.executable, "-m", "imi_app.manage", "backup", str(tmp_path / "backups")], env, log, "backup")
    (backup,) = (tmp_path / "backups").iterdir()
    target = app_env(restored, free_port(), smtp_server)  # the same secrets, a database and data folder of its own
    run_step([sys.executable, "-m", "imi_app.manage", "restore", str(backup)], target, log, "restore")
    assert stores.row_counts(target["IMI_DATABASE_URL"]) == stores.row_counts(env["IMI_DATABASE_URL"])

    with running_app(restored, smtp_server) as app:
        page = browser.new_context(base_url=app.url).new_page()
        sign_in(page, "hu.handler")
        expect(page.locator("#welcome")).to_contain_text("Szabó Éva")
