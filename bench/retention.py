"""Retention benchmark: the daily job over a large installation, and what it does to the task list meanwhile.

Run: .venv/bin/python bench/retention.py                      # SQLite in a temp dir, 100 000 requests
     .venv/bin/python bench/retention.py --database-url postgresql+psycopg://postgres@127.0.0.1/imi_x
                                                            # PostgreSQL: 1 000 000 requests (RESETS that database)
     ... --reuse --seconds 300                              # again on what is still due there, for 5 minutes
Seeds with bench/requests.py, closes a third of the requests at dates spread over the last five years (so about
a fifth of them are due for blocking and a tenth for deletion), gives each of those a person, then prints:
the p50/p95 of a busy handler's task list at rest; the retention run's requests per second (blocked + deleted);
and the task list's p50/p95 while the run works: in a process of its own, as the app runs it (`--mode process`,
the default), or in a thread of the reading process (`--mode thread`, to compare).
The target: the p95 during the run at most twice the p95 at rest.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from requests import _environment, build_sized, ids_from_db  # noqa: E402 - bench/requests.py, beside this file
from timing import percentile  # noqa: E402


def close_old(url: str, seed: int) -> dict[str, int]:
    """A third of the requests closed between now and five years ago, each with a person and an answer."""
    import sqlalchemy as sa

    from imi_app.core.db import get_engine

    rng = random.Random(seed)
    now = datetime.now(UTC)
    engine = get_engine(url)
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM info_request WHERE status = 'sent'"))]
    chosen = [i for i in ids if rng.random() < 0.5]
    closed = [{"i": i, "at": now - timedelta(days=rng.uniform(1, 5 * 365))} for i in chosen]
    with engine.begin() as conn:
        for start in range(0, len(closed), 20_000):
            conn.execute(sa.text("UPDATE info_request SET status = 'closed', closed_at = :at, free_text = "
                                 "'Please confirm the diploma of the person.' WHERE id = :i"),
                         closed[start:start + 20_000])
        conn.execute(sa.text(
            "INSERT INTO request_person (request_id, kind, full_name, birth_date, nationality, registration_number, "
            "address, other_details, name_key, identifier_key) SELECT r.id, 'person', 'Retention Person', NULL, "
            "'HU', 'HU-1', 'Budapest', '', 'retention person', 'hu1' FROM info_request r WHERE r.status = 'closed' "
            "AND NOT EXISTS (SELECT 1 FROM request_person p WHERE p.request_id = r.id)"))
        conn.exec_driver_sql("ANALYZE")
    due_block = sum(1 for c in closed if c["at"] < now - timedelta(days=183))
    due_delete = sum(1 for c in closed if c["at"] < now - timedelta(days=3 * 365 + 1))
    return {"closed": len(closed), "due_block": due_block, "due_delete": due_delete}


def handled_so_far(url: str) -> int:
    """Requests blocked or deleted by now: a deletion of a request blocked before counts once more."""
    import sqlalchemy as sa

    from imi_app.core.db import get_engine

    with get_engine(url).connect() as conn:
        return int(conn.execute(sa.text("SELECT count(personal_data_blocked_at) + count(personal_data_deleted_at) "
                                        "FROM info_request")).scalar_one())


def task_list_sampler(handler_id: int):
    from imi_app.accounts.models import User
    from imi_app.core.db import session_scope
    from imi_app.requests.queries import task_list

    with session_scope() as session:
        handler = session.get(User, handler_id)

    def once() -> float:
        started = time.perf_counter()
        with session_scope(read_only=True) as session:
            task_list(session, actor=handler, limit=50)
        return (time.perf_counter() - started) * 1000

    return once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL database to RESET and use (default: temp SQLite)")
    parser.add_argument("--runs", type=int, default=200, help="task lists read at rest")
    parser.add_argument("--requests", type=int, help="default 100 000 (SQLite) / 1 000 000 (PostgreSQL)")
    parser.add_argument("--batch", type=int, default=None, help="requests per transaction (IMI_RETENTION_BATCH)")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: measure a database an earlier run seeded "
                                                                 "(what is still due there), without seeding again")
    parser.add_argument("--seconds", type=float, help="with --mode process: stop the run after this long (it is "
                                                     "resumable by design) and report that much of it")
    parser.add_argument("--mode", choices=("process", "thread"), default="process",
                        help="where the run works: its own process (as in the app) or a thread of the reader's")
    parser.add_argument("--pause", type=float, default=None, help="rest after each batch, times its own time "
                                                                    "(IMI_RETENTION_PAUSE, default 2.0)")
    args = parser.parse_args()
    if args.pause is not None:
        os.environ["IMI_RETENTION_PAUSE"] = str(args.pause)
    if args.batch is not None:
        os.environ["IMI_RETENTION_BATCH"] = str(args.batch)
    postgres = bool(args.database_url)
    url, tmp = _environment(args.database_url)
    try:
        from imi_app.requests.retention import run_retention

        if args.reuse and postgres:
            ids = ids_from_db()
        else:
            ids = build_sized(url, postgres=postgres, requests=args.requests, seed=1)
            due = close_old(url, 1)
            print(f"closed {due['closed']} requests: {due['due_block']} due for blocking, "
                  f"{due['due_delete']} of them for deletion")
        before = handled_so_far(url)
        sample = task_list_sampler(ids["handler"])
        for _ in range(10):
            sample()
        rest = [sample() for _ in range(args.runs)]
        print(f"{'task list at rest':45s} p50 {percentile(rest, 50):8.1f} ms   p95 {percentile(rest, 95):8.1f} ms")

        outcome: dict[str, object] = {}

        def job() -> None:
            started = time.perf_counter()
            if args.mode == "thread":
                report = run_retention(url=url)
                outcome["handled"] = report.blocked + report.deleted
            else:
                child = subprocess.Popen([sys.executable, "-m", "imi_app.manage", "retention"], cwd=ROOT,
                                         stdout=subprocess.DEVNULL)
                try:
                    child.wait(timeout=args.seconds)
                except subprocess.TimeoutExpired:
                    child.terminate()
                    child.wait()
                outcome["handled"] = handled_so_far(url) - before
            outcome["seconds"] = time.perf_counter() - started

        worker = threading.Thread(target=job)
        worker.start()
        during = []
        while worker.is_alive():
            during.append(sample())
        worker.join()
        handled, seconds = int(outcome["handled"]), float(outcome["seconds"])  # type: ignore[call-overload]
        print(f"retention run ({args.mode}): {handled} blocked or deleted in {seconds:.1f} s "
              f"= {handled / seconds:,.0f} requests/s")
        if during:
            p95_rest, p95_run = percentile(rest, 95), percentile(during, 95)
            print(f"{'task list during the run':45s} p50 {percentile(during, 50):8.1f} ms   p95 {p95_run:8.1f} ms"
                  f"   ({len(during)} reads; {p95_run / p95_rest:.1f}x the p95 at rest, target at most 2x)")
    finally:
        from imi_app.core.db import get_engine

        get_engine(url).dispose()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
