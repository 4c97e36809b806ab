"""Scoreboard benchmark: the national coordinator's dashboard of the busiest country, and what keeping the
per-request figures adds to a request step.

Run: .venv/bin/python bench/dashboard.py                      # SQLite in a temp dir, 100 000 requests
     .venv/bin/python bench/dashboard.py --database-url postgresql+psycopg://postgres@127.0.0.1/imi_x
                                                            # PostgreSQL: 1 000 000 requests (RESETS that database)
     .venv/bin/python bench/dashboard.py --database-url sqlite:///data/bench-dashboard.db --reuse  # again, no seeding
Seeds with bench/requests.py, then gives every sent request figures spread over the last 18 months (accepted,
answered, closed and rated as its status says), and prints p50/p95 in ms of the whole dashboard read
(every query of the page: figures, per-authority table, month-by-month trend, charts, what waits on
coordinators), of the first page of the requests behind a figure (where its link leads), and of one figures
refresh (the part a step adds).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from requests import _environment, build_sized, ids_from_db  # noqa: E402 - bench/requests.py, beside this file
from timing import percentile, sample_all  # noqa: E402

DONE = ("closed", "answered", "insisted", "in_referral", "answer_awaiting_approval")


def add_figures(url: str, seed: int) -> int:
    import sqlalchemy as sa

    from imi_app.core.db import get_engine
    from imi_app.requests.models import RequestFigures

    rng = random.Random(seed)
    now = datetime.now(UTC)
    engine = get_engine(url)
    with engine.begin() as conn:
        sent = conn.execute(sa.text("SELECT id, area_id, requesting_authority_id, responding_authority_id, status "
                                    "FROM info_request WHERE sent_at IS NOT NULL OR status <> 'draft'")).all()
    rows = []
    for rid, area, requester, responder, status in sent:
        if status in ("draft", "awaiting_approval"):
            continue
        received = now - timedelta(days=rng.uniform(0, 540))
        accepted = received + timedelta(days=rng.expovariate(1 / 4)) if status != "sent" else None
        answered = accepted + timedelta(days=rng.expovariate(1 / 14)) if accepted and status in DONE else None
        agreed = (accepted + timedelta(days=30)).date() if accepted else None
        closed = answered + timedelta(days=2) if answered and status == "closed" else (
            received + timedelta(days=3) if status == "withdrawn" else None)
        rated = status == "closed" and rng.random() < 0.6
        rows.append({"request_id": rid, "area_id": area, "requesting_authority_id": requester,
                     "responding_authority_id": responder, "status": status, "received_at": received,
                     "accepted_at": accepted, "accept_due_at": received + timedelta(days=7),
                     "accepted_in_time": bool(accepted and accepted <= received + timedelta(days=7)),
                     "answered_at": answered, "answer_days": (answered - accepted).total_seconds() / 86400
                     if answered else None, "agreed_reply_date": agreed,
                     "answered_on_time": (answered.date() <= agreed) if answered and agreed else None,
                     "closed_at": closed, "timeliness": rng.choice(("positive", "neutral", "negative"))
                     if rated else None, "efforts": rng.choice(("positive", "neutral")) if rated else None})
    with engine.begin() as conn:
        for start in range(0, len(rows), 20_000):
            conn.execute(RequestFigures.__table__.insert(), rows[start:start + 20_000])
        conn.exec_driver_sql("ANALYZE")
    return len(rows)


def measure(runs: int, ids: dict) -> list[tuple[str, list[float]]]:
    from imi_app.accounts.models import User
    from imi_app.core.db import session_scope
    from imi_app.requests import figures
    from imi_app.requests.figure_list import FigureFilter, figure_requests
    from imi_app.requests.models import InfoRequest
    from imi_app.scoreboard.board import OUTGOING, coordinator_dashboard, last_months

    with session_scope() as session:
        coordinator = session.get(User, ids["coordinator_da"])
    period = last_months(12, datetime.now(UTC).date())
    rng = random.Random(7)

    def refresh():
        with session_scope() as session:
            request = session.get(InfoRequest, rng.choice(ids["busy_ids"]))
            figures.refresh(session, request)

    def behind(indicator: str):
        wanted = FigureFilter(indicator, period.first, period.last)
        with session_scope(read_only=True) as session:
            return figure_requests(session, actor=coordinator, wanted=wanted)

    cases = [
        ("dashboard, last 12 months, incoming", lambda: coordinator_dashboard(actor=coordinator, period=period)),
        ("dashboard, one area", lambda: coordinator_dashboard(actor=coordinator, period=period, area_id=ids["pq"])),
        ("dashboard, outgoing", lambda: coordinator_dashboard(actor=coordinator, period=period, side=OUTGOING)),
        ("requests behind indicator 1 (tree, first page)", lambda: behind("accepting")),
        ("requests behind indicator 2 (tree, first page)", lambda: behind("answering")),
        ("one figures refresh (in a step, with its commit)", refresh),
    ]
    return sample_all(cases, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a database to RESET and use (default: temp SQLite; postgresql+psycopg://"
                                               "... or sqlite:///path)")
    parser.add_argument("--reuse", action="store_true", help="measure the --database-url an earlier run seeded")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--requests", type=int, help="default 100 000 (SQLite) / 1 000 000 (PostgreSQL)")
    args = parser.parse_args()
    postgres = bool(args.database_url) and args.database_url.startswith("postgresql")
    url, tmp = _environment(args.database_url)
    try:
        if args.reuse and args.database_url:
            ids = ids_from_db()
        else:
            ids = build_sized(url, postgres=postgres, requests=args.requests, seed=1)
            print(f"figures for {add_figures(url, 1)} requests")
        for label, samples in measure(args.runs, ids):
            print(f"{label:55s} p50 {percentile(samples, 50):8.1f} ms   p95 {percentile(samples, 95):8.1f} ms")
    finally:
        from imi_app.core.db import get_engine

        get_engine(url).dispose()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
