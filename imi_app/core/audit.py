"""The append-only audit log (SEC-12): who did what to which object, before and after.

The database refuses UPDATE and DELETE on the table (triggers), and each row carries a hash chain:
`chain_hash` is SHA-256 of the previous row's `chain_hash` and the row's own canonical content, set when
the row is flushed. `verify_chain` walks the rows in id order and names the first one whose hash does not
follow: a changed row is named itself, a deleted row by the one after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Field, Session, SQLModel

from imi_app.core.db import session_scope
from imi_app.core.time import as_utc, created_at_field

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
    chain_hash: str | None = Field(default=None, max_length=64)


# Every writer of the audit log takes this transaction-scoped lock on PostgreSQL before it reads the last
# row's hash, so two concurrent transactions never chain on the same row. SQLite writers already hold the
# database's write lock (BEGIN IMMEDIATE).
CHAIN_LOCK_KEY = 0x1D5A_0D17


def _json(value: object) -> object:
    """The value as it comes back from the JSON column (keys as strings, tuples as lists)."""
    return None if value is None else json.loads(json.dumps(value))


def canonical_content(at: datetime, actor_user_id: int | None, actor_authority_id: int | None, action: str,
                      object_type: str, object_id: str, before: object, after: object) -> str:
    """The row's content as one stable text: the same before the insert and after reading it back."""
    moment = as_utc(at).astimezone(UTC)  # type: ignore[union-attr]
    return json.dumps({
        "at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "actor_user_id": actor_user_id,
        "actor_authority_id": actor_authority_id, "action": action, "object_type": object_type,
        "object_id": object_id, "before": _json(before), "after": _json(after),
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def link_hash(previous: str | None, content: str) -> str:
    return hashlib.sha256(((previous or "") + "\n" + content).encode("utf-8")).hexdigest()


def _content_of(row) -> str:
    return canonical_content(row.at, row.actor_user_id, row.actor_authority_id, row.action, row.object_type,
                             row.object_id, row.before, row.after)


def lock_chain(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def chain_tip(connection: sa.Connection) -> str | None:
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    return connection.execute(sa.select(table.c.chain_hash).order_by(table.c.id.desc()).limit(1)).scalar()


@event.listens_for(Session, "before_flush")
def _chain_new_entries(session: Session, _context, _instances) -> None:
    new = sorted((o for o in session.new if isinstance(o, AuditEntry) and o.chain_hash is None),
                 key=lambda o: sa.inspect(o).insert_order)
    if not new:
        return
    connection = session.connection()
    lock_chain(connection)
    tip = chain_tip(connection)
    for entry in new:
        entry.object_type, entry.object_id = entry.object_type or "", entry.object_id or ""
        tip = link_hash(tip, _content_of(entry))
        entry.chain_hash = tip


def first_broken_link(rows: Iterable) -> tuple[int | None, int]:
    """The id of the first row (in id order) whose hash does not follow from the row before it and its own
    content (None when the whole chain holds), and how many rows were checked."""
    previous: str | None = None
    checked = 0
    for row in rows:
        if row.chain_hash != link_hash(previous, _content_of(row)):
            return row.id, checked
        previous = row.chain_hash
        checked += 1
    return None, checked


def verify_chain(session: Session) -> tuple[int | None, int]:
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    rows = session.connection().execution_options(yield_per=1000).execute(
        sa.select(table).order_by(table.c.id))
    return first_broken_link(rows)


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
