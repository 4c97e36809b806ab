"""The dashboard as PDF: a file any reader opens, holding the figures and each authority's row in the reader's
language (read back with pypdf), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from imi_app.core.pdf import font_dir
from imi_app.scoreboard.board import coordinator_dashboard
from imi_app.scoreboard.pdf import dashboard_pdf
from tests.scoreboard.test_indicators import JUNE, NOW, at, history
from tests.support.request_factories import build_world

pytestmark = pytest.mark.skipif(font_dir() is None, reason="the DejaVu fonts (fonts-dejavu-core) are missing")


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\xa0", " "))


def test_the_pdf_holds_the_figures_and_the_authorities_in_the_readers_language(database):
    w = build_world()
    # Ärztekammer Berlin: one of two accepted in time (50 %, red); Landesamt Berlin: its one in time (100 %).
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None))
    history(w, ("sent", at("2026-06-01T08:00"), None))
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None), responder=w.b2)
    board = coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW)
    data = dashboard_pdf(board, "de", NOW)
    assert data is not None and data.startswith(b"%PDF-")
    text = text_of(data)
    assert "Dashboard: DE coordinator" in text
    assert "Zeitraum: 01.06.2026 – 30.06.2026 · Ersuchen: Eingehend · Jeder Rechtsbereich" in text
    assert "Schnelligkeit der Annahme" in text and "Gezählte Ersuchen" in text
    assert "67 %" in text  # the tree: two of three accepted in time
    assert "Ärztekammer Berlin" in text and "Landesamt Berlin" in text
    assert "50 %" in text and "100 %" in text
    assert text.index("Ärztekammer Berlin") < text.index("Landesamt Berlin")  # worst first, as on the screen
    assert "Braucht Aufmerksamkeit 3" in text  # the tree's light as a word, beside the requests counted

    hungarian = text_of(dashboard_pdf(board, "hu", NOW))
    assert "Az elfogadás gyorsasága" in hungarian and "Ärztekammer Berlin" in hungarian
    assert "Schnelligkeit der Annahme" not in hungarian


def test_a_tree_without_requests_in_the_period_still_gives_a_pdf(database):
    w = build_world()
    text = text_of(dashboard_pdf(coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW), "en", NOW))
    assert "Speed in accepting" in text and "No data" in text
    assert "No request of the authorities you coordinate falls in this period." in text
