"""Reference data (countries, legislative areas, question sets): loaded in every environment, idempotently,
without a single authority or user; existing rows are kept and only gain texts in new languages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from imi_app import reference
from imi_app.authorities.models import Country, LegislativeArea
from imi_app.core.db import session_scope
from imi_app.core.i18n import country_name
from imi_app.reference.__main__ import main as reference_main
from imi_app.requests.models import Question
from tests.support.database import row_counts, use_environment

ROOT = Path(__file__).resolve().parents[2]
QUESTION_COUNT = sum(len(q) for q in reference.QUESTION_SETS.values())


def test_the_lists_are_well_formed():
    assert len(reference.COUNTRIES) == len(set(reference.COUNTRIES)) == 30  # 27 EU member states, IS, LI, NO
    assert {"HU", "DE", "AT", "GR", "NO", "IS", "LI"} <= set(reference.COUNTRIES)
    assert all(country_name(code, "en") != code for code in reference.COUNTRIES)  # Babel names every one
    assert set(reference.QUESTION_SETS) <= set(reference.AREAS)
    assert all({"en", "hu"} <= set(names) for names in reference.AREAS.values())
    codes = [q[0] for questions in reference.QUESTION_SETS.values() for q in questions]
    assert len(codes) == len(set(codes)) == QUESTION_COUNT >= 20
    assert all(answer in ("yes_no", "text", "date") and en.strip() and hu.strip()
               for questions in reference.QUESTION_SETS.values() for _c, answer, en, hu in questions)


@pytest.mark.parametrize("environment", ["production", "demo"])
def test_loads_in_every_environment_twice_without_duplicates_or_users(database, monkeypatch, capsys, environment):
    use_environment(monkeypatch, environment)
    reference_main()
    first = row_counts()
    assert "30 countries, 2 legislative areas" in capsys.readouterr().out
    reference_main()
    assert row_counts() == first
    assert "(0 countries, 0 areas and 0 questions added now)" in capsys.readouterr().out
    assert first["country"] == 30 and first["legislative_area"] == len(reference.AREAS)
    assert first["question"] == QUESTION_COUNT
    others = {table: n for table, n in first.items() if table not in ("country", "legislative_area", "question")}
    assert set(others.values()) == {0}, others  # no authority, user, request, mail or audit row
    with session_scope() as session:
        areas = {a.code: a for a in session.exec(select(LegislativeArea)).all()}
        questions = session.exec(select(Question)).all()
        countries = set(session.exec(select(Country.code)).all())
    assert countries == set(reference.COUNTRIES)
    assert areas["professional_qualifications"].names["hu"] == "Szakmai képesítések"
    assert all(set(q.texts) == {"en", "hu"} and q.area_id in {a.id for a in areas.values()} for q in questions)


def test_existing_rows_are_kept_and_only_gain_missing_languages(database):
    with session_scope() as session:
        session.add(LegislativeArea(code="services", names={"en": "Services (as renamed here)"}))
    with session_scope() as session:
        reference.load(session)
    with session_scope() as session:
        question = session.exec(select(Question).where(Question.code == "pq_diploma_authentic")).one()
        question.texts = {"en": "Is the diploma genuine?"}
    with session_scope() as session:
        loaded = reference.load(session)
    assert loaded == reference.Loaded()
    with session_scope() as session:
        services = session.exec(select(LegislativeArea).where(LegislativeArea.code == "services")).one()
        question = session.exec(select(Question).where(Question.code == "pq_diploma_authentic")).one()
    assert services.names == {"en": "Services (as renamed here)", "hu": "Szolgáltatások", "de": "Dienstleistungen"}
    assert question.texts == {"en": "Is the diploma genuine?", "hu": "A csatolt oklevél hiteles?"}


def test_the_reference_data_needs_no_user_interface():
    code = ("import sys, imi_app.reference, imi_app.reference.__main__\n"
            "ui = sorted(m for m in sys.modules if m.split('.')[0] == 'reflex' or '.ui' in m)\n"
            "sys.exit(f'imported: {ui}' if ui else 0)\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
