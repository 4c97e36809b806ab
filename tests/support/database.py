"""Helpers for tests of installation commands: switch the environment, count every table's rows."""

from __future__ import annotations

import sqlalchemy as sa

from imi_app.core.db import session_scope
from imi_app.core.settings import get_settings
from imi_app.schema import TABLES


def environment_settings(environment: str) -> dict[str, str]:
    """What IMI_ENVIRONMENT needs beside the test secrets (long enough for production): outside tests
    bcrypt's floor, and in production the https address."""
    values = {"IMI_ENVIRONMENT": environment}
    if environment != "test":
        values["IMI_BCRYPT_ROUNDS"] = "10"
    if environment == "production":
        values["IMI_PUBLIC_URL"] = "https://imi.example.org"
    return values


def use_environment(monkeypatch, environment: str) -> None:
    """IMI_ENVIRONMENT for the rest of the test."""
    for key, value in environment_settings(environment).items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    assert get_settings().environment == environment


def row_counts() -> dict[str, int]:
    """Every table of the app and how many rows it holds."""
    with session_scope() as session:
        return {table.__tablename__: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in TABLES}
