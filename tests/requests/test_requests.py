"""Request steps on a real database: drafts, validation, the lifecycle, versions, allocation, forwarding, withdrawal."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import func, select

from imi_app.core.db import session_scope
from imi_app.core.audit import AuditEntry
from imi_app.requests.models import (
    InfoRequest, RequestAllocation, RequestEvent, RequestPerson, RequestQuestion, RequestStatus,
)
from imi_app.requests import actions as rq
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from imi_app.requests.inputs import PersonInput
from imi_app.requests.detail import request_detail
from imi_app.requests.frame import NOT_NOW, STALE
from tests.support import factories as f
from tests.support import request_factories as rf

S = RequestStatus


@pytest.fixture
def w(database):
    return rf.build_world()


def _count(model) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _events(request_id: int) -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(RequestEvent.kind).where(RequestEvent.request_id == request_id)
                                 .order_by(RequestEvent.id)).all())


# --- drafts and validation ---------------------------------------------------------------------

def test_create_draft_gets_a_case_id_and_records_event_and_audit(w):
    result = rf.run(rq.create_draft, actor=w.a_handler, data=rf.draft_input(w))
    request = rf.load(result.request_id)
    assert request.status == S.DRAFT and request.version == 1
    assert request.case_id == f"IMI-{rf.today().year}-000001" == result.case_id
    assert request.subject_key == "verification of a medical diploma"
    assert _events(request.id) == ["created"]
    assert [a.object_id for a in rf.audits("request.create")] == [str(request.id)]
    with session_scope() as session:
        assert session.get(RequestPerson, request.id).full_name == "Dr. Kiss János"
        assert len(session.exec(select(RequestQuestion).where(RequestQuestion.request_id == request.id)).all()) == 3


def test_case_ids_count_up_and_never_change(w):
    first = rf.new_request(w)
    second = rf.new_request(w, S.CLOSED)
    assert rf.load(second).case_id == f"IMI-{rf.today().year}-000002"
    assert rf.load(first).case_id.endswith("000001")


BAD_DRAFTS = [
    ("subject", {"subject": ""}),
    ("subject", {"subject": "x" * 301}),
    ("subject", {"subject": "Diploma\x00check"}),
    ("subject", {"subject": "Diploma\u202echeck.pdf"}),
    ("free_text", {"free_text": "x" * 100_000}),
    ("free_text", {"free_text": "bell \x07"}),
    ("proposed_reply_date", {"proposed_reply_date": "2001-01-01"}),
    ("proposed_reply_date", {"proposed_reply_date": "31/12/2030"}),
    ("responding_authority_id", {"responding_authority_id": "a2"}),  # same country
    ("responding_authority_id", {"responding_authority_id": "b3"}),  # without the area
    ("responding_authority_id", {"responding_authority_id": 999_999}),
    ("question_ids", {"question_ids": [999_999]}),
    ("question_ids", {"question_ids": ["q_services"]}),  # a question of another area
    ("question_ids", {"question_ids": "1,2"}),
    ("person.birth_date", {"person": PersonInput(full_name="X", birth_date="2999-01-01")}),
]


@pytest.mark.parametrize(("field", "changes"), BAD_DRAFTS)
def test_bad_drafts_are_refused_per_field_and_change_nothing(w, field, changes):
    changes = dict(changes)
    if changes.get("responding_authority_id") in ("a2", "b3"):
        changes["responding_authority_id"] = getattr(w, changes["responding_authority_id"]).id
    if changes.get("question_ids") == ["q_services"]:
        changes["question_ids"] = [w.questions["q_services"]]
    before = (_count(InfoRequest), _count(RequestEvent), _count(AuditEntry))
    with pytest.raises(ValidationFailed) as caught:
        rf.run(rq.create_draft, actor=w.a_handler, data=rf.draft_input(w, **changes))
    assert field in caught.value.errors
    assert (_count(InfoRequest), _count(RequestEvent), _count(AuditEntry)) == before


def test_inactive_responder_is_refused(w):
    with session_scope() as session:
        session.get(type(w.b), w.b.id).status = "pending"
    with pytest.raises(ValidationFailed) as caught:
        rf.run(rq.create_draft, actor=w.a_handler, data=rf.draft_input(w))
    assert caught.value.errors["responding_authority_id"] == "Choose an active authority."


def test_only_request_handlers_of_the_area_create_drafts(w):
    for actor in (w.a_basic, w.b_allocator):
        with pytest.raises(Denied):
            rf.run(rq.create_draft, actor=actor, data=rf.draft_input(w))
    assert _count(InfoRequest) == 0 and rf.audits("access.denied")


def test_sending_needs_a_complete_draft(w):
    request_id = rf.new_request(w, proposed_reply_date=None, person=PersonInput(), question_ids=[], free_text=" ")
    with pytest.raises(ValidationFailed) as caught:
        rf.step(rq.submit, w.a_handler, request_id)
    assert set(caught.value.errors) == {"proposed_reply_date", "person.full_name", "question_ids"}
    assert rf.load(request_id).status == S.DRAFT and rf.load(request_id).version == 1


def test_update_draft_replaces_fields_and_questions_but_not_the_area(w):
    request_id = rf.new_request(w)
    result = rf.step(rq.update_draft, w.a_handler, request_id,
                     data=rf.draft_input(w, subject="Changed", question_ids=[w.questions["q_authentic"]]))
    assert result.version == 2 and rf.load(request_id).subject == "Changed"
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(RequestQuestion).where(
            RequestQuestion.request_id == request_id)).one() == 1
    with pytest.raises(ValidationFailed) as caught:
        rf.step(rq.update_draft, w.a_handler, request_id, data=rf.draft_input(w, area_id=w.svc.id))
    assert "area_id" in caught.value.errors


# --- the lifecycle -----------------------------------------------------------------------------

def test_happy_path_bumps_version_and_writes_timeline_and_audit(w):
    request_id = rf.new_request(w)
    sent = rf.step(rq.submit, w.a_handler, request_id)
    assert (sent.status, sent.version) == (S.SENT, 2)
    request = rf.load(request_id)
    assert request.sent_at is not None and request.deadline == request.proposed_reply_date
    accepted = rf.step(rq.accept, w.b_handler, request_id, reply_date=rf.today() + timedelta(days=10))
    assert accepted.status == S.ACCEPTED and rf.load(request_id).deadline == rf.today() + timedelta(days=10)
    answered = rf.step(rq.answer, w.b_handler, request_id, answers=rf.answers_for(w), reply="All fine.")
    assert answered.status == S.ANSWERED
    closed = rf.step(rq.accept_answer, w.a_handler, request_id)
    assert (closed.status, closed.version, closed.case_id) == (S.CLOSED, 5, sent.case_id)
    assert rf.load(request_id).closed_at is not None
    assert _events(request_id) == ["created", "sent", "accepted", "answered", "answer_accepted"]
    assert [a.after["status"] for a in rf.audits("request.submit") + rf.audits("request.accept")
            + rf.audits("request.answer") + rf.audits("request.accept_answer")] == [S.SENT, S.ACCEPTED, S.ANSWERED,
                                                                                    S.CLOSED]


def test_a_stale_version_is_refused_and_changes_nothing(w):
    request_id = rf.new_request(w, S.SENT)
    with pytest.raises(Conflict) as caught:
        rf.run(rq.accept, actor=w.b_handler, request_id=request_id, expected_version=1)
    assert caught.value.message == STALE
    assert rf.load(request_id).status == S.SENT and rf.load(request_id).version == 2


def test_a_step_called_twice_is_refused_clearly(w):
    request_id = rf.new_request(w, S.SENT)
    rf.step(rq.accept, w.b_handler, request_id)
    with pytest.raises(Conflict) as caught:
        rf.step(rq.accept, w.b_handler, request_id)
    assert caught.value.message == NOT_NOW
    with pytest.raises(Conflict):
        rf.step(rq.submit, w.a_handler, request_id)


def test_accepting_a_passed_proposed_date_needs_a_new_one(w):
    request_id = rf.new_request(w, S.SENT)
    with session_scope() as session:
        session.get(InfoRequest, request_id).proposed_reply_date = rf.today() - timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        rf.step(rq.accept, w.b_handler, request_id)
    assert "reply_date" in caught.value.errors
    with pytest.raises(ValidationFailed):
        rf.step(rq.accept, w.b_handler, request_id, reply_date="2001-01-01")
    assert rf.step(rq.accept, w.b_handler, request_id, reply_date=rf.today()).status == S.ACCEPTED


def test_answers_are_checked_by_type(w):
    request_id = rf.new_request(w, S.ACCEPTED)
    q = w.questions
    bad = {q["q_authentic"]: "maybe", q["q_awarded"]: "30.06.2004", q["q_experience"]: "x" * 20_001}
    with pytest.raises(ValidationFailed) as caught:
        rf.step(rq.answer, w.b_handler, request_id, answers=bad)
    assert set(caught.value.errors) == {f"answer_{q['q_authentic']}", f"answer_{q['q_awarded']}",
                                        f"answer_{q['q_experience']}"}
    with pytest.raises(ValidationFailed) as caught:
        rf.step(rq.answer, w.b_handler, request_id, answers={q["q_services"]: "yes"})
    assert "answers" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        rf.step(rq.answer, w.b_handler, request_id, answers={q["q_authentic"]: "yes"})
    assert f"answer_{q['q_awarded']}" in caught.value.errors  # every question needs an answer
    assert rf.load(request_id).status == S.ACCEPTED and rf.load(request_id).version == 3


def test_basic_users_read_but_cannot_act(w):
    request_id = rf.new_request(w, S.SENT)
    for actor, function in ((w.b_basic, rq.accept), (w.a_basic, rq.withdraw)):
        with pytest.raises(Denied):
            rf.step(function, actor, request_id)
    assert rf.run(request_detail, actor=w.b_basic, request_id=request_id, language="en").actions == ()
    assert len(rf.audits("access.denied")) == 2


def test_more_information_then_insisting_then_accepting(w):
    request_id = rf.new_request(w, S.ANSWERED)
    with pytest.raises(Conflict):  # nothing to insist on yet
        rf.step(rq.insist, w.b_handler, request_id, note="No.")
    new_date = rf.today() + timedelta(days=5)
    result = rf.step(rq.request_more_info, w.a_handler, request_id, note="Send the transcript.", reply_date=new_date)
    request = rf.load(request_id)
    assert result.status == S.ACCEPTED and request.more_info_requested and request.deadline == new_date
    with pytest.raises(ValidationFailed):
        rf.step(rq.insist, w.b_handler, request_id, note="  ")
    assert rf.step(rq.insist, w.b_handler, request_id, note="We keep no transcripts.").status == S.INSISTED
    assert rf.step(rq.accept_answer, w.a_handler, request_id).status == S.CLOSED


# --- allocation --------------------------------------------------------------------------------

def test_allocation_limits_who_acts_and_can_be_changed(w):
    request_id = rf.new_request(w, S.SENT)
    with pytest.raises(ValidationFailed):  # not a handler of the responding authority
        rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b2_handler.id])
    with pytest.raises(ValidationFailed):
        rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b_basic.id])
    with pytest.raises(Denied):  # handlers do not allocate
        rf.step(rq.allocate, w.b_handler, request_id, user_ids=[w.b_handler.id])
    rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b_handler2.id])
    with pytest.raises(Denied):
        rf.step(rq.accept, w.b_handler, request_id)
    rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b_handler.id])
    rf.step(rq.accept, w.b_handler, request_id)
    rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[])  # unallocated: every handler of the area again
    assert rf.step(rq.answer, w.b_handler2, request_id, answers=rf.answers_for(w)).status == S.ANSWERED


# --- forwarding and withdrawal ----------------------------------------------------------------

def test_forwarding_moves_the_request_within_the_country(w):
    request_id = rf.new_request(w, S.SENT)
    rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b_handler.id])
    for target, field in ((w.c, "to_authority_id"), (w.b3, "to_authority_id"), (w.b, "to_authority_id")):
        with pytest.raises(ValidationFailed) as caught:
            rf.step(rq.forward, w.b_handler, request_id, to_authority_id=target.id)
        assert field in caught.value.errors
    result = rf.step(rq.forward, w.b_handler, request_id, to_authority_id=w.b2.id, note="Their competence.")
    request = rf.load(request_id)
    assert (result.status, request.responding_authority_id, request.forwarded_from_authority_id) == (
        S.SENT, w.b2.id, w.b.id)
    with session_scope() as session:
        assert session.exec(select(RequestAllocation).where(RequestAllocation.request_id == request_id)).all() == []
    with pytest.raises(Denied):  # the former responder reads, but acts no more
        rf.step(rq.accept, w.b_handler, request_id)
    former = rf.run(request_detail, actor=w.b_handler, request_id=request_id, language="en")
    assert former.reader == "former_responder" and former.actions == ()
    rf.step(rq.accept, w.b2_handler, request_id)
    rf.step(rq.answer, w.b2_handler, request_id, answers=rf.answers_for(w))
    former = rf.run(request_detail, actor=w.b_handler, request_id=request_id, language="en")
    assert all(q.answer is None for q in former.questions)
    assert former.timeline[-1].kind == "forwarded"
    with pytest.raises(Conflict):  # forwarding is possible only before acceptance
        rf.step(rq.forward, w.b2_handler, request_id, to_authority_id=w.b.id)


def test_withdrawal_before_the_answer_only(w):
    request_id = rf.new_request(w, S.ACCEPTED)
    assert rf.step(rq.withdraw, w.a_handler, request_id, reason="Solved.").status == S.WITHDRAWN
    assert rf.load(request_id).closed_at is not None
    answered = rf.new_request(w, S.ANSWERED)
    with pytest.raises(Conflict):
        rf.step(rq.withdraw, w.a_handler, answered)
    with pytest.raises(ValidationFailed):
        rf.step(rq.withdraw, w.a_handler, rf.new_request(w, S.SENT), reason="x" * 2001)


def test_other_countries_cannot_touch_a_request(w):
    request_id = rf.new_request(w, S.SENT)
    with pytest.raises(Denied):
        rf.step(rq.accept, w.c_handler, request_id)
    with pytest.raises(Denied):
        rf.run(rq.accept, actor=w.b_handler, request_id="1 OR 1=1", expected_version=2)
    assert [a.after["attempted"] for a in rf.audits("access.denied")] == ["request.accept", "request.accept"]


# --- concurrency (REL-1) -----------------------------------------------------------------------

def test_two_handlers_answering_at_once_one_wins(w):
    request_id = rf.new_request(w, S.ACCEPTED)
    version = rf.load(request_id).version
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def attempt(actor, text):
        barrier.wait()
        try:
            outcomes.append(rf.run(rq.answer, actor=actor, request_id=request_id, expected_version=version,
                                   answers={**rf.answers_for(w), w.questions["q_experience"]: text}))
        except Conflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=attempt, args=(w.b_handler, "One")),
               threading.Thread(target=attempt, args=(w.b_handler2, "Two"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(outcomes) == 2 and len(conflicts) == 1 and conflicts[0].message == STALE
    assert rf.load(request_id).version == version + 1
    assert _events(request_id).count("answered") == 1
