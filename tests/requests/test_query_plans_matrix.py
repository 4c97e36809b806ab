"""Every list the screens offer, with every filter and sort combination, as both databases plan it: no
statement walks the whole of a big table (requests, their events, allocations, mails, users). SQLite
plans without statistics; PostgreSQL is asked with sequential scans priced out (a plan that still has
one means no index can serve the statement)."""

from __future__ import annotations

import itertools

import pytest

from imi_app.core.db import get_engine, session_scope
from imi_app.requests.models import RequestStatus
from imi_app.requests.overview import SORTS, OverviewFilters, overview
from imi_app.requests.visibility import FORWARDED, INCOMING, OUTGOING
from imi_app.requests.queries import TASK_KINDS, task_list
from tests.support import request_factories as rf
from tests.support.sql import sent_statements

BIG_TABLES = ("info_request", "request_event", "request_allocation", "mail_outbox", "user")


def _full_scans(database: str, statement: str, parameters) -> list[str]:
    engine = get_engine(database)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()]
            return [line for line in plan
                    if any(line.startswith(f"SCAN {table}") and "USING" not in line for table in BIG_TABLES)]
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = [row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()]
        return [line for line in plan if any(f'Seq Scan on {table} ' in line or f'Seq Scan on "{table}"' in line
                                             for table in BIG_TABLES)]


@pytest.fixture
def world(database):
    w = rf.build_world()
    for status in (RequestStatus.SENT, RequestStatus.ACCEPTED, RequestStatus.ANSWERED, RequestStatus.DRAFT):
        rf.new_request(w, status)
    return w


def _check(database: str, call, what: str) -> None:
    statements = sent_statements(database, call, reads_only=True)
    assert statements, what
    for statement, parameters in statements:
        scans = _full_scans(database, statement, parameters)
        assert not scans, f"{what}: {scans}\n{statement}"


OVERVIEW_CASES = list(itertools.product(
    (None, OUTGOING, INCOMING, FORWARDED),          # direction
    (False, True),                                  # by legislative area
    (None, RequestStatus.ACCEPTED),                 # status
    tuple(SORTS),                                   # sort
    (False, True),                                  # overdue only
))


@pytest.mark.parametrize("direction, by_area, status, sort, overdue", OVERVIEW_CASES)
def test_no_overview_combination_walks_a_big_table(world, database, direction, by_area, status, sort, overdue):
    filters = OverviewFilters(direction=direction, area_id=world.pq.id if by_area else None, status=status,
                              overdue=overdue)

    def read():
        with session_scope() as session:
            first = overview(session, actor=world.a_handler, filters=filters, sort=sort, limit=1)
            if first.next_cursor:  # the next page too: its keyset condition is part of the plan
                overview(session, actor=world.a_handler, filters=filters, sort=sort, after=first.next_cursor,
                         limit=1)

    _check(database, read, f"overview {filters} sort={sort}")


@pytest.mark.parametrize("who", ["b_handler", "b_allocator", "a_handler", "hu_da", "de_da"])
@pytest.mark.parametrize("kind", ["", *TASK_KINDS])
def test_no_task_list_walks_a_big_table(world, database, who, kind):
    actor = getattr(world, who)

    def read():
        with session_scope() as session:
            task_list(session, actor=actor, kind=kind)

    _check(database, read, f"task list of {who}, kind {kind or 'all'}")


def test_the_check_sees_a_walk_over_a_big_table(world, database):
    """The detector itself: a statement no index serves is reported on both databases."""
    assert _full_scans(database, "SELECT id FROM info_request WHERE free_text = 'x'", ())
    assert not _full_scans(database, "SELECT id FROM info_request WHERE id = 1", ())
