"""The data subject's rights (Regulation 1024/2012 Art. 18–19, GDPR Art. 15–17), exercised through the local
data administrator of an authority taking part in the exchanges: find every exchange of the own authority about
a person (blocked ones included), export what is held about them with the authorities that saw it, correct a
field of theirs, erase it early for a stated reason. Only the requesting and responding authorities' local data
administrators may; every call checks it again, and every change and export is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.accounts.models import User
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.core import audit
from imi_app.core.actions import action, query
from imi_app.core.errors import refuse_invalid
from imi_app.core.i18n import N_, localized
from imi_app.core.text import fold
from imi_app.core.time import as_utc, utcnow
from imi_app.core.validation import text_problem
from imi_app.policy import can, require
from imi_app.requests.erasure import erase_personal_data
from imi_app.requests.frame import OBJECT_TYPE, denied, load_for_update, record_event
from imi_app.requests.inputs import BAD_DATE, PersonInput, clean_person, parse_date, reason_problem
from imi_app.requests.lifecycle import LDA_AUDIENCE
from imi_app.requests.models import InfoRequest, RequestPerson, RequestStatus, identifier_key
from imi_app.requests.notifications import notify

SEARCH_LIMIT = 200
FIELDS = {"full_name": N_("Full name"), "birth_date": N_("Date of birth"), "nationality": N_("Nationality"),
          "registration_number": N_("Registration number"), "address": N_("Address"),
          "other_details": N_("Other details")}
GROUNDS = {"consent": N_("The person concerned asked for it (GDPR Art. 17)"),
           "court_order": N_("A court or the supervisory authority ordered it")}
CORRECTED_EVENT, ERASED_EVENT = "personal_data_corrected", "personal_data_erased"
NO_CRITERIA = N_("Enter a name, a date of birth or an identifier.")
NAME_TOO_SHORT = N_("Enter at least two letters of the name.")
NOTHING_HELD = N_("This exchange holds no personal data any more.")
UNCHANGED = N_("This is the value held already.")
STILL_OPEN = N_("Only a closed or withdrawn exchange can be erased early: the authorities still need its data "
                "to answer.")
CHOOSE = N_("Choose one.")


@dataclass(frozen=True)
class SubjectCriteria:
    name: str = ""
    birth_date: date | None = None
    identifier: str = ""


def parse_criteria(name: object, birth_date: object, identifier: object) -> SubjectCriteria:
    """What the search form sends, checked; at least one criterion, two letters of a name."""
    problems: dict[str, str | None] = {"name": text_problem(name, required=False, max_length=300),
                                       "identifier": text_problem(identifier, required=False, max_length=100)}
    born, ok = parse_date(birth_date)
    problems["birth_date"] = None if ok else BAD_DATE
    refuse_invalid(problems)
    criteria = SubjectCriteria(str(name or "").strip(), born, str(identifier or "").strip())
    if not (criteria.name or criteria.birth_date or criteria.identifier):
        refuse_invalid({"name": NO_CRITERIA})
    if criteria.name and len("".join(fold(criteria.name).split())) < 2:
        refuse_invalid({"name": NAME_TOO_SHORT})
    return criteria


@dataclass(frozen=True)
class SubjectHit:
    request_id: int
    case_id: str
    subject: str
    status: str
    area_name: str
    outgoing: bool  # the own authority asked
    counterpart: str
    counterpart_country: str
    full_name: str
    birth_date: date | None
    registration_number: str
    sent_at: datetime | None
    closed_at: datetime | None
    blocked_at: datetime | None
    may_change: bool  # correct and erase early (requests.rules)


def _own_exchanges(actor: User) -> sa.ColumnElement[bool]:
    return sa.or_(InfoRequest.requesting_authority_id == actor.authority_id,
                  InfoRequest.responding_authority_id == actor.authority_id)


def _matching(criteria: SubjectCriteria) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if criteria.name:
        words = fold(criteria.name).split()
        for word in words:  # every word, in any order ("Richter Markus" finds "Dr. Markus Richter")
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(col(RequestPerson.name_key).like(f"%{escaped}%", escape="\\"))
    if criteria.birth_date:
        where.append(RequestPerson.birth_date == criteria.birth_date)
    if criteria.identifier:
        where.append(RequestPerson.identifier_key == identifier_key(criteria.identifier))
    return where


def subject_rows(session: Session, actor: User, criteria: SubjectCriteria,
            limit: int = SEARCH_LIMIT) -> list[tuple[InfoRequest, RequestPerson]]:
    authority = session.get(Authority, actor.authority_id)
    require(session, actor, "data_subject.search", authority, "authority", actor.authority_id)
    rows = session.exec(select(InfoRequest, RequestPerson).join(RequestPerson, RequestPerson.request_id
                                                                == InfoRequest.id)
                        .where(_own_exchanges(actor), col(InfoRequest.personal_data_deleted_at).is_(None),
                               *_matching(criteria))
                        .order_by(col(InfoRequest.created_at).desc(), col(InfoRequest.id).desc())
                        .limit(limit)).all()
    return list(rows)


@query
def find_subject(session: Session, *, actor: User, criteria: SubjectCriteria,
                 language: str) -> tuple[list[SubjectHit], bool]:
    """The own authority's exchanges about the person, newest first, and whether there were more than shown."""
    rows = subject_rows(session, actor, criteria, SEARCH_LIMIT + 1)
    authorities = {a.id: a for a in session.exec(select(Authority).where(col(Authority.id).in_(
        {r.requesting_authority_id for r, _ in rows} | {r.responding_authority_id for r, _ in rows}))).all()}
    areas = {a.id: a for a in session.exec(select(LegislativeArea)).all()}
    hits = []
    for request, person in rows[:SEARCH_LIMIT]:
        outgoing = request.requesting_authority_id == actor.authority_id
        other = authorities.get(request.responding_authority_id if outgoing else request.requesting_authority_id)
        area = areas.get(request.area_id)
        hits.append(SubjectHit(
            request.id, request.case_id, request.subject, request.status,  # type: ignore[arg-type]
            localized(dict(area.names), language, area.code) if area else "", outgoing,
            other.official_name if other else "", other.country_code if other else "", person.full_name,
            person.birth_date, person.registration_number, as_utc(request.sent_at), as_utc(request.closed_at),
            as_utc(request.personal_data_blocked_at),
            can(session, actor, "request.change_subject_data", request)))
    return hits, len(rows) > SEARCH_LIMIT


def _other_side_ldas(session: Session, actor: User, request: InfoRequest) -> list[User]:
    other = (request.responding_authority_id if actor.authority_id == request.requesting_authority_id
             else request.requesting_authority_id)
    if request.sent_at is None:
        return []  # a draft: the other authority never saw it
    return list(session.exec(select(User).where(User.authority_id == other, User.is_lda.is_(True),
                                                User.is_active.is_(True)).order_by(User.id)).all())


def _changeable(session: Session, actor: User, request_id: object, name: str) -> InfoRequest:
    request = load_for_update(session, actor, request_id, name)
    if not can(session, actor, "request.change_subject_data", request):
        raise denied(session, actor, name, request_id)
    return request


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


@action
def correct_person_data(session: Session, *, actor: User, request_id: int, field: object, value: object,
                        reason: object) -> None:
    """One field of the person set right (Art. 19(3)); old and new value in the audit log, the other
    authority's local data administrators told."""
    request = _changeable(session, actor, request_id, "correct_personal_data")
    person = session.get(RequestPerson, request.id)
    if person is None:
        refuse_invalid({"field": NOTHING_HELD})
    if not isinstance(field, str) or field not in FIELDS:
        refuse_invalid({"field": CHOOSE})
    held = PersonInput(person.kind, person.full_name, person.birth_date, person.nationality,  # type: ignore[union-attr]
                       person.registration_number, person.address, person.other_details)  # type: ignore[union-attr]
    setattr(held, field, value if isinstance(value, str) else "")  # type: ignore[arg-type]
    errors: dict[str, str] = {}
    cleaned = clean_person(held, errors, for_sending=request.sent_at is not None)
    refuse_invalid({"value": errors.get(f"person.{field}"), "reason": reason_problem(reason, required=True)})
    before, after = getattr(person, field), cleaned[field]  # type: ignore[index]
    if before == after:
        refuse_invalid({"value": UNCHANGED})
    setattr(person, field, after)
    session.add(person)
    request.version += 1
    session.add(request)
    record_event(session, actor, request, CORRECTED_EVENT, note=str(reason), data={"field": field})
    audit.record(session, action="request.correct_personal_data", actor=actor, object_type=OBJECT_TYPE,
                 object_id=request.id, before={"case_id": request.case_id, field: _plain(before)},
                 after={"case_id": request.case_id, field: _plain(after), "reason": reason})
    notify(session, request=request, kind=CORRECTED_EVENT, users=_other_side_ldas(session, actor, request),
           actor=actor, extra={"field": FIELDS[field]})


@action
def erase_early(session: Session, *, actor: User, request_id: int, ground: object, reason: object) -> int:
    """Every copy of the exchange's personal data deleted before its period (Art. 14 and GDPR Art. 17): the
    person asked, or a court ordered it. The statistical skeleton stays. Returns the files removed."""
    request = _changeable(session, actor, request_id, "erase_personal_data")
    if request.personal_data_deleted_at is not None:
        refuse_invalid({"ground": NOTHING_HELD})
    if request.closed_at is None and request.status != RequestStatus.DRAFT:
        refuse_invalid({"ground": STILL_OPEN})
    refuse_invalid({"ground": None if isinstance(ground, str) and ground in GROUNDS else CHOOSE,
                    "reason": reason_problem(reason, required=True)})
    case_id, told = request.case_id, _other_side_ldas(session, actor, request)
    files = erase_personal_data(session, request, utcnow())
    record_event(session, actor, request, ERASED_EVENT, note=str(reason),
                 data={"ground": ground, "audience": LDA_AUDIENCE})
    audit.record(session, action="request.erase_personal_data", actor=actor, object_type=OBJECT_TYPE,
                 object_id=request.id, after={"case_id": case_id, "ground": ground, "reason": reason,
                                              "files": files})
    notify(session, request=request, kind=ERASED_EVENT, users=told, actor=actor)
    return files


__all__ = ["CORRECTED_EVENT", "ERASED_EVENT", "FIELDS", "GROUNDS", "SEARCH_LIMIT", "SubjectCriteria", "SubjectHit",
           "correct_person_data", "erase_early", "find_subject", "parse_criteria", "subject_rows"]
