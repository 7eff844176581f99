"""The text source: a `.txt` report (a web page's text saved, or a PDF's text) read into synthetic `Page`s.

A line keeps its columns: each blank-separated word is placed where it stands in the line (a 汉字 two
columns wide), so a table flattened with blank-padded columns keeps its column positions for the grid reader.
A table flattened with single blanks (the columns lost) has its rows' trailing amounts set in amount columns
after the labels, first amount first (`_amount_slots`): what can be read by meaning when empty cells left no trace.
A web page's text (a browser's "save as text", innerText) keeps a table row on one line, its cells separated
by TABs and an empty cell kept as an empty one (two TABs in a row): a run of two or more such lines is read as a
table (its spans read back by etl.pagesource.tab_table), laid out as an HTML table is (each cell in its
column, ruled: etl.pagesource.synthetic.table_page), under
the short lines just before it as its title; so is a table printed one cell per line
(etl.pagesource.cell_lines). Prose lines longer than WRAP_COLUMNS are wrapped; a contents
entry's dot leaders are shortened to one run (never wrapped).
A form feed (pdftotext's page break) starts a page, so does
a short line that reads as a table title (…表, 公开NN表), so a table's page holds no narrative; otherwise a
page has PAGE_LINES lines. Each page's `position` is its line range in the file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from etl.pagesource.cell_lines import cell_line_rows
from etl.pagesource.decode import decode, read_limited
from etl.pagesource.page import Page, Word, split_code_from_name
from etl.pagesource.synthetic import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_SIZE,
    TITLE_CHARS,
    TITLE_LINES,
    check_size,
    table_page,
    wrap,
)
from etl.pagesource.tab_table import tab_table

PAGE_LINES = 40
LINE_HEIGHT = 16.0
COLUMN = TEXT_SIZE / 2  # a Latin character's column; a 汉字 takes two
WRAP_COLUMNS = 84
_TABLE_TITLE = re.compile(r"^\S{0,40}(决算|预算|情况|明细)\S{0,12}表[)）]?$|^(财决)?公开\d{1,2}表$")
_GAP = re.compile(r"\S\s{2,}\S")
#: a contents entry's dot leaders (…决算总表.......5): one short run, so the entry is neither wrapped as prose (its
#: title cut off as a line of its own would read as a table's) nor wider than the page
_LEADERS = re.compile(r"(?<=\S)[.．·…]{4,}(?=\s*\d{0,3}\s*$)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def line_words(text: str, top: float) -> list[Word]:
    out = []
    for m in re.finditer(r"\S+", text):
        x0 = MARGIN + columns(text[: m.start()]) * COLUMN
        word = Word(m.group(), x0, x0 + columns(m.group()) * COLUMN, top, top + TEXT_SIZE)
        out += split_code_from_name(word)
    return out


def text_pages(text: str) -> list[Page]:
    check_size(len(text))
    pages: list[Page] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if not current:
            return
        slots = _amount_slots([line for _, line in current]) if on_table else None
        words = [w for i, (_, line) in enumerate(current)
                 for w in (_slotted_words(line, PAGE_HEIGHT * 0.1 + i * LINE_HEIGHT, slots) if slots
                           else line_words(line, PAGE_HEIGHT * 0.1 + i * LINE_HEIGHT))]
        width = max(PAGE_WIDTH, max(w.x1 for w in words) + MARGIN) if words else PAGE_WIDTH
        page = Page(len(pages) + 1, width, PAGE_HEIGHT, words, char_count=sum(len(w.text) for w in words))
        first, last = current[0][0], current[-1][0]
        page.position = f"第{first}行" if first == last else f"第{first}–{last}行"
        pages.append(page)
        current.clear()

    def add_table(rows: list[tuple[int, list[str]]]) -> None:
        titles = _take_titles(current)
        flush()
        table = tab_table([cells for _, cells in rows], rows[0][0])
        page = table_page(table, [t for _, t in titles], len(pages) + 1)
        first = titles[0][0] if titles else rows[0][0]
        page.position = f"第{first}–{rows[-1][0]}行"
        pages.append(page)

    on_table = False  # the current page holds a table title
    for item in _with_tables(cell_line_rows(_lines_numbered(text))):
        if isinstance(item, list):
            add_table(item)
            on_table = False
            continue
        number, line, page_break = item
        title = bool(_TABLE_TITLE.match(line.strip()))
        wrapped = bool(current) and current[-1][0] == number  # the rest of a wrapped line: no section of its own
        section = not wrapped and _starts_section(line, title, current, on_table)
        if page_break or len(current) >= PAGE_LINES or section:
            flush()
            on_table = False
        current.append((number, line))
        on_table = on_table or title
    flush()
    return pages


_AMOUNT = re.compile(r"^[-−]?\d[\d,]*\.\d{1,2}$|^[-—–]$")
SLOT = 14  # columns an amount column takes when a flattened table's amounts are set in slots


def _trailing_amounts(tokens: list[str]) -> int:
    n = 0
    while n < len(tokens) and _AMOUNT.match(tokens[-1 - n]):
        n += 1
    return n


def _amount_slots(lines: list[str]) -> tuple[int, int, int] | None:
    """(amount columns, where the first starts, the columns each takes) for a table flattened with single blanks
    (no column gaps kept): its rows end in a run of amounts, which are set right-aligned in that many columns
    after the widest label, the first amount in the first column — an empty cell printed nowhere is taken to be a
    trailing one (the first amount column, 合计 or 决算数, is the one nearly always filled). A column is SLOT wide,
    or wider than the widest header cell (公务用车购置及运行维护费小计), so header cells never overlap. None when
    the lines keep their column gaps (their positions are kept) or end in no amounts."""
    rows = [ln.split() for ln in lines if not _GAP.search(ln.strip())]
    counts = [_trailing_amounts(t) for t in rows]
    if not rows or max(counts, default=0) < 2 or any(_GAP.search(ln.strip()) for ln in lines):
        return None
    count = max(counts)
    labels = [columns(" ".join(t[: len(t) - k])) for t, k in zip(rows, counts, strict=True) if k]
    heads = [columns(t) for tokens in rows if _header_cells(tokens, count) for t in tokens[-count:]]
    return count, max(labels, default=0) + 2, max([SLOT, *(w + 2 for w in heads)])


def _header_cells(tokens: list[str], count: int) -> bool:
    """A header line of a flattened table: a cell per amount column, or one more (the label column's heading,
    项目, first), none of them an amount."""
    return len(tokens) in (count, count + 1) and not any(_AMOUNT.match(t) for t in tokens)


def _slotted_words(line: str, top: float, slots: tuple[int, int, int]) -> list[Word]:
    """A flattened table line: its label where it stands, its trailing amounts (or a header line's cells)
    right-aligned (centred) in the amount columns."""
    count, start, slot_width = slots
    tokens = line.split()
    k = _trailing_amounts(tokens)
    header = not k and _header_cells(tokens, count)
    if header:
        k = count
    out = line_words(" ".join(tokens[: len(tokens) - k]), top) if k < len(tokens) else []
    for j, token in enumerate(tokens[len(tokens) - k:]):
        right = MARGIN + (start + (j + 1) * slot_width) * COLUMN
        width = columns(token) * COLUMN
        x1 = right - (slot_width * COLUMN - width) / 2 if header else right
        out.append(Word(token, x1 - width, x1, top, top + TEXT_SIZE))
    return out


def _starts_section(line: str, title: bool, current: list[tuple[int, str]], on_table: bool) -> bool:
    """A line that opens a page of its own: a table title (not one of a list of titles, as in 目录), a part
    heading (第N部分), or prose (a sentence without column gaps) after a table."""
    if not current:
        return False
    if title:
        return not _TABLE_TITLE.match(current[-1][1].strip())
    prose = "。" in line and not _GAP.search(line.strip())
    return bool(_PART.match(line.strip())) or (on_table and prose)


_Line = tuple[int, str, bool]  # (1-based line number in the file, text, a form feed before it)
_Row = tuple[int, list[str]]  # (line number, the cells of a TAB-separated line)


def _cells(raw: str) -> list[str] | None:
    """A TAB-separated line's cells (empty ones kept; blanks inside a cell collapsed), or None for a line without
    a TAB or with nothing in it."""
    if "\t" not in raw:
        return None
    cells = [" ".join(c.replace("\u3000", " ").split()) for c in raw.split("\t")]
    return cells if any(cells) else None


def _with_tables(items: list[_Line | _Row]) -> list[_Line | list[_Row]]:
    """The lines with each run of two or more TAB-separated rows gathered as one table (a list of rows); a lone
    TAB-separated line is a line, its TABs read as blanks."""
    out: list[_Line | list[_Row]] = []
    run: list[_Row] = []

    def end_run() -> None:
        if len(run) >= 2:
            out.append(list(run))
        else:
            out.extend((n, "    ".join(cells).strip(), False) for n, cells in run)
        run.clear()

    for item in items:
        if len(item) == 2:
            run.append(item)  # type: ignore[arg-type]
            continue
        end_run()
        out.append(item)
    end_run()
    return out


def _take_titles(current: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The short heading lines ending the page (title, 公开NN表, 单位：万元): they go with the table after them."""
    titles: list[tuple[int, str]] = []
    while current and len(titles) < TITLE_LINES:
        text = current[-1][1].strip()
        if len(text) > TITLE_CHARS or text.endswith(("。", "；", ";")):
            break
        titles.insert(0, (current[-1][0], text))
        current.pop()
    return titles


def _lines_numbered(text: str) -> list[_Line | _Row]:
    """Every non-blank line, prose wrapped; a TAB-separated line as its cells (a row of a table, maybe)."""
    out: list[_Line | _Row] = []
    number, page_break = 0, False
    for chunk_no, chunk in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f")):
        page_break = chunk_no > 0
        for i, raw in enumerate(chunk.split("\n")):
            if i or chunk_no == 0:
                number += 1
            cells = _cells(raw)
            if cells is not None:
                out.append((number, cells))
                continue
            line = _LEADERS.sub("……", raw.replace("\u3000", "  ").replace("\t", "    ").rstrip())
            if not line.strip():
                continue
            long_prose = not _GAP.search(line) and columns(line) > WRAP_COLUMNS and not _single_blank_cells(line)
            for piece in wrap(line.strip(), WRAP_COLUMNS * COLUMN, TEXT_SIZE) if long_prose else [line]:
                out.append((number, piece, page_break))
                page_break = False
    return out


def _single_blank_cells(line: str) -> bool:
    """A table row whose blanks were collapsed (3 or more cells, one blank apart, no sentence): never wrapped, so
    its cells stay on one line for the flattened-table reader (`_amount_slots`)."""
    return len(line.split()) >= 3 and not re.search(r"[。，；]", line)


def load_text_pages(path: str | Path) -> list[Page]:
    text, _ = decode(read_limited(path), html=False)
    return text_pages(text)
