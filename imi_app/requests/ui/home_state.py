"""The home page: the task list (what needs my action now), and who I am and what I may do."""

from __future__ import annotations

import time
from typing import Any

import reflex as rx

from imi_app.accounts.models import Role
from imi_app.core import routes
from imi_app.core.i18n import N_, country_name, gettext
from imi_app.requests.queries import TASK_KINDS, TASK_LABELS, TaskItem
from imi_app.requests.reads import TaskBoard, home_page, task_board
from imi_app.requests.ui.overview_state import due_text
from imi_app.ui.base import AppState, run

ROLE_LABELS = {
    Role.REQUEST_HANDLER: N_("Request handler"),
    Role.ALLOCATOR: N_("Allocator"),
    Role.DATA_ADMINISTRATOR: N_("Data administrator"),
    Role.APPROVER_REFEREE: N_("Approver-referee"),
}
# What the user does with each kind of task: the row's badge.
TASK_ACTIONS = {
    "accept_incoming": N_("Accept"), "review_answer": N_("Review answer"), "approve_request": N_("Approve request"),
    "approve_answer": N_("Approve answer"), "give_opinion": N_("Give opinion"), "reply_due": N_("Reply"),
}
REFRESH_AFTER = 50.0  # seconds: the page's timer asks every minute
TASK_LIMIT = 200  # the rows loaded; the counts cover all of them
SHOWING = N_("Showing the first {shown} of {total} tasks.")


def _task(item: TaskItem, language: str, areas: dict[int, str]) -> dict[str, Any]:
    return {
        "key": f"{item.kind}-{item.request_id}", "kind": item.kind,
        "action": gettext(language, TASK_ACTIONS.get(item.kind, item.kind)),
        "id": item.request_id, "case_id": item.case_id, "subject": item.subject,
        "counterpart": item.counterpart_name,
        "country": country_name(item.counterpart_country, language) if item.counterpart_country else "",
        "area": areas.get(item.area_id, ""), "deadline": item.deadline.isoformat() if item.deadline else "",
        "overdue": item.overdue, "due_text": due_text(language, item.deadline, item.overdue),
        "href": routes.request_page(item.request_id),
    }


class HomeState(AppState):
    area_roles: list[dict[str, str]] = []
    # Every loaded task stays on the server; the page gets only the rows it shows (one copy each).
    _tasks: list[dict[str, Any]] = []
    shown_tasks: list[dict[str, Any]] = []
    task_counts: list[dict[str, Any]] = []  # kind, label, count: one stat card each
    task_total: int = 0
    kind_filter: str = ""  # "" shows every kind
    tasks_loaded: bool = False
    _loaded_at: float = 0.0  # time.monotonic() of the last load, for the minute's refresh

    def _refilter(self) -> None:
        self.shown_tasks = [t for t in self._tasks if not self.kind_filter or t["kind"] == self.kind_filter]

    @rx.var
    def truncated_note(self) -> str:
        """Says so when more tasks exist than the list holds."""
        shown = len(self.shown_tasks)
        total = next((c["count"] for c in self.task_counts if c["kind"] == self.kind_filter), 0) \
            if self.kind_filter else self.task_total
        return gettext(self.lang, SHOWING, shown=shown, total=total) if total > shown else ""

    def _clear_tasks(self) -> None:
        self._tasks, self.shown_tasks, self.task_counts, self.task_total, self.tasks_loaded = [], [], [], 0, False

    def _show_tasks(self, board: TaskBoard) -> None:
        result = board.tasks
        self._tasks = [_task(item, self.lang, board.areas) for item in result.items]
        self.task_counts = [{"kind": kind, "label": self._tr(TASK_LABELS[kind]), "count": result.counts.get(kind, 0)}
                            for kind in TASK_KINDS if kind in board.kinds or result.counts.get(kind)]
        self.task_total = result.total
        if self.kind_filter and not any(c["kind"] == self.kind_filter for c in self.task_counts):
            self.kind_filter = ""
        self._refilter()
        self.tasks_loaded, self._loaded_at = True, time.monotonic()

    def _gone(self):
        self._clear_tasks()
        return self._to_login()

    @rx.event
    async def open_home(self):
        self._clear_tasks()
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        page = await run(home_page, actor=opened.actor, language=self.lang, limit=TASK_LIMIT)
        self.area_roles = [{"area": area, "roles": ", ".join(
            [self._tr("Basic user")] + [self._tr(ROLE_LABELS[r]) for r in roles if r in ROLE_LABELS])}
            for area, roles in page.area_roles]
        self._show_tasks(page.board)
        return None

    @rx.event
    async def refresh_tasks(self):
        """Every minute while the page is open. The timer also fires when the page mounts, right after the
        page's own load: a list younger than the interval is not read again."""
        if self.tasks_loaded and time.monotonic() - self._loaded_at < REFRESH_AFTER:
            return None
        return await self.reload_tasks()

    @rx.event
    async def reload_tasks(self):
        """The refresh button: the list as it is now."""
        outcome = await self._perform(task_board, language=self.lang, limit=TASK_LIMIT)
        if not outcome.ok:
            self._clear_tasks()
            return outcome.events
        self._show_tasks(outcome.value)
        return None

    @rx.event
    async def filter_kind(self, kind: str):
        """A stat card: shows only that kind; the same card again shows every kind."""
        if await self._actor() is None:
            return self._gone()
        if isinstance(kind, str) and (kind == "" or kind in TASK_KINDS):
            self.kind_filter = "" if kind == self.kind_filter else kind
            self._refilter()
        return None

    @rx.event
    def leave(self):
        """on_unmount: the tasks do not stay in the tab's state once the page is left."""
        self._clear_tasks()
