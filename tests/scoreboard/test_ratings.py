"""Ratings at closure through the real steps, and the scoreboard's rows kept by every step's own transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from imi_app.core.time import utcnow
from imi_app.requests import actions as rq, figures
from imi_app.requests.models import InfoRequest, RequestEvent, RequestFigures, RequestRating, RequestStatus
from tests.support.request_factories import answers_for, build_world, load, new_request, step

S = RequestStatus


def figures_of(request_id: int) -> RequestFigures | None:
    with session_scope() as session:
        return session.get(RequestFigures, request_id)


def rating_of(request_id: int) -> RequestRating | None:
    with session_scope() as session:
        return session.get(RequestRating, request_id)


def test_every_step_keeps_the_figures_in_its_own_transaction(database):
    w = build_world()
    request_id = new_request(w)
    assert figures_of(request_id) is None  # a draft counts for nothing
    step(rq.submit, w.a_handler, request_id)
    row = figures_of(request_id)
    assert row.received_at is not None and row.accepted_at is None and row.status == S.SENT
    step(rq.accept, w.b_handler, request_id)
    step(rq.answer, w.b_handler, request_id, answers=answers_for(w))
    step(rq.accept_answer, w.a_handler, request_id)
    row = figures_of(request_id)
    assert row.accepted_in_time and row.answered_at is not None and row.closed_at is not None
    assert row.answered_on_time is True and row.status == S.CLOSED
    with session_scope() as session:
        assert figures.rebuild(session) == []


def test_the_requester_rates_a_closed_request_and_may_change_it(database):
    w = build_world()
    request_id = new_request(w, S.CLOSED)
    step(rq.rate, w.a_handler, request_id, timeliness="negative", efforts="positive", comment="Took long.")
    assert (rating_of(request_id).timeliness, rating_of(request_id).efforts) == ("negative", "positive")
    assert (figures_of(request_id).timeliness, figures_of(request_id).efforts) == ("negative", "positive")
    step(rq.rate, w.a_handler2, request_id, timeliness="neutral", efforts="positive")
    assert rating_of(request_id).timeliness == "neutral" and rating_of(request_id).rated_by_user_id == w.a_handler2.id
    assert figures_of(request_id).timeliness == "neutral"
    with session_scope() as session:
        rated = session.exec(select(RequestEvent).where(RequestEvent.request_id == request_id,
                                                        RequestEvent.kind == "rated")).all()
        assert [e.data.get("internal") for e in rated] == [None, None]  # both sides see it
        assert [e.note for e in rated] == ["Took long.", ""]


@pytest.mark.parametrize("who", ["b_handler", "a_basic", "de_da"])
def test_only_the_requesting_handlers_rate(database, who):
    w = build_world()
    request_id = new_request(w, S.CLOSED)
    with pytest.raises(Denied):
        step(rq.rate, w.users[who], request_id, timeliness="negative", efforts="negative")
    assert rating_of(request_id) is None


def test_a_bad_rating_changes_nothing(database):
    w = build_world()
    request_id = new_request(w, S.CLOSED)
    version = load(request_id).version
    with pytest.raises(ValidationFailed) as refused:
        step(rq.rate, w.a_handler, request_id, timeliness="awful", efforts=["negative"], comment="x" * 100_000)
    assert set(refused.value.errors) == {"timeliness", "efforts", "comment"}
    assert rating_of(request_id) is None and load(request_id).version == version


@pytest.mark.parametrize("state", [S.ANSWERED, S.WITHDRAWN])
def test_only_a_closed_request_is_rated(database, state):
    w = build_world()
    request_id = new_request(w, state)
    with pytest.raises(Conflict):
        step(rq.rate, w.a_handler, request_id, timeliness="positive", efforts="positive")


def test_the_rating_closes_thirty_days_after_the_closure(database):
    w = build_world()
    request_id = new_request(w, S.CLOSED)
    with session_scope() as session:
        request = session.get(InfoRequest, request_id)
        request.closed_at = utcnow() - timedelta(days=30, minutes=1)
        session.add(request)
    with pytest.raises(Conflict):
        step(rq.rate, w.a_handler, request_id, timeliness="positive", efforts="positive")
    with session_scope() as session:
        request = session.get(InfoRequest, request_id)
        request.closed_at = utcnow() - timedelta(days=29, hours=23)
        session.add(request)
    step(rq.rate, w.a_handler, request_id, timeliness="positive", efforts="positive")


# Any sequence of steps the state machine allows leaves figures equal to what the timeline says.
MOVES = [
    (rq.submit, "a_handler", {}), (rq.accept, "b_handler", {}), (rq.forward, "b_handler", "to_b2"),
    (rq.accept, "b2_handler", {}), (rq.answer, "b_handler", "answers"), (rq.answer, "b2_handler", "answers"),
    (rq.request_more_info, "a_handler", {"note": "More, please."}), (rq.accept_answer, "a_handler", {}),
    (rq.withdraw, "a_handler", {}), (rq.rate, "a_handler", {"timeliness": "negative", "efforts": "neutral"}),
]


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(moves=st.lists(st.integers(min_value=0, max_value=len(MOVES) - 1), min_size=1, max_size=12))
def test_rebuild_finds_no_difference_after_any_steps(database, moves):
    w = _world(database)
    request_id = new_request(w)
    for index in moves:
        function, who, arguments = MOVES[index]
        if arguments == "to_b2":
            arguments = {"to_authority_id": w.b2.id}
        elif arguments == "answers":
            arguments = {"answers": answers_for(w)}
        try:
            step(function, w.users[who], request_id, **arguments)
        except (Conflict, Denied, ValidationFailed):
            pass  # not allowed now: the state machine refused it and nothing changed
    with session_scope() as session:
        assert figures.rebuild(session) == []


_WORLDS: dict[str, object] = {}


def _world(database):
    if database not in _WORLDS:  # one world per database: hypothesis runs many examples in one test
        _WORLDS[database] = build_world()
    return _WORLDS[database]
