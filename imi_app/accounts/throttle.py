"""Throttling of failed sign-ins per client address and per (username, address) pair (SEC-13).

Each key has some free failures; after them every further failure makes the key wait, twice as long
each time, from FIRST_WAIT up to MAX_WAIT. A try while a key waits is refused before any password
or code is checked and does not count. A key forgets its failures RESET_AFTER the last one, and a
successful sign-in clears its pair. The counts live in the database, so every worker sees them.
docs/SIGN_IN.md compares the choice with Keycloak's brute-force detection.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from imi_app.accounts.models import LoginThrottle
from imi_app.core.i18n import N_
from imi_app.core.settings import get_settings
from imi_app.core.time import as_utc, utcnow

FREE_PER_PAIR = 10
FREE_PER_ADDRESS = 30
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
RESET_AFTER = timedelta(hours=1)

WAIT_ONE_MINUTE = N_("Too many attempts. Please wait 1 minute and try again.")
WAIT_MINUTES = N_("Too many attempts. Please wait {minutes} minutes and try again.")


@dataclass(frozen=True)
class Keys:
    """The two keys one try counts against: its (username, address) pair and its address."""

    pair: str
    address: str

    def free(self, key: str) -> int:
        return FREE_PER_PAIR if key == self.pair else FREE_PER_ADDRESS

    def all(self) -> tuple[str, str]:
        return self.pair, self.address


def _hashed(kind: str, value: str) -> str:
    digest = hmac.new(get_settings().secret("session_key"), f"{kind}\0{value}".encode("utf-8", "surrogatepass"),
                      hashlib.sha256).hexdigest()
    return f"{kind}:{digest}"


def keys_for(username_key: str, address: str) -> Keys:
    return Keys(pair=_hashed("pair", f"{username_key}\0{address}"), address=_hashed("address", address))


def client_address(peer: str, forwarded_for: str, *, trusted_proxy: bool) -> str:
    """The address a try comes from. Behind a trusted proxy (IMI_TRUSTED_PROXY) it is the last entry of
    X-Forwarded-For, the one the proxy added; anything before it was written by the client."""
    if trusted_proxy:
        last = forwarded_for.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return (peer or "")[:64]


def wait_message(seconds: int) -> tuple[str, dict[str, int]]:
    """The message id and its parameters for a wait of `seconds` (whole minutes, rounded up)."""
    minutes = max(1, math.ceil(seconds / 60))
    return (WAIT_ONE_MINUTE, {}) if minutes == 1 else (WAIT_MINUTES, {"minutes": minutes})


def _fresh(row: LoginThrottle, now: datetime) -> bool:
    return now - as_utc(row.last_failure) < RESET_AFTER


def _longest_wait(rows: list[LoginThrottle], now: datetime) -> int:
    waits = [as_utc(row.wait_until) - now for row in rows if row.wait_until is not None and _fresh(row, now)]
    return max((math.ceil(w.total_seconds()) for w in waits if w.total_seconds() > 0), default=0)


def seconds_to_wait(session: Session, keys: Keys, now: datetime | None = None) -> int:
    """How long the try must still wait (0: it may go on)."""
    now = now or utcnow()
    return _longest_wait(session.exec(select(LoginThrottle).where(col(LoginThrottle.key).in_(keys.all()))).all(), now)


def _locked_row(session: Session, key: str, now: datetime) -> LoginThrottle:
    """The key's row under a row lock, created if missing (two workers may create it at once)."""
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    session.execute(insert(LoginThrottle).values(key=key, failures=0, last_failure=now)
                    .on_conflict_do_nothing(index_elements=["key"]))
    return session.exec(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
                        .execution_options(populate_existing=True)).one()


def record_failure(session: Session, keys: Keys, now: datetime | None = None) -> int:
    """Counts a failed try against both keys; the seconds to wait before the next one (0: none)."""
    now = now or utcnow()
    rows = [_locked_row(session, key, now) for key in keys.all()]
    for key, row in zip(keys.all(), rows):
        if not _fresh(row, now):
            row.failures, row.wait_until = 0, None
        row.failures += 1
        row.last_failure = now
        beyond = row.failures - keys.free(key)
        if beyond > 0:
            row.wait_until = now + min(FIRST_WAIT * 2 ** min(beyond - 1, 10), MAX_WAIT)
    return _longest_wait(rows, now)


def clear_pair(session: Session, keys: Keys) -> None:
    """A successful sign-in: the pair starts afresh (the address keeps its count)."""
    session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == keys.pair))
