"""Outbox and sender against a real database (migrations) and a real SMTP server on loopback (REL-2)."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlmodel import select

from imi_app.core import db
from imi_app.core.db import get_engine, migrate, session_scope
from imi_app.mail import sender as sender_module
from imi_app.mail.outbox import DELIVERED_BODY, UNDELIVERED_BODY, list_mail, queue_mail
from imi_app.mail.sender import deliver_due, run_sender
from imi_app.mail.templates import TEMPLATES, render
from imi_app.mail.transport import deliver, message_id, smtp_options
from imi_app.core.time import as_utc, utcnow
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.core.settings import get_settings
from tests.support import postgres

PASSWORD = "Tmp-7hZq2-Lw9x-Kp4R"
USERNAME = "kovacs.ors.hu"
RECIPIENT = "ors.kovacs@example.hu"
PG_URL = os.environ.get("IMI_TEST_DATABASE_URL")


def _params(**extra) -> dict:
    return {"name": "Őrs Kovács", "authority": "Nemzeti Hatóság", "password": PASSWORD,
            "username": USERNAME, **extra}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _use_database(url: str, tmp_path, monkeypatch, revision: str = "head") -> str:
    monkeypatch.setenv("IMI_DATABASE_URL", url)
    monkeypatch.setenv("IMI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("IMI_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    migrate(url, revision)
    return url


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    yield _use_database(f"sqlite:///{tmp_path / 'imi.db'}", tmp_path, monkeypatch)
    get_settings.cache_clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path, monkeypatch):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'imi.db'}"
    else:
        if not PG_URL:
            pytest.skip("IMI_TEST_DATABASE_URL not set")
        url = request.getfixturevalue("empty_postgres_database")
    yield _use_database(url, tmp_path, monkeypatch)
    get_settings.cache_clear()


@pytest.fixture
def smtp(monkeypatch):
    collector = Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("IMI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("IMI_SMTP_PORT", str(port))
    monkeypatch.setenv("IMI_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    collector.stop = controller.stop
    yield collector
    if collector.stop is controller.stop:
        controller.stop()
    get_settings.cache_clear()


def _queue(language: str = "en", kind: str = "temporary_password", **extra) -> int:
    with session_scope() as session:
        mail = queue_mail(session, recipient=RECIPIENT, kind=kind, language=language,
                          params=_params(**extra), user_id=7)
        session.flush()
        return mail.id


def _row(mail_id: int) -> OutboxMail:
    with session_scope() as session:
        return session.get(OutboxMail, mail_id)


def _parsed(envelope):
    return message_from_bytes(envelope.original_content, policy=policy.default)


def test_committed_mail_is_delivered_and_scrubbed(any_db_url, smtp):
    mail_id = _queue()
    assert _row(mail_id).status == MailStatus.PENDING

    assert deliver_due() == 1

    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == [RECIPIENT]
    message = _parsed(envelope)
    assert message["Subject"] == "Your IMI account"
    assert message["To"] == RECIPIENT
    text = message.get_body(("plain",)).get_content()
    assert PASSWORD in text and "Őrs Kovács" in text
    assert "IMI — Internal Market Information system" in text
    row = _row(mail_id)
    assert row.status == MailStatus.SENT and row.sent_at is not None
    assert row.body_text == DELIVERED_BODY
    assert deliver_due() == 0 and len(smtp.envelopes) == 1


def test_rolled_back_mail_is_never_sent(db_url, smtp):
    with pytest.raises(RuntimeError):
        with session_scope() as session:
            queue_mail(session, recipient=RECIPIENT, kind="account_blocked", language="en",
                       params={"name": "Ő", "count": 5})
            raise RuntimeError("the change that caused the mail failed")
    assert deliver_due() == 0
    assert smtp.envelopes == []
    with session_scope() as session:
        assert session.exec(select(OutboxMail)).all() == []


def test_smtp_down_keeps_mail_pending_with_backoff(db_url, smtp):
    smtp.stop()
    smtp.stop = None
    mail_id = _queue()
    now = utcnow()

    assert deliver_due(now=now) == 0

    row = _row(mail_id)
    assert row.status == MailStatus.PENDING and row.attempts == 1
    assert as_utc(row.next_attempt_at) > now
    assert row.last_error and PASSWORD not in row.last_error
    assert len(row.last_error) <= 500
    # Not due again until the backoff has passed.
    assert deliver_due(now=now + timedelta(seconds=1)) == 0
    assert _row(mail_id).attempts == 1


def test_gives_up_after_max_attempts(db_url, smtp, monkeypatch):
    monkeypatch.setenv("IMI_MAIL_MAX_ATTEMPTS", "3")
    get_settings.cache_clear()
    smtp.stop()
    smtp.stop = None
    mail_id = _queue()
    now = utcnow()
    for step in range(3):
        deliver_due(now=now + timedelta(hours=2 * step))
    row = _row(mail_id)
    assert row.status == MailStatus.FAILED and row.attempts == 3
    assert row.body_text == UNDELIVERED_BODY
    assert deliver_due(now=now + timedelta(days=1)) == 0
    assert _row(mail_id).attempts == 3


def test_without_smtp_writes_eml_file(db_url):
    mail_id = _queue(kind="account_blocked", count=5)

    assert deliver_due() == 1

    row = _row(mail_id)
    assert row.status == MailStatus.WRITTEN and row.body_text == DELIVERED_BODY
    (path,) = get_settings().mail_dir.glob("*.eml")
    assert path.name.endswith(f"-{mail_id}-account_blocked.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == RECIPIENT
    assert message["Subject"] == "Your IMI account has been blocked"
    assert "5 failed sign-in attempts" in message.get_content()
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_non_ascii_headers_are_encoded(db_url, smtp, monkeypatch):
    monkeypatch.setenv("IMI_MAIL_FROM", "Őrző Hűtő <imi@example.hu>")
    get_settings.cache_clear()
    _queue()
    with session_scope() as session:
        session.exec(sa.update(OutboxMail).values(subject="Fiók létrehozva – Őrs, ű"))
    deliver_due()
    raw = smtp.envelopes[0].original_content
    head = raw.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # RFC 2047 words only, no raw UTF-8 in the header
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Fiók létrehozva – Őrs, ű"
    assert message["From"].addresses[0].display_name == "Őrző Hűtő"


def test_temporary_password_mail_never_contains_username():
    subject, body = render("temporary_password", "en", url="https://imi.example", hours=72,
                           **_params())
    assert PASSWORD in body and "72 hours" in body and "https://imi.example" in body
    assert "Nemzeti Hatóság" in body
    assert USERNAME not in body and USERNAME not in subject
    for subject_id, body_id in TEMPLATES.values():
        assert "{username}" not in subject_id + body_id


def test_render_needs_its_parameters():
    with pytest.raises(ValueError, match="password"):
        render("password_reset", "en", name="Őrs Kovács", hours=72, url="x")
    with pytest.raises(ValueError):
        render("no_such_kind", "en")


def test_parallel_workers_send_each_mail_once(any_db_url, smtp):
    ids = [_queue() for _ in range(12)]
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(deliver_due())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 12 and len(smtp.envelopes) == 12
    assert {_row(i).status for i in ids} == {MailStatus.SENT}


def test_list_mail_pages_newest_first_without_bodies(db_url):
    ids = [_queue() for _ in range(3)]
    with session_scope() as session:
        rows, total = list_mail(session, page=1, page_size=2)
        assert total == 3 and [r.id for r in rows] == ids[::-1][:2]
        assert all(r.body_text == "" for r in rows)
        rows, total = list_mail(session, page=2, page_size=2, status=MailStatus.PENDING)
        assert total == 3 and [r.id for r in rows] == ids[:1]
        assert list_mail(session, page=1, status=MailStatus.SENT) == ([], 0)
    assert PASSWORD in _row(ids[0]).body_text  # the listing changed nothing


def test_queue_refuses_header_injection(db_url):
    with session_scope() as session:
        with pytest.raises(ValueError):
            queue_mail(session, recipient="a@b.hu\r\nBcc: x@y.hu", kind="account_blocked",
                       language="en", params={"name": "x", "count": 5})


def test_smtp_options_use_starttls_and_login(monkeypatch):
    monkeypatch.setenv("IMI_SMTP_HOST", "mail.example.hu")
    monkeypatch.setenv("IMI_SMTP_USER", "imi")
    monkeypatch.setenv("IMI_SMTP_PASSWORD", "s3cret")
    get_settings.cache_clear()
    try:
        options = smtp_options(get_settings())
    finally:
        get_settings.cache_clear()
    assert options["tls"] is True and options["ssl"] is False and options["timeout"] == 10
    assert options["user"] == "imi" and options["password"] == "s3cret"


def test_run_sender_survives_errors_and_stops_on_cancel(db_url, monkeypatch):
    monkeypatch.setenv("IMI_MAIL_POLL_SECONDS", "0.01")
    get_settings.cache_clear()
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away")
        return 0

    monkeypatch.setattr(sender_module, "deliver_due", flaky)

    async def scenario():
        task = asyncio.create_task(run_sender())
        while len(calls) < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        await task
        return task

    task = asyncio.run(scenario())
    assert task.done() and task.exception() is None


# --- secrets at rest and idempotent delivery ----------------------------------------------------

BEFORE_SEALING = "be82001163d9"


def _stored_body(mail_id: int, url: str | None = None) -> str:
    """The column as the database holds it, past the model's column type."""
    with get_engine(url).connect() as conn:
        return conn.execute(sa.text("SELECT body_text FROM mail_outbox WHERE id = :id"), {"id": mail_id}).scalar_one()


def _envelope_text(envelope) -> str:
    return _parsed(envelope).get_body(("plain",)).get_content()


def test_stored_body_is_sealed_and_the_delivered_mail_readable(any_db_url, smtp):
    mail_id = _queue()
    stored = _stored_body(mail_id)
    assert stored.startswith("sealed:v1:")
    for plain in (PASSWORD, "Őrs Kovács", "Nemzeti Hatóság", "temporary password"):
        assert plain not in stored
    assert PASSWORD in _row(mail_id).body_text  # what the sender loads

    assert deliver_due() == 1

    assert PASSWORD in _envelope_text(smtp.envelopes[0])
    assert _stored_body(mail_id).startswith("sealed:v1:") and _row(mail_id).body_text == DELIVERED_BODY


def test_a_body_stored_in_plain_before_sealing_is_still_sent(any_db_url, smtp):
    mail_id = _queue()
    with get_engine().begin() as conn:
        conn.execute(sa.text("UPDATE mail_outbox SET body_text = :plain WHERE id = :id"),
                     {"plain": f"Your temporary password: {PASSWORD}", "id": mail_id})
    assert deliver_due() == 1
    assert PASSWORD in _envelope_text(smtp.envelopes[0])
    assert _row(mail_id).status == MailStatus.SENT


def test_a_body_sealed_with_another_key_is_not_sent(db_url, smtp, monkeypatch):
    mail_id = _queue()
    monkeypatch.setenv("IMI_TOTP_KEY", "another-key-after-a-careless-rotation-0123")
    get_settings.cache_clear()
    assert deliver_due() == 0
    row = _row(mail_id)
    assert smtp.envelopes == [] and row.status == MailStatus.FAILED and row.body_text == UNDELIVERED_BODY
    assert "decrypted" in row.last_error


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_seals_the_bodies_written_before_it(backend, tmp_path, monkeypatch):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    elif not PG_URL:
        pytest.skip("IMI_TEST_DATABASE_URL not set")
    else:
        url = postgres.create_database(PG_URL)
    try:
        _use_database(url, tmp_path, monkeypatch, BEFORE_SEALING)
        plain = f"Your temporary password: {PASSWORD}"
        with get_engine(url).begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO mail_outbox (id, created_at, recipient, user_id, kind, language, subject, body_text,"
                " status, attempts, next_attempt_at, last_error) VALUES (1, :now, :to, 7, 'password_reset', 'en',"
                " 'Your new IMI temporary password', :body, 'pending', 0, :now, '')"),
                {"now": utcnow(), "to": RECIPIENT, "body": plain})

        migrate(url)

        assert _stored_body(1, url).startswith("sealed:v1:") and PASSWORD not in _stored_body(1, url)
        assert _row(1).body_text == plain
        assert deliver_due() == 1
        (path,) = get_settings().mail_dir.glob("*.eml")
        assert PASSWORD in message_from_bytes(path.read_bytes(), policy=policy.default).get_content()
    finally:
        engine = db._ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()
        if backend == "postgresql":
            postgres.drop_database(PG_URL, url)


def _age(path, hours: float) -> None:
    then = (utcnow() - timedelta(hours=hours)).timestamp()
    os.utime(path, (then, then))


def test_without_smtp_temporary_password_files_are_private_and_removed_after_72_hours(db_url):
    old_reset, blocked, fresh = (_queue(kind="password_reset"), _queue(kind="account_blocked", count=5),
                                 _queue(kind="temporary_password"))
    assert deliver_due() == 3
    files = {mail_id: next(get_settings().mail_dir.glob(f"*-{mail_id}-*.eml"))
             for mail_id in (old_reset, blocked, fresh)}
    for path in files.values():
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    _age(files[old_reset], 73)
    _age(files[blocked], 73)
    _age(files[fresh], 71)

    assert sender_module.remove_expired_files() == 1

    assert not files[old_reset].exists()
    assert files[blocked].exists() and files[fresh].exists()
    assert sender_module.remove_expired_files(utcnow() + timedelta(hours=2)) == 1
    assert not files[fresh].exists() and files[blocked].exists()


def test_the_sender_loop_removes_expired_temporary_password_files(db_url, monkeypatch):
    monkeypatch.setenv("IMI_MAIL_POLL_SECONDS", "0.01")
    get_settings.cache_clear()
    _queue()
    assert deliver_due() == 1
    (path,) = get_settings().mail_dir.glob("*.eml")
    _age(path, 73)

    async def scenario():
        task = asyncio.create_task(run_sender())
        for _ in range(500):
            if not path.exists():
                break
            await asyncio.sleep(0.01)
        task.cancel()
        await task

    asyncio.run(scenario())
    assert not path.exists()


def _crash_after_delivering(now) -> OutboxMail:
    """What a worker that died right after handing the mail over did: claimed and delivered, never marked."""
    mail = sender_module._claim_next(now, None)
    deliver(mail, get_settings())
    return mail


def test_a_mail_sent_again_after_a_crash_keeps_its_message_id(any_db_url, smtp):
    first, second = _queue(), _queue()
    now = utcnow()
    _crash_after_delivering(now)
    assert deliver_due(now=now) == 1  # the other one; the crashed worker's claim still holds

    assert deliver_due(now=now + sender_module.CLAIM_LEASE + timedelta(seconds=1)) == 1

    ids = [_parsed(envelope)["Message-ID"] for envelope in smtp.envelopes]
    assert len(ids) == 3 and ids[0] == ids[2] != ids[1]
    assert {_row(first).status, _row(second).status} == {MailStatus.SENT}
    with session_scope() as session:
        assert message_id(session.get(OutboxMail, first), get_settings()) == ids[0]


def test_without_smtp_a_crash_before_marking_writes_no_second_file(db_url):
    mail_id = _queue()
    now = utcnow()
    _crash_after_delivering(now)
    (path,) = get_settings().mail_dir.glob("*.eml")
    written = path.stat()

    assert deliver_due(now=now + sender_module.CLAIM_LEASE + timedelta(seconds=1)) == 1

    assert list(get_settings().mail_dir.iterdir()) == [path]
    again = path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert _row(mail_id).status == MailStatus.WRITTEN
