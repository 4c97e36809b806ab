"""Builders for request tests: two countries with coordinators, handlers of every role, and requests in any state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import select

from imi_app.core.actions import Transactional
from imi_app.core.db import session_scope
from imi_app.core.audit import AuditEntry
from imi_app.mail.models import OutboxMail
from imi_app.authorities.models import CoordinatorSetting, ReferralMode
from imi_app.requests.models import Attachment, InfoRequest, Question, RequestStatus
from imi_app.accounts.models import Role
from imi_app.core.time import utcnow
from imi_app.requests import actions as rq
from imi_app.requests.inputs import DraftInput, PersonInput
from tests.support import factories as f

H, A = Role.REQUEST_HANDLER, Role.ALLOCATOR
S = RequestStatus


@dataclass
class World:
    pq: object
    svc: object
    hu_coord: object
    de_coord: object
    a: object  # HU requesting authority
    a2: object  # another HU authority
    b: object  # DE responding authority
    b2: object  # DE authority to forward to
    b3: object  # DE authority without the area
    c: object  # AT authority: a third party
    users: dict = field(default_factory=dict)
    questions: dict = field(default_factory=dict)

    def __getattr__(self, name):  # world.a_handler etc.
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_world() -> World:
    pq, svc = f.area("professional_qualifications"), f.area("services")
    hu_coord = f.authority("HU", areas=[pq, svc], is_coordinator=True, name="HU coordinator")
    de_coord = f.authority("DE", areas=[pq, svc], is_coordinator=True, name="DE coordinator")
    at_coord = f.authority("AT", areas=[pq], is_coordinator=True, name="AT coordinator")
    a = f.authority("HU", areas=[pq, svc], coordinator=hu_coord, name="Magyar Orvosi Kamara")
    a2 = f.authority("HU", areas=[pq], coordinator=hu_coord, name="Oktatási Hivatal")
    b = f.authority("DE", areas=[pq], coordinator=de_coord, name="Ärztekammer Berlin")
    b2 = f.authority("DE", areas=[pq], coordinator=de_coord, name="Landesamt Berlin")
    b3 = f.authority("DE", areas=[svc], coordinator=de_coord, name="Handwerkskammer")
    c = f.authority("AT", areas=[pq], coordinator=at_coord, name="Österreichische Ärztekammer")
    w = World(pq, svc, hu_coord, de_coord, a, a2, b, b2, b3, c)
    w.users = {
        "a_handler": f.user(a, username="a.handler", roles={pq.id: [H], svc.id: [H]}, language="hu"),
        "a_handler2": f.user(a, username="a.handler2", roles={pq.id: [H]}, language="hu"),
        "a_basic": f.user(a, username="a.basic", language="hu"),
        "a2_handler": f.user(a2, username="a2.handler", roles={pq.id: [H]}),
        "b_handler": f.user(b, username="b.handler", roles={pq.id: [H]}, language="en"),
        "b_handler2": f.user(b, username="b.handler2", roles={pq.id: [H]}),
        "b_allocator": f.user(b, username="b.allocator", roles={pq.id: [A]}),
        "b_basic": f.user(b, username="b.basic"),
        "b2_handler": f.user(b2, username="b2.handler", roles={pq.id: [H]}),
        "c_handler": f.user(c, username="c.handler", roles={pq.id: [H]}),
        "hu_da": f.user(hu_coord, username="hu.da", is_lda=True, roles={pq.id: [Role.DATA_ADMINISTRATOR],
                                                                       svc.id: [Role.DATA_ADMINISTRATOR]},
                        language="hu"),
        "hu_staff": f.user(hu_coord, username="hu.staff"),
        "de_da": f.user(de_coord, username="de.da", is_lda=True, roles={pq.id: [Role.DATA_ADMINISTRATOR]}),
    }
    with session_scope() as session:
        for position, (code, kind, en, hu) in enumerate([
            ("q_authentic", "yes_no", "Is the diploma attached authentic?", "A csatolt oklevél hiteles?"),
            ("q_awarded", "date", "On what date was it awarded?", "Mikor adták ki?"),
            ("q_experience", "text", "How many years of experience?", "Hány év gyakorlat?"),
        ], start=1):
            question = Question(area_id=pq.id, code=code, position=position, answer_type=kind,
                                texts={"en": en, "hu": hu})
            session.add(question)
            session.flush()
            w.questions[code] = question.id
        other = Question(area_id=svc.id, code="q_services", answer_type="yes_no", texts={"en": "Established?"})
        session.add(other)
        session.flush()
        w.questions["q_services"] = other.id
    return w


def draft_input(w: World, **changes) -> DraftInput:
    values = dict(area_id=w.pq.id, responding_authority_id=w.b.id, subject="Verification of a medical diploma",
                  free_text="Please confirm the diploma.", proposed_reply_date=today() + timedelta(days=20),
                  question_ids=[w.questions["q_authentic"], w.questions["q_awarded"], w.questions["q_experience"]],
                  person=PersonInput(full_name="Dr. Kiss János", birth_date=date(1978, 3, 14), nationality="HU"))
    values.update(changes)
    return DraftInput(**values)


def run(function, **kwargs):
    """One service call in its own transaction, as a page handler would make it (an action or query opens
    its own; a step that runs inside its caller's transaction gets one here)."""
    if isinstance(function, Transactional):
        return function(**kwargs)
    with session_scope() as session:
        return function(session, **kwargs)


def load(request_id: int) -> InfoRequest:
    with session_scope() as session:
        return session.get(InfoRequest, request_id)


def attachments(request_id: int) -> list[Attachment]:
    with session_scope() as session:
        return list(session.exec(select(Attachment).where(Attachment.request_id == request_id).order_by(Attachment.id)))


def set_oversight(coordinator, area, *, approve_requests=False, approve_answers=False,
                  referral_mode=ReferralMode.SELF, referee_user_id=None) -> None:
    with session_scope() as session:
        row = session.get(CoordinatorSetting, (coordinator.id, area.id)) or CoordinatorSetting(
            coordinator_id=coordinator.id, area_id=area.id)
        row.approve_requests, row.approve_answers = approve_requests, approve_answers
        row.referral_mode, row.referee_user_id = referral_mode, referee_user_id
        session.add(row)


def answers_for(w: World) -> dict:
    return {w.questions["q_authentic"]: "yes", w.questions["q_awarded"]: "2004-06-30",
            w.questions["q_experience"]: "Twelve years as a surgeon."}


def step(function, actor, request_id: int, **kwargs):
    """A step at the request's current version."""
    return run(function, actor=actor, request_id=request_id, expected_version=load(request_id).version, **kwargs)


# How to reach each state from a draft, with the default world (no approvals, both coordinators arbitrate).
def advance(w: World, request_id: int, target: str) -> None:
    path = {
        S.DRAFT: [],
        S.SENT: [(rq.submit, "a_handler", {})],
        S.ACCEPTED: [(rq.submit, "a_handler", {}), (rq.accept, "b_handler", {})],
        S.ANSWERED: [(rq.submit, "a_handler", {}), (rq.accept, "b_handler", {}),
                     (rq.answer, "b_handler", {"answers": answers_for(w), "reply": "See the answers."})],
        "more_info": [(rq.submit, "a_handler", {}), (rq.accept, "b_handler", {}),
                      (rq.answer, "b_handler", {"answers": answers_for(w)}),
                      (rq.request_more_info, "a_handler", {"note": "Please send the transcript."})],
        S.INSISTED: [(rq.submit, "a_handler", {}), (rq.accept, "b_handler", {}),
                     (rq.answer, "b_handler", {"answers": answers_for(w)}),
                     (rq.request_more_info, "a_handler", {"note": "Please send the transcript."}),
                     (rq.insist, "b_handler", {"note": "We do not keep transcripts."})],
        S.CLOSED: [(rq.submit, "a_handler", {}), (rq.accept, "b_handler", {}),
                   (rq.answer, "b_handler", {"answers": answers_for(w)}), (rq.accept_answer, "a_handler", {})],
        S.WITHDRAWN: [(rq.submit, "a_handler", {}), (rq.withdraw, "a_handler", {"reason": "Not needed."})],
    }
    if target == S.IN_REFERRAL:
        advance(w, request_id, S.INSISTED)
        step(rq.start_referral, w.a_handler, request_id, note="We need the transcript.")
        return
    if target == S.AWAITING_APPROVAL:
        set_oversight(w.hu_coord, w.pq, approve_requests=True)
        step(rq.submit, w.a_handler, request_id)
        set_oversight(w.hu_coord, w.pq)
        return
    if target == S.ANSWER_AWAITING_APPROVAL:
        advance(w, request_id, S.ACCEPTED)
        set_oversight(w.de_coord, w.pq, approve_answers=True)
        step(rq.answer, w.b_handler, request_id, answers=answers_for(w))
        set_oversight(w.de_coord, w.pq)
        return
    for function, who, kwargs in path[target]:
        step(function, w.users[who], request_id, **kwargs)


def new_request(w: World, state: str = S.DRAFT, **changes) -> int:
    result = run(rq.create_draft, actor=w.a_handler, data=draft_input(w, **changes))
    advance(w, result.request_id, state)
    return result.request_id


def mails(**where) -> list[OutboxMail]:
    with session_scope() as session:
        query = select(OutboxMail)
        for name, value in where.items():
            query = query.where(getattr(OutboxMail, name) == value)
        return list(session.exec(query.order_by(OutboxMail.id)).all())


def audits(action: str) -> list[AuditEntry]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def today() -> date:
    return utcnow().date()
