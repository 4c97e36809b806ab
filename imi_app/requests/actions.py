"""The request workflow's steps: drafts, sending and its approval, withdrawal, forwarding, acceptance, allocation.

Every step is one function `step(session, *, actor, request_id, expected_version, …) -> StepResult`
run inside the caller's one transaction: it locks the request, refuses a stale version (Conflict
"changed by someone else"), a step the state machine (request_rules.TRANSITIONS) does not allow now
(Conflict), an actor without the right (Denied, audited) or bad input (ValidationFailed, per field),
all before changing anything; then it bumps the version, writes a timeline event and an audit row,
and queues the notifications. The answering side (answer, approvals of answers, more information,
insisting, referral) is in request_answers and re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from imi_app.core.edges import is_id
from imi_app.core.i18n import N_
from imi_app.requests.models import InfoRequest, RequestAllocation, RequestPerson, RequestQuestion, RequestStatus
from imi_app.authorities.models import Authority, AuthorityStatus
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.core.time import utcnow
from imi_app.requests import rules as _rules  # noqa: F401 - registers the request rules
from imi_app.policy import can
from imi_app.core import audit
from imi_app.requests import notifications
from imi_app.requests.erasure import delete_request
from imi_app.authorities.coordinator_settings import oversight
from imi_app.core.errors import ValidationFailed, refuse_invalid
from imi_app.requests.inputs import (
    MAX_ALLOCATED, NOT_VALID, DraftInput, PersonInput, clean_draft, reason_problem, reply_date_problem,
    today, works_in,
)
from imi_app.requests.lifecycle import REQUESTER, RESPONDER, next_approver, pending_approvers
from imi_app.requests.frame import OBJECT_TYPE, StepResult, begin, denied, finish, next_case_id, record_event

S = RequestStatus


# --- drafts ----------------------------------------------------------------------------------------

def _replace_rows(session: Session, existing: dict, wanted: list[int], make: Callable[[int], object]) -> None:
    """Makes a request's link rows (keyed by the id they link) those of `wanted`: deletes the others and adds
    `make(id)` for each one missing."""
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
    for key in wanted:
        if key not in existing:
            session.add(make(key))


def _apply_draft(session: Session, request: InfoRequest, values: dict) -> None:
    request.responding_authority_id = values["responding_authority_id"]
    request.subject, request.free_text = values["subject"], values["free_text"]
    request.proposed_reply_date = values["proposed_reply_date"]
    session.add(request)
    session.flush()
    person = session.get(RequestPerson, request.id) or RequestPerson(request_id=request.id)  # type: ignore[arg-type]
    for name, value in values["person"].items():
        setattr(person, name, value)
    session.add(person)
    existing = {rq.question_id: rq for rq in session.exec(select(RequestQuestion).where(
        RequestQuestion.request_id == request.id)).all()}
    _replace_rows(session, existing, values["question_ids"],
                  lambda question_id: RequestQuestion(request_id=request.id, question_id=question_id))


def create_draft(session: Session, *, actor: User, data: DraftInput) -> StepResult:
    """Starts a draft request of the actor's authority (request handlers of the area); it gets its case id now."""
    area_id = data.area_id if isinstance(data, DraftInput) and is_id(data.area_id) else None
    requester = session.get(Authority, actor.authority_id)
    probe = InfoRequest(requesting_authority_id=actor.authority_id, area_id=area_id or 0,
                        responding_authority_id=0, subject="")
    if area_id is None or requester is None or requester.status != AuthorityStatus.ACTIVE \
            or not can(session, actor, "request.create", probe):
        raise denied(session, actor, "create", f"area:{area_id!r}")
    values = clean_draft(session, requester, data, for_sending=False)
    now = utcnow()
    request = InfoRequest(case_id=next_case_id(session, now.year), area_id=area_id,
                          requesting_authority_id=requester.id,
                          responding_authority_id=values["responding_authority_id"],
                          status=S.DRAFT, subject=values["subject"], created_by_user_id=actor.id, created_at=now,
                          updated_at=now)
    _apply_draft(session, request, values)
    record_event(session, actor, request, "created", internal=REQUESTER)
    audit.record(session, action="request.create", actor=actor, object_type=OBJECT_TYPE, object_id=request.id,
                 after={"status": request.status, "version": request.version, "case_id": request.case_id})
    session.flush()
    return StepResult(request.id, request.case_id, request.status, request.version)  # type: ignore[arg-type]


def update_draft(session: Session, *, actor: User, request_id: int, expected_version: int,
                 data: DraftInput) -> StepResult:
    """Saves the draft's fields, person and chosen questions; the legislative area stays what it was."""
    request = begin(session, actor, request_id, expected_version, "edit_draft")
    if not isinstance(data, DraftInput) or data.area_id != request.area_id:
        raise ValidationFailed({"area_id": N_("The legislative area of a request cannot be changed. Start a new "
                                              "request instead.")})
    values = clean_draft(session, session.get(Authority, request.requesting_authority_id), data, for_sending=False)
    _apply_draft(session, request, values)
    return finish(session, actor, request, "edit_draft", status=S.DRAFT, event="draft_updated", internal=REQUESTER)


def delete_draft(session: Session, *, actor: User, request_id: int, expected_version: int) -> None:
    """Deletes a draft with everything it has; its files are removed once the deletion is committed."""
    request = begin(session, actor, request_id, expected_version, "delete_draft")
    before = {"status": request.status, "version": request.version, "case_id": request.case_id}
    files = delete_request(session, request)
    audit.record(session, action="request.delete_draft", actor=actor, object_type=OBJECT_TYPE, object_id=request_id,
                 before={**before, "files": files})


def _stored_draft(session: Session, request: InfoRequest) -> DraftInput:
    person = session.get(RequestPerson, request.id) or RequestPerson(request_id=request.id)  # type: ignore[arg-type]
    question_ids = list(session.exec(select(RequestQuestion.question_id).where(
        RequestQuestion.request_id == request.id).order_by(RequestQuestion.id)).all())
    return DraftInput(area_id=request.area_id, responding_authority_id=request.responding_authority_id,
                      subject=request.subject, free_text=request.free_text,
                      proposed_reply_date=request.proposed_reply_date, question_ids=question_ids,
                      person=PersonInput(kind=person.kind, full_name=person.full_name, birth_date=person.birth_date,
                                         nationality=person.nationality,
                                         registration_number=person.registration_number, address=person.address,
                                         other_details=person.other_details))


# --- sending and its approval -------------------------------------------------------------------

def _mark_sent(request: InfoRequest) -> None:
    request.sent_at = utcnow()
    request.deadline = request.proposed_reply_date


def _tell_approver(session: Session, request: InfoRequest, coordinator_id: int, kind: str, actor: User) -> None:
    notifications.notify(session, request=request, kind=kind, actor=actor,
                         users=notifications.coordinator_staff(session, coordinator_id, request.area_id))


def submit(session: Session, *, actor: User, request_id: int, expected_version: int) -> StepResult:
    """Sends a complete draft: straight to the responding authority, or first through the approval of the
    requesting side's coordinators (oversight().request_approvers, nearest first, each in turn)."""
    request = begin(session, actor, request_id, expected_version, "submit")
    clean_draft(session, session.get(Authority, request.requesting_authority_id), _stored_draft(session, request),
                for_sending=True)
    approvers = list(oversight(session, authority_id=request.requesting_authority_id,
                               area_id=request.area_id).request_approvers)
    if approvers:
        result = finish(session, actor, request, "submit", status=S.AWAITING_APPROVAL, event="submitted_for_approval",
                        data={"approvers": approvers}, internal=REQUESTER)
        _tell_approver(session, request, approvers[0], "approval_needed", actor)
        return result
    _mark_sent(request)
    result = finish(session, actor, request, "submit", status=S.SENT, event="sent")
    notifications.notify_new_incoming(session, request=request, actor=actor)
    return result


def approve_request(session: Session, *, actor: User, request_id: int, expected_version: int) -> StepResult:
    """The due coordinator approves; the request goes to the next approver or, after the last one, is sent."""
    request = begin(session, actor, request_id, expected_version, "approve_request")
    coordinator = pending_approvers(session, [request]).get(request.id)
    following = next_approver(session, request, coordinator)  # type: ignore[arg-type]
    if following is not None:
        result = finish(session, actor, request, "approve_request", status=S.AWAITING_APPROVAL,
                        event="request_approved", internal=REQUESTER)
        _tell_approver(session, request, following, "approval_needed", actor)
        return result
    _mark_sent(request)
    result = finish(session, actor, request, "approve_request", status=S.SENT, event="request_approved",
                    data={"sent": True})
    notifications.notify_new_incoming(session, request=request, actor=actor)
    return result


def reject_request(session: Session, *, actor: User, request_id: int, expected_version: int,
                   reason: str) -> StepResult:
    """The due coordinator returns the request to its draft, with the reason on the timeline."""
    request = begin(session, actor, request_id, expected_version, "reject_request")
    problem = reason_problem(reason, required=True)
    if problem:
        raise ValidationFailed({"reason": problem})
    result = finish(session, actor, request, "reject_request", status=S.DRAFT, event="request_rejected",
                    note=reason, internal=REQUESTER)
    notifications.notify(session, request=request, kind="approval_rejected", actor=actor,
                         users=notifications.requester_handlers(session, request))
    return result


def withdraw(session: Session, *, actor: User, request_id: int, expected_version: int, reason: str = "") -> StepResult:
    """The requester withdraws a request that has not been answered yet; the responder's handlers are told."""
    request = begin(session, actor, request_id, expected_version, "withdraw")
    problem = reason_problem(reason, required=False)
    if problem:
        raise ValidationFailed({"reason": problem})
    was_sent = request.sent_at is not None
    request.closed_at = utcnow()  # retention counts from here, as from a closure
    result = finish(session, actor, request, "withdraw", status=S.WITHDRAWN, event="withdrawn", note=reason,
                    internal=None if was_sent else REQUESTER)
    if was_sent:
        notifications.notify(session, request=request, kind="request_withdrawn", actor=actor,
                             users=notifications.responder_handlers(session, request))
    return result


# --- the responding side before answering ---------------------------------------------------------

def forward(session: Session, *, actor: User, request_id: int, expected_version: int, to_authority_id: int,
            note: str = "") -> StepResult:
    """Before accepting, the responder hands the request to another active authority of its country that works
    in the area; allocations are cleared; the forwarding authority keeps reading what it saw."""
    request = begin(session, actor, request_id, expected_version, "forward")
    current = session.get(Authority, request.responding_authority_id)
    target = session.get(Authority, to_authority_id) if is_id(to_authority_id) else None
    wrong_target = None
    if target is None or target.status != AuthorityStatus.ACTIVE or target.id == current.id:  # type: ignore[union-attr]
        wrong_target = N_("Choose another active authority.")
    elif target.country_code != current.country_code:  # type: ignore[union-attr]
        wrong_target = N_("You can forward a request only to an authority of your own country.")
    elif not works_in(session, target.id, request.area_id):  # type: ignore[arg-type]
        wrong_target = N_("This authority does not work in the request's legislative area.")
    refuse_invalid({"to_authority_id": wrong_target, "note": reason_problem(note, required=False)})
    for row in session.exec(select(RequestAllocation).where(RequestAllocation.request_id == request.id)).all():
        session.delete(row)
    previous = request.responding_authority_id
    request.forwarded_from_authority_id, request.responding_authority_id = previous, target.id  # type: ignore[union-attr]
    result = finish(session, actor, request, "forward", status=S.SENT, event="forwarded", note=note,
                    data={"from_authority_id": previous, "to_authority_id": target.id},  # type: ignore[union-attr]
                    audit_after={"from_authority_id": previous, "to_authority_id": target.id})  # type: ignore[union-attr]
    notifications.notify_new_incoming(session, request=request, actor=actor)
    return result


def accept(session: Session, *, actor: User, request_id: int, expected_version: int,
           reply_date=None) -> StepResult:
    """The responder accepts: agrees to the proposed reply date (reply_date None) or proposes its own;
    that date becomes the deadline."""
    request = begin(session, actor, request_id, expected_version, "accept")
    if reply_date is None or reply_date == "":
        agreed = request.proposed_reply_date
        if agreed is None or agreed < today():
            raise ValidationFailed({"reply_date": N_("The proposed reply date has passed. Propose a new one.")})
    else:
        agreed, problem = reply_date_problem(reply_date, required=True)
        if problem:
            raise ValidationFailed({"reply_date": problem})
    request.agreed_reply_date = request.deadline = agreed
    return finish(session, actor, request, "accept", status=S.ACCEPTED, event="accepted",
                  data={"reply_date": agreed.isoformat(), "as_proposed": agreed == request.proposed_reply_date})


def allocate(session: Session, *, actor: User, request_id: int, expected_version: int,
             user_ids: list[int]) -> StepResult:
    """An allocator of the responding authority assigns the request to request handlers of its authority in the
    area (replacing the assignment; an empty list un-assigns it); newly assigned handlers are told."""
    request = begin(session, actor, request_id, expected_version, "allocate")
    if not isinstance(user_ids, (list, tuple)) or len(user_ids) > MAX_ALLOCATED or not all(is_id(u) for u in user_ids):
        raise ValidationFailed({"user_ids": NOT_VALID})
    wanted = list(dict.fromkeys(user_ids))
    eligible = {u.id: u for u in session.exec(select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
                                              .where(User.id.in_(wanted),  # type: ignore[union-attr]
                                                     User.authority_id == request.responding_authority_id,
                                                     User.is_active.is_(True),  # type: ignore[attr-defined]
                                                     RoleAssignment.area_id == request.area_id,
                                                     RoleAssignment.role == Role.REQUEST_HANDLER)).all()}
    if len(eligible) != len(wanted):
        raise ValidationFailed({"user_ids": N_("Choose request handlers of your authority in this legislative "
                                               "area.")})
    current = {a.user_id: a for a in session.exec(select(RequestAllocation).where(
        RequestAllocation.request_id == request.id)).all()}
    _replace_rows(session, current, wanted, lambda user_id: RequestAllocation(
        request_id=request.id, user_id=user_id, allocated_by_user_id=actor.id))
    result = finish(session, actor, request, "allocate", status=request.status, event="allocated",
                    data={"user_ids": wanted}, internal=RESPONDER, audit_after={"user_ids": wanted})
    notifications.notify(session, request=request, kind="request_allocated", actor=actor,
                         users=[eligible[u] for u in wanted if u not in current])
    return result


# The answering side lives in its own module; one import point for callers.
from imi_app.requests.answering import (
    accept_answer, answer, approve_answer, give_opinion, insist, rate, reject_answer, request_more_info,
    start_referral,
)

__all__ = ["DraftInput", "PersonInput", "StepResult", "accept", "accept_answer", "allocate", "answer",
           "approve_answer", "approve_request", "create_draft", "delete_draft", "forward", "give_opinion", "insist",
           "rate", "reject_answer", "reject_request", "request_more_info", "start_referral", "submit", "update_draft",
           "withdraw"]
