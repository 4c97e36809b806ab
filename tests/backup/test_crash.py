"""Crashes lose nothing acknowledged (REL-6): the app's process killed with SIGKILL while it takes request
steps, twenty times, on SQLite and on PostgreSQL.

A step is acknowledged once its commit has returned, as the screen would then tell the user. After every
kill the database must pass its integrity check (SQLite), hold every step acknowledged so far, and hold
exactly the outbox mails of the steps it holds: each committed notification once, none for a step that
is not there.
"""

from __future__ import annotations

import random
import time

import pytest
from imi_app.backup import database as stores
from tests.support import request_factories as r
from tests.support.crashes import (
    Launcher, mails_by_case, mails_owed, missing_acknowledgements, requests_now, sqlite_problems,
)

ROUNDS = 20


@pytest.fixture
def launcher(database, tmp_path):
    started = Launcher(tmp_path)
    yield started
    started.close()


def _writer_parameters(w) -> dict:
    return {"requester": w.a_handler.id, "responder": w.b_handler.id, "area": w.pq.id,
            "responding_authority": w.b.id, "questions": [w.questions["q_authentic"], w.questions["q_awarded"],
                                                           w.questions["q_experience"]]}


def _told(w) -> dict[str, tuple[str, list[str]]]:
    """Which timeline event queues which mail to whom (the writer's steps; accepting tells nobody)."""
    handlers = [w.b_handler.email, w.b_handler2.email]
    return {"sent": ("request_received", [*handlers, w.b.contact_email]),
            "withdrawn": ("request_withdrawn", handlers)}


def _acknowledged(lines: list[list[str]]) -> list[tuple[int, int, str]]:
    return [(int(words[2]), int(words[3]), words[4]) for words in lines if words[0] == "ack" and len(words) == 5]


def test_killing_the_app_during_a_burst_of_request_steps_loses_no_acknowledged_step_and_no_mail(
        database, launcher):
    w = r.build_world()
    parameters, told = _writer_parameters(w), _told(w)
    rng = random.Random()
    acknowledged: list[tuple[int, int, str]] = []
    for round_number in range(1, ROUNDS + 1):
        lines: list[list[str]] = []
        pid = launcher.start("writer", **parameters)
        launcher.until(pid, "ack", lines)  # the restarted app works: a step is committed again
        time.sleep(rng.uniform(0.1, 0.6))
        launcher.kill(pid, lines)
        acknowledged += _acknowledged(lines)
        where = f"after kill {round_number}"
        if stores.is_sqlite(database):
            assert sqlite_problems(stores.sqlite_path(database)) == [], where
        requests = requests_now()
        assert missing_acknowledgements(acknowledged, requests) == [], where
        committed = sum(version - 1 for _, version, _ in requests.values())  # a request is sent at version 2
        assert committed - len(acknowledged) <= round_number, f"{where}: at most the step in flight is not acknowledged"
        owed, queued = mails_owed(told), mails_by_case()
        assert {key: n for key, n in queued.items() if n != owed.get(key)} == {}, f"{where}: mails nobody owes"
        assert {key: n for key, n in owed.items() if n != queued.get(key)} == {}, f"{where}: mails missing"
    assert len(acknowledged) >= ROUNDS, "every restarted process took steps"
    assert len({rid for rid, _, status in acknowledged if status == "withdrawn"}) > 0
