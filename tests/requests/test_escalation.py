"""What waits on a coordinator is chased: reminded to its staff after N working days, escalated to the coordinator
above after 2N, once per waiting round, and shown on the request page with the coordinator and the date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from imi_app.accounts.models import Role
from imi_app.core.db import session_scope
from imi_app.requests import actions as rq
from imi_app.requests.detail import request_detail
from imi_app.requests.escalation import ESCALATED, REMINDED, chase_all, working_days
from imi_app.requests.models import RequestEvent
from tests.support import factories as f
from tests.support.request_factories import (
    S, answers_for, audits, build_world, draft_input, load, mails, new_request, run, set_oversight, step,
)


@pytest.fixture
def w(database):
    return build_world()


def _since(request_id: int, kind: str) -> datetime:
    with session_scope() as session:
        at = session.exec(select(RequestEvent.at).where(RequestEvent.request_id == request_id,
                                                        RequestEvent.kind == kind)
                          .order_by(RequestEvent.id.desc())).first()
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _after(since: datetime, days: int) -> datetime:
    """The first moment with exactly `days` working days since `since`."""
    moment = since
    while working_days(since, moment) < days:
        moment += timedelta(days=1)
    return moment


def _events(request_id: int, kind: str) -> list[RequestEvent]:
    with session_scope() as session:
        return list(session.exec(select(RequestEvent).where(RequestEvent.request_id == request_id,
                                                            RequestEvent.kind == kind)).all())


def test_working_days_count_monday_to_friday():
    friday = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert working_days(friday, friday) == 0
    assert working_days(friday, datetime(2026, 12, 6, 9, 0, tzinfo=UTC)) == 0  # the weekend
    assert working_days(friday, datetime(2026, 12, 7, 9, 0, tzinfo=UTC)) == 1
    assert working_days(friday, datetime(2026, 12, 11, 9, 0, tzinfo=UTC)) == 5
    assert working_days(friday, datetime(2026, 12, 18, 9, 0, tzinfo=UTC)) == 10


def test_an_approval_nobody_gives_is_reminded_then_escalated_once_each(w):
    request_id = new_request(w, S.AWAITING_APPROVAL)
    since = _since(request_id, "submitted_for_approval")
    assert chase_all(now=_after(since, 2)) == 0 and mails(kind=REMINDED) == []
    assert chase_all(now=_after(since, 3)) == 1
    assert chase_all(now=_after(since, 3) + timedelta(hours=5)) == 0  # once: a second run or worker sends none
    [reminder] = mails(kind=REMINDED)
    assert reminder.recipient == w.hu_da.email and load(request_id).case_id in reminder.subject
    assert audits(f"request.{REMINDED}")[0].after["coordinator_id"] == w.hu_coord.id
    assert chase_all(now=_after(since, 6)) == 1
    # A national coordinator has none above it: its own staff are told again, as an escalation.
    assert [m.recipient for m in mails(kind=ESCALATED)] == [w.hu_da.email]
    assert len(_events(request_id, REMINDED)) == 1 and len(_events(request_id, ESCALATED)) == 1
    page = run(request_detail, actor=w.a_handler, request_id=request_id, language="en")
    [waiting] = page.waiting
    assert waiting.coordinator == "HU coordinator" and waiting.what == "approval"


def test_a_regional_coordinators_silence_is_escalated_to_the_national_one(w):
    regional = f.authority("HU", areas=[w.pq], coordinator=w.hu_coord, is_coordinator=True, name="Regional HU")
    regional_da = f.user(regional, username="reg.da", roles={w.pq.id: [Role.DATA_ADMINISTRATOR]})
    local = f.authority("HU", areas=[w.pq], coordinator=regional, name="Pécsi Kamara")
    handler = f.user(local, username="pecs.handler", roles={w.pq.id: [Role.REQUEST_HANDLER]})
    set_oversight(regional, w.pq, approve_requests=True)
    request_id = run(rq.create_draft, actor=handler, data=draft_input(w)).request_id
    step(rq.submit, handler, request_id)
    assert load(request_id).status == S.AWAITING_APPROVAL
    since = _since(request_id, "submitted_for_approval")
    chase_all(now=_after(since, 3))
    assert [m.recipient for m in mails(kind=REMINDED)] == [regional_da.email]
    chase_all(now=_after(since, 6))
    assert [m.recipient for m in mails(kind=ESCALATED)] == [w.hu_da.email]
    assert "Regional HU" in mails(kind=ESCALATED)[0].subject


def test_an_approval_given_in_time_is_never_chased_and_a_new_round_is_chased_afresh(w):
    request_id = new_request(w, S.AWAITING_APPROVAL)
    since = _since(request_id, "submitted_for_approval")
    chase_all(now=_after(since, 3))
    step(rq.approve_request, w.hu_da, request_id)
    assert load(request_id).status != S.AWAITING_APPROVAL
    assert chase_all(now=_after(since, 10)) == 0 and mails(kind=ESCALATED) == []
    assert run(request_detail, actor=w.a_handler, request_id=request_id, language="en").waiting == ()


def test_a_missing_referral_opinion_is_chased_for_each_coordinator_that_owes_one(w):
    request_id = new_request(w, S.IN_REFERRAL)
    since = _since(request_id, "referral_started")
    chase_all(now=_after(since, 3))
    assert {m.recipient for m in mails(kind=REMINDED)} == {w.hu_da.email, w.de_da.email}
    page = run(request_detail, actor=w.b_handler, request_id=request_id, language="en")
    assert {v.coordinator for v in page.waiting} == {"HU coordinator", "DE coordinator"}
    assert all(v.what == "opinion" and not v.escalated for v in page.waiting)


def test_an_answer_awaiting_approval_waits_on_the_responders_coordinator(w):
    request_id = new_request(w, S.ACCEPTED)
    set_oversight(w.de_coord, w.pq, approve_answers=True)
    step(rq.answer, w.b_handler, request_id, answers=answers_for(w))
    since = _since(request_id, "answer_submitted")
    chase_all(now=_after(since, 6))
    assert [m.recipient for m in mails(kind=REMINDED)] == [w.de_da.email]
    assert [m.recipient for m in mails(kind=ESCALATED)] == [w.de_da.email]


def test_the_coordinators_dashboard_lists_what_waits_on_its_tree_and_nothing_of_another_country(w):
    from imi_app.scoreboard.board import coordinator_dashboard, last_months

    approval = new_request(w, S.AWAITING_APPROVAL)
    referral = new_request(w, S.IN_REFERRAL)
    since = _since(approval, "submitted_for_approval")
    period = last_months(12, since.date())
    now = _after(since, 7)
    board = run(coordinator_dashboard, actor=w.hu_da, period=period, now=now)
    rows = {(r.case_id, r.what): r for r in board.waiting}
    assert set(rows) == {(load(approval).case_id, "approval"), (load(referral).case_id, "opinion")}
    chased = rows[(load(approval).case_id, "approval")]
    assert chased.escalated and chased.working_days == 7 and chased.coordinator == "HU coordinator"
    other = run(coordinator_dashboard, actor=w.de_da, period=period, now=now)
    assert [(r.case_id, r.coordinator) for r in other.waiting] == [(load(referral).case_id, "DE coordinator")]
