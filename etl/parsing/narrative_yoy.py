"""Year-on-year statements of the narrative: this year's 决算 against last year's, per 项 and for the whole
财政拨款支出 (the 高等学校 template and some central units compare with last year instead of a budget).

Rows match the item_yoy table (etl/schema.py ITEM_YOY). A paragraph is a year-on-year statement when, before
its stated reason, it compares with last year (上年 / 比2023年度 / 同比) and gives last year's figure, a change
(增加/减少 C 万元, 增长/下降 P%) or 持平. A paragraph comparing only with a budget gives no row.
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.normalise import parse_percent
from etl.pagesource.page import Page
from etl.parsing.narrative import (
    NUM,
    UNIT,
    _reason,
    _wan,
    decided_figures,
    item_segments,
    narrative_text,
    one_for_one,
    page_at,
    this_year_actual,
)

#: 与2023年度预算相比 compares with a budget, not with last year (安徽 wording).
_ANCHOR = re.compile(r"上一?年(?!度?(?:结转|结余|末|预算))度?"
                     r"|(?:比|较|与|同)\d{4}年(?!度?的?(?:年初|全年|调整后?)?预算)度?|同比")
#: A negative after the direction word (下降-5.00%: a template that prints 下降 whatever the sign) reverses it.
_NEG = r"(?P<neg>[-－−])?"
_CHANGE = re.compile(r"(?P<dir>增加|减少|增长|下降)了?" + _NEG + NUM + UNIT)
_PCT = re.compile(r"(?P<dir>增长|下降|增加|减少)了?" + _NEG + NUM + r"%")
_FLAT = re.compile(r"(?:与|和|同|较|比)(?:上一?年度?|\d{4}年度?)(?:决算)?(?:数)?(?:相比)?(?P<roughly>基本)?持平")
_TOTAL = re.compile(r"(?<!经费)(?:一般公共预算|政府性基金预算|国有资本经营预算)?财政拨款支出(?:总计|合计)?"
                    r"(?:决算)?(?:数)?(?:为|是|共计)?" + NUM + UNIT)
_DOWN = ("减少", "下降")
_fold = one_for_one({"．": ".", "﹪": "%"})  # offsets to the page marks stay valid


def read_yoy_statements(pages: list[Page]) -> list[dict]:
    """item_yoy rows (without doc_id) for the year-on-year statements of the narrative pages."""
    text, marks = narrative_text(pages)
    return yoy_rows(_fold(text), marks)


def yoy_rows(text: str, marks: list[tuple[int, int]]) -> list[dict]:
    """The whole-department statements first, then one row per 项 paragraph that compares with last year."""
    items = item_segments(text)
    spans = [(item.start, item.end) for item in items]
    rows = []
    for m in _TOTAL.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue  # a 项 paragraph's own 财政拨款支出 figure
        sentence = re.split(r"[。]", text[m.end():], maxsplit=1)[0]
        row = _yoy_row("total", None, _wan(m.group(1), m.group(2)), sentence, page_at(marks, m.start()))
        if row:
            rows.append({**row, "span": (m.start(), m.end() + len(sentence))})
    for item in items:
        row = _yoy_row("item", item.path, this_year_actual(item.text), item.text, page_at(marks, item.start))
        if row:
            rows.append({**row, "span": (item.start, item.end)})
    return rows


def _yoy_row(scope: str, path: str | None, actual: Decimal | None, segment: str, page: int) -> dict | None:
    """The row a segment states against last year, or None when it does not compare with last year."""
    stated = segment[: m.start()] if (m := re.search(r"原因", segment)) else segment
    anchor = _ANCHOR.search(stated)
    if anchor is None:
        return None
    prior = next((value for is_prior, value, _ in decided_figures(segment) if is_prior), None)
    after = re.split(r"。", stated[anchor.start():], maxsplit=1)[0]
    after = _first_base(after, anchor.end() - anchor.start())
    change, pct, flat = _CHANGE.search(after), _PCT.search(after), _FLAT.search(stated)
    if actual is None or not (prior is not None or change or pct or flat):
        return None
    level = flat is not None and not flat.group("roughly") and not change and not pct  # 持平; 基本持平 states no figure
    zero = Decimal("0.00")
    return {"scope": scope, "path": path, "code": None, "actual": actual, "prior_actual": prior,
            "change": zero if level else _signed_change(change), "change_pct": zero if level else _signed_pct(pct),
            "reason": _reason(segment), "page": page}


def _first_base(after: str, start: int) -> str:
    """The comparison up to a second base: a further 比/较YYYY年 once a change has been stated (…增长--（基数为0，
    不可比）；比2019年（疫情前）减少…) compares with another year, never last year. One that follows the first
    with no change stated between (与上年相比，…比2022年度增加…) names the same year: the text runs on."""
    second = _ANCHOR.search(after, start)
    if second and re.search(r"增加|减少|增长|下降|持平", after[start:second.start()]):
        return after[:second.start()]
    return after


def _signed_change(m: re.Match | None) -> Decimal | None:
    """增加 C 万元 as C, 减少 C 万元 as -C."""
    value = _wan(m.group(3), m.group(4)) if m else None
    return -value if value is not None and (m.group("dir") in _DOWN) != bool(m.group("neg")) else value


def _signed_pct(m: re.Match | None) -> Decimal | None:
    """增长 P% as P, 下降 P% as -P."""
    value = parse_percent(m.group(3)) if m else None
    return -value if value is not None and (m.group("dir") in _DOWN) != bool(m.group("neg")) else value
