"""A reportlab canvas with the report's page furniture: orientation, running header, page numbers."""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from etl.sample import fonts

rl_config.invariant = 1  # no time stamps or random ids: same input, same bytes


class Doc:
    def __init__(self, title: str, running_header: str | None, page_number_style: str | None):
        fonts.register()
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("")
        self.c.setCreator("juesuan sample")
        self.c.setProducer("juesuan sample")
        self.running_header = running_header
        self.page_number_style = page_number_style
        self.page = 1
        self.landscape = False
        self.started = False
        self.cover = True  # no furniture on the cover
        self.wrap_anywhere = False  # narrative lines break at any character, inside numbers too (render_narrative)
        self.wraps: list[tuple[str, str]] = []  # with wrap_anywhere: (line's end, next line's start) of each break

    @property
    def size(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else A4

    def new_page(self, landscape_page: bool = False) -> None:
        """Finish the current page (if any was drawn on) and start one in the given orientation."""
        if self.started:
            self._furniture()
            self.c.showPage()
            self.page += 1
            self.cover = False
        self.started = True
        self.landscape = landscape_page
        self.c.setPageSize(self.size)

    def _furniture(self) -> None:
        if self.cover:
            return
        w, h = self.size
        c = self.c
        if self.running_header:
            c.setFont(fonts.CJK, 8)
            c.setFillGray(0.35)
            c.drawCentredString(w / 2, h - 28, self.running_header)
            c.setStrokeGray(0.5)
            c.setLineWidth(0.4)
            c.line(50, h - 32, w - 50, h - 32)
            c.setFillGray(0)
            c.setStrokeGray(0)
        if self.page_number_style:
            n = self.page
            text = {"plain": str(n), "dash": f"— {n} —", "of": f"第{n}页"}[self.page_number_style]
            c.setFont(fonts.CJK if self.page_number_style == "of" else fonts.LATIN, 9)
            c.drawCentredString(w / 2, 24, text)

    def finish(self) -> bytes:
        self._furniture()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()
