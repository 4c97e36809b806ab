"""The user's own account: details, password, security code, TOTP, first-login set-up and their audit
(their screens' handlers: test_profile_handlers.py)."""

from __future__ import annotations

import json
import time

import pyotp
import pytest
import sqlalchemy as sa
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.core.i18n import available_languages
from imi_app.core.audit import AuditEntry
from imi_app.accounts.models import User
from imi_app.security import codes, totp
from imi_app.accounts import auth
from imi_app.accounts import profile
from imi_app.accounts.profile import COUNTRY_ZONE, ProfileInput
from imi_app.policy.menu import menu_for
from imi_app.core.errors import ValidationFailed
from imi_app.accounts.ui.profile_state import grouped_key
from tests.support import factories as f

NEW_PASSWORD = "purple tractor under moonlight"
NEW_CODE = "Zq8!mnOp4rSt"
LANGUAGE = available_languages()[-1]


@pytest.fixture
def account(database):
    authority = f.authority("HU", areas=[f.area()])
    return f.user(authority, username="kati")


def call(service, user_id: int, **kwargs) -> User:
    """The change as the signed-in user `user_id` makes it (each in its own transaction)."""
    return service(actor=f.reload(User, user_id), **kwargs)


def refused(service, user_id: int, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        call(service, user_id, **kwargs)
    return caught.value.errors


def details(username="kati", full_name="Kiss Katalin", phone="+36 1 555 0100", language=LANGUAGE):
    return profile.ProfileInput(username=username, full_name=full_name, phone=phone, language=language)


def sign_in(username: str, password: str, code: str, totp_code: str = "") -> str:
    with session_scope() as session:
        user = session.exec(select(User).where(User.username_key == auth.username_key(username))).first()
        positions = codes.parse_positions(user.challenge_positions) if user else (1, 2, 3)
    return auth.authenticate(username, password, f.chars_for(code, positions), totp_code).status


def snapshot(user_id: int) -> tuple:
    user = f.reload(User, user_id)
    return (user.username, user.username_key, user.full_name, user.phone, user.language, user.password_hash,
            user.code_salt, user.code_tags, user.challenge_positions, user.totp_enabled, user.totp_secret_enc)


def audit_actions(user_id: int) -> list[str]:
    with session_scope() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.object_id == str(user_id))).all()
        return [row.action for row in rows]


# --- details ---------------------------------------------------------------------------------

def test_details_are_saved_and_the_new_username_signs_in(account):
    saved = call(profile.update_profile, account.id, data=details(username="Kiss.Katalin"))
    assert (saved.username, saved.username_key, saved.full_name, saved.language) == (
        "Kiss.Katalin", "kiss.katalin", "Kiss Katalin", LANGUAGE)
    assert sign_in("kiss.katalin", f.PASSWORD, f.CODE) == auth.OK
    assert sign_in("kati", f.PASSWORD, f.CODE) == auth.FAILED


def test_only_the_case_of_my_own_username_may_change(account):
    assert call(profile.update_profile, account.id, data=details(username="KATI")).username == "KATI"


def test_username_is_unique_ignoring_case(account):
    f.user(f.authority("DE"), username="Peter.Nagy")
    before = snapshot(account.id)
    assert refused(profile.update_profile, account.id, data=details(username="peter.NAGY")) == {
        "username": "This username is already taken."}
    assert snapshot(account.id) == before


def test_a_username_taken_meanwhile_is_refused_by_the_unique_index(account, monkeypatch):
    f.user(f.authority("DE"), username="peter")

    def check_sees_nothing(*entities):
        # As if the other user had taken the name just after our check ran.
        query = select(*entities)
        return query.where(sa.false()) if entities[0] is User.id else query

    monkeypatch.setattr(profile, "select", check_sees_nothing)
    before = snapshot(account.id)
    assert refused(profile.update_profile, account.id, data=details(username="Peter")) == {
        "username": "This username is already taken."}
    assert snapshot(account.id) == before


@pytest.mark.parametrize("username", [
    "kati nagy", "kati!", "kát", "abc", "k" * 65, "kati\x00x", "kati\nx", "kati\u200bx", "<script>", "' OR 1=1--",
    "", 123, None, ["kati"],
])
def test_bad_usernames_are_refused_and_nothing_changes(account, username):
    before = snapshot(account.id)
    errors = refused(profile.update_profile, account.id, data=details(username=username, full_name="Changed Name"))
    assert set(errors) == {"username"}
    assert snapshot(account.id) == before
    assert "profile.update" not in audit_actions(account.id)


@pytest.mark.parametrize("full_name", ["", "   ", "x" * 201, "x" * 10_000_000, "Kati\u202eNagy",
                                       "Kati\x07", None, 42])
def test_bad_full_names_are_refused(account, full_name):
    assert set(refused(profile.update_profile, account.id, data=details(full_name=full_name))) == {"full_name"}


@pytest.mark.parametrize("language", ["xx", "EN", "", None, ["en"], {"en": 1}, "en\x00"])
def test_language_must_be_an_available_one(account, language):
    assert refused(profile.update_profile, account.id, data=details(language=language)) == {
        "language": "This value is not valid."}


@pytest.mark.parametrize("phone, ok", [
    ("", True), ("+36 1 555 0100", True), ("(030) 555-0100", True), ("abc", False), ("123", False),
    ("+36 1 555 0100 <b>", False), ("1" * 41, False), ("+36\x001", False), (3615550100, False), (None, False),
])
def test_phone_validation(account, phone, ok):
    if ok:
        assert call(profile.update_profile, account.id, data=details(phone=phone)).phone == phone
    else:
        assert set(refused(profile.update_profile, account.id, data=details(phone=phone))) == {"phone"}


def test_every_problem_is_reported_at_once(account):
    errors = refused(profile.update_profile, account.id,
                     data=details(username="a b", full_name="", phone="abc", language="xx"))
    assert set(errors) == {"username", "full_name", "phone", "language"}


def test_the_time_zone_is_chosen_kept_and_given_back_to_the_country(account):
    def with_zone(zone):
        return ProfileInput(username="kati", full_name="Kiss Katalin", phone="", language="hu", time_zone=zone)

    assert menu_for(actor=f.reload(User, account.id)).zone == "Europe/Budapest"  # the country's, until chosen
    assert call(profile.update_profile, account.id, data=with_zone("Europe/Lisbon")).time_zone == "Europe/Lisbon"
    assert menu_for(actor=f.reload(User, account.id)).zone == "Europe/Lisbon"
    assert call(profile.update_profile, account.id, data=with_zone(None)).time_zone == "Europe/Lisbon"  # kept
    assert call(profile.update_profile, account.id, data=with_zone(COUNTRY_ZONE)).time_zone is None
    assert menu_for(actor=f.reload(User, account.id)).zone == "Europe/Budapest"
    with session_scope() as session:
        changes = [(row.before.get("time_zone"), row.after.get("time_zone")) for row in session.exec(
            select(AuditEntry).where(AuditEntry.action == "profile.update").order_by(AuditEntry.id))]
    assert ("Europe/Lisbon", None) in changes and (None, "Europe/Lisbon") in changes


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "europe/berlin", 5, ["UTC"]])
def test_a_time_zone_not_offered_is_refused_and_nothing_changes(account, zone):
    before = snapshot(account.id), f.reload(User, account.id).time_zone
    data = ProfileInput(username="other.name", full_name="Kiss Katalin", phone="", language="hu", time_zone=zone)
    assert refused(profile.update_profile, account.id, data=data) == {"time_zone": "This value is not valid."}
    assert (snapshot(account.id), f.reload(User, account.id).time_zone) == before


# --- password --------------------------------------------------------------------------------

def test_password_change_needs_the_current_password(account):
    before = snapshot(account.id)
    for current in ("wrong password here", ""):
        assert refused(profile.change_password, account.id, current=current, password=NEW_PASSWORD,
                       password_confirm=NEW_PASSWORD) == {"current_password": "The current password is not correct."}
    # What is not text at all is no guess: refused as not valid, and not counted.
    for current in (None, 12345, [f.PASSWORD], "\ud800", f.PASSWORD + "\udfff"):
        assert refused(profile.change_password, account.id, current=current, password=NEW_PASSWORD,
                       password_confirm=NEW_PASSWORD) == {"current_password": "This value is not valid."}
    assert snapshot(account.id) == before and f.reload(User, account.id).failed_logins == 2


LONE_SURROGATE = "\ud800"


def test_unencodable_text_is_not_valid_for_every_service_of_the_own_account(account):
    """A lone surrogate (which JSON carries but no database holds) is refused, and nothing changes."""
    make_temporary(account.id)
    setup = dict(password=NEW_PASSWORD, password_confirm=NEW_PASSWORD, code=NEW_CODE, code_confirm=NEW_CODE)
    assert refused(profile.complete_first_login, account.id, **setup | {"password": "x" + LONE_SURROGATE * 12,
                                                                       "code": LONE_SURROGATE * 12}) == {
        "password": "This value is not valid.", "code": "This value is not valid."}
    assert f.reload(User, account.id).password_is_temporary
    call(profile.complete_first_login, account.id, **setup)
    before = snapshot(account.id)
    for name in ("username", "full_name", "phone"):
        assert refused(profile.update_profile, account.id, data=details(**{name: "kati" + LONE_SURROGATE})) == {
            name: "This value is not valid."}
    assert refused(profile.change_password, account.id, current=NEW_PASSWORD, password=NEW_PASSWORD + LONE_SURROGATE,
                   password_confirm=NEW_PASSWORD + LONE_SURROGATE) == {"password": "This value is not valid."}
    assert refused(profile.change_code, account.id, current=NEW_PASSWORD, code=NEW_CODE[:11] + LONE_SURROGATE,
                   code_confirm=NEW_CODE[:11] + LONE_SURROGATE) == {"code": "This value is not valid."}
    assert snapshot(account.id) == before and f.reload(User, account.id).failed_logins == 0


@pytest.mark.parametrize("password, confirm, field_name", [
    ("short pass", "short pass", "password"),
    ("Q1w2e3r4t5y6", "Q1w2e3r4t5y6", "password"),  # in the common-password list
    ("my name is kati ok", "my name is kati ok", "password"),
    ("x" * 129, "x" * 129, "password"),
    (NEW_PASSWORD, NEW_PASSWORD + "!", "password_confirm"),
    (None, None, "password"),
    (["a"] * 20, ["a"] * 20, "password"),
])
def test_bad_new_passwords_are_refused(account, password, confirm, field_name):
    before = snapshot(account.id)
    errors = refused(profile.change_password, account.id, current=f.PASSWORD, password=password,
                     password_confirm=confirm)
    assert set(errors) == {field_name}
    assert snapshot(account.id) == before


def test_after_a_password_change_only_the_new_one_works(account):
    call(profile.change_password, account.id, current=f.PASSWORD, password=NEW_PASSWORD,
         password_confirm=NEW_PASSWORD)
    assert f.reload(User, account.id).password_hash.startswith("$2b$")
    assert sign_in("kati", f.PASSWORD, f.CODE) == auth.FAILED
    assert sign_in("kati", NEW_PASSWORD, f.CODE) == auth.OK


# --- security code ---------------------------------------------------------------------------

@pytest.mark.parametrize("code, confirm, field_name", [
    ("Zq8!mnOp4rS", "Zq8!mnOp4rS", "code"),
    ("Zq8!mnOp4rSt1", "Zq8!mnOp4rSt1", "code"),
    ("Zq8!mn Op4rS", "Zq8!mn Op4rS", "code"),
    ("Zq8!mnOp4rS\x00", "Zq8!mnOp4rS\x00", "code"),
    (NEW_CODE, NEW_CODE.swapcase(), "code_confirm"),
    (None, NEW_CODE, "code"),
    (123456789012, 123456789012, "code"),
])
def test_bad_codes_are_refused(account, code, confirm, field_name):
    before = snapshot(account.id)
    errors = refused(profile.change_code, account.id, current=f.PASSWORD, code=code, code_confirm=confirm)
    assert set(errors) == {field_name}
    assert snapshot(account.id) == before


def test_code_change_needs_the_current_password(account):
    assert set(refused(profile.change_code, account.id, current="not my password",
                       code=NEW_CODE, code_confirm=NEW_CODE)) == {"current_password"}


def test_after_a_code_change_only_the_new_one_works(account):
    call(profile.change_code, account.id, current=f.PASSWORD, code=NEW_CODE, code_confirm=NEW_CODE)
    assert sign_in("kati", f.PASSWORD, f.CODE) == auth.FAILED
    assert sign_in("kati", f.PASSWORD, NEW_CODE) == auth.OK


# --- TOTP ------------------------------------------------------------------------------------

def wrong_code(secret: str) -> str:
    otp, step = pyotp.TOTP(secret), int(time.time()) // 30
    near = {otp.generate_otp(s) for s in range(step - 2, step + 3)}
    return next(c for c in ("000000", "111111", "123456", "999999") if c not in near)


def test_totp_is_turned_on_only_with_a_right_code(account):
    secret = totp.new_totp_secret()
    for code in (wrong_code(secret), "", "12345", "abcdef", None, 123456):
        assert set(refused(profile.enable_totp, account.id, secret=secret, code=code)) == {"totp_code"}
    assert not f.reload(User, account.id).totp_enabled
    call(profile.enable_totp, account.id, secret=secret, code=pyotp.TOTP(secret).now())
    user = f.reload(User, account.id)
    assert user.totp_enabled and user.totp_last_step > 0
    assert user.totp_secret_enc != secret and secret not in user.totp_secret_enc
    assert totp.decrypt_secret(user.totp_secret_enc) == secret


def test_totp_set_up_refuses_a_missing_or_malformed_secret(account):
    for secret in ("", None, "A" * 31, "a" * 32, "A" * 32 + "\n", "1" * 32):
        assert set(refused(profile.enable_totp, account.id, secret=secret, code="123456")) == {"totp_code"}


def test_an_active_totp_cannot_be_replaced_without_turning_it_off(account):
    first, second = totp.new_totp_secret(), totp.new_totp_secret()
    call(profile.enable_totp, account.id, secret=first, code=pyotp.TOTP(first).now())
    refused(profile.enable_totp, account.id, secret=second, code=pyotp.TOTP(second).now())
    assert totp.decrypt_secret(f.reload(User, account.id).totp_secret_enc) == first


def test_sign_in_needs_the_app_code_once_totp_is_on(account):
    secret = totp.new_totp_secret()
    call(profile.enable_totp, account.id, secret=secret, code=pyotp.TOTP(secret).now())
    assert sign_in("kati", f.PASSWORD, f.CODE) == auth.FAILED
    # The step used to confirm the set-up is spent: the next step's code signs in.
    next_code = pyotp.TOTP(secret).at(time.time() + 30)
    assert sign_in("kati", f.PASSWORD, f.CODE, next_code) == auth.OK


def test_turning_totp_off_needs_the_current_password(account):
    secret = totp.new_totp_secret()
    call(profile.enable_totp, account.id, secret=secret, code=pyotp.TOTP(secret).now())
    for current in ("wrong password here", None, ""):
        assert set(refused(profile.disable_totp, account.id, current=current)) == {"current_password"}
    assert f.reload(User, account.id).totp_enabled
    call(profile.disable_totp, account.id, current=f.PASSWORD)
    user = f.reload(User, account.id)
    assert (user.totp_enabled, user.totp_secret_enc, user.totp_last_step) == (False, None, 0)
    assert sign_in("kati", f.PASSWORD, f.CODE) == auth.OK


# --- first login -----------------------------------------------------------------------------

def make_temporary(user_id: int) -> None:
    with session_scope() as session:
        user = session.get(User, user_id)
        user.password_is_temporary = True
        user.password_hash = ""
        user.code_salt = user.code_tags = None


def test_first_login_set_up_refuses_mismatches_and_then_sets_everything(account):
    make_temporary(account.id)
    setup = dict(password=NEW_PASSWORD, password_confirm=NEW_PASSWORD, code=NEW_CODE, code_confirm=NEW_CODE)
    assert set(refused(profile.complete_first_login, account.id,
                       **setup | {"password_confirm": "purple tractor under sunlight"})) == {"password_confirm"}
    assert set(refused(profile.complete_first_login, account.id, **setup | {"code_confirm": "Zq8!mnOp4rSx"})) == {
        "code_confirm"}
    assert set(refused(profile.complete_first_login, account.id, **setup | {"password": "kati-kati-kati",
                                                                            "password_confirm": "kati-kati-kati",
                                                                            "code": "short"})) == {"password", "code"}
    assert f.reload(User, account.id).password_is_temporary
    call(profile.complete_first_login, account.id, **setup)
    user = f.reload(User, account.id)
    assert not user.password_is_temporary and user.temp_password_expires_at is None
    assert codes.parse_positions(user.challenge_positions)
    assert sign_in("kati", NEW_PASSWORD, NEW_CODE) == auth.OK
    assert set(refused(profile.complete_first_login, account.id, **setup)) == {"password"}


def test_a_reset_totp_user_gives_the_totp_code_again_after_the_set_up(database):
    """SEC-15: the temporary password opens the set-up only; the full session needs every factor."""
    from imi_app.accounts.users import issue_new_password
    from imi_app.mail.models import OutboxMail

    authority = f.authority("HU")
    lda, account = f.user(authority, is_lda=True), f.user(authority, username="kati")
    secret = totp.new_totp_secret()
    call(profile.enable_totp, account.id, secret=secret, code=pyotp.TOTP(secret).now())
    issue_new_password(actor=lda, user_id=account.id)
    with session_scope() as session:
        mail = session.exec(select(OutboxMail).where(OutboxMail.kind == "password_reset")).one()
    temporary = next(word for word in mail.body_text.split() if len(word) == 20)
    token = auth.redeem_ticket(auth.check_password("kati", temporary).ticket)
    user = auth.resolve_session(token)
    assert user.password_is_temporary and user.totp_enabled  # the reset keeps the authenticator app
    profile.complete_first_login(actor=user, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD,
                                 code=NEW_CODE, code_confirm=NEW_CODE)
    assert auth.resolve_session(token) is None  # the set-up session did not become a full one
    assert sign_in("kati", NEW_PASSWORD, NEW_CODE) == auth.FAILED
    # The step used to confirm the app is spent: the next step's code signs in.
    assert sign_in("kati", NEW_PASSWORD, NEW_CODE, pyotp.TOTP(secret).at(time.time() + 30)) == auth.OK


# --- audit -----------------------------------------------------------------------------------

def test_every_change_is_audited_without_secrets(account):
    secret = totp.new_totp_secret()
    call(profile.update_profile, account.id, data=details(username="kati.kiss"))
    call(profile.change_password, account.id, current=f.PASSWORD, password=NEW_PASSWORD,
         password_confirm=NEW_PASSWORD)
    call(profile.change_code, account.id, current=NEW_PASSWORD, code=NEW_CODE, code_confirm=NEW_CODE)
    call(profile.enable_totp, account.id, secret=secret, code=pyotp.TOTP(secret).now())
    call(profile.disable_totp, account.id, current=NEW_PASSWORD)
    make_temporary(account.id)
    call(profile.complete_first_login, account.id, password=NEW_PASSWORD + " again",
         password_confirm=NEW_PASSWORD + " again", code=f.CODE, code_confirm=f.CODE)
    assert audit_actions(account.id) == [
        "profile.update", "profile.password_changed", "profile.code_changed", "profile.totp_enabled",
        "profile.totp_disabled", "user.first_login_setup"]
    with session_scope() as session:
        update = session.exec(select(AuditEntry).where(AuditEntry.action == "profile.update")).one()
        assert (update.before["username"], update.after["username"]) == ("kati", "kati.kiss")
        rows = session.connection().execute(sa.text("SELECT * FROM audit_log")).all()
    dump = json.dumps([[str(value) for value in row] for row in rows])
    for secret_text in (f.PASSWORD, NEW_PASSWORD, NEW_CODE, f.CODE, secret, grouped_key(secret)):
        assert secret_text not in dump


def test_wrong_current_password_counts_toward_blocking(database):
    """A stolen session cannot be used to guess the password: five wrong tries block the account."""
    account = f.user(f.authority("HU"))
    for attempt in range(5):
        with pytest.raises(ValidationFailed):
            profile.change_password(actor=f.reload(User, account.id), current="not my password!",
                                    password="a brand new password", password_confirm="a brand new password")
        assert f.reload(User, account.id).failed_logins == attempt + 1
    assert f.reload(User, account.id).blocked_at is not None
    step = auth.check_password(account.username, f.PASSWORD)
    assert auth.finish_login(step, f.chars_for(f.CODE, step.positions)).status == auth.BLOCKED


def test_notification_choice_is_kept_validated_and_audited(database):
    account = f.user(f.authority("HU"))
    base = dict(username=account.username, full_name="Test User", phone="", language="en")
    profile.update_profile(actor=f.reload(User, account.id), data=profile.ProfileInput(**base, notify_mode="digest"))
    assert f.reload(User, account.id).notify_mode == "digest"
    profile.update_profile(actor=f.reload(User, account.id), data=profile.ProfileInput(**base))  # not sent: kept
    assert f.reload(User, account.id).notify_mode == "digest"
    with pytest.raises(ValidationFailed) as refused:
        profile.update_profile(actor=f.reload(User, account.id),
                               data=profile.ProfileInput(**base, notify_mode="hourly"))
    assert "notify_mode" in refused.value.errors
    assert f.reload(User, account.id).notify_mode == "digest"
