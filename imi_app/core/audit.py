"""The append-only audit log (SEC-12): who did what to which object, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel

from imi_app.core.db import session_scope
from imi_app.core.time import created_at_field

if TYPE_CHECKING:
    from imi_app.accounts.models import User


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor_user_id: int | None = Field(default=None, index=True)
    actor_authority_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=60, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=40)
    before: dict | None = Field(default=None, sa_type=sa.JSON)
    after: dict | None = Field(default=None, sa_type=sa.JSON)


# Keys that could hold a secret are dropped whatever a caller passes (defence in depth).
_SECRET_MARKERS = ("password", "token", "secret", "ticket", "hash")
_SECRET_KEYS = {"code", "security_code", "code_salt", "code_tags", "totp", "totp_code"}


def _clean(data: dict | None) -> dict | None:
    if data is None:
        return None
    return {
        key: value
        for key, value in data.items()
        if key.lower() not in _SECRET_KEYS
        and not any(marker in key.lower() for marker in _SECRET_MARKERS)
    }


def record(
    session: Session,
    *,
    action: str,
    actor: User | None,
    object_type: str = "",
    object_id: object = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_authority_id: int | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_user_id=actor.id if actor else None,
        actor_authority_id=actor.authority_id if actor else actor_authority_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:40],
        before=_clean(before),
        after=_clean(after),
    )
    session.add(entry)
    return entry


def record_denied(*, actor: User | None, action: str, object_type: str, object_id: object) -> None:
    """A refused access is audited in its own transaction: the action's own one rolls back."""
    with session_scope() as session:
        record(
            session,
            action="access.denied",
            actor=actor,
            object_type=object_type,
            object_id=object_id,
            after={"attempted": action},
        )
