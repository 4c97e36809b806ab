"""The engine the app uses: SQLite tuned for durability (REL-3), errors without their parameters (SEC-16),
and an audit log the database itself keeps append-only (SEC-12)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from imi_app.core import audit, db
from imi_app.core.db import get_engine, session_scope
from imi_app.mail.models import OutboxMail

SECRET = "Tmp-Zq7Lw9xKp4RsT2vN"
EMAIL = "timea.titkos@example.hu"


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'imi.db'}"
    db.migrate(url)
    monkeypatch.setenv("IMI_DATABASE_URL", url)
    yield url
    db._ENGINES.pop(url).dispose()


def test_sqlite_connections_run_with_wal_full_sync_busy_timeout_and_foreign_keys(sqlite_url):
    # Read back from live connections of the app's engine: the one a transaction gets, and a fresh one.
    with session_scope() as session:
        conn = session.connection()
        pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == 2  # FULL
    assert pragmas["busy_timeout"] >= 5000
    assert pragmas["foreign_keys"] == 1
    get_engine(sqlite_url).dispose()
    with get_engine(sqlite_url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.postgres
def test_postgresql_connections_run_without_jit(postgres_database):
    # The app's queries are short: compiling them costs more than it saves (the coordinator tree's recursive
    # query paid 75 ms of JIT for 3 ms of work).
    with get_engine(postgres_database).connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"


def test_the_audit_log_refuses_update_and_delete(database):
    with session_scope() as session:
        entry = audit.record(session, action="user.new_password", actor=None, object_type="user",
                             object_id=1, after={"blocked": False})
        session.flush()
        entry_id = entry.id
    engine = get_engine(database)
    for statement in ("UPDATE audit_log SET action = 'tampered'", f"DELETE FROM audit_log WHERE id = {entry_id}"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql(statement)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id, action FROM audit_log").all() == [(entry_id, "user.new_password")]


def _outbox_row(mail_id: int) -> OutboxMail:
    return OutboxMail(id=mail_id, recipient=EMAIL, kind="password_reset", subject="Your IMI account",
                      body_text=f"Your temporary password: {SECRET}")


def test_a_failing_insert_carries_none_of_its_parameters(database, caplog):
    with session_scope() as session:
        session.add(_outbox_row(1))
    with pytest.raises(sa.exc.IntegrityError) as raised, session_scope() as session:
        session.add(_outbox_row(1))  # the same id again
    text = str(raised.value)
    assert "parameters hidden" in text
    assert SECRET not in text and EMAIL not in text
    # What any logger that writes the traceback (Reflex's own, a background job's) would write.
    with caplog.at_level(logging.ERROR):
        logging.getLogger("imi_app.test").error("failed", exc_info=raised.value)
    assert "IntegrityError" in caplog.text
    assert SECRET not in caplog.text and EMAIL not in caplog.text
