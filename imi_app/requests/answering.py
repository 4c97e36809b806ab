"""The answering side of a request: answer (and its approval), accept it or ask for more, insist, referral.

Same frame as services/requests.py: one transaction per step, version and state checked first, a
timeline event, an audit row and the notifications. The requester reads an answer only once it is
released (see request_rules.last_release): directly, or after the last approving coordinator.

Referral rule: each coordinator that takes part (oversight().referral_arbiter of both sides; one
that opted out is skipped) records an opinion — "requester" (the information should be given) or
"responder" (it cannot be). When the last one is in, the request returns to the responder
(status accepted) if ANY opinion supports the requester, and is closed otherwise.
"""

from __future__ import annotations

from sqlmodel import Session, select

from imi_app.core.edges import is_id
from imi_app.core.i18n import N_
from imi_app.requests.models import (
    InfoRequest, Question, Rating, ReferralOpinion, RequestEvent, RequestQuestion, RequestRating, RequestStatus,
)
from imi_app.accounts.models import User
from imi_app.core.time import utcnow
from imi_app.requests import notifications
from imi_app.authorities.coordinator_settings import oversight
from imi_app.core.errors import Conflict, ValidationFailed, refuse_invalid
from imi_app.requests.inputs import NOT_VALID, clean_answer, long_text_problem, reason_problem, reply_date_problem
from imi_app.requests.lifecycle import RESPONDER, next_approver, pending_approvers
from imi_app.requests.frame import StepResult, begin, finish, record_event

S = RequestStatus
OPINIONS = ("requester", "responder")
NO_ARBITER = N_("No coordinator takes part in referrals in this legislative area, so a referral cannot be started. "
                "You can accept the answer instead.")


def _questions(session: Session, request: InfoRequest) -> list[tuple[RequestQuestion, Question]]:
    return list(session.exec(select(RequestQuestion, Question)
                             .join(Question, Question.id == RequestQuestion.question_id)
                             .where(RequestQuestion.request_id == request.id).order_by(Question.position,
                                                                                       Question.id)).all())


def _snapshot(session: Session, request: InfoRequest) -> dict:
    return {str(rq.question_id): rq.answer for rq, _q in _questions(session, request)}


def _release(reply: str, answers: dict) -> dict:
    return {"released": {"answers": answers, "reply": reply}}


def _note(value: object, field: str = "note", *, required: bool = True) -> str:
    problem = long_text_problem(value, required=required)
    if problem:
        raise ValidationFailed({field: problem})
    return value  # type: ignore[return-value]


def answer(session: Session, *, actor: User, request_id: int, expected_version: int, answers: dict,
           reply: str = "") -> StepResult:
    """The responder answers: `answers` maps question id -> answer ("yes"/"no", text, or a YYYY-MM-DD date by
    the question's type; earlier answers stay unless given again), `reply` is the free-text answer as written.
    Every question must have an answer; with answer approval on, the answer goes to the coordinator first."""
    request = begin(session, actor, request_id, expected_version, "answer")
    if not isinstance(answers, dict) or not all(is_id(k) for k in answers):
        raise ValidationFailed({"answers": NOT_VALID})
    pairs = _questions(session, request)
    if set(answers) - {q.id for _rq, q in pairs}:
        raise ValidationFailed({"answers": N_("Answer only the questions of this request.")})
    errors: dict[str, str] = {}
    cleaned: dict[int, str] = {}
    for row, question in pairs:
        value, problem = clean_answer(question, answers.get(question.id, row.answer))
        if problem:
            errors[f"answer_{question.id}"] = problem
        else:
            cleaned[question.id] = value  # type: ignore[index,assignment]
    problem = long_text_problem(reply, required=not pairs)
    if problem:
        errors["reply"] = problem
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    for row, question in pairs:
        if row.answer != cleaned[question.id]:
            row.answer, row.answered_by_user_id, row.answered_at = cleaned[question.id], actor.id, now
            session.add(row)
    approvers = list(oversight(session, authority_id=request.responding_authority_id,
                               area_id=request.area_id).answer_approvers)
    if approvers:
        result = finish(session, actor, request, "answer", status=S.ANSWER_AWAITING_APPROVAL, event="answer_submitted",
                        data={"approvers": approvers, "reply": reply}, internal=RESPONDER)
        notifications.notify(session, request=request, kind="answer_approval_needed", actor=actor,
                             users=notifications.coordinator_staff(session, approvers[0], request.area_id))
        return result
    result = finish(session, actor, request, "answer", status=S.ANSWERED, event="answered", note=reply,
                    data=_release(reply, {str(k): v for k, v in cleaned.items()}))
    notifications.notify(session, request=request, kind="answer_received", actor=actor,
                         users=notifications.requester_handlers(session, request))
    return result


def _submitted_reply(session: Session, request: InfoRequest) -> str:
    event = session.exec(select(RequestEvent).where(RequestEvent.request_id == request.id,
                                                    RequestEvent.kind == "answer_submitted")
                         .order_by(RequestEvent.id.desc())).first()  # type: ignore[union-attr]
    return str((event.data or {}).get("reply", "")) if event else ""


def approve_answer(session: Session, *, actor: User, request_id: int, expected_version: int) -> StepResult:
    """The due coordinator approves the answer; after the last approver it is released to the requester."""
    request = begin(session, actor, request_id, expected_version, "approve_answer")
    following = next_approver(session, request, pending_approvers(session, [request]).get(request.id))
    if following is not None:
        result = finish(session, actor, request, "approve_answer", status=S.ANSWER_AWAITING_APPROVAL,
                        event="answer_approved", internal=RESPONDER)
        notifications.notify(session, request=request, kind="answer_approval_needed", actor=actor,
                             users=notifications.coordinator_staff(session, following, request.area_id))
        return result
    reply = _submitted_reply(session, request)
    result = finish(session, actor, request, "approve_answer", status=S.ANSWERED, event="answer_approved",
                    note=reply, data=_release(reply, _snapshot(session, request)))
    notifications.notify(session, request=request, kind="answer_received", actor=actor,
                         users=notifications.requester_handlers(session, request))
    return result


def reject_answer(session: Session, *, actor: User, request_id: int, expected_version: int,
                  reason: str) -> StepResult:
    """The due coordinator returns the answer to the responder (accepted again), with the reason."""
    request = begin(session, actor, request_id, expected_version, "reject_answer")
    reason = _note(reason, "reason")
    result = finish(session, actor, request, "reject_answer", status=S.ACCEPTED, event="answer_rejected",
                    note=reason, internal=RESPONDER)
    notifications.notify(session, request=request, kind="answer_rejected", actor=actor,
                         users=notifications.responder_handlers(session, request))
    return result


def accept_answer(session: Session, *, actor: User, request_id: int, expected_version: int) -> StepResult:
    """The requester is satisfied (also after the responder insisted): the request is closed."""
    request = begin(session, actor, request_id, expected_version, "accept_answer")
    request.closed_at = utcnow()
    return finish(session, actor, request, "accept_answer", status=S.CLOSED, event="answer_accepted")


def request_more_info(session: Session, *, actor: User, request_id: int, expected_version: int, note: str,
                      reply_date=None) -> StepResult:
    """The requester asks for more information (`note` says what); the request is with the responder again.
    A new `reply_date` becomes the deadline; without one the deadline stays."""
    request = begin(session, actor, request_id, expected_version, "request_more_info")
    new_date, date_problem = reply_date_problem(reply_date, required=False)
    refuse_invalid({"note": long_text_problem(note, required=True), "reply_date": date_problem})
    request.more_info_requested = True
    if new_date is not None:
        request.agreed_reply_date = request.deadline = new_date
    result = finish(session, actor, request, "request_more_info", status=S.ACCEPTED, event="more_info_requested",
                    note=note, data={"reply_date": new_date.isoformat()} if new_date else None)
    notifications.notify(session, request=request, kind="more_info_requested", actor=actor,
                         users=notifications.responder_handlers(session, request))
    return result


def insist(session: Session, *, actor: User, request_id: int, expected_version: int, note: str) -> StepResult:
    """After more information was asked, the responder says (and why) it cannot give more."""
    request = begin(session, actor, request_id, expected_version, "insist")
    note = _note(note)
    result = finish(session, actor, request, "insist", status=S.INSISTED, event="insisted", note=note)
    notifications.notify(session, request=request, kind="insisted", actor=actor,
                         users=notifications.requester_handlers(session, request))
    return result


def _arbiters(session: Session, request: InfoRequest) -> list:
    found = {}
    for authority_id in (request.requesting_authority_id, request.responding_authority_id):
        arbiter = oversight(session, authority_id=authority_id, area_id=request.area_id).referral_arbiter
        if arbiter is not None:
            found.setdefault(arbiter.coordinator_id, arbiter)
    return list(found.values())


def start_referral(session: Session, *, actor: User, request_id: int, expected_version: int,
                   note: str) -> StepResult:
    """The requester refers the dispute to both sides' coordinators (those that take part in referrals).
    Refused with a clear message when none takes part."""
    request = begin(session, actor, request_id, expected_version, "start_referral")
    note = _note(note)
    arbiters = _arbiters(session, request)
    if not arbiters:
        raise Conflict(NO_ARBITER)
    for old in session.exec(select(ReferralOpinion).where(ReferralOpinion.request_id == request.id)).all():
        session.delete(old)  # an earlier referral's opinions stay on the timeline
    session.flush()
    for arbiter in arbiters:
        session.add(ReferralOpinion(request_id=request.id, coordinator_id=arbiter.coordinator_id,
                                    user_id=arbiter.referee_user_id))
    coordinators = [a.coordinator_id for a in arbiters]
    result = finish(session, actor, request, "start_referral", status=S.IN_REFERRAL, event="referral_started",
                    note=note, data={"coordinators": coordinators}, audit_after={"coordinators": coordinators})
    for arbiter in arbiters:
        notifications.notify(session, request=request, kind="referral_opened", actor=actor,
                             users=notifications.coordinator_staff(session, arbiter.coordinator_id, request.area_id,
                                                                   referee_user_id=arbiter.referee_user_id))
    return result


def give_opinion(session: Session, *, actor: User, request_id: int, expected_version: int, opinion: str,
                 note: str) -> StepResult:
    """A coordinator taking part records its opinion ("requester" or "responder", with reasons). With the last
    one in, the request returns to the responder if any opinion supports the requester, else it is closed."""
    request = begin(session, actor, request_id, expected_version, "give_opinion")
    refuse_invalid({"opinion": None if opinion in OPINIONS else N_("Choose whose position you support."),
                    "note": long_text_problem(note, required=True)})
    rows = list(session.exec(select(ReferralOpinion).where(ReferralOpinion.request_id == request.id)).all())
    mine = next(r for r in rows if r.coordinator_id == actor.authority_id)
    mine.opinion, mine.note, mine.user_id, mine.at = opinion, note, actor.id, utcnow()
    session.add(mine)
    data = {"opinion": opinion, "coordinator_id": actor.authority_id}
    if any(r.at is None for r in rows):
        return finish(session, actor, request, "give_opinion", status=S.IN_REFERRAL, event="opinion_given",
                      note=note, data=data)
    returned = any(r.opinion == "requester" for r in rows)
    if not returned:
        request.closed_at = utcnow()
    record_event(session, actor, request, "opinion_given", note=note, data=data)
    result = finish(session, actor, request, "give_opinion", status=S.ACCEPTED if returned else S.CLOSED,
                    event="referral_decided", data={"outcome": "returned" if returned else "closed",
                                                    "opinions": {str(r.coordinator_id): r.opinion for r in rows}})
    users = notifications.requester_handlers(session, request) + notifications.responder_handlers(session, request)
    notifications.notify(session, request=request, kind="referral_decided", actor=actor, users=users,
                         extra=notifications.referral_outcome(returned))
    return result


__all__ = ["OPINIONS", "accept_answer", "answer", "approve_answer", "give_opinion", "insist", "reject_answer",
           "request_more_info", "start_referral"]


# --- the requesting side's rating, once the request is closed -------------------------------------

RATINGS = tuple(r.value for r in Rating)
CHOOSE_RATING = N_("Choose one of the three.")


def rate(session: Session, *, actor: User, request_id: int, expected_version: int, timeliness: object,
         efforts: object, comment: object = "") -> StepResult:
    """The requester rates a closed request: the answer's timeliness and the efforts made (positive, neutral or
    negative) with an optional comment. One rating per request, changeable while lifecycle.RATING_DAYS run
    from the closure; both sides see it on the timeline, and it counts in the scoreboard (indicators 4, 5)."""
    request = begin(session, actor, request_id, expected_version, "rate")
    refuse_invalid({"timeliness": None if timeliness in RATINGS else CHOOSE_RATING,
                    "efforts": None if efforts in RATINGS else CHOOSE_RATING,
                    "comment": reason_problem(comment, required=False)})
    row = session.get(RequestRating, request.id) or RequestRating(request_id=request.id, timeliness="", efforts="")
    changed = bool(row.timeliness)
    row.timeliness, row.efforts, row.comment = timeliness, efforts, comment  # type: ignore[assignment]
    row.rated_by_user_id, row.rated_at = actor.id, utcnow()
    session.add(row)
    ratings = {"timeliness": timeliness, "efforts": efforts}
    return finish(session, actor, request, "rate", status=S.CLOSED, event="rated", note=str(comment),
                  data={**ratings, "changed": changed}, audit_after=ratings)
