"""Shared fixtures: test settings and a migrated database per test (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from imi_app.core import db
from imi_app.core.settings import get_settings
from tests.support import postgres

TEST_SECRETS = {
    "IMI_PASSWORD_PEPPER": "test-password-pepper-0123456789abcdef",
    "IMI_CODE_PEPPER": "test-code-pepper-0123456789abcdef0123",
    "IMI_TOTP_KEY": "test-totp-key-0123456789abcdef01234567",
    "IMI_SESSION_KEY": "test-session-key-0123456789abcdef012345",
}
PG_URL = os.environ.get("IMI_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """This run's own PostgreSQL database (one per xdist worker): migrated once, dropped at the end."""
    if not PG_URL:
        pytest.skip("IMI_TEST_DATABASE_URL not set")
    url = postgres.create_database(PG_URL)
    try:
        db.migrate(url)
        yield url
    finally:
        engine = db._ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()
        postgres.drop_database(PG_URL, url)


@pytest.fixture
def empty_postgres_database(postgres_database: str) -> str:
    """The run's database with every table emptied (fast, and keeps the triggers)."""
    with db.get_engine(postgres_database).begin() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
        conn.exec_driver_sql(f"TRUNCATE {', '.join(f'{chr(34)}{t}{chr(34)}' for t in tables)} RESTART IDENTITY CASCADE")
    return postgres_database


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
        url = request.getfixturevalue("empty_postgres_database")
    else:
        url = f"sqlite:///{tmp_path / 'imi.db'}"
        db.migrate(url)
    monkeypatch.setenv("IMI_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    if request.param == "sqlite":
        db._ENGINES.pop(url).dispose()
