"""Who sees which request (SEC-10): the one visibility filter, and the coordinators' part in it.

`visible_requests(session, actor)` is the only definition of which requests a user may see; every
list and `can(…, "request.view", …)` go through it (the overview uses its participant branches).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.accounts.models import User
from imi_app.authorities.models import Authority
from imi_app.policy.facts import areas_with_role, is_active_user
from imi_app.core.edges import is_id
from imi_app.requests.lifecycle import COORDINATOR_ROLES, id_in, is_acting_coordinator, pending_approvers
from imi_app.requests.models import InfoRequest, ReferralOpinion, RequestStatus

S = RequestStatus
OUTGOING, INCOMING, FORWARDED = "outgoing", "incoming", "forwarded"
DIRECTIONS = (OUTGOING, INCOMING, FORWARDED)
# What lists show of a request (never personal data).
SUMMARY_COLUMNS = (InfoRequest.id, InfoRequest.case_id, InfoRequest.subject, InfoRequest.status, InfoRequest.area_id,
                   InfoRequest.requesting_authority_id, InfoRequest.responding_authority_id, InfoRequest.deadline,
                   InfoRequest.proposed_reply_date)


def participant_branches(actor: User) -> dict[str, sa.ColumnElement[bool]]:
    """The requests of the actor's authority: its own (drafts too), the ones sent to it, the ones it forwarded."""
    own = actor.authority_id
    return {
        OUTGOING: InfoRequest.requesting_authority_id == own,
        INCOMING: sa.and_(InfoRequest.responding_authority_id == own,
                          col(InfoRequest.sent_at).is_not(None)),
        FORWARDED: sa.and_(InfoRequest.forwarded_from_authority_id == own,
                           InfoRequest.responding_authority_id != own),
    }


def subtree_ids(session: Session, coordinator_id: int) -> list[int]:
    """Ids of the authorities below a coordinator, at any depth (a few thousand at most: one country).

    Walked one level per query on the parent index: only coordinators have authorities below them."""
    found: list[int] = []
    seen = {coordinator_id}
    frontier = [coordinator_id]
    while frontier:
        rows = session.exec(select(Authority.id, Authority.is_coordinator).where(
            id_in(Authority.parent_coordinator_id, frontier))).all()
        fresh = [(i, is_coordinator) for i, is_coordinator in rows if i not in seen]
        seen.update(i for i, _c in fresh)
        found += [i for i, _c in fresh]
        frontier = [i for i, is_coordinator in fresh if is_coordinator]
    return found


def coordinator_areas(session: Session, actor: User) -> set[int]:
    """Areas where the actor acts for its (active) coordinator; empty for everyone else."""
    areas = areas_with_role(session, actor, *COORDINATOR_ROLES)
    return areas if areas and is_acting_coordinator(session, actor, COORDINATOR_ROLES) else set()


def approvals_due(session: Session, actor: User, areas: set[int], request_id: int | None = None) -> list:
    """The requests (rows of SUMMARY_COLUMNS) whose approval — of the request or of its answer — by the
    actor's coordinator is due now.

    The due coordinator comes from the approval round's events (request_rules.pending_approvers); the
    candidates are the requests waiting for approval of the authorities below the actor's coordinator,
    found through the (authority, status, deadline) indexes.
    """
    if not areas:
        return []
    if request_id is not None:
        candidates = [r for r in session.exec(select(*SUMMARY_COLUMNS).where(InfoRequest.id == request_id)).all()
                      if r.area_id in areas]
    else:
        below = subtree_ids(session, actor.authority_id)
        if not below:
            return []
        candidates = list(session.exec(select(*SUMMARY_COLUMNS).where(
            id_in(InfoRequest.requesting_authority_id, below), InfoRequest.status == S.AWAITING_APPROVAL,
            col(InfoRequest.area_id).in_(areas))).all())
        candidates += session.exec(select(*SUMMARY_COLUMNS).where(
            id_in(InfoRequest.responding_authority_id, below),
            InfoRequest.status == S.ANSWER_AWAITING_APPROVAL, col(InfoRequest.area_id).in_(areas))).all()
    due = pending_approvers(session, candidates)
    return [r for r in candidates if due.get(r.id) == actor.authority_id]


def awaiting_my_approval(session: Session, actor: User, areas: set[int],
                         request_id: int | None = None) -> dict[int, str]:
    """Request id -> status of `approvals_due`."""
    return {r.id: r.status for r in approvals_due(session, actor, areas, request_id)}


def _referral_branch(actor: User, areas: set[int]) -> sa.ColumnElement[bool]:
    mine = sa.select(ReferralOpinion.request_id).where(ReferralOpinion.request_id == InfoRequest.id,
                                                       ReferralOpinion.coordinator_id == actor.authority_id)
    return sa.and_(InfoRequest.status == S.IN_REFERRAL, col(InfoRequest.area_id).in_(areas),
                   sa.exists(mine.correlate(InfoRequest)))


def visible_requests(session: Session, actor: User | None, *, request_id: int | None = None) -> sa.ColumnElement[bool]:
    """A WHERE clause: the requests `actor` may see (deny by default).

    Users of the requesting authority (also its drafts), of the responding authority once it was sent,
    and of the authority that forwarded it; staff of a coordinator only while that coordinator's approval
    of the request or of its answer is due, or while a referral it takes part in is open. Linked
    authorities see only the summary (services/links.py); nobody else sees anything. `request_id`
    narrows the approval look-up when checking one request.
    """
    if not is_active_user(actor):
        return sa.false()
    branches = list(participant_branches(actor).values())  # type: ignore[arg-type]
    areas = coordinator_areas(session, actor)  # type: ignore[arg-type]
    if areas:
        approvals = awaiting_my_approval(session, actor, areas, request_id)  # type: ignore[arg-type]
        if approvals:
            branches.append(id_in(InfoRequest.id, approvals))
        branches.append(_referral_branch(actor, areas))  # type: ignore[arg-type]
    return sa.or_(*branches)


def is_visible(session: Session, actor: User | None, request: object) -> bool:
    if not isinstance(request, InfoRequest) or not is_id(request.id):
        return False
    return session.exec(select(InfoRequest.id).where(
        InfoRequest.id == request.id, visible_requests(session, actor, request_id=request.id))).first() is not None
