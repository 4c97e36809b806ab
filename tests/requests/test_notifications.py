"""Who is told what about a request: recipients, never the actor, one mail each, languages, digest, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.mail.sender import deliver_due
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.requests.models import RequestEvent, RequestStatus
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.requests import notifications
from imi_app.requests import actions as rq
from imi_app.requests.notifications import DIGESTED, HELD, run_due_jobs, send_deadline_reminders, send_digests
from tests.support import request_factories as rf

S = RequestStatus
PERSONAL = ("Kiss János", "1978", "Please confirm the diploma")


@pytest.fixture
def w(database):
    return rf.build_world()


def _recipients(kind: str) -> list[str]:
    return sorted(m.recipient for m in rf.mails(kind=kind))


def _set_user(user, **values):
    with session_scope() as session:
        row = session.get(User, user.id)
        for name, value in values.items():
            setattr(row, name, value)


def test_new_incoming_request_tells_every_handler_and_the_contact_address(w):
    request_id = rf.new_request(w, S.SENT)
    mails = rf.mails(kind="request_received")
    assert _recipients("request_received") == sorted([w.b_handler.email, w.b_handler2.email, w.b.contact_email])
    for mail in mails:
        assert rf.load(request_id).case_id in mail.subject and rf.load(request_id).case_id in mail.body_text
        assert "Ärztekammer Berlin" in mail.body_text and "Magyar Orvosi Kamara" in mail.body_text
        assert not any(secret in mail.body_text or secret in mail.subject for secret in PERSONAL)
    assert all(m.recipient != w.a_handler.email for m in rf.mails())


def test_each_recipient_gets_the_mail_in_their_language(w):
    _set_user(w.b_handler2, language="hu")
    rf.new_request(w, S.SENT)
    by_recipient = {m.recipient: m.language for m in rf.mails(kind="request_received")}
    assert by_recipient[w.b_handler2.email] == "hu" and by_recipient[w.b_handler.email] == "en"


def test_never_the_actor_and_one_mail_per_person(w):
    # The allocator is also a handler, allocates itself and a colleague; the contact address is a handler's too.
    with session_scope() as session:
        session.add(RoleAssignment(user_id=w.b_allocator.id, area_id=w.pq.id, role=Role.REQUEST_HANDLER))
        session.get(type(w.b), w.b.id).contact_email = w.b_handler.email.upper()
    request_id = rf.new_request(w, S.SENT)
    assert _recipients("request_received").count(w.b_handler.email) == 1
    assert len(rf.mails(kind="request_received")) == 3  # b_handler, b_handler2, b_allocator
    rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b_allocator.id, w.b_handler2.id])
    assert _recipients("request_allocated") == [w.b_handler2.email]
    rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b_handler2.id, w.b_handler.id])
    assert _recipients("request_allocated") == sorted([w.b_handler2.email, w.b_handler.email])  # only the new one


def test_the_steps_tell_the_right_people(w):
    request_id = rf.new_request(w, S.ACCEPTED)
    rf.step(rq.allocate, w.b_allocator, request_id, user_ids=[w.b_handler2.id])
    rf.step(rq.answer, w.b_handler2, request_id, answers=rf.answers_for(w))
    assert _recipients("answer_received") == [w.a_handler.email]  # the author of the request
    rf.step(rq.request_more_info, w.a_handler, request_id, note="More please.")
    assert _recipients("more_info_requested") == [w.b_handler2.email]  # the allocated handler only
    rf.step(rq.insist, w.b_handler2, request_id, note="Nothing more.")
    assert _recipients("insisted") == [w.a_handler.email]
    rf.step(rq.start_referral, w.a_handler, request_id, note="Arbitrate.")
    assert _recipients("referral_opened") == sorted([w.hu_da.email, w.de_da.email])
    rf.step(rq.give_opinion, w.hu_da, request_id, opinion="requester", note="Needed.")
    rf.step(rq.give_opinion, w.de_da, request_id, opinion="requester", note="Needed.")
    decided = rf.mails(kind="referral_decided")
    assert sorted(m.recipient for m in decided) == sorted([w.a_handler.email, w.b_handler2.email])
    assert "returns to the responding authority" in next(m for m in decided if m.language == "en").body_text


def test_approval_needed_and_returned(w):
    rf.set_oversight(w.hu_coord, w.pq, approve_requests=True)
    request_id = rf.new_request(w)
    rf.step(rq.submit, w.a_handler, request_id)
    mail = rf.mails(kind="approval_needed")
    assert [m.recipient for m in mail] == [w.hu_da.email] and mail[0].language == "hu"
    assert rf.mails(kind="request_received") == []
    rf.step(rq.reject_request, w.hu_da, request_id, reason="Incomplete.")
    assert _recipients("approval_rejected") == [w.a_handler.email]
    assert "Incomplete." not in rf.mails(kind="approval_rejected")[0].body_text


def test_withdrawal_tells_the_responder(w):
    request_id = rf.new_request(w, S.SENT)
    rf.step(rq.withdraw, w.a_handler, request_id)
    assert _recipients("request_withdrawn") == sorted([w.b_handler.email, w.b_handler2.email])


def test_a_rolled_back_step_sends_nothing(w):
    request_id = rf.new_request(w)
    before = len(rf.mails())
    with pytest.raises(RuntimeError), session_scope() as session:
        rq.submit(session, actor=w.a_handler, request_id=request_id, expected_version=1)
        raise RuntimeError("the page crashed after the step")
    assert len(rf.mails()) == before and rf.load(request_id).status == S.DRAFT


def test_digest_users_get_one_daily_mail(w):
    _set_user(w.b_handler, notify_mode="digest")
    first = rf.new_request(w, S.SENT)
    rf.new_request(w, S.SENT)
    held = rf.mails(user_id=w.b_handler.id)
    assert [m.status for m in held] == [HELD, HELD]
    assert deliver_due() == 4  # b_handler2 twice and the contact address twice; the held ones wait
    assert {m.status for m in rf.mails(user_id=w.b_handler.id)} == {HELD}
    assert rf.run(send_digests) == 1
    digest = rf.mails(kind="digest")
    assert len(digest) == 1 and digest[0].recipient == w.b_handler.email and digest[0].status == MailStatus.PENDING
    assert rf.load(first).case_id in digest[0].body_text and digest[0].body_text.count("\n- ") == 2
    assert {m.status for m in rf.mails(kind="request_received", user_id=w.b_handler.id)} == {DIGESTED}
    assert rf.run(send_digests) == 0


def test_digest_runs_once_a_day_after_its_hour(w, monkeypatch):
    monkeypatch.setattr(notifications, "_last_digest_day", None)
    _set_user(w.b_handler, notify_mode="digest")
    rf.new_request(w, S.SENT)
    run_due_jobs(now=datetime(2030, 5, 1, 5, 0, tzinfo=UTC))
    assert rf.mails(kind="digest") == []
    run_due_jobs(now=datetime(2030, 5, 1, 8, 0, tzinfo=UTC))
    assert len(rf.mails(kind="digest")) == 1
    rf.new_request(w, S.SENT)
    run_due_jobs(now=datetime(2030, 5, 1, 9, 0, tzinfo=UTC))
    assert len(rf.mails(kind="digest")) == 1  # the new one waits for tomorrow


def _reminder_events(request_id: int) -> list[tuple[str, str]]:
    with session_scope() as session:
        return list(session.exec(select(RequestEvent.kind, RequestEvent.note).where(
            RequestEvent.request_id == request_id, RequestEvent.kind.in_(("deadline_soon", "deadline_passed")))))


def test_deadline_reminders_go_once(w):
    soon = rf.new_request(w, S.ACCEPTED)
    passed = rf.new_request(w, S.ACCEPTED)
    later = rf.new_request(w, S.ACCEPTED)
    with session_scope() as session:
        from imi_app.requests.models import InfoRequest

        session.get(InfoRequest, soon).deadline = rf.today() + timedelta(days=2)
        session.get(InfoRequest, passed).deadline = rf.today() - timedelta(days=1)
        session.get(InfoRequest, later).deadline = rf.today() + timedelta(days=9)
    version = rf.load(soon).version
    assert rf.run(send_deadline_reminders) == 2
    assert rf.run(send_deadline_reminders) == 0
    assert _recipients("deadline_soon") == sorted([w.b_handler.email, w.b_handler2.email])
    assert _recipients("deadline_passed") == sorted([w.b_handler.email, w.b_handler2.email])
    assert _reminder_events(soon) == [("deadline_soon", (rf.today() + timedelta(days=2)).isoformat())]
    assert rf.load(soon).version == version  # a reminder does not make the handler's page stale
    rf.step(rq.answer, w.b_handler, soon, answers=rf.answers_for(w))
    rf.step(rq.request_more_info, w.a_handler, soon, note="More.", reply_date=rf.today() + timedelta(days=1))
    assert rf.run(send_deadline_reminders) == 1  # a new deadline gets its own reminder
    assert len(rf.mails(kind="deadline_soon")) == 4


def test_sent_mails_never_hold_personal_data(w):
    request_id = rf.new_request(w, S.IN_REFERRAL)
    rf.step(rq.give_opinion, w.hu_da, request_id, opinion="responder", note="Fine.")
    rf.step(rq.give_opinion, w.de_da, request_id, opinion="responder", note="Fine.")
    with session_scope() as session:
        bodies = [m.subject + m.body_text for m in session.exec(select(OutboxMail)).all()]
    assert bodies and not any(secret in body for body in bodies for secret in PERSONAL)
