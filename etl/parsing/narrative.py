"""Read the narrative (情况说明): budget-versus-actual statements, per 项 and for the whole department.

The narrative is rebuilt as one string from position-grouped lines (so numbers set off the
baseline stay in their sentence), page numbers and running headers dropped; statements are then
read with patterns that tolerate the wordings regions use.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from etl.normalise import CENT, parse_amount, repair_lines, squeeze
from etl.pagesource.page import Line, Page
from etl.parsing.narrative_grammar import Figures, merge, read_clause

NUM = r"(\d[\d,]*(?:\.\d+)?)"
UNIT = r"\.?(万元|元)"  # a stray point before the unit (`123.4. 万元`) tolerated, as narrative_grammar.AMOUNT
#: An item's start: its number (1、 / （1） / after a sentence's end, a number whose 、 was lost: 。2卫生健康支出), then
#: its 类/款/项 path.
_ITEM_START = re.compile(
    r"(?:\d{1,2}[、.．]|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]|(?<=[：:。；;])\d{1,2}(?=[\u4e00-\u9fff])"
    r"|(?<=[：:。；;]))(?P<cls>[^。；]{2,30}?)[（(]类[）)](?P<sec>[^。；]{1,40}?)[（(]款[）)]"
    r"(?P<item>[^。；]{1,40}?)[（(]项[）)]"
)
_SECTION_END = re.compile(r"[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、")
#: 一般公共预算财政拨款支出, or in the 2013–2015 wording 公共财政(预算)拨款支出
GPB = r"(?:一般公共预算财政|公共财政(?:预算)?(?:财政)?)拨款支出"
#: The department total as a subject, and (under a 一般公共预算 heading) a bare 财政拨款支出 that is no fund's.
_GPB_SUBJECT = re.compile(GPB + r"|一般公共预算支出")
_BARE_SUBJECT = re.compile(r"(?<!基金预算)(?<!经营预算)(?<!经费)(?<!\")财政拨款支出")
_SANGONG_SUBJECT = re.compile(r"[\"'‘’“”「」『』]?三公[\"'‘’“”「」『』]?经费(?:财政拨款)?(?:支出)?")
#: Where a subject's clause ends: its sentence's end, or another subject.
_GPB_CLAUSE_END = re.compile(r"。|三公|" + GPB)
_SANGONG_CLAUSE_END = re.compile(r"[。；;]|因公出国|公务用车|公务接待|三公")
_MAX_CLAUSE = 400
#: A chart's caption printed as a line of text (图1：… with the chart's figures): not the statement's words.
_CAPTION = re.compile(r"\s*图\s*\d{1,2}\s*[:：]")

@dataclass
class Statement:
    scope: str
    path: str | None
    initial_budget: Decimal | None
    full_year_budget: Decimal | None
    actual: Decimal | None
    completion_pct: Decimal | None
    reason: str | None
    page: int
    unqualified_budget: Decimal | None = None  # 预算 printed with neither 年初 nor 全年/调整
    budget_basis: str | None = None  # initial / full_year / unqualified: what completion_pct is against
    budget_difference: Decimal | None = None  # 决算 − 预算 as printed (比预算增加/减少 X, 差值 X), signed
    code: str | None = None  # 7-digit function code, linked by name to a table row (etl.parsing.parse)
    span: tuple[int, int] | None = None  # where it was read in narrative_text's string (start, end)
    ocr_confidence: float | None = None  # the lowest of the OCR lines it was read from (etl.parsing.readings)


def one_for_one(table: dict[str, str]) -> Callable[[str], str]:
    """What text.translate(str.maketrans(table)) gives, for a table of single characters: offsets to the page marks
    stay valid. By one expression finding the few characters to replace: str.translate looks every character of
    a CJK text up in the table (about 0.9 ms for a 9,000-character narrative, and four readers fold it), the
    expression 0.05 ms."""
    if not all(len(k) == 1 and len(v) == 1 for k, v in table.items()):
        raise ValueError("one_for_one replaces single characters by single characters")
    pattern = re.compile("[" + re.escape("".join(table)) + "]")
    return lambda text: pattern.sub(lambda m: table[m.group()], text)


def narrative_text(pages: list[Page]) -> tuple[str, list[tuple[int, int]]]:
    """The pages' text as one compact string, and (offset, page number) marks for provenance."""
    parts, marks, offset = [], [], 0
    for page in pages:
        marks.append((offset, page.number))
        text = page.derived(_NARRATIVE, _squeeze)[1]
        parts.append(text)
        offset += len(text)
    return "".join(parts), marks


def line_spans(pages: list[Page]) -> list[tuple[int, int, Line]]:
    """(start, end, line) of every line in narrative_text's string: where each line's text stands in it."""
    spans, offset = [], 0
    for page in pages:
        for line, text in _squeezed_lines(page):
            spans.append((offset, offset + len(text), line))
            offset += len(text)
    return spans


def _squeezed_lines(page: Page) -> list[tuple[Line, str]]:
    return page.derived(_NARRATIVE, _squeeze)[0]


#: Page.derived's name for a page's narrative lines and text: computed once per page's lines, though each of the
#: narrative's readers (statements, 三公, year-on-year, counts, claims, confidences) rebuilds the string
_NARRATIVE = "narrative"


def _squeeze(lines: list[Line]) -> tuple[list[tuple[Line, str]], str]:
    """The lines the narrative reads, each with its squeezed, repaired text; and the page's text, joined."""
    kept = _without_captions(lines)  # page numbers, headers stripped
    texts = repair_lines([squeeze(line.text) for line in kept])
    return list(zip(kept, texts, strict=True)), "".join(texts)


#: a chart's legend or axis labels printed under its caption, at most this many lines (catalogue §8)
CAPTION_LABEL_LINES = 4
_CAPTION_LABEL_CHARS = 20
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
                            r"|第[一二三四五六七八九十]+部分)")


def _without_captions(lines: list[Line]) -> list[Line]:
    """The lines without a chart's caption (图1：…) and the short labels under it (单位：万元, 2023年, 基本支出36.90%,
    its rounded figures): no statement's words. A label is short, no sentence (no ，。；) and no heading."""
    out, labels_left = [], 0
    for line in lines:
        if _CAPTION.match(line.text):
            labels_left = CAPTION_LABEL_LINES
            continue
        text = squeeze(line.text)
        if labels_left and len(text) <= _CAPTION_LABEL_CHARS and not re.search(r"[，。；;]", text) \
                and not _HEADING_START.match(text):
            labels_left -= 1
            continue
        labels_left = 0
        out.append(line)
    return out


def page_at(marks: list[tuple[int, int]], pos: int) -> int:
    """The page number at offset `pos` of narrative_text's string, from its (offset, page) marks: the last mark at
    or before `pos` (the first page's before the first mark). The marks are in offset order: found by bisection,
    as every sentence and figure asks."""
    if not marks:
        return 1
    at = bisect_right(marks, pos, key=_OFFSET)
    return marks[at - 1][1] if at else marks[0][1]


_OFFSET = itemgetter(0)


def _wan(number: str | None, unit: str | None) -> Decimal | None:
    if number is None:
        return None
    value = parse_amount(number)
    if value is None:
        return None
    return (value / 10000 if unit == "元" else value).quantize(CENT)


def _clause(text: str, start: int, end_at: re.Pattern) -> str:
    """The text after a subject up to the end of its clause (its sentence's end or the next subject)."""
    window = text[start: start + _MAX_CLAUSE]
    stop = end_at.search(window)
    return window[: stop.start()] if stop else window


def _statement(scope: str, f: Figures, reason: str | None, page: int, span: tuple[int, int]) -> Statement:
    return Statement(scope, None, f.initial, f.full_year, f.actual, f.pct, reason, page, span=span,
                     unqualified_budget=f.unqualified, budget_basis=f.basis, budget_difference=f.difference)


def _rated(f: Figures) -> bool:
    """A statement that gives a budget or a completion %, not a difference only."""
    return f.pct is not None or any(v is not None for v in (f.initial, f.full_year, f.unqualified))


def _best(found: Iterator[tuple[Figures, int, int]]) -> tuple[Figures, int, int] | None:
    """The first statement giving a budget or a rate, else the first one: a sentence of the 支出 section that states
    only a difference (…支出 X 万元，比年初预算数增加 D 万元) yields to the completion statement after it."""
    first = None
    for candidate in found:
        if _rated(candidate[0]):
            return candidate
        first = first or candidate
    return first


def gpb_total_statement(text: str, marks) -> Statement | None:
    """The department's 一般公共预算财政拨款支出 against a budget (a budget, a completion % or a difference printed);
    a bare 财政拨款支出 only where no 一般公共预算 one is stated."""
    for subject in (_GPB_SUBJECT, _BARE_SUBJECT):
        if best := _best(_gpb_candidates(text, subject)):
            f, start, end = best
            return _statement("gpb_total", f, _reason(text[end: end + 300]), page_at(marks, start), (start, end))
    return None


def _gpb_candidates(text: str, subject: re.Pattern) -> Iterator[tuple[Figures, int, int]]:
    for m in subject.finditer(text):
        clause = _clause(text, m.end(), _GPB_CLAUSE_END)
        if "预算" not in clause and "差" not in clause:
            continue  # states nothing against a budget (a heading, the 支出 section's share)
        f = read_clause(clause)
        if f.states_budget() and (f.actual is not None or f.pct is not None):
            yield f, m.start(), m.end() + len(clause)


def sangong_total_statement(text: str, marks) -> Statement | None:
    """The 三公 total statement with a 决算 (the first giving a budget or a rate, else the first); a budget stated in a
    clause of its own just before (预算为X…实际支出“三公经费”决算为Y) is kept with it."""
    if best := _best(_sangong_candidates(text)):
        f, start, end = best
        return _statement("sangong_total", f, None, page_at(marks, start), (start, end))
    return None


def _sangong_candidates(text: str) -> Iterator[tuple[Figures, int, int]]:
    pending: Figures | None = None
    for m in _SANGONG_SUBJECT.finditer(text):
        clause = _clause(text, m.end(), _SANGONG_CLAUSE_END)
        if "元" not in clause and "预算" not in clause:
            continue  # no figure, no budget (a heading, 名词解释)
        f = read_clause(clause)
        if f.actual is None:
            pending = f if f.states_budget() else pending
            continue
        if pending is not None:
            f, pending = merge(f, pending), None
        yield f, m.start(), m.end() + len(clause)


class ItemSegment(NamedTuple):
    """One 项 paragraph: its 类/款/项 path, where its heading starts and its text ends, and its text after
    the heading."""

    path: str
    start: int
    end: int
    text: str


def item_segments(text: str) -> list[ItemSegment]:
    """Each 项 paragraph of the text, cut at the next 项 heading or numbered section heading."""
    starts = _item_starts(text)
    out = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        path = "/".join(_strip(m.group(g)) for g in ("cls", "sec", "item"))
        segment = _until_section_end(text[m.end(): end])
        out.append(ItemSegment(path, m.start(), m.end() + len(segment), segment))
    return out


#: the （类） every 项 heading holds, and how far before its bracket a heading may start: its lead (at most 5
#: characters: （十二）) and the 类's name (at most 30, _ITEM_START's cls)
_CLASS_MARK = re.compile(r"[（(]类[）)]")
_ITEM_REACH = 36


def _item_starts(text: str) -> list[re.Match]:
    """_ITEM_START.finditer(text), its matches the same: a heading starts within _ITEM_REACH characters before a
    （类）, so only those starts are tried (in order, each after the previous heading's end), not every character
    of the narrative."""
    out, next_start = [], 0
    for mark in _CLASS_MARK.finditer(text):
        for start in range(max(next_start, mark.start() - _ITEM_REACH), mark.start() + 1):
            if m := _ITEM_START.match(text, start):
                out.append(m)
                next_start = m.end()
                break
        else:
            next_start = max(next_start, mark.start() + 1)
    return out


def item_statements(text: str, marks) -> list[Statement]:
    out = []
    for path, start, end, segment in item_segments(text):
        at = actual_offset(segment)  # the page citing its 决算 figure: a paragraph may run onto the next page
        page = page_at(marks, end - len(segment) + at) if at is not None else page_at(marks, start)
        statement = _item_statement(path, segment, page)
        statement.span = (start, end)
        if any(v is not None for v in (statement.initial_budget, statement.full_year_budget, statement.actual)):
            out.append(statement)  # a paragraph without a single figure states nothing to compare
    return out


def _until_section_end(segment: str) -> str:
    """Cut an item's text at the next numbered heading (（四）…, 六、…)."""
    for h in _SECTION_END.finditer(segment):
        if h.start() > 0 and segment[h.start() - 1] in "。；;":
            return segment[: h.start()]
    return segment


_LEAD = re.compile(r"^.*[:：]|^.*?(?:\d{1,2}[、.．]|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)])")


def _strip(name: str) -> str:
    """A path segment without what precedes it in the sentence (其中：1、一般公共服务支出 → 一般公共服务支出,
    ⏎1一般公共服务支出 → 一般公共服务支出)."""
    while (cut := _LEAD.sub("", name)) != name:
        name = cut
    # a number whose 、 was lost at a line's start (OCR: 如下：⏎1社会保障和就业支出): no 类 name starts with a digit
    return re.sub(r"^[，,。\s]*(?:\d{1,2}(?=[\u4e00-\u9fff]))?", "", name)


def _first(pattern: str, segment: str) -> tuple[str, str] | tuple[None, None]:
    m = re.search(pattern, segment)
    return (m.group(1), m.group(2)) if m else (None, None)


def _item_statement(path: str, segment: str, page: int) -> Statement:
    stated = segment[: m.start()] if (m := re.search(r"原因", segment)) else segment
    f = read_clause(stated, actual=False)
    f.actual = this_year_actual(segment)
    return Statement("item", path, f.initial, f.full_year, f.actual, f.pct, _reason(segment), page,
                     unqualified_budget=f.unqualified, budget_basis=f.basis, budget_difference=f.difference)


_DECIDED = re.compile(r"(?P<when>\d{4}年度?|上一?年度?|本年度?|当年)?(?:的)?(?:财政拨款)?(?:支出)?决算(?:数)?(?:为|是)"
                      + NUM + UNIT)


@lru_cache(maxsize=256)
def decided_figures(segment: str) -> tuple[tuple[bool, Decimal | None, int], ...]:
    """Every `…决算(数)为 X 万元` of a segment as (is last year's, X in 万元, offset): last year's when
    introduced by 上年/上年度 or by a year earlier than another year the segment dates a 决算 with.
    Remembered by the segment: a 项 paragraph's actual, its offset and its prior-year figure each read it."""
    if "决算" not in segment:
        return ()  # every match holds 决算
    found = list(_DECIDED.finditer(segment))
    years = [int(m.group("when")[:4]) for m in found if m.group("when") and m.group("when")[:4].isdigit()]
    latest = max(years, default=None)

    def is_prior(when: str | None) -> bool:
        if not when:
            return False
        return when.startswith("上") or (when[:4].isdigit() and latest is not None and int(when[:4]) < latest)
    return tuple((is_prior(m.group("when")), _wan(m.group(2), m.group(3)), m.start()) for m in found)


def this_year_actual(segment: str) -> Decimal | None:
    """The first 决算 figure of a 项 paragraph that is not last year's, else the figure right after the
    heading (2017 wording: …（项）支出3,190.08万元 / …（项）41.93万元)."""
    actual = next((value for prior, value, _ in decided_figures(segment) if not prior), None)
    if actual is None:
        actual = _wan(*_first(r"^[。，,]?(?:支出)?(?:决算)?(?:数)?为?" + NUM + UNIT, segment))
    return actual


def actual_offset(segment: str) -> int | None:
    """Where in the segment this_year_actual read its figure (None when it read none)."""
    found = next((at for prior, _, at in decided_figures(segment) if not prior), None)
    if found is not None:
        number = re.search(NUM, segment[found:])
        found += number.start() if number else 0
    else:
        m = re.search(r"^[。，,]?(?:支出)?(?:决算)?(?:数)?为?" + NUM + UNIT, segment)
        found = m.start(1) if m else None
    return found


#: what a text elided prints in place of a reason: （略）, (略), 略 — no reason stated
_ELIDED = re.compile(r"^[（(]?\s*略\s*[）)]?$")


def _reason(segment: str) -> str | None:
    m = re.search(r"原因(?:是|为)?[:：]?(.+?)(?:。|$)", segment)
    if m:
        reason = m.group(1).strip()
        return None if not reason or _ELIDED.match(reason) else reason
    m = re.search(r"(决算数?与(?:全年|年初)?预算数?[^。]*?持平)", segment)
    return m.group(1) if m else None


def read_statements(pages: list[Page]) -> list[Statement]:
    text, marks = narrative_text(pages)
    found = [gpb_total_statement(text, marks), sangong_total_statement(text, marks)]
    return [s for s in found if s] + item_statements(text, marks)
