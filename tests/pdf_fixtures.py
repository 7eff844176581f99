"""Build small PDFs for the parser tests: one fixture per real-world layout problem.

A fixture is a list of pages; a page is a list of drawing operations placed in PDF points from
the top-left (as pdfplumber reports them), so a test reads like the page it describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from etl.sample.fonts import register

LATIN = "Times-Roman"


@dataclass
class FixturePage:
    landscape: bool = False
    ops: list[tuple] = field(default_factory=list)

    @property
    def size(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else A4

    def text(self, x: float, top: float, text: str, size: float = 10, latin: bool = False, rise: float = 0):
        """Text whose top is at `top`; `rise` moves it off the baseline (as other fonts in real PDFs)."""
        self.ops.append(("text", x, top, text, size, latin, rise))
        return self

    def right(self, x1: float, top: float, text: str, size: float = 10):
        """A number right-aligned at x1, set in a Latin font as real tables do."""
        self.ops.append(("right", x1, top, text, size))
        return self

    def hline(self, top: float, x0: float, x1: float):
        self.ops.append(("hline", top, x0, x1))
        return self

    def vline(self, x: float, top: float, bottom: float):
        self.ops.append(("vline", x, top, bottom))
        return self

    def grid(self, rows: list[float], cols: list[float]):
        """Ruling lines: horizontal at each y in rows, vertical at each x in cols."""
        for y in rows:
            self.hline(y, cols[0], cols[-1])
        for x in cols:
            self.vline(x, rows[0], rows[-1])
        return self


def write_pdf(path: Path, pages: list[FixturePage]) -> Path:
    cjk = register()
    c = canvas.Canvas(str(path), pagesize=pages[0].size, invariant=1)
    for page in pages:
        c.setPageSize(page.size)
        height = page.size[1]
        for op in page.ops:
            _draw(c, op, height, cjk)
        c.showPage()
    c.save()
    return path


def _draw(c: canvas.Canvas, op: tuple, height: float, cjk: str) -> None:
    kind = op[0]
    if kind == "text":
        _, x, top, text, size, latin, rise = op
        c.setFont(LATIN if latin else cjk, size)
        c.drawString(x, height - top - size * 0.88 + rise, text)
    elif kind == "right":
        _, x1, top, text, size = op
        c.setFont(LATIN, size)
        c.drawRightString(x1, height - top - size * 0.88, text)
    elif kind == "hline":
        _, top, x0, x1 = op
        c.line(x0, height - top, x1, height - top)
    elif kind == "vline":
        _, x, top, bottom = op
        c.line(x, height - top, x, height - bottom)


def cover(department: str, year: int, kind: str = "部门决算") -> FixturePage:
    return FixturePage().text(150, 300, department, 20).text(180, 340, f"{year}年度{kind}", 20)


def function_table_page(
    title: str,
    rows: list[tuple[str, str, list[str]]],
    *,
    ruled: bool,
    unit: str = "万元",
    header: bool = True,
    start_top: float = 150,
    row_height: float = 22,
    wrap: dict[int, str] | None = None,
) -> FixturePage:
    """A 05-style table: code | name | 合计 | 基本支出 | 项目支出. `wrap` gives a row's second name line."""
    page = FixturePage()
    cols = [60, 140, 330, 420, 510]
    top = start_top
    if title:
        page.text(180, 80, title, 16)
    if header:
        page.text(450, 115, f"单位：{unit}", 9)
        page.text(70, 125, "科目编码", 10).text(200, 125, "科目名称", 10)
        page.text(350, 125, "合计", 10).text(430, 125, "基本支出", 10).text(520, 125, "项目支出", 10)
    ys = [top - 6]
    for i, (code, name, amounts) in enumerate(rows):
        height = row_height * (1.6 if wrap and i in wrap else 1)
        page.text(cols[0] + 4, top, code, 10, latin=True)
        page.text(cols[1] + 4, top, name, 10)
        if wrap and i in wrap:
            page.text(cols[1] + 4, top + 12, wrap[i], 10)
        for j, amount in enumerate(amounts):
            if amount:
                page.right(cols[2 + j] + 80, top, amount)
        top += height
        ys.append(top - 6)
    if ruled:
        page.grid(ys, [cols[0], cols[1], cols[2], cols[3], cols[4], cols[4] + 85])
    return page
