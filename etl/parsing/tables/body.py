"""Split a located table's pages into header words and body rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.normalise import compact, is_amount
from etl.pagesource.page import Line, Page, Word
from etl.parsing.locate import LocatedTable
from etl.parsing.tables.grid import Row, Span, header_cells, rules_across, split_rows
from etl.parsing.tables.page_index import words_extent

_HEADER_WORDS = re.compile(r"科目|编码|名称|项目|^[类款项]+$|栏次|行次|金额|决算数|预算数")
_TOTAL_ROW = re.compile(r"^(合计|总计)")
_NOT_HEADER = re.compile(r"单位[:：]|部门[:：]|公开\d+表|^注[:：]|栏次")


@dataclass
class TableBody:
    header: list[Span]  # merged header cells of every page
    rows: list[Row]  # body rows of every page, in order
    notes: str  # text below the body (注：…, 本部门无…)


def _body_start(page: Page, lines: list[Line], is_anchor: Callable[[Line], bool], top: float) -> float:
    """Where the body begins: the ruling above the first data row (so a name wrapped above its
    code line stays in the body), else the first data row's top."""
    first = next((ln for ln in lines if ln.top >= top and is_anchor(ln)), None)
    if first is None:
        return page.height
    x0, x1 = words_extent(page)
    rules = [y for y in rules_across(page, x0, x1, top, first.yc) if y < first.yc]
    start = first.top - 1
    above = [ln for ln in lines if (rules[-1] if rules else first.top - 30) < ln.top < first.top]
    for ln in reversed(above):  # a wrapped name above the first code line, not a header line
        if (ln.words[-1].x1 - ln.words[0].x0 > 0.3 * (x1 - x0) or any(is_amount(w.text) for w in ln.words)
                or _HEADER_WORDS.search(ln.key) or _TOTAL_ROW.match(first.key) or _cells_apart(ln)):
            break
        start = ln.top - 1
    return max(start, top)


def _cells_apart(line: Line) -> bool:
    """Words set well apart on the line: header cells side by side (小计  公务用车购置费), never one wrapped name."""
    words = sorted(line.words, key=lambda w: w.x0)
    return any(b.x0 - a.x1 > 2 * (a.bottom - a.top) for a, b in zip(words, words[1:], strict=False))


@dataclass
class PageParts:
    """A table page's lines split where its body starts: the same for every x-range of the table read (both sides
    of a summary, each group of an economic table), so such readers split the pages once (`page_parts`)."""

    page: Page
    header: list[Line]  # lines above the body (the first page's name the columns)
    body: list[Line]
    notes: list[Line]  # from the first 注：/说明： line on


def page_parts(table: LocatedTable, is_anchor: Callable[[Line], bool]) -> list[PageParts]:
    """Each page of the table split into header, body and note lines."""
    parts = []
    for page in table.pages:
        top = table.span(page)[0] + 0.5
        lines = [ln for ln in table.lines(page) if ln.top >= top]  # page furniture already stripped
        start = _body_start(page, lines, is_anchor, top)
        body_lines, note_lines = _split_notes([ln for ln in lines if ln.top >= start])
        parts.append(PageParts(page, [ln for ln in lines if ln.top < start], body_lines, note_lines))
    return parts


def read_body(
    table: LocatedTable,
    is_anchor: Callable[[Line], bool],
    x0: float = -1e9,
    x1: float = 1e9,
    parts: list[PageParts] | None = None,
) -> TableBody:
    """The table's header cells and body rows between x0 and x1; `parts`: page_parts(table, is_anchor), if the
    caller reads several x-ranges of the table."""
    parts = page_parts(table, is_anchor) if parts is None else parts
    header_words: list[Word] = []
    rows: list[Row] = []
    notes: list[str] = []
    for part in parts:
        if part is parts[0]:  # the first page's header names the columns of every page
            for ln in part.header:
                if not _NOT_HEADER.search(ln.key):
                    header_words += [w for w in ln.words if x0 <= w.xc <= x1 and not is_amount(w.text)]
        notes += [ln.key for ln in part.notes]
        words = [w for ln in part.body for w in ln.words if x0 <= (w.x0 + w.x1) / 2 <= x1]  # w.xc, inlined
        rows += split_rows(part.page, words, _left(words, x0), _right(words, x1), is_anchor)
    return TableBody(header_cells(header_words, parts[0].page if parts else None), rows, "".join(notes))


def _left(words: list[Word], x0: float) -> float:
    return x0 if x0 > -1e8 else min((w.x0 for w in words), default=0.0)


def _right(words: list[Word], x1: float) -> float:
    return x1 if x1 < 1e8 else max((w.x1 for w in words), default=0.0)


_NOTE_START = re.compile(r"^(注|说明)[:：]|^本(部门|单位)")


def _split_notes(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Body lines, and the note lines from the first 注：/说明： line on."""
    for i, ln in enumerate(lines):
        if _NOTE_START.match(ln.key) or "本表无数据" in ln.key:
            return lines[:i], lines[i:]
    return lines, []


#: A note that a table has no figures: 本表无数据 / 本表为空, or "(本部门)无/没有 … 收入/支出/经费" as a
#: clause of its own — 无 must open the clause, so a row such as 无形资产购置 … 支出 is no such note.
_EMPTY_NOTE = re.compile(
    r"本表无数据|本表为空|空表|(?:^|[，。；：:,;]|本部门|本单位)(?:无|没有)[^，。]{0,20}(?:收入|支出|经费)")


#: a character every match of _EMPTY_NOTE holds (本表无数据, 本表为空, 空表, 无 …, 没有 …)
_EMPTY_NOTE_CHARS = ("无", "空", "没")


def is_empty_note(text: str) -> bool:
    """Whether the text holds such a note. Asked of every table's whole text: a text without any character the
    pattern needs (most tables) is answered without running it over every position."""
    key = compact(text)
    return any(c in key for c in _EMPTY_NOTE_CHARS) and bool(_EMPTY_NOTE.search(key))
