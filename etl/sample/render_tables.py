"""Drawing a table: header grid with spans, wrapped labels, ruled or unruled, continuing over pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.sample import fonts
from etl.sample.pages import Doc


class Sp(str):
    """Text set spaced out (分散对齐): each character followed by a gap of most of an em."""


class Ind(str):
    """A row label indented by its level (科目名称 of 类/款/项 in one code column): `level` ems."""

    level: int = 0

    def __new__(cls, text: str, level: int = 0) -> Ind:
        obj = super().__new__(cls, text)
        obj.level = level
        return obj


@dataclass
class HCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Col:
    weight: float
    align: str = "l"  # l / c / r
    num: bool = False  # a figure column (set in the table number font, right-aligned)


@dataclass
class TableSpec:
    title: str
    cols: list[Col]
    header: list[list[HCell]]
    body: list[list]  # each cell: str, or (str, colspan)
    number: str | None = None  # "公开01表"
    dept_line: str | None = None  # gz: "部门：…" printed left of the unit line
    unit: str = "万元"
    note: list[str] = field(default_factory=list)
    landscape: bool = False
    repeat_rows: int = 0  # leading body rows repeated on continuation pages (gz repeats 合计)
    blank_rows: int = 0  # extra empty rows (empty tables keep their format)
    row_pages: list[int] = field(default_factory=list)  # filled by draw_table: the PDF page of each body row


@dataclass
class Style:
    ruled: bool = True
    repeat_header: bool = True
    rows_per_page: int = 26
    number_font: bool = True
    size: float = 8.5
    margin: float = 50


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    if not text:
        return [""]
    if fonts.width(text, font, size) <= width:
        return [text]
    lines, cur = [], ""
    for ch in text:
        if cur and fonts.width(cur + ch, font, size) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    lines.append(cur)
    return lines


def _draw_text(doc: Doc, text: str, x0: float, x1: float, y: float, align: str, font: str, size: float) -> None:
    c = doc.c
    spaced = isinstance(text, Sp) and len(text) > 1
    pad = 3
    plain = fonts.width(text, font, size)
    # spaced out as real reports do (about 0.4 em), and never wider than the cell less an em, so the
    # text stays clear of its neighbour as in real tables
    room = x1 - x0 - 2 * pad - size - plain
    gap = max(0.0, min(size * 0.42, room / (len(text) - 1))) if spaced else 0.0
    w = plain + gap * (len(text) - 1)
    if not spaced and w > x1 - x0 - 2 * pad:  # shrink to fit, as spreadsheet-made PDFs do
        size = size * (x1 - x0 - 2 * pad) / w
        w = fonts.width(text, font, size)
    if align == "r":
        x = x1 - pad - w
    elif align == "c":
        x = (x0 + x1 - w) / 2
    else:
        x = x0 + pad
    t = c.beginText(x, y)
    t.setFont(font, size)
    if spaced:
        t.setCharSpace(gap)
    t.textOut(text)
    if spaced:  # Tc is graphics state: it would outlive this text object
        t.setCharSpace(0)
    c.drawText(t)


def draw_table(
    doc: Doc, spec: TableSpec, st: Style, start_new_page: bool = True, y_start: float | None = None
) -> float:
    """Draw `spec`; returns the y below the last thing drawn on the last page."""
    cfont = fonts.CJK
    nfont = fonts.LATIN if st.number_font else fonts.CJK
    size = st.size

    def layout_widths() -> list[float]:
        w, _ = doc.size
        avail = w - 2 * st.margin
        tot = sum(col.weight for col in spec.cols)
        return [avail * col.weight / tot for col in spec.cols]

    def start_page(first: bool) -> float:
        if first and not start_new_page and y_start is not None:
            return y_start
        doc.new_page(spec.landscape)
        return doc.size[1] - 60

    def draw_title(y: float) -> float:
        w, _ = doc.size
        doc.c.setFont(cfont, 15)
        doc.c.drawCentredString(w / 2, y - 16, spec.title)
        y -= 26
        doc.c.setFont(cfont, 9)
        if spec.number:
            doc.c.drawRightString(w - st.margin, y - 10, spec.number)
            y -= 14
        if spec.dept_line:
            doc.c.drawString(st.margin, y - 10, spec.dept_line)
        doc.c.drawRightString(w - st.margin, y - 10, f"单位：{spec.unit}")
        return y - 16

    def draw_header(y: float, widths: list[float]) -> float:
        xs = [st.margin]
        for w in widths:
            xs.append(xs[-1] + w)
        n_rows = len(spec.header)
        # row heights from the wrapped text of single-row cells
        heights = [16.0] * n_rows
        occupied: dict[tuple[int, int], bool] = {}
        placed = []
        for r, row in enumerate(spec.header):
            col = 0
            for cell in row:
                while occupied.get((r, col)):
                    col += 1
                for rr in range(r, r + cell.rowspan):
                    for cc in range(col, col + cell.colspan):
                        occupied[(rr, cc)] = True
                placed.append((r, col, cell))
                if cell.rowspan == 1:
                    width = xs[col + cell.colspan] - xs[col] - 6
                    lines = _wrap(cell.text, cfont, size, width)
                    heights[r] = max(heights[r], 5 + len(lines) * (size + 2))
                col += cell.colspan
        tops = [y]
        for h in heights:
            tops.append(tops[-1] - h)
        c = doc.c
        for r, col, cell in placed:
            x0, x1 = xs[col], xs[col + cell.colspan]
            top, bot = tops[r], tops[r + cell.rowspan]
            if st.ruled:
                c.setLineWidth(0.5)
                c.rect(x0, bot, x1 - x0, top - bot)
            text = cell.text
            lines = _wrap(text, cfont, size, x1 - x0 - 6)  # too wide to space out: wrapped instead
            block = len(lines) * (size + 2)
            yy = (top + bot) / 2 + block / 2 - size
            for ln in lines:
                _draw_text(doc, Sp(ln) if isinstance(text, Sp) and len(lines) == 1 else ln, x0, x1, yy, "c",
                           cfont, size)
                yy -= size + 2
        return tops[-1]

    def row_height(row: list, widths: list[float]) -> tuple[float, list]:
        cells, col, h = [], 0, 16.0
        for cell in row:
            text, span = cell if isinstance(cell, tuple) else (cell, 1)
            spec_col = spec.cols[col]
            width = sum(widths[col : col + span]) - 6
            font = nfont if spec_col.num else cfont
            lines = [text] if spec_col.num else _wrap(text or "", font, size, width)
            h = max(h, 6 + len(lines) * (size + 2))
            cells.append((col, span, lines, font, spec_col, text))
            col += span
        return h, cells

    def draw_row(y: float, row: list, widths: list[float]) -> float:
        xs = [st.margin]
        for w in widths:
            xs.append(xs[-1] + w)
        h, cells = row_height(row, widths)
        c = doc.c
        for col, span, lines, font, spec_col, text in cells:
            x0, x1 = xs[col], xs[col + span]
            if st.ruled:
                c.setLineWidth(0.5)
                c.rect(x0, y - h, x1 - x0, h)
            if isinstance(text, Ind):  # indented by level, inside the ruled cell
                x0 += text.level * size
            block = len(lines) * (size + 2)
            yy = y - h / 2 + block / 2 - size + 1
            align = "r" if spec_col.num else spec_col.align
            for ln in lines:
                _draw_text(doc, Sp(ln) if isinstance(text, Sp) and len(lines) == 1 else ln, x0, x1, yy, align, font,
                           size)
                yy -= size + 2
        return y - h

    y = start_page(True)
    widths = layout_widths()
    y = draw_title(y)
    y = draw_header(y, widths)
    body = list(spec.body) + [[""] * len(spec.cols)] * spec.blank_rows
    on_page = 0
    bottom = 60
    spec.row_pages = []
    for i, row in enumerate(body):
        h, _ = row_height(row, widths)
        if on_page >= st.rows_per_page or y - h < bottom:
            y = start_page(False)
            if st.repeat_header:
                y = draw_title(y)
                y = draw_header(y, widths)
                for rep in spec.body[: spec.repeat_rows]:
                    if rep is not row:
                        y = draw_row(y, rep, widths)
            on_page = 0
        y = draw_row(y, row, widths)
        spec.row_pages.append(doc.page)
        on_page += 1
        del i
    # notes below the table
    doc.c.setFont(cfont, 8.5)
    w = doc.size[0] - 2 * st.margin
    y -= 4
    for note in spec.note:
        for ln in _wrap(note, cfont, 8.5, w):
            if y - 12 < 40:
                y = start_page(False)
            doc.c.drawString(st.margin, y - 11, ln)
            y -= 13
    return y
