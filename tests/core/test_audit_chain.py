"""The audit log's hash chain: every entry follows from the one before it; a changed or removed entry is found
(on SQLite and PostgreSQL), also when several writers append at once."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from imi_app import manage
from imi_app.core import audit
from imi_app.core.audit import AuditEntry
from imi_app.core import db
from imi_app.core.db import get_engine, session_scope
from imi_app.core.settings import get_settings
from tests.conftest import BACKENDS, PG_URL
from tests.support import postgres


def write(count: int, *, start: int = 0) -> list[int]:
    ids = []
    for n in range(start, start + count):
        with session_scope() as session:
            entry = audit.record(session, action="test.write", actor=None, object_type="thing", object_id=n,
                                 before={"n": n, "name": "Szabó Éva", "z": "last", "a": [1, {"y": None}]} if n % 2 else None,
                                 after={"n": n + 1, "list": (1, 2.5, "x")}, actor_authority_id=n)
            session.flush()
            ids.append(entry.id)
    return ids


@contextmanager
def behind_the_apps_back(url: str):
    """A connection that may change the log: the append-only triggers lifted, and put back afterwards."""
    engine = get_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        try:
            yield conn
        finally:
            if engine.dialect.name == "sqlite":
                for verb in ("UPDATE", "DELETE"):
                    conn.exec_driver_sql(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                                         "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
            else:
                conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def verify(capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        manage.main(["verify-audit"])
    out = capsys.readouterr()
    return done.value.code, out.out + out.err


def test_entries_chain_and_verify_ok(database, capsys):
    ids = write(5)
    with session_scope() as session:  # several entries of one transaction chain in the order they were added
        for n in range(3):
            audit.record(session, action="test.batch", actor=None, object_id=n)
    with session_scope() as session:
        rows = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [r.id for r in rows][:5] == ids and all(len(r.chain_hash) == 64 for r in rows)
    assert len({r.chain_hash for r in rows}) == len(rows)
    code, out = verify(capsys)
    assert code == 0 and "OK" in out and "8 entries" in out


def test_an_entry_changed_behind_the_apps_back_is_named(database, capsys):
    ids = write(6)
    with behind_the_apps_back(database) as conn:
        conn.execute(sa.text("UPDATE audit_log SET object_id = 'forged' WHERE id = :id"), {"id": ids[3]})
    code, out = verify(capsys)
    assert code == 1 and f"entry {ids[3]} " in out
    with pytest.raises(sa.exc.DatabaseError):
        with get_engine(database).begin() as conn:
            conn.execute(sa.text("UPDATE audit_log SET object_id = 'x' WHERE id = :id"), {"id": ids[0]})


def test_a_changed_json_value_or_time_is_named(database, capsys):
    ids = write(4)
    with behind_the_apps_back(database) as conn:
        conn.execute(sa.text("UPDATE audit_log SET after = :after WHERE id = :id"),
                     {"after": '{"n": 99}', "id": ids[1]})
    code, out = verify(capsys)
    assert code == 1 and f"entry {ids[1]} " in out


def test_a_deleted_entry_is_found_at_the_one_after_it(database, capsys):
    ids = write(5)
    with behind_the_apps_back(database) as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[2]})
    code, out = verify(capsys)
    assert code == 1 and f"entry {ids[3]} " in out


def test_the_first_entry_deleted_is_found_too(database, capsys):
    ids = write(3)
    with behind_the_apps_back(database) as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[0]})
    code, out = verify(capsys)
    assert code == 1 and f"entry {ids[1]} " in out


def test_concurrent_writers_keep_one_chain(database, capsys):
    errors: list[BaseException] = []

    def writer(start: int) -> None:
        try:
            write(15, start=start)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n * 100,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    code, out = verify(capsys)
    assert code == 0 and "60 entries" in out


BEFORE_THE_CHAIN = "ee26e60e7b91"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_chains_the_entries_already_there(backend, tmp_path, monkeypatch, capsys):
    if backend == "postgresql":
        url = postgres.create_database(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
    try:
        db.migrate(url, BEFORE_THE_CHAIN)
        with get_engine(url).begin() as conn:
            for n in range(3):
                conn.execute(sa.text(
                    "INSERT INTO audit_log (at, actor_user_id, actor_authority_id, action, object_type, object_id,"
                    " before, after) VALUES (:at, NULL, 1, 'old.entry', 'thing', :n, NULL, :after)"),
                    {"at": datetime(2026, 1, 2, 3, 4, 5, 600 + n, tzinfo=UTC), "n": str(n), "after": '{"n": 1}'})
        db.migrate(url)
        monkeypatch.setenv("IMI_DATABASE_URL", url)
        get_settings.cache_clear()
        write(2)
        code, out = verify(capsys)
        assert code == 0 and "5 entries" in out
        with pytest.raises(sa.exc.DatabaseError):  # still append-only after the revision
            with get_engine(url).begin() as conn:
                conn.exec_driver_sql("DELETE FROM audit_log")
    finally:
        engine = db._ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()
        if backend == "postgresql":
            postgres.drop_database(PG_URL, url)
