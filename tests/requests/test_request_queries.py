"""Reading requests: the task list per role, the overview's filters, search and keyset pages, CSV, the detail page."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from imi_app.core.db import session_scope
from imi_app.requests.models import InfoRequest, RequestStatus
from imi_app.requests import actions as rq
from imi_app.core.errors import ValidationFailed
from imi_app.requests.overview import OverviewFilters, overview
from imi_app.requests.export import export_overview_csv
from imi_app.requests.detail import request_detail
from imi_app.requests.queries import task_list
from imi_app.requests.inputs import PersonInput
from tests.support import request_factories as rf

S = RequestStatus


@pytest.fixture
def w(database):
    return rf.build_world()


def _set(request_id, **values):
    with session_scope() as session:
        request = session.get(InfoRequest, request_id)
        for name, value in values.items():
            setattr(request, name, value)


# --- task list ---------------------------------------------------------------------------------

def test_task_list_per_role(w):
    incoming = rf.new_request(w, S.SENT)
    allocated_elsewhere = rf.new_request(w, S.SENT)
    rf.step(rq.allocate, w.b_allocator, allocated_elsewhere, user_ids=[w.b_handler2.id])
    due_soon = rf.new_request(w, S.ACCEPTED)
    _set(due_soon, deadline=rf.today() + timedelta(days=3))
    overdue = rf.new_request(w, S.ACCEPTED)
    _set(overdue, deadline=rf.today() - timedelta(days=1))
    far = rf.new_request(w, S.ACCEPTED)
    _set(far, deadline=rf.today() + timedelta(days=30))
    answered, insisted = rf.new_request(w, S.ANSWERED), rf.new_request(w, S.INSISTED)
    referral = rf.new_request(w, S.IN_REFERRAL)
    rf.new_request(w, S.CLOSED)

    mine = rf.run(task_list, actor=w.b_handler)
    assert [(i.kind, i.request_id) for i in mine.items] == [
        ("reply_due", overdue), ("reply_due", due_soon), ("accept_incoming", incoming)]
    assert mine.counts["accept_incoming"] == 1 and mine.counts["reply_due"] == 2 and mine.total == 3
    assert mine.items[0].overdue and not mine.items[1].overdue
    assert mine.items[0].counterpart_name == "Magyar Orvosi Kamara" and mine.items[0].counterpart_country == "HU"
    assert {i.request_id for i in rf.run(task_list, actor=w.b_handler2).items} >= {allocated_elsewhere, incoming}

    requester = rf.run(task_list, actor=w.a_handler)
    assert {(i.kind, i.request_id) for i in requester.items} == {("review_answer", answered),
                                                                 ("review_answer", insisted)}
    assert requester.items[0].counterpart_name == "Ärztekammer Berlin"
    assert rf.run(task_list, actor=w.a_basic).total == 0
    assert rf.run(task_list, actor=w.b_allocator).total == 0
    assert [(i.kind, i.request_id) for i in rf.run(task_list, actor=w.hu_da).items] == [("give_opinion", referral)]
    assert rf.run(task_list, actor=w.c_handler).total == 0


def test_task_list_limit_keeps_counts(w):
    for _ in range(4):
        rf.new_request(w, S.SENT)
    tasks = rf.run(task_list, actor=w.b_handler, limit=2)
    assert len(tasks.items) == 2 and tasks.counts["accept_incoming"] == 4


# --- overview ----------------------------------------------------------------------------------

def _ids(actor, **kwargs):
    return [r.request_id for r in rf.run(overview, actor=actor, limit=500, **kwargs).rows]


def test_overview_filters_and_search(w):
    outgoing = rf.new_request(w, S.SENT, subject="Árvíztűrő diploma check")
    closed = rf.new_request(w, S.CLOSED, subject="Good standing certificate")
    draft = rf.new_request(w, S.DRAFT, subject="Licence =cmd")
    # An incoming one for authority A: from C (AT).
    incoming = rf.run(rq.create_draft, actor=w.c_handler, data=rf.draft_input(
        w, responding_authority_id=w.a.id, subject="Austrian request")).request_id
    rf.step(rq.submit, w.c_handler, incoming)
    _set(outgoing, deadline=rf.today() - timedelta(days=2))
    _set(closed, created_at=datetime(2025, 1, 10, tzinfo=UTC))

    assert set(_ids(w.a_handler)) == {outgoing, closed, draft, incoming}
    assert _ids(w.a_handler, filters=OverviewFilters(direction="incoming")) == [incoming]
    assert set(_ids(w.a_handler, filters=OverviewFilters(direction="outgoing"))) == {outgoing, closed, draft}
    assert _ids(w.a_handler, filters=OverviewFilters(status=S.CLOSED)) == [closed]
    assert _ids(w.a_handler, filters=OverviewFilters(country="at")) == [incoming]
    assert set(_ids(w.a_handler, filters=OverviewFilters(country="DE"))) == {outgoing, closed, draft}
    assert _ids(w.a_handler, filters=OverviewFilters(overdue=True)) == [outgoing]
    assert _ids(w.a_handler, filters=OverviewFilters(created_to="2025-12-31")) == [closed]
    assert closed not in _ids(w.a_handler, filters=OverviewFilters(created_from=rf.today().isoformat()))
    assert _ids(w.a_handler, filters=OverviewFilters(search="ARVIZTURO")) == [outgoing]
    assert _ids(w.a_handler, filters=OverviewFilters(search="árvíztűrő DIPLOMA")) == [outgoing]
    assert _ids(w.a_handler, filters=OverviewFilters(search="100%_")) == []
    case_id = rf.load(closed).case_id
    assert _ids(w.a_handler, filters=OverviewFilters(search=case_id.lower())) == [closed]
    assert _ids(w.a_handler, filters=OverviewFilters(area_id=w.svc.id)) == []
    # The responder sees only what was sent to it; never another authority's drafts.
    assert set(_ids(w.b_handler)) == {outgoing, closed}
    rf.step(rq.allocate, w.b_allocator, outgoing, user_ids=[w.b_handler2.id])
    assert _ids(w.b_handler, filters=OverviewFilters(handler_id=w.b_handler2.id)) == [outgoing]
    row = rf.run(overview, actor=w.b_handler, filters=OverviewFilters(handler_id=w.b_handler2.id)).rows[0]
    assert row.handlers == (w.b_handler2.full_name,) and row.direction == "incoming" and row.overdue


@pytest.mark.parametrize("bad", [OverviewFilters(status="nonsense"), OverviewFilters(direction="sideways"),
                                 OverviewFilters(country="Hungary"), OverviewFilters(created_from="yesterday"),
                                 OverviewFilters(search="x" * 201), OverviewFilters(area_id="1")])
def test_overview_refuses_bad_filters(w, bad):
    with pytest.raises(ValidationFailed):
        rf.run(overview, actor=w.a_handler, filters=bad)


@pytest.mark.parametrize("sort", ["updated_at", "created_at", "deadline"])
def test_keyset_pages_have_no_duplicates_or_gaps(w, sort):
    ids = [rf.new_request(w, S.SENT if i % 3 else S.DRAFT) for i in range(17)]
    incoming = rf.run(rq.create_draft, actor=w.c_handler, data=rf.draft_input(
        w, responding_authority_id=w.a.id)).request_id
    rf.step(rq.submit, w.c_handler, incoming)
    ids.append(incoming)
    same = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for position, request_id in enumerate(ids):  # ties on the sort value, and missing deadlines
        _set(request_id, updated_at=same if position % 2 else same + timedelta(minutes=position),
             created_at=same, deadline=None if position % 4 == 0 else rf.today() + timedelta(days=position % 5))
    seen, cursor, pages = [], None, 0
    while True:
        page = rf.run(overview, actor=w.a_handler, sort=sort, after=cursor, limit=4)
        seen.extend(r.request_id for r in page.rows)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == len(ids) and set(seen) == set(ids)
    assert seen == _ids(w.a_handler, sort=sort) and pages == 5
    assert rf.run(overview, actor=w.a_handler, sort=sort, after="garbage", limit=4).rows[0].request_id == seen[0]


# --- CSV ---------------------------------------------------------------------------------------

def test_csv_export_has_no_personal_data_and_escapes_formulas(w):
    rf.new_request(w, S.ANSWERED, subject="=HYPERLINK(\"http://evil\")",
                   person=PersonInput(full_name="Dr. Secret Person", address="Titkos utca 1."),
                   free_text="Confidential free text")
    rf.new_request(w, S.SENT, subject="@SUM(A1)")
    text = rf.run(export_overview_csv, actor=w.a_handler, language="en")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Case id", "Subject", "Status"] and len(rows) == 3
    subjects = {r[1] for r in rows[1:]}
    assert subjects == {"'=HYPERLINK(\"http://evil\")", "'@SUM(A1)"}
    for secret in ("Dr. Secret Person", "Titkos", "Confidential free text", "Twelve years", "1978"):
        assert secret not in text
    only_sent = rf.run(export_overview_csv, actor=w.a_handler, filters=OverviewFilters(status=S.SENT))
    assert len(list(csv.reader(io.StringIO(only_sent)))) == 2


# --- detail ------------------------------------------------------------------------------------

def test_detail_reads_questions_in_the_readers_language_and_lists_only_allowed_actions(w):
    request_id = rf.new_request(w, S.SENT)
    hungarian = rf.run(request_detail, actor=w.a_handler, request_id=request_id, language="hu")
    assert hungarian.questions[0].text == "A csatolt oklevél hiteles?"
    assert hungarian.person.full_name == "Dr. Kiss János"
    assert set(hungarian.actions) == {"withdraw"}
    german = rf.run(request_detail, actor=w.b_handler, request_id=request_id, language="de")
    assert german.questions[0].text == "Is the diploma attached authentic?"  # English when not translated
    assert set(german.actions) == {"forward", "accept"}
    assert [e.kind for e in german.timeline] == ["sent"]  # drafting stays with the requesting side
    assert [e.kind for e in hungarian.timeline] == ["created", "sent"]
    allocator = rf.run(request_detail, actor=w.b_allocator, request_id=request_id, language="en")
    assert allocator.actions == ("allocate",)
    assert german.version == 2 and german.case_id == hungarian.case_id


def test_detail_shows_answers_side_by_side_once_released(w):
    request_id = rf.new_request(w, S.ANSWERED)
    view = rf.run(request_detail, actor=w.a_handler, request_id=request_id, language="en")
    assert [(q.answer_type, q.answer) for q in view.questions] == [
        ("yes_no", "yes"), ("date", "2004-06-30"), ("text", "Twelve years as a surgeon.")]
    assert view.reply == "See the answers." and set(view.actions) == {"accept_answer", "request_more_info"}


def test_hostile_search_text_is_just_text(w):
    rf.new_request(w, S.SENT)
    for text in ("' OR 1=1--", "%", "_", "\\", "<script>alert(1)</script>"):
        assert _ids(w.a_handler, filters=OverviewFilters(search=text)) == []
