"""Helpers shared by the administration states: access values, form reading, page counters."""

from __future__ import annotations

from datetime import datetime

from imi_app.i18n import N_, gettext

# What an administration page shows: nothing yet, its content, "no access", or "not found".
LOADING, READY, NO_ACCESS, NOT_FOUND = "loading", "ready", "no_access", "not_found"
PAGE_COUNTER = N_("{start}–{end} of {total}")


def form_value(form: object, name: str) -> object:
    """A submitted value as sent (the service validates it); "" when the field is missing."""
    return form.get(name, "") if isinstance(form, dict) else ""


def checked(form: object, name: str) -> object:
    """A checkbox: absent means unchecked; "on" means checked; anything else goes to validation."""
    value = form.get(name) if isinstance(form, dict) else None
    if value is None or value is False:
        return False
    return True if value in ("on", True) else value


def id_from_text(value: object) -> object:
    """An id from a URL or a form as int when it is one; otherwise unchanged, for the service to refuse."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return value


def roles_from_form(form: object) -> dict[object, list[str]]:
    """Checked "role:<area id>:<role>" boxes as {area id: [roles]}; the service checks both parts."""
    roles: dict[object, list[str]] = {}
    if not isinstance(form, dict):
        return roles
    for key, value in form.items():
        parts = key.split(":") if isinstance(key, str) else []
        if len(parts) == 3 and parts[0] == "role" and value in ("on", True):
            roles.setdefault(id_from_text(parts[1]), []).append(parts[2])
    return roles


def page_counter(language: str, page: int, page_size: int, total: int) -> str:
    if total == 0:
        return ""
    start = (page - 1) * page_size + 1
    return gettext(language, PAGE_COUNTER, start=start, end=min(page * page_size, total), total=total)


def last_page(total: int, page_size: int) -> int:
    return max(1, (total + page_size - 1) // page_size)


def utc_text(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""
