"""Sign-in benchmark: p50/p95 of a whole sign-in at the production bcrypt cost, and of the code check alone.

Run: .venv/bin/python bench/login.py [--rounds 12] [--n 30]
It builds a throw-away SQLite database through the migrations. It also prints the medians of the
three failure kinds (unknown user, wrong password, wrong code), which SEC-3 wants within 10 %.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def timed(fn, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(f"{name:<34} p50 {percentile(samples, 50):9.3f} ms   p95 {percentile(samples, 95):9.3f} ms   n={len(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.update({
        "IMI_ENVIRONMENT": "test", "IMI_BCRYPT_ROUNDS": str(args.rounds), "IMI_DATA_DIR": tmp,
        "IMI_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "IMI_PASSWORD_PEPPER": "bench-pepper-" + "x" * 32, "IMI_CODE_PEPPER": "bench-code-" + "y" * 32,
        "IMI_TOTP_KEY": "bench-totp-" + "z" * 32, "IMI_SESSION_KEY": "bench-session-" + "w" * 32,
    })
    from imi_app.core.db import migrate, session_scope
    from imi_app.accounts.models import User
    from imi_app.security import codes
    from imi_app.accounts import auth
    from tests.support import factories as f

    migrate()
    authority = f.authority("HU")
    user = f.user(authority, username="bench.user")
    good = f.chars_for(f.CODE, (2, 7, 11))

    def reset_positions():
        with session_scope() as session:
            row = session.get(User, user.id)
            row.challenge_positions, row.failed_logins = "2,7,11", 0

    def full_login():
        reset_positions()
        result = auth.authenticate("bench.user", f.PASSWORD, good)
        assert result.status == auth.OK, result

    print(f"bcrypt cost {args.rounds}, SQLite, {os.cpu_count()} cores")
    report("whole sign-in (both steps)", timed(full_login, args.n))
    with session_scope() as session:
        row = session.get(User, user.id)
        salt, tags = row.code_salt, row.code_tags
    report("code check alone", timed(lambda: codes.verify_code(salt, tags, (2, 7, 11), good), 2000))
    report("code record (220 tags)", timed(lambda: codes.make_code_record(f.CODE), 200))

    addresses = itertools.count(1)

    def failure(username, password, chars):
        def attempt():
            reset_positions()
            # An address of its own for every try: the throttle (SEC-13) would answer the eleventh.
            address = f"10.0.{next(addresses)}"
            assert auth.authenticate(username, password, chars, address=address).status == auth.FAILED
        return attempt

    medians = {}
    for name, fn in (("unknown user", failure("nobody.here", f.PASSWORD, good)),
                     ("wrong password", failure("bench.user", "not the password!", good)),
                     ("wrong code", failure("bench.user", f.PASSWORD, ("?", "?", "?")))):
        samples = timed(fn, args.n)
        medians[name] = statistics.median(samples)
        report(f"failure: {name}", samples)
    spread = (max(medians.values()) - min(medians.values())) / min(medians.values()) * 100
    print(f"failure medians differ by {spread:.1f} % (SEC-3 wants within 10 %)")


if __name__ == "__main__":
    main()
