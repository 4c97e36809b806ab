"""A user's own account: first-login set-up, profile, password, security code and TOTP.

Each change is an action of the signed-in user (`actor`) on their own row, locked for the change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from imi_app.core.actions import action, query
from imi_app.core.formats import ZONES
from imi_app.core.i18n import N_, available_languages
from imi_app.accounts.models import User
from imi_app.security import codes, passwords, totp
from imi_app.core import audit
from imi_app.accounts.auth import end_all_sessions, record_failure, username_key
from imi_app.core.errors import ValidationFailed
from imi_app.core.validation import NOT_VALID, phone_problem, text_problem, unencodable, username_problem

_BASE32_SECRET = re.compile(r"[A-Z2-7]{32}")
USERNAME_TAKEN = N_("This username is already taken.")


def _me(session: Session, user_id: int) -> User:
    return session.exec(select(User).where(User.id == user_id).with_for_update()).one()


def _password_errors(user: User, password: object, confirm: object, field: str = "password") -> dict[str, str]:
    if not isinstance(password, str) or not isinstance(confirm, str) or unencodable((password, confirm)):
        return {field: NOT_VALID}
    problem = passwords.password_problem(password, user.username)
    if problem:
        return {field: problem}
    if password != confirm:
        return {f"{field}_confirm": N_("The two entries do not match.")}
    return {}


def _code_errors(code: object, confirm: object) -> dict[str, str]:
    if not isinstance(code, str) or not isinstance(confirm, str) or unencodable((code, confirm)):
        return {"code": NOT_VALID}
    problem = codes.code_problem(code)
    if problem:
        return {"code": problem}
    if code != confirm:
        return {"code_confirm": N_("The two entries do not match.")}
    return {}


def _store_code(user: User, code: str) -> None:
    user.code_salt, user.code_tags = codes.make_code_record(code)
    user.challenge_positions = codes.format_positions(codes.draw_positions())


@action
def complete_first_login(session: Session, *, actor: User, password: str, password_confirm: str,
                         code: str, code_confirm: str) -> User:
    user = _me(session, actor.id)
    if not user.password_is_temporary:
        raise ValidationFailed({"password": N_("Your account is already set up.")})
    errors = _password_errors(user, password, password_confirm) | _code_errors(code, code_confirm)
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = passwords.hash_password(password)
    user.password_is_temporary = False
    user.temp_password_expires_at = None
    _store_code(user, code)
    # The set-up session was opened with the temporary password alone. It never becomes a full one:
    # the user signs in again with every factor they have, TOTP included (SEC-15).
    end_all_sessions(session, user.id)
    audit.record(session, action="user.first_login_setup", actor=user, object_type="user", object_id=user.id)
    return user


@dataclass
class ProfileInput:
    username: str
    full_name: str
    phone: str
    language: str
    notify_mode: str | None = None  # "immediate" | "digest"; None keeps the current choice
    time_zone: str | None = None  # one of ZONES, or COUNTRY_ZONE for the authority's country's; None keeps it


NOTIFY_MODES = ("immediate", "digest")
COUNTRY_ZONE = "country"  # the profile's choice "the time of my authority's country" (stored as no zone)


@action
def update_profile(session: Session, *, actor: User, data: ProfileInput) -> User:
    user = _me(session, actor.id)
    errors: dict[str, str] = {}
    for name, problem in (
        ("username", username_problem(data.username)),
        ("full_name", text_problem(data.full_name, max_length=200)),
        ("phone", phone_problem(data.phone)),
    ):
        if problem:
            errors[name] = problem
    if data.language not in available_languages():
        errors["language"] = N_("This value is not valid.")
    if data.notify_mode is not None and data.notify_mode not in NOTIFY_MODES:
        errors["notify_mode"] = N_("This value is not valid.")
    if data.time_zone is not None and data.time_zone != COUNTRY_ZONE and data.time_zone not in ZONES:
        errors["time_zone"] = N_("This value is not valid.")
    if "username" not in errors and username_key(data.username) != user.username_key:
        if session.exec(select(User.id).where(User.username_key == username_key(data.username))).first():
            errors["username"] = USERNAME_TAKEN
    if errors:
        raise ValidationFailed(errors)
    before = {"username": user.username, "full_name": user.full_name, "phone": user.phone, "language": user.language,
              "notify_mode": user.notify_mode, "time_zone": user.time_zone}
    user.username, user.username_key = data.username.strip(), username_key(data.username)
    user.full_name, user.phone, user.language = data.full_name.strip(), data.phone.strip(), data.language
    if data.notify_mode is not None:
        user.notify_mode = data.notify_mode
    if data.time_zone is not None:
        user.time_zone = None if data.time_zone == COUNTRY_ZONE else data.time_zone
    after = {"username": user.username, "full_name": user.full_name, "phone": user.phone, "language": user.language,
             "notify_mode": user.notify_mode, "time_zone": user.time_zone}
    try:
        session.flush()
    except IntegrityError as exc:
        # Someone took the name between the check above and now: the unique index decides.
        raise ValidationFailed({"username": USERNAME_TAKEN}) from exc
    audit.record(session, action="profile.update", actor=user, object_type="user", object_id=user.id,
                 before=before, after=after)
    return user


def _require_current_password(session: Session, user: User, current: object) -> None:
    """A wrong current password counts toward blocking like a failed sign-in (SEC-4), so a
    stolen session cannot be used to guess the password."""
    if not isinstance(current, str) or unencodable(current):
        # Not a password at all (a hand-made event): refused without counting as a guess.
        raise ValidationFailed({"current_password": NOT_VALID})
    if not passwords.verify_password(current[:1000], user.password_hash):
        record_failure(session, user)
        # Nothing else has changed yet in this transaction: keep the count, then refuse.
        session.commit()
        raise ValidationFailed({"current_password": N_("The current password is not correct.")})


@action
def change_password(session: Session, *, actor: User, current: str, password: str, password_confirm: str) -> User:
    user = _me(session, actor.id)
    _require_current_password(session, user, current)
    errors = _password_errors(user, password, password_confirm)
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = passwords.hash_password(password)
    audit.record(session, action="profile.password_changed", actor=user, object_type="user", object_id=user.id)
    return user


@action
def change_code(session: Session, *, actor: User, current: str, code: str, code_confirm: str) -> User:
    user = _me(session, actor.id)
    _require_current_password(session, user, current)
    errors = _code_errors(code, code_confirm)
    if errors:
        raise ValidationFailed(errors)
    _store_code(user, code)
    audit.record(session, action="profile.code_changed", actor=user, object_type="user", object_id=user.id)
    return user


@action
def enable_totp(session: Session, *, actor: User, secret: str, code: str) -> User:
    """The secret was shown to the user (QR + key); a valid code from their app switches it on."""
    user = _me(session, actor.id)
    if user.totp_enabled:
        # Replacing an active second factor must go through "turn off", which asks for the password.
        raise ValidationFailed({"totp_code": N_("The authenticator app is already turned on.")})
    if not isinstance(secret, str) or not _BASE32_SECRET.fullmatch(secret):
        raise ValidationFailed({"totp_code": N_("Start again: the set-up has expired.")})
    step = totp.verify_totp(secret, (code or "").strip() if isinstance(code, str) else "", 0)
    if step is None:
        raise ValidationFailed({"totp_code": N_("The code is not correct. Check the time on your device.")})
    user.totp_secret_enc = totp.encrypt_secret(secret)
    user.totp_enabled = True
    user.totp_last_step = step
    audit.record(session, action="profile.totp_enabled", actor=user, object_type="user", object_id=user.id)
    return user


@action
def disable_totp(session: Session, *, actor: User, current: str) -> User:
    user = _me(session, actor.id)
    _require_current_password(session, user, current)
    user.totp_enabled = False
    user.totp_secret_enc = None
    user.totp_last_step = 0
    audit.record(session, action="profile.totp_disabled", actor=user, object_type="user", object_id=user.id)
    return user


@dataclass(frozen=True)
class TotpSetup:
    """A set-up the user has begun: the new secret (kept server-side) and its QR code for the app."""

    enabled: bool  # already on: nothing to set up
    secret: str = ""
    qr: str = ""


@query
def start_totp_setup(session: Session, *, actor: User) -> TotpSetup:
    """A fresh secret to show once; nothing is stored until `enable_totp` sees a right code from it."""
    user = session.get(User, actor.id) or actor
    if user.totp_enabled:
        return TotpSetup(enabled=True)
    secret = totp.new_totp_secret()
    return TotpSetup(enabled=False, secret=secret,
                     qr=totp.qr_svg_data_uri(totp.provisioning_uri(secret, user.username)))
