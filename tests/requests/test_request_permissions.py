"""SEC-10 for requests: the permission matrix role × state × action (from the state-machine table), who sees what."""

from __future__ import annotations

import pytest

from imi_app.core.db import session_scope
from imi_app.requests.models import InfoRequest, RequestStatus
from imi_app.policy import can
from imi_app.core.errors import Denied
from imi_app.requests.overview import overview
from imi_app.requests.detail import request_detail
from imi_app.requests.visibility import visible_requests
from imi_app.requests.lifecycle import (
    ALLOCATOR, ANSWER_APPROVER, ARBITER, GUARDS, REQUEST_APPROVER, REQUESTER, RESPONDER, TRANSITIONS, standing,
)
from imi_app.authorities.links import link_authority
from tests.support import factories as f
from tests.support import request_factories as rf

S = RequestStatus
STATES = [S.DRAFT, S.AWAITING_APPROVAL, S.SENT, S.ACCEPTED, "more_info", S.ANSWER_AWAITING_APPROVAL, S.ANSWERED,
          S.INSISTED, S.IN_REFERRAL, S.CLOSED, S.WITHDRAWN]
ROLES = ["a_handler", "a_handler2", "a_basic", "a2_handler", "b_handler", "b_handler2", "b_allocator", "b_basic",
         "b2_handler", "c_handler", "hu_da", "hu_staff", "de_da"]
RESPONDER_SEES = {S.SENT, S.ACCEPTED, "more_info", S.ANSWER_AWAITING_APPROVAL, S.ANSWERED, S.INSISTED,
                  S.IN_REFERRAL, S.CLOSED, S.WITHDRAWN}


def capacities(role: str, state: str) -> set[str]:
    """What each role is, written out independently of request_rules.standing()."""
    fixed = {"a_handler": {REQUESTER}, "a_handler2": {REQUESTER}, "b_handler": {RESPONDER},
             "b_handler2": {RESPONDER}, "b_allocator": {ALLOCATOR}}
    caps = set(fixed.get(role, set()))
    if role == "hu_da" and state in (S.AWAITING_APPROVAL, S.IN_REFERRAL):
        caps.add(REQUEST_APPROVER if state == S.AWAITING_APPROVAL else ARBITER)
    if role == "de_da" and state in (S.ANSWER_AWAITING_APPROVAL, S.IN_REFERRAL):
        caps.add(ANSWER_APPROVER if state == S.ANSWER_AWAITING_APPROVAL else ARBITER)
    return caps


def sees(role: str, state: str) -> bool:
    if role.startswith("a_"):
        return True
    if role.startswith("b_"):
        return state in RESPONDER_SEES
    return (role == "hu_da" and state in (S.AWAITING_APPROVAL, S.IN_REFERRAL)) or (
        role == "de_da" and state in (S.ANSWER_AWAITING_APPROVAL, S.IN_REFERRAL))


@pytest.fixture
def world_with_every_state(database):
    w = rf.build_world()
    return w, {state: rf.new_request(w, state) for state in STATES}


def test_permission_matrix_follows_the_state_machine(world_with_every_state):
    w, requests = world_with_every_state
    checked = 0
    with session_scope() as session:
        for state, request_id in requests.items():
            request = session.get(InfoRequest, request_id)
            for role in ROLES:
                actor = w.users[role]
                assert can(session, actor, "request.view", request) == sees(role, state), (role, state)
                # The Python standing and the SQL filter agree on who reads it.
                assert (standing(session, actor, request).read is not None) == sees(role, state), (role, state)
                for action, transition in TRANSITIONS.items():
                    guard = GUARDS.get(transition.guard) if transition.guard else None
                    status = request.status
                    expected = (status in transition.sources and transition.actor in capacities(role, state)
                                and (guard is None or guard(request)))
                    assert can(session, actor, f"request.{action}", request) == expected, (role, state, action)
                    checked += 1
    assert checked == len(STATES) * len(ROLES) * len(TRANSITIONS)


def test_every_action_of_the_table_is_reachable_by_someone(world_with_every_state):
    w, requests = world_with_every_state
    reachable = set()
    with session_scope() as session:
        for request_id in requests.values():
            request = session.get(InfoRequest, request_id)
            for role in ROLES:
                reachable |= {a for a in TRANSITIONS if can(session, w.users[role], f"request.{a}", request)}
    assert reachable == set(TRANSITIONS) - {"create"}


def test_create_is_for_request_handlers_of_the_area(database):
    w = rf.build_world()
    with session_scope() as session:
        for role, expected in (("a_handler", True), ("a_basic", False), ("b_allocator", False), ("hu_da", False)):
            actor = w.users[role]
            probe = InfoRequest(requesting_authority_id=actor.authority_id, area_id=w.pq.id,
                                responding_authority_id=w.b.id, subject="")
            assert can(session, actor, "request.create", probe) == expected, role


def test_inactive_users_and_wrong_objects_are_denied(database):
    w = rf.build_world()
    request_id = rf.new_request(w, S.SENT)
    blocked = f.user(w.b, roles={w.pq.id: ["request_handler"]}, active=False)
    with session_scope() as session:
        request = session.get(InfoRequest, request_id)
        assert not can(session, blocked, "request.view", request)
        assert not can(session, blocked, "request.accept", request)
        assert not can(session, w.b_handler, "request.accept", w.b)  # not a request
        assert not can(session, w.b_handler, "request.no_such_action", request)


def test_another_authority_asking_by_id_gets_not_found_and_an_audit_row(database):
    w = rf.build_world()
    request_id = rf.new_request(w, S.ANSWERED)  # between A (HU) and B (DE)
    for actor in (w.c_handler, w.b2_handler, w.a2_handler):
        with pytest.raises(Denied) as caught:
            rf.run(request_detail, actor=actor, request_id=request_id, language="en")
        assert caught.value.message == "Not found, or you do not have access to it."
    with pytest.raises(Denied):
        rf.run(request_detail, actor=w.c_handler, request_id=999_999, language="en")
    rows = rf.audits("access.denied")
    assert [r.object_id for r in rows] == [str(request_id)] * 3 + ["999999"]
    assert {r.after["attempted"] for r in rows} == {"request.view"}


def test_a_linked_authority_sees_the_summary_elsewhere_but_not_the_request(database):
    w = rf.build_world()
    request_id = rf.new_request(w, S.SENT)
    lda = f.user(w.a, is_lda=True)
    rf.run(link_authority, actor=lda, linked_authority_id=w.a2.id)
    with pytest.raises(Denied):
        rf.run(request_detail, actor=w.a2_handler, request_id=request_id, language="en")
    assert rf.run(overview, actor=w.a2_handler).rows == ()


def test_visible_requests_is_the_filter_of_every_list(world_with_every_state):
    w, requests = world_with_every_state
    with session_scope() as session:
        for role in ROLES:
            actor = w.users[role]
            ids = set(session.exec(
                InfoRequest.__table__.select().with_only_columns(InfoRequest.id).where(
                    visible_requests(session, actor))).scalars())
            assert ids == {rid for state, rid in requests.items() if sees(role, state)}, role
