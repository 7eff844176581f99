"""The text source: a `.txt` report (a web page's text saved, or a PDF's text) read into synthetic `Page`s.

A line keeps its columns: each blank-separated word is placed where it stands in the line (a 汉字 two
columns wide), so a table flattened with blank-padded columns keeps its column positions for the grid reader.
Prose lines longer than WRAP_COLUMNS are wrapped. A form feed (pdftotext's page break) starts a page, so does
a short line that reads as a table title (…表, 公开NN表), so a table's page holds no narrative; otherwise a
page has PAGE_LINES lines. Each page's `position` is its line range in the file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from etl.pagesource import synthetic
from etl.pagesource.decode import decode, read_limited
from etl.pagesource.page import Page, Word, split_code_from_name
from etl.pagesource.synthetic import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TEXT_SIZE, wrap

PAGE_LINES = 40
LINE_HEIGHT = 16.0
COLUMN = TEXT_SIZE / 2  # a Latin character's column; a 汉字 takes two
WRAP_COLUMNS = 84
_TABLE_TITLE = re.compile(r"^\S{0,40}(决算|预算|情况|明细)\S{0,12}表[)）]?$|^(财决)?公开\d{1,2}表$")
_GAP = re.compile(r"\S\s{2,}\S")
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
    synthetic.check_size(len(text))
    pages: list[Page] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if not current:
            return
        words = [w for i, (_, line) in enumerate(current)
                 for w in line_words(line, PAGE_HEIGHT * 0.1 + i * LINE_HEIGHT)]
        width = max(PAGE_WIDTH, max(w.x1 for w in words) + MARGIN) if words else PAGE_WIDTH
        page = Page(len(pages) + 1, width, PAGE_HEIGHT, words, char_count=sum(len(w.text) for w in words))
        first, last = current[0][0], current[-1][0]
        page.position = f"第{first}行" if first == last else f"第{first}–{last}行"
        pages.append(page)
        current.clear()

    on_table = False  # the current page holds a table title
    for number, line, page_break in _lines_numbered(text):
        title = bool(_TABLE_TITLE.match(line.strip()))
        if page_break or len(current) >= PAGE_LINES or _starts_section(line, title, current, on_table):
            flush()
            on_table = False
        current.append((number, line))
        on_table = on_table or title
    flush()
    return pages


def _starts_section(line: str, title: bool, current: list[tuple[int, str]], on_table: bool) -> bool:
    """A line that opens a page of its own: a table title (not one of a list of titles, as in 目录), a part
    heading (第N部分), or prose (a sentence without column gaps) after a table."""
    if not current:
        return False
    if title:
        return not _TABLE_TITLE.match(current[-1][1].strip())
    prose = "。" in line and not _GAP.search(line.strip())
    return bool(_PART.match(line.strip())) or (on_table and prose)


def _lines_numbered(text: str) -> list[tuple[int, str, bool]]:
    """(1-based line number in the file, text, a form feed before it) of every non-blank line, prose wrapped."""
    out = []
    number, page_break = 0, False
    for chunk_no, chunk in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f")):
        page_break = chunk_no > 0
        for i, raw in enumerate(chunk.split("\n")):
            if i or chunk_no == 0:
                number += 1
            line = raw.replace("\u3000", "  ").replace("\t", "    ").rstrip()
            if not line.strip():
                continue
            long_prose = not _GAP.search(line) and columns(line) > WRAP_COLUMNS
            for piece in wrap(line.strip(), WRAP_COLUMNS * COLUMN, TEXT_SIZE) if long_prose else [line]:
                out.append((number, piece, page_break))
                page_break = False
    return out


def load_text_pages(path: str | Path) -> list[Page]:
    text, _ = decode(read_limited(path), html=False)
    return text_pages(text)
