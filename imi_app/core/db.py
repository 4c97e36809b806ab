"""Database engine, sessions and migrations (one engine per URL, SQLite tuned for durability)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from imi_app.core.settings import get_settings

ALEMBIC_DIR = Path(__file__).resolve().parents[2] / "alembic"
_ENGINES: dict[str, sa.Engine] = {}


def _tune_sqlite(dbapi_connection, _record) -> None:
    # REL-3: WAL, full fsync, wait for writers instead of failing, enforce foreign keys.
    # Let SQLAlchemy emit BEGIN itself (see the "begin" listener) instead of pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted or overwritten content (a scrubbed mail body) is zeroed, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    # SQLite's own lower() folds only ASCII; searching "éva" must find "Szabó Éva" as on PostgreSQL.
    dbapi_connection.create_function("lower", 1, lambda v: v.lower() if isinstance(v, str) else v,
                                     deterministic=True)


def get_engine(url: str | None = None) -> sa.Engine:
    """The one engine for `url`. Its errors never carry the SQL parameters (SEC-16): a failing
    insert would otherwise put a temporary password, a name or an e-mail address into the log."""
    url = url or get_settings().database_url
    if url not in _ENGINES:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(
                url, connect_args={"check_same_thread": False, "timeout": 10}, hide_parameters=True
            )
            event.listen(engine, "connect", _tune_sqlite)
            event.listen(engine, "begin", _begin_sqlite)
        else:
            # JIT compiling costs tens of milliseconds and pays off only for long analytic queries; the app's
            # are short, and a recursive CTE's row estimate (the coordinator tree) made PostgreSQL JIT-compile
            # a 3 ms query for 75 ms. Off for the app's connections only.
            engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                     hide_parameters=True, connect_args={"options": "-c jit=off"})
        _ENGINES[url] = engine
    return _ENGINES[url]


def _begin_sqlite(conn: sa.Connection) -> None:
    # A writer takes SQLite's write lock at BEGIN IMMEDIATE, so a read-then-write transaction cannot be
    # overtaken (the lockout counter relies on it). A reader begins deferred: in WAL mode it reads its
    # snapshot beside the writer and the other readers instead of queueing for the lock.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


READ_ONLY = "imi_read_only"


class WriteInReadOnlyTransaction(RuntimeError):
    """A read-only transaction (a query) tried to write; it would need the lock it did not take."""


@event.listens_for(Session, "before_flush")
def _refuse_flush(session: Session, _context, _instances) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise WriteInReadOnlyTransaction("a read-only transaction tried to write: make it an action")


@contextmanager
def session_scope(url: str | None = None, *, read_only: bool = False) -> Iterator[Session]:
    """One transaction: commits on success, rolls back on any exception. A read-only one (what a query
    runs in) refuses to write and, on SQLite, does not take the write lock."""
    engine = get_engine(url)
    if read_only:  # the begin listener reads the option off the connection
        engine = engine.execution_options(**{READ_ONLY: True})
    with Session(engine, expire_on_commit=False, info={READ_ONLY: read_only}) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# How alembic/env.py configures every migration and autogenerate run; the schema test compares
# the models with a migrated database under the same options. Migrations must run on SQLite and
# PostgreSQL alike, so they are always rendered as batch operations (plain ALTERs on PostgreSQL).
MIGRATION_OPTIONS = {"render_as_batch": True, "compare_type": True, "compare_server_default": True}


def alembic_config():
    """The alembic configuration the project migrates with (no logging set-up, unlike alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    return config


@contextmanager
def migration_connection(url: str | None = None) -> Iterator[sa.Connection]:
    """A connection in one transaction for alembic; on SQLite foreign keys are off meanwhile.

    SQLite alters a table by copying it; with foreign keys enforced, dropping the old copy of a
    referenced table fails. They are checked all at once before the transaction commits instead.
    """
    engine = get_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        try:
            with connection.begin():
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
                    raise RuntimeError("the migration left rows that break a foreign key")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Bring the database to the given alembic revision (the newest by default) through alembic/env.py."""
    from alembic import command

    config = alembic_config()
    with migration_connection(url) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
