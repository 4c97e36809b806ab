"""The dashboard as PDF, in the reader's language: what was chosen (period, side, area), the overall verdict, the
five indicators with their lights and definitions, and each authority's figures, worst first."""

from __future__ import annotations

from datetime import datetime

from babel.numbers import format_decimal

from imi_app.core.formats import Formats
from imi_app.core.i18n import N_, gettext, localized
from imi_app.core.pdf import font_dir, pdf_class
from imi_app.scoreboard.board import Dashboard
from imi_app.scoreboard.export import SIDE_LABELS, value_text
from imi_app.scoreboard.indicators import BY_KEY, INDICATORS, LIGHT_LABELS, NO_DATA, VERDICT_LABELS, Scorecard

NO_FONT = N_("The PDF cannot be made on this server: its DejaVu fonts are missing (Debian package "
             "fonts-dejavu-core). The CSV file holds the same figures.")
TITLE = N_("Dashboard: {coordinator}")
MADE = N_("Made on {moment}")
CHOSEN = N_("Period: {period} · Requests: {side} · {area}")


def _score(card: Scorecard) -> str:
    return f"{card.score:+d}" if card.verdict != NO_DATA else "–"


def dashboard_pdf(board: Dashboard, language: str, made_at: datetime) -> bytes | None:
    """The PDF file; None when the server has no DejaVu fonts (NO_FONT says so)."""
    fonts = font_dir()
    if fonts is None:
        return None

    def tr(text: str, **values: object) -> str:
        return gettext(language, text, **values)

    fmt = Formats(language)
    area = next((localized(names, language, code) for i, names, code in board.areas if i == board.area_id),
                tr(N_("Every legislative area")))
    pdf = pdf_class()(fonts, tr(TITLE, coordinator=board.coordinator_name), "L")
    pdf.set_title(tr(TITLE, coordinator=board.coordinator_name))
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, tr(TITLE, coordinator=board.coordinator_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    period = f"{fmt.day(board.period.first)} – {fmt.day(board.period.last)}"
    pdf.multi_cell(0, 6, tr(CHOSEN, period=period, side=tr(SIDE_LABELS.get(board.side, board.side)), area=area),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(110)
    pdf.multi_cell(0, 5, tr(MADE, moment=fmt.moment(made_at)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, f"{tr(N_('Overall'))}: {tr(VERDICT_LABELS[board.total.verdict])} "
                         f"({tr(N_('Score'))} {_score(board.total)})", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(col_widths=(58, 24, 40, 28, 111), text_align=("LEFT", "RIGHT", "LEFT", "RIGHT", "LEFT"),
                   line_height=5.5) as table:
        heading = table.row()
        for text in (N_("Indicator"), N_("Value"), N_("Light"), N_("Requests counted"), N_("Definition")):
            heading.cell(tr(text))
        for f in board.total.figures:
            indicator = BY_KEY[f.key]
            row = table.row()
            row.cell(tr(indicator.title))
            row.cell(value_text(f, language))
            row.cell(tr(LIGHT_LABELS[f.light]))
            row.cell(format_decimal(f.basis, locale=language))
            row.cell(tr(indicator.definition))
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, tr(N_("Authorities, worst first")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    if not board.authorities:
        pdf.multi_cell(0, 6, tr(N_("No request of the authorities you coordinate falls in this period.")))
        return bytes(pdf.output())
    with pdf.table(col_widths=(66, 30, 30, 30, 30, 30, 45), line_height=4.5,
                   text_align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT")) as table:
        heading = table.row()
        for text in (N_("Authority"), *(i.title for i in INDICATORS), N_("Overall")):
            heading.cell(tr(text))
        for authority in board.authorities:
            row = table.row()
            row.cell(authority.name)
            for f in authority.card.figures:
                row.cell(f"{value_text(f, language)}\n{tr(LIGHT_LABELS[f.light])}")
            row.cell(f"{_score(authority.card)}\n{tr(VERDICT_LABELS[authority.card.verdict])}")
    return bytes(pdf.output())


__all__ = ["NO_FONT", "dashboard_pdf"]
