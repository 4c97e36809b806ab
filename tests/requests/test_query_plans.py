"""The overview's queries as the database plans them: each branch of a list filtered by legislative area is
a range of an index on (authority, area, sort), never a walk over all of the authority's requests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from imi_app.core.db import get_engine, session_scope
from imi_app.requests.models import RequestStatus
from imi_app.requests.overview import INCOMING, OUTGOING, OverviewFilters, overview
from tests.support import request_factories as rf
from tests.support.sql import sent_statements

AREA_INDEXES = {"ix_info_request_responder_area_updated", "ix_info_request_requester_area_updated"}


def _plan(database: str, statement: str, parameters) -> list[str]:
    with get_engine(database).connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # SQLite plans without statistics
@pytest.mark.parametrize("direction", [None, INCOMING, OUTGOING])
def test_the_overview_by_area_reads_a_range_of_the_area_index(database, direction):
    w = rf.build_world()
    for _ in range(3):
        rf.new_request(w, RequestStatus.SENT)

    def read():
        with session_scope() as session:
            overview(session, actor=w.a_handler, filters=OverviewFilters(area_id=w.pq.id, direction=direction))

    [(statement, parameters)] = [s for s in sent_statements(database, read) if "sort_value" in s[0]]
    plan = _plan(database, statement, parameters)
    searches = [line for line in plan if "info_request" in line and ("SEARCH" in line or "SCAN" in line)]
    assert searches, plan
    for line in searches:
        assert any(name in line for name in AREA_INDEXES), plan
    assert not any(line.startswith("SCAN info_request") for line in plan), plan
