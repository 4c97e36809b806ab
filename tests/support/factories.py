"""Test data builders that go through the same tables the app uses."""

from __future__ import annotations

import itertools

from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.authorities.models import Authority, AuthorityArea, Country, LegislativeArea
from imi_app.accounts.models import RoleAssignment, User
from imi_app.security import codes, passwords
from imi_app.accounts.auth import username_key
from imi_app.core.validation import email_key

PASSWORD = "correct horse battery"
CODE = "Ab3$efGh9jKl"
_counter = itertools.count(1)


def area(code: str = "professional_qualifications") -> LegislativeArea:
    with session_scope() as session:
        found = session.exec(select(LegislativeArea).where(LegislativeArea.code == code)).first()
        if found:
            return found
        row = LegislativeArea(code=code, names={"en": code.replace("_", " ").title(), "hu": code})
        session.add(row)
        session.flush()
        return row


def authority(country: str = "HU", *, areas: list[LegislativeArea] | None = None, coordinator: Authority | None = None,
              is_coordinator: bool = False, name: str | None = None) -> Authority:
    with session_scope() as session:
        if session.get(Country, country) is None:
            session.add(Country(code=country))
            session.flush()
        row = Authority(country_code=country, official_name=name or f"Authority {next(_counter)} {country}",
                        contact_email=f"authority{next(_counter)}@example.org", is_coordinator=is_coordinator,
                        parent_coordinator_id=coordinator.id if coordinator else None, languages="en")
        session.add(row)
        session.flush()
        for item in areas or []:
            session.add(AuthorityArea(authority_id=row.id, area_id=item.id))
        return row


def user(of: Authority, *, username: str | None = None, is_lda: bool = False, roles: dict[int, list[str]] | None = None,
         password: str = PASSWORD, code: str = CODE, language: str = "en", active: bool = True) -> User:
    number = next(_counter)
    username = username or f"user{number}"
    with session_scope() as session:
        salt, tags = codes.make_code_record(code)
        row = User(authority_id=of.id, username=username, username_key=username_key(username),
                   email=f"{username}@example.org", email_key=email_key(f"{username}@example.org"),
                   full_name=f"Test User {number}", language=language, is_lda=is_lda, is_active=active,
                   password_hash=passwords.hash_password(password), password_is_temporary=False,
                   code_salt=salt, code_tags=tags, challenge_positions="2,7,11")
        session.add(row)
        session.flush()
        for area_id, area_roles in (roles or {}).items():
            for role in area_roles:
                session.add(RoleAssignment(user_id=row.id, area_id=area_id, role=role))
        return row


def chars_for(code: str, positions: tuple[int, int, int]) -> tuple[str, str, str]:
    return tuple(code[p - 1] for p in positions)  # type: ignore[return-value]


def reload(model, obj_id):
    with session_scope() as session:
        return session.get(model, obj_id)
