"""Actions and queries on a real database: a query reads beside a writer (SQLite's write lock is for
writers only) and may not write; an action still takes the lock first."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from imi_app.core import db
from imi_app.core.actions import action, query
from imi_app.authorities.models import LegislativeArea
from tests.support import factories as f


PQ = "professional_qualifications"


@query
def _area_codes(session: Session) -> list[str]:
    return list(session.exec(select(LegislativeArea.code).order_by(LegislativeArea.code)).all())


@query
def _renaming_query(session: Session) -> None:
    area = session.exec(select(LegislativeArea).where(LegislativeArea.code == PQ)).one()
    area.code = "renamed"
    session.add(area)


@action
def _renaming_action(session: Session, *, code: str) -> None:
    area = session.exec(select(LegislativeArea).where(LegislativeArea.code == PQ)).one()
    area.code = code
    session.add(area)


def _holding_the_write_lock(url: str):
    """Another connection in the middle of a write transaction, as a busy writer would be."""
    engine = sa.create_engine(url)
    conn = engine.connect()
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    conn.exec_driver_sql("UPDATE legislative_area SET code = code")
    return engine, conn


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # SQLite's write lock
def test_a_query_on_sqlite_reads_while_a_writer_holds_the_lock(database):
    f.area(PQ)
    engine, conn = _holding_the_write_lock(database)
    done: list[object] = []
    try:
        reader = threading.Thread(target=lambda: done.append(_area_codes()))
        reader.start()
        reader.join(timeout=5)
        # A BEGIN IMMEDIATE reader would wait here for the busy timeout (10 s) and then fail.
        assert len(done) == 1 and PQ in done[0]
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # SQLite's write lock
def test_an_action_on_sqlite_waits_for_the_writer_and_then_writes(database):
    f.area(PQ)
    engine, conn = _holding_the_write_lock(database)
    errors: list[BaseException] = []
    writer = threading.Thread(target=lambda: _try(errors, _renaming_action, code="after_the_writer"))
    try:
        writer.start()
        writer.join(timeout=1)
        assert writer.is_alive()  # it waits at BEGIN IMMEDIATE for the lock
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()
    writer.join(timeout=10)
    assert errors == [] and "after_the_writer" in _area_codes() and PQ not in _area_codes()


def _try(errors: list[BaseException], fn, **kwargs) -> None:
    try:
        fn(**kwargs)
    except BaseException as error:  # noqa: BLE001 - handed to the test thread
        errors.append(error)


def test_a_query_that_writes_is_refused_and_changes_nothing(database):
    f.area(PQ)
    with pytest.raises(db.WriteInReadOnlyTransaction):
        _renaming_query()
    assert PQ in _area_codes() and "renamed" not in _area_codes()
