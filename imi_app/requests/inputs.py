"""What a request's forms send, and the field checks of the request workflow (clear message per field)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from imi_app.core.i18n import N_
from imi_app.authorities.models import Authority, AuthorityArea, AuthorityStatus
from imi_app.requests.models import Question
from imi_app.core.time import utcnow
from imi_app.core.errors import ValidationFailed
from imi_app.core.validation import has_control_chars, text_problem
from imi_app.core.edges import is_id

SUBJECT_MAX = 300
TEXT_MAX = 20_000  # free text, answers, notes
REASON_MAX = 2_000
MAX_QUESTIONS = 100
MAX_ALLOCATED = 50
PERSON_KINDS = ("person", "business")
YES_NO = ("yes", "no")

REQUIRED = N_("This field is required.")
NOT_VALID = N_("This value is not valid.")
TEXT_TOO_LONG = N_("This text can be at most 20 000 characters long.")
SUBJECT_TOO_LONG = N_("The subject can be at most 300 characters long.")
BAD_CHARACTERS = N_("This text contains characters that are not allowed.")
DATE_IN_PAST = N_("The reply date cannot be in the past.")
BAD_DATE = N_("Enter a valid date (YYYY-MM-DD).")


@dataclass
class PersonInput:
    """The person or business concerned: personal data (shown marked as such, never mailed)."""

    kind: str = "person"
    full_name: str = ""
    birth_date: date | str | None = None
    nationality: str = ""
    registration_number: str = ""
    address: str = ""
    other_details: str = ""


@dataclass
class DraftInput:
    """A draft request as the requester's form sends it; everything may be incomplete until it is sent."""

    area_id: int
    responding_authority_id: int | None = None
    subject: str = ""
    free_text: str = ""
    proposed_reply_date: date | str | None = None
    question_ids: list[int] = field(default_factory=list)
    person: PersonInput = field(default_factory=PersonInput)


def today() -> date:
    return utcnow().date()


def parse_date(value: object) -> tuple[date | None, bool]:
    """(the date, ok); accepts a date or an ISO "YYYY-MM-DD" string; None and "" are no date."""
    if value is None or value == "":
        return None, True
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value, True
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value), True
        except ValueError:
            pass
    return None, False


def long_text_problem(value: object, *, required: bool = False, max_length: int = TEXT_MAX) -> str | None:
    """Free text: stored as written and shown escaped, so "<" is fine; newlines and tabs too."""
    if not isinstance(value, str):
        return NOT_VALID
    if required and not value.strip():
        return REQUIRED
    if len(value) > max_length:
        return TEXT_TOO_LONG if max_length == TEXT_MAX else N_("This text is too long.")
    if has_control_chars(value, allow_newlines=True):
        return BAD_CHARACTERS
    return None


def subject_problem(value: object) -> str | None:
    if isinstance(value, str) and len(value) > SUBJECT_MAX:
        return SUBJECT_TOO_LONG
    return text_problem(value, max_length=SUBJECT_MAX)


def reply_date_problem(value: object, *, required: bool) -> tuple[date | None, str | None]:
    parsed, ok = parse_date(value)
    if not ok:
        return None, BAD_DATE
    if parsed is None:
        return None, REQUIRED if required else None
    if parsed < today():
        return None, DATE_IN_PAST
    return parsed, None


def responder_problem(session: Session, requester: Authority, responder_id: object, area_id: int) -> str | None:
    """A responding authority: active, of another country, working in the area."""
    responder = session.get(Authority, responder_id) if is_id(responder_id) else None
    if responder is None or responder.status != AuthorityStatus.ACTIVE:
        return N_("Choose an active authority.")
    if responder.country_code == requester.country_code:
        return N_("Choose an authority of another country.")
    if not works_in(session, responder.id, area_id):
        return N_("This authority does not work in the request's legislative area.")
    return None


def works_in(session: Session, authority_id: int, area_id: int) -> bool:
    return session.exec(select(AuthorityArea.area_id).where(AuthorityArea.authority_id == authority_id,
                                                            AuthorityArea.area_id == area_id)).first() is not None


def clean_question_ids(session: Session, value: object, area_id: int) -> tuple[list[int], str | None]:
    if not isinstance(value, (list, tuple)) or not all(is_id(v) for v in value) or len(value) > MAX_QUESTIONS:
        return [], NOT_VALID
    ids = list(dict.fromkeys(value))
    if not ids:
        return [], None
    found = set(session.exec(select(Question.id).where(Question.id.in_(ids),  # type: ignore[union-attr]
                                                       Question.area_id == area_id)).all())
    if len(found) != len(ids):
        return [], N_("Choose questions of the request's legislative area.")
    return ids, None


def clean_person(value: object, errors: dict[str, str], *, for_sending: bool) -> dict:
    if not isinstance(value, PersonInput):
        errors["person"] = NOT_VALID
        return {}
    if value.kind not in PERSON_KINDS:
        errors["person.kind"] = NOT_VALID
    checks = (("full_name", 300, False), ("nationality", 60, False), ("registration_number", 100, False),
              ("address", 500, True), ("other_details", TEXT_MAX, True))
    for name, limit, multiline in checks:
        text = getattr(value, name)
        required = for_sending and name == "full_name"
        problem = (long_text_problem(text, required=required, max_length=limit) if multiline
                   else text_problem(text, required=required, max_length=limit))
        if problem:
            errors[f"person.{name}"] = problem
    born, ok = parse_date(value.birth_date)
    if not ok or (born is not None and born > today()):
        errors["person.birth_date"] = BAD_DATE if not ok else N_("The date of birth cannot be in the future.")
    return {"kind": value.kind, "full_name": value.full_name, "birth_date": born, "nationality": value.nationality,
            "registration_number": value.registration_number, "address": value.address,
            "other_details": value.other_details}


def clean_draft(session: Session, requester: Authority, data: object, *, for_sending: bool) -> dict:
    """The checked values of a draft; raises ValidationFailed (nothing changed) on any bad field.

    A draft needs a subject and a responding authority and may be incomplete otherwise; sending also
    needs a reply date that is not in the past, the person's name, and at least one question or a free text.
    """
    if not isinstance(data, DraftInput) or not is_id(data.area_id):
        raise ValidationFailed({"area_id": NOT_VALID})
    errors: dict[str, str] = {}
    if not works_in(session, requester.id, data.area_id):
        errors["area_id"] = N_("Your authority does not work in this legislative area.")
    problem = subject_problem(data.subject)
    if problem:
        errors["subject"] = problem
    problem = long_text_problem(data.free_text)
    if problem:
        errors["free_text"] = problem
    problem = responder_problem(session, requester, data.responding_authority_id, data.area_id)
    if problem:
        errors["responding_authority_id"] = problem
    reply_date, problem = reply_date_problem(data.proposed_reply_date, required=for_sending)
    if problem:
        errors["proposed_reply_date"] = problem
    question_ids, problem = clean_question_ids(session, data.question_ids, data.area_id)
    if problem:
        errors["question_ids"] = problem
    person = clean_person(data.person, errors, for_sending=for_sending)
    if for_sending and not question_ids and not (isinstance(data.free_text, str) and data.free_text.strip()) \
            and "question_ids" not in errors and "free_text" not in errors:
        errors["question_ids"] = N_("Choose at least one question or write what you need to know.")
    if errors:
        raise ValidationFailed(errors)
    return {"area_id": data.area_id, "responding_authority_id": data.responding_authority_id,
            "subject": data.subject, "free_text": data.free_text, "proposed_reply_date": reply_date,
            "question_ids": question_ids, "person": person}


def clean_answer(question: Question, value: object) -> tuple[str | None, str | None]:
    """(stored answer, problem) for one set question by its answer type."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, N_("Answer this question.")
    if question.answer_type == "yes_no":
        if isinstance(value, bool):
            return ("yes" if value else "no"), None
        return (value, None) if value in YES_NO else (None, N_("Answer yes or no."))
    if question.answer_type == "date":
        parsed, ok = parse_date(value)
        return (parsed.isoformat(), None) if ok and parsed else (None, BAD_DATE)
    problem = long_text_problem(value, required=True)
    return (None, problem) if problem else (value, None)  # type: ignore[return-value]


def reason_problem(value: object, *, required: bool) -> str | None:
    return long_text_problem(value, required=required, max_length=REASON_MAX)


__all__ = ["DraftInput", "PersonInput", "clean_answer", "clean_draft", "clean_question_ids", "is_id",
           "long_text_problem", "parse_date", "reason_problem", "reply_date_problem", "responder_problem",
           "subject_problem", "today", "works_in"]
