"""Field checks shared by the services; each returns a gettext msgid or None."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from imi_app.core.i18n import N_

_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{4,64}$")
NOT_VALID = N_("This value is not valid.")


def unencodable(value: object) -> bool:
    """Text, or text in a list or dict, that has no UTF-8 form: a lone surrogate such as "\\ud800".

    JSON carries it from a hand-made event, but no database, page or mail can hold it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(unencodable(key) or unencodable(item) for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(unencodable(item) for item in value)
    return False


def readable(value: object) -> object:
    """A submitted value as the services should get it: None (which every check refuses as not valid)
    for unencodable text, anything else unchanged for the services to check."""
    return None if unencodable(value) else value


# The bidirectional embeddings, overrides and isolates: they make a text read differently from what it holds
# ("Trojan source"). Other format characters stay: the joiners that Persian, Indic scripts and emoji need.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control_chars(value: str, *, allow_newlines: bool = False) -> bool:
    """What cannot be shown safely: control characters (NUL, escapes), lone surrogates, unassigned code points
    and the bidi controls. Everything else is stored as typed and escaped where it is shown."""
    for char in value:
        if allow_newlines and char in "\n\r\t":
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs", "Cn"):
            return True
    return False


def text_problem(value: object, *, required: bool = True, max_length: int = 200,
                 multiline: bool = False) -> str | None:
    if not isinstance(value, str) or unencodable(value):
        return NOT_VALID
    if required and not value.strip():
        return N_("This field is required.")
    if len(value) > max_length:
        return N_("This text is too long.")
    if has_control_chars(value, allow_newlines=multiline):
        return N_("This text contains characters that are not allowed.")
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
