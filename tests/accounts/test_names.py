"""A new user's name, asked in two parts: kept as one full name in the order of the authority's country (family name
first in Hungary), and the username made from the family name as typed, also when it has several words."""

from __future__ import annotations

import re

import pytest

from imi_app.accounts import names
from imi_app.accounts.users import UserInput, register_user, update_user
from imi_app.core.errors import ValidationFailed
from tests.support import factories as f


@pytest.fixture
def world(database):
    pq = f.area("professional_qualifications")
    hu = f.authority("HU", areas=[pq], coordinator=f.authority("HU", areas=[pq], is_coordinator=True))
    de = f.authority("DE", areas=[pq], coordinator=f.authority("DE", areas=[pq], is_coordinator=True))
    return {"hu_lda": f.user(hu, is_lda=True), "de_lda": f.user(de, is_lda=True)}


def _register(actor, family: object, given: object, email: str):
    return register_user(actor=actor, data=UserInput(family_name=family, given_name=given, email=email,  # type: ignore[arg-type]
                                                     language="en"))


@pytest.mark.parametrize(("actor", "family", "given", "full", "start"), [
    ("hu_lda", "Nagy-Tóth", "Éva Anna", "Nagy-Tóth Éva Anna", "hu.nagytoth"),
    ("hu_lda", "Dr. Szűcs", "Márta", "Dr. Szűcs Márta", "hu.szucs"),
    ("hu_lda", "  Kiss ", " Ágnes  ", "Kiss Ágnes", "hu.kiss"),
    ("de_lda", "von der Leyen", "Ursula", "Ursula von der Leyen", "de.vonderleyen"),  # not "leyen", the last word
    ("de_lda", "Schmidt", "Anna Maria", "Anna Maria Schmidt", "de.schmidt"),
    ("de_lda", "Sukarno", "", "Sukarno", "de.sukarno"),  # one name only
])
def test_the_parts_make_the_full_name_in_the_countrys_order_and_the_username_of_the_family_name(
        world, actor, family, given, full, start):
    user = _register(world[actor], family, given, f"{start}@example.eu")
    assert user.full_name == full
    assert re.fullmatch(rf"{re.escape(start)}\d{{4}}", user.username), user.username


@pytest.mark.parametrize(("family", "given", "field"), [
    ("", "Ágnes", "family_name"), ("   ", "Ágnes", "family_name"), ("x" * 101, "Ágnes", "family_name"),
    (None, "Ágnes", "family_name"), ("Kiss", "x" * 101, "given_name"), ("Kiss", ["Ágnes"], "given_name"),
    ("Kiss", "Ágnes\u202e", "given_name"),
])
def test_a_bad_part_is_refused_beside_its_field(world, family, given, field):
    with pytest.raises(ValidationFailed) as raised:
        _register(world["hu_lda"], family, given, "kiss@example.hu")
    assert set(raised.value.errors) == {field}


def test_editing_keeps_the_full_name_as_one_field(world):
    user = _register(world["hu_lda"], "Kiss", "Ágnes", "kiss@example.hu")
    edited = update_user(actor=world["hu_lda"], user_id=user.id, data=UserInput(
        full_name="Kiss-Szabó Ágnes", email="kiss@example.hu", language="en"))
    assert edited.full_name == "Kiss-Szabó Ágnes" and edited.username == user.username
    with pytest.raises(ValidationFailed) as raised:
        update_user(actor=world["hu_lda"], user_id=user.id, data=UserInput(full_name="", email="kiss@example.hu"))
    assert set(raised.value.errors) == {"full_name"}


@pytest.mark.parametrize(("country", "full_name", "family"), [
    ("HU", "Kiss Ágnes", "Kiss"), ("HU", "Dr. Szűcs Márta", "Szűcs"), ("DE", "Prof. Dr. Lukas Huber", "Huber"),
    ("AT", "Anna Gruber", "Gruber"), ("DE", "", ""),
])
def test_the_family_name_read_from_a_full_name_follows_the_country(country, full_name, family):
    assert names.family_name(full_name, country) == family
