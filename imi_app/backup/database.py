"""The database's part of a backup: a consistent copy, and the facts read from that same copy.

SQLite: the online backup API copies the live file page by page in one step while the app keeps
writing (WAL); the facts are read from the copy. PostgreSQL: one repeatable-read transaction exports
its snapshot, `pg_dump -Fc --snapshot` dumps exactly that snapshot, and the facts are read in it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import select

from imi_app.backup.files import BackupError
from imi_app.requests.models import Attachment

SQLITE_FILE = "imi.sqlite3"
POSTGRES_FILE = "imi.pgdump"
SKIPPED_TABLES = {"alembic_version"}


@dataclass(frozen=True)
class Snapshot:
    """What the copied database holds: its schema revision, rows per table, the attachments' files and sizes."""

    revision: str
    row_counts: dict[str, int]
    attachments: dict[str, int]


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("IMI_DATABASE_URL names no SQLite file")
    return Path(path)


@contextmanager
def _connection(url: str, **options):
    """A connection of its own (never the app's pool), closed afterwards."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect().execution_options(**options) as connection:
            yield connection
    finally:
        engine.dispose()


def table_names(connection: sa.Connection) -> list[str]:
    return sorted(set(sa.inspect(connection).get_table_names()) - SKIPPED_TABLES)


def read_snapshot(connection: sa.Connection) -> Snapshot:
    tables = table_names(connection)
    if "alembic_version" not in sa.inspect(connection).get_table_names():
        raise BackupError("the database has no schema revision (alembic_version): migrate it first")
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
    quote = connection.dialect.identifier_preparer.quote
    counts = {t: connection.exec_driver_sql(f"SELECT COUNT(*) FROM {quote(t)}").scalar_one() for t in tables}
    files = dict(connection.execute(select(Attachment.stored_name, Attachment.size)).all())
    return Snapshot(revision, counts, files)


def is_empty(url: str) -> bool:
    """No table at all: the database a restore may write into."""
    if is_sqlite(url) and not sqlite_path(url).exists():
        return True
    with _connection(url) as connection:
        return not sa.inspect(connection).get_table_names()


def row_counts(url: str) -> dict[str, int]:
    with _connection(url) as connection:
        return read_snapshot(connection).row_counts


# --- SQLite ------------------------------------------------------------------------------------

def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def backup_sqlite(url: str, target: Path) -> Snapshot:
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"there is no SQLite database at {source_path}")
    source = sqlite3.connect(source_path, timeout=10)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # one step (pages=-1): one read transaction, one consistent state
        copy.execute("PRAGMA journal_mode=DELETE")  # the copy is one file, without -wal beside it
    finally:
        copy.close()
        source.close()
    with _connection(_sqlite_url(target)) as connection:
        return read_snapshot(connection)


def sqlite_findings(path: Path) -> tuple[list[str], list[tuple]]:
    """What PRAGMA integrity_check says (["ok"] when sound) and the rows foreign_key_check finds, read by a
    connection of its own."""
    connection = sqlite3.connect(path)
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        broken_keys = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    return integrity, broken_keys


def check_sqlite(path: Path) -> None:
    """PRAGMA integrity_check and foreign_key_check of a restored file; BackupError if either finds anything."""
    integrity, broken_keys = sqlite_findings(path)
    if integrity != ["ok"]:
        raise BackupError(f"the restored SQLite database fails its integrity check: {'; '.join(integrity[:5])}")
    if broken_keys:
        raise BackupError(f"the restored SQLite database has {len(broken_keys)} rows that break a foreign key")


def single_file(path: Path) -> None:
    """Folds a -wal file back into the database file (after migrating the copy), so a rename moves all of it."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


# --- PostgreSQL --------------------------------------------------------------------------------

def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL for pg_dump/pg_restore and their environment: the password goes in PGPASSWORD, never argv."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], url: str, what: str) -> None:
    target, env = _libpq(url)
    try:
        done = subprocess.run([*command, "--dbname", target], env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client of the server's "
                          "version") from None
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()}")


def backup_postgres(url: str, target: Path) -> Snapshot:
    with _connection(url, isolation_level="REPEATABLE READ", postgresql_readonly=True) as connection:
        snapshot_id = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"], url, "pg_dump")
        snapshot = read_snapshot(connection)
        connection.rollback()
    target.chmod(0o600)
    return snapshot


def restore_postgres(dump: Path, url: str) -> None:
    """pg_restore in one transaction: an error leaves the target database as it was."""
    _run(["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", str(dump)],
         url, "pg_restore")
