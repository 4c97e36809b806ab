"""Who reads which audit entries: a local data administrator those of the own authority, a coordinator's data
administrator those of every authority it coordinates (at any depth)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from imi_app.accounts.models import User
from imi_app.core.audit import AuditEntry
from imi_app.policy import acting_coordinator, authorities_below, register, register_filter


def _may_view(session: Session, actor: User, _obj: object) -> bool:
    return actor.is_lda or acting_coordinator(session, actor) is not None


def _may_view_entry(session: Session, actor: User, entry: object) -> bool:
    if not isinstance(entry, AuditEntry) or entry.actor_authority_id is None:
        return False
    if actor.is_lda and entry.actor_authority_id == actor.authority_id:
        return True
    own = acting_coordinator(session, actor)
    return own is not None and session.execute(
        sa.select(sa.literal(1)).where(sa.literal(entry.actor_authority_id).in_(authorities_below(own.id)))
    ).first() is not None


def _visible(session: Session, actor: User) -> sa.ColumnElement[bool]:
    parts: list[sa.ColumnElement[bool]] = []
    if actor.is_lda:
        parts.append(col(AuditEntry.actor_authority_id) == actor.authority_id)
    own = acting_coordinator(session, actor)
    if own is not None:
        parts.append(col(AuditEntry.actor_authority_id).in_(authorities_below(own.id)))
    return sa.or_(*parts) if parts else sa.false()


register({"audit.view": _may_view, "audit.view_entry": _may_view_entry})
register_filter(AuditEntry, "audit.view", _visible)
