"""Signing in (password, three code characters, optional TOTP), lockout and sessions (SEC-3..9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.core.db import session_scope
from imi_app.mail.outbox import queue_mail
from imi_app.policy.menu import NOTHING, Menu, menu_for
from imi_app.authorities.models import Authority, AuthorityStatus
from imi_app.accounts import throttle
from imi_app.accounts.models import User, UserSession
from imi_app.core.time import as_utc, utcnow
from imi_app.security import codes, passwords, tokens, totp
from imi_app.core import audit
from imi_app.core.errors import ValidationFailed
from imi_app.core.settings import get_settings
from imi_app.core.validation import NOT_VALID, unencodable

FAILED = "failed"
BLOCKED = "blocked"
OK = "ok"
SETUP = "setup"  # signed in with a temporary password: may only choose password and code
THROTTLED = "throttled"  # too many failures from this address (for this name): wait (SEC-13)

TICKET_SECONDS = 60


@dataclass(frozen=True)
class PasswordStep:
    """What step 1 learned; kept server-side between the two steps, never shown to the user."""

    username: str
    password_ok: bool
    positions: tuple[int, int, int]
    ticket: str | None = None  # set when a temporary password was used: go straight to set-up
    address: str = ""  # the client address the try comes from (SEC-13)
    wait_seconds: int = 0  # refused by the throttle before the password was checked


@dataclass(frozen=True)
class LoginResult:
    status: str
    ticket: str | None = None
    user_id: int | None = None
    wait_seconds: int = 0  # THROTTLED: how long until the next try is heard


def username_key(username: str) -> str:
    return username.strip().casefold()


def _find_user(session: Session, username: str, *, lock: bool = False) -> User | None:
    query = select(User).where(User.username_key == username_key(username))
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def _positions(user: User | None, username: str) -> tuple[int, int, int]:
    if user is not None:
        stored = codes.parse_positions(user.challenge_positions)
        if stored:
            return stored
    return codes.positions_for_unknown(username)


def _authority_active(session: Session, user: User) -> bool:
    """Users of a pending or rejected authority can do nothing in the system yet."""
    authority = session.get(Authority, user.authority_id)
    return authority is not None and authority.status == AuthorityStatus.ACTIVE


def _temporary_password_valid(user: User) -> bool:
    expires = as_utc(user.temp_password_expires_at)
    return bool(user.password_is_temporary and user.password_hash and expires and expires > utcnow())


def _refuse_unencodable(**sent: object) -> None:
    """Text no database can hold is refused before anything is looked up or counted."""
    for name, value in sent.items():
        if unencodable(value):
            raise ValidationFailed({name: NOT_VALID})


def check_password(username: str, password: str, address: str = "") -> PasswordStep:
    """Step 1. Always runs bcrypt (a dummy hash for unknown users) so timing tells nothing,
    unless the throttle refuses the try first."""
    _refuse_unencodable(username=username, password=password)
    username = (username or "")[:200]
    password = (password or "")[:1000]
    with session_scope() as session:
        wait = throttle.seconds_to_wait(session, throttle.keys_for(username_key(username), address))
        user = _find_user(session, username)
        stored_hash = user.password_hash if user else None
        positions = _positions(user, username)
    if wait:
        return PasswordStep(username, False, positions, address=address, wait_seconds=wait)
    password_ok = passwords.verify_password(password, stored_hash)
    if user is None or not password_ok:
        return PasswordStep(username, False, positions, address=address)
    if user.password_is_temporary:
        return _use_temporary_password(user.id, username, positions, address)
    return PasswordStep(username, True, positions, address=address)


def _use_temporary_password(user_id: int, username: str, positions, address: str) -> PasswordStep:
    with session_scope() as session:
        user = session.exec(select(User).where(User.id == user_id).with_for_update()).one()
        if not (user.is_active and user.blocked_at is None and _temporary_password_valid(user)
                and _authority_active(session, user)):
            # Expired, used or blocked: the caller sees the ordinary challenge and then fails.
            return PasswordStep(username, False, positions, address=address)
        user.password_hash = ""  # single use (SEC-7)
        user.temp_password_expires_at = None
        user.failed_logins = 0
        ticket = _new_ticket(session, user)
        audit.record(session, action="login.temporary_password", actor=user, object_type="user",
                     object_id=user.id)
        return PasswordStep(username, True, positions, ticket=ticket, address=address)


def finish_login(step: PasswordStep, chars: tuple[str, str, str], totp_code: str = "") -> LoginResult:
    """Step 2: all factors are judged together under a row lock (SEC-4), unless the throttle refuses
    the try first (SEC-13). Every failure counts toward the throttle; only one of a caller who gave
    the right password counts toward blocking the account (docs/SIGN_IN.md)."""
    _refuse_unencodable(chars=chars, totp=totp_code)
    chars = tuple((c or "")[:4] for c in chars)  # type: ignore[assignment]
    keys = throttle.keys_for(username_key(step.username), step.address)
    with session_scope() as session:
        wait = throttle.seconds_to_wait(session, keys)
        if wait:
            return LoginResult(THROTTLED, wait_seconds=wait)
        result = _judge(session, _find_user(session, step.username, lock=True), step, chars, totp_code)
        if result.status == OK:
            throttle.clear_pair(session, keys)
            return result
        wait = throttle.record_failure(session, keys)
        return LoginResult(THROTTLED, wait_seconds=wait) if wait and result.status == FAILED else result


def _judge(session: Session, user: User | None, step: PasswordStep, chars: tuple[str, str, str],
           totp_code: str) -> LoginResult:
    if user is None:
        # A name nobody has costs what a user's failure costs (issue 9): the same code and TOTP
        # checks and an audit row of the same shape, in a transaction that writes like theirs.
        session.exec(select(Authority).order_by(Authority.id).limit(1)).first()  # as a user's authority check
        codes.verify_code(None, None, step.positions, chars)
        _check_totp(None, totp_code)
        audit.record(session, action="login.failed", actor=None, object_type="user", object_id="",
                     after={"failed_logins": 0})
        return LoginResult(FAILED)
    if user.blocked_at is not None or not user.is_active or not _authority_active(session, user):
        outcome = BLOCKED if (step.password_ok and user.blocked_at is not None) else FAILED
        audit.record(session, action="login.refused", actor=user, object_type="user",
                     object_id=user.id, after={"reason": "blocked" if user.blocked_at else "disabled"})
        return LoginResult(outcome)
    code_ok = codes.verify_code(user.code_salt, user.code_tags, step.positions, chars)
    totp_step = _check_totp(user, totp_code)
    if step.password_ok and code_ok and totp_step is not False and not user.password_is_temporary:
        return _succeed(session, user, totp_step)
    return _fail(session, user, password_ok=step.password_ok, counts=step.password_ok)


@lru_cache(maxsize=4)
def _stand_in_totp_secret(_key: bytes) -> str:
    """A sealed TOTP secret (per TOTP key) that users without TOTP are checked against."""
    return totp.encrypt_secret(totp.new_totp_secret())


def _check_totp(user: User | None, code: str) -> int | None | bool:
    """None when TOTP is off, the accepted time-step when right, False when wrong. Without TOTP a
    stand-in secret is checked alike, so the time taken tells neither the name nor the factor."""
    enabled = bool(user is not None and user.totp_enabled and user.totp_secret_enc)
    sealed = user.totp_secret_enc if enabled else _stand_in_totp_secret(get_settings().secret("totp_key"))
    secret = totp.decrypt_secret(sealed)
    step = totp.verify_totp(secret, (code or "").strip(), user.totp_last_step if enabled else 0)
    if not enabled:
        return None
    return False if step is None else step


def _succeed(session: Session, user: User, totp_step: int | None) -> LoginResult:
    user.failed_logins = 0
    user.last_login_at = utcnow()
    # SEC-6: new positions only after a successful login.
    user.challenge_positions = codes.format_positions(codes.draw_positions())
    if totp_step:
        user.totp_last_step = totp_step
    ticket = _new_ticket(session, user)
    audit.record(session, action="login.success", actor=user, object_type="user", object_id=user.id)
    return LoginResult(OK, ticket=ticket, user_id=user.id)


def record_failure(session: Session, user: User) -> bool:
    """Counts a failed factor; the fifth in a row blocks the account. True when now blocked."""
    _fail(session, user, password_ok=False, counts=True)
    return user.blocked_at is not None


def _fail(session: Session, user: User, *, password_ok: bool, counts: bool) -> LoginResult:
    settings = get_settings()
    if counts:
        user.failed_logins += 1
    audit.record(session, action="login.failed", actor=user, object_type="user", object_id=user.id,
                 after={"failed_logins": user.failed_logins})
    if not counts or user.failed_logins < settings.max_failed_logins:
        return LoginResult(FAILED)
    user.blocked_at = utcnow()
    end_all_sessions(session, user.id)
    audit.record(session, action="user.blocked", actor=user, object_type="user", object_id=user.id)
    queue_mail(session, recipient=user.email, kind="account_blocked", language=user.language,
               user_id=user.id, params={"name": user.full_name, "count": user.failed_logins})
    return LoginResult(BLOCKED if password_ok else FAILED)


def authenticate(username: str, password: str, chars: tuple[str, str, str], totp_code: str = "",
                 address: str = "") -> LoginResult:
    """Both steps at once (used by tests and the benchmark; the UI asks in two screens)."""
    step = check_password(username, password, address)
    if step.ticket:
        return LoginResult(SETUP, ticket=step.ticket)
    if step.wait_seconds:
        return LoginResult(THROTTLED, wait_seconds=step.wait_seconds)
    return finish_login(step, chars, totp_code)


# --- sessions ---------------------------------------------------------------------------------

def _new_ticket(session: Session, user: User) -> str:
    settings = get_settings()
    ticket = tokens.new_token()
    now = utcnow()
    session.add(UserSession(
        user_id=user.id, ticket_hash=tokens.token_hash(ticket), created_at=now, last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_absolute_hours),
    ))
    return ticket


def redeem_ticket(ticket: str) -> str | None:
    """Swaps a fresh single-use ticket for the session token the cookie will carry."""
    if not ticket or len(ticket) > 100:
        return None
    with session_scope() as session:
        row = session.exec(
            select(UserSession).where(UserSession.ticket_hash == tokens.token_hash(ticket)).with_for_update()
        ).first()
        if row is None or row.ended_at is not None:
            return None
        row.ticket_hash = None
        if utcnow() - as_utc(row.created_at) > timedelta(seconds=TICKET_SECONDS):
            row.ended_at = utcnow()
            return None
        token = tokens.new_token()
        row.token_hash = tokens.token_hash(token)
        row.last_seen_at = utcnow()
        return token


@dataclass(frozen=True)
class SessionCheck:
    """What a session token stands for now, read in a read-only transaction, and the one change to the
    session row it calls for (ended, or seen again), written apart by `record_session_check`."""

    user: User | None
    session_id: int | None = None
    change: dict | None = None


_SESSION_LOOKUP = (select(UserSession, User, Authority)
                   .outerjoin(User, col(User.id) == UserSession.user_id)
                   .outerjoin(Authority, col(Authority.id) == User.authority_id)
                   .where(UserSession.token_hash == sa.bindparam("token_hash")))


def check_session(session: Session, token: str | None, *, touch: bool = True) -> SessionCheck:
    """The signed-in user for a session token, or None when it ended, idled out or expired; reads only,
    so every event of every tab does not queue for SQLite's write lock."""
    if not token or len(token) > 100:
        return SessionCheck(None)
    now = utcnow()
    # One statement: the session, its user and the user's authority (which the menu then finds loaded).
    found = session.exec(_SESSION_LOOKUP, params={"token_hash": tokens.token_hash(token)}).first()
    if found is None or found[0].ended_at is not None:
        return SessionCheck(None)
    row, user, authority = found
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    if as_utc(row.expires_at) <= now or now - as_utc(row.last_seen_at) > idle:
        return SessionCheck(None, row.id, {"ended_at": now})
    if user is None or not user.is_active or user.blocked_at is not None \
            or authority is None or authority.status != AuthorityStatus.ACTIVE:
        return SessionCheck(None, row.id, {"ended_at": now})
    if touch and now - as_utc(row.last_seen_at) > timedelta(seconds=30):
        return SessionCheck(user, row.id, {"last_seen_at": now})
    return SessionCheck(user)


def record_session_check(check: SessionCheck) -> None:
    """Writes what `check_session` found, in a short transaction of its own: a session ended stays ended,
    and a later "seen" is never overwritten by an earlier one."""
    if check.change is None or check.session_id is None:
        return
    table = UserSession.__table__
    statement = sa.update(table).where(table.c.id == check.session_id, table.c.ended_at.is_(None))
    if "last_seen_at" in check.change:
        statement = statement.where(table.c.last_seen_at < check.change["last_seen_at"])
    with session_scope() as session:
        session.execute(statement.values(**check.change))


def resolve_session(token: str | None, *, touch: bool = True) -> User | None:
    """The signed-in user for a session token, or None when it ended, idled out or expired.

    `touch=False` checks without counting as activity (the open-tab heartbeat must not keep
    an idle session alive)."""
    return signed_in(token, touch=touch, with_menu=False)[0]


def signed_in(token: str | None, *, touch: bool = True, with_menu: bool = True) -> tuple[User | None, Menu]:
    """The session's user and, for a page (`with_menu`), what the menu offers them, in one read-only
    transaction; the session row's "seen" goes in a short write of its own."""
    with session_scope(read_only=True) as session:
        check = check_session(session, token, touch=touch)
        user = check.user
        menu = menu_for.within(session, actor=user) if with_menu and user is not None \
            and not user.password_is_temporary else NOTHING
    record_session_check(check)
    return user, menu


def end_all_sessions(session: Session, user_id: int) -> int:
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id, col(UserSession.ended_at).is_(None))
    ).all()
    now = utcnow()
    for row in rows:
        row.ended_at = now
        row.ticket_hash = None
    return len(rows)


def logout(token: str | None) -> None:
    """Ends every session of the token's user: open tabs elsewhere are signed out too."""
    if not token or len(token) > 100:
        return
    with session_scope() as session:
        row = session.exec(select(UserSession).where(UserSession.token_hash == tokens.token_hash(token))).first()
        if row is None:
            return
        user = session.get(User, row.user_id)
        end_all_sessions(session, row.user_id)
        audit.record(session, action="logout", actor=user, object_type="user", object_id=row.user_id)
