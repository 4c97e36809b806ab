"""The list of the users of my authority: search, pages, status (the LDA's username look-up)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app import routes
from imi_app.db import session_scope
from imi_app.services.errors import Denied
from imi_app.services.users import PAGE_SIZE, UserRow, list_users
from imi_app.states.admin_common import LOADING, NO_ACCESS, READY, last_page, page_counter
from imi_app.states.base import AppState


def user_status(row: UserRow) -> str:
    if not row.is_active:
        return "disabled"
    if row.is_blocked:
        return "blocked"
    return "setup" if row.must_set_up else "active"


def _display(row: UserRow) -> dict[str, Any]:
    return {"id": row.id, "name": row.full_name, "username": row.username, "email": row.email,
            "status": user_status(row), "lda": row.is_lda, "href": routes.admin_user(row.id)}


class UsersState(AppState):
    access: str = LOADING
    users: list[dict[str, Any]] = []
    total: int = 0
    page: int = 1
    search: str = ""

    @rx.var
    def counter(self) -> str:
        return page_counter(self.lang, self.page, PAGE_SIZE, self.total)

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        return self.page < last_page(self.total, PAGE_SIZE)

    def _clear(self) -> None:
        self.users, self.total = [], 0

    def _load(self):
        user = self.active_user()
        if user is None:
            self._clear()
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                rows, total = list_users(session, actor=user, search=self.search, page=self.page)
        except Denied:
            self._clear()
            self.access = NO_ACCESS
            return None
        self.users, self.total, self.access = [_display(r) for r in rows], total, READY
        return None

    @rx.event
    def open_users(self):
        self.access, self.page, self.search = LOADING, 1, ""
        self._clear()
        redirect = self.require_user()
        return redirect if redirect is not None else self._load()

    @rx.event
    def set_search(self, text: str):
        self.search = text[:100] if isinstance(text, str) else ""
        self.page = 1
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
