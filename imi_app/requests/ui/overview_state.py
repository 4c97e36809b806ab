"""The requests overview: my authority's incoming and outgoing requests with filters, keyset pages and CSV export."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx
from sqlmodel import Session, select

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import N_, country_name, gettext, localized
from imi_app.authorities.models import Authority, Country, LegislativeArea
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.policy import has_area_role
from imi_app.core.errors import ValidationFailed
from imi_app.requests.export import export_overview_csv
from imi_app.requests.inputs import parse_date, today
from imi_app.requests.queries import ALL_STATUSES, DIRECTION_LABELS, STATUS_LABELS
from imi_app.requests.visibility import DIRECTIONS
from imi_app.requests.overview import SORTS, OverviewFilters, OverviewRow, overview
from imi_app.ui.common import LOADING, READY, SignedInView
from imi_app.ui.base import AppState, run

ALL = "all"  # the select value for "no filter" (a select item cannot have an empty value)
PAGE_SIZE = 25
SEARCH_MAX = 200
MAX_HANDLERS = 500
SORT_LABELS = {"deadline": N_("Deadline"), "updated_at": N_("Last change"), "created_at": N_("Created")}
OVERDUE_ONE = N_("Overdue by 1 day")
OVERDUE_MANY = N_("Overdue by {days} days")
DUE_TODAY = N_("Due today")
DUE_IN_ONE = N_("Due tomorrow")
DUE_IN_MANY = N_("Due in {days} days")
PAGE_NUMBER = N_("Page {page}")
BAD_DATE = N_("Enter a valid date (YYYY-MM-DD).")
CSV_FILE = "imi-requests.csv"


def area_names(session: Session, language: str) -> dict[int, str]:
    """Area id -> name in `language` (the area table is small: one query)."""
    return {a.id: localized(a.names, language, a.code)
            for a in session.exec(select(LegislativeArea)).all()}  # type: ignore[misc]


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


def _row(row: OverviewRow, language: str, areas: dict[int, str]) -> dict[str, Any]:
    return {
        "id": row.request_id, "case_id": row.case_id, "subject": row.subject, "status": row.status,
        "status_label": gettext(language, STATUS_LABELS.get(row.status, row.status)),
        "area": areas.get(row.area_id, ""), "direction": row.direction,
        "direction_label": gettext(language, DIRECTION_LABELS.get(row.direction, row.direction)),
        "counterpart": row.counterpart_name,
        "country": country_name(row.counterpart_country, language) if row.counterpart_country else "",
        "created": row.created_at.date().isoformat() if row.created_at else "",
        "updated": row.updated_at.strftime("%Y-%m-%d %H:%M") if row.updated_at else "",
        "deadline": row.deadline.isoformat() if row.deadline else "", "overdue": row.overdue,
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
    can_create: bool = False  # a request handler in some area: may start a request
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
            return int(value) if value != ALL and value.isdigit() else None

        return OverviewFilters(
            status=chosen(self.status), area_id=number(self.area), direction=chosen(self.direction),
            country=chosen(self.country), created_from=self.created_from or None,
            created_to=self.created_to or None, handler_id=number(self.handler), overdue=self.overdue,
            search=self.search)

    def _read(self, session: Session, user: User) -> None:
        after = self._cursors[-1] if self._cursors else ""
        try:
            result = overview(session, actor=user, filters=self._filters(), sort=self.sort, after=after or None,
                              limit=PAGE_SIZE)
        except ValidationFailed as error:
            self._clear()
            self.errors = self._field_errors(error)
            return
        areas = area_names(session, self.lang)
        self.rows = [_row(r, self.lang, areas) for r in result.rows]
        self._next = result.next_cursor or ""
        self.has_next = result.next_cursor is not None
        self.errors = {}

    def _read_options(self, session: Session, user: User) -> None:
        tr = self._tr
        self.status_options = [[s, tr(STATUS_LABELS[s])] for s in ALL_STATUSES]
        self.direction_options = [[d, tr(DIRECTION_LABELS[d])] for d in DIRECTIONS]
        self.sort_options = [[s, tr(SORT_LABELS[s])] for s in SORTS if s in SORT_LABELS]
        self.area_options = sorted(([str(i), name] for i, name in area_names(session, self.lang).items()),
                                   key=lambda o: o[1].casefold())
        own = session.get(Authority, user.authority_id)
        # The counterpart is always of another country.
        codes = session.exec(select(Country.code).where(Country.code != (own.country_code if own else ""))).all()
        self.country_options = sorted(([c, country_name(c, self.lang)] for c in codes), key=lambda o: o[1])
        handlers = session.exec(select(User.id, User.full_name).join(RoleAssignment, RoleAssignment.user_id == User.id)
                                .where(User.authority_id == user.authority_id, User.is_active,
                                       RoleAssignment.role == Role.REQUEST_HANDLER)
                                .distinct().order_by(User.full_name).limit(MAX_HANDLERS)).all()
        self.handler_options = [[str(i), name] for i, name in handlers]
        self.can_create = has_area_role(session, user, Role.REQUEST_HANDLER)

    async def _first_page(self):
        """After a filter, the search or the sort changed: back to the first page."""
        self.page, self._cursors = 1, [""]
        return await self._load()

    @rx.event
    async def open_overview(self):
        """on_load: the filters stay as the user left them (the request page's back link relies on it)."""
        self.access = LOADING
        self._clear()
        redirect = self.require_user()
        user = None if redirect is not None else self._active_user()
        if user is None:
            return redirect or rx.redirect(routes.LOGIN, replace=True)
        with session_scope() as session:
            self._read_options(session, user)
        # A filter value that is no longer offered (another language, a handler gone) is dropped.
        for name, options in (("status", self.status_options), ("area", self.area_options),
                              ("direction", self.direction_options), ("country", self.country_options),
                              ("handler", self.handler_options)):
            if _option(getattr(self, name), options) is None:
                setattr(self, name, ALL)
        return await self._first_page()

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
        user = self._active_user()
        if user is None:
            self._clear()
            return rx.redirect(routes.LOGIN, replace=True)
        if self.access != READY:
            return None
        try:
            text = await run(_export, user, self._filters(), self.sort, self.lang)
        except ValidationFailed as error:
            self.errors = self._field_errors(error)
            return self._fail(error)
        # The byte order mark lets spreadsheet programs read the accents as UTF-8.
        return rx.download(data="\ufeff" + text, filename=CSV_FILE, mime_type="text/csv")


def _export(user: User, filters: OverviewFilters, sort: str, language: str) -> str:
    with session_scope() as session:
        return export_overview_csv(session, actor=user, filters=filters, sort=sort, language=language)
