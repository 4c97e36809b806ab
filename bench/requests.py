"""Request workflow benchmark: p50/p95 of the task list, overview pages, opening a request and one step.

Run: .venv/bin/python bench/requests.py                       # SQLite in a temp dir, 100 000 requests
     .venv/bin/python bench/requests.py --database-url postgresql+psycopg://postgres@127.0.0.1/imi_x
                                                             # PostgreSQL: 1 000 000 requests, 15 000 authorities,
                                                             # 60 000 users (counts are options)
A PostgreSQL database named with --database-url is RESET (DROP SCHEMA public CASCADE): name only one you can lose.
--explain logs the SQL of one overview call; --index adds an index after loading ("name:table:col1,col2") to compare;
--reuse measures a PostgreSQL database an earlier run seeded, without seeding again.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
             "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
AREAS = ("professional_qualifications", "services", "posting_of_workers", "patients_rights")
SUBJECTS = ("Verification of a medical diploma", "Good standing certificate of a nurse", "Registration of a "
            "service provider", "Árvíztűrő tükörfúrógép licence", "Disciplinary record of a surgeon",
            "Authenticity of a professional licence", "Insurance of a posted worker", "Prescription validity")
# status -> share of requests
STATUSES = (("closed", 0.48), ("withdrawn", 0.03), ("draft", 0.05), ("awaiting_approval", 0.01), ("sent", 0.12),
            ("accepted", 0.17), ("answer_awaiting_approval", 0.01), ("answered", 0.08), ("insisted", 0.03),
            ("in_referral", 0.02))
CHUNK = 20_000
OTHERS_THAN_DE = tuple(c for c in COUNTRIES if c != "DE")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _environment(database_url: str | None) -> tuple[str, str]:
    tmp = tempfile.mkdtemp(prefix="imi-bench-requests-")
    url = database_url or f"sqlite:///{tmp}/bench.db"
    os.environ.update({
        "IMI_ENVIRONMENT": "test", "IMI_BCRYPT_ROUNDS": "4", "IMI_DATA_DIR": tmp, "IMI_DATABASE_URL": url,
        "IMI_PASSWORD_PEPPER": "bench-pepper-" + "x" * 32, "IMI_CODE_PEPPER": "bench-code-" + "y" * 32,
        "IMI_TOTP_KEY": "bench-totp-" + "z" * 32, "IMI_SESSION_KEY": "bench-session-" + "w" * 32,
    })
    return url, tmp


class Loader:
    """Bulk inserts: COPY on PostgreSQL, executemany through SQLAlchemy Core on SQLite."""

    def __init__(self, engine):
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def insert(self, table, rows) -> int:
        count, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                count += self._flush(table, batch)
                batch = []
        if batch:
            count += self._flush(table, batch)
        return count

    def _flush(self, table, batch: list[dict]) -> int:
        columns = list(batch[0])
        with self.engine.begin() as conn:
            if self.postgres:
                from psycopg.types.json import Json

                raw = conn.connection.driver_connection
                with raw.cursor() as cursor, cursor.copy(
                        f"COPY \"{table.name}\" ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row([Json(v) if isinstance(v, dict) else v for v in row.values()])
            else:
                conn.execute(table.insert(), batch)
        return len(batch)


def build(url: str, *, requests: int, authorities: int, users: int, seed: int) -> dict:
    """Migrates and fills the database; returns the ids the measurements use."""
    from imi_app.core.db import get_engine, migrate
    from imi_app.authorities.models import Authority, AuthorityArea, Country, LegislativeArea
    from imi_app.requests.models import (
        InfoRequest, Question, RequestAllocation, RequestEvent, RequestPerson, RequestQuestion,
    )
    from imi_app.accounts.models import RoleAssignment, User
    from imi_app.security import passwords
    from imi_app.core.text import fold

    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    migrate(url)
    load = Loader(engine)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = now.date()
    started = time.perf_counter()
    area_ids = {code: i for i, code in enumerate(AREAS, start=1)}
    load.insert(Country.__table__, ({"code": c} for c in COUNTRIES))
    load.insert(LegislativeArea.__table__, ({"id": i, "code": c, "names": {"en": c}} for c, i in area_ids.items()))
    load.insert(Question.__table__, ({"id": a * 10 + k, "area_id": a, "code": f"q{a}_{k}", "position": k,
                                      "answer_type": ("yes_no", "date", "text")[k % 3],
                                      "texts": {"en": f"Question {k}", "hu": f"Kérdés {k}"}}
                                     for a in area_ids.values() for k in range(1, 6)))
    # Authorities: one coordinator per country, the rest below it; authority 28 (DE) is the busy one.
    rows, by_area_country = [], {}
    coordinators = {}
    for index in range(1, authorities + 1):
        country = COUNTRIES[(index - 1) % len(COUNTRIES)]
        is_coordinator = country not in coordinators
        coordinators.setdefault(country, index)
        areas = list(area_ids.values()) if is_coordinator or index <= 2 * len(COUNTRIES) else \
            rng.sample(list(area_ids.values()), rng.randint(1, 2))
        name = f"{'IMI coordinator' if is_coordinator else 'Authority'} {index} {country}"
        rows.append({"id": index, "country_code": country, "official_name": name, "name_key": fold(name),
                     "is_coordinator": is_coordinator, "status": "active", "contact_email": f"a{index}@x.example",
                     "parent_coordinator_id": None if is_coordinator else coordinators[country], "address": "",
                     "phone": "", "languages": "en", "rejection_reason": "", "created_at": now, "_areas": areas})
        if not is_coordinator:
            for area in areas:
                by_area_country.setdefault((area, country), []).append(index)
    load.insert(Authority.__table__, ({k: v for k, v in r.items() if k != "_areas"} for r in rows))
    load.insert(AuthorityArea.__table__, ({"authority_id": r["id"], "area_id": a, "keywords": "", "keywords_key": ""}
                                          for r in rows for a in r["_areas"]))
    # Users: per authority a handler of every area, an allocator, a basic user, and more handlers to `users`.
    password_hash = passwords.hash_password("bench-password-123")
    per_authority = max(2, users // authorities)
    user_rows, role_rows, handlers_of = [], [], {}
    user_id = 0
    for r in rows:
        for k in range(per_authority):
            user_id += 1
            user_rows.append({"id": user_id, "authority_id": r["id"], "username": f"u{user_id}",
                              "username_key": f"u{user_id}", "email": f"u{user_id}@x.example",
                              "email_key": f"u{user_id}@x.example", "full_name": f"User {user_id}", "phone": "",
                              "language": "en", "is_active": True, "is_lda": k == 0, "password_hash": password_hash,
                              "password_is_temporary": False, "challenge_positions": "1,2,3", "totp_enabled": False,
                              "totp_last_step": 0, "failed_logins": 0, "created_at": now,
                              "notify_mode": "immediate"})
            role = "allocator" if k == 1 else "request_handler" if k != per_authority - 1 else None
            for area in (r["_areas"] if role else []):
                role_rows.append({"user_id": user_id, "area_id": area, "role": role})
                if role == "request_handler":
                    handlers_of.setdefault((r["id"], area), []).append(user_id)
            if r["is_coordinator"] and k in (0, 2):
                role_rows += [{"user_id": user_id, "area_id": a, "role": "data_administrator"} for a in r["_areas"]]
    load.insert(User.__table__, user_rows)
    load.insert(RoleAssignment.__table__, ({"id": i, **row} for i, row in enumerate(role_rows, start=1)))
    busy, pq = coordinators["DE"] + len(COUNTRIES), area_ids["professional_qualifications"]
    statuses, weights = zip(*STATUSES, strict=True)
    busy_share = max(0.02, min(0.8, 14_000 / requests))
    year_counters: dict[int, int] = {}

    def request_rows():
        for request_id in range(1, requests + 1):
            if rng.random() < busy_share:
                area, responder = pq, busy
                requester = rng.choice(by_area_country[(pq, rng.choice(OTHERS_THAN_DE))])
            else:
                area = rng.choice(list(area_ids.values()))
                c1, c2 = rng.sample(COUNTRIES, 2)
                requester, responder = rng.choice(by_area_country[(area, c1)]), rng.choice(by_area_country[(area, c2)])
            status = rng.choices(statuses, weights)[0]
            created = now - timedelta(days=rng.uniform(0, 3 * 365), seconds=rng.randint(0, 86400))
            year_counters[created.year] = year_counters.get(created.year, 0) + 1
            sent = None if status in ("draft", "awaiting_approval") else created + timedelta(hours=2)
            proposed = (created + timedelta(days=30)).date()
            open_ = status not in ("closed", "withdrawn")
            deadline = (today + timedelta(days=rng.randint(-20, 40))) if open_ and sent else \
                (proposed if sent else None)
            updated = created + timedelta(days=rng.uniform(0, 30)) if not open_ else now - timedelta(
                seconds=rng.randint(0, 90 * 86400))
            subject = f"{rng.choice(SUBJECTS)} #{request_id}"
            yield {"id": request_id, "case_id": f"IMI-{created.year}-{year_counters[created.year]:06d}",
                   "area_id": area, "requesting_authority_id": requester, "responding_authority_id": responder,
                   "forwarded_from_authority_id": None, "status": status, "subject": subject,
                   "subject_key": fold(subject), "free_text": "Please confirm.", "proposed_reply_date": proposed,
                   "agreed_reply_date": deadline if status not in ("sent", "draft") else None, "deadline": deadline,
                   "more_info_requested": status in ("insisted", "in_referral"),
                   "created_by_user_id": None, "created_at": created, "updated_at": max(updated, created),
                   "sent_at": sent, "closed_at": updated if not open_ else None, "personal_data_blocked_at": None,
                   "version": 3}

    meta: list[tuple[int, str, int, int, int]] = []

    def remember(rows_):
        for row in rows_:
            meta.append((row["id"], row["status"], row["responding_authority_id"], row["area_id"],
                         row["requesting_authority_id"]))
            yield row

    load.insert(InfoRequest.__table__, remember(request_rows()))
    load.insert(RequestQuestion.__table__, ({"id": 2 * rid - k, "request_id": rid, "question_id": area * 10 + 1 + k,
                                             "answer": "yes" if status not in ("sent", "accepted", "draft") else None}
                                            for rid, status, _r, area, _q in meta for k in (0, 1)))
    country_of = {r["id"]: r["country_code"] for r in rows}

    def events():
        for rid, status, responder, _area, requester in meta:
            yield {"id": 2 * rid - 1, "request_id": rid, "at": now, "kind": "created", "note": "",
                   "actor_authority_id": requester, "data": {"internal": "requester"}}
            # An approval round is open: the national coordinator of that side is due.
            if status == "awaiting_approval":
                yield {"id": 2 * rid, "request_id": rid, "at": now, "kind": "submitted_for_approval", "note": "",
                       "actor_authority_id": requester, "data": {"internal": "requester", "approvers": [
                           coordinators[country_of[requester]]]}}
            elif status == "answer_awaiting_approval":
                yield {"id": 2 * rid, "request_id": rid, "at": now, "kind": "answer_submitted", "note": "",
                       "actor_authority_id": responder, "data": {"internal": "responder", "reply": "", "approvers": [
                           coordinators[country_of[responder]]]}}

    load.insert(RequestEvent.__table__, events())
    load.insert(RequestPerson.__table__, ({"request_id": rid, "kind": "person", "full_name": f"Person {rid}",
                                           "nationality": "", "registration_number": "", "address": "",
                                           "other_details": "", "name_key": f"person {rid}", "identifier_key": ""}
                                          for rid, *_ in meta if rid % 10 == 0))
    allocated = ({"request_id": rid, "user_id": rng.choice(handlers_of[(resp, area)]), "allocated_at": now}
                 for rid, status, resp, area, _q in meta
                 if status in ("sent", "accepted") and resp != busy and rng.random() < 0.3
                 and (resp, area) in handlers_of)
    load.insert(RequestAllocation.__table__, allocated)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("authority", "legislative_area", "question", "user", "role_assignment", "info_request",
                          "request_question", "request_event"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                     f"(SELECT max(id) FROM \"{table}\"))")
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    print(f"seeded {requests} requests, {authorities} authorities, {len(user_rows)} users, {len(role_rows)} roles "
          f"in {time.perf_counter() - started:.0f} s ({engine.dialect.name}); busy authority {busy} receives "
          f"{sum(1 for m in meta if m[2] == busy)} requests")
    de_coordinator_da = next(u["id"] for u in user_rows if u["authority_id"] == coordinators["DE"]
                             and any(r["user_id"] == u["id"] and r["role"] == "data_administrator" for r in role_rows))
    return {"busy": busy, "pq": pq, "handler": handlers_of[(busy, pq)][0], "coordinator_da": de_coordinator_da,
            "busy_ids": [m[0] for m in meta if m[2] == busy and m[1] not in ("draft", "awaiting_approval")],
            "sent_ids": [m[0] for m in meta if m[2] == busy and m[1] == "sent"]}


def ids_from_db() -> dict:
    """The ids `measure` needs, read from a database an earlier run seeded (--reuse)."""
    import sqlalchemy as sa
    from sqlmodel import select

    from imi_app.core.db import session_scope
    from imi_app.authorities.models import Authority, LegislativeArea
    from imi_app.requests.models import InfoRequest
    from imi_app.accounts.models import RoleAssignment, User

    with session_scope() as session:
        pq = session.exec(select(LegislativeArea.id).where(LegislativeArea.code == AREAS[0])).one()
        busy = session.exec(select(InfoRequest.responding_authority_id).group_by(InfoRequest.responding_authority_id)
                            .order_by(sa.func.count().desc()).limit(1)).one()
        handler = session.exec(select(RoleAssignment.user_id).join(User, User.id == RoleAssignment.user_id).where(
            User.authority_id == busy, RoleAssignment.area_id == pq, RoleAssignment.role == "request_handler")
            .order_by(User.id)).first()
        de = session.exec(select(Authority.id).where(Authority.country_code == "DE", Authority.is_coordinator)).one()
        coordinator_da = session.exec(select(RoleAssignment.user_id).join(User, User.id == RoleAssignment.user_id)
                                      .where(User.authority_id == de, RoleAssignment.role == "data_administrator")
                                      .order_by(User.id)).first()
        rows = session.exec(select(InfoRequest.id, InfoRequest.status).where(
            InfoRequest.responding_authority_id == busy)).all()
    return {"busy": busy, "pq": pq, "handler": handler, "coordinator_da": coordinator_da,
            "busy_ids": [i for i, s in rows if s not in ("draft", "awaiting_approval")],
            "sent_ids": [i for i, s in rows if s == "sent"]}


def add_indexes(url: str, specs: list[str]) -> None:
    from imi_app.core.db import get_engine

    with get_engine(url).begin() as conn:
        for spec in specs:
            name, table, columns = spec.split(":")
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        conn.exec_driver_sql("ANALYZE")
    print(f"added indexes: {', '.join(specs)}")


def measure(runs: int, ids: dict) -> list[tuple[str, list[float]]]:
    from sqlmodel import select

    from imi_app.core.db import session_scope
    from imi_app.requests.models import InfoRequest
    from imi_app.accounts.models import User
    from imi_app.requests import actions as rq
    from imi_app.requests.overview import OverviewFilters, overview
    from imi_app.requests.detail import request_detail
    from imi_app.requests.queries import task_list

    with session_scope() as session:
        handler = session.get(User, ids["handler"])
        coordinator = session.get(User, ids["coordinator_da"])
    rng = random.Random(7)
    filters = OverviewFilters(area_id=ids["pq"], direction="incoming")
    with session_scope() as session:  # walk to page 200 once; the timed call reads it with its cursor
        cursor = None
        for _ in range(199):
            cursor = overview(session, actor=handler, filters=filters, after=cursor, limit=50).next_cursor
    assert cursor is not None, "not enough requests for page 200"
    sent = list(ids["sent_ids"])
    rng.shuffle(sent)

    def timed(fn):
        def run():
            with session_scope() as session:
                fn(session)
        return run

    def transition(session):
        request_id = sent.pop()
        version = session.exec(select(InfoRequest.version).where(InfoRequest.id == request_id)).one()
        rq.accept(session, actor=handler, request_id=request_id, expected_version=version,
                  reply_date=date.today() + timedelta(days=10))

    cases = [
        ("task list of a busy handler", timed(lambda s: task_list(s, actor=handler, limit=50))),
        ("task list of a coordinator (approvals)", timed(lambda s: task_list(s, actor=coordinator, limit=50))),
        ("overview page 1 (incoming, area)", timed(lambda s: overview(s, actor=handler, filters=filters))),
        ("overview page 200 (keyset, same filters)",
         timed(lambda s: overview(s, actor=handler, filters=filters, after=cursor))),
        ("overview page 1, all directions", timed(lambda s: overview(s, actor=handler))),
        ("overview page 1, sorted by deadline", timed(lambda s: overview(s, actor=handler, sort="deadline"))),
        ("overview page 1, status accepted + overdue",
         timed(lambda s: overview(s, actor=handler, filters=OverviewFilters(status="accepted", overdue=True)))),
        ("overview search 'arviztur'", timed(lambda s: overview(s, actor=handler,
                                                                 filters=OverviewFilters(search="arviztur")))),
        ("open one request", timed(lambda s: request_detail(s, actor=handler, request_id=rng.choice(ids["busy_ids"]),
                                                            language="hu"))),
        ("one transition (accept, with commit)", timed(transition)),
    ]
    with session_scope() as session:
        print("handler's tasks:", task_list(session, actor=handler).counts)
        print("coordinator's tasks:", task_list(session, actor=coordinator).counts)
    results = []
    for label, fn in cases:
        fn()  # warm-up
        samples = []
        for _ in range(min(runs, len(sent) - 2) if "transition" in label else runs):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        results.append((label, samples))
    return results


def explain(url: str, ids: dict) -> None:
    """Prints the plans of the statements the overview page 1 runs (SQL echo of one call)."""
    import logging

    from imi_app.core.db import session_scope
    from imi_app.accounts.models import User
    from imi_app.requests.overview import OverviewFilters, overview

    with session_scope() as session:
        handler = session.get(User, ids["handler"])
    logging.basicConfig()
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    with session_scope() as session:
        overview(session, actor=handler, filters=OverviewFilters(area_id=ids["pq"], direction="incoming"))
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL database to RESET and use (default: temp SQLite)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--requests", type=int, help="default 100 000 (SQLite) / 1 000 000 (PostgreSQL)")
    parser.add_argument("--authorities", type=int, help="default 3 000 (SQLite) / 15 000 (PostgreSQL)")
    parser.add_argument("--users", type=int, help="default 12 000 (SQLite) / 60 000 (PostgreSQL)")
    parser.add_argument("--index", action="append", default=[], help="name:table:columns, added after loading")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite database and print its path")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: measure the database an earlier run seeded")
    args = parser.parse_args()
    postgres = bool(args.database_url)
    url, tmp = _environment(args.database_url)
    try:
        run(args, url, postgres)
    finally:
        from imi_app.core.db import get_engine

        get_engine(url).dispose()
        if args.keep:
            print(f"kept {url}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)  # the throw-away SQLite database and data dir


def build_sized(url: str, *, postgres: bool, requests: int | None = None, authorities: int | None = None,
                users: int | None = None, seed: int = 42) -> dict:
    """`build` with the default sizes: 1 000 000 requests on PostgreSQL, 100 000 on SQLite, and their people."""
    return build(url, requests=requests or (1_000_000 if postgres else 100_000),
                 authorities=authorities or (15_000 if postgres else 3_000),
                 users=users or (60_000 if postgres else 12_000), seed=seed)


def run(args, url: str, postgres: bool) -> None:
    if args.reuse and postgres:
        ids = ids_from_db()
    else:
        ids = build_sized(url, postgres=postgres, requests=args.requests, authorities=args.authorities,
                          users=args.users)
    if args.index:
        add_indexes(url, args.index)
    if args.explain:
        explain(url, ids)
    results = measure(args.runs, ids)
    print(f"\n{'case':<46} {'p50 ms':>8} {'p95 ms':>8} {'runs':>6}")
    for label, samples in results:
        print(f"{label:<46} {percentile(samples, 50):8.2f} {percentile(samples, 95):8.2f} {len(samples):6d}")

if __name__ == "__main__":
    main()
