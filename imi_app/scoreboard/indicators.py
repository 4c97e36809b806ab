"""The five indicators, their traffic lights and the overall score (docs/INDICATORS.md has the definitions).

Pure functions over counts: the database work is in scoreboard.board.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from imi_app.core.i18n import N_

GREEN, YELLOW, RED, NO_DATA = "green", "yellow", "red", "none"
ABOVE, AVERAGE, BELOW = "above", "average", "below"


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str  # msgid
    unit: str  # "percent" or "days"
    higher_is_better: bool
    green: float  # the bound of green (inclusive when higher is better, exclusive otherwise)
    yellow: float  # the bound of yellow, the same way
    definition: str  # msgid, shown next to the figure


INDICATORS: tuple[Indicator, ...] = (
    Indicator("accepting", N_("Speed in accepting"), "percent", True, 80, 60,
              N_("Share of the incoming requests received in the period that were accepted within 7 days of "
                 "arriving.")),
    Indicator("answering", N_("Speed in answering"), "days", False, 16, 25,
              N_("Average number of days from acceptance to the first answer, over the requests answered in the "
                 "period.")),
    Indicator("agreed_date", N_("Answered by the agreed date"), "percent", True, 80, 60,
              N_("Share of the requests answered in the period, with a reply date agreed at acceptance, that were "
                 "answered by that date.")),
    Indicator("timeliness", N_("Timeliness as rated"), "percent", False, 5, 15,
              N_("Share of negative ratings of the reply's timeliness, over the requests closed and rated in the "
                 "period.")),
    Indicator("efforts", N_("Efforts made as rated"), "percent", False, 5, 15,
              N_("Share of negative ratings of the efforts made, over the requests closed and rated in the "
                 "period.")),
)
BY_KEY = {i.key: i for i in INDICATORS}
LIGHT_POINTS = {GREEN: 1, YELLOW: 0, RED: -1}
VERDICT_LABELS = {ABOVE: N_("Above average"), AVERAGE: N_("Average"), BELOW: N_("Below average"),
                  NO_DATA: N_("No data yet")}
LIGHT_LABELS = {GREEN: N_("Good"), YELLOW: N_("Needs attention"), RED: N_("Poor"), NO_DATA: N_("No data")}


@dataclass(frozen=True)
class Figure:
    """One indicator's value over `basis` requests (None when there were none) and its light."""

    key: str
    value: float | None
    basis: int
    light: str


def shown_value(indicator: Indicator, value: float) -> float:
    """The figure as the screens show it: a percentage to a whole number, days to one decimal (halves up)."""
    scale = 1 if indicator.unit == "percent" else 10
    return math.floor(value * scale + 0.5) / scale


def light(indicator: Indicator, value: float | None) -> str:
    """Green, yellow or red by the scoreboard's thresholds. Percentages are compared rounded to a whole
    number, days to one decimal, as they are shown: a figure shown as 80 % is green, 79 % yellow."""
    if value is None:
        return NO_DATA
    shown = shown_value(indicator, value)
    if indicator.higher_is_better:
        return GREEN if shown >= indicator.green else YELLOW if shown >= indicator.yellow else RED
    if indicator.unit == "days":  # < 16 green, 16 to 25 yellow, > 25 red
        return GREEN if shown < indicator.green else YELLOW if shown <= indicator.yellow else RED
    return GREEN if shown < indicator.green else YELLOW if shown < indicator.yellow else RED


def figure(key: str, part: float, basis: int) -> Figure:
    """A share (part of basis, in percent) or an average (part = sum of days) as the indicator's figure."""
    indicator = BY_KEY[key]
    if basis <= 0:
        return Figure(key, None, 0, NO_DATA)
    value = part / basis if indicator.unit == "days" else 100 * part / basis
    return Figure(key, value, basis, light(indicator, value))


@dataclass(frozen=True)
class Scorecard:
    figures: tuple[Figure, ...]
    score: int  # green +1, yellow 0, red -1, over the indicators that have data
    verdict: str  # ABOVE (score >= 2), AVERAGE (-1 to 1), BELOW (<= -2); NO_DATA without any figure

    @property
    def reds(self) -> int:
        return sum(1 for f in self.figures if f.light == RED)


def scorecard(figures: tuple[Figure, ...]) -> Scorecard:
    lit = [f.light for f in figures if f.light != NO_DATA]
    score = sum(LIGHT_POINTS[lt] for lt in lit)
    verdict = NO_DATA if not lit else ABOVE if score >= 2 else BELOW if score <= -2 else AVERAGE
    return Scorecard(figures, score, verdict)
