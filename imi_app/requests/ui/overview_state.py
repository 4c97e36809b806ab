"""The requests overview: my authority's incoming and outgoing requests with filters, keyset pages and CSV export."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx
from babel.numbers import format_decimal

from imi_app.accounts.models import User
from imi_app.core import routes
from imi_app.core.formats import Formats
from imi_app.core.i18n import N_, country_name, gettext
from imi_app.core.edges import is_id
from imi_app.requests import reads
from imi_app.requests.figure_list import FigureFilter, parse_figure_filter
from imi_app.requests.inputs import parse_date, today
from imi_app.requests.lifecycle import STATUS_LABELS
from imi_app.requests.overview import SORTS, OverviewFilters, OverviewRow
from imi_app.requests.queries import ALL_STATUSES, DIRECTION_LABELS
from imi_app.requests.visibility import DIRECTIONS
from imi_app.ui.base import AppState, run
from imi_app.ui.common import LOADING, NOT_FOUND, READY, SignedInView, id_from_text
from imi_app.requests.ui.request_view import shown_subject
from imi_app.scoreboard.indicators import BY_KEY as INDICATORS_BY_KEY, INDICATORS

ALL = "all"  # the select value for "no filter" (a select item cannot have an empty value)
PAGE_SIZE = 25
SEARCH_MAX = 200
SORT_LABELS = {"deadline": N_("Deadline"), "updated_at": N_("Last change"), "created_at": N_("Created")}
OVERDUE_ONE = N_("Overdue by 1 day")
OVERDUE_MANY = N_("Overdue by {days} days")
DUE_TODAY = N_("Due today")
DUE_IN_ONE = N_("Due tomorrow")
DUE_IN_MANY = N_("Due in {days} days")
PAGE_NUMBER = N_("Page {page}")
BAD_DATE = N_("Enter a valid date (YYYY-MM-DD).")
CSV_FILE = "imi-requests.csv"
# The filter of a scoreboard figure, as its chip says it.
FIGURE_CHIP = N_("Indicator {number} — {title}: {authority}, {side}, {period}")
FIGURE_AREA = N_("{chip}, {area}")
WHOLE_TREE = N_("all authorities of {coordinator}")
SIDES = {"incoming": N_("incoming"), "outgoing": N_("outgoing")}
HANDLED_BY = N_("A request to {authority}")
SENT_BY = N_("A request from {authority}")
COUNTED = N_("Requests counted: {count}")


def due_text(language: str, deadline: date | None, overdue: bool) -> str:
    """"Overdue by N days" for overdue ones, "Due in N days" for the rest; "" without a deadline."""
    if deadline is None:
        return ""
    days = (deadline - today()).days
    if overdue:
        late = max(1, -days)
        return gettext(language, OVERDUE_ONE) if late == 1 else gettext(language, OVERDUE_MANY, days=late)
    if days < 0:
        return ""
    if days == 0:
        return gettext(language, DUE_TODAY)
    return gettext(language, DUE_IN_ONE) if days == 1 else gettext(language, DUE_IN_MANY, days=days)


def _row(row: OverviewRow, language: str, areas: dict[int, str], fmt: Formats) -> dict[str, Any]:
    if row.tree_authority:  # behind a figure, another authority's request: who handles it, not its subject
        subject = gettext(language, HANDLED_BY if row.direction == "incoming" else SENT_BY,
                          authority=row.tree_authority)
    else:
        subject = shown_subject(row.subject, language)
    return {
        "id": row.request_id, "case_id": row.case_id, "subject": subject,
        "status": row.status,
        "status_label": gettext(language, STATUS_LABELS.get(row.status, row.status)),
        "area": areas.get(row.area_id, ""), "direction": row.direction,
        "direction_label": gettext(language, DIRECTION_LABELS.get(row.direction, row.direction)),
        "counterpart": row.counterpart_name,
        "country": country_name(row.counterpart_country, language) if row.counterpart_country else "",
        "created": fmt.day(row.created_at), "updated": fmt.moment(row.updated_at),
        "deadline": fmt.day(row.deadline), "overdue": row.overdue,
        "due_text": due_text(language, row.deadline, row.overdue), "handlers": ", ".join(row.handlers),
        "href": routes.request_page(row.request_id),
    }


def _option(value: object, options: list[list[str]]) -> str | None:
    """The select's value when it is ALL or one of the offered options; None for anything else."""
    if isinstance(value, str) and (value == ALL or any(value == o[0] for o in options)):
        return value
    return None


class OverviewState(SignedInView, AppState):
    rows: list[dict[str, Any]] = []
    status: str = ALL
    area: str = ALL
    direction: str = ALL
    country: str = ALL
    handler: str = ALL
    created_from: str = ""
    created_to: str = ""
    overdue: bool = False
    search: str = ""
    sort: str = "updated_at"
    page: int = 1
    has_next: bool = False
    errors: dict[str, str] = {}
    status_options: list[list[str]] = []  # [value, label in the reader's language]
    area_options: list[list[str]] = []
    direction_options: list[list[str]] = []
    country_options: list[list[str]] = []
    handler_options: list[list[str]] = []
    sort_options: list[list[str]] = []
    figure_chip: str = ""  # the scoreboard figure whose requests are listed ("": the plain overview)
    figure_count: str = ""
    _figure: dict[str, str] = {}  # its address's query parameters (figure_list.FigureFilter.query)
    # The `after` cursor of every page up to the current one ("" is the first page), and the next page's.
    _cursors: list[str] = []
    _next: str = ""

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 1

    @rx.var
    def page_label(self) -> str:
        return gettext(self.lang, PAGE_NUMBER, page=self.page)

    @rx.var
    def filtered(self) -> bool:
        return bool(self.search.strip() or self.overdue or self.created_from or self.created_to
                    or any(v != ALL for v in (self.status, self.area, self.direction, self.country, self.handler)))

    def _clear(self) -> None:
        self.rows, self.has_next, self._next = [], False, ""

    def _filters(self) -> OverviewFilters:
        def chosen(value: str) -> str | None:
            return None if value == ALL else value

        def number(value: str) -> int | None:
            chosen = id_from_text(value)
            return chosen if is_id(chosen) else None  # type: ignore[return-value]

        return OverviewFilters(
            status=chosen(self.status), area_id=number(self.area), direction=chosen(self.direction),
            country=chosen(self.country), created_from=self.created_from or None,
            created_to=self.created_to or None, handler_id=number(self.handler), overdue=self.overdue,
            search=self.search)

    async def _read(self, actor: User) -> None:
        await self._show_screen(actor, with_options=False)

    async def _show_screen(self, actor: User, *, with_options: bool) -> None:
        after = self._cursors[-1] if self._cursors else ""
        wanted = parse_figure_filter(self._figure) if self._figure else None
        if wanted is not None:
            return await self._show_figure(actor, wanted, after)
        screen = await run(reads.overview_screen, actor=actor, filters=self._filters(), sort=self.sort,
                           after=after or None, limit=PAGE_SIZE, language=self.lang, with_options=with_options)
        if screen.options is not None:
            self._show_options(screen.options)
        if screen.page is None:
            self._clear()
            self.errors = {name: self._tr(message) for name, message in screen.errors.items()}
            return
        fmt = self._formats()
        self.rows = [_row(r, self.lang, screen.areas, fmt) for r in screen.page.rows]
        self._next = screen.page.next_cursor or ""
        self.has_next = screen.page.next_cursor is not None
        self.errors = {}

    async def _show_figure(self, actor: User, wanted: FigureFilter, after: str) -> None:
        """The requests behind a scoreboard figure; a Denied (outside the actor's reach) goes to the caller."""
        screen = await run(reads.figure_screen, actor=actor, wanted=wanted, after=after or None, limit=PAGE_SIZE,
                           language=self.lang)
        fmt, behind = self._formats(), screen.figure
        self.rows = [_row(r, self.lang, screen.areas, fmt) for r in behind.page.rows]
        self._next = behind.page.next_cursor or ""
        self.has_next = behind.page.next_cursor is not None
        indicator = INDICATORS_BY_KEY[wanted.indicator]
        chip = self._tr(FIGURE_CHIP, number=INDICATORS.index(indicator) + 1, title=self._tr(indicator.title),
                        authority=self._tr(WHOLE_TREE, coordinator=behind.name) if behind.whole_tree else behind.name,
                        side=self._tr(SIDES[wanted.side]), period=f"{fmt.day(wanted.first)}\u00a0– {fmt.day(wanted.last)}")
        if wanted.area_id is not None:
            chip = self._tr(FIGURE_AREA, chip=chip, area=screen.areas.get(wanted.area_id, ""))
        self.figure_chip = chip
        self.figure_count = self._tr(COUNTED, count=format_decimal(behind.total, locale=self.lang))
        self.errors = {}

    def _show_options(self, options: reads.OverviewOptions) -> None:
        tr = self._tr
        self.status_options = [[s, tr(STATUS_LABELS[s])] for s in ALL_STATUSES]
        self.direction_options = [[d, tr(DIRECTION_LABELS[d])] for d in DIRECTIONS]
        self.sort_options = [[s, tr(SORT_LABELS[s])] for s in SORTS if s in SORT_LABELS]
        self.area_options = sorted(([str(i), name] for i, name in options.areas), key=lambda o: o[1].casefold())
        self.country_options = sorted(([c, country_name(c, self.lang)] for c in options.countries),
                                      key=lambda o: o[1])
        self.handler_options = [[str(i), name] for i, name in options.handlers]

    async def _first_page(self):
        """After a filter, the search or the sort changed: back to the first page."""
        self.page, self._cursors = 1, [""]
        return await self._load()

    @rx.event
    async def open_overview(self):
        """on_load: the filters stay as the user left them (the request page's back link relies on it). An
        address with a scoreboard figure's filter lists the requests behind that figure instead."""
        self.access = LOADING
        self._clear()
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        self.page, self._cursors = 1, [""]
        params = dict(self.router.url.query_parameters)
        wanted = parse_figure_filter(params) if "figure" in params else None
        self._figure = wanted.query() if wanted is not None else {}
        self.figure_chip = self.figure_count = ""
        if "figure" in params:  # the figure's requests only, or why not
            if wanted is None:
                self.access = NOT_FOUND
                return None
            await self._show_or_refuse(self._show_figure(opened.actor, wanted, ""))
            return None
        await self._show_screen(opened.actor, with_options=True)
        # A filter value that is no longer offered (another language, a handler gone) is dropped.
        dropped = False
        for name, options in (("status", self.status_options), ("area", self.area_options),
                              ("direction", self.direction_options), ("country", self.country_options),
                              ("handler", self.handler_options)):
            if _option(getattr(self, name), options) is None:
                setattr(self, name, ALL)
                dropped = True
        if dropped:  # rare: the list again, without it
            await self._show_screen(opened.actor, with_options=False)
        self.access = READY
        return None

    async def _set_choice(self, name: str, value: object, options: list[list[str]]):
        chosen = _option(value, options)
        if chosen is None:  # not one of the offered values: nothing changes
            return None
        setattr(self, name, chosen)
        return await self._first_page()

    @rx.event
    async def set_status(self, value: str):
        return await self._set_choice("status", value, self.status_options)

    @rx.event
    async def set_area(self, value: str):
        return await self._set_choice("area", value, self.area_options)

    @rx.event
    async def set_direction(self, value: str):
        return await self._set_choice("direction", value, self.direction_options)

    @rx.event
    async def set_country(self, value: str):
        return await self._set_choice("country", value, self.country_options)

    @rx.event
    async def set_handler(self, value: str):
        return await self._set_choice("handler", value, self.handler_options)

    @rx.event
    async def set_sort(self, value: str):
        if not isinstance(value, str) or value not in SORT_LABELS:
            return None
        self.sort = value
        return await self._first_page()

    async def _set_date(self, name: str, value: object):
        if not isinstance(value, str):
            return None
        if not parse_date(value.strip())[1]:
            self.errors = {**self.errors, name: self._tr(BAD_DATE)}
            return None
        setattr(self, name, value.strip())
        return await self._first_page()

    @rx.event
    async def set_created_from(self, value: str):
        return await self._set_date("created_from", value)

    @rx.event
    async def set_created_to(self, value: str):
        return await self._set_date("created_to", value)

    @rx.event
    async def set_overdue(self, value: bool):
        if not isinstance(value, bool):
            return None
        self.overdue = value
        return await self._first_page()

    @rx.event
    async def set_search(self, value: str):
        if not isinstance(value, str):
            return None
        self.search = value[:SEARCH_MAX]
        return await self._first_page()

    @rx.event
    async def clear_filters(self):
        self.status = self.area = self.direction = self.country = self.handler = ALL
        self.created_from = self.created_to = self.search = ""
        self.overdue = False
        return await self._first_page()

    @rx.event
    def clear_figure(self):
        """The figure's chip removed: the overview as the user left it."""
        self._figure, self.figure_chip = {}, ""
        return rx.redirect(routes.REQUESTS_OVERVIEW)

    @rx.event
    async def next_page(self):
        if self.has_next and self._next:
            self._cursors = [*(self._cursors or [""]), self._next]
            self.page = len(self._cursors)
        return await self._load()

    @rx.event
    async def previous_page(self):
        if len(self._cursors) > 1:
            self._cursors = self._cursors[:-1]
        self.page = max(1, len(self._cursors))
        return await self._load()

    @rx.event
    async def export_csv(self):
        """The whole list with the current filters, as the CSV file the service writes (no personal data)."""
        if self.access != READY:
            if await self._actor() is None:
                self._clear()
                return self._to_login()
            return None
        outcome = await self._perform(reads.overview_csv, filters=self._filters(), sort=self.sort, language=self.lang)
        if not outcome.ok:
            if outcome.actor is None:
                self._clear()
            return outcome.events
        # The byte order mark lets spreadsheet programs read the accents as UTF-8.
        return rx.download(data="\ufeff" + outcome.value, filename=CSV_FILE, mime_type="text/csv")
