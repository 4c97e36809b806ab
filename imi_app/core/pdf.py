"""The PDF files the app makes (a person's data, the dashboard): A4 pages in DejaVu, which has every letter of
the four languages (ő, ű, ß, é…), with a footer. fpdf2 (with Pillow and fontTools, some 20 MB) is loaded with
the first PDF made, not into every server process at start."""

from __future__ import annotations

from functools import cache
from pathlib import Path

# DejaVu, from the system's fonts (Debian package fonts-dejavu-core).
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts/dejavu"))


def font_dir() -> Path | None:
    return next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").is_file() and (d / "DejaVuSans-Bold.ttf").is_file()),
                None)


@cache
def pdf_class() -> type:
    """The PDF page with its fonts and footer: Pdf(fonts, footer_text, orientation="P" or "L")."""
    from fpdf import FPDF

    class Pdf(FPDF):
        def __init__(self, fonts: Path, footer_text: str, orientation: str = "P") -> None:
            super().__init__(orientation=orientation, format="A4")
            self.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
            self._footer_text = footer_text
            self.set_margins(18, 18, 18)
            self.set_auto_page_break(True, 18)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110)
            self.cell(0, 5, f"{self._footer_text} · {self.page_no()}/{{nb}}", align="C")

    return Pdf


__all__ = ["FONT_DIRS", "font_dir", "pdf_class"]
