"""The home page: the task list (what needs my action now), and who I am and what I may do."""

from __future__ import annotations

import time
from typing import Any

import reflex as rx

from imi_app.accounts.models import Role
from imi_app.core import routes
from imi_app.core.formats import Formats
from imi_app.core.i18n import N_, country_name, gettext
from imi_app.requests.queries import COUNT_CAP, TASK_KINDS, TASK_LABELS, TASK_PAGE, TaskItem, TaskList
from imi_app.requests.reads import TaskBoard, home_page, task_board
from imi_app.requests.ui.overview_state import due_text
from imi_app.ui.base import AppState, run
from imi_app.ui.common import page_counter
from imi_app.requests.ui.request_view import shown_subject

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


def capped(count: int) -> str:
    """A task count as the page shows it: counts stop at COUNT_CAP ("200+")."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


def _task(item: TaskItem, language: str, areas: dict[int, str], fmt: Formats) -> dict[str, Any]:
    return {
        "key": f"{item.kind}-{item.request_id}", "kind": item.kind,
        "action": gettext(language, TASK_ACTIONS.get(item.kind, item.kind)),
        "id": item.request_id, "case_id": item.case_id, "subject": shown_subject(item.subject, language),
        "counterpart": item.counterpart_name,
        "country": country_name(item.counterpart_country, language) if item.counterpart_country else "",
        "area": areas.get(item.area_id, ""), "deadline": fmt.day(item.deadline),
        "overdue": item.overdue, "due_text": due_text(language, item.deadline, item.overdue),
        "href": routes.request_page(item.request_id),
    }


def _card_kinds(board: TaskBoard) -> list[str]:
    """The kinds with a stat card: those that can come the user's way, and any that did."""
    return [kind for kind in TASK_KINDS if kind in board.kinds or board.tasks.counts.get(kind)]


class HomeState(AppState):
    area_roles: list[dict[str, str]] = []
    shown_tasks: list[dict[str, Any]] = []  # one page of them, of the chosen kind
    task_counts: list[dict[str, Any]] = []  # kind, label, count (text): one stat card each
    task_total: str = "0"
    kind_filter: str = ""  # "" shows every kind
    task_page: int = 1
    task_counter: str = ""  # "1–25 of 57"
    tasks_have_next: bool = False
    tasks_loaded: bool = False
    _loaded_at: float = 0.0  # time.monotonic() of the last load, for the minute's refresh

    def _clear_tasks(self) -> None:
        self.shown_tasks, self.task_counts, self.task_total, self.tasks_loaded = [], [], "0", False
        self.task_page, self.task_counter, self.tasks_have_next = 1, "", False

    def _show_tasks(self, board: TaskBoard) -> None:
        result: TaskList = board.tasks
        fmt = self._formats()
        self.shown_tasks = [_task(item, self.lang, board.areas, fmt) for item in result.items]
        self.task_counts = [{"kind": kind, "label": self._tr(TASK_LABELS[kind]),
                             "count": capped(result.counts.get(kind, 0))} for kind in _card_kinds(board)]
        everything = sum(result.counts.values())
        self.task_total = capped(everything)
        self.task_page, self.tasks_have_next = result.page, result.has_next
        self.task_counter = page_counter(self.lang, result.page, result.page_size, result.total, cap=COUNT_CAP)
        self.tasks_loaded, self._loaded_at = True, time.monotonic()

    async def _load_tasks(self, page: int):
        outcome = await self._perform(task_board, language=self.lang, limit=TASK_PAGE, page=page,
                                      kind=self.kind_filter)
        if not outcome.ok:
            self._clear_tasks()
            return outcome.events
        board: TaskBoard = outcome.value
        if self.kind_filter and self.kind_filter not in _card_kinds(board):
            self.kind_filter = ""  # that kind no longer applies to this user: every kind again
            return await self._load_tasks(1)
        self._show_tasks(board)
        return None

    def _gone(self):
        self._clear_tasks()
        return self._to_login()

    @rx.event
    async def open_home(self):
        self._clear_tasks()
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        self.kind_filter = ""
        page = await run(home_page, actor=opened.actor, language=self.lang, limit=TASK_PAGE)
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
        """The refresh button: the page of the list as it is now."""
        return await self._load_tasks(self.task_page)

    @rx.event
    async def next_tasks(self):
        return await self._load_tasks(self.task_page + 1 if self.tasks_have_next else self.task_page)

    @rx.event
    async def previous_tasks(self):
        return await self._load_tasks(max(1, self.task_page - 1))

    @rx.event
    async def filter_kind(self, kind: str):
        """A stat card: shows only that kind; the same card again shows every kind."""
        if await self._actor() is None:
            return self._gone()
        if not (isinstance(kind, str) and (kind == "" or kind in TASK_KINDS)):
            return None
        self.kind_filter = "" if kind == self.kind_filter else kind
        return await self._load_tasks(1)

    @rx.event
    def leave(self):
        """on_unmount: the tasks do not stay in the tab's state once the page is left."""
        self._clear_tasks()
