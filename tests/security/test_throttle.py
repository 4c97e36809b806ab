"""Failed sign-ins slow down per client address and per username, across every worker (SEC-13).

ASVS 2.2.1; docs/SIGN_IN.md compares the limits with Keycloak's brute-force detection."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from imi_app.accounts import auth, throttle
from imi_app.accounts.models import LoginThrottle, User
from imi_app.core.db import session_scope
from imi_app.core.i18n import gettext
from imi_app.core.time import utcnow
from imi_app.security import passwords
from tests.support import factories as f

HERE, ELSEWHERE = "203.0.113.5", "198.51.100.7"
WRONG = "not the password at all"


@pytest.fixture
def account(database):
    return f.user(f.authority("HU", areas=[f.area()]), username="hu.szabo1234")


def _try(password=WRONG, *, address=HERE, username="hu.szabo1234") -> auth.LoginResult:
    return auth.authenticate(username, password, f.chars_for(f.CODE, (2, 7, 11)), address=address)


def _expire_waits() -> None:
    """The clock moves past every wait (but not past the hour that forgets the failures)."""
    with session_scope() as session:
        session.execute(sa.update(LoginThrottle).values(wait_until=utcnow() - timedelta(seconds=1)))


def test_twenty_fast_failures_from_one_address_are_told_to_wait_and_another_address_is_not(account):
    results = [_try() for _ in range(20)]
    assert [r.status for r in results[:throttle.FREE_PER_PAIR]] == [auth.FAILED] * throttle.FREE_PER_PAIR
    refused = results[throttle.FREE_PER_PAIR:]
    assert {r.status for r in refused} == {auth.THROTTLED}
    assert all(0 < r.wait_seconds <= 30 for r in refused)
    message, params = throttle.wait_message(refused[-1].wait_seconds)
    assert gettext("en", message, **params) == "Too many attempts. Please wait 1 minute and try again."
    # Refused tries are not heard: neither counted nor checked.
    with session_scope() as session:
        assert max(row.failures for row in session.exec(select(LoginThrottle))) == throttle.FREE_PER_PAIR + 1
    assert _try(address=ELSEWHERE).status == auth.FAILED
    assert _try(f.PASSWORD, address=ELSEWHERE).status == auth.OK
    assert f.reload(User, account.id).blocked_at is None  # nobody who lacked the password locked it


def test_the_wait_doubles_up_to_fifteen_minutes(account):
    for _ in range(throttle.FREE_PER_PAIR):
        _try()
    waits = []
    for _ in range(8):
        waits.append(_try().wait_seconds)
        assert _try().status == auth.THROTTLED  # still waiting
        _expire_waits()
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]


def test_the_wait_message_names_whole_minutes_in_the_readers_language():
    assert throttle.wait_message(30) == (throttle.WAIT_ONE_MINUTE, {})
    assert throttle.wait_message(61) == (throttle.WAIT_MINUTES, {"minutes": 2})
    assert gettext("de", throttle.WAIT_MINUTES, minutes=15) == (
        "Zu viele Versuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut.")


def test_a_throttled_try_is_refused_before_the_password_is_checked(account, monkeypatch):
    for _ in range(throttle.FREE_PER_PAIR + 1):
        _try()
    checked = []

    def spy(*arguments):  # records that the password was checked; the assertion below wants no call
        checked.append(arguments)
        return True

    monkeypatch.setattr(passwords, "verify_password", spy)
    step = auth.check_password("hu.szabo1234", f.PASSWORD, HERE)
    assert step.wait_seconds > 0 and not step.password_ok and checked == []


def test_many_names_from_one_address_slow_the_address_down(account):
    for n in range(throttle.FREE_PER_ADDRESS):
        assert _try(username=f"hu.guess{n:04d}").status == auth.FAILED
    assert _try(username="hu.guess9999").status == auth.THROTTLED
    assert _try(f.PASSWORD).status == auth.THROTTLED  # the whole address waits
    assert _try(f.PASSWORD, address=ELSEWHERE).status == auth.OK


def test_the_failures_are_forgotten_an_hour_after_the_last(account):
    for _ in range(throttle.FREE_PER_PAIR + 1):
        _try()
    with session_scope() as session:
        session.execute(sa.update(LoginThrottle).values(last_failure=utcnow() - throttle.RESET_AFTER))
    assert _try().status == auth.FAILED


def test_a_success_clears_the_pair(account):
    for _ in range(throttle.FREE_PER_PAIR - 1):
        _try()
    assert _try(f.PASSWORD).status == auth.OK
    assert [_try().status for _ in range(throttle.FREE_PER_PAIR)] == [auth.FAILED] * throttle.FREE_PER_PAIR
    assert _try().status == auth.THROTTLED


def test_two_workers_share_the_count(account, database):
    """Each "worker" reaches the database through an engine and session of its own."""
    keys = throttle.keys_for("hu.szabo1234", HERE)
    other = sa.create_engine(database)
    try:
        def fail_in_the_other_worker() -> int:
            with Session(other) as session, session.begin():
                return throttle.record_failure(session, keys)

        for n in range(throttle.FREE_PER_PAIR):
            assert (fail_in_the_other_worker() if n % 2 else _try().status) in (0, auth.FAILED)
        assert fail_in_the_other_worker() == 30
        assert _try(f.PASSWORD).status == auth.THROTTLED  # this worker sees the other's wait
        with Session(other) as session:
            assert throttle.seconds_to_wait(session, keys) > 0
    finally:
        other.dispose()


def test_the_table_names_neither_the_user_nor_the_address(account):
    _try()
    with session_scope() as session:
        keys = [row.key for row in session.exec(select(LoginThrottle))]
    assert len(keys) == 2 and not any("szabo" in key or HERE in key for key in keys)


@pytest.mark.parametrize(("trusted", "expected"), [(False, "10.0.0.9"), (True, "192.0.2.44")])
def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(trusted, expected):
    # nginx appends the address it saw; what came before is the client's own claim.
    forwarded = "203.0.113.250, 192.0.2.44"
    assert throttle.client_address("10.0.0.9", forwarded, trusted_proxy=trusted) == expected
    assert throttle.client_address("10.0.0.9", "", trusted_proxy=True) == "10.0.0.9"
