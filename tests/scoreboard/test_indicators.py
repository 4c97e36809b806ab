"""The five indicators worked out by hand: the timeline's edges (forwarding, withdrawal, approvals, more
information, no agreed date, time zones, period boundaries), the lights, the score, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.core.errors import Denied
from imi_app.requests import figures
from imi_app.requests.models import InfoRequest, RequestEvent, RequestFigures, RequestStatus
from imi_app.scoreboard.board import INCOMING, OUTGOING, Period, coordinator_dashboard, last_months, own_figures
from imi_app.scoreboard.indicators import BY_KEY, GREEN, NO_DATA, RED, YELLOW, figure, light, scorecard
from tests.support.request_factories import audits, build_world

S = RequestStatus
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
JUNE = Period(date(2026, 6, 1), date(2026, 6, 30))
_numbers = iter(range(1, 1_000_000))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def history(w, *events, responder=None, requester=None, status=S.SENT) -> int:
    """A sent request with exactly these timeline events [(kind, at, data)], its figures refreshed."""
    with session_scope() as session:
        request = InfoRequest(case_id=f"IMI-2026-{next(_numbers):06d}", area_id=w.pq.id, status=status,
                              requesting_authority_id=(requester or w.a).id,
                              responding_authority_id=(responder or w.b).id, subject="A request",
                              sent_at=events[0][1])
        session.add(request)
        session.flush()
        for kind, moment, data in events:
            session.add(RequestEvent(request_id=request.id, kind=kind, at=moment, data=data))
        session.flush()
        figures.refresh(session, request)
        return request.id


def values(dashboard_or_card) -> dict[str, tuple[float | None, int]]:
    card = getattr(dashboard_or_card, "total", dashboard_or_card)
    return {f.key: (None if f.value is None else round(f.value, 4), f.basis) for f in card.figures}


# --- lights and score --------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "value", "expected"), [
    ("accepting", 80.0, GREEN), ("accepting", 79.5, GREEN), ("accepting", 79.49, YELLOW), ("accepting", 60, YELLOW),
    ("accepting", 59.4, RED), ("answering", 15.94, GREEN), ("answering", 15.95, YELLOW), ("answering", 25.0, YELLOW),
    ("answering", 25.05, RED), ("agreed_date", 100, GREEN), ("timeliness", 4.4, GREEN), ("timeliness", 4.5, YELLOW),
    ("timeliness", 14.4, YELLOW), ("timeliness", 14.5, RED), ("efforts", 15, RED), ("efforts", None, NO_DATA),
])
def test_lights_follow_the_scoreboard_thresholds_as_shown(key, value, expected):
    assert light(BY_KEY[key], value) == expected


def test_the_overall_score_counts_only_indicators_with_data():
    card = scorecard((figure("accepting", 9, 10), figure("answering", 30, 3), figure("agreed_date", 0, 0),
                      figure("timeliness", 0, 4), figure("efforts", 0, 4)))
    assert [f.light for f in card.figures] == [GREEN, GREEN, NO_DATA, GREEN, GREEN]
    assert (card.score, card.verdict) == (4, "above")
    assert scorecard((figure("accepting", 1, 10), figure("answering", 300, 3))).verdict == "below"
    assert scorecard((figure("accepting", 7, 10), figure("answering", 300, 10))).verdict == "average"
    assert scorecard((figure("accepting", 0, 0),)).verdict == "none"


def test_last_twelve_months_end_today():
    assert last_months(12, date(2026, 7, 1)) == Period(date(2025, 7, 2), date(2026, 7, 1))
    assert last_months(1, date(2026, 3, 31)) == Period(date(2026, 3, 1), date(2026, 3, 31))


# --- the timeline's edges, on the database ----------------------------------------------------------

def test_each_indicator_worked_out_by_hand(database):
    w = build_world()
    # 1. accepted on day 2; agreed 2026-06-20, answered 06-10 (on time) 8 days after acceptance; closed, rated well.
    history(w, ("sent", at("2026-06-01T08:00"), None),
            ("accepted", at("2026-06-02T08:00"), {"reply_date": "2026-06-20"}),
            ("answered", at("2026-06-10T08:00"), {"released": {}}),
            ("answer_accepted", at("2026-06-11T08:00"), None),
            ("rated", at("2026-06-12T08:00"), {"timeliness": "positive", "efforts": "negative"}), status=S.CLOSED)
    # 2. accepted after 8 days (late); agreed 06-15, answered 23:30 UTC on 06-15 = 01:30 on 06-16 in Berlin: late.
    #    A more-information round follows: only the first answer counts.
    history(w, ("sent", at("2026-06-01T08:00"), None),
            ("accepted", at("2026-06-09T08:00"), {"reply_date": "2026-06-15"}),
            ("answered", at("2026-06-15T23:30"), {"released": {}}),
            ("more_info_requested", at("2026-06-16T08:00"), {"reply_date": "2026-06-25"}),
            ("answered", at("2026-06-29T08:00"), {"released": {}}))
    # 3. Forwarded on day 5 to b2, which accepted 2 days later: in time for b2 (its clock starts at forwarding).
    #    The answer waited for the coordinator's approval: released by the approval, 20 days after acceptance.
    history(w, ("sent", at("2026-06-01T08:00"), None),
            ("forwarded", at("2026-06-06T08:00"), {"from_authority_id": w.b.id, "to_authority_id": w.b2.id}),
            ("accepted", at("2026-06-08T08:00"), {"reply_date": "2026-06-30"}),
            ("answer_submitted", at("2026-06-20T08:00"), {"approvers": [w.de_coord.id]}),
            ("answer_approved", at("2026-06-28T08:00"), {"released": {}}), responder=w.b2)
    # 4. Withdrawn on day 3, never accepted: not counted for accepting.
    history(w, ("sent", at("2026-06-03T08:00"), None), ("withdrawn", at("2026-06-05T08:00"), None),
            status=S.WITHDRAWN)
    # 5. Not accepted, received 06-28: its 7 days run until 07-05, after NOW: not counted yet.
    history(w, ("sent", at("2026-06-28T08:00"), None))
    # 6. Not accepted, received 06-10: 7 days passed: counted as not accepted in time.
    history(w, ("sent", at("2026-06-10T08:00"), None))
    # 7. Received 31 May 22:30 UTC = 1 June 00:30 in Berlin: in June for the DE coordinator. Accepted without an
    #    agreed date in the timeline: counts for speed of answering, not for the agreed date.
    history(w, ("sent", at("2026-05-31T22:30"), None), ("accepted", at("2026-06-01T08:00"), None),
            ("answered", at("2026-06-05T08:00"), {"released": {}}))
    # 8. Outside the period altogether (May), and another country's request (AT -> HU authority): not counted.
    history(w, ("sent", at("2026-05-02T08:00"), None), ("accepted", at("2026-05-03T08:00"), None))
    history(w, ("sent", at("2026-06-02T08:00"), None), responder=w.a, requester=w.c)

    board = coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW)
    # accepting: counted 1, 2, 3, 6, 7 (not 4 withdrawn early, not 5 still running); in time 1, 3, 7 -> 3 of 5.
    # answering: 1: 8 d, 2: 6.6458 d (06-09 08:00 -> 06-15 23:30), 3: 20 d, 7: 4 d -> 38.6458 / 4.
    # agreed date: 1 on time, 2 late, 3 on time (06-28 <= 06-30); 7 has none -> 2 of 3.
    # ratings: one rated request, timeliness positive, efforts negative.
    assert values(board) == {"accepting": (60.0, 5), "answering": (round(38.6458333 / 4, 4), 4),
                             "agreed_date": (round(200 / 3, 4), 3), "timeliness": (0.0, 1), "efforts": (100.0, 1)}
    lights = {f.key: f.light for f in board.total.figures}
    assert lights == {"accepting": YELLOW, "answering": GREEN, "agreed_date": YELLOW, "timeliness": GREEN,
                      "efforts": RED}
    assert (board.total.score, board.total.verdict) == (1, "average")
    by_name = {row.name: values(row.card) for row in board.authorities}
    assert set(by_name) == {"Ärztekammer Berlin", "Landesamt Berlin"}
    assert by_name["Landesamt Berlin"]["accepting"] == (100.0, 1)
    assert by_name["Ärztekammer Berlin"]["accepting"] == (50.0, 4)
    assert board.authorities[0].name == "Ärztekammer Berlin"  # worst first
    # The backlog: open requests by days since they arrived (5: 3 days, 6: 21 days, 2 answered is open too).
    assert board.backlog[0] >= 1 and board.backlog[1] >= 1


def test_the_period_is_read_in_the_coordinators_time_zone(database):
    w = build_world()
    history(w, ("sent", at("2026-05-31T22:30"), None), ("accepted", at("2026-06-01T08:00"), None))
    may = Period(date(2026, 5, 1), date(2026, 5, 31))
    assert values(coordinator_dashboard(actor=w.de_da, period=may, now=NOW))["accepting"] == (None, 0)
    assert values(coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW))["accepting"] == (100.0, 1)


def test_the_outgoing_side_counts_the_requests_the_tree_sent(database):
    w = build_world()
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None))
    incoming = coordinator_dashboard(actor=w.hu_da, period=JUNE, side=INCOMING, now=NOW)
    outgoing = coordinator_dashboard(actor=w.hu_da, period=JUNE, side=OUTGOING, now=NOW)
    assert values(incoming)["accepting"] == (None, 0)
    assert values(outgoing)["accepting"] == (100.0, 1)
    assert [row.name for row in outgoing.authorities] == ["Magyar Orvosi Kamara"]


def test_an_area_filter_keeps_only_that_areas_requests(database):
    w = build_world()
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None))
    assert values(coordinator_dashboard(actor=w.de_da, period=JUNE, area_id=w.pq.id, now=NOW))["accepting"][1] == 1
    assert values(coordinator_dashboard(actor=w.de_da, period=JUNE, area_id=w.svc.id, now=NOW))["accepting"][1] == 0


# --- who sees what ------------------------------------------------------------------------------------

def test_a_coordinator_sees_only_its_tree(database):
    from tests.support import factories as f

    w = build_world()
    regional = f.authority("DE", areas=[w.pq], is_coordinator=True, coordinator=w.de_coord, name="DE Berlin region")
    below = f.authority("DE", areas=[w.pq], coordinator=regional, name="Zahnärztekammer Berlin")
    regional_da = f.user(regional, username="de.regional", roles={w.pq.id: ["data_administrator"]})
    referee = f.user(w.de_coord, username="de.referee", roles={w.pq.id: ["approver_referee"]})
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None))
    history(w, ("sent", at("2026-06-01T08:00"), None), responder=below)
    national = coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW)
    assert {row.name for row in national.authorities} == {"Ärztekammer Berlin", "Zahnärztekammer Berlin"}
    assert {row.name for row in coordinator_dashboard(actor=referee, period=JUNE, now=NOW).authorities} == {
        "Ärztekammer Berlin", "Zahnärztekammer Berlin"}
    branch = coordinator_dashboard(actor=regional_da, period=JUNE, now=NOW)
    assert [row.name for row in branch.authorities] == ["Zahnärztekammer Berlin"]
    assert values(branch)["accepting"] == (0.0, 1)
    # The HU coordinator sees nothing of the DE tree's incoming requests.
    assert coordinator_dashboard(actor=w.hu_da, period=JUNE, now=NOW).authorities == ()


@pytest.mark.parametrize("who", ["b_handler", "hu_staff", "a_basic"])
def test_anyone_but_coordinator_staff_is_refused_and_audited(database, who):
    w = build_world()
    with pytest.raises(Denied):
        coordinator_dashboard(actor=w.users[who], period=JUNE, now=NOW)
    assert [(a.actor_user_id, a.after["attempted"]) for a in audits("access.denied")] == [
        (w.users[who].id, "scoreboard.view")]


def test_an_authority_sees_its_own_incoming_figures(database):
    w = build_world()
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-03T08:00"), None))
    history(w, ("sent", at("2026-06-01T08:00"), None), responder=w.b2)
    card, backlog = own_figures(actor=w.b_basic, period=JUNE, now=NOW)
    assert values(card)["accepting"] == (100.0, 1)
    assert sum(backlog) == 1
    card, _ = own_figures(actor=w.b2_handler, period=JUNE, now=NOW)
    assert values(card)["accepting"] == (0.0, 1)


def test_figures_hold_no_personal_data():
    columns = set(RequestFigures.model_fields)
    assert not columns & {"subject", "free_text", "full_name", "note", "comment"}


def test_rebuild_reports_a_row_that_differs_and_repairs_it(database):
    w = build_world()
    request_id = history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None))
    with session_scope() as session:
        assert figures.rebuild(session) == []
        row = session.get(RequestFigures, request_id)
        row.accepted_in_time = False
        session.add(row)
    with session_scope() as session:
        differences = figures.rebuild(session, fix=True)
    assert [(d.request_id, d.field) for d in differences] == [(request_id, "accepted_in_time")]
    with session_scope() as session:
        assert figures.rebuild(session) == []
        session.delete(session.get(RequestFigures, request_id))
    with session_scope() as session:
        assert [(d.request_id, d.field) for d in figures.rebuild(session)] == [(request_id, "*")]
        assert session.exec(select(RequestFigures)).all() == []


def test_the_dashboard_as_csv_holds_the_figures_and_is_safe_in_a_spreadsheet(database):
    import csv
    import io

    from imi_app.scoreboard.export import dashboard_csv
    from tests.support import factories as f

    w = build_world()
    sly = f.authority("DE", areas=[w.pq], coordinator=w.de_coord, name="=HYPERLINK(\"x\")")
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None))
    history(w, ("sent", at("2026-06-01T08:00"), None), responder=sly)
    rows = list(csv.reader(io.StringIO(dashboard_csv(coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW),
                                                     "de"))))
    assert rows[0][1] == "2026-06-01 – 2026-06-30"
    assert rows[1][:5] == ["Behörde", "Land", "Schnelligkeit der Annahme",
                           "Schnelligkeit der Annahme: gezählte Ersuchen", "Schnelligkeit der Annahme: Ampel"]
    assert rows[2][2:5] == ["50.0", "2", "Schwach"]  # the tree: 1 of 2 accepted in time
    by_name = {r[0]: r for r in rows[3:]}
    assert by_name["Ärztekammer Berlin"][2:5] == ["100.0", "1", "Gut"]
    assert by_name["'=HYPERLINK(\"x\")"][2:5] == ["0.0", "1", "Schwach"]  # shown as text, never run


# --- month by month ---------------------------------------------------------------------------------

def test_the_months_of_a_period_are_cut_to_it_and_at_most_24():
    from imi_app.scoreboard.board import months_of

    months = months_of(Period(date(2026, 4, 15), date(2026, 6, 10)))
    assert months == [Period(date(2026, 4, 15), date(2026, 4, 30)), Period(date(2026, 5, 1), date(2026, 5, 31)),
                      Period(date(2026, 6, 1), date(2026, 6, 10))]
    long = months_of(Period(date(2021, 1, 1), date(2025, 12, 31)))
    assert len(long) == 24 and long[0].first == date(2024, 1, 1) and long[-1].last == date(2025, 12, 31)


def test_the_trend_counts_each_month_as_the_period_would(database):
    w = build_world()
    # May: two received, one accepted in time. June: one received and accepted in time.
    history(w, ("sent", at("2026-05-04T08:00"), None), ("accepted", at("2026-05-05T08:00"), None))
    history(w, ("sent", at("2026-05-11T08:00"), None))
    history(w, ("sent", at("2026-06-02T08:00"), None), ("accepted", at("2026-06-03T08:00"), None))
    board = coordinator_dashboard(actor=w.de_da, period=Period(date(2026, 4, 1), date(2026, 6, 30)), now=NOW)
    by_month = {first: values(card)["accepting"] for first, card in board.trend}
    assert by_month == {date(2026, 4, 1): (None, 0), date(2026, 5, 1): (50.0, 2), date(2026, 6, 1): (100.0, 1)}
    assert values(board)["accepting"] == (round(200 / 3, 4), 3)  # the period is the months together
    assert board.volume == (0, 2, 1)


def test_the_trend_counts_each_indicator_in_the_month_of_its_own_moment(database):
    """Received in April, answered in May, closed and rated in June: each month gets only the indicators
    whose moment falls in it, and the period counts each once."""
    w = build_world()
    history(w, ("sent", at("2026-04-28T08:00"), None),
            ("accepted", at("2026-04-29T08:00"), {"reply_date": "2026-05-20"}),
            ("answered", at("2026-05-19T08:00"), {"released": {}}),
            ("answer_accepted", at("2026-06-02T08:00"), None),
            ("rated", at("2026-06-03T08:00"), {"timeliness": "negative", "efforts": "positive"}), status=S.CLOSED)
    board = coordinator_dashboard(actor=w.de_da, period=Period(date(2026, 4, 1), date(2026, 6, 30)), now=NOW)
    by_month = {first: values(card) for first, card in board.trend}
    assert by_month[date(2026, 4, 1)] == {"accepting": (100.0, 1), "answering": (None, 0), "agreed_date": (None, 0),
                                          "timeliness": (None, 0), "efforts": (None, 0)}
    assert by_month[date(2026, 5, 1)] == {"accepting": (None, 0), "answering": (20.0, 1), "agreed_date": (100.0, 1),
                                          "timeliness": (None, 0), "efforts": (None, 0)}
    assert by_month[date(2026, 6, 1)] == {"accepting": (None, 0), "answering": (None, 0), "agreed_date": (None, 0),
                                          "timeliness": (100.0, 1), "efforts": (0.0, 1)}
    assert values(board) == {"accepting": (100.0, 1), "answering": (20.0, 1), "agreed_date": (100.0, 1),
                             "timeliness": (100.0, 1), "efforts": (0.0, 1)}
    assert board.volume == (1, 0, 0)
