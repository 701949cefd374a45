"""The platform's PDF toolkit (fpdf2 with embedded Unicode fonts): letters, tariff sheets and reports.

The fonts are DejaVu Sans (free licence in ``fonts/LICENSE``), shipped in the package so that a PDF
renders « », œ, € and the narrow no-break space of French typography on any machine. This module
imports no Django and no app: every app may use it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVu"
# fpdf2 subsets the fonts with fontTools, which logs about a hundred INFO lines per document: warnings only.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class Document(FPDF):
    """An A4 document in DejaVu Sans with a "Page n / N" footer; ``font(size, style)`` sets the text."""

    def __init__(self, *, title: str, compress: bool = True, orientation: str = "portrait") -> None:
        super().__init__(orientation=orientation, format="A4")
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(FONT, "I", FONT_DIR / "DejaVuSans-Oblique.ttf")
        self.set_compression(compress)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)
        self.set_creator("Guichet")

    def font(self, size: float = 10, style: str = "") -> None:
        self.set_font(FONT, style, size)

    def footer(self) -> None:
        self.set_y(-15)
        self.font(8)
        self.cell(0, 10, f"Page {self.page_no()} / {{nb}}", align="C")

    def heading(self, text: str, size: float = 12) -> None:
        self.font(size, "B")
        self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraph(self, text: str, size: float = 10) -> None:
        self.font(size)
        self.multi_cell(0, size * 0.55, text.strip(), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
