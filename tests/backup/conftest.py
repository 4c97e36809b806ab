"""The empty installation of the same kind as the test's database that a backup is restored into."""

from __future__ import annotations

import pytest

from tests.support.backups import Target, forget, fresh_database


@pytest.fixture
def target(database, tmp_path, monkeypatch) -> Target:
    url = fresh_database(tmp_path, database, "restored")
    yield Target(url, tmp_path / "restored-data", monkeypatch)
    forget(url)
