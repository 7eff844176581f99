"""三公 figures a report states only in its text (central departments, some districts print no 三公 table).

The 三公 passages are found first (a mention of "三公"经费 with a figure or a 无/未发生 in its sentence, up to
the next section heading), so that an item name met elsewhere (名词解释, the 基本支出 list) is never read.
Within them each item's clause (up to the next item name or ；/。) gives its 预算 and 决算; an item is 0 only
where the text says so (0万元, 为零, 未发生, 无…支出) — an item not stated gives no row.

What an item's clause states against its budget (a budget, a completion %, a difference) is also a budget
statement of its own (budget_execution scope sangong_item, path the item), whether or not a 三公 table prints
the item's figures: the rate and the difference are printed only in the text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from etl.pagesource.page import Page
from etl.parsing.narrative import NUM, UNIT, Statement, narrative_text, one_for_one, page_at
from etl.parsing.narrative_grammar import Figures, merge, read_clause

ITEMS = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
_QUOTE = r"[\"'‘’“”「」『』]?"
_NAMES = {
    "total": _QUOTE + r"三公" + _QUOTE + r"经费(?:财政拨款)?(?:支出)?",
    "overseas": r"因公出国[（(]?境?[）)]?(?:费用|经费|费)?",
    "vehicle_total": r"公务用车购置[及和与]运行(?:维护|维修)?(?:费用|经费|费)",
    "vehicle_purchase": r"公务用车购置(?:费用|经费|费)",
    "vehicle_operation": r"公务用车运行(?:维护|维修)?(?:费用|经费|费)",
    "reception": r"公务接待(?:费用|经费|费)",
}
_NOT_FOR_THE_FORM = r"(?!(?:财政拨款)?(?:支出)?的(?:部门|单位))"  # 无“三公”经费财政拨款支出的部门，作下述说明
_NAME = re.compile(r"(?P<none>未发生|没有|无)?(?:财政拨款)?(?:"
                   + "|".join(f"(?P<{k}>{v})" for k, v in _NAMES.items()) + ")" + _NOT_FOR_THE_FORM)
_TOTAL = re.compile(_NAMES["total"])
_FIGURE = re.compile(NUM + UNIT + r"|为零|未发生|无支出")
_AFTER_SENTENCE = r"(?:(?<=[。；;！!？?])|^)"
_TOP_HEADING = re.compile(_AFTER_SENTENCE + r"[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]+部分")
_SUB_HEADING = re.compile(_AFTER_SENTENCE + r"[（(][一二三四五六七八九十]{1,3}[）)]")
_ABOUT_SANGONG = re.compile(r"三公|出国|公务用车|公务接待")
_MAX_REGION = 2500
_ZERO = re.compile(r"^[：:]?(?:财政拨款)?(?:支出)?(?:决算)?(?:数)?均?(?:为零|未发生|无支出|为无"
                   r"|为0(?:\.0+)?(?:万元|元)?(?![\d.,]))")
#: an item named in a list with the next one (因公出国（境）费、公务用车购置及运行维护费无支出): the list's zero is its
_LISTED = re.compile(r"^\s*(?:支出)?[、和及与]\s*$")
_fold = one_for_one({"．": ".", "﹪": "%"})  # offsets to the page marks stay valid


class StatedItem(NamedTuple):
    item: str
    figures: Figures
    at: int  # offset of its 决算 in the text
    start: int  # offset of the item's name


def read_sangong_narrative(pages: list[Page]) -> list[dict]:
    """Rows {item, budget, actual, page, source: narrative} for the 三公 items the text states, in ITEMS order."""
    text, marks = narrative_text(pages)
    return sangong_rows(_fold(text), marks)


def read_sangong_item_statements(pages: list[Page]) -> list[Statement]:
    """Each 三公 item's statement against its budget (scope sangong_item, path the item), in ITEMS order."""
    text, marks = narrative_text(pages)
    return sangong_item_statements(_fold(text), marks)


def sangong_rows(text: str, marks: list[tuple[int, int]]) -> list[dict]:
    """The 三公 rows of a narrative string (as narrative_text builds it) with its page marks."""
    rows = []
    for s in _first_statements(text):
        budget, basis = s.figures.budget()
        rows.append({"item": s.item, "budget": budget, "actual": s.figures.actual, "page": page_at(marks, s.at),
                     "budget_basis": basis if budget is not None else None,
                     "source": "narrative", "span": (s.at, s.at + 1)})  # the line its figure starts on
    return rows


def sangong_item_statements(text: str, marks: list[tuple[int, int]]) -> list[Statement]:
    """The items (not the total: scope sangong_total) whose clause states a budget, a rate or a difference."""
    out = []
    for s in _first_statements(text):
        f = s.figures
        if s.item == "total" or not f.states_budget():
            continue
        out.append(Statement("sangong_item", s.item, f.initial, f.full_year, f.actual, f.pct, None,
                             page_at(marks, s.start), unqualified_budget=f.unqualified, budget_basis=f.basis,
                             budget_difference=f.difference, span=(s.start, s.at + 1)))
    return out


def _first_statements(text: str) -> list[StatedItem]:
    """Each item's first statement with a 决算 in the 三公 passages, in ITEMS order."""
    found: dict[str, StatedItem] = {}
    for start, end in _regions(text):
        for s in _stated_items(text, start, end):
            found.setdefault(s.item, s)
    return [found[item] for item in ITEMS if item in found]


def _regions(text: str) -> list[tuple[int, int]]:
    """Spans of the text that state 三公 figures: from a 三公 mention whose sentence carries a figure (or a
    无/未发生) to the next heading of another subject, merged where they overlap."""
    spans: list[tuple[int, int]] = []
    for m in _TOTAL.finditer(text):
        sentence = re.split(r"[。]", text[m.end(): m.end() + 160], maxsplit=1)[0]
        before = text[max(0, m.start() - 4): m.start()]
        if not (_FIGURE.search(sentence) or re.search(r"(?:未发生|没有|无)(?:财政拨款)?$", before)):
            continue
        start, end = max(0, m.start() - 4), _region_end(text, m.end())
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _region_end(text: str, pos: int) -> int:
    """The next heading whose title (up to 说明, 20 characters at most) is not about 三公 (八、… / （三）…),
    at most _MAX_REGION characters on."""
    limit = min(len(text), pos + _MAX_REGION)
    for pattern in (_TOP_HEADING, _SUB_HEADING):
        for h in pattern.finditer(text, pos, limit):
            title = re.split(r"说明|。|；", text[h.end(): h.end() + 20], maxsplit=1)[0]
            if not _ABOUT_SANGONG.search(title):
                limit = h.start()
                break
    return limit


def _stated_items(text: str, start: int, end: int) -> list[StatedItem]:
    """Each item mention in text[start:end] that states a 决算, with what its clause states; a budget stated in an
    item's clause without its 决算 goes with the item's next mention."""
    mentions = list(_NAME.finditer(text, start, end))
    out = []
    pending: dict[str, Figures] = {}
    listed: list[tuple[str, int]] = []  # items named in a list before this one: they share its zero
    for i, m in enumerate(mentions):
        item = next(k for k in _NAMES if m.group(k))
        stop = mentions[i + 1].start() if i + 1 < len(mentions) else end
        clause = re.split(r"[。；;]", text[m.end(): stop], maxsplit=1)[0]
        if _LISTED.match(text[m.end(): stop]):
            listed.append((item, m.end()))
            continue
        f = read_clause(clause)
        if f.actual is None and (_ZERO.match(clause) or _said_none(m, clause)):
            f.actual, f.actual_at = Decimal("0.00"), 0
        shared, listed = listed, []
        if f.actual == 0 and not f.states_budget():
            out += [StatedItem(name, Figures(actual=f.actual), at, at) for name, at in shared]
        if f.actual is None:
            if f.states_budget():
                pending[item] = f
            continue
        if item in pending:
            f = merge(f, pending.pop(item))
        out.append(StatedItem(item, f, m.end() + (f.actual_at or 0), m.start()))
    return out


def _said_none(mention: re.Match, clause: str) -> bool:
    """未发生/无 before an item named as an expense (…费, …经费, …支出), not 无因公出国（境）团组."""
    named_as_expense = mention.group(0).endswith(("费", "费用", "支出")) or clause.startswith("支出")
    return bool(mention.group("none")) and named_as_expense
