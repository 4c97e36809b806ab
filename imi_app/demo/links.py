"""Demo data for linked authorities and coordinator settings: two more users and exchanges HU <-> DE."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.demo import require_demo_environment
from imi_app.requests import figures
from imi_app.requests.models import InfoRequest, RequestEvent, RequestPerson, RequestRating, RequestStatus
from imi_app.accounts.models import User
from imi_app.security import codes, passwords
from imi_app.accounts.auth import username_key
from imi_app.core.time import utcnow
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

# (case number, HU chamber sends it?, status, subject, days before the seed ran that it started, person's name,
# birth date). The dates follow the day the seed runs, so a new installation shows requests a few weeks old
# (the two open ones just past their deadline), not ones that grow older every day after a fixed date.
# The people, free texts and birth dates are made up and obviously personal: tests assert they never
# show on the linked overview.
REQUESTS = [
    (101, True, RequestStatus.SENT, "Verification of a medical diploma", 35,
     "Dr. Kiss János", date(1978, 3, 14)),
    (102, False, RequestStatus.ACCEPTED, "Confirmation of specialist registration", 39,
     "Dr. Anna Hoffmann", date(1983, 7, 2)),
    (103, True, RequestStatus.ANSWERED, "Good standing certificate of a general practitioner", 43,
     "Dr. Szűcs Márta", date(1975, 11, 28)),
    (104, False, RequestStatus.CLOSED, "Disciplinary record of a surgeon", 50,
     "Dr. Markus Richter", date(1969, 1, 9)),
    (105, True, RequestStatus.CLOSED, "Recognition of a paediatric specialisation", 52,
     "Dr. Fodor Béla", date(1980, 5, 21)),
    (106, True, RequestStatus.DRAFT, "Authenticity of a professional licence", 31,
     "Dr. Lakatos Ilona", date(1988, 9, 30)),
    (107, False, RequestStatus.ANSWERED, "Proof of continuing medical education credits", 46,
     "Dr. Julia Neumann", date(1985, 4, 17)),
    # Not sent yet: only Ärztekammer Berlin knows of it, so nobody on the HU side sees it.
    (108, False, RequestStatus.DRAFT, "Training period of a resident doctor", 30,
     "Dr. Paul Schneider", date(1991, 12, 3)),
]
DEADLINE_DAYS = 30
# The requesting side's ratings of the closed ones (timeliness, efforts), so the scoreboard has some to count.
RATINGS = {104: ("neutral", "positive"), 105: ("negative", "neutral")}
REPLY = "Confirmed: the document is genuine and the person is registered with us."


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


def _started(days_ago: int, today: date) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(9, 30), tzinfo=UTC)


def _case_id(number: int, started: datetime) -> str:
    return f"IMI-{started.year}-{number:06d}"  # the year it started in, as the app numbers requests


def case_ids(today: date | None = None) -> dict[int, str]:
    """The demo requests' case ids by number (101 to 108) when the seed runs on `today` (default: today, UTC)."""
    today = today or utcnow().date()
    return {number: _case_id(number, _started(days_ago, today)) for number, _hu, _s, _t, days_ago, *_ in REQUESTS}


def _times(started: datetime, status: str) -> dict:
    sent = None if status == RequestStatus.DRAFT else started + timedelta(hours=3)
    return {
        "created_at": started,
        "sent_at": sent,
        "updated_at": started + timedelta(days=6 if status == RequestStatus.CLOSED else 2),
        "closed_at": started + timedelta(days=6) if status == RequestStatus.CLOSED else None,
        "deadline": (started + timedelta(days=DEADLINE_DAYS)).date() if sent and status != RequestStatus.CLOSED
        else None,
    }


def _seed_requests(session: Session, today: date) -> None:
    hu, de = _by_name(session, HU_CHAMBER), _by_name(session, DE_CHAMBER)
    area = session.exec(select(LegislativeArea).where(LegislativeArea.code == "professional_qualifications")).first()
    if hu is None or de is None or area is None:
        return
    hu_handler, de_handler = _user_id(session, "hu.handler"), _user_id(session, "de.handler")
    for number, from_hu, status, subject, days_ago, person, born in REQUESTS:
        # Known by its number whatever year it was seeded in, so a later run adds no second copy.
        if session.exec(select(InfoRequest.id).where(
                InfoRequest.case_id.like(f"IMI-%-{number:06d}"))).first() is not None:  # type: ignore[attr-defined]
            continue
        started = _started(days_ago, today)
        case_id = _case_id(number, started)
        request = InfoRequest(
            case_id=case_id, area_id=area.id, status=status, subject=subject,
            requesting_authority_id=hu.id if from_hu else de.id, responding_authority_id=de.id if from_hu else hu.id,
            created_by_user_id=hu_handler if from_hu else de_handler,
            free_text=f"Confidential note: please check the file of {person} (born {born.isoformat()}).",
            **_times(started, status))
        session.add(request)
        session.flush()
        session.add(RequestPerson(request_id=request.id, full_name=person, birth_date=born, nationality="HU"
                                  if from_hu else "DE", registration_number=f"REG-{case_id[-6:]}",
                                  address="1051 Budapest, Példa utca 7." if from_hu else "10117 Berlin, Beispielweg 3"))
        _seed_timeline(session, request, number, started, requester=hu_handler if from_hu else de_handler,
                       responder=de_handler if from_hu else hu_handler)


def _seed_timeline(session: Session, request: InfoRequest, number: int, started: datetime, *,
                   requester: int | None, responder: int | None) -> None:
    """The steps that led each demo request to its status, on its timeline, and its scoreboard figures."""
    if request.status == RequestStatus.DRAFT:
        return
    requesting, responding = request.requesting_authority_id, request.responding_authority_id
    steps = [("sent", started + timedelta(hours=3), requester, requesting, None, "")]
    if request.status in (RequestStatus.ACCEPTED, RequestStatus.ANSWERED, RequestStatus.CLOSED):
        request.agreed_reply_date = (started + timedelta(days=DEADLINE_DAYS)).date()
        agreed = request.agreed_reply_date.isoformat()
        steps.append(("accepted", started + timedelta(days=1), responder, responding,
                      {"reply_date": agreed, "as_proposed": True}, ""))
    if request.status in (RequestStatus.ANSWERED, RequestStatus.CLOSED):
        steps.append(("answered", started + timedelta(days=2), responder, responding,
                      {"released": {"answers": {}, "reply": REPLY}}, REPLY))
    if request.status == RequestStatus.CLOSED:
        steps.append(("answer_accepted", started + timedelta(days=6), requester, requesting, None, ""))
        if number in RATINGS:
            timeliness, efforts = RATINGS[number]
            steps.append(("rated", started + timedelta(days=6, hours=1), requester, requesting,
                          {"timeliness": timeliness, "efforts": efforts, "changed": False}, ""))
            session.add(RequestRating(request_id=request.id, timeliness=timeliness, efforts=efforts,
                                      rated_by_user_id=requester, rated_at=started + timedelta(days=6, hours=1)))
    for kind, at, user_id, authority_id, data, note in steps:
        session.add(RequestEvent(request_id=request.id, at=at, actor_user_id=user_id, actor_authority_id=authority_id,
                                 kind=kind, data=data, note=note))
    session.flush()
    figures.refresh(session, request)


def seed(session: Session, *, today: date | None = None) -> None:
    """Idempotent: users by username, requests by case number; skipped when the main demo data is missing.

    The requests' dates count back from `today` (default: today, UTC).
    """
    require_demo_environment()
    _seed_users(session)
    _seed_requests(session, today or utcnow().date())
