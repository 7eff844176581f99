"""A table flattened to one cell per line (a web page's table pasted as paragraphs, or saved as text by a tool
that ends every cell with a line break), or all on one line with its blanks collapsed, read back into rows.

Such a table prints its header labels, one per line, then each row: its label, then its figures, one per line.
Nothing marks where a row ends but the figures themselves: a row is a label line followed by N figure lines,
and the table is the run of two or more such rows with the same N, under N header labels (or N + 1: the label
column's heading, 项目, first). A cell printed nowhere (an empty cell) would leave no trace, so only tables that
print every figure (0.00 included) are read; anything else stays text.
"""

from __future__ import annotations

import re

#: a figure on a line of its own: an amount with its decimals, or a zero mark
_FIGURE = re.compile(r"^[-−]?\d[\d,]*\.\d{1,2}$|^[-—–]$")
_LABEL_CHARS = 24
MIN_ROWS = 2
MIN_FIGURES = 2

Line = tuple[int, str, bool]  # (line number, text, a form feed before it), as etl.pagesource.text_page numbers them
Row = tuple[int, list[str]]


def _text(item) -> str | None:
    """The stripped text of a line item (None for a row of cells)."""
    return item[1].strip() if len(item) == 3 else None


def _is_figure(item) -> bool:
    text = _text(item)
    return text is not None and bool(_FIGURE.match(text))


def _is_label(item) -> bool:
    """A short cell: one run of text, no sentence, no colon (单位：万元, 部门：… are title lines), no figure."""
    text = _text(item)
    return (bool(text) and len(text) <= _LABEL_CHARS and " " not in text and not _FIGURE.match(text)
            and not re.search(r"[：:。；;]", text))


def _figures_from(items: list, i: int) -> int:
    n = 0
    while i + n < len(items) and _is_figure(items[i + n]):
        n += 1
    return n


def _rows_from(items: list, start: int, width: int) -> int:
    """How many rows (a label line, then `width` figure lines) follow one another from `start`."""
    rows, i = 0, start
    while i < len(items) and _is_label(items[i]) and _figures_from(items, i + 1) == width:
        rows, i = rows + 1, i + 1 + width
    return rows


def _header_width(items: list, first_row: int, width: int) -> int:
    """How many header label lines stand before the first row: width + 1 (with the label column's heading) or
    width; 0 when fewer label lines than that stand there."""
    for n in (width + 1, width):
        if first_row - n >= 0 and all(_is_label(items[k]) for k in range(first_row - n, first_row)):
            return n
    return 0


def _one_line_table(item) -> list[Row] | None:
    """A whole table on one line, its cells one blank apart (a page whose blanks were collapsed): its cells read
    as if each stood on a line of its own, when they make exactly one such table."""
    text = _text(item)
    if text is None or re.search(r"[，。；]", text):
        return None
    cells = [(item[0], token, False) for token in text.split()]
    if len(cells) < (MIN_FIGURES + 1) * (MIN_ROWS + 1):
        return None
    found = _table_at(cells, 0)
    return found[0] if found and found[1] == len(cells) else None


def cell_line_rows(items: list) -> list:
    """The items (lines, and rows of TAB-separated cells) with each table printed one cell per line (or all on
    one line) replaced by its rows: a header row, then a row per label."""
    out: list = []
    i = 0
    while i < len(items):
        if rows := _one_line_table(items[i]):
            out += rows
            i += 1
            continue
        found = _table_at(items, i)
        if found is None:
            out.append(items[i])
            i += 1
            continue
        rows, end = found
        out += rows
        i = end
    return out


def _table_at(items: list, i: int) -> tuple[list[Row], int] | None:
    """The table whose header starts at items[i] (its rows and the index after it), or None."""
    if not _is_label(items[i]):
        return None
    for head in range(MIN_FIGURES, MIN_FIGURES + 40):  # the header's label lines, from items[i] on
        first = i + head
        if first >= len(items) or not _is_label(items[first]):
            return None
        width = _figures_from(items, first + 1)
        if width < MIN_FIGURES:
            continue
        if _header_width(items, first, width) != head:
            return None
        count = _rows_from(items, first, width)
        if count < MIN_ROWS:
            return None
        return _as_rows(items, i, head, width, count), first + count * (width + 1)
    return None


def _as_rows(items: list, start: int, head: int, width: int, count: int) -> list[Row]:
    labels = [_text(items[k]) or "" for k in range(start, start + head)]
    rows: list[Row] = [(items[start][0], ([""] if head == width else []) + labels)]
    first = start + head
    for r in range(count):
        at = first + r * (width + 1)
        rows.append((items[at][0], [_text(items[k]) or "" for k in range(at, at + width + 1)]))
    return rows
