"""The local data administrator's work: register users, roles, new passwords, enable/disable."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from imi_app.core.actions import action, query
from imi_app.core.i18n import N_, available_languages
from imi_app.mail.outbox import queue_mail
from imi_app.authorities.models import Authority, AuthorityArea, LegislativeArea
from imi_app.accounts import names
from imi_app.accounts.models import AREA_ROLES, Role, RoleAssignment, User
from imi_app.core.time import utcnow
from imi_app.accounts import rules as _rules  # noqa: F401 - registers the account rules
from imi_app.policy import area_roles, require, require_locked
from imi_app.security import passwords
from imi_app.core import audit
from imi_app.accounts.auth import end_all_sessions, username_key
from imi_app.core.errors import Conflict, ValidationFailed
from imi_app.core.validation import email_key, email_problem, phone_problem, text_problem
from imi_app.core.settings import get_settings

PAGE_SIZE = 20


@dataclass
class UserInput:
    full_name: str = ""  # editing: the name as it is kept
    email: str = ""
    phone: str = ""
    language: str = "en"
    is_lda: bool = False
    roles: dict[int, list[str]] = field(default_factory=dict)  # area id -> area roles
    # Registering: the name in its two parts, made one full name in the order of the authority's country.
    family_name: str = ""
    given_name: str = ""


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    email: str
    is_active: bool
    is_blocked: bool
    is_lda: bool
    must_set_up: bool


def user_row(user: User) -> UserRow:
    """What the user lists show of an account."""
    return UserRow(user.id, user.username, user.full_name, user.email, user.is_active,  # type: ignore[arg-type]
                   user.blocked_at is not None, user.is_lda, user.password_is_temporary)


def user_status(row: UserRow) -> str:
    """What the user lists show of an account: disabled, blocked, waiting for set-up, or active."""
    if not row.is_active:
        return "disabled"
    if row.is_blocked:
        return "blocked"
    return "setup" if row.must_set_up else "active"


def authority_area_ids(session: Session, authority_id: int) -> set[int]:
    return set(session.exec(select(AuthorityArea.area_id).where(AuthorityArea.authority_id == authority_id)).all())


def _check_roles(session: Session, authority_id: int, roles: object) -> tuple[dict[int, list[str]], str | None]:
    if not isinstance(roles, dict):
        return {}, N_("This value is not valid.")
    allowed_areas = authority_area_ids(session, authority_id)
    clean: dict[int, list[str]] = {}
    for area_id, area_roles in roles.items():
        if not isinstance(area_id, int) or isinstance(area_id, bool) or not isinstance(area_roles, (list, tuple, set)):
            return {}, N_("This value is not valid.")
        if area_id not in allowed_areas:
            return {}, N_("Your authority does not work in this legislative area.")
        if any(role not in AREA_ROLES for role in area_roles):
            return {}, N_("This value is not valid.")
        clean[area_id] = sorted(set(area_roles))
    return clean, None


def _validate(session: Session, data: UserInput, authority_id: int, user_id: int | None = None) -> dict[int, list[str]]:
    """A new user's name in its two parts (`user_id` None), a registered one's as one full name."""
    errors = names.name_problems(data.family_name, data.given_name) if user_id is None else {}
    for name, problem in (
        ("full_name", None if user_id is None else text_problem(data.full_name, max_length=200)),
        ("email", email_problem(data.email)),
        ("phone", phone_problem(data.phone)),
    ):
        if problem:
            errors[name] = problem
    if data.language not in available_languages():
        errors["language"] = N_("This value is not valid.")
    if not isinstance(data.is_lda, bool):
        errors["is_lda"] = N_("This value is not valid.")
    roles, problem = _check_roles(session, authority_id, data.roles)
    if problem:
        errors["roles"] = problem
    if "email" not in errors:
        taken = session.exec(select(User.id).where(User.email_key == email_key(data.email))).first()
        if taken is not None and taken != user_id:
            errors["email"] = N_("This e-mail address is already used by another user.")
    if errors:
        raise ValidationFailed(errors)
    return roles


def _ascii_letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", plain)


def generate_username(session: Session, full_name: str, country_code: str, *, family: str = "") -> str:
    """`country_code`.family name and four digits: the `family` name typed, or the one the full name holds."""
    surname = names.surname_for_username(family) if family.strip() else names.family_name(full_name, country_code)
    surname = _ascii_letters(surname) or "user"
    for _ in range(50):
        candidate = f"{country_code.lower()}.{surname[:12]}{secrets.randbelow(9000) + 1000}"
        if session.exec(select(User.id).where(User.username_key == username_key(candidate))).first() is None:
            return candidate
    raise Conflict(N_("No free username could be generated; try again."))


def set_temporary_password(user: User) -> str:
    """Gives `user` a new single-use temporary password (SEC-7) and returns it; only its hash is kept.

    The caller hands it to its owner once and forgets it: by e-mail (`_issue_temporary_password`)
    or, for the first account of an installation, on the operator's terminal.
    """
    settings = get_settings()
    temporary = passwords.new_temporary_password()
    user.password_hash = passwords.hash_password(temporary)
    user.password_is_temporary = True
    user.temp_password_expires_at = utcnow() + timedelta(hours=settings.temp_password_hours)
    return temporary


def _issue_temporary_password(session: Session, user: User, kind: str, authority: Authority) -> None:
    settings = get_settings()
    temporary = set_temporary_password(user)
    queue_mail(session, recipient=user.email, kind=kind, language=user.language, user_id=user.id,
               params={"name": user.full_name, "password": temporary, "authority": authority.official_name,
                       "hours": settings.temp_password_hours, "url": settings.public_url})


def _set_roles(session: Session, user: User, roles: dict[int, list[str]]) -> None:
    existing = session.exec(select(RoleAssignment).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role.in_(AREA_ROLES))).all()  # type: ignore[attr-defined]
    for row in existing:
        session.delete(row)
    session.flush()
    for area_id, area_roles in roles.items():
        for role in area_roles:
            session.add(RoleAssignment(user_id=user.id, area_id=area_id, role=role))


def user_roles(session: Session, user_id: int) -> dict[int, list[str]]:
    """Area -> the roles the user holds there, sorted (policy.area_roles turned round)."""
    roles: dict[int, list[str]] = {}
    for role, areas in area_roles(session, user_id).items():
        for area in areas:
            roles.setdefault(area, []).append(role)
    return {area: sorted(r) for area, r in roles.items()}


def _snapshot(user: User, roles: dict[int, list[str]] | None = None) -> dict:
    data = {"full_name": user.full_name, "email": user.email, "phone": user.phone, "language": user.language,
            "is_lda": user.is_lda, "is_active": user.is_active}
    if roles is not None:
        data["roles"] = {str(k): v for k, v in roles.items()}
    return data


@action
def register_user(session: Session, *, actor: User, data: UserInput) -> User:
    """Creates the user, e-mails the temporary password; the caller shows the username once."""
    authority = session.get(Authority, actor.authority_id)
    require(session, actor, "user.register", authority, "authority", actor.authority_id)
    roles = _validate(session, data, authority.id)
    user = User(
        authority_id=authority.id, full_name=names.full_name(data.family_name, data.given_name, authority.country_code),
        email=data.email.strip(),
        email_key=email_key(data.email), phone=data.phone.strip(), language=data.language, is_lda=data.is_lda,
        username="", username_key="",
    )
    user.username = generate_username(session, user.full_name, authority.country_code, family=data.family_name)
    user.username_key = username_key(user.username)
    session.add(user)
    session.flush()
    _set_roles(session, user, roles)
    _issue_temporary_password(session, user, "temporary_password", authority)
    audit.record(session, action="user.register", actor=actor, object_type="user", object_id=user.id,
                 after=_snapshot(user, roles))
    return user


def _target(session: Session, actor: User, action: str, user_id: object) -> User:
    return require_locked(session, actor, action, User, "user", user_id)


def _active_lda_count(session: Session, authority_id: int) -> int:
    return session.exec(select(func.count()).select_from(User).where(
        User.authority_id == authority_id, User.is_lda.is_(True), User.is_active.is_(True))).one()  # type: ignore[attr-defined]


@action
def update_user(session: Session, *, actor: User, user_id: object, data: UserInput) -> User:
    user = _target(session, actor, "user.edit", user_id)
    roles = _validate(session, data, user.authority_id, user_id=user.id)
    before = _snapshot(user, user_roles(session, user.id))
    if user.is_lda and not data.is_lda and user.is_active and _active_lda_count(session, user.authority_id) <= 1:
        raise ValidationFailed({"is_lda": N_("An authority must keep at least one active local data administrator.")})
    old_email = user.email if user.email_key != email_key(data.email) else None
    user.full_name, user.email, user.email_key = data.full_name.strip(), data.email.strip(), email_key(data.email)
    user.phone, user.language, user.is_lda = data.phone.strip(), data.language, data.is_lda
    _set_roles(session, user, roles)
    if old_email:
        # The old address learns of the change, so a hijacked account does not go unnoticed.
        authority = session.get(Authority, user.authority_id)
        queue_mail(session, recipient=old_email, kind="email_changed", language=user.language, user_id=user.id,
                   params={"name": user.full_name, "authority": authority.official_name})
    audit.record(session, action="user.update", actor=actor, object_type="user", object_id=user.id,
                 before=before, after=_snapshot(user, roles))
    return user


def create_new_password(session: Session, *, actor: User, user_id: object) -> User:
    """New temporary password by e-mail; unblocks; ends sessions; the code is chosen again."""
    user = _target(session, actor, "user.reset_password", user_id)
    authority = session.get(Authority, user.authority_id)
    was_blocked = user.blocked_at is not None
    user.failed_logins = 0
    user.blocked_at = None
    user.code_salt = None
    user.code_tags = None
    user.challenge_positions = ""
    _issue_temporary_password(session, user, "password_reset", authority)
    end_all_sessions(session, user.id)
    audit.record(session, action="user.new_password", actor=actor, object_type="user", object_id=user.id,
                 before={"blocked": was_blocked}, after={"blocked": False})
    return user


@action
def issue_new_password(session: Session, *, actor: User, user_id: object) -> User:
    """`create_new_password` as a change of its own (the authorities feature calls it inside its own)."""
    return create_new_password(session, actor=actor, user_id=user_id)


@action
def set_active(session: Session, *, actor: User, user_id: object, active: object) -> User:
    if not isinstance(active, bool):
        raise ValidationFailed({"is_active": N_("This value is not valid.")})
    user = _target(session, actor, "user.set_active", user_id)
    if not active and user.is_lda and user.is_active and _active_lda_count(session, user.authority_id) <= 1:
        raise Conflict(N_("An authority must keep at least one active local data administrator."))
    if user.is_active == active:
        return user
    user.is_active = active
    if not active:
        end_all_sessions(session, user.id)
    audit.record(session, action="user.enable" if active else "user.disable", actor=actor,
                 object_type="user", object_id=user.id, before={"is_active": not active}, after={"is_active": active})
    return user


@query
def list_users(session: Session, *, actor: User, search: str = "", page: int = 1,
               page_size: int = PAGE_SIZE) -> tuple[list[UserRow], int]:
    authority = session.get(Authority, actor.authority_id)
    require(session, actor, "user.list", authority, "authority", actor.authority_id)
    query = select(User).where(User.authority_id == actor.authority_id)
    search = (search if isinstance(search, str) else "")[:100].strip()
    if search:
        # The user's % and _ are searched for, not used as wildcards.
        escaped = search.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        query = query.where(sa.or_(*(column.like(like, escape="\\") for column in (
            func.lower(User.full_name), User.email_key, User.username_key))))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = page if isinstance(page, int) and not isinstance(page, bool) and page > 0 else 1
    rows = session.exec(query.order_by(User.full_name, User.id).offset((page - 1) * page_size).limit(page_size)).all()
    return [user_row(u) for u in rows], total


@query
def get_user_for_edit(session: Session, *, actor: User, user_id: object) -> tuple[User, dict[int, list[str]]]:
    user = _target(session, actor, "user.edit", user_id)
    return user, user_roles(session, user.id)


def areas_of_authority(session: Session, authority_id: int) -> list[LegislativeArea]:
    return list(session.exec(select(LegislativeArea).join(
        AuthorityArea, AuthorityArea.area_id == LegislativeArea.id).where(
        AuthorityArea.authority_id == authority_id).order_by(LegislativeArea.code)).all())
