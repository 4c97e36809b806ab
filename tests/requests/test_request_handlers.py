"""The request screens' handlers called straight over the event channel: strangers get "not found" (audited),
wrong types and stale versions change nothing (SEC-10, SEC-11, REL-1)."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import func, select

from imi_app.core.db import session_scope
from imi_app.core.i18n import gettext
from imi_app.requests.models import Attachment, InfoRequest, RequestEvent, RequestStatus
from imi_app.core.audit import AuditEntry
from imi_app.mail.models import OutboxMail
from imi_app.requests import actions as rq
from imi_app.requests.attachments import save_attachment
from imi_app.requests.frame import STALE
from imi_app.requests.steps import STEPS
from imi_app.requests.ui.form_state import RequestFormState
from imi_app.requests.ui.request_page_state import RequestPageState
from tests.support import request_factories as rf
from tests.support.handlers import call, state_for, token_for as _token

S = RequestStatus


_cookies: dict[int, str] = {}


@pytest.fixture
def world(database):
    _cookies.clear()
    return rf.build_world()


def cookie(user) -> str:
    """One sign-in per user and test (the next sign-in would ask for other characters of the code)."""
    if user.id not in _cookies:
        _cookies[user.id] = f"imi_session={_token(user)}"
    return _cookies[user.id]


def _page(user, request_id: int, state_cls=RequestPageState, suffix: str = ""):
    return state_for(state_cls, cookie=cookie(user), path=f"/requests/{request_id}{suffix}")


def snapshot() -> tuple:
    with session_scope() as session:
        requests = tuple(session.exec(select(InfoRequest.id, InfoRequest.status, InfoRequest.version,
                                             InfoRequest.responding_authority_id).order_by(InfoRequest.id)).all())
        counts = tuple(session.exec(select(func.count()).select_from(model)).one()
                       for model in (RequestEvent, Attachment, OutboxMail))
        return requests, counts


def denials(request_id: int) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "access.denied", AuditEntry.object_type == "info_request",
            AuditEntry.object_id == str(request_id))).one()


def said(events: list, user, message: str) -> bool:
    """Whether a toast among `events` shows `message` in the user's language."""
    return gettext(user.language, message) in repr(events)


def redirects(events: list) -> list[str]:
    """The paths of the redirects among `events` (nested lists as handlers return them)."""
    flat = [e for group in events for e in (group if isinstance(group, list) else [group])]
    return [value._var_value for e in flat if getattr(getattr(e, "handler", None), "fn", None) is not None
            and e.handler.fn.__qualname__ == "_redirect" for name, value in e.args if name._js_expr == "path"]


def test_a_user_of_an_unrelated_authority_gets_not_found_and_an_audit_row(world):
    request_id = rf.new_request(world, S.SENT)
    before, denied = snapshot(), denials(request_id)
    page = _page(world.c_handler, request_id)
    call(RequestPageState.open_request, page)
    assert page.access == "not_found"
    assert page.info == {} and page.questions == [] and page.person == {} and page.files == [] and page.buttons == []
    assert denials(request_id) == denied + 1
    # Pretending the page had loaded changes nothing either: every handler asks the service again.
    page.access, page._request_id, page._version, page._actions = "ready", request_id, rf.load(request_id).version, \
        ("accept", "forward", "answer")
    page.dialog = "accept"
    call(RequestPageState.do_action, page, {"reply_choice": "proposed"})
    page.can_answer = True
    call(RequestPageState.submit_answer, page, {f"answer_{world.questions['q_authentic']}": "yes"})
    assert page.access == "not_found" and page.info == {}
    form = _page(world.c_handler, request_id, RequestFormState, "/edit")
    call(RequestFormState.open_edit, form)
    assert form.access == "not_found" and form.draft.get("subject") is None
    assert snapshot() == before
    assert denials(request_id) >= denied + 3


def test_a_draft_is_not_found_for_the_responding_side(world):
    request_id = rf.new_request(world, S.DRAFT)
    page = _page(world.b_handler, request_id)
    call(RequestPageState.open_request, page)
    assert page.access == "not_found" and page.info == {}


WRONG = [None, 5, "text", ["a"], {"x": 1}, 10**30, True]


@pytest.mark.parametrize("value", WRONG)
def test_wrong_types_to_every_page_handler_change_nothing(world, value):
    request_id = rf.new_request(world, S.SENT)
    page = _page(world.b_handler, request_id)
    call(RequestPageState.open_request, page)
    assert page.access == "ready" and {b["name"] for b in page.buttons} >= {"accept", "forward"}
    before = snapshot()
    call(RequestPageState.open_action, page, value)
    call(RequestPageState.set_dialog_open, page, value)
    for name in ("accept", "forward", "allocate"):
        page.dialog = name
        call(RequestPageState.do_action, page, value)
    page.dialog = "accept"
    call(RequestPageState.do_action, page, {"reply_choice": "other", "reply_date": value})
    page.dialog = "forward"
    call(RequestPageState.do_action, page, {"to_authority_id": value, "note": value})
    page.dialog = "allocate"
    call(RequestPageState.do_action, page, {f"alloc:{value}x": "on"})
    call(RequestPageState.submit_answer, page, value)
    call(RequestPageState.remove_file, page, value)
    call(RequestPageState.files_refused, page, value)
    call(RequestPageState.cancel_answer, page)
    assert snapshot() == before
    call(RequestPageState.open_request, page)
    assert page.access == "ready" and page.status == S.SENT


@pytest.mark.parametrize("value", WRONG)
def test_wrong_types_to_every_form_handler_change_nothing(world, value):
    before = snapshot()
    form = state_for(RequestFormState, cookie=cookie(world.a_handler), path="/requests/new")
    call(RequestFormState.open_new, form)
    assert form.access == "ready" and form.areas
    for handler in (RequestFormState.set_area, RequestFormState.search_responder, RequestFormState.choose_responder,
                    RequestFormState.set_intent, RequestFormState.remove_file, RequestFormState.files_refused):
        call(handler, form, value)
    call(RequestFormState.save, form, value)
    call(RequestFormState.save, form, {"subject": value, "proposed_reply_date": value, "person_kind": value,
                                       "person_birth_date": value, f"q:{value}": "on"})
    assert snapshot() == before
    assert form.access == "ready"


def test_wrong_types_to_an_answer_change_nothing(world):
    request_id = rf.new_request(world, S.ACCEPTED)
    page = _page(world.b_handler, request_id)
    call(RequestPageState.open_request, page)
    call(RequestPageState.open_action, page, "answer")
    assert page.answering
    before = snapshot()
    q = world.questions
    for form in ({f"answer_{q['q_authentic']}": "perhaps"}, {f"answer_{q['q_awarded']}": "31.02.2020"},
                 {"answer_999999": "yes"}, {"answer_x": "yes", "reply": ""}, {f"answer_{q['q_authentic']}": ["yes"]},
                 {"reply": {"x": 1}}, {"reply": "x" * 100_001}):
        call(RequestPageState.submit_answer, page, form)
        assert page.errors, form
    assert snapshot() == before


def test_a_stale_version_shows_the_conflict_and_changes_nothing(world):
    request_id = rf.new_request(world, S.SENT)
    page = _page(world.b_handler, request_id)
    call(RequestPageState.open_request, page)
    rf.step(rq.accept, world.b_handler2, request_id)  # a colleague was quicker
    before = snapshot()
    call(RequestPageState.open_action, page, "accept")
    assert page.dialog == "accept"
    events = call(RequestPageState.do_action, page, {"reply_choice": "proposed"})
    assert said(events, world.b_handler, STALE)
    assert snapshot() == before
    # The page shows what is true now: accepted, and "accept" is no longer offered.
    assert page.status == S.ACCEPTED and page.dialog == ""
    assert "accept" not in {b["name"] for b in page.buttons}


def test_a_stale_draft_form_shows_the_conflict_and_changes_nothing(world):
    request_id = rf.new_request(world, S.DRAFT)
    form = _page(world.a_handler, request_id, RequestFormState, "/edit")
    call(RequestFormState.open_edit, form)
    assert form.access == "ready" and form.draft["subject"]
    rf.step(rq.update_draft, world.a_handler2, request_id, data=rf.draft_input(world, subject="Changed meanwhile"))
    before = snapshot()
    events = call(RequestFormState.save, form, {"subject": "Mine", "person_full_name": "X"})
    assert said(events, world.a_handler, STALE)
    assert snapshot() == before
    assert rf.load(request_id).subject == "Changed meanwhile"


def test_the_steps_work_through_the_page(world):
    """The happy path through the handlers, so the page's wiring matches the services."""
    request_id = rf.new_request(world, S.SENT)
    page = _page(world.b_handler, request_id)
    call(RequestPageState.open_request, page)
    call(RequestPageState.open_action, page, "accept")
    call(RequestPageState.do_action, page, {"reply_choice": "other", "reply_date": ""})
    assert page.errors.get("reply_date") and rf.load(request_id).status == S.SENT
    call(RequestPageState.do_action, page, {"reply_choice": "proposed"})
    assert rf.load(request_id).status == S.ACCEPTED
    call(RequestPageState.open_action, page, "answer")
    answers = {f"answer_{k}": v for k, v in rf.answers_for(world).items()}
    call(RequestPageState.submit_answer, page, {**answers, "reply": "All fine."})
    assert rf.load(request_id).status == S.ANSWERED and page.status == S.ANSWERED
    mine = _page(world.a_handler, request_id)
    call(RequestPageState.open_request, mine)
    assert mine.questions[0]["answer"] == gettext(world.a_handler.language, "Yes")
    assert mine.info["reply"] == "All fine."
    call(RequestPageState.open_action, mine, "request_more_info")
    call(RequestPageState.do_action, mine, {"note": "Send the transcript, please."})
    assert rf.load(request_id).status == S.ACCEPTED


def test_every_dialog_reaches_its_step(world):
    """Forward, allocate, withdraw, return and approve: each dialog's fields reach the service."""
    rf.set_oversight(world.de_coord, world.pq, approve_answers=True)
    request_id = rf.new_request(world, S.SENT)
    responder = _page(world.b_handler, request_id)
    call(RequestPageState.open_request, responder)
    call(RequestPageState.open_action, responder, "forward")
    # Active authorities of the same country with the area, not itself (nor the one without the area).
    assert {int(c[0]) for c in responder.choices} == {world.b2.id, world.de_coord.id}
    call(RequestPageState.do_action, responder, {"to_authority_id": str(world.b2.id), "note": "Theirs."})
    assert rf.load(request_id).responding_authority_id == world.b2.id
    forwarded = _page(world.b2_handler, request_id)
    call(RequestPageState.open_request, forwarded)
    call(RequestPageState.open_action, forwarded, "accept")
    call(RequestPageState.do_action, forwarded, {"reply_choice": "other", "reply_date": rf.today().isoformat()})
    assert rf.load(request_id).status == S.ACCEPTED
    call(RequestPageState.open_action, forwarded, "answer")
    call(RequestPageState.submit_answer, forwarded, {f"answer_{k}": v for k, v in rf.answers_for(world).items()})
    assert rf.load(request_id).status == S.ANSWER_AWAITING_APPROVAL
    approver = _page(world.de_da, request_id)
    call(RequestPageState.open_request, approver)
    call(RequestPageState.open_action, approver, "reject_answer")
    call(RequestPageState.do_action, approver, {"reason": ""})
    assert approver.errors.get("reason") and rf.load(request_id).status == S.ANSWER_AWAITING_APPROVAL
    call(RequestPageState.do_action, approver, {"reason": "Check the date."})
    assert rf.load(request_id).status == S.ACCEPTED
    requester = _page(world.a_handler, request_id)
    call(RequestPageState.open_request, requester)
    call(RequestPageState.open_action, requester, "withdraw")
    call(RequestPageState.do_action, requester, {"reason": "Not needed any more."})
    assert rf.load(request_id).status == S.WITHDRAWN and requester.buttons == []


def test_a_step_after_which_the_request_is_out_of_sight_lands_on_the_task_list(world):
    """The coordinator approves: the request leaves their sight, so the page goes to the task list with the
    confirmation instead of turning into "not found"."""
    rf.set_oversight(world.hu_coord, world.pq, approve_requests=True)
    request_id = rf.new_request(world, S.SENT)
    assert rf.load(request_id).status == S.AWAITING_APPROVAL
    approver = _page(world.hu_da, request_id)
    call(RequestPageState.open_request, approver)
    assert approver.access == "ready" and "approve_request" in {b["name"] for b in approver.buttons}
    call(RequestPageState.open_action, approver, "approve_request")
    events = call(RequestPageState.do_action, approver, {})
    assert rf.load(request_id).status == S.SENT
    assert said(events, world.hu_da, STEPS["approve_request"].message(S.SENT))
    assert redirects(events) == ["/"]
    assert approver.access != "not_found" and approver.info == {} and approver.buttons == []


def test_allocation_through_the_page(world):
    request_id = rf.new_request(world, S.SENT)
    allocator = _page(world.b_allocator, request_id)
    call(RequestPageState.open_request, allocator)
    call(RequestPageState.open_action, allocator, "allocate")
    assert {int(c[0]) for c in allocator.choices} == {world.b_handler.id, world.b_handler2.id}
    call(RequestPageState.do_action, allocator, {f"alloc:{world.b_handler2.id}": "on"})
    assert allocator.info["allocated"] == world.b_handler2.full_name
    # The other handler no longer acts on it.
    other = _page(world.b_handler, request_id)
    call(RequestPageState.open_request, other)
    assert other.access == "ready" and "accept" not in {b["name"] for b in other.buttons}


def _download(user_cookie: str, attachment_id: object):
    from starlette.requests import Request

    from imi_app.web import download_file

    scope = {"type": "http", "method": "GET", "path": f"/files/{attachment_id}", "query_string": b"",
             "headers": [(b"cookie", user_cookie.encode())], "path_params": {"attachment_id": str(attachment_id)}}
    return asyncio.run(download_file(Request(scope)))


def test_files_are_streamed_only_to_those_who_may_see_them(world):
    request_id = rf.new_request(world, S.DRAFT)
    with session_scope() as session:
        info = save_attachment(session, actor=world.a_handler, request_id=request_id, filename="Übersicht ä.pdf",
                               data=b"%PDF-1.4 test")
    rf.advance(world, request_id, S.SENT)
    response = _download(cookie(world.b_handler), info.id)
    assert response.status_code == 200 and response.body == b"%PDF-1.4 test"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''%C3%9Cbersicht%20%C3%A4.pdf"
    assert response.headers["x-content-type-options"] == "nosniff" and response.headers["cache-control"] == "no-store"
    denied = denials(request_id)
    for who, target in ((cookie(world.c_handler), info.id), ("", info.id), ("imi_session=forged", info.id),
                        (cookie(world.b_handler), "1x"), (cookie(world.b_handler), 10**15)):
        response = _download(who, target)
        assert response.status_code == 404 and b"PDF" not in response.body
    assert denials(request_id) == denied + 1  # the stranger; the others never reached a request
