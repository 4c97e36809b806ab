"""The audit screen: the filters typed, the page of entries shown, the entry opened, the CSV download.
Every handler reads again as the signed-in user, so the server checks the permission each time."""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from imi_app.accounts.models import User
from imi_app.audit_trail.trail import (
    PAGE_SIZE, AuditDetail, AuditFilters, AuditRow, audit_entry, audit_page, export_audit_csv, parse_filters,
)
from imi_app.core.errors import Denied, ValidationFailed
from imi_app.core.i18n import N_
from imi_app.ui.base import AppState, run
from imi_app.ui.common import NO_ACCESS, SignedInView, id_from_text

ALL = "all"
CSV_FILE = "imi-audit-log.csv"
FILTER_NAMES = ("actor", "action", "object_type", "object_id", "case_id", "first_day", "last_day")
NO_ENTRY = N_("Not found, or you do not have access to it.")
FILTERS_REFUSED = N_("Check the filters.")
PAGE_TEXT = N_("Page {page}")


def _shown(row: AuditRow) -> dict[str, str]:
    return {"id": str(row.id), "time": row.at.strftime("%Y-%m-%d %H:%M"), "user": row.username or "–",
            "authority": row.authority or "–", "action": row.action,
            "object": f"{row.object_type} {row.object_id}".strip() or "–"}


def _data(value: dict | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, default=str)


class AuditState(SignedInView, AppState):
    actor_filter: str = ""
    action_filter: str = ALL
    object_type_filter: str = ALL
    object_id_filter: str = ""
    case_filter: str = ""
    first_day: str = ""
    last_day: str = ""
    errors: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    actions: list[list[str]] = []
    object_types: list[list[str]] = []
    has_next: bool = False
    page: int = 1
    entry: dict[str, str] = {}
    entry_open: bool = False
    page_key: int = 0  # a new key redraws the filter form with the values above (after "clear")
    _applied: AuditFilters = AuditFilters()
    _cursors: list[Any] = []  # the cursor of each page shown so far: None for the first
    _next: int | None = None

    def _clear(self) -> None:
        self.rows, self.actions, self.object_types, self.entry = [], [], [], {}
        self.has_next, self.entry_open, self.page = False, False, 1
        self._cursors, self._next = [], None

    def _typed(self) -> dict[str, object]:
        return {"actor": self.actor_filter, "action": "" if self.action_filter == ALL else self.action_filter,
                "object_type": "" if self.object_type_filter == ALL else self.object_type_filter,
                "object_id": self.object_id_filter, "case_id": self.case_filter,
                "first_day": self.first_day, "last_day": self.last_day}

    async def _read(self, actor: User) -> None:
        cursor = self._cursors[-1] if self._cursors else None
        found = await run(audit_page, actor=actor, filters=self._applied, after=cursor, limit=PAGE_SIZE)
        self.rows = [_shown(r) for r in found.rows]
        self.actions = [[a, a] for a in found.actions]
        self.object_types = [[t, t] for t in found.object_types]
        self._next, self.has_next = found.next_cursor, found.next_cursor is not None
        self.page = max(1, len(self._cursors))

    @rx.var
    def page_text(self) -> str:
        return self._tr(PAGE_TEXT, page=self.page) if self.rows else ""

    def _reset_filters(self) -> None:
        self.actor_filter = self.object_id_filter = self.case_filter = self.first_day = self.last_day = ""
        self.action_filter = self.object_type_filter = ALL
        self.errors, self._applied = {}, AuditFilters()
        self._cursors = [None]
        self.page_key += 1

    @rx.event
    async def open_audit(self):
        self._reset_filters()
        return await self._reopen()

    @rx.event
    async def apply_filters(self, form: dict):
        """The filters typed in the form: checked by the service; a bad value is named beside its field and
        the list stays as it was."""
        if isinstance(form, dict):
            self.actor_filter = str(form.get("actor", ""))[:100]
            self.object_id_filter = str(form.get("object_id", ""))[:100]
            self.case_filter = str(form.get("case_id", ""))[:100]
            self.first_day = str(form.get("first_day", ""))[:20]
            self.last_day = str(form.get("last_day", ""))[:20]
        try:
            filters = parse_filters(self._typed())
        except ValidationFailed as error:
            self.errors = self._field_errors(error)
            return rx.toast.error(self._tr(FILTERS_REFUSED))
        self.errors, self._applied, self._cursors = {}, filters, [None]
        return await self._load()

    @rx.event
    async def set_action_filter(self, value: str):
        self.action_filter = value if isinstance(value, str) and len(value) <= 60 else ALL

    @rx.event
    async def set_object_type_filter(self, value: str):
        self.object_type_filter = value if isinstance(value, str) and len(value) <= 40 else ALL

    @rx.event
    async def clear_filters(self):
        self._reset_filters()
        return await self._load()

    @rx.event
    async def next_page(self):
        if self._next is None:
            return None
        self._cursors = [*self._cursors, self._next]
        return await self._load()

    @rx.event
    async def previous_page(self):
        if len(self._cursors) <= 1:
            return None
        self._cursors = self._cursors[:-1]
        return await self._load()

    @rx.event
    async def open_entry(self, entry_id: str):
        """One entry in full, read again with the permission checked again."""
        self.entry, self.entry_open = {}, False
        actor = await self._actor()
        if actor is None:
            self._clear()
            return self._to_login()
        try:
            detail: AuditDetail = await run(audit_entry, actor=actor, entry_id=id_from_text(entry_id))
        except Denied:
            return rx.toast.error(self._tr(NO_ENTRY))
        self.entry = {**_shown(detail.row), "before": _data(detail.before), "after": _data(detail.after),
                      "hash": detail.chain_hash, "object_type": detail.row.object_type,
                      "object_id": detail.row.object_id}
        self.entry_open = True
        return None

    @rx.event
    def close_entry(self, open_: bool = False):
        if not open_:
            self.entry, self.entry_open = {}, False

    @rx.event
    async def download_csv(self):
        """The filtered list as CSV, read again with the permissions checked again."""
        actor = await self._actor()
        if actor is None:
            self._clear()
            return self._to_login()
        try:
            text = await run(export_audit_csv, actor=actor, filters=self._applied, language=self.lang)
        except Denied:
            self._clear()
            self.access = NO_ACCESS
            return None
        return rx.download(data="\ufeff" + text, filename=CSV_FILE, mime_type="text/csv")
