"""The dashboard's passes over request_figures read one index each and never the table: each moment's
index covers what its pass tests (a column added to a count without adding it to the index shows here)."""

from __future__ import annotations

from datetime import date

import pytest

from imi_app.core.db import get_engine
from imi_app.scoreboard.board import INCOMING, OUTGOING, Period, coordinator_dashboard, own_figures
from tests.scoreboard.test_indicators import NOW, at, history
from tests.support.request_factories import build_world
from tests.support.sql import sent_statements


def _plan(database: str, statement: str, parameters) -> list[str]:
    with get_engine(database).connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # SQLite plans without statistics
@pytest.mark.parametrize("side", [INCOMING, OUTGOING])
@pytest.mark.parametrize("with_area", [False, True])
def test_every_pass_over_the_figures_reads_a_covering_index(database, side, with_area):
    w = build_world()
    history(w, ("sent", at("2026-05-04T08:00"), None), ("accepted", at("2026-05-05T08:00"), None))

    def read():
        coordinator_dashboard(actor=w.de_da, period=Period(date(2026, 1, 1), date(2026, 6, 30)), side=side,
                              area_id=w.pq.id if with_area else None, now=NOW)
        own_figures(actor=w.b_basic, period=Period(date(2026, 1, 1), date(2026, 6, 30)), now=NOW)

    passes = [(s, p) for s, p in sent_statements(database, read) if "FROM request_figures" in s and "GROUP BY" in s]
    assert len(passes) >= 4, passes  # the three moments and the backlog
    for statement, parameters in passes:
        plan = [line for line in _plan(database, statement, parameters) if "request_figures" in line]
        assert plan and all("COVERING INDEX ix_request_figures_" in line for line in plan), (statement[:120], plan)
