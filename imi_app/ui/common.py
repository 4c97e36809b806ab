"""Helpers shared by the administration states: access values, form reading, paged lists."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import ClassVar

import reflex as rx

from imi_app.core.i18n import N_, gettext
from imi_app.accounts.models import User
from imi_app.core.edges import id_from_text  # noqa: F401 - the states read URL and form ids with it
from imi_app.core.errors import Denied, ServiceError
from imi_app.core.validation import readable, unencodable
from imi_app.ui.base import run

# What an administration page shows: nothing yet, its content, "no access", or "not found".
LOADING, READY, NO_ACCESS, NOT_FOUND = "loading", "ready", "no_access", "not_found"
PAGE_COUNTER = N_("{start}–{end} of {total}")
PAGE_COUNTER_CAPPED = N_("{start}–{end} of more than {cap}")


def form_value(form: object, name: str) -> object:
    """A submitted value as sent (the service validates it); "" when the field is missing, None (not
    valid for every service) for text that cannot be encoded."""
    return readable(form.get(name, "")) if isinstance(form, dict) else ""


def checked(form: object, name: str) -> object:
    """A checkbox: absent means unchecked; "on" means checked; anything else goes to validation."""
    value = form.get(name) if isinstance(form, dict) else None
    if value is None or value is False:
        return False
    return True if value in ("on", True) else value


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


def page_counter(language: str, page: int, page_size: int, total: int, cap: int | None = None) -> str:
    """ "1–25 of 57"; for a total counted only up to `cap`, "201–225 of more than 200" beyond it."""
    if total == 0:
        return ""
    start = (page - 1) * page_size + 1
    if cap is not None and total > cap:
        return gettext(language, PAGE_COUNTER_CAPPED, start=start, end=page * page_size, cap=cap)
    return gettext(language, PAGE_COUNTER, start=start, end=min(page * page_size, total), total=total)


def last_page(total: int, page_size: int) -> int:
    return max(1, (total + page_size - 1) // page_size)


def search_text(value: object) -> str:
    """A list's search box: the text as typed, within the box's length; anything else is no search."""
    return value[:100] if isinstance(value, str) and not unencodable(value) else ""


class SignedInView(rx.State, mixin=True):
    """What a page shows the signed-in user, read again on every event; for a state that also derives
    from AppState. The state defines `_clear()` (forget what is shown) and `async _read(actor)`, which
    asks the domain (`await run(query, actor=actor, …)`) and shows the result; a Denied shows "no access"."""

    access: str = LOADING

    def _clear(self) -> None:
        raise NotImplementedError

    async def _read(self, actor: User) -> None:
        raise NotImplementedError

    async def _load(self):
        """Shows what the user may see; what it returns (a redirect to sign in, or None), the handler returns."""
        actor = await self._actor()
        if actor is None:
            self._clear()
            return self._to_login()
        await self._show_or_refuse(self._read(actor))
        return None

    async def _show_or_refuse(self, reading: Awaitable[None]) -> None:
        """Awaits `reading` (a read that shows its result): ready, or "no access" after a Denied."""
        try:
            await reading
        except Denied:
            self._clear()
            self.access = NO_ACCESS
            return
        self.access = READY

    async def _act(self, fn, **kwargs):
        """An action of the page, taken by the signed-in user; after a refusal the page shows what is
        there now and says why. What it returns (None when done, else the events) the handler returns."""
        actor = await self._actor()
        if actor is None:
            self._clear()
            return self._to_login()
        try:
            await run(fn, actor=actor, **kwargs)
        except ServiceError as error:
            await self._load()
            return self._fail(error)
        return None

    async def _reopen(self):
        """on_load: nothing from before is shown while the user is checked again."""
        self.access = LOADING
        self._clear()
        opened = await self._open_page()
        return opened.events if not opened.ok else await self._load()

    @rx.event
    def leave(self):
        """on_unmount: what the page showed does not stay in the tab's state once the page is left."""
        self._clear()


class PagedList(SignedInView, mixin=True):
    """A list shown a page at a time; the state sets `page_size` to its service's."""

    page_size: ClassVar[int] = 20
    total: int = 0
    page: int = 1

    @rx.var
    def counter(self) -> str:
        return page_counter(self.lang, self.page, self.page_size, self.total)

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        return self.page < last_page(self.total, self.page_size)

    async def _reopen(self):
        self.page = 1
        return await super()._reopen()

    async def _first_page(self):
        """After the search or a filter changed."""
        self.page = 1
        return await self._load()

    @rx.event
    async def next_page(self):
        if self.has_next:
            self.page += 1
        return await self._load()

    @rx.event
    async def previous_page(self):
        self.page = max(1, self.page - 1)
        return await self._load()

