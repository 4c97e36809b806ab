"""The coordinator's dashboard: the period, area and side chosen, and the figures as the page shows them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import reflex as rx
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from imi_app.accounts.models import User
from imi_app.core import routes
from imi_app.core.i18n import N_, gettext, localized
from imi_app.core.settings import get_settings
from imi_app.core.text import fold
from imi_app.core.time import local_date, utcnow
from imi_app.scoreboard.board import (
    AGE_BUCKETS, ANSWER_DAY_BUCKETS, INCOMING, OUTGOING, SIDES, Dashboard, Period, coordinator_dashboard, last_months, own_figures,
)
from imi_app.requests.figure_list import FigureFilter
from imi_app.requests.lifecycle import STATUS_LABELS
from imi_app.scoreboard.export import dashboard_csv, value_text
from imi_app.scoreboard.pdf import NO_FONT, dashboard_pdf
from imi_app.scoreboard.indicators import (
    BY_KEY, INDICATORS, LIGHT_LABELS, NO_DATA, VERDICT_LABELS, Figure, Scorecard, shown_value,
)
from imi_app.ui.base import AppState, run
from imi_app.core.errors import Denied
from imi_app.ui.common import NO_ACCESS, SignedInView, id_from_text

ALL = "all"
PRESETS = {"12m": N_("Last 12 months"), "3m": N_("Last 3 months"), "this_year": N_("This year"),
           "last_year": N_("Last year"), "custom": N_("Chosen dates")}
LONGEST = timedelta(days=5 * 366)  # a chosen period of at most five years
WAITING_HINT = N_("Approvals and referral opinions not given yet. After {days} working days their staff are "
                  "reminded, after {twice} the coordinator above is told.")
VOLUME = "volume"  # the trend's count of requests, beside the five indicators
RECEIVED, SENT = N_("Requests received"), N_("Requests sent")
WAITING_KINDS = {"approval": N_("Approval"), "opinion": N_("Referral opinion")}
SHOW_COUNTED = N_("{indicator}: show the requests counted")
BUCKET_LABELS = (N_("0–7 days"), N_("8–30 days"), N_("31–90 days"), N_("More than 90 days"))
assert len(BUCKET_LABELS) == len(AGE_BUCKETS)
ANSWER_DAY_LABELS = (N_("0–6 days"), N_("7–15 days"), N_("16–25 days"), N_("26–50 days"), N_("More than 50 days"))
assert len(ANSWER_DAY_LABELS) == len(ANSWER_DAY_BUCKETS)


def preset_period(preset: str, today: date) -> Period:
    if preset == "3m":
        return last_months(3, today)
    if preset == "this_year":
        return Period(date(today.year, 1, 1), today)
    if preset == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    return last_months(12, today)


def figure_row(f: Figure, language: str, behind: FigureFilter | None = None) -> dict[str, str]:
    """One figure as the screens show it, in the reader's language, with the light as a word too, and the
    link to the requests it counts (`behind`: the figure's filter; none without any request counted)."""
    indicator = BY_KEY[f.key]
    href = routes.requests_behind(behind.query()) if behind is not None and f.basis > 0 else ""
    return {"key": f.key, "title": gettext(language, indicator.title), "value": value_text(f, language),
            "href": href, "link_label": gettext(language, SHOW_COUNTED, indicator=gettext(language, indicator.title)),
            "light": f.light, "light_label": gettext(language, LIGHT_LABELS[f.light]),
            "basis": gettext(language, "Requests counted: {count}", count=format_decimal(f.basis, locale=language)),
            "definition": gettext(language, indicator.definition)}


class OwnFiguresState(SignedInView, AppState):
    """The own authority's incoming figures of the last 12 months, on its home page."""

    own_cards: list[dict[str, str]] = []
    own_open: str = ""

    def _clear(self) -> None:
        self.own_cards, self.own_open = [], ""

    async def _read(self, actor: User) -> None:
        period = last_months(12, local_date(utcnow(), None))
        card, backlog = await run(own_figures, actor=actor, period=period)
        self.own_cards = [figure_row(f, self.lang, FigureFilter(f.key, period.first, period.last, actor.authority_id))
                          for f in card.figures]
        self.own_open = format_decimal(sum(backlog), locale=self.lang)

    @rx.event
    async def open_figures(self):
        return await self._reopen()


class DashboardState(SignedInView, AppState):
    preset: str = "12m"
    first_day: str = ""
    last_day: str = ""
    area: str = ALL
    side: str = INCOMING
    errors: dict[str, str] = {}
    coordinator: str = ""
    period_text: str = ""
    verdict: str = NO_DATA
    verdict_label: str = ""
    score: str = ""
    cards: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    backlog: list[dict[str, Any]] = []
    answer_days: list[dict[str, Any]] = []  # label, count: indicator 2's requests by whole days to answer
    open_status: list[dict[str, Any]] = []  # label, count: the open requests by status
    waiting: list[dict[str, str]] = []
    waiting_hint: str = ""
    sort_by: str = ""  # "" worst first (the overall score), "name", or an indicator's key
    sort_reversed: bool = False
    sort_columns: list[list[str]] = []  # [key, title, aria-sort] of each sortable column
    _unsorted: list[dict[str, Any]] = []
    _sort_values: dict[str, dict[str, float | None]] = {}  # row id -> indicator key -> value
    trend_key: str = "accepting"
    trend: list[dict[str, Any]] = []  # the chosen indicator month by month: month, value (None: no data), text
    trend_lines: list[int] = []  # the indicator's green and yellow bounds, drawn across the chart
    trend_options: list[list[str]] = []
    _trends: dict[str, list[dict[str, Any]]] = {}
    area_options: list[list[str]] = []

    def _clear(self) -> None:
        self.coordinator = self.period_text = self.score = self.verdict_label = ""
        self.cards, self.rows, self.backlog, self.errors, self.waiting = [], [], [], {}, []
        self.answer_days, self.open_status = [], []
        self.trend, self._trends = [], {}

    def _today(self) -> date:
        return local_date(utcnow(), None)

    def _period(self) -> Period | None:
        if self.preset != "custom":
            period = preset_period(self.preset, self._today())
            self.first_day, self.last_day = period.first.isoformat(), period.last.isoformat()
            return period
        errors: dict[str, str] = {}
        days = {}
        for name in ("first_day", "last_day"):
            try:
                days[name] = date.fromisoformat(getattr(self, name))
            except ValueError:
                errors[name] = self._tr("Enter a date.")
        if not errors and days["first_day"] > days["last_day"]:
            errors["last_day"] = self._tr("The last day cannot be before the first.")
        elif not errors and days["last_day"] - days["first_day"] > LONGEST:
            errors["last_day"] = self._tr("Choose a period of at most five years.")
        self.errors = errors
        return None if errors else Period(days["first_day"], days["last_day"])

    def _card(self, card: Scorecard) -> tuple[str, str, str]:
        return card.verdict, self._tr(VERDICT_LABELS[card.verdict]), f"{card.score:+d}" if card.verdict != NO_DATA \
            else "–"

    def _show(self, board: Dashboard) -> None:
        self.coordinator = board.coordinator_name
        fmt = self._formats()
        self.period_text = f"{fmt.day(board.period.first)} – {fmt.day(board.period.last)}"
        self.verdict, self.verdict_label, self.score = self._card(board.total)
        def behind(key: str, authority_id: int | None) -> FigureFilter:
            return FigureFilter(key, board.period.first, board.period.last, authority_id, board.side, board.area_id)

        self.cards = [figure_row(f, self.lang, behind(f.key, None)) for f in board.total.figures]
        self._unsorted, self._sort_values = [], {}
        for row in board.authorities:
            verdict, label, score = self._card(row.card)
            self._unsorted.append({"id": str(row.authority_id), "name": row.name, "verdict": verdict,
                                   "verdict_label": label, "score": score,
                                   "figures": [figure_row(f, self.lang, behind(f.key, row.authority_id))
                                               for f in row.card.figures]})
            self._sort_values[str(row.authority_id)] = {f.key: f.value for f in row.card.figures}
        self._sort_rows()
        self.backlog = [{"label": self._tr(label), "count": count} for label, count in zip(BUCKET_LABELS, board.backlog)]
        self.answer_days = [{"label": self._tr(label), "count": count}
                            for label, count in zip(ANSWER_DAY_LABELS, board.answer_days)]
        self.open_status = [{"label": self._tr(STATUS_LABELS.get(status, status)), "count": count}
                            for status, count in board.open_by_status]
        self.area_options = [[str(i), localized(names, self.lang, code)] for i, names, code in board.areas]
        self._show_trend(board)
        days = get_settings().escalation_working_days
        self.waiting_hint = self._tr(WAITING_HINT, days=days, twice=2 * days)
        self.waiting = [{"id": str(w.request_id), "case_id": w.case_id, "href": routes.request_page(w.request_id),
                         "coordinator": w.coordinator, "what": self._tr(WAITING_KINDS[w.what]),
                         "since": fmt.day(w.since.date()), "days": format_decimal(w.working_days, locale=self.lang),
                         "escalated": "1" if w.escalated else ""} for w in board.waiting]

    def _sort_rows(self) -> None:
        """The authorities in the order chosen: worst first by default and for each indicator (its worst value
        first, no data last), by name from A; the same column again turns the order round."""
        rows = list(self._unsorted)
        if self.sort_by == "name":
            rows.sort(key=lambda r: fold(r["name"]))
        elif self.sort_by in BY_KEY:
            better_high = BY_KEY[self.sort_by].higher_is_better
            with_data = [r for r in rows if self._sort_values[r["id"]].get(self.sort_by) is not None]
            with_data.sort(key=lambda r: self._sort_values[r["id"]][self.sort_by], reverse=not better_high)
            rows = with_data + [r for r in rows if r not in with_data]
        if self.sort_reversed:
            rows.reverse()
        self.rows = rows
        direction = "descending" if self.sort_reversed else "ascending"
        self.sort_columns = [["name", self._tr(N_("Authority")), direction if self.sort_by == "name" else "none"]] + [
            [i.key, self._tr(i.title), direction if self.sort_by == i.key else "none"] for i in INDICATORS] + [
            ["", self._tr(N_("Overall")), direction if self.sort_by == "" else "none"]]

    @rx.event
    def sort(self, key: str):
        """Sorts what the page holds: nothing is read again."""
        key = key if isinstance(key, str) and (key in BY_KEY or key in ("", "name")) else ""
        self.sort_reversed = not self.sort_reversed if key == self.sort_by else False
        self.sort_by = key
        self._sort_rows()

    def _show_trend(self, board: Dashboard) -> None:
        self._trends = {i.key: [] for i in INDICATORS}
        self._trends[VOLUME] = []
        for (first, card), count in zip(board.trend, board.volume):
            month = format_skeleton("yMMM", first, locale=self.lang)
            self._trends[VOLUME].append({"month": month, "value": count, "text": format_decimal(count, locale=self.lang),
                                         "light": ""})
            for f in card.figures:
                self._trends[f.key].append({
                    "month": month, "value": None if f.value is None else shown_value(BY_KEY[f.key], f.value),
                    "text": value_text(f, self.lang), "light": self._tr(LIGHT_LABELS[f.light])})
        self.trend_options = [[i.key, self._tr(i.title)] for i in INDICATORS] + [
            [VOLUME, self._tr(SENT if board.side == OUTGOING else RECEIVED)]]
        self._pick_trend()

    def _pick_trend(self) -> None:
        self.trend = self._trends.get(self.trend_key, [])
        indicator = BY_KEY.get(self.trend_key)
        self.trend_lines = [int(indicator.green), int(indicator.yellow)] if indicator else [-1, -1]  # off the chart

    @rx.event
    def set_trend(self, key: str):
        """Another indicator's months: from what the page read, nothing asked again."""
        self.trend_key = key if isinstance(key, str) and (key in BY_KEY or key == VOLUME) else "accepting"
        self._pick_trend()

    async def _board(self, actor: User) -> Dashboard | None:
        period = self._period()
        if period is None:
            return None
        return await run(coordinator_dashboard, actor=actor, period=period, side=self.side,
                         area_id=id_from_text(self.area) if self.area != ALL else None)

    async def _read(self, actor: User) -> None:
        board = await self._board(actor)
        if board is not None:
            self._show(board)

    async def _board_again(self):
        """For a download: the board read again with the permissions checked again; else what to answer."""
        actor = await self._actor()
        if actor is None:
            return None, self._to_login()
        try:
            return await self._board(actor), None
        except Denied:
            self.access = NO_ACCESS
            return None, None

    @rx.event
    async def download_csv(self):
        """The figures shown, as CSV."""
        board, answer = await self._board_again()
        if board is None:
            return answer
        text = await run(dashboard_csv, board, self.lang)
        return rx.download(data="\ufeff" + text, filename=f"imi-dashboard-{board.period.first}-{board.period.last}.csv",
                           mime_type="text/csv")

    @rx.event
    async def download_pdf(self):
        """The figures and the authorities' table as PDF in the reader's language."""
        board, answer = await self._board_again()
        if board is None:
            return answer
        data = await run(dashboard_pdf, board, self.lang, utcnow())
        if data is None:
            return rx.toast.error(self._tr(NO_FONT))
        return rx.download(data=data, filename=f"imi-dashboard-{board.period.first}-{board.period.last}.pdf",
                           mime_type="application/pdf")

    @rx.var
    def presets(self) -> list[list[str]]:
        return [[key, self._tr(label)] for key, label in PRESETS.items()]

    @rx.event
    async def open_dashboard(self):
        self.preset, self.area, self.side = "12m", ALL, INCOMING
        return await self._reopen()

    @rx.event
    async def set_preset(self, preset: str):
        self.preset = preset if isinstance(preset, str) and preset in PRESETS else "12m"
        if self.preset == "custom":
            self.errors = {}
            return None  # the dates are chosen, then applied
        return await self._load()

    @rx.event
    async def apply_dates(self, form: dict):
        if not isinstance(form, dict):
            return None
        self.first_day = str(form.get("first_day", ""))[:10]
        self.last_day = str(form.get("last_day", ""))[:10]
        self.preset = "custom"
        return await self._load()

    @rx.event
    async def set_area(self, area: str):
        self.area = area if isinstance(area, str) and area in {o[0] for o in self.area_options} else ALL
        return await self._load()

    @rx.event
    async def set_side(self, side: str | list[str]):
        self.side = side if side in SIDES else INCOMING
        return await self._load()
