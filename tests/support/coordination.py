"""A country's coordinator tree for the coordination tests, and what they read back."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.authorities.coordination import register_authority
from imi_app.authorities.invitations import invite_authority
from imi_app.authorities.models import Authority, AuthorityArea, AuthorityName, AuthorityStatus, Invitation
from imi_app.core.audit import AuditEntry
from imi_app.core.db import session_scope
from imi_app.mail.models import OutboxMail
from tests.support import factories as f

DA = Role.DATA_ADMINISTRATOR
LINK = re.compile(r"(https?://\S+/register\?token=(\S+))")


def set_status(authority: Authority, status: str) -> Authority:
    with session_scope() as session:
        row = session.get(Authority, authority.id)
        row.status = status
    return f.reload(Authority, authority.id)


@pytest.fixture
def world(database):
    """HU: national N → regional R → T_R, S; N → T_N; pending P_R, P_N, pending coordinator X. DE: D."""
    pq, svc, other = f.area("professional_qualifications"), f.area("services"), f.area("other_area")
    every = [pq, svc, other]
    n = f.authority("HU", areas=every, is_coordinator=True, name="Nemzeti koordinátor")
    r = f.authority("HU", areas=every, is_coordinator=True, coordinator=n, name="Regionális koordinátor")
    t_r = f.authority("HU", areas=[pq, svc], coordinator=r, name="Győri Orvosi Kamara")
    s = f.authority("HU", areas=[pq], coordinator=r, name="Sibling Authority")
    t_n = f.authority("HU", areas=[pq, svc], coordinator=n, name="Országos Hivatal")
    p_r = set_status(f.authority("HU", areas=[pq], coordinator=r, name="Pending under R"), AuthorityStatus.PENDING)
    p_n = set_status(f.authority("HU", areas=[pq], coordinator=n, name="Pending under N"), AuthorityStatus.PENDING)
    x = set_status(f.authority("HU", areas=every, coordinator=n, is_coordinator=True, name="Pending coordinator"),
                    AuthorityStatus.PENDING)
    d = f.authority("DE", areas=every, is_coordinator=True, name="DE coordinator")
    d_child = f.authority("DE", areas=[pq], coordinator=d, name="Ärztekammer")
    all_da = {a.id: [DA] for a in every}
    return {
        "pq": pq, "svc": svc, "other": other, "N": n, "R": r, "T_R": t_r, "S": s, "T_N": t_n, "P_R": p_r,
        "P_N": p_n, "X": x, "D": d, "d_child": d_child,
        "n_da": f.user(n, is_lda=True, roles=all_da), "r_da": f.user(r, is_lda=True, roles=all_da),
        "n_pq_da": f.user(n, roles={pq.id: [DA]}), "d_da": f.user(d, is_lda=True, roles=all_da),
        "x_da": f.user(x, is_lda=True, roles=all_da), "n_lda_only": f.user(n, is_lda=True),
        "s_lda": f.user(s, is_lda=True), "t_r_lda": f.user(t_r, is_lda=True), "t_n_lda": f.user(t_n, is_lda=True),
        "handler": f.user(t_r, roles={pq.id: [Role.REQUEST_HANDLER]}), "basic": f.user(t_r),
    }


def count(model, *where) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def audits(action: str) -> list[AuditEntry]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def mails(kind: str) -> list[OutboxMail]:
    with session_scope() as session:
        return list(session.exec(select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id)).all())


def snapshot() -> tuple:
    """Everything the coordination actions could change, to show that a refusal changed nothing."""
    with session_scope() as session:
        return (
            tuple((a.id, a.official_name, a.status, a.rejection_reason, a.parent_coordinator_id)
                  for a in session.exec(select(Authority).order_by(Authority.id)).all()),
            tuple((a.authority_id, a.area_id, a.keywords) for a in session.exec(
                select(AuthorityArea).order_by(AuthorityArea.authority_id, AuthorityArea.area_id)).all()),
            tuple((n.authority_id, n.language, n.name) for n in session.exec(select(AuthorityName)).all()),
            tuple((u.id, u.password_hash, u.is_lda) for u in session.exec(select(User).order_by(User.id)).all()),
            tuple((i.id, i.used_at, i.authority_id) for i in session.exec(select(Invitation)).all()),
            session.exec(select(func.count()).select_from(RoleAssignment)).one(),
            session.exec(select(func.count()).select_from(OutboxMail)).one(),
        )


def register(actor, data) -> tuple[Authority, User]:
    return register_authority(actor=actor, data=data)


def invite(actor, email="invited@szeged.example", language="en", **kw) -> str:
    invite_authority(actor=actor, email=email, language=language, **kw)
    body = mails("authority_invitation")[-1].body_text
    return LINK.search(body).group(2)
