"""For the crash tests (REL-6): the app's process to kill (tests/support/crash_launcher.py), an SMTP server
that records every mail handed to it, and what a database must look like after a crash."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlmodel import select

from imi_app.backup import database as stores
from imi_app.core.db import get_engine, session_scope
from imi_app.mail.models import OutboxMail
from imi_app.requests.models import InfoRequest, RequestEvent

ROOT = Path(__file__).resolve().parents[2]
CASE_ID = re.compile(r"IMI-\d{4}-\d{6}")
KINDS = {"started", "ack", "sent", "ended"}  # the lines tests/support/crash_launcher.py writes
WAIT = 60.0  # seconds for a line the process owes; only a hang takes this long


class ProcessFailed(AssertionError):
    """The process ended by itself or stopped talking; the message holds its stderr."""


class Launcher:
    """tests/support/crash_launcher.py, started with this Python; `start` forks a process doing a job."""

    def __init__(self, folder: Path) -> None:
        self.stderr = folder / "crash-launcher.stderr"
        with self.stderr.open("wb") as errors:
            self.process = subprocess.Popen([sys.executable, "-m", "tests.support.crash_launcher"], cwd=ROOT,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True,
                                            bufsize=1)
        self.lines: queue.Queue[list[str]] = queue.Queue()
        self.last = ""  # the last line read, for the message when the process hangs
        self.running: int | None = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.last = line
            words = line.split()
            # Whole lines of the launcher's own (not what a library might print), not a last part cut short.
            if line.endswith("\n") and words[:1] and words[0] in KINDS:
                self.lines.put(words)
        self.lines.put(["eof"])

    def _fail(self, why: str) -> ProcessFailed:
        return ProcessFailed(f"{why}; stderr:\n{self.stderr.read_text(encoding='utf-8')[-3000:]}")

    def next_line(self, pid: int | None = None) -> list[str]:
        try:
            words = self.lines.get(timeout=WAIT)
        except queue.Empty:
            raise self._fail(f"nothing from process {pid} for {WAIT:.0f} s after {self.last!r}") from None
        if words[0] == "eof":
            raise self._fail("the launcher has gone")
        return words

    def start(self, job: str, **params: object) -> int:
        self.process.stdin.write(f"{job} {json.dumps(params)}\n")
        self.process.stdin.flush()
        words = self.next_line()
        assert words[0] == "started", words
        self.running = int(words[1])
        return self.running

    def until(self, pid: int, kind: str, seen: list[list[str]]) -> None:
        """Collects `pid`'s lines into `seen` up to and with its first line of `kind`; fails if it ends before."""
        while True:
            words = self.next_line(pid)
            assert int(words[1]) == pid, words
            if words[0] == "ended":
                raise self._fail(f"process {pid} ended with {words[2]} before saying {kind}")
            seen.append(words)
            if words[0] == kind:
                return

    def kill(self, pid: int, seen: list[list[str]]) -> None:
        """SIGKILL, then every line it wrote before it died (into `seen`)."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it ended by itself: finish says how
        self.finish(pid, seen, expect=-signal.SIGKILL)

    def finish(self, pid: int, seen: list[list[str]], expect: int = 0) -> None:
        while True:
            words = self.next_line(pid)
            assert int(words[1]) == pid, words
            if words[0] == "ended":
                self.running = None
                if int(words[2]) != expect:
                    raise self._fail(f"process {pid} ended with {words[2]}, not {expect}")
                return
            seen.append(words)

    def close(self) -> None:
        """Ends the launcher, and first the process it runs when a test failed midway."""
        if self.running is not None:
            try:
                os.kill(self.running, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.stdin.close()
        try:
            self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Received:
    """A mail as the server took it."""

    message_id: str
    recipients: tuple[str, ...]
    subject: str
    body: str


@dataclass
class Sink:
    """An SMTP server on loopback that keeps every mail it is handed. `kill_at(pid, n)`: the n-th mail from
    now on kills `pid` once it is received, before the 250 reply: the mail is there, its sender never
    learns it."""

    mails: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    victim: tuple[int, int] | None = None  # (pid, the number of mails at which it dies)
    killed_over: list[str] = field(default_factory=list)  # the Message-ID of each mail a kill interrupted

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.arrived:
            self.mails.append(Received(str(message["Message-ID"]), tuple(envelope.rcpt_tos),
                                       str(message["Subject"]), message.get_body(("plain",)).get_content()))
            self.arrived.notify_all()
        if self.victim is not None and len(self.mails) >= self.victim[1]:
            os.kill(self.victim[0], signal.SIGKILL)
            self.killed_over.append(self.mails[-1].message_id)
            self.victim = None
        return "250 OK"

    def kill_at(self, pid: int, nth: int) -> None:
        self.victim = (pid, len(self.mails) + nth)

    def wait_for(self, count: int) -> bool:
        """Until the server has taken `count` mails in all; False after WAIT seconds."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.mails) >= count, timeout=WAIT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sink(port: int) -> tuple[Sink, Controller]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller


# --- what is in the database after a crash -------------------------------------------------------------

def sqlite_problems(path: Path) -> list[str]:
    """What PRAGMA integrity_check and foreign_key_check find (the restore's own check, imi_app.backup)."""
    integrity, broken = stores.sqlite_findings(path)
    return ([] if integrity == ["ok"] else integrity) + [f"foreign key: {row}" for row in broken]


def wait_until_the_server_let_go(url: str) -> None:
    """PostgreSQL: until no other connection to the database is in a transaction, i.e. the server has rolled
    back the one of the process just killed and released its row locks (a sender started sooner would skip
    the row it had claimed, SKIP LOCKED, and finish without it). SQLite's locks go with the process."""
    if stores.is_sqlite(url):
        return
    busy = sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'")
    deadline = time.monotonic() + WAIT
    with get_engine(url).connect() as connection:
        while connection.execute(busy).scalar_one():
            assert time.monotonic() < deadline, "the server still holds the killed process's transaction"
            connection.rollback()  # a fresh snapshot of pg_stat_activity on the next read
            time.sleep(0.01)


def requests_now() -> dict[int, tuple[str, int, str]]:
    """Every request: id -> (case id, version, status)."""
    with session_scope() as session:
        rows = session.exec(select(InfoRequest.id, InfoRequest.case_id, InfoRequest.version, InfoRequest.status))
        return {row[0]: tuple(row[1:]) for row in rows}


def missing_acknowledgements(acknowledged: list[tuple[int, int, str]], requests: dict) -> list[tuple]:
    """The acknowledged steps (request id, version, status) the database does not hold."""
    return [(rid, version, status) for rid, version, status in acknowledged
            if rid not in requests or requests[rid][1] < version
            or (requests[rid][1] == version and requests[rid][2] != status)]


def mails_by_case() -> Counter:
    """(case id, kind, recipient) -> how many outbox mails."""
    with session_scope() as session:
        rows = session.exec(select(OutboxMail.kind, OutboxMail.recipient, OutboxMail.subject)).all()
    found = Counter()
    for kind, recipient, subject in rows:
        case = CASE_ID.search(subject)
        found[(case.group(0) if case else subject, kind, recipient)] += 1
    return found


def mails_owed(told: dict[str, tuple[str, list[str]]]) -> Counter:
    """The mails the committed steps queued: `told` maps a timeline event to (mail kind, recipients)."""
    with session_scope() as session:
        rows = session.exec(select(InfoRequest.case_id, RequestEvent.kind)
                            .join(RequestEvent, RequestEvent.request_id == InfoRequest.id)).all()
    owed = Counter()
    for case_id, event in rows:
        if event in told:
            kind, recipients = told[event]
            owed.update((case_id, kind, recipient) for recipient in recipients)
    return owed
