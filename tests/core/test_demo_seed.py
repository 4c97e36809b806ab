"""The demo data: refused in production (nothing written, non-zero exit), loaded with the reference data elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from imi_app import reference
from imi_app.accounts.models import User
from imi_app.core.db import session_scope
from imi_app.demo import DemoDataRefused, coordination, directory, links
from imi_app.demo import seed as demo_seed
from tests.support.database import row_counts, use_environment

ROOT = Path(__file__).resolve().parents[2]


def test_refused_in_production_and_nothing_is_written(database, monkeypatch, capsys):
    use_environment(monkeypatch, "production")
    before = row_counts()
    assert demo_seed.main() == 2
    captured = capsys.readouterr()
    assert "refused" in captured.err and "IMI_ENVIRONMENT is production" in captured.err
    assert "python -m imi_app.accounts.bootstrap" in captured.err
    assert demo_seed.DEMO_PASSWORD not in captured.out + captured.err
    with pytest.raises(DemoDataRefused):
        demo_seed.seed_demo()
    for module in (directory, coordination, links):
        with pytest.raises(DemoDataRefused), session_scope() as session:
            module.seed(session)
    assert row_counts() == before and set(before.values()) == {0}


def test_the_command_exits_non_zero_in_production(database):
    env = {**os.environ, "IMI_ENVIRONMENT": "production"}
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
