"""Demo data: coordinators and authorities of three countries and a user for every role (idempotent).

Run with `python -m imi_app.demo.seed`; it loads the reference data first and prints the demo accounts.
Only when IMI_ENVIRONMENT is demo, dev or test: in production it changes nothing and exits with status 2.
"""

from __future__ import annotations

import importlib
import sys

from sqlmodel import Session, select

from imi_app import reference
from imi_app.reference.areas import PROFESSIONAL_QUALIFICATIONS as PQ, SERVICES as SVC
from imi_app.core.db import migrate, session_scope
from imi_app.authorities.models import Authority, AuthorityArea, LegislativeArea
from imi_app.demo import DemoDataRefused, require_demo_environment
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.security import codes, passwords
from imi_app.accounts.auth import username_key
from imi_app.core.validation import email_key
from imi_app.core.text import fold

# Further demo data, each module with an idempotent seed(session), in this order.
DEMO_MODULES = ("directory", "coordination", "links")

DEMO_PASSWORD = "imi-demo-password"
DEMO_CODE = "Demo-Code-12"

COUNTRY_LANGUAGE = {"HU": "hu", "DE": "de", "AT": "de"}

# country -> (coordinator, [(authority, areas, keywords)])
AUTHORITIES = {
    "HU": ("Nemzeti IMI-koordinátor – Igazságügyi Minisztérium",
           [("Magyar Orvosi Kamara", [PQ], "orvos, diploma, szakorvos"),
            ("Budapesti Kereskedelmi és Iparkamara", [SVC], "szolgáltató, cégjegyzék, vállalkozás"),
            ("Oktatási Hivatal", [PQ, SVC], "oklevél, elismerés, tanár")]),
    "DE": ("Nationaler IMI-Koordinator – Bundesministerium für Wirtschaft",
           [("Ärztekammer Berlin", [PQ], "Arzt, Approbation, Facharzt"),
            ("Handwerkskammer München", [PQ, SVC], "Handwerk, Meister, Dienstleister"),
            ("Landesamt für Gesundheit und Soziales Berlin", [PQ], "Pflege, Gesundheitsberufe")]),
    "AT": ("IMI-Koordinator Österreich – Bundesministerium für Arbeit und Wirtschaft",
           [("Österreichische Ärztekammer", [PQ], "Arzt, Diplom"),
            ("Wirtschaftskammer Wien", [SVC], "Gewerbe, Dienstleistung")]),
}

# (username, full name, language, country, index of authority (None = coordinator), is_lda, area roles)
PEOPLE = [
    ("hu.coordinator", "Kovács Katalin", "hu", "HU", None, True, [Role.DATA_ADMINISTRATOR]),
    ("hu.lda", "Nagy Péter", "hu", "HU", 0, True, []),
    ("hu.handler", "Szabó Éva", "hu", "HU", 0, False, [Role.REQUEST_HANDLER]),
    ("hu.allocator", "Tóth Gábor", "hu", "HU", 0, False, [Role.ALLOCATOR, Role.REQUEST_HANDLER]),
    ("hu.basic", "Horváth Anna", "hu", "HU", 0, False, []),
    ("hu.chamber.lda", "Varga Zoltán", "hu", "HU", 1, True, [Role.REQUEST_HANDLER]),
    ("de.coordinator", "Katrin Schmidt", "en", "DE", None, True, [Role.DATA_ADMINISTRATOR]),
    ("de.lda", "Jonas Müller", "en", "DE", 0, True, []),
    ("de.handler", "Lena Weber", "en", "DE", 0, False, [Role.REQUEST_HANDLER]),
    ("de.allocator", "Felix Wagner", "en", "DE", 0, False, [Role.ALLOCATOR, Role.REQUEST_HANDLER]),
    ("de.basic", "Mia Becker", "en", "DE", 0, False, []),
    ("at.coordinator", "Anna Gruber", "en", "AT", None, True, [Role.DATA_ADMINISTRATOR]),
    ("at.lda", "Lukas Huber", "en", "AT", 0, True, [Role.REQUEST_HANDLER]),
    ("at.handler", "Sophie Bauer", "en", "AT", 0, False, [Role.REQUEST_HANDLER, Role.ALLOCATOR]),
]


def _area_ids(session: Session) -> dict[str, int]:
    return {a.code: a.id for a in session.exec(select(LegislativeArea)).all()}


def _authority(session: Session, country: str, name: str, *, coordinator: Authority | None,
               area_codes: list[str], keywords: str, area_ids: dict[str, int]) -> Authority:
    found = session.exec(select(Authority).where(Authority.official_name == name)).first()
    if found:
        return found
    slug = "".join(ch for ch in fold(name) if ch.isascii() and ch.isalnum())[:20]
    authority = Authority(
        country_code=country, official_name=name, is_coordinator=coordinator is None,
        parent_coordinator_id=coordinator.id if coordinator else None,
        contact_email=f"{slug}@{country.lower()}.imi.example", address=f"{country} — demo address 1",
        phone="+36 1 555 0100" if country == "HU" else "+49 30 555 0100",
        languages=",".join(sorted({"en", COUNTRY_LANGUAGE[country]})),
    )
    session.add(authority)
    session.flush()
    for code in area_codes:
        session.add(AuthorityArea(authority_id=authority.id, area_id=area_ids[code], keywords=keywords))
    return authority


def _person(session: Session, row: tuple, authority: Authority, area_ids_of_authority: list[int],
            password_hash: str) -> None:
    username, name, language, country, _index, is_lda, roles = row
    if session.exec(select(User).where(User.username_key == username_key(username))).first():
        return
    email = f"{username}@imi.example"
    salt, tags = codes.make_code_record(DEMO_CODE)
    user = User(
        authority_id=authority.id, username=username, username_key=username_key(username), email=email,
        email_key=email_key(email), full_name=name, language=language, is_lda=is_lda,
        password_hash=password_hash, password_is_temporary=False, code_salt=salt, code_tags=tags,
        challenge_positions=codes.format_positions(codes.draw_positions()),
    )
    session.add(user)
    session.flush()
    for area_id in area_ids_of_authority:
        for role in roles:
            session.add(RoleAssignment(user_id=user.id, area_id=area_id, role=role))


def seed_demo() -> list[tuple]:
    """The reference data, then the demo data; in production raises DemoDataRefused and writes nothing."""
    require_demo_environment()
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    with session_scope() as session:
        reference.load(session)
        area_ids = _area_ids(session)
        made: dict[str, list[Authority]] = {}
        for country, (coordinator_name, members) in AUTHORITIES.items():
            coordinator = _authority(session, country, coordinator_name, coordinator=None,
                                     area_codes=[PQ, SVC], keywords="IMI", area_ids=area_ids)
            made[country] = [coordinator] + [
                _authority(session, country, name, coordinator=coordinator, area_codes=areas,
                           keywords=keywords, area_ids=area_ids)
                for name, areas, keywords in members
            ]
        for row in PEOPLE:
            index = row[4]
            authority = made[row[3]][0 if index is None else index + 1]
            authority_areas = list(session.exec(select(AuthorityArea.area_id).where(
                AuthorityArea.authority_id == authority.id)).all())
            _person(session, row, authority, authority_areas, password_hash)
        session.flush()
        for module in DEMO_MODULES:
            importlib.import_module(f"imi_app.demo.{module}").seed(session)
    return PEOPLE


def main() -> int:
    try:
        require_demo_environment()
    except DemoDataRefused as refused:
        print(f"imi_app.demo.seed refused: {refused}", file=sys.stderr)
        return 2
    migrate()
    people = seed_demo()
    print("Demo accounts (password and security code are the same for all):")
    print(f"  password: {DEMO_PASSWORD}    security code: {DEMO_CODE}")
    for username, name, _lang, country, index, is_lda, roles in people:
        where = AUTHORITIES[country][0] if index is None else AUTHORITIES[country][1][index][0]
        labels = (["local data administrator"] if is_lda else []) + [r.replace("_", " ") for r in roles]
        print(f"  {username:<16} {name:<18} {where} — {', '.join(labels) or 'basic user'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
