""""Save and send" is one transaction: sent with the form's content, or nothing changed at all; and a Send click
costs no more SQL than it did as separate transactions."""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path

import pytest
import reflex as rx
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
# Since then the step also keeps the request's scoreboard row (requests.figures): it reads the row and the
# timeline and writes the row, 3 statements more.
SEND_BEFORE = 51 + 24
FIGURES = 3
# The audit hash chain reads the newest entry's hash before a transaction writes entries (on PostgreSQL
# after taking the chain's advisory lock, a statement more): in the send, and in the page's reload.
AUDIT_CHAIN = {"sqlite": 2, "postgresql": 4}


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


def writing_transactions(seen: list[str]) -> int:
    """How many of the transactions wrote anything."""
    groups: list[list[str]] = []
    for statement in seen:
        if statement == BEGIN:
            groups.append([])
        elif groups:
            groups[-1].append(statement.lstrip().upper())
    return sum(any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in group) for group in groups)


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
    # The session is looked up in a read-only transaction; the send is the second, and the only one that writes.
    assert begins(click) == 2 and writing_transactions(click) == 1
    chain = AUDIT_CHAIN[get_engine().dialect.name]
    assert len(click) + len(reload) <= SEND_BEFORE + FIGURES + chain


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def chosen(name: str, data: bytes) -> rx.UploadFile:
    """A file as the browser's upload hands it to the handler."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def _send_form(form) -> dict:
    return {"subject": "Verification", "free_text": "Please.", "proposed_reply_date": form.draft["proposed_reply_date"],
            "person_kind": "person", "person_full_name": "Dr. Kiss", "person_birth_date": "1978-03-14",
            "person_nationality": "HU", "file_count": "1", **{f"q:{q['id']}": "on" for q in form.questions}}


@pytest.mark.parametrize("intent", ["send", "draft"])
def test_a_click_with_files_saves_the_draft_its_files_and_the_sending_in_one_transaction(world, intent):
    request_id = rf.new_request(world, S.DRAFT)
    cookie = f"imi_session={token_for(world.a_handler)}"
    form = state_for(RequestFormState, cookie=cookie, path=f"/requests/{request_id}/edit")
    call(RequestFormState.open_edit, form)
    call(RequestFormState.set_intent, form, intent)
    with statements() as click:
        call(RequestFormState.save, form, _send_form(form))  # the browser is asked to send the files
        assert rf.load(request_id).subject != "Verification"  # nothing saved before they arrive
        call(RequestFormState.attach_selected, form, [chosen("diploma.pdf", PDF)])
    saved = rf.load(request_id)
    assert saved.subject == "Verification"
    assert saved.status == (S.SENT if intent == "send" else S.DRAFT)
    assert [a.original_name for a in rf.attachments(request_id)] == ["diploma.pdf"]
    # The session and the menu are read in transactions of their own on each event; one writes.
    assert writing_transactions(click) == 1


def test_a_refused_file_saves_nothing_at_all(world):
    request_id = rf.new_request(world, S.DRAFT)
    before = rf.load(request_id)
    cookie = f"imi_session={token_for(world.a_handler)}"
    form = state_for(RequestFormState, cookie=cookie, path=f"/requests/{request_id}/edit")
    call(RequestFormState.open_edit, form)
    call(RequestFormState.set_intent, form, "send")
    call(RequestFormState.save, form, _send_form(form))
    events = call(RequestFormState.attach_selected, form, [chosen("diploma.pdf", PDF), chosen("run.exe", b"MZ\x90\x00")])
    after = rf.load(request_id)
    assert (after.status, after.subject, after.version) == (S.DRAFT, before.subject, before.version)
    assert rf.attachments(request_id) == []
    assert form.file_error.startswith("run.exe: ") and events


def test_an_upload_without_a_submitted_form_changes_nothing(world):
    request_id = rf.new_request(world, S.DRAFT)
    cookie = f"imi_session={token_for(world.a_handler)}"
    form = state_for(RequestFormState, cookie=cookie, path=f"/requests/{request_id}/edit")
    call(RequestFormState.open_edit, form)
    call(RequestFormState.attach_selected, form, [chosen("diploma.pdf", PDF)])
    assert rf.attachments(request_id) == []
