"""Blocks (paragraphs, tables) laid out as synthetic pages, so a web page or a text file reads like a PDF.

Text: each paragraph wrapped to the page width (never inside a number or a Latin word), PAGE_LINES lines to a
page. A table: a page of its own (the parser reads the narrative from the pages without a table), its title
lines (the caption, or the short heading lines just before it) above it, each cell's words placed inside the
cell's box (colspan and rowspan honoured: an occupancy grid as a browser builds it), amounts right-aligned,
header cells centred, and every cell's box drawn as ruling lines, as a ruled PDF table has them.
Widths are estimated from the characters (a 汉字 one em, a Latin character or digit about half).
Every page keeps its contents inside the middle 84 % of its height: the margins are where page furniture is
looked for (etl.pagesource.page.strip_running_lines).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from etl.document import DocumentError
from etl.pagesource.blocks import Block, TableBlock, TextBlock
from etl.pagesource.page import Page, Word, split_code_from_name

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 595.0, 842.0, 60.0
TEXT_SIZE, LINE_HEIGHT, PAGE_LINES = 12.0, 20.0, 34
CELL_SIZE, ROW_HEIGHT, CELL_PAD, MIN_COLUMN = 9.0, 18.0, 4.0, 24.0
#: heading lines carried onto a table's page: at most this many, each at most TITLE_CHARS long
TITLE_LINES, TITLE_CHARS = 5, 60

#: right-aligned as printed tables set them: amounts with decimals or thousands separators, rates, zero marks (a
#: bare integer — a function or economic code — stays left, where a code column is)
_AMOUNT = re.compile(r"^[-−]?[\d,，]*\d[.．]\d+[%％]?$|^[-−]?\d{1,3}([,，]\d{3})+$|^[-−]?\d+[%％]$|^[-—–－]{1,2}$")
_FIGURE = re.compile(r"\d\.\d{2}\b|\d,\d{3}")
_UNBREAKABLE = re.compile(r"[A-Za-z0-9.,%％:：()（）+\-_/]+|\s+|.", re.DOTALL)


def char_width(ch: str, size: float) -> float:
    return size if unicodedata.east_asian_width(ch) in "WF" else size * 0.55


def text_width(text: str, size: float) -> float:
    return sum(char_width(c, size) for c in text)


def place_words(text: str, x: float, top: float, size: float) -> list[Word]:
    """The words of `text` (blank-separated) set from x on the baseline band top…top+size."""
    words = []
    for m in re.finditer(r"\S+", text):
        x0 = x + text_width(text[: m.start()], size)
        word = Word(m.group(), x0, x0 + text_width(m.group(), size), top, top + size)
        words.extend(split_code_from_name(word))
    return words


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` cut into lines no wider than `width`, never inside a number or a Latin word."""
    lines, current, used = [], "", 0.0
    for token in _UNBREAKABLE.findall(text):
        w = text_width(token, size)
        if current and used + w > width and not token.isspace():
            lines.append(current.rstrip())
            current, used = "", 0.0
        if not current and token.isspace():
            continue
        current, used = current + token, used + w
    if current.strip():
        lines.append(current.rstrip())
    return lines


@dataclass
class _Line:
    text: str
    source_line: int


class Layout:
    """Pages built block by block; `position(first, last, table)` names the place a page shows in the source."""

    def __init__(self, position) -> None:
        self.pages: list[Page] = []
        self.current: list[tuple[TextBlock, list[str]]] = []
        self.position = position

    def add(self, block: Block) -> None:
        if isinstance(block, TableBlock):
            titles = self._take_titles()
            self.flush()
            self.pages.append(self._table_page(block, titles))
            return
        if block.page_break:
            self.flush()
        lines = wrap(block.text, PAGE_WIDTH - 2 * MARGIN, TEXT_SIZE)
        if sum(len(ls) for _, ls in self.current) + len(lines) > PAGE_LINES:
            self.flush()
        self.current.append((block, lines))

    def finish(self) -> list[Page]:
        self.flush()
        return self.pages

    def _take_titles(self) -> list[str]:
        """The short heading lines just before a table (its title, 公开NN表, 单位：万元): they go with it."""
        titles: list[TextBlock] = []
        while self.current and len(titles) < TITLE_LINES:
            block, lines = self.current[-1]
            if len(block.text) > TITLE_CHARS or block.text.endswith(("。", "；", ";")):
                break
            titles.insert(0, block)
            self.current.pop()
        return [b.text for b in titles]

    def flush(self) -> None:
        if not self.current:
            return
        words, y = [], PAGE_HEIGHT * 0.1
        for _, lines in self.current:
            for text in lines:
                words += place_words(text, MARGIN, y, TEXT_SIZE)
                y += LINE_HEIGHT
        first, last = self.current[0][0].line, self.current[-1][0].line
        page = Page(len(self.pages) + 1, PAGE_WIDTH, PAGE_HEIGHT, words, char_count=sum(len(w.text) for w in words))
        page.position = self.position(first, last, None)
        self.pages.append(page)
        self.current = []

    def _table_page(self, table: TableBlock, titles: list[str]) -> Page:
        page = table_page(table, titles, len(self.pages) + 1)
        page.position = self.position(table.line, table.line, table.ordinal)
        return page


def table_page(table: TableBlock, titles: list[str], number: int) -> Page:
    """Page `number` holding the table as a ruled grid under its title lines (its position left to the caller)."""
    placed, ncols = occupancy(table)
    widths = column_widths(placed, ncols)
    xs = [MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    nrows = len(table.rows)
    titles = [t for t in [*titles, table.caption] if t]
    content = len(titles) * LINE_HEIGHT + nrows * ROW_HEIGHT + LINE_HEIGHT
    width = max(PAGE_WIDTH, xs[-1] + MARGIN)
    height = max(PAGE_HEIGHT, content / 0.8)
    y = height * 0.1
    words: list[Word] = []
    for text in titles:
        x = max(MARGIN, (width - text_width(text, TEXT_SIZE)) / 2)
        words += place_words(text, x, y, TEXT_SIZE)
        y += LINE_HEIGHT
    grid_top = y + 4
    first_data = _first_data_row(placed)
    hrules, vrules = [], []
    for r, c, rs, cs, text in placed:
        x0, x1 = xs[c], xs[c + cs]
        top, bottom = grid_top + r * ROW_HEIGHT, grid_top + (r + rs) * ROW_HEIGHT
        hrules += [(top, x0, x1), (bottom, x0, x1)]
        vrules += [(x0, top, bottom), (x1, top, bottom)]
        if text:
            words += _cell_words(text, x0, x1, (top + bottom - CELL_SIZE) / 2, header=r < first_data)
    return Page(number, width, height, words, hrules, vrules, char_count=sum(len(w.text) for w in words))


def _cell_words(text: str, x0: float, x1: float, top: float, header: bool) -> list[Word]:
    w = text_width(text, CELL_SIZE)
    if _AMOUNT.match(text):
        x = x1 - CELL_PAD - w
    elif header:
        x = (x0 + x1 - w) / 2
    else:
        x = x0 + CELL_PAD
    return place_words(text, x, top, CELL_SIZE)


def _first_data_row(placed: list[tuple]) -> int:
    """The first row holding an amount: the rows above it are the header."""
    rows = [r for r, _, _, _, text in placed if _FIGURE.search(text)]
    return min(rows, default=0)


def occupancy(table: TableBlock) -> tuple[list[tuple[int, int, int, int, str]], int]:
    """Each cell as (row, column, rowspan, colspan, text) where a browser puts it, and the column count."""
    taken: set[tuple[int, int]] = set()
    placed, ncols, nrows = [], 0, len(table.rows)
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            rs = min(cell.rowspan, nrows - r)
            for dr in range(rs):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            placed.append((r, c, rs, cell.colspan, cell.text))
            c += cell.colspan
            ncols = max(ncols, c)
    return placed, ncols


def column_widths(placed: list[tuple[int, int, int, int, str]], ncols: int) -> list[float]:
    """Each column as wide as its widest single-column cell; a spanning cell widens its columns evenly."""
    widths = [MIN_COLUMN] * ncols
    for _, c, _, cs, text in placed:
        if cs == 1:
            widths[c] = max(widths[c], text_width(text, CELL_SIZE) + 2 * CELL_PAD)
    for _, c, _, cs, text in sorted(placed, key=lambda p: p[3]):
        need = text_width(text, CELL_SIZE) + 2 * CELL_PAD - sum(widths[c:c + cs])
        if cs > 1 and need > 0:
            for i in range(c, c + cs):
                widths[i] += need / cs
    return widths


#: text beyond this is no report (a whole report's text is a few hundred thousand characters): refused before
#: it is wrapped into words, so a hostile file costs bounded memory
MAX_TEXT_CHARS = 3_000_000


def check_size(chars: int) -> None:
    if chars > MAX_TEXT_CHARS:
        raise DocumentError(f"more than {MAX_TEXT_CHARS:,} characters of text ({chars:,}): no report is this long; "
                            "not read")


def lay_out(blocks: list[Block], position) -> list[Page]:
    check_size(sum(len(b.text) if isinstance(b, TextBlock) else sum(len(c.text) for r in b.rows for c in r)
                   for b in blocks))
    layout = Layout(position)
    for block in blocks:
        layout.add(block)
    return layout.finish()
