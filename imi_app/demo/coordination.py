"""Demo data for coordination: a HU regional coordinator with one authority, and a registration awaiting validation."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from imi_app.authorities.models import Authority, AuthorityArea, AuthorityStatus, Invitation, LegislativeArea
from imi_app.demo import require_demo_environment
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.core.time import utcnow
from imi_app.security import codes, passwords
from imi_app.accounts.auth import username_key
from imi_app.core.validation import email_key

HU_COORDINATOR = "Nemzeti IMI-koordinátor – Igazságügyi Minisztérium"
REGIONAL = "Budapest Főváros Kormányhivatala – regionális IMI-koordinátor"
REGIONAL_MEMBER = "Budapest Főváros Kormányhivatala – Népegészségügyi Főosztály"
PENDING = "Szegedi Gyógyszerészi Kamara"

# (username, full name, authority, is data administrator)
USERS = [
    ("hu.regional", "Fekete Judit", REGIONAL, True),
    ("hu.bp.lda", "Lakatos Márton", REGIONAL_MEMBER, False),
]


def _by_name(session: Session, name: str) -> Authority | None:
    return session.exec(select(Authority).where(Authority.official_name == name)).first()


def _authority(session: Session, name: str, parent: Authority, *, is_coordinator: bool, status: str,
               keywords: dict[str, str], slug: str) -> Authority:
    found = _by_name(session, name)
    if found:
        return found
    active = status == AuthorityStatus.ACTIVE
    authority = Authority(country_code="HU", official_name=name, is_coordinator=is_coordinator,
                          parent_coordinator_id=parent.id, contact_email=f"{slug}@hu.imi.example",
                          address="Budapest, Váci út 62–64." if active else "Szeged, Tisza Lajos krt. 12.",
                          phone="+36 1 555 0142", languages="en,hu", status=status,
                          validated_at=utcnow() if active else None)
    session.add(authority)
    session.flush()
    areas = {a.code: a.id for a in session.exec(select(LegislativeArea)).all()}
    for code, words in keywords.items():
        if code in areas:
            session.add(AuthorityArea(authority_id=authority.id, area_id=areas[code], keywords=words))
    session.flush()
    return authority


def _user(session: Session, username: str, name: str, authority: Authority, *, data_admin: bool,
          password_hash: str, code: str) -> None:
    if session.exec(select(User).where(User.username_key == username_key(username))).first():
        return
    salt, tags = codes.make_code_record(code)
    user = User(authority_id=authority.id, username=username, username_key=username_key(username),
                email=f"{username}@imi.example", email_key=email_key(f"{username}@imi.example"), full_name=name,
                language="hu", is_lda=True, password_hash=password_hash, password_is_temporary=False,
                code_salt=salt, code_tags=tags, challenge_positions=codes.format_positions(codes.draw_positions()))
    session.add(user)
    session.flush()
    if data_admin:
        for area_id in session.exec(select(AuthorityArea.area_id).where(AuthorityArea.authority_id == authority.id)):
            session.add(RoleAssignment(user_id=user.id, area_id=area_id, role=Role.DATA_ADMINISTRATOR))


def _pending(session: Session, national: Authority) -> None:
    """A registration made through an invitation: no password yet, waiting in hu.coordinator's queue."""
    if _by_name(session, PENDING):
        return
    authority = _authority(session, PENDING, national, is_coordinator=False, status=AuthorityStatus.PENDING,
                           keywords={"professional_qualifications": "gyógyszerész, gyógyszertár, oklevél"},
                           slug="szegedigyogyszereszikamara")
    inviter = session.exec(select(User).where(User.username_key == "hu.coordinator")).first()
    email = "titkarsag@szegedi-gyogyszereszek.example"
    session.add(Invitation(coordinator_id=national.id, email=email, language="hu", nonce_hash="demo-" + "0" * 59,
                           created_by_user_id=inviter.id if inviter else None, created_at=utcnow() - timedelta(days=2),
                           expires_at=utcnow() + timedelta(days=5), used_at=utcnow() - timedelta(days=1),
                           authority_id=authority.id))
    session.add(User(authority_id=authority.id, username="hu.szucs", username_key="hu.szucs", email=email,
                     email_key=email_key(email), full_name="Szűcs Erika", language="hu", is_lda=True,
                     password_hash="", password_is_temporary=True))
    session.flush()


def seed(session: Session) -> None:
    """Adds what is missing; running it again changes nothing."""
    require_demo_environment()
    from imi_app.demo.seed import DEMO_CODE, DEMO_PASSWORD  # imported late: imi_app.demo.seed imports this module

    national = _by_name(session, HU_COORDINATOR)
    if national is None:
        return
    both = {"professional_qualifications": "IMI, regionális koordináció", "services": "IMI, regionális koordináció"}
    regional = _authority(session, REGIONAL, national, is_coordinator=True, status=AuthorityStatus.ACTIVE,
                          keywords=both, slug="bfkhregionalis")
    member = _authority(session, REGIONAL_MEMBER, regional, is_coordinator=False, status=AuthorityStatus.ACTIVE,
                        keywords={"professional_qualifications": "egészségügyi dolgozó, működési nyilvántartás"},
                        slug="bfknepegeszsegugy")
    password_hash = None
    for username, name, where, data_admin in USERS:
        if session.exec(select(User.id).where(User.username_key == username_key(username))).first():
            continue
        password_hash = password_hash or passwords.hash_password(DEMO_PASSWORD)
        _user(session, username, name, regional if where == REGIONAL else member, data_admin=data_admin,
              password_hash=password_hash, code=DEMO_CODE)
    _pending(session, national)
