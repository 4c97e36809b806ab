"""Demo data for linked authorities and coordinator settings: two more users and exchanges HU <-> DE."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.demo import require_demo_environment
from imi_app.requests.models import InfoRequest, RequestPerson, RequestStatus
from imi_app.accounts.models import User
from imi_app.security import codes, passwords
from imi_app.accounts.auth import username_key
from imi_app.core.validation import email_key

HU_CHAMBER, DE_CHAMBER = "Magyar Orvosi Kamara", "Ärztekammer Berlin"
HU_COORDINATOR = "Nemzeti IMI-koordinátor – Igazságügyi Minisztérium"
EDUCATION_OFFICE = "Oktatási Hivatal"

# (username, full name, language, authority): a basic user of the authority the browser test links,
# and a second member of the HU coordinator's staff to name approver-referee or data administrator.
USERS = [
    ("hu.edu", "Balogh Eszter", "en", EDUCATION_OFFICE),
    ("hu.referee", "Molnár Judit", "hu", HU_COORDINATOR),
]

# (case id, HU chamber sends it?, status, subject, day of 2026 it started, person's name, birth date)
# The people, free texts and birth dates are made up and obviously personal: tests assert they never
# show on the linked overview.
REQUESTS = [
    ("IMI-2026-000101", True, RequestStatus.SENT, "Verification of a medical diploma", 20,
     "Dr. Kiss János", date(1978, 3, 14)),
    ("IMI-2026-000102", False, RequestStatus.ACCEPTED, "Confirmation of specialist registration", 16,
     "Dr. Anna Hoffmann", date(1983, 7, 2)),
    ("IMI-2026-000103", True, RequestStatus.ANSWERED, "Good standing certificate of a general practitioner", 12,
     "Dr. Szűcs Márta", date(1975, 11, 28)),
    ("IMI-2026-000104", False, RequestStatus.CLOSED, "Disciplinary record of a surgeon", 5,
     "Dr. Markus Richter", date(1969, 1, 9)),
    ("IMI-2026-000105", True, RequestStatus.CLOSED, "Recognition of a paediatric specialisation", 3,
     "Dr. Fodor Béla", date(1980, 5, 21)),
    ("IMI-2026-000106", True, RequestStatus.DRAFT, "Authenticity of a professional licence", 24,
     "Dr. Lakatos Ilona", date(1988, 9, 30)),
    ("IMI-2026-000107", False, RequestStatus.ANSWERED, "Proof of continuing medical education credits", 9,
     "Dr. Julia Neumann", date(1985, 4, 17)),
    # Not sent yet: only Ärztekammer Berlin knows of it, so nobody on the HU side sees it.
    ("IMI-2026-000108", False, RequestStatus.DRAFT, "Training period of a resident doctor", 25,
     "Dr. Paul Schneider", date(1991, 12, 3)),
]


def _by_name(session: Session, name: str) -> Authority | None:
    return session.exec(select(Authority).where(Authority.official_name == name)).first()


def _user_id(session: Session, username: str) -> int | None:
    return session.exec(select(User.id).where(User.username_key == username_key(username))).first()


def _seed_users(session: Session) -> None:
    from imi_app.demo.seed import DEMO_CODE, DEMO_PASSWORD  # imported late: imi_app.demo.seed imports this module

    password_hash = None
    for username, full_name, language, authority_name in USERS:
        authority = _by_name(session, authority_name)
        if authority is None or _user_id(session, username) is not None:
            continue
        password_hash = password_hash or passwords.hash_password(DEMO_PASSWORD)
        salt, tags = codes.make_code_record(DEMO_CODE)
        email = f"{username}@imi.example"
        session.add(User(authority_id=authority.id, username=username, username_key=username_key(username),
                         email=email, email_key=email_key(email), full_name=full_name, language=language,
                         password_hash=password_hash, password_is_temporary=False, code_salt=salt, code_tags=tags,
                         challenge_positions=codes.format_positions(codes.draw_positions())))
    session.flush()


def _times(day: int, status: str) -> dict:
    started = datetime(2026, 1, 1, 9, 30, tzinfo=UTC) + timedelta(days=day)
    sent = None if status == RequestStatus.DRAFT else started + timedelta(hours=3)
    return {
        "created_at": started,
        "sent_at": sent,
        "updated_at": started + timedelta(days=6 if status == RequestStatus.CLOSED else 2),
        "closed_at": started + timedelta(days=6) if status == RequestStatus.CLOSED else None,
        "deadline": (started + timedelta(days=30)).date() if sent and status != RequestStatus.CLOSED else None,
    }


def _seed_requests(session: Session) -> None:
    hu, de = _by_name(session, HU_CHAMBER), _by_name(session, DE_CHAMBER)
    area = session.exec(select(LegislativeArea).where(LegislativeArea.code == "professional_qualifications")).first()
    if hu is None or de is None or area is None:
        return
    hu_handler, de_handler = _user_id(session, "hu.handler"), _user_id(session, "de.handler")
    for case_id, from_hu, status, subject, day, person, born in REQUESTS:
        if session.exec(select(InfoRequest.id).where(InfoRequest.case_id == case_id)).first() is not None:
            continue
        request = InfoRequest(
            case_id=case_id, area_id=area.id, status=status, subject=subject,
            requesting_authority_id=hu.id if from_hu else de.id, responding_authority_id=de.id if from_hu else hu.id,
            created_by_user_id=hu_handler if from_hu else de_handler,
            free_text=f"Confidential note: please check the file of {person} (born {born.isoformat()}).",
            **_times(day, status))
        session.add(request)
        session.flush()
        session.add(RequestPerson(request_id=request.id, full_name=person, birth_date=born, nationality="HU"
                                  if from_hu else "DE", registration_number=f"REG-{case_id[-6:]}",
                                  address="1051 Budapest, Példa utca 7." if from_hu else "10117 Berlin, Beispielweg 3"))


def seed(session: Session) -> None:
    """Idempotent: users by username, requests by case id; skipped when the main demo data is missing."""
    require_demo_environment()
    _seed_users(session)
    _seed_requests(session)
