"""`python -m imi_app.authorities.bootstrap`: the first coordinator's account on a new installation.

A fresh installation (production, without demo data) has the reference data and nobody who can sign
in. This command creates a country's national IMI coordinator (active, working in every legislative
area) and its first user, a local data administrator with the data-administrator role in every area,
and prints the username and a temporary password once. Only the password's hash is stored: it is
neither e-mailed nor logged. Signing in with it leads straight to choosing a password and a security
code, like every new user's first sign-in; from then on that user registers everyone else.

    python -m imi_app.authorities.bootstrap --country HU --authority "Nemzeti IMI-koordinátor" \\
        --name "Kovács Katalin" --email kovacs.katalin@example.hu --language hu

It refuses when the country already has a national coordinator.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from imi_app.accounts.auth import username_key
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.accounts.users import generate_username, set_temporary_password
from imi_app.authorities.coordination import snapshot
from imi_app.authorities.models import Authority, AuthorityArea, AuthorityStatus, Country, LegislativeArea
from imi_app.authorities.own_authority import AUTHORITY_LANGUAGES
from imi_app.core import audit
from imi_app.core.actions import action
from imi_app.core.errors import ServiceError
from imi_app.core.i18n import available_languages, country_name, gettext
from imi_app.core.settings import get_settings
from imi_app.core.time import as_utc, utcnow
from imi_app.core.validation import email_key, email_problem, text_problem
from imi_app.reference import COUNTRIES

ACTION = "authority.bootstrap"
LOAD_REFERENCE = "load it with `python -m imi_app.reference` (scripts/setup.sh does) and try again"


class BootstrapRefused(Exception):
    """Nothing was created; the message says why, for the operator (in English)."""


@dataclass(frozen=True)
class Bootstrapped:
    authority: Authority
    user: User
    temporary_password: str = field(repr=False)
    expires_at: datetime


def national_coordinator(session: Session, country: str) -> Authority | None:
    """The country's national coordinator: its coordinator without a coordinator above it."""
    return session.exec(select(Authority).where(
        Authority.country_code == country, col(Authority.is_coordinator).is_(True),
        col(Authority.parent_coordinator_id).is_(None))).first()


def _check(session: Session, *, country: str, authority_name: str, full_name: str, email: str, language: str,
           contact_email: str) -> list[LegislativeArea]:
    problems = [(option, problem) for option, problem in (
        ("--authority", text_problem(authority_name, max_length=300)),
        ("--name", text_problem(full_name, max_length=200)),
        ("--email", email_problem(email)),
        ("--contact-email", email_problem(contact_email) if contact_email else None),
    ) if problem]
    if language not in available_languages():
        problems.append(("--language", f"choose one of {', '.join(available_languages())}"))
    if not any(option == "--email" for option, _ in problems) and session.exec(
            select(User.id).where(User.email_key == email_key(email))).first() is not None:
        problems.append(("--email", "This e-mail address is already used by another user."))
    if problems:
        raise BootstrapRefused("; ".join(f"{option}: {gettext('en', problem)}" for option, problem in problems))
    # Locking the country row makes two runs for the same country wait for each other.
    if session.exec(select(Country).where(Country.code == country).with_for_update()).first() is None:
        if country in COUNTRIES:
            raise BootstrapRefused(f"The reference data is not loaded (no country {country}); {LOAD_REFERENCE}.")
        raise BootstrapRefused(f"--country: {country!r} is not the code of an EU or EEA country "
                               f"({', '.join(COUNTRIES)}).")
    existing = national_coordinator(session, country)
    if existing is not None:
        raise BootstrapRefused(
            f"{country_name(country, 'en')} already has a national coordinator: {existing.official_name} "
            f"(authority {existing.id}). Its local data administrators register further users and authorities.")
    areas = list(session.exec(select(LegislativeArea).order_by(LegislativeArea.code)).all())
    if not areas:
        raise BootstrapRefused(f"The reference data is not loaded (no legislative areas); {LOAD_REFERENCE}.")
    return areas


@action
def bootstrap_coordinator(session: Session, *, country: str, authority_name: str, full_name: str, email: str,
                          language: str = "en", contact_email: str = "") -> Bootstrapped:
    """The national coordinator and its first user; raises BootstrapRefused (nothing added) when it may not."""
    country = (country or "").strip().upper()
    authority_name, full_name = (authority_name or "").strip(), (full_name or "").strip()
    email, contact_email = (email or "").strip(), (contact_email or "").strip()
    areas = _check(session, country=country, authority_name=authority_name, full_name=full_name, email=email,
                   language=language, contact_email=contact_email)
    now = utcnow()
    authority = Authority(
        country_code=country, official_name=authority_name, is_coordinator=True, parent_coordinator_id=None,
        contact_email=contact_email or email, status=AuthorityStatus.ACTIVE, validated_at=now,
        languages=",".join(sorted({"en", language} & set(AUTHORITY_LANGUAGES))),
    )
    session.add(authority)
    session.flush()
    for area in areas:
        session.add(AuthorityArea(authority_id=authority.id, area_id=area.id))
    user = User(authority_id=authority.id, full_name=full_name, email=email, email_key=email_key(email),
                language=language, is_lda=True, username="", username_key="")
    user.username = generate_username(session, full_name, country)
    user.username_key = username_key(user.username)
    temporary = set_temporary_password(user)
    session.add(user)
    session.flush()
    for area in areas:
        session.add(RoleAssignment(user_id=user.id, area_id=area.id, role=Role.DATA_ADMINISTRATOR))
    session.flush()
    audit.record(session, action=ACTION, actor=None, actor_authority_id=None, object_type="authority",
                 object_id=authority.id, after={**snapshot(session, authority), "first_user_id": user.id,
                                                 "first_user": user.username, "data_administrator_areas":
                                                 sorted(area.code for area in areas)})
    return Bootstrapped(authority, user, temporary, as_utc(user.temp_password_expires_at))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m imi_app.authorities.bootstrap",
        description="Create a country's national IMI coordinator and its first user (local data administrator, "
                    "data administrator in every legislative area) on a new installation. The username and a "
                    "temporary password are printed once; only the password's hash is stored, and it is neither e-mailed "
                    "nor logged.")
    parser.add_argument("--country", required=True, help="ISO code of an EU or EEA country, e.g. HU")
    parser.add_argument("--authority", required=True, help="official name of the national coordinator")
    parser.add_argument("--name", required=True, help="full name of its first user")
    parser.add_argument("--email", required=True, help="e-mail address of its first user")
    parser.add_argument("--language", default="en", help="the user's interface language (default: en)")
    parser.add_argument("--contact-email", default="",
                        help="the authority's contact address in the directory (default: the user's address)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        made = bootstrap_coordinator(country=args.country, authority_name=args.authority, full_name=args.name,
                                     email=args.email, language=args.language, contact_email=args.contact_email)
    except BootstrapRefused as refused:
        print(f"Refused, nothing was created: {refused}", file=sys.stderr)
        return 1
    except ServiceError as error:  # e.g. no free username could be generated
        print(f"Refused, nothing was created: {gettext('en', error.message, **error.params)}", file=sys.stderr)
        return 1
    authority, user = made.authority, made.user
    print(f"Created the national coordinator of {country_name(authority.country_code, 'en')}: "
          f"{authority.official_name} (authority {authority.id}),")
    print(f"and its first user {user.full_name} <{user.email}>: local data administrator, data administrator "
          "in every legislative area.")
    print()
    print(f"  Username:           {user.username}")
    print(f"  Temporary password: {made.temporary_password}")
    print()
    print("The password is shown only this once: IMI keeps only its hash and neither e-mails nor logs it. "
          f"Hand it to {user.full_name} in person or by another secure channel.")
    print(f"It works once, until {made.expires_at:%Y-%m-%d %H:%M} UTC; signing in with it at "
          f"{get_settings().public_url} leads to choosing a new password and a security code.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
