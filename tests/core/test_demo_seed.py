"""The demo data: refused in production (nothing written, non-zero exit), loaded with the reference data elsewhere,
its requests dated relative to the day the seed runs."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from imi_app import reference
from imi_app.accounts.models import User
from imi_app.core.db import session_scope
from imi_app.core.time import as_utc, utcnow
from imi_app.demo import DemoDataRefused, coordination, directory, links
from imi_app.demo import seed as demo_seed
from imi_app.requests.models import InfoRequest, RequestEvent, RequestFigures, RequestPerson, RequestRating
from imi_app.requests.queries import DUE_STATUSES
from tests.support.database import environment_settings, row_counts, use_environment

ROOT = Path(__file__).resolve().parents[2]


def test_refused_in_production_and_nothing_is_written(database, monkeypatch, capsys):
    use_environment(monkeypatch, "production")
    before = row_counts()
    assert demo_seed.main() == 2
    captured = capsys.readouterr()
    assert "refused" in captured.err and "IMI_ENVIRONMENT is production" in captured.err
    assert "python -m imi_app.authorities.bootstrap" in captured.err
    assert demo_seed.DEMO_PASSWORD not in captured.out + captured.err
    with pytest.raises(DemoDataRefused):
        demo_seed.seed_demo()
    for module in (directory, coordination, links):
        with pytest.raises(DemoDataRefused), session_scope() as session:
            module.seed(session)
    assert row_counts() == before and set(before.values()) == {0}


def test_the_command_exits_non_zero_in_production(database):
    env = {**os.environ, **environment_settings("production")}
    done = subprocess.run([sys.executable, "-m", "imi_app.demo.seed"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "IMI_ENVIRONMENT is production" in done.stderr and "Demo accounts" not in done.stdout
    assert set(row_counts().values()) == {0}


@pytest.mark.parametrize("environment", ["demo", "dev"])
def test_loaded_with_the_reference_data_outside_production(database, monkeypatch, capsys, environment):
    use_environment(monkeypatch, environment)
    assert demo_seed.main() == 0
    assert "hu.coordinator" in capsys.readouterr().out
    counts = row_counts()
    assert counts["country"] == len(reference.COUNTRIES) and counts["question"] > 0
    assert demo_seed.main() == 0
    assert row_counts() == counts  # running it again adds nothing
    with session_scope() as session:
        assert session.exec(select(User).where(User.username == "hu.handler")).one().is_active


def _requests() -> list[InfoRequest]:
    with session_scope() as session:
        return list(session.exec(select(InfoRequest).order_by(InfoRequest.case_id)).all())


def test_request_dates_follow_the_day_the_seed_runs(database):
    demo_seed.seed_demo()
    now = utcnow()
    requests = _requests()
    assert {r.case_id for r in requests} == set(links.case_ids().values()) and len(requests) == len(links.REQUESTS)
    for request in requests:
        times = [as_utc(t) for t in (request.created_at, request.sent_at, request.updated_at, request.closed_at) if t]
        assert all(now - timedelta(days=60) < t < now for t in times), request.case_id
    overdue = {r.case_id: (now.date() - r.deadline).days for r in requests
               if r.deadline and r.status in DUE_STATUSES and r.deadline < now.date()}
    assert overdue and max(overdue.values()) <= 14, overdue  # a few days overdue, never months


def test_case_ids_take_the_year_each_request_started():
    ids = links.case_ids(date(2031, 2, 10))
    assert ids[108] == "IMI-2031-000108" and ids[101] == "IMI-2031-000101"  # 30 and 35 days before
    assert ids[103] == "IMI-2030-000103" and ids[105] == "IMI-2030-000105"  # 43 and 52 days before: December


def test_seeding_again_on_a_later_day_adds_no_second_copy(database):
    demo_seed.seed_demo()
    first = {(r.case_id, as_utc(r.created_at)) for r in _requests()}
    for later in (utcnow().date() + timedelta(days=1), utcnow().date() + timedelta(days=400)):  # even another year
        with session_scope() as session:
            links.seed(session, today=later)
        assert {(r.case_id, as_utc(r.created_at)) for r in _requests()} == first
    assert len(first) == len(links.REQUESTS)


def test_requests_are_dated_back_from_the_seed_day(database):
    demo_seed.seed_demo()
    with session_scope() as session:  # as if the demo requests had not been seeded yet
        for table in (RequestPerson, RequestEvent, RequestRating, RequestFigures, InfoRequest):
            session.execute(sa.delete(table))
    seed_day = date(2031, 2, 10)
    with session_scope() as session:
        links.seed(session, today=seed_day)
    requests = {r.case_id: r for r in _requests()}
    assert set(requests) == set(links.case_ids(seed_day).values())
    sent = requests["IMI-2031-000101"]  # started 35 days before, due 30 days later
    assert as_utc(sent.created_at) == datetime(2031, 1, 6, 9, 30, tzinfo=UTC)
    assert sent.deadline == date(2031, 2, 5)
    assert as_utc(requests["IMI-2030-000103"].created_at).date() == date(2030, 12, 29)
