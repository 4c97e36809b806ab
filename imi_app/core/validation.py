"""Field checks shared by the services; each returns a gettext msgid or None."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from imi_app.core.i18n import N_

_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{4,64}$")


def has_control_chars(value: str, *, allow_newlines: bool = False) -> bool:
    for char in value:
        if allow_newlines and char in "\n\r\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return True
    return False


def text_problem(value: object, *, required: bool = True, max_length: int = 200,
                 multiline: bool = False) -> str | None:
    if not isinstance(value, str):
        return N_("This value is not valid.")
    if required and not value.strip():
        return N_("This field is required.")
    if len(value) > max_length:
        return N_("This text is too long.")
    if has_control_chars(value, allow_newlines=multiline):
        return N_("This text contains characters that are not allowed.")
    if "<" in value and ">" in value:
        return N_("This text must not contain HTML.")
    return None


def field_problems(checks: dict[str, str | None]) -> dict[str, str]:
    """The fields whose check found a problem, each with its message, in the order checked."""
    return {name: problem for name, problem in checks.items() if problem}


def email_problem(value: object) -> str | None:
    problem = text_problem(value, max_length=254)
    if problem:
        return problem
    try:
        validate_email(str(value), check_deliverability=False)
    except EmailNotValidError:
        return N_("Enter a valid e-mail address.")
    return None


def phone_problem(value: object) -> str | None:
    if value == "":
        return None
    problem = text_problem(value, max_length=40)
    if problem:
        return problem
    return None if _PHONE.match(str(value)) else N_("Enter a valid phone number.")


def username_problem(value: object) -> str | None:
    problem = text_problem(value, max_length=64)
    if problem:
        return problem
    if not _USERNAME.match(str(value)):
        return N_("Usernames have 4 to 64 characters: letters, digits, dot, hyphen and underscore.")
    return None


def normalize_email(value: str) -> str:
    return value.strip()


def email_key(value: str) -> str:
    return value.strip().casefold()


def is_id(value: object) -> bool:
    """A row id as the services accept it: a positive int within the database's INTEGER columns.

    Bounded at 2**31: a larger number would make PostgreSQL fail on its integer columns (and SQLite
    overflow at 2**63) instead of finding nothing."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31
