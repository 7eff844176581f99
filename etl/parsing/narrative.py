"""Read the narrative (情况说明): budget-versus-actual statements, per 项 and for the whole department.

The narrative is rebuilt as one string from position-grouped lines (so numbers set off the
baseline stay in their sentence), page numbers and running headers dropped; statements are then
read with patterns that tolerate the wordings regions use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from etl.normalise import CENT, parse_amount, parse_percent, squeeze
from etl.pagesource.page import Line, Page

NUM = r"(\d[\d,]*(?:\.\d+)?)"
UNIT = r"(万元|元)"
_ITEM_START = re.compile(
    r"(?:\d{1,2}[、.．]|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]|(?<=[：:。；;]))(?P<cls>[^。；]{2,30}?)[（(]类[）)](?P<sec>[^。；]{1,40}?)[（(]款[）)]"
    r"(?P<item>[^。；]{1,40}?)[（(]项[）)]"
)
_SECTION_END = re.compile(r"[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、")
#: 一般公共预算财政拨款支出, or in the 2013–2015 wording 公共财政(预算)拨款支出
GPB = r"(?:一般公共预算财政|公共财政(?:预算)?(?:财政)?)拨款支出"
_GPB_TOTAL = re.compile(
    GPB + r"(?:决算)?(?:年初预算(?:数)?为?" + NUM + UNIT + r")?[，,]?"
    r"(?:(?:全年|调整后?)预算(?:数)?为?" + NUM + UNIT + r")?[，,]?(?:支出)?决算(?:数)?为?" + NUM + UNIT +
    r"[，,]?完成(?:年初|全年|调整后?)?预算(?:数)?的" + NUM + r"%"
)
_GPB_TOTAL_BUDGET_AFTER = re.compile(  # …支出决算为Y万元，完成年初预算X万元的Z%
    GPB + r"(?:决算)?(?:数)?为?" + NUM + UNIT + r"[，,]?完成(?P<kind>年初|全年|调整后?)?预算(?:数)?"
    + NUM + UNIT + r"的" + NUM + r"%"
)
_SANGONG_TOTAL = re.compile(
    r"\"三公\"经费(?:财政拨款)?支出(?:(?:年初)?预算(?:数)?为?" + NUM + UNIT + r"[，,]?)?(?:支出)?决算(?:数)?为?"
    + NUM + UNIT + r"[，,]?(?:完成(?:年初)?预算(?:数)?" + r"(?:" + NUM + UNIT + r")?的" + NUM + r"%)?"
)


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
    code: str | None = None  # 7-digit function code, linked by name to a table row (etl.parsing.parse)
    span: tuple[int, int] | None = None  # where it was read in narrative_text's string (start, end)
    ocr_confidence: float | None = None  # the lowest of the OCR lines it was read from (etl.parsing.readings)


def narrative_text(pages: list[Page]) -> tuple[str, list[tuple[int, int]]]:
    """The pages' text as one compact string, and (offset, page number) marks for provenance."""
    parts, marks, offset = [], [], 0
    for page in pages:
        marks.append((offset, page.number))
        for _, text in _squeezed_lines(page):
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


def _squeezed_lines(page: Page) -> Iterator[tuple[Line, str]]:
    for line in page.lines():  # page numbers and running headers already stripped
        yield line, squeeze(line.text)


def page_at(marks: list[tuple[int, int]], pos: int) -> int:
    """The page number at offset `pos` of narrative_text's string, from its (offset, page) marks."""
    page = marks[0][1] if marks else 1
    for offset, number in marks:
        if offset > pos:
            break
        page = number
    return page


def _wan(number: str | None, unit: str | None) -> Decimal | None:
    if number is None:
        return None
    value = parse_amount(number)
    if value is None:
        return None
    return (value / 10000 if unit == "元" else value).quantize(CENT)


def gpb_total_statement(text: str, marks) -> Statement | None:
    m = _GPB_TOTAL.search(text)
    if m:
        init, u1, full, u2, act, u3, pct = m.groups()
    elif m := _GPB_TOTAL_BUDGET_AFTER.search(text):
        act, u3, kind, budget, ub, pct = m.groups()
        full_year = kind in ("全年", "调整", "调整后")
        init, u1, full, u2 = (None, None, budget, ub) if full_year else (budget, ub, None, None)
    else:
        return None
    reason = _reason(text[m.end(): m.end() + 300])
    return Statement("gpb_total", None, _wan(init, u1), _wan(full, u2), _wan(act, u3), parse_percent(pct),
                     reason, page_at(marks, m.start()), span=(m.start(), m.end()))


def sangong_total_statement(text: str, marks) -> Statement | None:
    m = _SANGONG_TOTAL.search(text)
    if not m:
        return None
    init, u1, act, u2, budget2, u3, pct = m.groups()
    budget = _wan(init, u1) if init else _wan(budget2, u3)
    return Statement("sangong_total", None, budget, None, _wan(act, u2), parse_percent(pct), None,
                     page_at(marks, m.start()), span=(m.start(), m.end()))


class ItemSegment(NamedTuple):
    """One 项 paragraph: its 类/款/项 path, where its heading starts and its text ends, and its text after
    the heading."""

    path: str
    start: int
    end: int
    text: str


def item_segments(text: str) -> list[ItemSegment]:
    """Each 项 paragraph of the text, cut at the next 项 heading or numbered section heading."""
    starts = list(_ITEM_START.finditer(text))
    out = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        path = "/".join(_strip(m.group(g)) for g in ("cls", "sec", "item"))
        segment = _until_section_end(text[m.end(): end])
        out.append(ItemSegment(path, m.start(), m.end() + len(segment), segment))
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
    """A path segment without what precedes it in the sentence (其中：1、一般公共服务支出 → 一般公共服务支出)."""
    while (cut := _LEAD.sub("", name)) != name:
        name = cut
    return re.sub(r"^[，,。\s]+", "", name)


def _first(pattern: str, segment: str) -> tuple[str, str] | tuple[None, None]:
    m = re.search(pattern, segment)
    return (m.group(1), m.group(2)) if m else (None, None)


def _item_statement(path: str, segment: str, page: int) -> Statement:
    initial = _wan(*_first(r"年初预算(?:数)?为?" + NUM + UNIT, segment))
    full = _wan(*_first(r"(?:全年|调整后?)预算(?:数)?为?" + NUM + UNIT, segment))
    actual = this_year_actual(segment)
    pct = re.search(r"(?:完成[^。，,]{0,12}?的|占(?:年初|全年|调整后?)?预算(?:数)?的|预算完成率(?:为)?)" + NUM + r"%",
                    segment)
    return Statement("item", path, initial, full, actual, parse_percent(pct.group(1)) if pct else None,
                     _reason(segment), page)


_DECIDED = re.compile(r"(?P<when>\d{4}年度?|上一?年度?|本年度?|当年)?(?:的)?(?:财政拨款)?(?:支出)?决算(?:数)?(?:为|是)"
                      + NUM + UNIT)


def decided_figures(segment: str) -> list[tuple[bool, Decimal | None, int]]:
    """Every `…决算(数)为 X 万元` of a segment as (is last year's, X in 万元, offset): last year's when
    introduced by 上年/上年度 or by a year earlier than another year the segment dates a 决算 with."""
    found = list(_DECIDED.finditer(segment))
    years = [int(m.group("when")[:4]) for m in found if m.group("when") and m.group("when")[:4].isdigit()]
    latest = max(years, default=None)

    def is_prior(when: str | None) -> bool:
        if not when:
            return False
        return when.startswith("上") or (when[:4].isdigit() and latest is not None and int(when[:4]) < latest)
    return [(is_prior(m.group("when")), _wan(m.group(2), m.group(3)), m.start()) for m in found]


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


def _reason(segment: str) -> str | None:
    m = re.search(r"原因(?:是|为)?[:：]?(.+?)(?:。|$)", segment)
    if m:
        return m.group(1).strip() or None
    m = re.search(r"(决算数?与(?:全年|年初)?预算数?[^。]*?持平)", segment)
    return m.group(1) if m else None


def read_statements(pages: list[Page]) -> list[Statement]:
    text, marks = narrative_text(pages)
    found = [gpb_total_statement(text, marks), sangong_total_statement(text, marks)]
    return [s for s in found if s] + item_statements(text, marks)
