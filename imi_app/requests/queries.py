"""Reading requests: the one visibility filter (SEC-10) and the task list; one import point for the rest.

`visible_requests(session, actor)` is the only definition of which requests a user may see; every
list and `can(…, "request.view", …)` go through it (the overview uses its participant branches).
The overview is in request_overview, the detail page in request_detail, the CSV export in
request_export; all are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from imi_app.core.i18n import N_
from imi_app.authorities.models import Authority
from imi_app.requests.models import InfoRequest, ReferralOpinion, RequestAllocation, RequestStatus
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.requests.inputs import is_id, today
from imi_app.requests.rules import COORDINATOR_ROLES, id_in, is_acting_coordinator, pending_approvers

S = RequestStatus
OUTGOING, INCOMING, FORWARDED = "outgoing", "incoming", "forwarded"
DIRECTIONS = (OUTGOING, INCOMING, FORWARDED)
ALL_STATUSES = (S.DRAFT, S.AWAITING_APPROVAL, S.SENT, S.ACCEPTED, S.ANSWER_AWAITING_APPROVAL, S.ANSWERED,
                S.INSISTED, S.IN_REFERRAL, S.CLOSED, S.WITHDRAWN)
STATUS_LABELS = {
    S.DRAFT: N_("Draft"), S.AWAITING_APPROVAL: N_("Awaiting approval"), S.SENT: N_("Sent"),
    S.ACCEPTED: N_("Accepted"), S.ANSWER_AWAITING_APPROVAL: N_("Answer awaiting approval"),
    S.ANSWERED: N_("Answered"), S.INSISTED: N_("No further information"), S.IN_REFERRAL: N_("In referral"),
    S.CLOSED: N_("Closed"), S.WITHDRAWN: N_("Withdrawn"),
}
DIRECTION_LABELS = {OUTGOING: N_("Outgoing"), INCOMING: N_("Incoming"), FORWARDED: N_("Forwarded by us")}
# The responder's reply is overdue in these states once the deadline has passed.
DUE_STATUSES = (S.SENT, S.ACCEPTED)
MAX_PAGE = 500
FAR_FUTURE = date(9999, 12, 31)
CASE_ID = re.compile(r"^IMI-\d{4}-\d{6}$", re.IGNORECASE)
# What lists show of a request (never personal data).
SUMMARY_COLUMNS = (InfoRequest.id, InfoRequest.case_id, InfoRequest.subject, InfoRequest.status, InfoRequest.area_id,
                 InfoRequest.requesting_authority_id, InfoRequest.responding_authority_id, InfoRequest.deadline,
                 InfoRequest.proposed_reply_date)


# --- who sees what ------------------------------------------------------------------------------

def participant_branches(actor: User) -> dict[str, sa.ColumnElement[bool]]:
    """The requests of the actor's authority: its own (drafts too), the ones sent to it, the ones it forwarded."""
    own = actor.authority_id
    return {
        OUTGOING: InfoRequest.requesting_authority_id == own,
        INCOMING: sa.and_(InfoRequest.responding_authority_id == own,
                          InfoRequest.sent_at.is_not(None)),  # type: ignore[union-attr]
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
    areas = set(session.exec(select(RoleAssignment.area_id).where(
        RoleAssignment.user_id == actor.id, RoleAssignment.role.in_(COORDINATOR_ROLES))).all())  # type: ignore[attr-defined]
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
            InfoRequest.area_id.in_(areas))).all())  # type: ignore[attr-defined]
        candidates += session.exec(select(*SUMMARY_COLUMNS).where(
            id_in(InfoRequest.responding_authority_id, below),
            InfoRequest.status == S.ANSWER_AWAITING_APPROVAL, InfoRequest.area_id.in_(areas))).all()  # type: ignore[attr-defined]
    due = pending_approvers(session, candidates)
    return [r for r in candidates if due.get(r.id) == actor.authority_id]


def awaiting_my_approval(session: Session, actor: User, areas: set[int],
                         request_id: int | None = None) -> dict[int, str]:
    """Request id -> status of `approvals_due`."""
    return {r.id: r.status for r in approvals_due(session, actor, areas, request_id)}


def _referral_branch(actor: User, areas: set[int]) -> sa.ColumnElement[bool]:
    mine = sa.select(ReferralOpinion.request_id).where(ReferralOpinion.request_id == InfoRequest.id,
                                                       ReferralOpinion.coordinator_id == actor.authority_id)
    return sa.and_(InfoRequest.status == S.IN_REFERRAL, InfoRequest.area_id.in_(areas),  # type: ignore[attr-defined]
                   sa.exists(mine.correlate(InfoRequest)))


def visible_requests(session: Session, actor: User | None, *, request_id: int | None = None) -> sa.ColumnElement[bool]:
    """A WHERE clause: the requests `actor` may see (deny by default).

    Users of the requesting authority (also its drafts), of the responding authority once it was sent,
    and of the authority that forwarded it; staff of a coordinator only while that coordinator's approval
    of the request or of its answer is due, or while a referral it takes part in is open. Linked
    authorities see only the summary (services/links.py); nobody else sees anything. `request_id`
    narrows the approval look-up when checking one request.
    """
    from imi_app.policy.rules import is_active_user

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


# --- the task list ------------------------------------------------------------------------------

TASK_KINDS = ("accept_incoming", "review_answer", "approve_request", "approve_answer", "give_opinion", "reply_due")
TASK_LABELS = {
    "accept_incoming": N_("Incoming requests to accept"), "review_answer": N_("Answers to review"),
    "approve_request": N_("Requests awaiting my approval"), "approve_answer": N_("Answers awaiting my approval"),
    "give_opinion": N_("Referrals awaiting my opinion"), "reply_due": N_("Replies due"),
}
REPLY_DUE_DAYS = 7


@dataclass(frozen=True)
class TaskItem:
    kind: str  # one of TASK_KINDS; the page opens the request at this action
    request_id: int
    case_id: str
    subject: str
    status: str
    area_id: int
    counterpart_authority_id: int
    counterpart_name: str
    counterpart_country: str
    deadline: date | None  # the reply deadline, or the proposed reply date before sending
    overdue: bool


@dataclass(frozen=True)
class TaskList:
    items: tuple[TaskItem, ...]  # sorted by deadline (none last), at most `limit`
    counts: dict[str, int]  # per kind, all of them (not only those in `items`)
    total: int


def _mine_or_unallocated(actor: User) -> sa.ColumnElement[bool]:
    # One correlated look-up per row on the allocation's primary key: NULL = nobody, 0 = me among them,
    # 1 = others only. (NOT EXISTS … OR EXISTS … made PostgreSQL hash the whole allocation table.)
    state = sa.select(sa.func.min(sa.case((RequestAllocation.user_id == actor.id, 0), else_=1))).where(
        RequestAllocation.request_id == InfoRequest.id).correlate(InfoRequest).scalar_subquery()
    return sa.func.coalesce(state, 0) == 0


def _task_queries(session: Session, actor: User) -> tuple[dict[str, list], dict[str, list]]:
    """(kind -> WHERE conditions, kind -> rows already found) for the kinds that can apply to this actor."""
    own = actor.authority_id
    handled = set(session.exec(select(RoleAssignment.area_id).where(
        RoleAssignment.user_id == actor.id, RoleAssignment.role == Role.REQUEST_HANDLER)).all())
    queries: dict[str, list] = {}
    found: dict[str, list] = {}
    if handled:
        in_areas = InfoRequest.area_id.in_(handled)  # type: ignore[attr-defined]
        queries["accept_incoming"] = [InfoRequest.responding_authority_id == own, InfoRequest.status == S.SENT,
                                      in_areas, _mine_or_unallocated(actor)]
        queries["reply_due"] = [InfoRequest.responding_authority_id == own, InfoRequest.status == S.ACCEPTED, in_areas,
                                InfoRequest.deadline <= today() + timedelta(days=REPLY_DUE_DAYS),
                                _mine_or_unallocated(actor)]
        queries["review_answer"] = [InfoRequest.requesting_authority_id == own,
                                    InfoRequest.status.in_((S.ANSWERED, S.INSISTED)), in_areas]  # type: ignore[attr-defined]
    areas = coordinator_areas(session, actor)
    if areas:
        for row in approvals_due(session, actor, areas):
            found.setdefault("approve_request" if row.status == S.AWAITING_APPROVAL else "approve_answer",
                             []).append(row)
        pending = sa.select(ReferralOpinion.request_id).where(ReferralOpinion.coordinator_id == own,
                                                              ReferralOpinion.at.is_(None))  # type: ignore[union-attr]
        queries["give_opinion"] = [InfoRequest.id.in_(pending), InfoRequest.status == S.IN_REFERRAL,  # type: ignore[union-attr]
                                   InfoRequest.area_id.in_(areas)]  # type: ignore[attr-defined]
    return queries, found


def _urgency(row) -> tuple:
    due = row.deadline or row.proposed_reply_date
    return due is None, due or FAR_FUTURE, row.id


def authority_refs(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Authority id -> (official name, country code), in one query."""
    if not ids:
        return {}
    rows = session.exec(select(Authority.id, Authority.official_name, Authority.country_code).where(
        Authority.id.in_(ids))).all()  # type: ignore[union-attr]
    return {i: (name, country) for i, name, country in rows}


def task_list(session: Session, *, actor: User, limit: int = 50) -> TaskList:
    """What needs the actor's action now, most urgent first, with the count of each kind."""
    limit = min(max(limit, 1), MAX_PAGE) if is_id(limit) else 50
    queries, ready = _task_queries(session, actor)
    counts = {kind: len(rows) for kind, rows in ready.items()}
    found: list[tuple[str, sa.Row]] = [(kind, row) for kind, rows in ready.items() for row in rows]
    deadline = sa.func.coalesce(InfoRequest.deadline, InfoRequest.proposed_reply_date)
    for kind, where in queries.items():
        # The count of all matches rides along (a window over the whole match), so one scan serves both.
        rows = session.exec(select(*SUMMARY_COLUMNS, sa.func.count().over().label("matches")).where(*where).order_by(
            deadline.asc().nulls_last(), InfoRequest.id).limit(limit)).all()
        counts[kind] = rows[0].matches if rows else 0
        found.extend((kind, row) for row in rows)
    counts = {kind: counts.get(kind, 0) for kind in TASK_KINDS}
    found.sort(key=lambda item: _urgency(item[1]))
    found = found[:limit]
    refs = authority_refs(session, {r.requesting_authority_id for _k, r in found}
                          | {r.responding_authority_id for _k, r in found})
    own = session.get(Authority, actor.authority_id)
    now = today()
    items = []
    for kind, row in found:
        # The counterpart is the authority of the other country (for coordinators too).
        requester_country = refs.get(row.requesting_authority_id, ("", ""))[1]
        other = row.responding_authority_id if own and requester_country == own.country_code \
            else row.requesting_authority_id
        name, country = refs.get(other, ("", ""))
        due = row.deadline or row.proposed_reply_date
        items.append(TaskItem(kind, row.id, row.case_id, row.subject, row.status, row.area_id, other, name, country,
                              due, bool(row.deadline and row.deadline < now and row.status in DUE_STATUSES)))
    return TaskList(tuple(items), counts, sum(counts.values()))


from imi_app.requests.detail import RequestDetail, request_detail  # noqa: E402
from imi_app.requests.export import export_overview_csv  # noqa: E402
from imi_app.requests.overview import SORTS, OverviewFilters, OverviewPage, OverviewRow, overview

__all__ = ["ALL_STATUSES", "DIRECTIONS", "DIRECTION_LABELS", "OverviewFilters", "OverviewPage", "OverviewRow",
           "RequestDetail", "SORTS", "STATUS_LABELS", "TASK_KINDS", "TASK_LABELS", "TaskItem", "TaskList",
           "export_overview_csv", "is_visible", "overview", "request_detail", "task_list", "visible_requests"]
