"""The first coordinator's account on a new production installation: `python -m imi_app.authorities.bootstrap`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from imi_app import reference
from imi_app.accounts import auth
from imi_app.authorities.bootstrap import ACTION, main
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.authorities.models import Authority, AuthorityArea, AuthorityStatus, LegislativeArea
from imi_app.core.audit import AuditEntry
from imi_app.core.db import session_scope
from imi_app.schema import TABLES
from tests.support.database import environment_settings, row_counts, use_environment

ROOT = Path(__file__).resolve().parents[2]
KATALIN = ["--country", "HU", "--authority", "Nemzeti IMI-koordinátor", "--name", "Kovács Katalin",
           "--email", "kovacs.katalin@ijm.example.hu", "--language", "hu"]


@pytest.fixture
def installation(database, monkeypatch):
    """A production installation that has the reference data and nothing else."""
    use_environment(monkeypatch, "production")
    with session_scope() as session:
        reference.load(session)
    return database


def _printed(out: str) -> tuple[str, str]:
    username = re.search(r"Username: +(\S+)", out).group(1)
    password = re.search(r"Temporary password: +(\S+)", out).group(1)
    return username, password


def _everything_stored() -> str:
    """Every row of every table, as text."""
    with session_scope() as session:
        return "\n".join(repr(tuple(row)) for table in TABLES for row in session.execute(sa.select(table)))


def test_creates_the_coordinator_and_a_user_who_signs_in_with_the_printed_password(installation, capsys):
    assert main(KATALIN) == 0
    out = capsys.readouterr().out
    username, password = _printed(out)
    assert out.count(password) == 1 and username.startswith("hu.") and len(password) >= 20

    with session_scope() as session:
        authority = session.exec(select(Authority)).one()
        user = session.exec(select(User)).one()
        areas = set(session.exec(select(LegislativeArea.id)).all())
        worked_in = set(session.exec(select(AuthorityArea.area_id)).all())
        roles = {(r.area_id, r.role) for r in session.exec(select(RoleAssignment)).all()}
        entries = session.exec(select(AuditEntry)).all()
    assert (authority.country_code, authority.official_name, authority.is_coordinator) == (
        "HU", "Nemzeti IMI-koordinátor", True)
    assert authority.parent_coordinator_id is None and authority.status == AuthorityStatus.ACTIVE
    assert authority.contact_email == "kovacs.katalin@ijm.example.hu" and authority.languages == "en,hu"
    assert worked_in == areas and len(areas) == len(reference.AREAS)
    assert (user.username, user.full_name, user.language) == (username, "Kovács Katalin", "hu")
    assert user.authority_id == authority.id and user.is_lda and user.is_active and user.password_is_temporary
    assert roles == {(area, Role.DATA_ADMINISTRATOR) for area in areas}
    assert [(e.action, e.actor_user_id, e.actor_authority_id, e.object_id) for e in entries] == [
        (ACTION, None, None, str(authority.id))]
    assert entries[0].after["first_user_id"] == user.id

    # Only the hash is kept: the password is in no row, audit entry or queued mail.
    stored = _everything_stored()
    assert password not in stored and username in stored
    assert row_counts()["mail_outbox"] == 0

    result = auth.authenticate(username.upper(), password, ("", "", ""))
    assert result.status == auth.SETUP and result.ticket  # straight to choosing a password and a code
    assert auth.resolve_session(auth.redeem_ticket(result.ticket)).id == user.id
    assert auth.check_password(username, password).password_ok is False  # used once, gone


def test_refuses_a_second_national_coordinator_of_the_same_country(installation, capsys):
    assert main(KATALIN) == 0
    capsys.readouterr()
    before = row_counts()
    again = ["--country", "hu", "--authority", "Másik koordinátor", "--name", "Nagy Péter",
             "--email", "nagy.peter@example.hu"]
    assert main(again) == 1
    captured = capsys.readouterr()
    assert "Hungary already has a national coordinator: Nemzeti IMI-koordinátor" in captured.err
    assert "Temporary password" not in captured.out
    assert row_counts() == before
    assert main(["--country", "AT", "--authority", "IMI-Koordinator Österreich", "--name", "Anna Gruber",
                 "--email", "anna.gruber@example.at"]) == 0  # another country still can


@pytest.mark.parametrize(("change", "message"), [
    ({"--country": "US"}, "'US' is not the code of an EU or EEA country"),
    ({"--email": "not an address"}, "--email:"),
    ({"--language": "xx"}, "--language: choose one of"),
    ({"--authority": " "}, "--authority:"),
])
def test_refuses_bad_input_and_creates_nothing(installation, capsys, change, message):
    args = list(KATALIN)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    before = row_counts()
    assert main(args) == 1
    assert message in capsys.readouterr().err
    assert row_counts() == before


def test_refuses_an_e_mail_address_already_in_use(installation, capsys):
    assert main(KATALIN) == 0
    other = ["--country", "DE", "--authority", "Nationaler IMI-Koordinator", "--name", "Katrin Schmidt",
             "--email", "KOVACS.katalin@ijm.example.hu"]
    assert main(other) == 1
    assert "already used by another user" in capsys.readouterr().err


def test_without_reference_data_it_says_how_to_load_it(database, monkeypatch, capsys):
    use_environment(monkeypatch, "production")
    assert main(KATALIN) == 1
    assert "python -m imi_app.reference" in capsys.readouterr().err
    assert set(row_counts().values()) == {0}


def test_the_command_works_in_production(installation):
    env = {**os.environ, **environment_settings("production")}
    done = subprocess.run([sys.executable, "-m", "imi_app.authorities.bootstrap", *KATALIN], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    username, password = _printed(done.stdout)
    assert password not in done.stderr and password not in _everything_stored()
    assert auth.check_password(username, password).ticket
