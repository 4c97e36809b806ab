"""The one id check: a row id as the services accept it, and as a URL or a form sends it."""

from __future__ import annotations

MAX_ID = 2**31  # PostgreSQL's INTEGER columns; SQLite's would overflow at 2**63 instead of finding nothing


def is_id(value: object) -> bool:
    """A row id: a positive int (not a bool) within the database's INTEGER columns."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_ID


def id_from_text(value: object) -> object:
    """An id from a URL or a form as int when it is one's digits; otherwise unchanged, for the service to
    refuse by its own rule (an attacker's probe is audited, a stale link shows "not found")."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return value
