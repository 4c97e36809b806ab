"""Authorities I coordinate: the searchable, filtered list and the queue of registrations awaiting validation."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from imi_app.core.formats import Formats
from imi_app.core import routes
from imi_app.accounts.models import User
from imi_app.authorities.coordination_views import (
    PAGE_SIZE, STATUSES, CoordinatedPage, CoordinatedRow, coordinated_page,
)
from imi_app.ui.common import PagedList, id_from_text, search_text
from imi_app.ui.base import AppState, run

ALL = "all"  # the select's value for "no filter" (Radix selects cannot hold an empty value)


def _display(row: CoordinatedRow, names: dict[int, str], fmt: Formats) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "status": row.status, "coordinator": row.coordinator,
            "is_coordinator": row.is_coordinator, "areas": ", ".join(names.get(i, "") for i in row.area_ids),
            "registered": fmt.day(row.created_at), "href": routes.coordinated_authority(row.id)}


class CoordinatedListState(PagedList, AppState):
    page_size: ClassVar[int] = PAGE_SIZE
    rows: list[dict[str, Any]] = []
    search: str = ""
    status: str = ALL
    area: str = ALL
    area_options: list[list[str]] = []
    queue: list[dict[str, Any]] = []
    queue_count: int = 0

    @rx.var
    def filtered(self) -> bool:
        return self.search != "" or self.status != ALL or self.area != ALL

    def _clear(self) -> None:
        self.rows, self.total, self.queue, self.queue_count = [], 0, [], 0

    async def _read(self, actor: User) -> None:
        found: CoordinatedPage = await run(
            coordinated_page, actor=actor, search=self.search, page=self.page,
            status=self.status if self.status in STATUSES else "", area_id=id_from_text(self.area))
        names = {a.id: a.name_in(self.lang) for a in found.areas}
        self.area_options = [[str(a.id), names[a.id]] for a in found.areas]
        fmt = self._formats()
        self.rows, self.total = [_display(r, names, fmt) for r in found.rows], found.total
        self.queue, self.queue_count = [_display(r, names, fmt) for r in found.queue], found.waiting

    @rx.event
    async def open_list(self):
        self.search, self.status, self.area = "", ALL, ALL
        return await self._reopen()

    @rx.event
    async def set_search(self, text: str):
        self.search = search_text(text)
        return await self._first_page()

    @rx.event
    async def set_status(self, status: str):
        self.status = status if isinstance(status, str) and status in STATUSES else ALL
        return await self._first_page()

    @rx.event
    async def set_area(self, area: str):
        self.area = area if isinstance(area, str) and area in {o[0] for o in self.area_options} else ALL
        return await self._first_page()

    @rx.event
    async def show_pending(self):
        self.search, self.status, self.area = "", "pending", ALL
        return await self._first_page()

    @rx.event
    async def clear_filters(self):
        self.search, self.status, self.area = "", ALL, ALL
        return await self._first_page()
