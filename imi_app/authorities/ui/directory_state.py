"""The directory screens: the search (filters kept while the user looks at entries) and one entry."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import unquote

import reflex as rx

from imi_app.core import routes
from imi_app.core.i18n import N_, gettext
from imi_app.accounts.models import User
from imi_app.authorities.directory import (
    MAX_SEARCH_LENGTH, PAGE_SIZE, DirectoryEntry, DirectoryPage, DirectoryRow, directory_entry, directory_filters,
    directory_page,
)
from imi_app.core.errors import Denied, ValidationFailed
from imi_app.ui.common import LOADING, NO_ACCESS, NOT_FOUND, READY, PagedList, id_from_text
from imi_app.ui.base import AppState, run

ALL = "all"  # the select value for "no filter" (a select item cannot have an empty value)
SORTS = ("name", "country")
RESULT_COUNT = N_("Authorities found: {total}")


def _text(value: object) -> str:
    # Longer input is kept as typed (up to a bound) so that the service can say what is wrong with it.
    return value[:MAX_SEARCH_LENGTH + 1] if isinstance(value, str) else ""


def _row(row: DirectoryRow) -> dict[str, Any]:
    return {"id": row.id, "name": row.official_name, "other_name": row.other_name, "country": row.country_name,
            "country_code": row.country_code, "areas": list(row.areas), "coordinator": row.is_coordinator,
            "href": routes.directory_entry(row.id)}


class DirectoryState(PagedList, AppState):
    page_size: ClassVar[int] = PAGE_SIZE
    rows: list[dict[str, Any]] = []
    text: str = ""
    country: str = ALL
    area: str = ALL
    keyword: str = ""
    sort: str = "name"
    errors: dict[str, str] = {}
    countries: list[list[str]] = []  # [code, name in the reader's language]
    areas: list[list[str]] = []  # [id, name in the reader's language]

    @rx.var
    def result_count(self) -> str:
        return gettext(self.lang, RESULT_COUNT, total=self.total)

    @rx.var
    def filtered(self) -> bool:
        return bool(self.text.strip() or self.keyword.strip() or self.country != ALL or self.area != ALL)

    def _clear(self) -> None:
        self.rows, self.total = [], 0

    async def _read(self, actor: User) -> None:
        """One page of the directory; refused filters are shown beside their fields (a Denied: no access)."""
        try:
            found: DirectoryPage = await run(
                directory_page, actor=actor, text=self.text, keyword=self.keyword, sort=self.sort, page=self.page,
                country=None if self.country == ALL else self.country,
                area_id=None if self.area == ALL else id_from_text(self.area), language=self.lang)
        except ValidationFailed as error:
            self._clear()
            self.errors = self._field_errors(error)
            return
        self.page = found.page
        self.rows, self.total, self.errors = [_row(r) for r in found.rows], found.total, {}

    @rx.event
    async def open_directory(self):
        """on_load: the filters stay as the user left them (the entry's back link relies on it)."""
        opened = await self._open_page()
        if not opened.ok:
            self._clear()
            return opened.events
        await self._show_or_refuse(self._read_with_filters(opened.actor))
        return None

    async def _read_with_filters(self, actor: User) -> None:
        countries, areas = await run(directory_filters, actor=actor, language=self.lang)
        self.countries = [[code, name] for code, name in countries]
        self.areas = [[str(area_id), name] for area_id, name in areas]
        await self._read(actor)

    @rx.event
    async def set_text(self, value: str):
        self.text = _text(value)
        return await self._first_page()

    @rx.event
    async def set_keyword(self, value: str):
        self.keyword = _text(value)
        return await self._first_page()

    @rx.event
    async def set_country(self, value: str):
        self.country = value if isinstance(value, str) and len(value) <= 3 else ALL
        return await self._first_page()

    @rx.event
    async def set_area(self, value: str):
        self.area = value if isinstance(value, str) and len(value) <= 12 else ALL
        return await self._first_page()

    @rx.event
    async def set_sort(self, value: str):
        self.sort = value if value in SORTS else "name"
        return await self._first_page()

    @rx.event
    async def clear_filters(self):
        self.text, self.keyword, self.country, self.area, self.sort = "", "", ALL, ALL, "name"
        return await self._first_page()


def _entry(entry: DirectoryEntry) -> dict[str, Any]:
    coordinator = entry.coordinator
    return {
        "id": entry.id, "name": entry.official_name, "country": entry.country_name,
        "country_code": entry.country_code, "address": entry.address, "email": entry.contact_email,
        "phone": entry.phone, "languages": ", ".join(entry.languages), "is_coordinator": entry.is_coordinator,
        "has_coordinator": coordinator is not None,
        "coordinator_name": coordinator.name if coordinator else "",
        "coordinator_email": coordinator.contact_email if coordinator else "",
        "coordinator_href": routes.directory_entry(coordinator.id) if coordinator else "",
    }


class DirectoryEntryState(AppState):
    access: str = LOADING
    entry: dict[str, Any] = {}
    entry_areas: list[dict[str, Any]] = []  # name, keywords (list)
    other_names: list[dict[str, str]] = []  # language_name, name

    def _reset_entry(self) -> None:
        self.access, self.entry, self.entry_areas, self.other_names = LOADING, {}, [], []

    def _route_id(self) -> object:
        # The last segment of /directory/[authority_id].
        return id_from_text(unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]))

    @rx.event
    async def open_entry(self):
        self._reset_entry()
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        try:
            entry: DirectoryEntry = await run(directory_entry, actor=opened.actor, authority_id=self._route_id(),
                                              language=self.lang)
        except Denied:
            self.access = NOT_FOUND
            return None
        self.entry = _entry(entry)
        self.entry_areas = [{"name": a.name, "code": a.code, "keywords": list(a.keywords)} for a in entry.areas]
        self.other_names = [{"language": n.language_name, "name": n.name} for n in entry.other_names]
        self.access = READY
        return None
