"""Reference data every installation needs, demo or production: countries, legislative areas, question sets.

`load(session)` adds what is missing and changes nothing that exists, so set-up runs it every time;
`python -m imi_app.reference` migrates the database and loads it. It creates no authorities and no users.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

import imi_app.schema  # noqa: F401  (every table, so foreign keys resolve on flush)
from imi_app.authorities.models import Country, LegislativeArea
from imi_app.reference.areas import AREAS
from imi_app.reference.countries import COUNTRIES
from imi_app.reference.questions import QUESTION_SETS
from imi_app.requests.models import Question


@dataclass(frozen=True)
class Loaded:
    """How many rows one run added (zero everywhere on a run that found everything in place)."""

    countries: int = 0
    areas: int = 0
    questions: int = 0


def _with_missing_languages(existing: dict | None, reference: dict) -> dict:
    """The stored texts, plus the reference's texts in languages not stored yet (stored ones win)."""
    return {**reference, **(existing or {})}


def load_countries(session: Session) -> int:
    known = set(session.exec(select(Country.code)).all())
    missing = [code for code in COUNTRIES if code not in known]
    session.add_all(Country(code=code) for code in missing)
    session.flush()
    return len(missing)


def _add_or_complete(session: Session, row: object | None, field: str, texts: dict[str, str], new) -> int:
    """Adds `new()` when there is no `row` (1: one added); else gives the row's `field` the texts of
    languages it has none in (0)."""
    if row is None:
        session.add(new())
        return 1
    if (merged := _with_missing_languages(getattr(row, field), texts)) != getattr(row, field):
        setattr(row, field, merged)
    return 0


def load_areas(session: Session) -> int:
    """Adds the missing areas; an existing area only gains names in languages it has none in."""
    known = {a.code: a for a in session.exec(select(LegislativeArea)).all()}
    added = sum(_add_or_complete(session, known.get(code), "names", names,
                                 lambda code=code, names=names: LegislativeArea(code=code, names=dict(names)))
                for code, names in AREAS.items())
    session.flush()
    return added


def load_questions(session: Session) -> int:
    """Adds the missing questions of each area's set; an existing one only gains texts in new languages."""
    areas = {a.code: a.id for a in session.exec(select(LegislativeArea)).all()}
    known = {q.code: q for q in session.exec(select(Question)).all()}
    added = 0
    for area_code, questions in QUESTION_SETS.items():
        if area_code not in areas:
            continue
        for position, (code, answer_type, texts) in enumerate(questions, start=1):
            added += _add_or_complete(session, known.get(code), "texts", texts, lambda: Question(
                area_id=areas[area_code], code=code, position=position, answer_type=answer_type, texts=dict(texts)))
    session.flush()
    return added


def load(session: Session) -> Loaded:
    """Countries, then areas, then their questions; safe to run again."""
    return Loaded(countries=load_countries(session), areas=load_areas(session), questions=load_questions(session))


__all__ = ["AREAS", "COUNTRIES", "Loaded", "QUESTION_SETS", "load", "load_areas", "load_countries",
           "load_questions"]
