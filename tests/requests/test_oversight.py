"""Coordinators in the request workflow: approval of requests and answers, and the referral paths."""

from __future__ import annotations

import pytest
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.authorities.models import ReferralMode
from imi_app.requests.models import ReferralOpinion, RequestStatus
from imi_app.accounts.models import Role, RoleAssignment
from imi_app.requests import actions as rq
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from imi_app.requests.answering import NO_ARBITER
from imi_app.requests.detail import request_detail
from imi_app.requests.queries import task_list
from tests.support import factories as f
from tests.support import request_factories as rf

S = RequestStatus


@pytest.fixture
def w(database):
    return rf.build_world()


def _detail(actor, request_id):
    return rf.run(request_detail, actor=actor, request_id=request_id, language=actor.language)


# --- approval of requests ----------------------------------------------------------------------

def test_approval_reject_to_draft_then_approve_and_send(w):
    rf.set_oversight(w.hu_coord, w.pq, approve_requests=True)
    request_id = rf.new_request(w)
    assert rf.step(rq.submit, w.a_handler, request_id).status == S.AWAITING_APPROVAL
    with pytest.raises(Denied):  # the responder knows nothing of it yet
        _detail(w.b_handler, request_id)
    tasks = rf.run(task_list, actor=w.hu_da)
    assert tasks.counts["approve_request"] == 1 and tasks.items[0].request_id == request_id
    view = _detail(w.hu_da, request_id)
    assert view.reader == "approver" and view.person is not None  # read-only, to judge what leaves the country
    assert set(view.actions) == {"approve_request", "reject_request"}
    with pytest.raises(ValidationFailed) as caught:
        rf.step(rq.reject_request, w.hu_da, request_id, reason="")
    assert "reason" in caught.value.errors
    rf.step(rq.reject_request, w.hu_da, request_id, reason="Add the registration number.")
    assert rf.load(request_id).status == S.DRAFT
    with pytest.raises(Denied):  # no longer awaiting this coordinator
        _detail(w.hu_da, request_id)
    timeline = _detail(w.a_handler, request_id).timeline
    assert timeline[-1].kind == "request_rejected" and timeline[-1].note == "Add the registration number."
    rf.step(rq.submit, w.a_handler, request_id)
    rf.step(rq.approve_request, w.hu_da, request_id)
    request = rf.load(request_id)
    assert request.status == S.SENT and request.sent_at is not None
    responder_view = _detail(w.b_handler, request_id)
    assert "request_rejected" not in [e.kind for e in responder_view.timeline]  # internal to the requesting side
    assert "accept" in responder_view.actions


def test_two_coordinators_approve_in_turn_nearest_first(w):
    regional = f.authority("HU", areas=[w.pq], coordinator=w.hu_coord, is_coordinator=True, name="Regional")
    local = f.authority("HU", areas=[w.pq], coordinator=regional, name="Local chamber")
    author = f.user(local, roles={w.pq.id: [Role.REQUEST_HANDLER]})
    regional_da = f.user(regional, roles={w.pq.id: [Role.DATA_ADMINISTRATOR]})
    rf.set_oversight(w.hu_coord, w.pq, approve_requests=True)
    rf.set_oversight(regional, w.pq, approve_requests=True)
    request_id = rf.run(rq.create_draft, actor=author, data=rf.draft_input(w)).request_id
    rf.step(rq.submit, author, request_id)
    with pytest.raises(Denied):  # the national coordinator's turn comes second
        rf.step(rq.approve_request, w.hu_da, request_id)
    assert rf.step(rq.approve_request, regional_da, request_id).status == S.AWAITING_APPROVAL
    assert rf.run(task_list, actor=w.hu_da).counts["approve_request"] == 1
    assert rf.step(rq.approve_request, w.hu_da, request_id).status == S.SENT


# --- approval of answers -----------------------------------------------------------------------

def test_answer_approval_hides_the_answer_until_released(w):
    rf.set_oversight(w.de_coord, w.pq, approve_answers=True)
    request_id = rf.new_request(w, S.ACCEPTED)
    rf.step(rq.answer, w.b_handler, request_id, answers=rf.answers_for(w), reply="First reply.")
    assert rf.load(request_id).status == S.ANSWER_AWAITING_APPROVAL
    requester = _detail(w.a_handler, request_id)
    assert all(q.answer is None for q in requester.questions) and requester.reply == ""
    approver = _detail(w.de_da, request_id)
    assert approver.pending_reply == "First reply." and approver.questions[0].answer == "yes"
    rf.step(rq.reject_answer, w.de_da, request_id, reason="Check the date.")
    assert rf.load(request_id).status == S.ACCEPTED
    assert all(q.answer is None for q in _detail(w.a_handler, request_id).questions)
    rf.step(rq.answer, w.b_handler, request_id, answers={w.questions["q_awarded"]: "2004-07-01"}, reply="Fixed.")
    rf.step(rq.approve_answer, w.de_da, request_id)
    requester = _detail(w.a_handler, request_id)
    assert rf.load(request_id).status == S.ANSWERED
    assert [q.answer for q in requester.questions] == ["yes", "2004-07-01", "Twelve years as a surgeon."]
    assert requester.reply == "Fixed."
    assert "answer_rejected" not in [e.kind for e in requester.timeline]


# --- referral ----------------------------------------------------------------------------------

def _opinion_rows(request_id):
    with session_scope() as session:
        return {r.coordinator_id: r for r in session.exec(select(ReferralOpinion).where(
            ReferralOpinion.request_id == request_id)).all()}


def test_referral_returns_to_the_responder_when_any_opinion_supports_the_requester(w):
    request_id = rf.new_request(w, S.IN_REFERRAL)
    assert set(_opinion_rows(request_id)) == {w.hu_coord.id, w.de_coord.id}
    referee_view = _detail(w.de_da, request_id)
    assert referee_view.reader == "referee" and referee_view.person is None and referee_view.attachments == ()
    with pytest.raises(ValidationFailed):
        rf.step(rq.give_opinion, w.hu_da, request_id, opinion="both", note="?")
    assert rf.step(rq.give_opinion, w.hu_da, request_id, opinion="requester",
                   note="The transcript is needed.").status == S.IN_REFERRAL
    with pytest.raises(Denied):  # its opinion is in; acting again is not possible
        rf.step(rq.give_opinion, w.hu_da, request_id, opinion="responder", note="Changed my mind.")
    rf.step(rq.give_opinion, w.de_da, request_id, opinion="responder", note="It is not kept.")
    request = rf.load(request_id)
    assert request.status == S.ACCEPTED and request.closed_at is None
    view = _detail(w.a_handler, request_id)
    assert {o.opinion for o in view.opinions} == {"requester", "responder"}
    assert view.timeline[-1].kind == "referral_decided" and view.timeline[-1].data["outcome"] == "returned"
    assert "insist" in _detail(w.b_handler, request_id).actions


def test_referral_closes_when_all_opinions_support_the_responder(w):
    request_id = rf.new_request(w, S.IN_REFERRAL)
    rf.step(rq.give_opinion, w.hu_da, request_id, opinion="responder", note="Fair.")
    rf.step(rq.give_opinion, w.de_da, request_id, opinion="responder", note="Fair.")
    assert rf.load(request_id).status == S.CLOSED and rf.load(request_id).closed_at is not None


def test_an_opted_out_coordinator_is_skipped(w):
    rf.set_oversight(w.de_coord, w.pq, referral_mode=ReferralMode.NONE)
    request_id = rf.new_request(w, S.IN_REFERRAL)
    assert set(_opinion_rows(request_id)) == {w.hu_coord.id}
    with pytest.raises(Denied):
        _detail(w.de_da, request_id)
    rf.step(rq.give_opinion, w.hu_da, request_id, opinion="responder", note="Fair.")
    assert rf.load(request_id).status == S.CLOSED


def test_a_referral_without_any_coordinator_is_refused_clearly(w):
    rf.set_oversight(w.de_coord, w.pq, referral_mode=ReferralMode.NONE)
    rf.set_oversight(w.hu_coord, w.pq, referral_mode=ReferralMode.NONE)
    request_id = rf.new_request(w, S.INSISTED)
    with pytest.raises(Conflict) as caught:
        rf.step(rq.start_referral, w.a_handler, request_id, note="Please arbitrate.")
    assert caught.value.message == NO_ARBITER
    assert rf.load(request_id).status == S.INSISTED


def test_an_approver_referee_gives_the_opinion_for_its_coordinator(w):
    with session_scope() as session:
        session.add(RoleAssignment(user_id=w.hu_staff.id, area_id=w.pq.id, role=Role.APPROVER_REFEREE))
    rf.set_oversight(w.hu_coord, w.pq, referral_mode=ReferralMode.REFEREE, referee_user_id=w.hu_staff.id)
    request_id = rf.new_request(w, S.IN_REFERRAL)
    assert _opinion_rows(request_id)[w.hu_coord.id].user_id == w.hu_staff.id
    assert rf.run(task_list, actor=w.hu_staff).counts["give_opinion"] == 1
    rf.step(rq.give_opinion, w.hu_staff, request_id, opinion="requester", note="Needed.")
    assert _opinion_rows(request_id)[w.hu_coord.id].at is not None
