"""Linked authorities (the LDA's page) and the linked overview (every user of a linked authority)."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from imi_app.core.i18n import N_, localized
from imi_app.requests.ui.pages import STATUS_LABELS
from imi_app.accounts.models import User
from imi_app.authorities import links
from imi_app.ui.common import PagedList, SignedInView, id_from_text, last_page, page_counter, search_text
from imi_app.ui.base import AppState, run
from imi_app.authorities.ui.coordinator_settings_state import names_in

DIRECTION_LABELS = {links.OUTGOING: N_("Outgoing"), links.INCOMING: N_("Incoming")}


class LinksState(SignedInView, AppState):
    linked: list[dict[str, Any]] = []
    linked_total: int = 0
    linked_page: int = 1
    search: str = ""
    candidates: list[dict[str, Any]] = []
    candidates_total: int = 0
    candidates_page: int = 1
    unlink_open: bool = False
    unlink_target: dict[str, str] = {}

    @rx.var
    def linked_counter(self) -> str:
        return page_counter(self.lang, self.linked_page, links.PAGE_SIZE, self.linked_total)

    @rx.var
    def candidates_counter(self) -> str:
        return page_counter(self.lang, self.candidates_page, links.PAGE_SIZE, self.candidates_total)

    @rx.var
    def linked_has_previous(self) -> bool:
        return self.linked_page > 1

    @rx.var
    def linked_has_next(self) -> bool:
        return self.linked_page < last_page(self.linked_total, links.PAGE_SIZE)

    @rx.var
    def candidates_has_previous(self) -> bool:
        return self.candidates_page > 1

    @rx.var
    def candidates_has_next(self) -> bool:
        return self.candidates_page < last_page(self.candidates_total, links.PAGE_SIZE)

    def _clear(self) -> None:
        self.linked, self.linked_total, self.candidates, self.candidates_total = [], 0, [], 0
        self.unlink_open, self.unlink_target = False, {}

    async def _read(self, actor: User) -> None:
        found: links.LinksPage = await run(links.links_page, actor=actor, linked_page=self.linked_page,
                                           search=self.search, candidates_page=self.candidates_page)
        self.linked_total, self.candidates_total = found.linked_total, found.candidates_total
        fmt = self._formats()
        self.linked = [{"id": str(r.authority_id), "name": r.name, "since": fmt.day(r.linked_at)} for r in found.linked]
        self.candidates = [{"id": str(c.authority_id), "name": c.name, "linked": c.is_linked}
                           for c in found.candidates]

    @rx.event
    async def open_links(self):
        self.linked_page, self.candidates_page, self.search = 1, 1, ""
        return await self._reopen()

    @rx.event
    async def set_search(self, text: str):
        self.search = search_text(text)
        self.candidates_page = 1
        return await self._load()

    @rx.event
    async def next_linked(self):
        if self.linked_has_next:
            self.linked_page += 1
        return await self._load()

    @rx.event
    async def previous_linked(self):
        self.linked_page = max(1, self.linked_page - 1)
        return await self._load()

    @rx.event
    async def next_candidates(self):
        if self.candidates_has_next:
            self.candidates_page += 1
        return await self._load()

    @rx.event
    async def previous_candidates(self):
        self.candidates_page = max(1, self.candidates_page - 1)
        return await self._load()

    @rx.event
    async def link(self, authority_id: str):
        name = next((c["name"] for c in self.candidates if c["id"] == authority_id), "")
        refused = await self._act(links.link, linked_authority_id=id_from_text(authority_id))
        if refused is not None:
            return refused
        await self._load()
        return rx.toast.success(self._tr(N_("{name} is now linked to your authority."), name=name))

    @rx.event
    def ask_unlink(self, authority_id: str):
        row = next((r for r in self.linked if r["id"] == authority_id), None)
        if row is not None:
            self.unlink_target, self.unlink_open = {"id": row["id"], "name": row["name"]}, True

    @rx.event
    def set_unlink_open(self, value: bool):
        self.unlink_open = value is True

    @rx.event
    async def confirm_unlink(self):
        target, self.unlink_open, self.unlink_target = self.unlink_target, False, {}
        if not target:
            return None
        refused = await self._act(links.unlink_authority, linked_authority_id=id_from_text(target["id"]))
        if refused is not None:
            return refused
        self.linked_page = 1
        await self._load()
        return rx.toast.success(self._tr(N_("{name} is no longer linked to your authority."), name=target["name"]))


class LinkedOverviewState(PagedList, AppState):
    page_size: ClassVar[int] = links.PAGE_SIZE
    linking: list[dict[str, str]] = []
    selected: str = ""
    linking_name: str = ""
    by_status: list[dict[str, Any]] = []
    by_area: list[dict[str, Any]] = []
    subjects: list[dict[str, Any]] = []

    def _clear_overview(self) -> None:
        self.linking_name, self.total, self.by_status, self.by_area, self.subjects = "", 0, [], [], []

    def _clear(self) -> None:
        self.linking, self.selected = [], ""
        self._clear_overview()

    def _show(self, overview: links.ExchangeOverview) -> None:
        areas = {a.area_id: names_in(a.area_names, a.area_code, self.lang) for a in overview.by_area}
        self.linking_name, self.total, self.page = overview.authority_name, overview.total, overview.page
        self.by_status = [{"status": s.status, "label": self._tr(STATUS_LABELS.get(s.status, s.status)),
                           "count": s.count} for s in overview.by_status]
        self.by_area = [{"code": a.area_code, "name": areas[a.area_id], "count": a.count} for a in overview.by_area]
        fmt = self._formats()
        self.subjects = [{
            "case_id": s.case_id, "status": s.status,
            "question_set": localized(s.question_set, self.lang) or names_in(s.area_names, s.area_code, self.lang),
            "status_label": self._tr(STATUS_LABELS.get(s.status, s.status)),
            "area": names_in(s.area_names, s.area_code, self.lang),
            "direction": s.direction, "direction_label": self._tr(DIRECTION_LABELS[s.direction]),
            "sent": fmt.day(s.sent_at), "updated": fmt.day(s.updated_at), "deadline": fmt.day(s.deadline),
            "closed": fmt.day(s.closed_at)} for s in overview.subjects]

    async def _read(self, actor: User) -> None:
        found: links.LinkedOverviewPage = await run(links.linked_overview, actor=actor,
                                                    authority_id=id_from_text(self.selected), page=self.page)
        self.linking = [{"id": str(a.authority_id), "name": a.name} for a in found.linking]
        self._clear_overview()
        self.selected, self.page = "", 1
        if found.overview is not None:
            self.selected = str(found.overview.authority_id)
            self._show(found.overview)

    @rx.event
    async def open_overview(self):
        return await self._reopen()

    @rx.event
    async def choose(self, authority_id: str):
        if isinstance(authority_id, str) and authority_id in {a["id"] for a in self.linking}:
            self.selected, self.page = authority_id, 1
        return await self._load()
