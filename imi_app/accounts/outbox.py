"""The local data administrator's view of the e-mail sent to the users of their authority."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, func, select

from imi_app.authorities.models import Authority
from imi_app.mail.models import OutboxMail
from imi_app.accounts.models import User
from imi_app.core.actions import query
from imi_app.core.time import as_utc
from imi_app.accounts import rules as _rules  # noqa: F401 - registers the account rules
from imi_app.policy import require

PAGE_SIZE = 20


@dataclass(frozen=True)
class MailRow:
    """One outgoing mail without its body: a pending mail's body holds a temporary password."""

    id: int
    created_at: datetime
    recipient: str
    subject: str
    kind: str
    status: str
    attempts: int
    last_error: str


def list_authority_mail(session: Session, *, actor: User, page: int = 1,
                        page_size: int = PAGE_SIZE) -> tuple[list[MailRow], int]:
    """One page (1-based, newest first) of mail to the actor's authority's users, and the total."""
    authority = session.get(Authority, actor.authority_id)
    require(session, actor, "outbox.view", authority, "authority", actor.authority_id)
    own_users = select(User.id).where(User.authority_id == authority.id)
    where = OutboxMail.user_id.in_(own_users)  # type: ignore[union-attr]
    total = session.exec(select(func.count()).select_from(OutboxMail).where(where)).one()
    page = page if isinstance(page, int) and not isinstance(page, bool) and page > 0 else 1
    page_size = min(max(int(page_size), 1), 200)
    columns = (OutboxMail.id, OutboxMail.created_at, OutboxMail.recipient, OutboxMail.subject, OutboxMail.kind,
               OutboxMail.status, OutboxMail.attempts, OutboxMail.last_error)
    rows = session.execute(
        sa.select(*columns).where(where)
        .order_by(sa.desc(OutboxMail.created_at), sa.desc(OutboxMail.id))
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    return [MailRow(r.id, as_utc(r.created_at), r.recipient, r.subject, r.kind, r.status, r.attempts,
                    r.last_error or "") for r in rows], int(total)


@query
def authority_mail(session: Session, *, actor: User, page: int = 1) -> tuple[list[MailRow], int]:
    """The outbox screen's page (`list_authority_mail`)."""
    return list_authority_mail(session, actor=actor, page=page)
