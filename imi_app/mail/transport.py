"""Hands one outbox mail to the SMTP server, or writes it as an .eml file when no SMTP is set up."""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid, parseaddr

import emails
from emails.backend.smtp import SMTPBackend

from imi_app.core.time import as_utc, utcnow
from imi_app.mail.models import MailStatus, OutboxMail
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


def _message_id(settings: Settings) -> str:
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "imi.localhost"
    return make_msgid(domain=domain)


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
        message_id=_message_id(settings),
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
    message["Message-ID"] = _message_id(settings)
    message.set_content(mail.body_text, charset="utf-8")
    return message.as_bytes(policy=SMTP_POLICY)


def write_eml(mail: OutboxMail, settings: Settings) -> None:
    created = as_utc(mail.created_at)
    path = settings.mail_dir / f"{created:%Y%m%d-%H%M%S}-{mail.id}-{mail.kind}.eml"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = eml_bytes(mail, settings)
    # Written beside and renamed so a reader never sees half a file; 0600 because it holds
    # a temporary password.
    partial = path.with_suffix(".eml.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
