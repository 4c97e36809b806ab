"""User administration services on a real database: register, edit, new passwords, access, outbox view."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.core.i18n import available_languages
from imi_app.core.audit import AuditEntry
from imi_app.mail.models import OutboxMail
from imi_app.accounts.models import Role, RoleAssignment, User, UserSession
from imi_app.core.time import as_utc, utcnow
from imi_app.accounts import auth, user_views
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from imi_app.accounts.outbox import list_authority_mail
from imi_app.accounts.users import (
    UserInput, generate_username, get_user_for_edit, issue_new_password, list_users, register_user, set_active, update_user,
)
from tests.support import factories as f


@pytest.fixture
def world(database):
    """Two HU authorities under one coordinator, one DE authority, an LDA and a basic user in A."""
    pq, svc, other = f.area("professional_qualifications"), f.area("services"), f.area("other_area")
    coordinator = f.authority("HU", areas=[pq, svc], is_coordinator=True)
    a = f.authority("HU", areas=[pq, svc], coordinator=coordinator)
    b = f.authority("HU", areas=[pq], coordinator=coordinator)
    de_coordinator = f.authority("DE", areas=[pq], is_coordinator=True)
    de = f.authority("DE", areas=[pq], coordinator=de_coordinator)
    return {
        "pq": pq, "svc": svc, "other": other, "a": a, "b": b, "de": de,
        "lda": f.user(a, is_lda=True), "basic": f.user(a), "b_lda": f.user(b, is_lda=True),
        "b_basic": f.user(b), "de_lda": f.user(de, is_lda=True),
        "data_admin": f.user(coordinator, is_lda=True, roles={pq.id: [Role.DATA_ADMINISTRATOR]}),
        "de_data_admin": f.user(de_coordinator, is_lda=True, roles={pq.id: [Role.DATA_ADMINISTRATOR]}),
    }


def _input(**changes) -> UserInput:
    values = {"full_name": "Kiss Ágnes", "family_name": "Kiss", "given_name": "Ágnes",
              "email": "agnes.kiss@example.hu", "phone": "+36 1 555 0199",
              "language": available_languages()[-1], "is_lda": False, "roles": {}}
    values.update(changes)
    return UserInput(**values)


def _register(actor: User, **changes) -> User:
    return register_user(actor=actor, data=_input(**changes))


def _count(model) -> int:
    with session_scope() as session:
        return len(session.exec(select(model)).all())


def _audit(action: str) -> list[AuditEntry]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def _mails(user_id: int) -> list[OutboxMail]:
    with session_scope() as session:
        return list(session.exec(select(OutboxMail).where(OutboxMail.user_id == user_id)).all())


def _temporary_password(mail: OutboxMail) -> str:
    # Temporary passwords are 20 characters of an alphabet without look-alikes, in any language.
    return re.search(r"\b([A-HJ-NP-Za-km-z2-9]{20})\b", mail.body_text).group(1)


# --- registering ------------------------------------------------------------------------------

@pytest.mark.parametrize(("country", "full_name", "start"), [
    ("HU", "Kiss Ágnes", "hu.kiss"), ("HU", "Dr. Szűcs Márta", "hu.szucs"), ("HU", "Nagy-Tóth Éva Anna", "hu.nagytoth"),
    ("DE", "Anna Schmidt", "de.schmidt"), ("AT", "Prof. Dr. Lukas Huber", "at.huber"), ("DE", "Dr.", "de.dr"),
])
def test_the_generated_username_takes_the_family_name_as_the_country_writes_names(database, country, full_name,
                                                                                   start):
    with session_scope() as session:
        username = generate_username(session, full_name, country)
    assert re.fullmatch(rf"{re.escape(start)}\d{{4}}", username), username


def test_register_creates_user_with_roles_and_temporary_password(world):
    pq, svc = world["pq"], world["svc"]
    user = _register(world["lda"], roles={pq.id: [Role.REQUEST_HANDLER, Role.ALLOCATOR], svc.id: []})
    stored = f.reload(User, user.id)
    assert stored.authority_id == world["a"].id and re.fullmatch(r"hu\.[a-z]+\d{4}", stored.username)
    assert stored.password_is_temporary and stored.password_hash.startswith("$2b$")
    expires = as_utc(stored.temp_password_expires_at) - utcnow()
    assert timedelta(hours=71, minutes=59) < expires <= timedelta(hours=72)
    with session_scope() as session:
        roles = session.exec(select(RoleAssignment.role).where(RoleAssignment.user_id == user.id)).all()
    assert sorted(roles) == [Role.ALLOCATOR, Role.REQUEST_HANDLER]


def test_register_mails_the_password_in_the_users_language_never_the_username(world):
    user = _register(world["lda"])
    [mail] = _mails(user.id)
    assert mail.kind == "temporary_password" and mail.recipient == "agnes.kiss@example.hu"
    assert mail.language == available_languages()[-1]
    assert user.username not in mail.body_text and user.username not in mail.subject
    password = _temporary_password(mail)
    assert auth.check_password(user.username, password).ticket  # the mailed password works once


def test_register_audit_row_has_no_secret(world):
    user = _register(world["lda"])
    password = _temporary_password(_mails(user.id)[0])
    [entry] = _audit("user.register")
    assert entry.actor_user_id == world["lda"].id and entry.object_id == str(user.id)
    dumped = json.dumps([entry.before, entry.after])
    assert password not in dumped and "password" not in dumped and "$2b$" not in dumped


def test_duplicate_email_is_refused_case_insensitively_and_nothing_changes(world):
    _register(world["lda"])
    users, mails = _count(User), _count(OutboxMail)
    with pytest.raises(ValidationFailed) as error:
        _register(world["lda"], family_name="Person", given_name="Other", email="  AGNES.Kiss@Example.HU ")
    assert set(error.value.errors) == {"email"}
    assert (_count(User), _count(OutboxMail)) == (users, mails)


def test_role_in_an_area_the_authority_lacks_is_refused(world):
    with pytest.raises(ValidationFailed) as error:
        _register(world["lda"], roles={world["other"].id: [Role.REQUEST_HANDLER]})
    assert error.value.errors == {"roles": "Your authority does not work in this legislative area."}
    with pytest.raises(ValidationFailed) as error:
        _register(world["lda"], roles={world["pq"].id: [Role.DATA_ADMINISTRATOR]})
    assert set(error.value.errors) == {"roles"}


@pytest.mark.parametrize("field,value", [
    ("family_name", ""), ("family_name", "   "), ("family_name", "x" * 101), ("family_name", "Kiss\x00"),
    ("family_name", "Kiss\u202e"), ("given_name", "Ágnes\u2067"), ("given_name", "x" * 101),
    ("email", "not-an-address"),
    ("email", "a@b.hu\r\nBcc: x@y.hu"), ("phone", "call me"), ("phone", "1" * 10_000), ("language", "xx"),
])
def test_bad_input_is_refused_beside_its_field_and_changes_nothing(world, field, value):
    users = _count(User)
    with pytest.raises(ValidationFailed) as error:
        _register(world["lda"], **{field: value})
    assert field in error.value.errors
    assert _count(User) == users and _count(OutboxMail) == 0


def test_sql_fragments_are_stored_verbatim(world):
    user = _register(world["lda"], family_name="O'Brien ' OR 1=1--", given_name="")
    assert f.reload(User, user.id).full_name == "O'Brien ' OR 1=1--"
    rows, total = list_users(actor=world["lda"], search="' OR 1=1--")
    assert total == 1 and rows[0].id == user.id


@pytest.mark.parametrize("changes", [
    {"family_name": 12}, {"given_name": None}, {"email": ["a@b.hu"]}, {"phone": None}, {"language": ["en"]},
    {"is_lda": "yes"},
    {"roles": {"1": [Role.REQUEST_HANDLER]}}, {"roles": [1]}, {"roles": {1: "request_handler"}},
    {"roles": {True: [Role.REQUEST_HANDLER]}},
])
def test_wrong_types_are_refused(world, changes):
    with pytest.raises(ValidationFailed):
        _register(world["lda"], **changes)
    assert _count(OutboxMail) == 0


@pytest.mark.parametrize("user_id", ["1", 1.0, None, True, [1]])
def test_wrong_type_of_user_id_is_denied_and_audited(world, user_id):
    with pytest.raises(Denied):
        get_user_for_edit(actor=world["lda"], user_id=user_id)
    assert [e.after for e in _audit("access.denied")] == [{"attempted": "user.edit"}]


# --- one authority cannot touch another ---------------------------------------------------------

@pytest.mark.parametrize("action", ["edit", "update", "new_password", "disable"])
def test_lda_of_one_authority_cannot_touch_a_user_of_another(world, action):
    target = world["b_basic"]
    calls = {
        "edit": lambda: get_user_for_edit(actor=world["lda"], user_id=target.id),
        "update": lambda: update_user(actor=world["lda"], user_id=target.id, data=_input()),
        "new_password": lambda: issue_new_password(actor=world["lda"], user_id=target.id),
        "disable": lambda: set_active(actor=world["lda"], user_id=target.id, active=False),
    }
    with pytest.raises(Denied):
        calls[action]()
    [entry] = _audit("access.denied")
    assert entry.actor_user_id == world["lda"].id and entry.object_id == str(target.id)
    stored = f.reload(User, target.id)
    assert stored.is_active and not stored.password_is_temporary and stored.full_name == target.full_name
    assert _count(OutboxMail) == 0


def test_basic_user_cannot_list_or_register(world):
    with pytest.raises(Denied):
        list_users(actor=world["basic"])
    with pytest.raises(Denied):
        _register(world["basic"])
    assert len(_audit("access.denied")) == 2


def test_list_users_is_own_authority_only_paginated_and_searchable(world):
    for number in range(23):
        _register(world["lda"], family_name="Kovács", given_name=f"Person {number:02d}", email=f"p{number}@example.hu")
    first, total = list_users(actor=world["lda"])
    second, _ = list_users(actor=world["lda"], page=2)
    found, found_total = list_users(actor=world["lda"], search="P7@EXAMPLE")
    by_username, _ = list_users(actor=world["lda"], search=world["basic"].username)
    assert total == 25 and len(first) == 20 and len(second) == 5
    assert {row.id for row in first + second}.isdisjoint({world["b_basic"].id, world["b_lda"].id})
    assert found_total == 1 and found[0].email == "p7@example.hu"
    assert [row.id for row in by_username] == [world["basic"].id]


def test_search_ignores_case_of_accented_letters(world):
    user = _register(world["lda"], family_name="Őri", given_name="Éva")
    for term in ("éva", "ÉVA", "őri é"):
        rows, _ = list_users(actor=world["lda"], search=term)
        assert [row.id for row in rows] == [user.id], term


def test_search_wildcards_are_literal(world):
    _register(world["lda"], family_name="Person", given_name="Percent", email="percent@example.hu")
    assert list_users(actor=world["lda"], search="%")[1] == 0
    assert list_users(actor=world["lda"], search="_")[1] == 0


# --- the last local data administrator -----------------------------------------------------------

def test_last_active_lda_cannot_be_disabled_or_lose_the_flag(world):
    lda = world["lda"]
    with pytest.raises(Conflict):
        set_active(actor=lda, user_id=lda.id, active=False)
    with pytest.raises(ValidationFailed) as error:
        update_user(actor=lda, user_id=lda.id, data=_input(full_name=lda.full_name, email=lda.email, is_lda=False))
    assert set(error.value.errors) == {"is_lda"}
    assert f.reload(User, lda.id).is_lda and f.reload(User, lda.id).is_active


def test_with_a_second_lda_the_first_may_step_down(world):
    second = _register(world["lda"], is_lda=True)
    assert f.reload(User, second.id).is_active
    update_user(actor=world["lda"], user_id=world["lda"].id,
                data=_input(full_name="New Name", email=world["lda"].email, is_lda=False))
    assert not f.reload(User, world["lda"].id).is_lda


def test_disable_ends_sessions_and_enable_restores(world):
    basic = world["basic"]
    result = auth.authenticate(basic.username, f.PASSWORD, f.chars_for(f.CODE, (2, 7, 11)))
    token = auth.redeem_ticket(result.ticket)
    set_active(actor=world["lda"], user_id=basic.id, active=False)
    assert auth.resolve_session(token) is None and not f.reload(User, basic.id).is_active
    set_active(actor=world["lda"], user_id=basic.id, active=True)
    assert f.reload(User, basic.id).is_active
    assert [e.action for e in _audit("user.disable") + _audit("user.enable")] == ["user.disable", "user.enable"]


def test_update_changes_details_and_roles_and_keeps_other_roles(world):
    pq = world["pq"]
    admin = f.user(world["a"], roles={pq.id: [Role.DATA_ADMINISTRATOR, Role.ALLOCATOR]})
    update_user(actor=world["lda"], user_id=admin.id,
                data=_input(email=admin.email.upper(), roles={pq.id: [Role.REQUEST_HANDLER]}))
    user, roles = get_user_for_edit(actor=world["lda"], user_id=admin.id)
    assert user.full_name == "Kiss Ágnes"
    assert roles == {pq.id: [Role.DATA_ADMINISTRATOR, Role.REQUEST_HANDLER]}
    [entry] = _audit("user.update")
    assert entry.before["roles"] == {str(pq.id): [Role.ALLOCATOR, Role.DATA_ADMINISTRATOR]}


def test_a_changed_email_address_is_told_to_the_old_one_in_the_users_language(world):
    basic = world["basic"]
    old_address = basic.email
    language = available_languages()[-1]
    update_user(actor=world["lda"], user_id=basic.id, data=_input(email="new.address@example.hu", language=language))
    [mail] = _mails(basic.id)
    assert mail.kind == "email_changed" and mail.recipient == old_address and mail.language == language
    assert "new.address@example.hu" not in mail.body_text  # the new address is not told to the old one
    assert basic.username not in mail.body_text and f.reload(User, basic.id).email == "new.address@example.hu"
    update_user(actor=world["lda"], user_id=basic.id, data=_input(email="NEW.Address@example.hu", language=language))
    assert len(_mails(basic.id)) == 1  # the same address in other capitals is no change


def test_a_refused_email_change_mails_nobody(world):
    basic = world["basic"]
    with pytest.raises(ValidationFailed):
        update_user(actor=world["lda"], user_id=basic.id, data=_input(email="new.address@example.hu", language="xx"))
    assert _mails(basic.id) == [] and f.reload(User, basic.id).email == basic.email


# --- new passwords --------------------------------------------------------------------------------

def _sign_in(user: User) -> str:
    result = auth.authenticate(user.username, f.PASSWORD, f.chars_for(f.CODE, (2, 7, 11)))
    return auth.redeem_ticket(result.ticket)


def test_create_new_password_unblocks_clears_code_and_ends_sessions(world):
    basic = world["basic"]
    token = _sign_in(basic)
    with session_scope() as session:
        user = session.get(User, basic.id)
        user.failed_logins, user.blocked_at = 5, utcnow()
    issue_new_password(actor=world["lda"], user_id=basic.id)
    stored = f.reload(User, basic.id)
    assert stored.blocked_at is None and stored.failed_logins == 0 and stored.password_is_temporary
    assert stored.code_salt is None and stored.code_tags is None and stored.challenge_positions == ""
    assert auth.resolve_session(token) is None
    with session_scope() as session:
        assert session.exec(select(UserSession).where(UserSession.user_id == basic.id,
                                                      UserSession.ended_at.is_(None))).all() == []
    [mail] = _mails(basic.id)
    assert mail.kind == "password_reset" and basic.username not in mail.body_text
    # Greeted by name, as in the welcome mail: not as an anonymous "user".
    assert mail.body_text.startswith(f"Dear {basic.full_name},\n") and basic.full_name
    assert auth.check_password(basic.username, f.PASSWORD).ticket is None  # the old password is gone
    assert auth.check_password(basic.username, _temporary_password(mail)).ticket
    [entry] = _audit("user.new_password")
    assert entry.before == {"blocked": True} and _temporary_password(mail) not in json.dumps(entry.after)


def test_coordinators_data_admin_resets_only_coordinated_ldas(world):
    issue_new_password(actor=world["data_admin"], user_id=world["b_lda"].id)
    assert f.reload(User, world["b_lda"].id).password_is_temporary
    for target in (world["b_basic"], world["de_lda"]):
        with pytest.raises(Denied):
            issue_new_password(actor=world["data_admin"], user_id=target.id)
        assert not f.reload(User, target.id).password_is_temporary
    with pytest.raises(Denied):
        issue_new_password(actor=world["de_data_admin"], user_id=world["b_lda"].id)
    assert len(_audit("access.denied")) == 3


# --- outgoing mail view ------------------------------------------------------------------------

def test_outbox_view_shows_only_own_authoritys_mail_without_bodies(world):
    mine = _register(world["lda"])
    issue_new_password(actor=world["b_lda"], user_id=world["b_basic"].id)
    issue_new_password(actor=world["lda"], user_id=mine.id)
    with session_scope() as session:
        rows, total = list_authority_mail(session, actor=world["lda"])
    assert total == 2 and [row.kind for row in rows] == ["password_reset", "temporary_password"]
    assert {row.recipient for row in rows} == {mine.email}
    assert not hasattr(rows[0], "body_text")
    with session_scope() as session, pytest.raises(Denied):
        list_authority_mail(session, actor=world["basic"])


# --- the edit form's own calls ----------------------------------------------------------------

def test_a_new_password_for_a_coordinated_lda_is_kept_though_the_form_cannot_show_that_user(world):
    """The data administrator does not administer that user: the form says "not found" afterwards,
    but the change that was allowed stays made."""
    shown = user_views.renew_password(actor=world["data_admin"], user_id=world["b_lda"].id, language="en")
    assert shown is None
    assert f.reload(User, world["b_lda"].id).password_is_temporary
    assert [mail.kind for mail in _mails(world["b_lda"].id)] == ["password_reset"]
    assert _audit("access.denied") == []


def test_the_edit_form_shows_only_own_users_and_refuses_non_administrators(world):
    shown = user_views.user_edit_form(actor=world["lda"], user_id=world["basic"].id, language="en")
    assert shown.account.id == world["basic"].id and not shown.account.is_self
    assert {area.code for area in shown.areas} == {world["pq"].code, world["svc"].code}
    assert user_views.user_edit_form(actor=world["lda"], user_id=world["b_basic"].id, language="en") is None
    with pytest.raises(Denied):
        user_views.user_edit_form(actor=world["basic"], user_id=world["basic"].id, language="en")
    with pytest.raises(Denied):
        user_views.new_user_form(actor=world["basic"], language="en")
    assert len(_audit("access.denied")) == 3
