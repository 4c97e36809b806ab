"""Helpers for tests of installation commands: switch the environment, count every table's rows."""

from __future__ import annotations

import sqlalchemy as sa

from imi_app.core.db import session_scope
from imi_app.core.settings import get_settings
from imi_app.schema import TABLES


def use_environment(monkeypatch, environment: str) -> None:
    """IMI_ENVIRONMENT for the rest of the test (the test secrets are long enough for production)."""
    monkeypatch.setenv("IMI_ENVIRONMENT", environment)
    get_settings.cache_clear()
    assert get_settings().environment == environment


def row_counts() -> dict[str, int]:
    """Every table of the app and how many rows it holds."""
    with session_scope() as session:
        return {table.__tablename__: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in TABLES}
