"""The audit screen's handlers called straight over the event channel: each checks the session and the permission
again, so a basic user or another country's administrator gets nothing, and bad filters change nothing."""

from __future__ import annotations

import base64
import re

import pytest

from imi_app.audit_trail.ui.audit_state import AuditState
from imi_app.core import audit
from imi_app.core.db import session_scope
from tests.support import factories as f
from tests.support.handlers import call, state_for, token_for


@pytest.fixture
def people(database):
    area = f.area()
    home = f.authority("HU", areas=[area])
    other = f.authority("DE", areas=[area])
    people = {"basic": f.user(home, username="basic.user"), "lda": f.user(home, username="local.admin", is_lda=True),
              "stranger": f.user(other, username="stranger", is_lda=True)}
    with session_scope() as session:
        for n in range(3):
            entry = audit.record(session, action="user.update", actor=people["basic"], object_type="user",
                                 object_id=n, after={"full_name": f"Name {n}"})
        session.flush()
        people["entry"] = entry.id
    return people


def screen(user) -> AuditState:
    return state_for(AuditState, cookie=f"imi_session={token_for(user)}", path="/admin/audit")


def downloads(events) -> list:
    return [e for e in events if "download" in str(e)]


def downloaded(events) -> str:
    match = re.search(r"base64,([A-Za-z0-9+/=]+)", str(events))
    assert match, events
    return base64.b64decode(match.group(1)).decode("utf-8-sig")


def test_the_lda_reads_filters_opens_and_downloads(people):
    s = screen(people["lda"])
    call(AuditState.open_audit, s)
    assert s.access == "ready" and ["user.update", "user.update"] in s.actions
    assert [r["object"] for r in s.rows if r["action"] == "user.update"] == ["user 2", "user 1", "user 0"]
    call(AuditState.set_action_filter, s, "user.update")
    call(AuditState.apply_filters, s, {"actor": "basic.user", "object_id": "1"})
    assert [r["object"] for r in s.rows] == ["user 1"] and s.errors == {}
    call(AuditState.open_entry, s, str(people["entry"]))
    assert s.entry_open and '"Name 2"' in s.entry["after"]
    text = downloaded(call(AuditState.download_csv, s))
    assert text.count("user.update") == 1 and "Name 1" in text  # the filters shown


def test_basic_user_and_another_countrys_lda_get_nothing(people):
    for who in ("basic", "stranger"):
        s = screen(people[who])
        call(AuditState.open_audit, s)
        if who == "basic":
            assert s.access == "no_access" and s.rows == []
        assert not [r for r in s.rows if r["user"] == "basic.user"]  # the stranger sees only its own sign-in
        s.access = "ready"  # as if the page had been tricked into showing the list
        call(AuditState.apply_filters, s, {"actor": "basic.user"})
        call(AuditState.next_page, s)
        assert s.rows == []
        call(AuditState.open_entry, s, str(people["entry"]))
        assert s.entry == {} and not s.entry_open
        events = call(AuditState.download_csv, s)
        if who == "basic":
            assert not downloads(events)
        else:  # filtered by a user of another authority: nothing of it
            text = downloaded(events)
            assert text.startswith("Entry,") and "basic.user" not in text


def test_bad_filters_are_named_and_change_nothing(people):
    s = screen(people["lda"])
    call(AuditState.open_audit, s)
    shown = list(s.rows)
    call(AuditState.apply_filters, s, {"first_day": "2026-02-30", "last_day": "soon", "case_id": "x" * 30})
    assert set(s.errors) == {"first_day", "last_day", "case_id"} and s.rows == shown
    for payload in (None, 5, "text", ["a"], {"actor": {"x": 1}}):
        call(AuditState.apply_filters, s, payload)
    call(AuditState.open_entry, s, "not-a-number")
    assert s.entry == {}


def test_handlers_without_a_valid_session_send_to_login(people):
    for cookie in ("", "imi_session=forged-token", "garbage;;=="):
        s = state_for(AuditState, cookie=cookie, path="/admin/audit")
        for handler, args in ((AuditState.download_csv, ()), (AuditState.open_entry, (str(people["entry"]),))):
            events = call(handler, s, *args)
            assert any("/login" in str(event) for event in events) and not downloads(events)
