"""Authorities I coordinate: the searchable, filtered list and the queue of registrations awaiting validation."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app import routes
from imi_app.db import session_scope
from imi_app.models import LegislativeArea
from imi_app.services.coordination_views import (
    PAGE_SIZE, STATUSES, CoordinatedRow, all_areas, list_coordinated, pending_queue,
)
from imi_app.services.errors import Denied
from imi_app.states.admin_common import LOADING, NO_ACCESS, READY, id_from_text, last_page, page_counter, utc_text
from imi_app.states.base import AppState
from imi_app.states.home import area_name

ALL = "all"  # the select's value for "no filter" (Radix selects cannot hold an empty value)


def _display(row: CoordinatedRow, names: dict[int, str]) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "status": row.status, "coordinator": row.coordinator,
            "is_coordinator": row.is_coordinator, "areas": ", ".join(names.get(i, "") for i in row.area_ids),
            "registered": utc_text(row.created_at)[:10], "href": routes.coordinated_authority(row.id)}


class CoordinatedListState(AppState):
    access: str = LOADING
    rows: list[dict[str, Any]] = []
    total: int = 0
    page: int = 1
    search: str = ""
    status: str = ALL
    area: str = ALL
    area_options: list[list[str]] = []
    queue: list[dict[str, Any]] = []
    queue_count: int = 0

    @rx.var
    def counter(self) -> str:
        return page_counter(self.lang, self.page, PAGE_SIZE, self.total)

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        return self.page < last_page(self.total, PAGE_SIZE)

    @rx.var
    def filtered(self) -> bool:
        return self.search != "" or self.status != ALL or self.area != ALL

    def _clear(self) -> None:
        self.rows, self.total, self.queue, self.queue_count = [], 0, [], 0

    def _load(self):
        user = self.active_user()
        if user is None:
            self._clear()
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                areas: list[LegislativeArea] = all_areas(session)
                rows, total = list_coordinated(session, actor=user, search=self.search, page=self.page,
                                               status=self.status if self.status in STATUSES else "",
                                               area_id=id_from_text(self.area))
                queue, waiting = pending_queue(session, actor=user)
        except Denied:
            self._clear()
            self.access = NO_ACCESS
            return None
        names = {a.id: area_name(a, self.lang) for a in areas}
        self.area_options = [[str(a.id), names[a.id]] for a in areas]
        self.rows, self.total = [_display(r, names) for r in rows], total
        self.queue, self.queue_count = [_display(r, names) for r in queue], waiting
        self.access = READY
        return None

    @rx.event
    def open_list(self):
        self.access, self.page, self.search, self.status, self.area = LOADING, 1, "", ALL, ALL
        self._clear()
        redirect = self.require_user()
        return redirect if redirect is not None else self._load()

    @rx.event
    def set_search(self, text: str):
        self.search = text[:100] if isinstance(text, str) else ""
        self.page = 1
        return self._load()

    @rx.event
    def set_status(self, status: str):
        self.status = status if isinstance(status, str) and status in STATUSES else ALL
        self.page = 1
        return self._load()

    @rx.event
    def set_area(self, area: str):
        self.area = area if isinstance(area, str) and area in {o[0] for o in self.area_options} else ALL
        self.page = 1
        return self._load()

    @rx.event
    def show_pending(self):
        self.search, self.status, self.area, self.page = "", "pending", ALL, 1
        return self._load()

    @rx.event
    def clear_filters(self):
        self.search, self.status, self.area, self.page = "", ALL, ALL, 1
        return self._load()

    @rx.event
    def next_page(self):
        if self.has_next:
            self.page += 1
        return self._load()

    @rx.event
    def previous_page(self):
        self.page = max(1, self.page - 1)
        return self._load()

    @rx.event
    def leave(self):
        """on_unmount: the list does not stay in the tab's state once the page is left."""
        self._clear()
