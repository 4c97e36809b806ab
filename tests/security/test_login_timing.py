"""A failed sign-in takes as long for a name nobody has as for a real user's (issue 9, SEC-3).

An attacker who knows no password times the code step (its own round trip) and the password step
for a name. Both steps must cost the same whether the name is a user's or not. The tries of the two
kinds are interleaved in a random order, so that the machine's load falls on both alike, and each
round compares the two medians; the best of three rounds must be within 10 %.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

import pytest

from imi_app.accounts import auth
from tests.support import factories as f

TRIES = 200
WARM_UP = 20
ROUNDS = 3
TOLERANCE = 0.10
KNOWN, UNKNOWN = "hu.szabo1234", "hu.kovacs5678"


@pytest.fixture
def known_user(database):
    return f.user(f.authority("HU", areas=[f.area()]), username=KNOWN)


def _addresses() -> Callable[[], str]:
    """A new client address for every try: the throttle must not answer instead of the step."""
    numbers = iter(range(1, 10**6))
    return lambda: "10.{}.{}.{}".format(*next(numbers).to_bytes(3, "big"))


def _median_ratio(attempt: Callable[[str, str], object]) -> tuple[float, float, float]:
    """Best of ROUNDS rounds: (ratio closest to 1, known median µs, unknown median µs)."""
    address = _addresses()
    for _ in range(WARM_UP):
        attempt(KNOWN, address())
        attempt(UNKNOWN, address())
    results = []
    for _ in range(ROUNDS):
        spent: dict[str, list[int]] = {KNOWN: [], UNKNOWN: []}
        for _ in range(TRIES):
            for name in random.sample((KNOWN, UNKNOWN), 2):
                start = time.perf_counter_ns()
                attempt(name, address())
                spent[name].append(time.perf_counter_ns() - start)
        known, unknown = statistics.median(spent[KNOWN]), statistics.median(spent[UNKNOWN])
        results.append((known / unknown, known / 1000, unknown / 1000))
    return min(results, key=lambda r: abs(r[0] - 1))


def _code_step(name: str, address: str) -> object:
    step = auth.PasswordStep(name, False, (2, 7, 11), address=address)
    return auth.finish_login(step, ("x", "y", "z"))


def _password_step(name: str, address: str) -> object:
    return auth.check_password(name, "not the password at all", address=address)


def test_code_step_takes_as_long_for_unknown_users(known_user):
    ratio, known, unknown = _median_ratio(_code_step)
    print(f"code step: known {known:.0f} µs, unknown {unknown:.0f} µs, ratio {ratio:.3f}")
    assert abs(ratio - 1) <= TOLERANCE, (known, unknown)


def test_password_step_takes_as_long_for_unknown_users(known_user):
    ratio, known, unknown = _median_ratio(_password_step)
    print(f"password step: known {known:.0f} µs, unknown {unknown:.0f} µs, ratio {ratio:.3f}")
    assert abs(ratio - 1) <= TOLERANCE, (known, unknown)
