"""Parse rows of the function-classified tables: 支出决算表 (03) and 一般公共预算财政拨款支出决算表 (05).

Codes come either joined in one column (2010601) or split into 类/款/项 columns (201 06 01);
both are joined into one code. Names wrapped over several lines are joined.
"""

from __future__ import annotations

import re
from decimal import Decimal
from operator import attrgetter

from etl.normalise import clean_text, compact, is_amount, is_figure
from etl.pagesource.page import Line, Word
from etl.parsing.locate import LocatedTable
from etl.parsing.tables.body import read_body
from etl.parsing.tables.grid import WORDS, ColumnRoles, Row, amount_columns, label_column

COLUMN_ROLES = {
    "年初结转": "carryover_begin", "年末结转": "carryover_end",  # 云南's 收入支出决算表 by function (05)
    "人员经费": "personnel_part", "公用经费": "public_part",  # parts of 基本支出 in some layouts
    "基本支出": "basic", "项目支出": "project", "上缴上级": "remit", "经营支出": "operating",
    "附属单位": "affiliate", "财政拨款": "fiscal", "上级补助": "superior", "事业收入": "business",
    "经营收入": "operating_income", "其他收入": "other", "合计": "total", "小计": "total", "决算数": "total",
    "本年支出": "total", "本年收入": "total", "金额": "total",
}
FALLBACK_ORDER = ["total", "basic", "project", "remit", "operating", "affiliate"]
LEVELS = {3: "class", 5: "section", 7: "item"}
_OTHER_COLUMNS = {"remit", "operating", "affiliate"}  # 03 columns beside 基本/项目支出 that add to 合计
_WORD_ROLES = {"total", "basic", "project", *_OTHER_COLUMNS}  # the roles whose words a row keeps (WORDS)
_ZERO = Decimal("0.00")  # an amount column the row leaves blank
_CODE_HEADINGS = {"类", "款", "项"}  # sub-headings of split code columns, sometimes in the first row's band
_TOTAL = re.compile(r"^(合计|总计)$")


_JOINED_CODE = re.compile(r"\d{5}|\d{7}")
_CLASS_OR_PART = re.compile(r"\d{2,3}")
_CODE_PART = re.compile(r"\d{2}")
_x0 = attrgetter("x0")


def _code_words(line_words: list[Word]) -> list[Word]:
    """Leading integer tokens forming a function code: 2010601, or 201 06 01 — or, where the 类
    (and 款) cells are left blank under their first row, just 06 or 06 01 before the name."""
    words = sorted(line_words, key=_x0)
    if not words:
        return []
    if _JOINED_CODE.fullmatch(words[0].text):
        return words[:1]
    if not _CLASS_OR_PART.fullmatch(words[0].text):
        return []
    code = [words[0]]
    for w in words[1 : 3 if len(words[0].text) == 3 else 2]:
        if not _CODE_PART.fullmatch(w.text):
            break
        code.append(w)
    partial = len(words[0].text) == 2
    followed_by_name = len(words) > len(code) and not is_amount(words[len(code)].text)
    return code if not partial or followed_by_name else []


def leading_label(line: Line) -> str:
    """The line's text before its first amount, spaces removed (`合  计` -> 合计)."""
    parts = []
    for w in line.words:
        if is_figure(w.text):
            break
        parts.append(w.text)
    return compact("".join(parts))


def is_function_anchor(line: Line) -> bool:
    return bool(_code_words(line.words)) or bool(_TOTAL.match(leading_label(line).removeprefix("类款项")))


def _row_code(row: Row) -> tuple[list[Word], set[int]]:
    for line in row.lines():
        words = _code_words(line.words)
        if words:
            return words, {id(w) for w in words}
    return [], set()


class _CodeContext:
    """Completes codes printed without their 类 (and 款) digits from the rows above them.

    The x of the 款 and 项 columns is learnt from rows printed in full (201 06 01), so a lone
    `01` is known to be a 项 and `06` a 款.
    """

    def __init__(self, coded: list[tuple[Row, list[Word], set[int]]]):
        full = [words for _, words, _ in coded if len(words) == 3 and len(words[0].text) == 3]
        self.kuan_x = sorted(w[1].x0 for w in full)[len(full) // 2] if full else None
        self.xiang_x = sorted(w[2].x0 for w in full)[len(full) // 2] if full else None
        self.cls = self.section = ""

    def code(self, words: list[Word]) -> str | None:
        if not words:
            return None
        text = "".join(w.text for w in words)
        if len(words[0].text) != 2:
            self.cls, self.section = text[:3], text[:5] if len(text) >= 5 else ""
            return text
        if not self.cls:
            return None
        if len(words) == 2 or self._is_xiang(words[0]):
            return (self.cls + text) if len(words) == 2 else (self.section + text if self.section else None)
        self.section = self.cls + text
        return self.section

    def _is_xiang(self, word: Word) -> bool:
        if self.kuan_x is None or self.xiang_x is None:
            return bool(self.section)
        return abs(word.x0 - self.xiang_x) < abs(word.x0 - self.kuan_x)


def parse_function_table(table: LocatedTable, unit: str) -> list[dict]:
    body = read_body(table, is_function_anchor)
    coded = [(row, *_row_code(row)) for row in body.rows]
    money = [[w for w in row.words if id(w) not in code_ids and is_figure(w.text)]
             for row, _, code_ids in coded]
    cols = amount_columns([Row(m, 0) for m in money])
    roles = [label_column(c, body.header, _vocabulary(body.header)) for c in cols]
    named = [r for r in roles if r]
    if not named or len(set(named)) < len(named):  # header unreadable: the standard column order
        roles = FALLBACK_ORDER[: len(cols)] + [None] * max(0, len(cols) - len(FALLBACK_ORDER))
    columns = ColumnRoles(cols, roles, unit)
    out, seen_total, codes = [], False, _CodeContext(coded)
    for (row, code_words, code_ids), amounts in zip(coded, money, strict=True):
        code = codes.code(code_words)
        name = _row_name(row, code_ids)
        is_total = code is None and bool(_TOTAL.match(compact(name)))
        if code is None and not is_total:
            continue
        if is_total and seen_total:  # 合计 repeated on a continuation page
            continue
        seen_total = seen_total or is_total
        values = columns.values(amounts)
        get = values.get
        out.append({
            "table_key": table.key, "code": code, "level": "total" if is_total else LEVELS[len(code)],
            "name": "合计" if is_total else name, "row_order": len(out), "page": row.page,
            "total": get("total", _ZERO), "basic": get("basic", _ZERO), "project": get("project", _ZERO),
            "other": sum((v for k, v in values.items() if k in _OTHER_COLUMNS), Decimal(0)),
            WORDS: {k: w for k, w in values.words.items() if k in _WORD_ROLES},
        })
    return out


def _vocabulary(header) -> dict[str, str]:
    """A table printing 本年收入 beside 本年支出 (云南's 一般公共预算财政拨款收入支出决算表) lists 支出 under
    本年支出: its 本年收入 column is income, not the 合计 of the row."""
    if any("本年支出" in compact(c.text) for c in header):
        return {**COLUMN_ROLES, "本年收入": "income"}
    return COLUMN_ROLES


def _row_name(row: Row, code_ids: set[int]) -> str:
    parts = [w.text for ln in row.lines() for w in ln.words
             if id(w) not in code_ids and not is_figure(w.text)
             and w.text not in _CODE_HEADINGS]
    return clean_text("".join(parts))
