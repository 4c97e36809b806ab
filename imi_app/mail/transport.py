"""Hands one outbox mail to the SMTP server, or writes it as an .eml file when no SMTP is set up."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr

import emails
from emails.backend.smtp import SMTPBackend

from imi_app.core.time import as_utc, utcnow
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.mail.templates import SECRET_KINDS
from imi_app.core.settings import Settings


class DeliveryError(Exception):
    """The mail was not accepted; the message never contains the mail body."""


def deliver(mail: OutboxMail, settings: Settings) -> str:
    """Deliver `mail` and return its new status (sent or written); raises on failure."""
    if settings.smtp_host:
        send_smtp(mail, settings)
        return MailStatus.SENT
    write_eml(mail, settings)
    return MailStatus.WRITTEN


def message_id(mail: OutboxMail, settings: Settings) -> str:
    """The same Message-ID on every try of one outbox row: a mail sent again after a crash (delivery
    is at-least-once) is a duplicate that mail servers and clients recognise. The creation time
    keeps it unique across a database that was reset or restored."""
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "imi.localhost"
    return f"<imi.{as_utc(mail.created_at):%Y%m%d.%H%M%S.%f}.{mail.id}@{domain}>"


def smtp_options(settings: Settings) -> dict:
    # In the emails package "tls" means STARTTLS on a plain connection, "ssl" implicit TLS.
    options = {
        "host": settings.smtp_host,
        "port": settings.smtp_port,
        "tls": settings.smtp_starttls,
        "ssl": False,
        "timeout": 10,
    }
    if settings.smtp_user:
        options["user"] = settings.smtp_user
        if settings.smtp_password is not None:
            options["password"] = settings.smtp_password.get_secret_value()
    return options


def send_smtp(mail: OutboxMail, settings: Settings) -> None:
    message = emails.html(
        text=mail.body_text,
        subject=mail.subject,
        mail_from=settings.mail_from,
        message_id=message_id(mail, settings),
    )
    # A backend of our own (not the per-message pool) so the connection is closed with QUIT.
    with SMTPBackend(**smtp_options(settings)) as backend:
        response = message.send(to=mail.recipient, smtp=backend)
    error = getattr(response, "error", None)
    if error is not None:
        raise DeliveryError(f"{type(error).__name__}: {error}")
    if response is None or response.status_code != 250:
        code = getattr(response, "status_code", None)
        text = getattr(response, "status_text", None) or b""
        raise DeliveryError(f"SMTP {code} {text.decode('utf-8', 'replace')}")


def eml_bytes(mail: OutboxMail, settings: Settings) -> bytes:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id(mail, settings)
    message.set_content(mail.body_text, charset="utf-8")
    return message.as_bytes(policy=SMTP_POLICY)


def eml_path(mail: OutboxMail, settings: Settings):
    return settings.mail_dir / f"{as_utc(mail.created_at):%Y%m%d-%H%M%S}-{mail.id}-{mail.kind}.eml"


def write_eml(mail: OutboxMail, settings: Settings) -> None:
    """Writes the row's file once: a second try (after a crash before the row was marked) finds it
    there and leaves it, so file mode delivers exactly once."""
    path = eml_path(mail, settings)
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = eml_bytes(mail, settings)
    # Written beside and linked into place, so a reader never sees half a file and a file already
    # there is never replaced; 0600 because it may hold a temporary password.
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(partial, path)
        except FileExistsError:
            return
    finally:
        partial.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _fsync_dir(directory) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_old_mail_files(settings: Settings, now: datetime) -> int:
    """Deletes the .eml files older than `mail_keep_days`, as the outbox rows they were written from, and the
    partial files of a sender killed while writing (an hour old); returns how many. Without SMTP they are the
    mails themselves, with what they say about a request or a temporary password."""
    if not settings.mail_dir.is_dir():
        return 0
    cutoff = (now - timedelta(days=settings.mail_keep_days)).timestamp()
    abandoned = (now - timedelta(hours=1)).timestamp()  # a half-written file a killed sender left behind
    removed = 0
    for pattern, before in (("*.eml", cutoff), ("*.eml.*.part", abandoned)):
        for path in settings.mail_dir.glob(pattern):
            if path.stat().st_mtime < before:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def remove_expired_secret_files(settings: Settings, now: datetime) -> int:
    """Deletes the .eml files of temporary-password mails once the password has expired; returns how many."""
    if not settings.mail_dir.is_dir():
        return 0
    cutoff = (now - timedelta(hours=settings.temp_password_hours)).timestamp()
    removed = 0
    for kind in sorted(SECRET_KINDS):
        for path in settings.mail_dir.glob(f"*-{kind}.eml"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
