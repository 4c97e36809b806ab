"""The dashboard as CSV: the tree's totals and each authority's figures, cells safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from babel.numbers import format_decimal, format_percent

from imi_app.core.i18n import N_, gettext, localized
from imi_app.core.text import safe_cell
from imi_app.scoreboard.board import INCOMING, Dashboard
from imi_app.scoreboard.indicators import BY_KEY, INDICATORS, LIGHT_LABELS, VERDICT_LABELS, Figure, Scorecard, shown_value

SIDE_LABELS = {INCOMING: N_("Incoming"), "outgoing": N_("Outgoing")}
COUNTED = N_("{indicator}: requests counted")
LIGHT = N_("{indicator}: light")


def value_text(f: Figure, language: str) -> str:
    """The figure as the screens and the PDF show it: a percentage to a whole number, days to one decimal."""
    if f.value is None:
        return "–"
    indicator = BY_KEY[f.key]
    shown = shown_value(indicator, f.value)
    if indicator.unit == "percent":
        return format_percent(shown / 100, locale=language)
    return format_decimal(shown, format="#,##0.0", locale=language)


def _figures(card: Scorecard, language: str) -> list[object]:
    cells: list[object] = []
    for f in card.figures:
        cells += ["" if f.value is None else f"{f.value:.1f}", f.basis, gettext(language, LIGHT_LABELS[f.light])]
    return cells + [card.score, gettext(language, VERDICT_LABELS[card.verdict])]


def dashboard_csv(board: Dashboard, language: str) -> str:
    """What the dashboard shows, one row per authority after the row of the whole tree. Values unrounded to one
    decimal (percentages as percent, answering in days); the light and verdict in `language`."""
    area = next((localized(names, language, code) for i, names, code in board.areas if i == board.area_id),
                gettext(language, N_("Every legislative area")))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in (board.coordinator_name, f"{board.period.first} – {board.period.last}",
                                            gettext(language, SIDE_LABELS.get(board.side, board.side)), area)])
    header = [gettext(language, N_("Authority")), gettext(language, N_("Country"))]
    for indicator in INDICATORS:
        title = gettext(language, indicator.title)
        header += [title, gettext(language, COUNTED, indicator=title), gettext(language, LIGHT, indicator=title)]
    writer.writerow(header + [gettext(language, N_("Score")), gettext(language, N_("Overall"))])
    writer.writerow([safe_cell(v) for v in [gettext(language, N_("All authorities shown")), board.country_code,
                                            *_figures(board.total, language)]])
    for row in board.authorities:
        writer.writerow([safe_cell(v) for v in [row.name, row.country_code, *_figures(row.card, language)]])
    return out.getvalue()


__all__ = ["SIDE_LABELS", "dashboard_csv", "value_text"]
