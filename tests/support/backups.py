"""For backup tests: the empty installation a backup is restored into, and a request with a file to back up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from imi_app.backup import database as stores
from imi_app.core import db
from imi_app.core.settings import get_settings
from imi_app.requests import service
from tests.conftest import PG_URL
from tests.support import postgres
from tests.support import request_factories as r

NOTE = b"Diploma register extract, page 1.\n"


@dataclass
class Target:
    """An empty installation of the same kind as the source: a database and a data folder of its own."""

    url: str
    data_dir: Path
    monkeypatch: pytest.MonkeyPatch

    def environment(self) -> dict[str, str]:
        return {"IMI_DATABASE_URL": self.url, "IMI_DATA_DIR": str(self.data_dir)}

    def use(self) -> None:
        for name, value in self.environment().items():
            self.monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    def is_untouched(self) -> bool:
        return stores.is_empty(self.url) and not self.data_dir.exists()


def fresh_database(tmp_path: Path, like: str, name: str) -> str:
    if stores.is_sqlite(like):
        return f"sqlite:///{tmp_path / name / 'imi.db'}"
    return postgres.create_database(PG_URL)


def forget(url: str) -> None:
    engine = db._ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
    if not stores.is_sqlite(url):
        postgres.drop_database(PG_URL, url)


def request_with_file(w) -> int:
    result = service.save_with_files(actor=w.a_handler, request_id=None, expected_version=0, data=r.draft_input(w),
                                     files=[("extract.txt", NOTE)], send=True)
    return result.request_id
