"""Shared fixtures: test settings and a migrated database per test (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from imi_app.core import db
from imi_app.core.settings import get_settings

TEST_SECRETS = {
    "IMI_PASSWORD_PEPPER": "test-password-pepper-0123456789abcdef",
    "IMI_CODE_PEPPER": "test-code-pepper-0123456789abcdef0123",
    "IMI_TOTP_KEY": "test-totp-key-0123456789abcdef01234567",
    "IMI_SESSION_KEY": "test-session-key-0123456789abcdef012345",
}
PG_URL = os.environ.get("IMI_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_pg_migrated = False


def _reset_postgres() -> None:
    """Migrate once per run, then empty every table before each test (fast, and keeps triggers)."""
    global _pg_migrated
    engine = db.get_engine(PG_URL)
    if not _pg_migrated:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.migrate(PG_URL)
        _pg_migrated = True
    with engine.begin() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
        conn.exec_driver_sql(f"TRUNCATE {', '.join(f'{chr(34)}{t}{chr(34)}' for t in tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(autouse=True)
def test_settings(monkeypatch, tmp_path: Path):
    for key, value in TEST_SECRETS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("IMI_ENVIRONMENT", "test")
    monkeypatch.setenv("IMI_BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("IMI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("IMI_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture(params=BACKENDS)
def database(request, monkeypatch, tmp_path: Path, test_settings) -> str:
    """A database built by the migrations; services reach it through the settings."""
    if request.param == "postgresql":
        url = PG_URL
        _reset_postgres()
    else:
        url = f"sqlite:///{tmp_path / 'imi.db'}"
        db.migrate(url)
    monkeypatch.setenv("IMI_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    if request.param == "sqlite":
        db._ENGINES.pop(url).dispose()
