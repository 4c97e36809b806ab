"""The request lifecycle in one table: every action, the states it starts from, where it leads and who may do it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.core.i18n import N_
from imi_app.core.time import as_utc, utcnow
from imi_app.authorities.models import Authority, AuthorityStatus
from imi_app.requests.models import InfoRequest, ReferralOpinion, RequestAllocation, RequestEvent, RequestStatus
from imi_app.accounts.models import Role, User
from imi_app.policy.facts import area_roles as held_roles, is_active_user, lda_of

S = RequestStatus
NEW = "new"  # an InfoRequest not saved yet: the state `create` starts from
DELETED = "deleted"  # where `delete_draft` leads: the request no longer exists

# Capacities: what a user is to one request. Who holds which is decided in `standing()` below.
REQUESTER = "requester"  # request handler of the requesting authority in the request's area
RESPONDER = "responder"  # request handler of the responding authority in the area (and allocated, once allocated)
ALLOCATOR = "allocator"  # allocator of the responding authority in the area
REQUEST_APPROVER = "request_approver"  # the coordinator whose approval of the request is due now
ANSWER_APPROVER = "answer_approver"  # the coordinator whose approval of the answer is due now
ARBITER = "arbiter"  # a coordinator whose referral opinion is still missing
CAPACITIES = (REQUESTER, RESPONDER, ALLOCATOR, REQUEST_APPROVER, ANSWER_APPROVER, ARBITER)

# How much of a request a user reads (see request_queries.request_detail).
FULL = "full"  # users of the requesting and of the responding authority
FORMER_RESPONDER = "former_responder"  # the authority that forwarded it: what it saw up to the forwarding
APPROVER = "approver"  # coordinator staff while the request or its answer awaits their approval
REFEREE = "referee"  # coordinator staff while a referral they take part in is open

# Coordinator staff act for their coordinator in an area with either role.
COORDINATOR_ROLES = (Role.DATA_ADMINISTRATOR, Role.APPROVER_REFEREE)


@dataclass(frozen=True)
class Transition:
    label: str  # gettext msgid of the button
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # the first is the usual one; the service picks among them
    actor: str  # the capacity that may do it
    guard: str | None = None  # a further condition on the request, see GUARDS


# The ONE definition of the lifecycle. Services refuse anything this table does not allow, the
# detail page shows exactly the actions it allows, and the permission matrix test walks it.
TRANSITIONS: dict[str, Transition] = {
    "create": Transition(N_("New request"), (NEW,), (S.DRAFT,), REQUESTER),
    "edit_draft": Transition(N_("Edit"), (S.DRAFT,), (S.DRAFT,), REQUESTER),
    "attach_to_request": Transition(N_("Add a file"), (S.DRAFT,), (S.DRAFT,), REQUESTER),
    "delete_draft": Transition(N_("Delete draft"), (S.DRAFT,), (DELETED,), REQUESTER),
    "submit": Transition(N_("Send"), (S.DRAFT,), (S.SENT, S.AWAITING_APPROVAL), REQUESTER),
    "approve_request": Transition(N_("Approve request"), (S.AWAITING_APPROVAL,),
                                  (S.SENT, S.AWAITING_APPROVAL), REQUEST_APPROVER),
    "reject_request": Transition(N_("Return request"), (S.AWAITING_APPROVAL,), (S.DRAFT,), REQUEST_APPROVER),
    "withdraw": Transition(N_("Withdraw"), (S.AWAITING_APPROVAL, S.SENT, S.ACCEPTED, S.ANSWER_AWAITING_APPROVAL),
                           (S.WITHDRAWN,), REQUESTER),
    "allocate": Transition(N_("Allocate"), (S.SENT, S.ACCEPTED), (S.SENT, S.ACCEPTED), ALLOCATOR),
    "forward": Transition(N_("Forward"), (S.SENT,), (S.SENT,), RESPONDER),
    "accept": Transition(N_("Accept"), (S.SENT,), (S.ACCEPTED,), RESPONDER),
    "attach_to_answer": Transition(N_("Add a file"), (S.ACCEPTED,), (S.ACCEPTED,), RESPONDER),
    "answer": Transition(N_("Send answer"), (S.ACCEPTED,), (S.ANSWERED, S.ANSWER_AWAITING_APPROVAL), RESPONDER),
    "insist": Transition(N_("Cannot give more"), (S.ACCEPTED,), (S.INSISTED,), RESPONDER,
                         guard="more_info_requested"),
    "approve_answer": Transition(N_("Approve answer"), (S.ANSWER_AWAITING_APPROVAL,),
                                 (S.ANSWERED, S.ANSWER_AWAITING_APPROVAL), ANSWER_APPROVER),
    "reject_answer": Transition(N_("Return answer"), (S.ANSWER_AWAITING_APPROVAL,), (S.ACCEPTED,),
                                ANSWER_APPROVER),
    "accept_answer": Transition(N_("Accept answer"), (S.ANSWERED, S.INSISTED), (S.CLOSED,), REQUESTER),
    "request_more_info": Transition(N_("Ask for more information"), (S.ANSWERED,), (S.ACCEPTED,), REQUESTER),
    "start_referral": Transition(N_("Start referral"), (S.INSISTED,), (S.IN_REFERRAL,), REQUESTER),
    "give_opinion": Transition(N_("Give opinion"), (S.IN_REFERRAL,), (S.IN_REFERRAL, S.ACCEPTED, S.CLOSED),
                               ARBITER),
    "rate": Transition(N_("Rate the answer"), (S.CLOSED,), (S.CLOSED,), REQUESTER, guard="rating_open"),
}

# One name per status, for every screen that shows one (the linked overview of the authorities feature too).
STATUS_LABELS = {
    S.DRAFT: N_("Draft"), S.AWAITING_APPROVAL: N_("Awaiting approval"), S.SENT: N_("Sent"),
    S.ACCEPTED: N_("Accepted"), S.ANSWER_AWAITING_APPROVAL: N_("Answer awaiting approval"),
    S.ANSWERED: N_("Answered"), S.INSISTED: N_("No further information"), S.IN_REFERRAL: N_("In referral"),
    S.CLOSED: N_("Closed"), S.WITHDRAWN: N_("Withdrawn"),
}

RATING_DAYS = 30  # the requesting side rates a closed request, and may change its rating, for this long


def _rating_open(request: InfoRequest) -> bool:
    closed = as_utc(request.closed_at)
    return closed is not None and utcnow() - closed <= timedelta(days=RATING_DAYS)


GUARDS = {
    # Insisting answers a request for more information; before one was asked there is nothing to insist on.
    "more_info_requested": lambda request: bool(request.more_info_requested),
    "rating_open": _rating_open,
}

ALL_STATES = (NEW, S.DRAFT, S.AWAITING_APPROVAL, S.SENT, S.ACCEPTED, S.ANSWER_AWAITING_APPROVAL, S.ANSWERED,
              S.INSISTED, S.IN_REFERRAL, S.CLOSED, S.WITHDRAWN)

# Event kinds that start and continue an approval round, per approval status.
APPROVAL_EVENTS = {
    S.AWAITING_APPROVAL: ("submitted_for_approval", "request_approved"),
    S.ANSWER_AWAITING_APPROVAL: ("answer_submitted", "answer_approved"),
}


@dataclass(frozen=True)
class Standing:
    """What one user is to one request: how much they read and in which capacities they act now."""

    read: str | None
    side: str | None  # REQUESTER or RESPONDER for users of those authorities
    capacities: frozenset[str]


NO_STANDING = Standing(None, None, frozenset())


def state_of(request: InfoRequest) -> str:
    return NEW if request.id is None else request.status


def area_roles(session: Session, user: User, area_id: int) -> set[str]:
    """The roles the user holds in one legislative area."""
    return {role for role, areas in held_roles(session, user.id).items() if area_id in areas}


def is_acting_coordinator(session: Session, user: User, roles: Iterable[str]) -> bool:
    if not set(roles) & set(COORDINATOR_ROLES):
        return False
    own = session.get(Authority, user.authority_id)
    return bool(own and own.is_coordinator and own.status == AuthorityStatus.ACTIVE)


def id_in(column, ids) -> sa.ColumnElement[bool]:
    """`column IN (…)` for a long list of ids from the database: rendered inline, not as thousands of bound
    parameters (their rendering and parsing cost more than the query on both databases)."""
    values = sorted({int(i) for i in ids})
    return column.in_(sa.bindparam(None, values, expanding=True, literal_execute=True))


def pending_approvers(session: Session, requests: list) -> dict[int, int | None]:
    """Request id -> the coordinator whose approval is due now, for requests (or rows with id and status)
    awaiting approval.

    The coordinators that must approve are fixed when the round starts (the event's data holds them,
    nearest first); each approves in turn; the first one that has not approved since is due.
    """
    waiting = [r for r in requests if r.status in APPROVAL_EVENTS and r.id is not None]
    if not waiting:
        return {}
    kinds = {kind for pair in APPROVAL_EVENTS.values() for kind in pair}
    rows = session.exec(select(RequestEvent.request_id, RequestEvent.kind, RequestEvent.actor_authority_id,
                               RequestEvent.data).where(
        id_in(RequestEvent.request_id, [r.id for r in waiting]), col(RequestEvent.kind).in_(kinds))
        .order_by(RequestEvent.id)).all()
    by_request: dict[int, list] = {}
    for request_id, kind, authority_id, data in rows:
        by_request.setdefault(request_id, []).append((kind, authority_id, data))
    result: dict[int, int | None] = {}
    for request in waiting:
        start, done = APPROVAL_EVENTS[request.status]
        approvers: list[int] = []
        approved: set[int] = set()
        for kind, authority_id, data in by_request.get(request.id, []):
            if kind == start:
                approvers, approved = list((data or {}).get("approvers", [])), set()
            elif kind == done and authority_id is not None:
                approved.add(authority_id)
        result[request.id] = next((c for c in approvers if c not in approved), None)
    return result


def next_approver(session: Session, request: InfoRequest, approving: int | None) -> int | None:
    """The coordinator due after `approving` in the current approval round, if any."""
    start = APPROVAL_EVENTS.get(request.status, (None, None))[0]
    round_start = session.exec(select(RequestEvent).where(RequestEvent.request_id == request.id,
                                                          RequestEvent.kind == start)
                               .order_by(RequestEvent.id.desc())).first()  # type: ignore[union-attr]
    approvers = list((round_start.data or {}).get("approvers", [])) if round_start else []
    if approving not in approvers:
        return None
    rest = approvers[approvers.index(approving) + 1:]
    return rest[0] if rest else None


def _allocated(session: Session, request_id: int) -> set[int]:
    return set(session.exec(select(RequestAllocation.user_id).where(RequestAllocation.request_id == request_id)).all())


def _referral_row(session: Session, request_id: int, coordinator_id: int) -> ReferralOpinion | None:
    return session.exec(select(ReferralOpinion).where(ReferralOpinion.request_id == request_id,
                                                      ReferralOpinion.coordinator_id == coordinator_id)).first()


def standing(session: Session, actor: User | None, request: InfoRequest) -> Standing:
    """Capacities and read access of `actor` for `request` (deny by default).

    - Users of the requesting authority read everything; its request handlers in the area act as REQUESTER.
    - Users of the responding authority read everything once the request was sent; its allocators in the
      area allocate; its request handlers act as RESPONDER — all of them while nobody is allocated,
      afterwards only the allocated ones (unallocated requests stay open to every handler of the area).
    - The authority that forwarded the request keeps reading what it saw (FORMER_RESPONDER).
    - Staff of a coordinator (data administrators or approver-referees in the area) act and read only
      while the request or its answer awaits that coordinator's approval, or while a referral with an
      opinion row of that coordinator is open (they act while their opinion is missing).
    """
    if not is_active_user(actor) or not isinstance(request, InfoRequest):
        return NO_STANDING
    roles = area_roles(session, actor, request.area_id)
    own = actor.authority_id
    capacities: set[str] = set()
    read = side = None
    if own == request.requesting_authority_id:
        read, side = FULL, REQUESTER
        if Role.REQUEST_HANDLER in roles:
            capacities.add(REQUESTER)
    elif own == request.responding_authority_id and request.sent_at is not None and request.id is not None:
        read, side = FULL, RESPONDER
        if Role.ALLOCATOR in roles:
            capacities.add(ALLOCATOR)
        if Role.REQUEST_HANDLER in roles:
            allocated = _allocated(session, request.id)
            if not allocated or actor.id in allocated:
                capacities.add(RESPONDER)
    elif request.forwarded_from_authority_id is not None and own == request.forwarded_from_authority_id:
        read = FORMER_RESPONDER
    if request.id is not None and is_acting_coordinator(session, actor, roles):
        if request.status in APPROVAL_EVENTS and pending_approvers(session, [request]).get(request.id) == own:
            capacities.add(REQUEST_APPROVER if request.status == S.AWAITING_APPROVAL else ANSWER_APPROVER)
            read = read or APPROVER
        elif request.status == S.IN_REFERRAL:
            row = _referral_row(session, request.id, own)
            if row is not None:
                read = read or REFEREE
                if row.at is None:
                    capacities.add(ARBITER)
    return Standing(read, side, frozenset(capacities))


# Events whose data carries {"released": {"answers": …, "reply": …}}: the answer as the requester gets it.
RELEASE_EVENTS = ("answered", "answer_approved")


def last_release(session: Session, request_id: int) -> RequestEvent | None:
    """The event that last released an answer to the requesting authority (None: no answer released yet).

    The responder's working copy of the answers (RequestQuestion.answer) may hold an answer that still
    awaits approval, or one the coordinator returned: the requester reads the released snapshot only."""
    events = session.exec(select(RequestEvent).where(RequestEvent.request_id == request_id,
                                                     col(RequestEvent.kind).in_(RELEASE_EVENTS))
                          .order_by(RequestEvent.id)).all()  # type: ignore[union-attr]
    return release_in(events)


def release_in(events: list[RequestEvent]) -> RequestEvent | None:
    """`last_release` among already loaded events (in timeline order)."""
    return next((e for e in reversed(events) if e.kind in RELEASE_EVENTS and isinstance(e.data, dict)
                 and "released" in e.data), None)


def permits(transition: Transition, request: InfoRequest, capacities: Iterable[str]) -> bool:
    guard = GUARDS.get(transition.guard) if transition.guard else None
    return (state_of(request) in transition.sources and transition.actor in set(capacities)
            and (guard is None or guard(request)))


def allowed(session: Session, actor: User | None, action: str, request: object) -> bool:
    """May `actor` do `action` to `request` now? Unknown actions and non-requests: no."""
    transition = TRANSITIONS.get(action)
    if transition is None or not isinstance(request, InfoRequest):
        return False
    return permits(transition, request, standing(session, actor, request).capacities)


def available_actions(session: Session, actor: User | None, request: InfoRequest,
                      known: Standing | None = None) -> tuple[str, ...]:
    """The actions `actor` may do now, in table order: the detail page shows exactly these buttons."""
    capacities = (known or standing(session, actor, request)).capacities
    return tuple(name for name, t in TRANSITIONS.items() if name != "create" and permits(t, request, capacities))


# The readers of the person and files; LDA_AUDIENCE marks a timeline entry for the participants' local data
# administrators only (the opening of blocked data, requests.blocking).
PERSONAL_READERS = (FULL, FORMER_RESPONDER, APPROVER)
LDA_AUDIENCE = "lda"


def may_open_blocked_data(session: Session, actor: User | None, request: object) -> bool:
    """A local data administrator of the requesting or responding authority, while the data is blocked (and not
    yet deleted), may open it for one view with a stated reason (Art. 14(2): to prove an exchange, or with the
    data subject's consent)."""
    return (isinstance(request, InfoRequest) and actor is not None and is_active_user(actor)
            and request.personal_data_blocked_at is not None and request.personal_data_deleted_at is None
            and (lda_of(actor, request.requesting_authority_id) or lda_of(actor, request.responding_authority_id)))


def may_change_subject_data(session: Session, actor: User | None, request: object) -> bool:
    """For the data subject's rights (requests.data_subject): a local data administrator of the requesting
    authority, or of the responding one once it received the request, while the data is not deleted."""
    return (isinstance(request, InfoRequest) and actor is not None and is_active_user(actor)
            and request.personal_data_deleted_at is None
            and (lda_of(actor, request.requesting_authority_id)
                 or (request.sent_at is not None and lda_of(actor, request.responding_authority_id))))


def may_read_personal_data(session: Session, actor: User | None, request: object,
                           known: Standing | None = None) -> bool:
    """Person data and files: the two authorities, the forwarding one (what it saw), and approvers while
    it awaits them (they judge what leaves the country). Referral arbiters judge whether the asked
    information can be given, which needs the questions and answers but not the person: they do not see it."""
    if not isinstance(request, InfoRequest) or request.personal_data_blocked_at is not None:
        return False
    return (known or standing(session, actor, request)).read in PERSONAL_READERS


__all__ = ["id_in", "ALLOCATOR", "ALL_STATES", "ANSWER_APPROVER", "APPROVER", "ARBITER", "CAPACITIES", "DELETED",
           "FORMER_RESPONDER", "FULL", "GUARDS", "NEW", "REFEREE", "REQUESTER", "REQUEST_APPROVER", "RESPONDER",
           "LDA_AUDIENCE", "PERSONAL_READERS", "STATUS_LABELS", "Standing", "TRANSITIONS", "Transition", "allowed",
           "available_actions", "may_change_subject_data", "may_open_blocked_data", "may_read_personal_data",
           "last_release", "next_approver", "release_in", "pending_approvers", "standing", "state_of"]
