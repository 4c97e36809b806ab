"""SEC-8: a wrong TOTP code counts toward blocking like any other factor (issue 9)."""

from __future__ import annotations

import pyotp
from sqlmodel import select

from imi_app.accounts import auth
from imi_app.accounts.models import User
from imi_app.core.db import session_scope
from imi_app.mail.models import OutboxMail
from imi_app.security import totp
from tests.support import factories as f


def test_five_wrong_totp_codes_block_the_account(database):
    account = f.user(f.authority("HU", areas=[f.area()]), username="hu.totp0001")
    secret = totp.new_totp_secret()
    with session_scope() as session:
        user = session.get(User, account.id)
        user.totp_enabled, user.totp_secret_enc = True, totp.encrypt_secret(secret)
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    chars = f.chars_for(f.CODE, (2, 7, 11))

    results = [auth.authenticate("hu.totp0001", f.PASSWORD, chars, wrong).status for _ in range(5)]

    assert results == [auth.FAILED] * 4 + [auth.BLOCKED]
    stored = f.reload(User, account.id)
    assert stored.blocked_at is not None and stored.failed_logins == 5
    # Blocked: even the right code now only learns that the account is blocked.
    assert auth.authenticate("hu.totp0001", f.PASSWORD, chars, right).status == auth.BLOCKED
    with session_scope() as session:
        assert session.exec(select(OutboxMail).where(OutboxMail.kind == "account_blocked")).all()
