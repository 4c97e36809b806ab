"""The task list and the requests overview driven through their real states with a real session cookie:
wrong argument types change nothing, no session means the login page, the CSV carries no personal data."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest

from imi_app.core.db import session_scope
from imi_app.requests.models import InfoRequest
from imi_app.requests.queries import TASK_PAGE, task_list
from imi_app.requests.ui.home_state import HomeState
from imi_app.requests.ui.overview_state import ALL, PAGE_SIZE, OverviewState
from tests.support import request_factories as rf
from tests.support.handlers import call, state_for, token_for as _token

S = rf.S
WRONG = [None, 5, 2.5, True, ["sent"], {"status": "sent"}, "", "nope", "x" * 5000, "<script>alert(1)</script>"]


def redirected_to_login(events: list) -> bool:
    return any("/login" in str(event) for event in events)


_COOKIES: dict[int, str] = {}


def cookie(user) -> str:
    """One sign-in per user and test (the next sign-in asks for other characters of the code)."""
    if user.id not in _COOKIES:
        _COOKIES[user.id] = f"imi_session={_token(user)}"
    return _COOKIES[user.id]


@pytest.fixture
def world(database):
    _COOKIES.clear()
    return rf.build_world()


def home_of(user) -> HomeState:
    home = state_for(HomeState, cookie=cookie(user), path="/")
    call(HomeState.open_home, home)
    return home


def overview_of(user) -> OverviewState:
    state = state_for(OverviewState, cookie=cookie(user), path="/requests")
    call(OverviewState.open_overview, state)
    return state


def filters_of(state: OverviewState) -> tuple:
    return (state.status, state.area, state.direction, state.country, state.handler, state.created_from,
            state.created_to, state.overdue, state.search, state.sort, state.page)


def test_task_list_shows_incoming_requests_with_counts_and_filters_by_kind(world):
    sent = rf.new_request(world, S.SENT)
    answered = rf.new_request(world, S.ANSWERED, subject="Good standing of a dentist")
    home = home_of(world.b_handler)
    assert home.tasks_loaded and home.can_create_request
    assert [t["case_id"] for t in home.shown_tasks if t["kind"] == "accept_incoming"] == [rf.load(sent).case_id]
    counts = {c["kind"]: c["count"] for c in home.task_counts}
    assert counts["accept_incoming"] == "1" and counts["review_answer"] == "0"
    assert "approve_request" not in counts  # a handler is no coordinator: no card for approvals
    row = home.shown_tasks[0]
    assert row["href"] == f"/requests/{sent}" and row["counterpart"] == "Magyar Orvosi Kamara"
    assert row["country"] == "Hungary" and row["deadline"] and not row["overdue"]

    requester = home_of(world.a_handler)
    assert [t["id"] for t in requester.shown_tasks] == [answered]
    call(HomeState.filter_kind, requester, "accept_incoming")
    assert requester.kind_filter == "accept_incoming" and requester.shown_tasks == []
    call(HomeState.filter_kind, requester, "accept_incoming")  # the same card again: every kind
    assert requester.kind_filter == "" and len(requester.shown_tasks) == 1
    assert "Dr. Kiss" not in str(requester.shown_tasks)


def test_the_minute_timer_reads_the_list_again_only_when_it_is_a_minute_old(world):
    first = rf.new_request(world, S.SENT)
    home = home_of(world.b_handler)
    second = rf.new_request(world, S.SENT, subject="Licence of a dentist")
    call(HomeState.refresh_tasks, home)  # the timer's first tick, as the page mounts: no second read
    assert [t["id"] for t in home.shown_tasks] == [first]
    home._loaded_at -= 60
    call(HomeState.refresh_tasks, home)
    assert sorted(t["id"] for t in home.shown_tasks) == sorted([first, second])
    third = rf.new_request(world, S.SENT, subject="Licence of a nurse")
    call(HomeState.reload_tasks, home)  # the refresh button reads at once
    assert sorted(t["id"] for t in home.shown_tasks) == sorted([first, second, third])


def test_the_task_list_comes_a_page_at_a_time(world):
    ids = [rf.new_request(world, S.SENT, subject=f"Diploma {n:02d}") for n in range(TASK_PAGE + 5)]
    home = home_of(world.b_handler)
    assert len(home.shown_tasks) == TASK_PAGE and home.tasks_have_next and home.task_page == 1
    assert home.task_total == str(TASK_PAGE + 5) and home.task_counter == f"1–{TASK_PAGE} of {TASK_PAGE + 5}"
    first_page = [t["id"] for t in home.shown_tasks]
    call(HomeState.next_tasks, home)
    assert home.task_page == 2 and not home.tasks_have_next and len(home.shown_tasks) == 5
    assert sorted(first_page + [t["id"] for t in home.shown_tasks]) == sorted(ids)
    call(HomeState.next_tasks, home)  # there is no third page
    assert home.task_page == 2
    call(HomeState.previous_tasks, home)
    assert [t["id"] for t in home.shown_tasks] == first_page


def test_task_counts_stop_at_the_cap(world, monkeypatch):
    monkeypatch.setattr("imi_app.requests.queries.COUNT_CAP", 3)
    monkeypatch.setattr("imi_app.requests.ui.home_state.COUNT_CAP", 3)
    monkeypatch.setattr("imi_app.requests.ui.home_state.TASK_PAGE", 2)
    for n in range(6):
        rf.new_request(world, S.SENT, subject=f"Diploma {n}")
    board = rf.run(task_list, actor=world.b_handler, limit=2)
    assert board.counts["accept_incoming"] == 4 and board.has_next  # 3 + 1: enough to say "3+"
    assert not rf.run(task_list, actor=world.b_handler, limit=2, page=2).has_next
    home = home_of(world.b_handler)
    assert home.task_total == "3+" and {c["kind"]: c["count"] for c in home.task_counts}["accept_incoming"] == "3+"
    assert home.task_counter == "1–2 of more than 3"


def test_overdue_tasks_are_marked(world):
    request_id = rf.new_request(world, S.SENT)
    with session_scope() as session:
        request = session.get(InfoRequest, request_id)
        request.deadline = rf.today() - timedelta(days=3)
        session.add(request)
    home = home_of(world.b_handler)
    task = home.shown_tasks[0]
    assert task["overdue"] and task["due_text"] == "Overdue by 3 days"
    overview = overview_of(world.b_handler)
    call(OverviewState.set_overdue, overview, True)
    assert [r["id"] for r in overview.rows] == [request_id] and overview.rows[0]["overdue"]


def test_a_basic_user_has_no_new_request_button_and_nothing_to_do(world):
    rf.new_request(world, S.SENT)
    home = home_of(world.b_basic)
    assert home.shown_tasks == [] and home.task_total == "0" and not home.can_create_request
    assert home.user_name and home.area_roles  # the welcome card still says who and what


@pytest.mark.parametrize("value", WRONG)
def test_task_list_filter_survives_wrong_types(world, value):
    rf.new_request(world, S.SENT)
    home = home_of(world.b_handler)
    before = (home.kind_filter, list(home.shown_tasks), list(home.task_counts))
    call(HomeState.filter_kind, home, value)
    assert (home.kind_filter, home.shown_tasks, home.task_counts) == before


@pytest.mark.parametrize("value", WRONG)
def test_overview_filters_survive_wrong_types(world, value):
    sent = rf.new_request(world, S.SENT)
    rf.new_request(world, S.DRAFT, subject="A draft about a nurse")
    state = overview_of(world.a_handler)
    assert {r["id"] for r in state.rows} >= {sent}
    before, rows = filters_of(state), list(state.rows)
    for handler in (OverviewState.set_status, OverviewState.set_area, OverviewState.set_direction,
                    OverviewState.set_country, OverviewState.set_handler, OverviewState.set_sort):
        call(handler, state, value)
        assert filters_of(state) == before, handler
    if not isinstance(value, bool):
        call(OverviewState.set_overdue, state, value)
    if not isinstance(value, str):
        for handler in (OverviewState.set_search, OverviewState.set_created_from, OverviewState.set_created_to):
            call(handler, state, value)
    assert filters_of(state) == before and state.rows == rows


def test_overview_refuses_a_bad_date_without_changing_the_filter(world):
    rf.new_request(world, S.SENT)
    state = overview_of(world.a_handler)
    rows = list(state.rows)
    call(OverviewState.set_created_from, state, "2026-02-31")
    assert state.created_from == "" and state.rows == rows and state.errors["created_from"]
    call(OverviewState.set_created_from, state, rf.today().isoformat())
    assert state.created_from == rf.today().isoformat() and state.errors == {} and len(state.rows) == 1
    call(OverviewState.set_created_to, state, "2000-01-01")
    assert state.rows == []


def test_overview_filters_search_and_direction(world):
    sent = rf.new_request(world, S.SENT)
    draft = rf.new_request(world, S.DRAFT, subject="Registration of a pharmacist")
    state = overview_of(world.a_handler)
    assert {r["id"] for r in state.rows} == {sent, draft}
    call(OverviewState.set_status, state, S.SENT)
    assert [r["id"] for r in state.rows] == [sent] and state.rows[0]["status_label"]
    call(OverviewState.clear_filters, state)
    call(OverviewState.set_search, state, "PHARMAC")
    assert [r["id"] for r in state.rows] == [draft]
    call(OverviewState.set_search, state, rf.load(sent).case_id.lower())
    assert [r["id"] for r in state.rows] == [sent]
    call(OverviewState.clear_filters, state)
    call(OverviewState.set_direction, state, "incoming")
    assert state.rows == []

    responder = overview_of(world.b_handler)  # the draft is not the responder's to see
    assert [r["id"] for r in responder.rows] == [sent] and responder.rows[0]["direction"] == "incoming"
    stranger = overview_of(world.c_handler)
    call(OverviewState.set_search, stranger, rf.load(sent).case_id)
    assert stranger.rows == []


def test_overview_pages_by_keyset_forwards_and_back(world):
    ids = {rf.new_request(world, S.DRAFT, subject=f"Paging check {n:02d}") for n in range(PAGE_SIZE + 2)}
    state = overview_of(world.a_handler)
    call(OverviewState.set_sort, state, "created_at")
    first = [r["id"] for r in state.rows]
    assert len(first) == PAGE_SIZE and state.has_next and not state.has_previous
    call(OverviewState.next_page, state)
    second = [r["id"] for r in state.rows]
    assert state.page == 2 and len(second) == 2 and not state.has_next and state.has_previous
    assert set(first) | set(second) == ids and not set(first) & set(second)
    call(OverviewState.next_page, state)  # no further page: stays
    assert state.page == 2 and [r["id"] for r in state.rows] == second
    call(OverviewState.previous_page, state)
    assert state.page == 1 and [r["id"] for r in state.rows] == first
    call(OverviewState.previous_page, state)
    assert state.page == 1 and [r["id"] for r in state.rows] == first
    call(OverviewState.set_status, state, S.DRAFT)  # a filter starts again from the first page
    assert state.page == 1 and state.status == S.DRAFT


def _downloaded(events: list) -> str:
    match = re.search(r"base64,([A-Za-z0-9+/=]+)", str(events))
    assert match, events
    return base64.b64decode(match.group(1)).decode("utf-8-sig")


def test_csv_export_has_the_rows_and_no_personal_data(world):
    sent = rf.new_request(world, S.SENT)
    rf.new_request(world, S.DRAFT, subject="=HYPERLINK(\"http://evil.example\")")
    state = overview_of(world.a_handler)
    text = _downloaded(call(OverviewState.export_csv, state))
    assert rf.load(sent).case_id in text and "Verification of a medical diploma" in text
    for personal in ("Dr. Kiss János", "1978-03-14", "Please confirm the diploma.", "Twelve years"):
        assert personal not in text
    assert "'=HYPERLINK" in text  # a spreadsheet shows it as text instead of running it
    assert "imi-requests.csv" in str(call(OverviewState.export_csv, state))

    call(OverviewState.set_status, state, S.DRAFT)  # the same filters as the list
    filtered = _downloaded(call(OverviewState.export_csv, state))
    assert rf.load(sent).case_id not in filtered and "HYPERLINK" in filtered

    stranger = overview_of(world.c_handler)
    assert rf.load(sent).case_id not in _downloaded(call(OverviewState.export_csv, stranger))


@pytest.mark.parametrize("session_cookie", ["", "imi_session=forged-token", "imi_session=" + "x" * 5000, "garbage;;=="])
def test_without_a_session_every_handler_sends_to_login(world, session_cookie):
    rf.new_request(world, S.SENT)
    home = state_for(HomeState, cookie=session_cookie, path="/")
    for handler, args in ((HomeState.open_home, ()), (HomeState.refresh_tasks, ()), (HomeState.reload_tasks, ()),
                          (HomeState.filter_kind, ("accept_incoming",))):
        assert redirected_to_login(call(handler, home, *args)), handler
    assert home.shown_tasks == [] and home.task_counts == []
    state = state_for(OverviewState, cookie=session_cookie, path="/requests")
    state.access = "ready"  # as if the page had been tricked into showing the list
    for handler, args in ((OverviewState.open_overview, ()), (OverviewState.set_status, (ALL,)),
                          (OverviewState.set_search, ("diploma",)), (OverviewState.next_page, ()),
                          (OverviewState.previous_page, ()), (OverviewState.export_csv, ())):
        events = call(handler, state, *args)
        assert redirected_to_login(events), handler
        assert "base64" not in str(events)
    assert state.rows == []
