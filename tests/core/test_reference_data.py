"""Reference data (countries, legislative areas, question sets): loaded in every environment, idempotently,
without a single authority or user, in every language of the user interface; existing rows are kept and only
gain texts in new languages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from imi_app import reference
from imi_app.authorities.models import Country, LegislativeArea
from imi_app.core.db import session_scope
from imi_app.core.i18n import available_languages, country_name
from imi_app.reference.__main__ import main as reference_main
from imi_app.requests.models import Question
from tests.support.database import row_counts, use_environment

ROOT = Path(__file__).resolve().parents[2]
QUESTION_COUNT = sum(len(q) for q in reference.QUESTION_SETS.values())
LANGUAGES = {"en", "hu", "de", "fr"}


def test_the_lists_are_well_formed():
    assert len(reference.COUNTRIES) == len(set(reference.COUNTRIES)) == 30  # 27 EU member states, IS, LI, NO
    assert {"HU", "DE", "AT", "GR", "NO", "IS", "LI"} <= set(reference.COUNTRIES)
    assert all(country_name(code, "en") != code for code in reference.COUNTRIES)  # Babel names every one
    assert set(reference.QUESTION_SETS) <= set(reference.AREAS)
    codes = [q[0] for questions in reference.QUESTION_SETS.values() for q in questions]
    assert len(codes) == len(set(codes)) == QUESTION_COUNT >= 20
    assert all(answer in ("yes_no", "text", "date") for questions in reference.QUESTION_SETS.values()
               for _code, answer, _texts in questions)


def test_every_language_of_the_interface_has_every_name_and_question():
    """A language with a .po file needs the area names and question texts too (docs/TRANSLATING.md)."""
    assert LANGUAGES <= set(available_languages())
    for code, names in reference.AREAS.items():
        assert set(names) == set(available_languages()), code
        assert all(name.strip() == name != "" for name in names.values()), code
    for questions in reference.QUESTION_SETS.values():
        for code, _answer, texts in questions:
            assert set(texts) == set(available_languages()), code
            assert all(text.strip() == text != "" and text != texts["en"] for lang, text in texts.items()
                       if lang != "en"), code
            assert all(text.endswith("?") for text in texts.values()), code
    assert reference.AREAS["professional_qualifications"]["de"] == "Berufsqualifikationen"
    assert reference.AREAS["professional_qualifications"]["fr"] == "Qualifications professionnelles"


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
    assert areas["services"].names == {"en": "Services", "hu": "Szolgáltatások", "de": "Dienstleistungen",
                                       "fr": "Services"}
    assert all(set(a.names) == LANGUAGES for a in areas.values())
    assert all(set(q.texts) == LANGUAGES and q.area_id in {a.id for a in areas.values()} for q in questions)


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
    assert services.names == {"en": "Services (as renamed here)", "hu": "Szolgáltatások", "de": "Dienstleistungen",
                              "fr": "Services"}
    assert question.texts == {"en": "Is the diploma genuine?", "hu": "A csatolt oklevél hiteles?",
                              "de": "Ist das beigefügte Diplom echt?",
                              "fr": "Le diplôme joint est-il authentique\xa0?"}


def test_an_existing_installation_gets_the_new_languages_on_the_next_set_up_run(database, capsys):
    """An installation loaded when only English and Hungarian existed: the next set-up run (python -m
    imi_app.reference) gives every area and question its German and French texts, adds no row and keeps
    the texts already stored, even edited ones."""
    reference_main()
    with session_scope() as session:
        for area in session.exec(select(LegislativeArea)).all():
            area.names = {lang: name for lang, name in area.names.items() if lang in ("en", "hu")}
        for question in session.exec(select(Question)).all():
            question.texts = {lang: text for lang, text in question.texts.items() if lang in ("en", "hu")}
        edited = session.exec(select(Question).where(Question.code == "svc_managers")).one()
        edited.texts = {**edited.texts, "hu": "Ki vezeti a szolgáltatót?"}
    with session_scope() as session:
        assert all(set(a.names) == {"en", "hu"} for a in session.exec(select(LegislativeArea)).all())
    before = row_counts()
    capsys.readouterr()
    reference_main()
    assert "(0 countries, 0 areas and 0 questions added now)" in capsys.readouterr().out
    assert row_counts() == before
    with session_scope() as session:
        areas = {a.code: a.names for a in session.exec(select(LegislativeArea)).all()}
        questions = {q.code: q.texts for q in session.exec(select(Question)).all()}
    assert areas == reference.AREAS
    expected = {code: dict(texts) for qs in reference.QUESTION_SETS.values() for code, _a, texts in qs}
    expected["svc_managers"]["hu"] = "Ki vezeti a szolgáltatót?"
    assert questions == expected
    assert questions["pq_registered"]["de"] == "Ist der Berufsangehörige bei Ihrer Behörde eingetragen?"


def test_the_reference_data_needs_no_user_interface():
    code = ("import sys, imi_app.reference, imi_app.reference.__main__\n"
            "ui = sorted(m for m in sys.modules if m.split('.')[0] == 'reflex' or '.ui' in m)\n"
            "sys.exit(f'imported: {ui}' if ui else 0)\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
