"""Handlers called straight over the event channel, without the page: each checks the session cookie
and the permission again, refuses, audits and changes nothing (SEC-10, SEC-11)."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from imi_app.core.db import session_scope
from imi_app.core.audit import AuditEntry
from imi_app.mail.models import OutboxMail
from imi_app.accounts.models import Role, User
from imi_app.authorities.ui.own_authority_state import AuthorityState
from imi_app.accounts.ui.user_form_state import UserFormState
from imi_app.accounts.ui.users_state import UsersState
from tests.support import factories as f
from tests.support.handlers import call, state_for, token_for as _token


def snapshot() -> tuple:
    with session_scope() as session:
        users = session.exec(select(User).order_by(User.id)).all()
        mails = session.exec(select(func.count()).select_from(OutboxMail)).one()
        return tuple((u.id, u.full_name, u.email, u.is_active, u.is_lda, u.password_hash) for u in users), mails


def denied_count() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "access.denied")).one()


@pytest.fixture
def people(database):
    area = f.area()
    home = f.authority("HU", areas=[area])
    other = f.authority("HU", areas=[area])
    return {
        "area": area,
        "basic": f.user(home, username="basic.user"),
        "lda": f.user(home, username="local.admin", is_lda=True),
        "colleague": f.user(home, username="colleague", roles={area.id: [Role.REQUEST_HANDLER]}),
        "stranger": f.user(other, username="stranger", is_lda=True),
    }


FORM = {"full_name": "Mallory", "family_name": "Mallory", "email": "mallory@example.org", "phone": "", "language": "en"}


def test_basic_user_calling_admin_handlers_changes_nothing(people):
    cookie = f"imi_session={_token(people['basic'])}"
    target = people["colleague"].id
    before = snapshot()
    users = state_for(UsersState, cookie=cookie, path="/admin/users")
    call(UsersState.open_users, users)
    assert users.users == [] and users.access != "ready"
    form = state_for(UserFormState, cookie=cookie, path="/admin/users/new")
    form.mode, form.access = "new", "ready"  # as if the page had been tricked into showing the form
    call(UserFormState.submit, form, dict(FORM))
    edit = state_for(UserFormState, cookie=cookie, path=f"/admin/users/{target}")
    edit.mode, edit.access = "edit", "ready"
    call(UserFormState.submit, edit, dict(FORM))
    call(UserFormState.create_password, edit)
    call(UserFormState.change_active, edit, False)
    assert snapshot() == before
    assert denied_count() >= 3


def test_lda_cannot_reach_a_user_of_another_authority_by_id(people):
    cookie = f"imi_session={_token(people['lda'])}"
    before = snapshot()
    stranger = people["stranger"].id
    edit = state_for(UserFormState, cookie=cookie, path=f"/admin/users/{stranger}")
    call(UserFormState.open_edit, edit)
    assert edit.access == "not_found" and edit.full_name == ""
    edit.mode, edit.access = "edit", "ready"
    call(UserFormState.create_password, edit)
    call(UserFormState.change_active, edit, False)
    call(UserFormState.submit, edit, dict(FORM))
    assert snapshot() == before
    assert denied_count() >= 3


@pytest.mark.parametrize("payload", [None, 5, "text", ["a"], {"full_name": {"x": 1}, "email": ["a@b.c"]},
                                     {"full_name": "x" * 10_000, "email": "a@b.c"},
                                     {"full_name": "Kiss\u202eÁgnes", "email": "a@b.c"},
                                     {"family_name": {"x": 1}, "given_name": ["Ágnes"], "email": "a@b.c"}])
def test_lda_handlers_survive_wrong_types_and_bad_input(people, payload):
    cookie = f"imi_session={_token(people['lda'])}"
    before = snapshot()
    form = state_for(UserFormState, cookie=cookie, path="/admin/users/new")
    call(UserFormState.open_new, form)
    call(UserFormState.submit, form, payload)
    edit = state_for(UserFormState, cookie=cookie, path="/admin/users/not-a-number")
    call(UserFormState.open_edit, edit)
    assert edit.access == "not_found"
    call(UserFormState.change_active, edit, "yes")
    authority = state_for(AuthorityState, cookie=cookie, path="/admin/authority")
    for handler in (AuthorityState.open_authority, ):
        call(handler, authority)
    assert snapshot() == before


def test_handlers_without_a_valid_session_send_to_login(people):
    for cookie in ("", "imi_session=forged-token", "imi_session=" + "x" * 5000, "garbage;;=="):
        edit = state_for(UserFormState, cookie=cookie, path=f"/admin/users/{people['colleague'].id}")
        events = call(UserFormState.create_password, edit)
        assert any("/login" in str(event) for event in events)


def test_lda_registers_edits_disables_and_renews_through_the_handlers(people):
    cookie = f"imi_session={_token(people['lda'])}"
    users = state_for(UsersState, cookie=cookie, path="/admin/users")
    call(UsersState.open_users, users)
    assert users.access == "ready" and users.total == 3
    form = state_for(UserFormState, cookie=cookie, path="/admin/users/new")
    call(UserFormState.open_new, form)
    assert form.access == "ready" and [row["id"] for row in form.areas] == [str(people["area"].id)]
    call(UserFormState.submit, form, dict(FORM) | {f"role:{people['area'].id}:allocator": "on"})
    assert form.errors == {} and form.new_username.startswith("hu.") and form.new_user_email == FORM["email"]
    target = people["colleague"].id
    edit = state_for(UserFormState, cookie=cookie, path=f"/admin/users/{target}")
    call(UserFormState.open_edit, edit)
    assert edit.access == "ready" and edit.account["id"] == target and edit.areas[0]["request_handler"]
    events = call(UserFormState.submit, edit, {"full_name": "Renamed Colleague", "email": "renamed@example.org",
                                               "phone": "", "language": "en"})
    assert edit.full_name == "Renamed Colleague" and not edit.areas[0]["request_handler"]
    assert any("toast" in str(event) for event in events)
    call(UserFormState.change_active, edit, False)
    assert edit.account["active"] is False and edit.account["status"] == "disabled"
    call(UserFormState.create_password, edit)
    assert f.reload(User, target).password_is_temporary and edit.access == "ready"


def test_lda_forms_and_search_refuse_a_lone_surrogate_and_change_nothing(people):
    surrogate = "\ud800"
    cookie = f"imi_session={_token(people['lda'])}"
    before = snapshot()
    form = state_for(UserFormState, cookie=cookie, path="/admin/users/new")
    call(UserFormState.open_new, form)
    call(UserFormState.submit, form, dict(FORM) | {"family_name": "Mallory" + surrogate, "phone": surrogate})
    assert form.errors == {"family_name": "This value is not valid.", "phone": "This value is not valid."}
    assert not form.busy
    users = state_for(UsersState, cookie=cookie, path="/admin/users")
    call(UsersState.open_users, users)
    call(UsersState.set_search, users, "Coll" + surrogate)
    assert users.access == "ready" and users.total == 3  # no search rather than a crash
    assert snapshot() == before
