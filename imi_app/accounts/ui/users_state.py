"""The list of the users of my authority: search, pages, status (the LDA's username look-up)."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from imi_app.core import routes
from imi_app.accounts.models import User
from imi_app.accounts.users import PAGE_SIZE, UserRow, user_status, list_users
from imi_app.ui.common import PagedList, search_text
from imi_app.ui.base import AppState, run


def _display(row: UserRow) -> dict[str, Any]:
    return {"id": row.id, "name": row.full_name, "username": row.username, "email": row.email,
            "status": user_status(row), "lda": row.is_lda, "href": routes.admin_user(row.id)}


class UsersState(PagedList, AppState):
    page_size: ClassVar[int] = PAGE_SIZE
    users: list[dict[str, Any]] = []
    search: str = ""

    def _clear(self) -> None:
        self.users, self.total = [], 0

    async def _read(self, actor: User) -> None:
        rows, self.total = await run(list_users, actor=actor, search=self.search, page=self.page)
        self.users = [_display(r) for r in rows]

    @rx.event
    async def open_users(self):
        self.search = ""
        return await self._reopen()

    @rx.event
    async def set_search(self, text: str):
        self.search = search_text(text)
        return await self._first_page()
