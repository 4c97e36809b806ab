"""The transactional e-mail outbox: one row per mail, queued in the same transaction as its change."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from imi_app.core.sealing import MAIL_BODY, SealedText
from imi_app.core.time import created_at_field, time_field

# What a body reads as when it was sealed with a key that is no longer configured; never sent.
UNREADABLE_BODY = "[cannot be decrypted with the configured key]"


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    WRITTEN = "written"  # no SMTP configured: saved as an .eml file
    FAILED = "failed"
    HELD = "held"  # a notification waiting for its user's daily summary (the sender skips it)
    DIGESTED = "digested"  # … once merged into the summary mail


class OutboxMail(SQLModel, table=True):
    __tablename__ = "mail_outbox"
    # The sender picks due mail by (status, next_attempt_at).
    __table_args__ = (sa.Index("ix_mail_outbox_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    recipient: str = Field(max_length=254)
    user_id: int | None = Field(default=None, index=True)
    # The request a notification is about: its body names the request, so retention deletes it with its data.
    request_id: int | None = Field(default=None, index=True)
    kind: str = Field(max_length=60)
    language: str = Field(default="en", max_length=8)
    subject: str = Field(max_length=300)
    # Sealed at rest (it may hold a temporary password); the code that loads the row reads plain text.
    body_text: str = Field(sa_type=SealedText(MAIL_BODY, UNREADABLE_BODY))
    status: str = Field(default=MailStatus.PENDING, max_length=20, index=True)
    attempts: int = 0
    next_attempt_at: datetime = created_at_field()
    sent_at: datetime | None = time_field()
    last_error: str = Field(default="", max_length=500)
