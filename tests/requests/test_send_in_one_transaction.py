""""Save and send" is one transaction: sent with the form's content, or nothing changed at all; and a Send click
costs no more SQL than it did as separate transactions."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from imi_app.core.db import get_engine
from imi_app.core.errors import ValidationFailed
from imi_app.requests import service
from imi_app.requests.ui.form_state import RequestFormState
from imi_app.requests.ui.request_page_state import RequestPageState
from tests.support import request_factories as rf
from tests.support.handlers import call, state_for, token_for

S = rf.S
# Before one action did it all: 51 statements for the click and 24 for opening the request page after it.
SEND_BEFORE = 51 + 24


BEGIN = "<begin>"


@contextmanager
def statements():
    """The SQL statements run meanwhile, with a BEGIN marker for each transaction (PostgreSQL's drivers
    start one without a statement of their own; SQLite's is the engine's BEGIN IMMEDIATE)."""
    seen: list[str] = []

    def on_statement(_conn, _cursor, statement, *_rest):
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    def on_begin(_conn):
        seen.append(BEGIN)

    engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", on_statement)
    sa.event.listen(engine, "begin", on_begin)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", on_statement)
        sa.event.remove(engine, "begin", on_begin)


def begins(seen: list[str]) -> int:
    return seen.count(BEGIN)


@pytest.fixture
def world(database):
    return rf.build_world()


def test_save_and_submit_is_one_transaction(world):
    request_id = rf.new_request(world, S.DRAFT)
    with statements() as seen:
        result = service.save_and_submit(actor=world.a_handler, request_id=request_id, expected_version=1,
                                         data=rf.draft_input(world, subject="Sent as saved"))
    assert begins(seen) == 1
    sent = rf.load(request_id)
    assert result.status == S.SENT and sent.status == S.SENT and sent.subject == "Sent as saved"


def test_a_refused_send_leaves_the_draft_as_it_was(world):
    request_id = rf.new_request(world, S.DRAFT)
    before = rf.load(request_id)
    with pytest.raises(ValidationFailed):  # saving alone would pass: the draft may be incomplete until sent
        service.save_and_submit(actor=world.a_handler, request_id=request_id, expected_version=before.version,
                                data=rf.draft_input(world, subject="Not saved either", proposed_reply_date=None))
    after = rf.load(request_id)
    assert (after.status, after.subject, after.version) == (S.DRAFT, before.subject, before.version)
    assert rf.audits("request.edit_draft") == []


def test_a_send_click_is_one_transaction_and_costs_no_more_sql(world):
    request_id = rf.new_request(world, S.DRAFT)
    cookie = f"imi_session={token_for(world.a_handler)}"
    form = state_for(RequestFormState, cookie=cookie, path=f"/requests/{request_id}/edit")
    call(RequestFormState.open_edit, form)
    call(RequestFormState.set_intent, form, "send")
    fields = {"subject": "Verification", "free_text": "Please.", "proposed_reply_date": form.draft["proposed_reply_date"],
              "person_kind": "person", "person_full_name": "Dr. Kiss", "person_birth_date": "1978-03-14",
              "person_nationality": "HU", **{f"q:{q['id']}": "on" for q in form.questions}}
    with statements() as click:
        call(RequestFormState.save, form, fields)
    assert rf.load(request_id).status == S.SENT
    page = state_for(RequestPageState, cookie=cookie, path=f"/requests/{request_id}")
    with statements() as reload:
        call(RequestPageState.open_request, page)
    assert page.status == S.SENT
    # The session and the menu are each looked up in a transaction of their own; the send is the third.
    assert begins(click) == 3
    assert len(click) + len(reload) <= SEND_BEFORE
