"""Signing in: factors, one answer for every failure, lockout under a race, challenge stability, sessions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.core.audit import AuditEntry
from imi_app.mail.models import OutboxMail
from imi_app.accounts.models import User, UserSession
from imi_app.core.time import as_utc as _as_utc, utcnow
from imi_app.security import codes, passwords, totp
from imi_app.accounts import auth
from tests.support import factories as f


@pytest.fixture
def account(database):
    area = f.area()
    authority = f.authority("HU", areas=[area])
    return f.user(authority, username="kati")


def _login(username="kati", password=f.PASSWORD, code=f.CODE, totp_code=""):
    step = auth.check_password(username, password)
    return step, auth.finish_login(step, f.chars_for(code, step.positions), totp_code)


def test_all_factors_right_signs_in_and_changes_positions(account, monkeypatch):
    monkeypatch.setattr(codes, "draw_positions", lambda: (1, 4, 9))
    step, result = _login()
    assert result.status == auth.OK and result.ticket
    assert step.positions == (2, 7, 11)
    assert f.reload(User, account.id).challenge_positions == "1,4,9"  # the next sign-in asks for new ones
    token = auth.redeem_ticket(result.ticket)
    assert auth.resolve_session(token).id == account.id


def test_username_is_case_insensitive_but_password_and_code_are_not(account):
    assert _login(username="KATI")[1].status == auth.OK
    assert _login(password=f.PASSWORD.upper())[1].status == auth.FAILED
    assert _login(code=f.CODE.swapcase())[1].status == auth.FAILED


@pytest.mark.parametrize("case", ["unknown_user", "wrong_password", "wrong_code"])
def test_every_failure_gives_the_same_answer(account, case):
    kwargs = {"unknown_user": {"username": "nobody"}, "wrong_password": {"password": "x" * 14},
              "wrong_code": {"code": "Zz3$efGh9jKl"}}[case]
    step, result = _login(**kwargs)
    assert result == auth.LoginResult(auth.FAILED)
    assert step.ticket is None and len(step.positions) == 3


@pytest.mark.parametrize("field", ["username", "password", "char", "totp"])
def test_unencodable_text_is_refused_before_anything_is_looked_up_or_counted(account, field):
    from imi_app.core.errors import ValidationFailed

    surrogate = "\ud800"
    with pytest.raises(ValidationFailed) as refused:
        if field in ("username", "password"):
            auth.check_password(*(("kati" + surrogate, f.PASSWORD) if field == "username" else ("kati", surrogate)))
        else:
            step = auth.check_password("kati", f.PASSWORD)
            chars = f.chars_for(f.CODE, step.positions)
            auth.finish_login(step, (surrogate, *chars[1:]) if field == "char" else chars, surrogate)
    assert list(refused.value.errors.values()) == ["This value is not valid."]
    user = f.reload(User, account.id)
    assert user.failed_logins == 0 and user.challenge_positions == "2,7,11"
    with session_scope() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action.like("login.%"))).all() == []


def test_wrong_totp_fails_like_any_other_factor(account):
    secret = totp.new_totp_secret()
    with session_scope() as session:
        user = session.get(User, account.id)
        user.totp_enabled, user.totp_secret_enc = True, totp.encrypt_secret(secret)
    assert _login(totp_code="000000")[1] == auth.LoginResult(auth.FAILED)
    import pyotp
    assert _login(totp_code=pyotp.TOTP(secret).now())[1].status == auth.OK
    # The same time-step again is a replay.
    assert _login(totp_code=pyotp.TOTP(secret).now())[1].status == auth.FAILED


def test_five_failures_block_and_only_the_right_password_learns_it(account):
    for _ in range(4):
        assert _login(code="Zz3$efGh9jKl")[1].status == auth.FAILED
    assert _login(code="Zz3$efGh9jKl")[1].status == auth.BLOCKED
    user = f.reload(User, account.id)
    assert user.blocked_at is not None and user.failed_logins == 5
    assert _login(password="wrong password!")[1].status == auth.FAILED
    assert _login()[1].status == auth.BLOCKED
    with session_scope() as session:
        mails = session.exec(select(OutboxMail).where(OutboxMail.kind == "account_blocked")).all()
        assert [m.recipient for m in mails] == [account.email]


def test_wrong_passwords_do_not_block_the_account(account):
    """Who does not know the password cannot lock the user out; the throttle slows them (SEC-13)."""
    for _ in range(8):
        assert _login(password="wrong password!")[1].status == auth.FAILED
    user = f.reload(User, account.id)
    assert user.blocked_at is None and user.failed_logins == 0
    assert _login()[1].status == auth.OK


def test_success_resets_the_counter(account):
    for _ in range(4):
        _login(code="Zz3$efGh9jKl")
    assert _login()[1].status == auth.OK
    assert f.reload(User, account.id).failed_logins == 0


def test_twenty_parallel_bad_logins_count_exactly_five(account):
    positions = (2, 7, 11)

    def attempt(_):
        step = auth.PasswordStep("kati", True, positions)  # the password was right, the code is not
        return auth.finish_login(step, ("x", "y", "z")).status

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(attempt, range(20)))
    user = f.reload(User, account.id)
    assert user.failed_logins == 5
    assert user.blocked_at is not None
    assert results.count(auth.FAILED) == 4 and set(results) <= {auth.FAILED, auth.BLOCKED, auth.THROTTLED}
    with session_scope() as session:
        failed = session.exec(select(AuditEntry).where(AuditEntry.action == "login.failed")).all()
        assert len(failed) == 5


def test_positions_stay_until_a_successful_login(account):
    seen = {auth.check_password("kati", "not the password").positions for _ in range(100)}
    for _ in range(4):
        _login(code="Zz3$efGh9jKl")
    seen.add(auth.check_password("kati", "not the password").positions)
    assert seen == {(2, 7, 11)}
    unknown = {auth.check_password("ghost", "whatever pass").positions for _ in range(20)}
    assert len(unknown) == 1


def _temporary(account, *, hours_left=72):
    temp = passwords.new_temporary_password()
    with session_scope() as session:
        user = session.get(User, account.id)
        user.password_hash = passwords.hash_password(temp)
        user.password_is_temporary = True
        user.temp_password_expires_at = utcnow() + timedelta(hours=hours_left)
    return temp


def test_temporary_password_is_single_use(account):
    temp = _temporary(account)
    first = auth.check_password("kati", temp)
    assert first.ticket
    second = auth.check_password("kati", temp)
    assert second.ticket is None and not second.password_ok


def test_temporary_password_expires(account):
    temp = _temporary(account, hours_left=-1)
    step = auth.check_password("kati", temp)
    assert step.ticket is None and not step.password_ok


def test_ticket_is_single_use_and_token_is_stored_hashed(account):
    result = _login()[1]
    token = auth.redeem_ticket(result.ticket)
    assert auth.redeem_ticket(result.ticket) is None
    with session_scope() as session:
        rows = session.exec(select(UserSession)).all()
        assert all(token not in (r.token_hash or "") and r.token_hash != token for r in rows)


def test_new_token_at_every_login(account):
    tokens = {auth.redeem_ticket(_login()[1].ticket) for _ in range(3)}
    assert len(tokens) == 3


def test_idle_and_absolute_limits(account):
    token = auth.redeem_ticket(_login()[1].ticket)
    with session_scope() as session:
        row = session.exec(select(UserSession).where(UserSession.user_id == account.id)).one()
        row.last_seen_at = utcnow() - timedelta(minutes=31)
    assert auth.resolve_session(token) is None
    token = auth.redeem_ticket(_login()[1].ticket)
    with session_scope() as session:
        for row in session.exec(select(UserSession).where(UserSession.ended_at.is_(None))).all():
            row.expires_at = utcnow() - timedelta(seconds=1)
    assert auth.resolve_session(token) is None


def _session_row(user_id: int) -> UserSession:
    with session_scope() as session:
        return session.exec(select(UserSession).where(UserSession.user_id == user_id)).one()


def _seen(user_id: int, minutes_ago: int) -> None:
    with session_scope() as session:
        row = session.exec(select(UserSession).where(UserSession.user_id == user_id)).one()
        row.last_seen_at = utcnow() - timedelta(minutes=minutes_ago)


def test_activity_keeps_a_session_alive_the_heartbeat_does_not(account):
    token = auth.redeem_ticket(_login()[1].ticket)
    _seen(account.id, 20)
    assert auth.resolve_session(token, touch=False).id == account.id  # the open tab's minute check
    assert utcnow() - _as_utc(_session_row(account.id).last_seen_at) > timedelta(minutes=19)
    assert auth.resolve_session(token).id == account.id  # a click
    assert utcnow() - _as_utc(_session_row(account.id).last_seen_at) < timedelta(minutes=1)
    _seen(account.id, 20)
    user, menu = auth.signed_in(token)  # a page load: the user, the menu, and seen again
    assert user.id == account.id and menu.authority_name
    assert utcnow() - _as_utc(_session_row(account.id).last_seen_at) < timedelta(minutes=1)
    _seen(account.id, 31)
    assert auth.signed_in(token, touch=False) == (None, auth.NOTHING)
    assert _session_row(account.id).ended_at is not None  # idled out for good, even if seen again later
    _seen(account.id, 0)
    assert auth.resolve_session(token) is None


def test_logout_ends_every_session_of_the_user(account):
    first = auth.redeem_ticket(_login()[1].ticket)
    second = auth.redeem_ticket(_login()[1].ticket)
    auth.logout(first)
    assert auth.resolve_session(first) is None
    assert auth.resolve_session(second) is None


def test_no_secret_reaches_the_database_outside_its_hash(account):
    _login(password="a wrong password here")
    step, result = _login()
    token = auth.redeem_ticket(result.ticket)
    with session_scope() as session:
        audit_text = " ".join(str((a.before, a.after, a.action)) for a in session.exec(select(AuditEntry)).all())
        user = session.get(User, account.id)
    for secret in (f.PASSWORD, f.CODE, token, result.ticket, "a wrong password here"):
        assert secret not in audit_text
        assert secret.encode() not in (user.code_tags or b"") + (user.code_salt or b"")
        assert secret not in user.password_hash


def test_code_record_differs_between_users(database):
    authority = f.authority("HU")
    one, two = f.user(authority), f.user(authority)
    assert one.code_tags != two.code_tags
    assert codes.verify_code(one.code_salt, one.code_tags, (1, 2, 3), tuple(f.CODE[:3]))


def test_users_of_a_pending_authority_cannot_sign_in(database):
    from imi_app.authorities.models import Authority, AuthorityStatus

    authority = f.authority("HU")
    f.user(authority, username="pending.one")
    token = auth.redeem_ticket(_login(username="pending.one")[1].ticket)
    with session_scope() as session:
        session.get(Authority, authority.id).status = AuthorityStatus.PENDING
    assert _login(username="pending.one")[1].status == auth.FAILED
    assert auth.resolve_session(token) is None
