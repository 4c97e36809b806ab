"""The profile, sign-in and set-up screens' handlers, called as Reflex calls them: wrong types, signed-out
users, the pending TOTP secret, the language switch and the first-login set-up."""

from __future__ import annotations

import asyncio
import json

import pyotp
import pytest

from imi_app.core.db import session_scope
from imi_app.accounts.models import User
from imi_app.accounts import auth
from imi_app.accounts.ui.login_state import LoginState, SetupState
from imi_app.accounts.ui.profile_state import ProfileState, field, grouped_key, profile_input
from imi_app.accounts.users import set_temporary_password
from tests.accounts.test_profile import LANGUAGE, NEW_CODE, NEW_PASSWORD, sign_in, snapshot, wrong_code
from tests.support import factories as f
from tests.support.handlers import call as handler_call, state_for


@pytest.fixture
def account(database):
    authority = f.authority("HU", areas=[f.area()])
    return f.user(authority, username="kati")


# --- the state's handlers --------------------------------------------------------------------

@pytest.fixture
def profile_state(account, monkeypatch):
    """A ProfileState as the app builds it; the session cookie check is replaced by the test user."""
    from reflex.state import State

    async def signed_in(self):
        return f.reload(User, account.id)

    monkeypatch.setattr(ProfileState, "_actor", signed_in)
    return State().get_substate(ProfileState.get_full_name().split(".")[1:])


def run_handler(handler, state, *args) -> list:
    async def drain():
        return [event async for event in handler.fn(state, *args)]
    return asyncio.run(drain())


@pytest.mark.parametrize("form", ["text", None, 5, [1], {"profile-username": {"a": 1}, "profile-language": ["en"]},
                                  {"password-current": None, "password-new": 5}, {"totp-code": ["1"]}])
def test_handlers_survive_wrong_types_and_change_nothing(profile_state, account, form):
    before = snapshot(account.id)
    for handler in (ProfileState.save_details, ProfileState.change_password, ProfileState.change_code,
                    ProfileState.confirm_totp, ProfileState.disable_totp):
        run_handler(handler, profile_state, form)
        assert profile_state.errors and profile_state.busy == ""
        profile_state.errors = {}
    assert snapshot(account.id) == before


def test_handlers_send_a_signed_out_user_to_the_login_page(profile_state, monkeypatch):
    async def signed_out(self):
        return None

    monkeypatch.setattr(ProfileState, "_actor", signed_out)
    events = run_handler(ProfileState.change_password, profile_state, {})
    assert len(events) == 1 and "/login" in str(events[0])
    assert "/login" in str(handler_call(ProfileState.start_totp, profile_state))


def test_the_pending_totp_secret_stays_on_the_server(profile_state, account):
    handler_call(ProfileState.start_totp, profile_state)
    secret = profile_state._totp_secret
    sent = json.dumps(profile_state.parent_state.dict(), default=str)
    assert len(secret) == 32 and secret not in sent and grouped_key(secret) in sent
    run_handler(ProfileState.confirm_totp, profile_state, {"totp-code": wrong_code(secret)})
    assert "totp-code" in profile_state.errors and profile_state._totp_secret == secret
    run_handler(ProfileState.confirm_totp, profile_state, {"totp-code": pyotp.TOTP(secret).now()})
    assert profile_state.totp_enabled and profile_state._totp_secret == "" and profile_state.totp_key == ""
    assert f.reload(User, account.id).totp_enabled


def test_saving_details_switches_the_language_at_once(profile_state, account):
    form = {"profile-username": " kati.kiss ", "profile-full-name": "Kiss Kati", "profile-phone": "",
            "profile-language": LANGUAGE}
    events = run_handler(ProfileState.save_details, profile_state, form)
    assert profile_state.lang == LANGUAGE and profile_state.errors == {}
    assert profile_state.details["username"] == "kati.kiss" and profile_state.username == "kati.kiss"
    assert any("toast" in str(event) for event in events)


# --- the state's form helpers ----------------------------------------------------------------

def test_form_helpers_pass_wrong_types_on_for_the_service_to_refuse():
    assert field("not a form", "profile-username") is None
    assert field({"profile-username": ["x"]}, "profile-username") == ["x"]
    data = profile_input({"profile-username": " kati ", "profile-phone": 5, "profile-language": None})
    assert (data.username, data.full_name, data.phone, data.language) == ("kati", None, 5, None)
    assert grouped_key("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567"


def test_sign_in_and_set_up_handlers_resolve_the_session_themselves(account):
    assert "/login" in str(handler_call(SetupState.open_setup, state_for(SetupState, cookie="", path="/setup")))
    with session_scope() as session:
        temporary = set_temporary_password(session.get(User, account.id))
    token = auth.redeem_ticket(auth.check_password("kati", temporary).ticket)
    cookie = f"imi_session={token}"
    assert "/setup" in str(handler_call(LoginState.open_login, state_for(LoginState, cookie=cookie, path="/login")))
    setup = state_for(SetupState, cookie=cookie, path="/setup")
    assert handler_call(SetupState.open_setup, setup) == [None] and setup.username == "kati"
    form = dict(password=NEW_PASSWORD, password_confirm=NEW_PASSWORD, code=NEW_CODE, code_confirm=NEW_CODE)
    handler_call(SetupState.submit, setup, form | {"code_confirm": "Zq8!mnOp4rSx"})
    assert set(setup.errors) == {"code_confirm"} and not setup.busy
    events = handler_call(SetupState.submit, setup, form)
    assert setup.errors == {} and any("toast" in str(event) for event in events) and "/login" in str(events[-1])
    assert not f.reload(User, account.id).password_is_temporary
    assert auth.resolve_session(token) is None  # back to the sign-in page: every factor again (SEC-15)
    assert "/login" in str(handler_call(SetupState.submit, setup, form))  # set up once only
    assert sign_in("kati", NEW_PASSWORD, NEW_CODE) == auth.OK


# --- text that cannot be encoded -------------------------------------------------------------

SURROGATE = "\ud800"


@pytest.mark.parametrize("form", [{"username": SURROGATE, "password": f.PASSWORD},
                                  {"username": "kati", "password": f.PASSWORD + SURROGATE}])
def test_sign_in_with_a_lone_surrogate_says_not_valid_and_is_not_left_busy(account, form):
    login = state_for(LoginState, cookie="", path="/login")
    events = handler_call(LoginState.submit_password, login, form)
    assert login.error == "This value is not valid." and not login.busy and login.step == "password"
    assert not any("imi_session" in str(event) or "ticket" in str(event) for event in events)
    assert f.reload(User, account.id).failed_logins == 0


def test_a_lone_surrogate_in_the_challenge_says_not_valid(account):
    login = state_for(LoginState, cookie="", path="/login")
    handler_call(LoginState.submit_password, login, {"username": "kati", "password": f.PASSWORD})
    assert login.step == "challenge"
    handler_call(LoginState.submit_challenge, login, {"char1": SURROGATE, "char2": "x", "char3": "y", "totp": ""})
    assert login.error == "This value is not valid." and not login.busy
    user = f.reload(User, account.id)
    assert user.failed_logins == 0 and user.challenge_positions == "2,7,11"


def test_set_up_and_profile_handlers_refuse_a_lone_surrogate(profile_state, account):
    with session_scope() as session:
        temporary = set_temporary_password(session.get(User, account.id))
    token = auth.redeem_ticket(auth.check_password("kati", temporary).ticket)
    setup = state_for(SetupState, cookie=f"imi_session={token}", path="/setup")
    handler_call(SetupState.submit, setup, dict(password=SURROGATE, password_confirm=SURROGATE, code=NEW_CODE,
                                                code_confirm=NEW_CODE))
    assert setup.errors == {"password": "This value is not valid."} and not setup.busy
    assert f.reload(User, account.id).password_is_temporary
    with session_scope() as session:
        user = session.get(User, account.id)
        user.password_is_temporary = False
    before = snapshot(account.id)
    run_handler(ProfileState.save_details, profile_state, {
        "profile-username": "kati" + SURROGATE, "profile-full-name": "Kiss Kati", "profile-phone": "",
        "profile-language": LANGUAGE})
    assert profile_state.errors == {"profile-username": "This value is not valid."} and profile_state.busy == ""
    run_handler(ProfileState.change_password, profile_state, {
        "password-current": SURROGATE, "password-new": NEW_PASSWORD, "password-confirm": NEW_PASSWORD})
    assert profile_state.errors["password-current"] == "This value is not valid."
    assert snapshot(account.id) == before and f.reload(User, account.id).failed_logins == 0
