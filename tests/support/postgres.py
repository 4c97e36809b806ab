"""Throw-away PostgreSQL databases on the server IMI_TEST_DATABASE_URL names.

Every test run (every pytest-xdist worker) works in a database of its own, so runs on one
machine never empty or drop each other's tables. The database in the URL is only used to connect
for CREATE DATABASE and DROP DATABASE; its contents are never touched.
"""

from __future__ import annotations

import os
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

PREFIX = "imi_test"


def _on_server(server_url: str, statement: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def create_database(server_url: str) -> str:
    """A new, empty database named imi_test_<pid>_<random>; returns its URL."""
    name = f"{PREFIX}_{os.getpid()}_{secrets.token_hex(4)}"
    _on_server(server_url, f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    """Drop a database made by create_database, even if a connection to it was left open."""
    name = make_url(url).database
    assert name and name.startswith(f"{PREFIX}_"), name
    _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
