"""The task list: what needs the user's action now, what the request forms offer, and the labels the request
screens share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.core.edges import is_id
from imi_app.core.errors import ServiceError
from imi_app.core.i18n import N_, localized
from imi_app.accounts.models import Role, User
from imi_app.accounts.users import areas_of_authority, user_roles
from imi_app.authorities.directory import search_authorities
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.policy import areas_with_role, has_area_role
from imi_app.requests.models import InfoRequest, Question, ReferralOpinion, RequestAllocation, RequestStatus
from imi_app.requests.notifications import handlers
from imi_app.requests.inputs import today
from imi_app.requests.visibility import (
    FORWARDED, INCOMING, OUTGOING, SUMMARY_COLUMNS, approvals_due, coordinator_areas,
)

S = RequestStatus
ALL_STATUSES = (S.DRAFT, S.AWAITING_APPROVAL, S.SENT, S.ACCEPTED, S.ANSWER_AWAITING_APPROVAL, S.ANSWERED,
                S.INSISTED, S.IN_REFERRAL, S.CLOSED, S.WITHDRAWN)
DIRECTION_LABELS = {OUTGOING: N_("Outgoing"), INCOMING: N_("Incoming"), FORWARDED: N_("Forwarded by us")}
# The responder's reply is overdue in these states once the deadline has passed.
DUE_STATUSES = (S.SENT, S.ACCEPTED)
MAX_PAGE = 500
FAR_FUTURE = date(9999, 12, 31)
CASE_ID = re.compile(r"^IMI-\d{4}-\d{6}$", re.IGNORECASE)


# --- the task list ------------------------------------------------------------------------------

TASK_KINDS = ("accept_incoming", "review_answer", "approve_request", "approve_answer", "give_opinion", "reply_due")
TASK_LABELS = {
    "accept_incoming": N_("Incoming requests to accept"), "review_answer": N_("Answers to review"),
    "approve_request": N_("Requests awaiting my approval"), "approve_answer": N_("Answers awaiting my approval"),
    "give_opinion": N_("Referrals awaiting my opinion"), "reply_due": N_("Replies due"),
}
REPLY_DUE_DAYS = 7
HANDLER_KINDS = ("accept_incoming", "review_answer", "reply_due")
COORDINATOR_KINDS = ("approve_request", "approve_answer", "give_opinion")


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


COUNT_CAP = 200  # a kind's count stops here ("200+"): counting every match would read every row
TASK_PAGE = 25


@dataclass(frozen=True)
class TaskList:
    items: tuple[TaskItem, ...]  # one page, most urgent first (no deadline last)
    counts: dict[str, int]  # per kind, all of them (not only those in `items`), at most COUNT_CAP + 1
    total: int  # of the kind asked for (or of every kind), at most COUNT_CAP + 1
    page: int = 1
    page_size: int = TASK_PAGE

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < min(self.total, COUNT_CAP)


def _mine_or_unallocated(actor: User) -> sa.ColumnElement[bool]:
    # One correlated look-up per row on the allocation's primary key: NULL = nobody, 0 = me among them,
    # 1 = others only. (NOT EXISTS … OR EXISTS … made PostgreSQL hash the whole allocation table.)
    state = sa.select(sa.func.min(sa.case((RequestAllocation.user_id == actor.id, 0), else_=1))).where(
        RequestAllocation.request_id == InfoRequest.id).correlate(InfoRequest).scalar_subquery()
    return sa.func.coalesce(state, 0) == 0


def _task_queries(session: Session, actor: User) -> tuple[dict[str, list], dict[str, list]]:
    """(kind -> WHERE conditions, kind -> rows already found) for the kinds that can apply to this actor."""
    own = actor.authority_id
    handled = areas_with_role(session, actor, Role.REQUEST_HANDLER)
    queries: dict[str, list] = {}
    found: dict[str, list] = {}
    if handled:
        in_areas = col(InfoRequest.area_id).in_(handled)
        queries["accept_incoming"] = [InfoRequest.responding_authority_id == own, InfoRequest.status == S.SENT,
                                      in_areas, _mine_or_unallocated(actor)]
        queries["reply_due"] = [InfoRequest.responding_authority_id == own, InfoRequest.status == S.ACCEPTED, in_areas,
                                InfoRequest.deadline <= today() + timedelta(days=REPLY_DUE_DAYS),
                                _mine_or_unallocated(actor)]
        queries["review_answer"] = [InfoRequest.requesting_authority_id == own,
                                    col(InfoRequest.status).in_((S.ANSWERED, S.INSISTED)), in_areas]
    areas = coordinator_areas(session, actor)
    if areas:
        for row in approvals_due(session, actor, areas):
            found.setdefault("approve_request" if row.status == S.AWAITING_APPROVAL else "approve_answer",
                             []).append(row)
        pending = sa.select(ReferralOpinion.request_id).where(ReferralOpinion.coordinator_id == own,
                                                              col(ReferralOpinion.at).is_(None))
        queries["give_opinion"] = [col(InfoRequest.id).in_(pending), InfoRequest.status == S.IN_REFERRAL,
                                   col(InfoRequest.area_id).in_(areas)]
    return queries, found


def _urgency(row) -> tuple:
    due = row.deadline or row.proposed_reply_date
    return due is None, due or FAR_FUTURE, row.id


def authority_refs(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Authority id -> (official name, country code), in one query."""
    if not ids:
        return {}
    rows = session.exec(select(Authority.id, Authority.official_name, Authority.country_code).where(
        col(Authority.id).in_(ids))).all()
    return {i: (name, country) for i, name, country in rows}


def _capped_counts(session: Session, queries: dict[str, list]) -> dict[str, int]:
    """How many rows match each kind's conditions, each counted up to COUNT_CAP + 1 (enough to say "200+"),
    all in one statement."""
    if not queries:
        return {}
    counts = [sa.select(sa.func.count()).select_from(
        sa.select(InfoRequest.id).where(*where).limit(COUNT_CAP + 1).subquery()).scalar_subquery()
        for where in queries.values()]
    return dict(zip(queries, session.execute(sa.select(*counts)).one(), strict=True))


def task_list(session: Session, *, actor: User, limit: int = TASK_PAGE, page: int = 1,
              kind: str = "") -> TaskList:
    """One page of what needs the actor's action now (of one kind, or of every kind), most urgent first,
    with the (capped) count of each kind."""
    limit = min(max(limit, 1), MAX_PAGE) if is_id(limit) else TASK_PAGE
    last_page = max(1, -(-COUNT_CAP // limit))
    page = min(page, last_page) if is_id(page) else 1
    kind = kind if kind in TASK_KINDS else ""
    queries, ready = _task_queries(session, actor)
    counts = {k: min(len(rows), COUNT_CAP + 1) for k, rows in ready.items()}
    # The first `wanted` rows of each kind are enough to put the page together.
    wanted = limit * page
    found: list[tuple[str, sa.Row]] = [(k, row) for k, rows in ready.items() if not kind or k == kind
                                       for row in sorted(rows, key=_urgency)[:wanted]]
    deadline = sa.func.coalesce(InfoRequest.deadline, InfoRequest.proposed_reply_date)
    counts.update(_capped_counts(session, queries))
    for k, where in queries.items():
        if kind and k != kind or not counts[k]:
            continue
        rows = session.exec(select(*SUMMARY_COLUMNS).where(*where).order_by(
            deadline.asc().nulls_last(), InfoRequest.id).limit(wanted)).all()
        found.extend((k, row) for row in rows)
    counts = {k: counts.get(k, 0) for k in TASK_KINDS}
    found.sort(key=lambda item: _urgency(item[1]))
    found = found[(page - 1) * limit:wanted]
    refs = authority_refs(session, {r.requesting_authority_id for _k, r in found}
                          | {r.responding_authority_id for _k, r in found})
    own = session.get(Authority, actor.authority_id)
    now = today()
    items = []
    for k, row in found:
        # The counterpart is the authority of the other country (for coordinators too).
        requester_country = refs.get(row.requesting_authority_id, ("", ""))[1]
        other = row.responding_authority_id if own and requester_country == own.country_code \
            else row.requesting_authority_id
        name, country = refs.get(other, ("", ""))
        due = row.deadline or row.proposed_reply_date
        items.append(TaskItem(k, row.id, row.case_id, row.subject, row.status, row.area_id, other, name, country,
                              due, bool(row.deadline and row.deadline < now and row.status in DUE_STATUSES)))
    total = counts[kind] if kind else sum(counts.values())
    return TaskList(tuple(items), counts, total, page, limit)


# --- what the request forms and dialogs offer -------------------------------------------------------

MAX_RESPONDERS = 8
MAX_CHOICES = 100


def area_names(session: Session, language: str) -> dict[int, str]:
    """Area id -> name in `language` (the area table is small: one query)."""
    return {a.id: localized(a.names, language, a.code)
            for a in session.exec(select(LegislativeArea)).all()}  # type: ignore[misc]


def creatable_areas(session: Session, actor: User, language: str) -> list[tuple[int, str]]:
    """(id, name) of the areas of the actor's authority where they may start a request: a request handler there."""
    roles = user_roles(session, actor.id)
    return [(a.id, a.name_in(language)) for a in areas_of_authority(session, actor.authority_id)  # type: ignore[misc]
            if Role.REQUEST_HANDLER in roles.get(a.id, [])]


def question_set(session: Session, area_id: int, language: str) -> list[tuple[int, str, str]]:
    """(id, text in the reader's language, answer type) of an area's questions, in their order."""
    rows = session.exec(select(Question).where(Question.area_id == area_id).order_by(Question.position,
                                                                                    Question.id)).all()
    return [(q.id, localized(q.texts, language, q.code), q.answer_type) for q in rows]  # type: ignore[misc]


def responder_choices(session: Session, actor: User, area_id: object, text: str,
                      language: str) -> list[tuple[int, str, str]]:
    """(id, name, country name) of authorities that may answer the actor's request in the area: active ones
    of another country (a request goes abroad); nothing when the search is refused."""
    own = session.get(Authority, actor.authority_id)
    try:
        rows, _total = search_authorities(session, actor=actor, text=text, area_id=area_id, page_size=MAX_CHOICES,
                                          language=language)
    except ServiceError:
        return []
    return [(r.id, r.official_name, r.country_name) for r in rows
            if own is None or r.country_code != own.country_code][:MAX_RESPONDERS]


def forward_targets(session: Session, actor: User, request: InfoRequest, language: str) -> list[tuple[int, str]]:
    """(id, name) of the authorities the responder may forward to: active ones of its own country working in
    the request's area, not itself (actions.forward checks the same)."""
    current = session.get(Authority, request.responding_authority_id)
    if current is None:
        return []
    rows, _total = search_authorities(session, actor=actor, country=current.country_code, area_id=request.area_id,
                                      page_size=MAX_CHOICES, language=language)
    return [(r.id, r.official_name) for r in rows if r.id != current.id]


def allocation_choices(session: Session, request: InfoRequest) -> list[tuple[int, str, bool]]:
    """(id, name, allocated now) of the request handlers an allocator may allocate the request to."""
    allocated = set(session.exec(select(RequestAllocation.user_id).where(
        RequestAllocation.request_id == request.id)).all())
    return [(u.id, u.full_name, u.id in allocated)  # type: ignore[misc]
            for u in handlers(session, request.responding_authority_id, request.area_id)]


def task_kinds(session: Session, actor: User) -> set[str]:
    """The kinds of task that can come the actor's way: a request handler's, a coordinator's, or both."""
    kinds = set(HANDLER_KINDS if has_area_role(session, actor, Role.REQUEST_HANDLER) else ())
    return kinds | set(COORDINATOR_KINDS if coordinator_areas(session, actor) else ())
