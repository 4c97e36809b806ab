"""The authorities' table sorts by any column, through the dashboard's own handlers with a real session:
worst first by default, each indicator's worst value first (no data last), the same column again reversed."""

from __future__ import annotations

from datetime import date

from imi_app.scoreboard.board import Period
from imi_app.scoreboard.ui.dashboard_state import DashboardState
from tests.scoreboard.test_indicators import NOW, at, history
from tests.support.handlers import call, state_for, token_for
from tests.support.request_factories import build_world


def _names(state) -> list[str]:
    return [row["name"] for row in state.rows]


def test_the_authorities_sort_by_a_column_and_back(database, monkeypatch):
    w = build_world()
    # Ärztekammer Berlin accepted its one request late; Landesamt Berlin accepted both of its in time.
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-12T08:00"), None))
    for day in ("02", "03"):
        history(w, ("sent", at(f"2026-06-{day}T08:00"), None), ("accepted", at(f"2026-06-{day}T09:00"), None),
                responder=w.b2)
    state = state_for(DashboardState, cookie=f"imi_session={token_for(w.de_da)}", path="/dashboard")
    monkeypatch.setattr(DashboardState, "_period", lambda self: Period(date(2026, 6, 1), date(2026, 6, 30)))
    monkeypatch.setattr("imi_app.scoreboard.board.utcnow", lambda: NOW)
    call(DashboardState.event_handlers["open_dashboard"], state)
    assert _names(state) == ["Ärztekammer Berlin", "Landesamt Berlin"]  # worst first
    call(DashboardState.event_handlers["sort"], state, "name")
    assert _names(state) == ["Ärztekammer Berlin", "Landesamt Berlin"]
    call(DashboardState.event_handlers["sort"], state, "name")
    assert _names(state) == ["Landesamt Berlin", "Ärztekammer Berlin"] and state.sort_reversed
    call(DashboardState.event_handlers["sort"], state, "accepting")
    assert _names(state) == ["Ärztekammer Berlin", "Landesamt Berlin"]  # 0 % before 100 %
    assert next(c for c in state.sort_columns if c[0] == "accepting")[2] == "ascending"
    call(DashboardState.event_handlers["sort"], state, "accepting")
    assert _names(state) == ["Landesamt Berlin", "Ärztekammer Berlin"]
    call(DashboardState.event_handlers["sort"], state, "'; drop table")  # anything else: back to worst first
    assert state.sort_by == "" and _names(state) == ["Ärztekammer Berlin", "Landesamt Berlin"]
