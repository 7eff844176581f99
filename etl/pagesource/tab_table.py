"""A table in a web page's text (rows on lines, cells TAB-separated) as a `TableBlock` with its header spans.

Saved text has no colspan or rowspan: a merged cell is printed once, the columns it covered left empty (a
spreadsheet's copy), or not printed at all (a browser's innerText, a row then shorter than the table). The
spans are read back from how header cells nest, as every 决算 table's header does:
- a header cell (a row above the first row holding a figure) spans the empty cells after it, but never beyond
  the cell above it (a sub-heading stays under its heading);
- empty header cells exactly under one cell above extend that cell down (a heading spanning rows);
- a data row shorter than the table has its first cell (合计, a name over the code columns) span the missing
  columns, so its amounts stay in the right-most columns where the header puts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.pagesource.blocks import Cell, TableBlock

_FIGURE = re.compile(r"\d\.\d{2}\b|\d,\d{3}")


@dataclass
class _Box:
    start: int
    end: int  # one past its last column
    cell: Cell


def tab_table(rows: list[list[str]], line: int) -> TableBlock:
    """The table of TAB-separated rows (each a list of cell texts) starting at source line `line`."""
    ncols = max(len(r) for r in rows)
    head = next((i for i, r in enumerate(rows) if any(_FIGURE.search(c) for c in r)), len(rows))
    out: list[list[Cell]] = []
    above = [_Box(0, ncols, Cell(""))]  # a virtual box over the whole header
    for row in rows[:head]:
        cells, above = _header_row(row + [""] * (ncols - len(row)), above)
        out.append(cells)
    out += [_data_row(row, ncols) for row in rows[head:]]
    return TableBlock(out, line)


def _header_row(row: list[str], above: list[_Box]) -> tuple[list[Cell], list[_Box]]:
    """A header row's cells (those extending a box above dropped) and the boxes covering it."""
    boxes: list[_Box] = []
    for c, text in enumerate(row):
        prev = boxes[-1] if boxes else None
        if not text and prev and prev.cell.text and prev.end == c and c < _bound(above, prev.start):
            prev.end, prev.cell.colspan = c + 1, prev.cell.colspan + 1
        else:
            boxes.append(_Box(c, c + 1, Cell(text)))
    return _merge_down(boxes, above)


def _bound(above: list[_Box], column: int) -> int:
    """Where the box above `column` ends: a cell starting there may span no further."""
    return next((b.end for b in above if b.start <= column < b.end), column + 1)


def _merge_down(boxes: list[_Box], above: list[_Box]) -> tuple[list[Cell], list[_Box]]:
    """Runs of empty boxes lying exactly under one box above become that box's next row."""
    kept, covering, i = [], [], 0
    while i < len(boxes):
        j = i
        while j < len(boxes) and not boxes[j].cell.text:
            j += 1
        parent = next((b for b in above if i < j and b.cell.text and b.start == boxes[i].start
                       and any(b.end == boxes[k].end for k in range(i, j))), None)
        if parent is not None:
            last = next(k for k in range(i, j) if boxes[k].end == parent.end)
            parent.cell.rowspan += 1
            covering.append(parent)
            i = last + 1
            continue
        kept.append(boxes[i])
        covering.append(boxes[i])
        i += 1
    return [b.cell for b in kept], covering


def _data_row(row: list[str], ncols: int) -> list[Cell]:
    cells = [Cell(t) for t in row]
    if cells and len(cells) < ncols:
        cells[0].colspan = ncols - len(cells) + 1
    return cells
