"""One request as a given reader may see it: header, questions and answers in their language, person, files,
timeline, referral opinions, and exactly the actions they may take now.

What each reader gets (request_rules.standing):
- requesting side: everything of its own; the answers as released to it (not one awaiting approval);
- responding side: everything; the working answers and what was released; who is allocated;
- the authority that forwarded it: the request as it saw it (no answers, timeline up to its forwarding);
- coordinator staff approving: the request (with the person and files, read-only) while it awaits them;
- coordinator staff in a referral: the request, questions, released answers and timeline, no person or files.
Events marked internal to one side (drafting, approvals, allocation) show only to that side and its approvers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, col, select

from imi_app.core.i18n import normalize_language, localized
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.requests.models import (
    InfoRequest, Question, ReferralOpinion, RequestAllocation, RequestEvent, RequestPerson, RequestQuestion,
)
from imi_app.accounts.models import User
from imi_app.core.time import as_utc
from imi_app.requests import escalation
from imi_app.requests.attachments import AttachmentInfo, visible_files
from imi_app.requests.inputs import today
from imi_app.requests.lifecycle import (
    APPROVER, FORMER_RESPONDER, LDA_AUDIENCE, PERSONAL_READERS, REFEREE, REQUESTER, RESPONDER, Standing,
    available_actions, release_in, standing,
)
from imi_app.policy import can
from imi_app.policy.facts import lda_of
from imi_app.requests.frame import load_for_update

DUE = ("sent", "accepted")
# Event data keys that are bookkeeping, not for display.
_HIDDEN_DATA = ("released", "internal", "approvers", "reply", "audience")


@dataclass(frozen=True)
class AuthorityRef:
    id: int
    name: str
    country_code: str


@dataclass(frozen=True)
class QuestionAnswer:
    question_id: int
    code: str
    text: str  # in the reader's language, English when it has no translation
    answer_type: str  # yes_no | text | date
    answer: str | None  # what this reader sees: released answer, or the responder's working answer
    released_answer: str | None  # what the requesting authority has got (None: nothing yet)


@dataclass(frozen=True)
class PersonView:
    """Personal data: the page marks it as such."""

    kind: str
    full_name: str
    birth_date: date | None
    nationality: str
    registration_number: str
    address: str
    other_details: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime | None
    kind: str
    actor_name: str
    actor_authority: str
    note: str
    data: dict


@dataclass(frozen=True)
class WaitingView:
    """A coordinator the request waits on (requests.escalation): for its approval or its referral opinion."""

    coordinator: str
    since: datetime
    what: str  # approval | opinion
    working_days: int
    escalated: bool


@dataclass(frozen=True)
class OpinionView:
    coordinator: AuthorityRef
    opinion: str  # requester | responder | "" while missing
    note: str
    at: datetime | None


@dataclass(frozen=True)
class RequestDetail:
    id: int
    case_id: str
    subject: str
    status: str
    version: int  # pass back as expected_version with the next step
    area_id: int
    area_name: str
    requesting: AuthorityRef
    responding: AuthorityRef
    forwarded_from: AuthorityRef | None
    proposed_reply_date: date | None
    agreed_reply_date: date | None
    deadline: date | None
    overdue: bool
    more_info_requested: bool
    created_at: datetime | None
    sent_at: datetime | None
    updated_at: datetime | None
    closed_at: datetime | None
    free_text: str
    reply: str  # the free-text answer this reader sees
    pending_reply: str  # the responder's reply awaiting approval (responding side and its approvers only)
    questions: tuple[QuestionAnswer, ...]
    person: PersonView | None  # None: not for this reader, or blocked
    personal_data_blocked: bool  # blocked and not opened for this view: texts, answers, notes and files withheld
    personal_data_blocked_at: datetime | None
    personal_data_deleted_at: datetime | None
    may_open_blocked: bool  # the reader may open the blocked data for a stated reason (requests.blocking)
    attachments: tuple[AttachmentInfo, ...]
    timeline: tuple[TimelineEntry, ...]
    opinions: tuple[OpinionView, ...]
    allocated: tuple[tuple[int, str], ...]  # (user id, full name); responding side only
    reader: str  # how this reader sees it: full | former_responder | approver | referee
    side: str | None  # requester | responder | None
    actions: tuple[str, ...]  # request_rules.TRANSITIONS names this reader may do now: show only these buttons
    waiting: tuple[WaitingView, ...] = ()  # the coordinators it waits on now, since when


def _ref(authority: Authority | None) -> AuthorityRef:
    return AuthorityRef(authority.id, authority.official_name, authority.country_code) if authority \
        else AuthorityRef(0, "", "")


def _sees_working_copy(known: Standing, request: InfoRequest) -> bool:
    return known.side == RESPONDER or (known.read == APPROVER and request.status == "answer_awaiting_approval")


def _visible_event(event: RequestEvent, known: Standing, request: InfoRequest, cutoff: int | None,
                   lda: bool) -> bool:
    if cutoff is not None and event.id > cutoff:  # type: ignore[operator]
        return False
    if _for_ldas(event) and not lda:
        return False
    internal = (event.data or {}).get("internal")
    if internal is None:
        return True
    if known.side is not None:
        return internal == known.side
    if known.read == APPROVER:
        return internal == (REQUESTER if request.status == "awaiting_approval" else RESPONDER)
    return False


def _for_ldas(event: RequestEvent) -> bool:
    """An event only local data administrators see (the reason blocked data was opened): its note is theirs to
    read even while the data stays blocked."""
    return (event.data or {}).get("audience") == LDA_AUDIENCE


def _timeline(session: Session, request: InfoRequest, known: Standing, lda: bool,
              withheld: bool) -> tuple[list, list[TimelineEntry], dict]:
    """All events, the entries this reader sees, and the authorities named (the request's three among them)."""
    events = list(session.exec(select(RequestEvent).where(RequestEvent.request_id == request.id)
                               .order_by(RequestEvent.id)).all())
    cutoff = None
    if known.read == FORMER_RESPONDER:
        forwards = [e.id for e in events if e.kind == "forwarded"
                    and (e.data or {}).get("from_authority_id") == request.forwarded_from_authority_id]
        cutoff = forwards[-1] if forwards else 0
    shown = [e for e in events if _visible_event(e, known, request, cutoff, lda)]
    people = dict(session.exec(select(User.id, User.full_name).where(
        User.id.in_({e.actor_user_id for e in shown if e.actor_user_id}))).all())  # type: ignore[union-attr]
    bodies = _authorities(session, {e.actor_authority_id for e in shown if e.actor_authority_id}
                          | {request.requesting_authority_id, request.responding_authority_id,
                             request.forwarded_from_authority_id})
    entries = [TimelineEntry(as_utc(e.at), e.kind, people.get(e.actor_user_id, ""),
                             bodies[e.actor_authority_id].name if e.actor_authority_id in bodies else "",
                             "" if withheld and not _for_ldas(e) else e.note,
                             {k: v for k, v in (e.data or {}).items() if k not in _HIDDEN_DATA}) for e in shown]
    return events, entries, bodies


def _authorities(session: Session, ids: set) -> dict[int, AuthorityRef]:
    ids = {i for i in ids if i}
    rows = session.exec(select(Authority).where(Authority.id.in_(ids))).all() if ids else []  # type: ignore[union-attr]
    return {a.id: _ref(a) for a in rows}


def _questions(session: Session, request: InfoRequest, language: str, known: Standing,
               released: RequestEvent | None) -> tuple[list[QuestionAnswer], str]:
    """The questions with the answers this reader sees, and the free-text reply it sees."""
    released_answers = dict((released.data or {})["released"].get("answers", {})) if released else {}
    working = _sees_working_copy(known, request)
    rows = session.exec(select(RequestQuestion, Question).join(Question, Question.id == RequestQuestion.question_id)
                        .where(RequestQuestion.request_id == request.id).order_by(Question.position,
                                                                                  Question.id)).all()
    result = []
    for row, question in rows:
        texts = dict(question.texts or {})
        text = localized(texts, language, next(iter(texts.values()), question.code))
        released_answer = released_answers.get(str(question.id)) if known.read != FORMER_RESPONDER else None
        shown = row.answer if working else released_answer
        result.append(QuestionAnswer(question.id, question.code, text, question.answer_type, shown,  # type: ignore[arg-type]
                                     released_answer))
    return result, (released.data["released"].get("reply", "") if released and known.read != FORMER_RESPONDER
                    else "")


def _person(session: Session, request: InfoRequest) -> PersonView | None:
    person = session.get(RequestPerson, request.id)
    if person is None:
        return None
    return PersonView(person.kind, person.full_name, person.birth_date, person.nationality,
                      person.registration_number, person.address, person.other_details)


def _waiting(session: Session, request: InfoRequest) -> tuple[WaitingView, ...]:
    items = escalation.waiting_on(session, [request]).get(request.id, [])  # type: ignore[arg-type]
    names = dict(session.exec(select(Authority.id, Authority.official_name).where(
        col(Authority.id).in_([w.coordinator_id for w in items]))).all()) if items else {}
    return tuple(WaitingView(names.get(w.coordinator_id, ""), w.since, w.what, escalation.waited_days(w.since),
                             escalation.escalated(w.since)) for w in items)


def _opinions(session: Session, request: InfoRequest, withheld: bool) -> list[OpinionView]:
    rows = session.exec(select(ReferralOpinion, Authority)
                        .join(Authority, Authority.id == ReferralOpinion.coordinator_id)
                        .where(ReferralOpinion.request_id == request.id).order_by(Authority.name_key)).all()
    return [OpinionView(_ref(a), o.opinion, "" if withheld else o.note, as_utc(o.at)) for o, a in rows]


def request_detail(session: Session, *, actor: User, request_id: int, language: str) -> RequestDetail:
    """The request page's data for `actor`; Denied (audited) when they may not see it."""
    return detail_of(session, actor, load_for_update(session, actor, request_id, "view", lock=False), language)


def detail_of(session: Session, actor: User, request: InfoRequest, language: str, *,
              open_blocked: bool = False) -> RequestDetail:
    """`request_detail` of a request already loaded and known to be visible to `actor` (e.g. right after a step).

    Blocked personal data (requests.retention) is withheld: the person, the request text, answers, replies,
    notes and files; what stays proves the exchange. `open_blocked` (requests.blocking, after its checks) shows
    it for this one view, files excepted: a download is a request of its own and stays refused."""
    known = standing(session, actor, request)
    language = normalize_language(language)
    area = session.get(LegislativeArea, request.area_id)
    names = dict(area.names) if area else {}
    withheld = request.personal_data_blocked_at is not None and not open_blocked
    lda = lda_of(actor, request.requesting_authority_id) or lda_of(actor, request.responding_authority_id)
    events, timeline, authorities = _timeline(session, request, known, lda, withheld)
    released = release_in(events)
    questions, reply = _questions(session, request, language, known, released)
    if withheld:
        questions, reply = [replace(q, answer=None, released_answer=None) for q in questions], ""
    pending_reply = ""
    if not withheld and _sees_working_copy(known, request) and request.status == "answer_awaiting_approval":
        submitted = [e for e in events if e.kind == "answer_submitted"]
        pending_reply = str((submitted[-1].data or {}).get("reply", "")) if submitted else ""
    allocated = ()
    if known.side == RESPONDER:
        allocated = tuple(session.exec(select(User.id, User.full_name).join(
            RequestAllocation, RequestAllocation.user_id == User.id).where(
            RequestAllocation.request_id == request.id).order_by(User.full_name)).all())
    readable = known.read in PERSONAL_READERS
    personal = readable and not withheld
    show_opinions = known.read != FORMER_RESPONDER and (known.side is not None or known.read == REFEREE)
    return RequestDetail(
        id=request.id, case_id=request.case_id, subject=request.subject, status=request.status,  # type: ignore[arg-type]
        version=request.version, area_id=request.area_id,
        area_name=localized(names, language, area.code if area else ""),
        requesting=authorities.get(request.requesting_authority_id) or _ref(None),
        responding=authorities.get(request.responding_authority_id) or _ref(None),
        forwarded_from=authorities.get(request.forwarded_from_authority_id)
        if request.forwarded_from_authority_id else None,
        proposed_reply_date=request.proposed_reply_date, agreed_reply_date=request.agreed_reply_date,
        deadline=request.deadline,
        overdue=bool(request.deadline and request.deadline < today() and request.status in DUE),
        more_info_requested=request.more_info_requested, created_at=as_utc(request.created_at),
        sent_at=as_utc(request.sent_at), updated_at=as_utc(request.updated_at), closed_at=as_utc(request.closed_at),
        free_text="" if withheld else request.free_text, reply=reply, pending_reply=pending_reply,
        questions=tuple(questions),
        person=_person(session, request) if personal else None,
        personal_data_blocked=withheld, personal_data_blocked_at=as_utc(request.personal_data_blocked_at),
        personal_data_deleted_at=as_utc(request.personal_data_deleted_at),
        may_open_blocked=withheld and can(session, actor, "request.open_blocked_data", request),
        attachments=tuple(visible_files(session, request, known, released)) if personal and not open_blocked
        else (),
        timeline=tuple(timeline), opinions=tuple(_opinions(session, request, withheld)) if show_opinions else (),
        allocated=allocated, reader=known.read or "", side=known.side,
        actions=available_actions(session, actor, request, known), waiting=_waiting(session, request))


__all__ = ["AuthorityRef", "OpinionView", "PersonView", "QuestionAnswer", "RequestDetail", "TimelineEntry", "WaitingView",
           "detail_of", "request_detail"]
