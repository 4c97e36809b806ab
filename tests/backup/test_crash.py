"""Crashes lose nothing acknowledged (REL-6): the app's process killed with SIGKILL while it takes request
steps, twenty times, and the mail sender killed while it sends, on SQLite and on PostgreSQL.

A step is acknowledged once its commit has returned, as the screen would then tell the user. After every
kill the database must pass its integrity check (SQLite), hold every step acknowledged so far, and hold
exactly the outbox mails of the steps it holds: each committed notification once, none for a step that
is not there. The sender delivers at least once; a mail it hands over again carries the same Message-ID.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from imi_app.backup import database as stores
from imi_app.core.db import session_scope
from imi_app.core.settings import get_settings
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.mail.sender import CLAIM_LEASE
from imi_app.mail.transport import message_id
from imi_app.requests import service
from tests.support import request_factories as r
from tests.support.crashes import (
    Launcher, free_port, mails_by_case, mails_owed, missing_acknowledgements, requests_now, sqlite_problems,
    start_sink, wait_until_the_server_let_go,
)

ROUNDS = 20
SENDER_ROUNDS = 6


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


def _outbox_with_notifications(w, requests: int) -> list[OutboxMail]:
    for _ in range(requests):
        service.save_and_submit(actor=w.a_handler, request_id=None, expected_version=0, data=r.draft_input(w))
    with session_scope() as session:
        return list(session.exec(select(OutboxMail).order_by(OutboxMail.id)).all())


@pytest.fixture
def sink(database, monkeypatch):
    """The SMTP server the sender hands the mails to, on loopback."""
    port = free_port()
    for name, value in {"IMI_SMTP_HOST": "127.0.0.1", "IMI_SMTP_PORT": str(port),
                        "IMI_SMTP_STARTTLS": "false"}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    started, controller = start_sink(port)
    yield started
    controller.stop()


def _later(round_number: int) -> float:
    """The sender of this round starts after the claims of every one killed before it have lapsed."""
    return round_number * (CLAIM_LEASE + timedelta(seconds=1)).total_seconds()


def test_killing_the_sender_mid_batch_delivers_every_mail_at_least_once_and_a_resend_keeps_its_message_id(
        database, sink, tmp_path):
    w = r.build_world()
    queued = _outbox_with_notifications(w, 24)
    expected = {message_id(mail, get_settings()) for mail in queued}
    launcher = Launcher(tmp_path)
    rng = random.Random()
    try:
        for round_number in range(SENDER_ROUNDS):
            pid = launcher.start("sender", later=_later(round_number))
            if round_number % 2:  # between a mail's acceptance and the sender's record of it
                sink.kill_at(pid, rng.randint(1, 4))
                launcher.finish(pid, [], expect=-signal.SIGKILL)
            else:  # a moment later: recording that mail, claiming the next one, handing it over
                assert sink.wait_for(len(sink.mails) + rng.randint(1, 4)), "the restarted sender sends"
                time.sleep(rng.uniform(0.0, 0.02))
                launcher.kill(pid, [])
            wait_until_the_server_let_go(database)
        pid = launcher.start("sender", later=_later(SENDER_ROUNDS))
        launcher.finish(pid, [])
    finally:
        launcher.close()

    with session_scope() as session:
        statuses = Counter(session.exec(select(OutboxMail.status)).all())
    assert statuses == {MailStatus.SENT: len(queued)}, "every mail is delivered and recorded so"
    copies = Counter(mail.message_id for mail in sink.mails)
    assert set(copies) == expected, "each outbox row reached the server under its own Message-ID"
    for mid in copies:
        versions = {(m.recipients, m.subject, m.body) for m in sink.mails if m.message_id == mid}
        assert len(versions) == 1, f"{mid} names one mail, however often it was sent"
    resent = {mid: n for mid, n in copies.items() if n > 1}
    assert len(sink.killed_over) == SENDER_ROUNDS // 2
    assert set(sink.killed_over) <= set(resent), "a mail accepted just before the kill is sent again"
    assert sum(n - 1 for n in resent.values()) <= SENDER_ROUNDS, "a kill resends at most the mail in flight"
