"""Parse 一般公共预算财政拨款基本支出决算表 (06): economic classification, printed in two halves.

Each half is a list of (code, name, amount); codes are 3 (类) or 5 (款) digits, printed joined
(30101) or split (301 | 01). The 人员经费合计 / 公用经费合计 rows give the cost totals.
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.normalise import clean_text, compact, is_figure
from etl.pagesource.page import Line, Word
from etl.parsing.locate import LocatedTable
from etl.parsing.tables.body import page_parts, read_body
from etl.parsing.tables.function import leading_label
from etl.parsing.tables.grid import WORDS, ColumnRoles, Row, amount_columns, label_column

_CLASS_CODE = re.compile(r"^(3\d{2}|5\d{2})(\d{2})?(?=[^\d.,]|$)")
_TOTAL_ROW = re.compile(r"^(合计|总计)$")
_MONEY = re.compile(r"^\d[\d,]*\.\d{2}$")
#: a section's two digits glued before its name, after a class code read apart (`302` | `18.专用材料费`)
_SECTION_BEFORE_NAME = re.compile(r"^(\d{2})[.．、·:：]?(?=[^\d.,，．])")
_TOTAL_LABEL = re.compile(r"^(人员经费|公用经费)(合计)?$")
PERSONNEL_CLASSES = {"301", "303"}  # 工资福利支出, 对个人和家庭的补助; every other class is 公用经费


def is_economic_anchor(line: Line) -> bool:
    if not line.words:
        return False
    first = line.words[0]
    label = leading_label(line)
    return bool(_CLASS_CODE.match(compact(first.text))) or bool(_TOTAL_LABEL.search(label) or _TOTAL_ROW.match(label))


def segments(table: LocatedTable) -> list[tuple[float, float]]:
    """x ranges of the side-by-side (code, name, amount) groups: one per column of class codes.

    Most layouts print two groups (人员经费 | 公用经费); some print one or three.
    """
    words = [w for p in table.pages for w in table.words(p)]
    money = [w for w in words if _MONEY.match(w.text)]
    in_amounts: dict[tuple[float, float], bool] = {}  # by extent: the codes of a column share theirs, tested once
    codes = []
    for w in words:
        if _CLASS_CODE.match(w.text):
            extent = (w.x0, w.x1)
            if extent not in in_amounts:
                in_amounts[extent] = _in_amount_column(w, money)
            if not in_amounts[extent]:
                codes.append(w.x0)
    starts: list[float] = []
    for x in sorted(codes):
        if not starts or x - starts[-1] > 60:
            starts.append(x)
    edges = [-1e9] + [x - 2 for x in starts[1:]] + [1e9]
    return list(zip(edges, edges[1:], strict=False))


def _in_amount_column(word: Word, money: list[Word]) -> bool:
    """A word printed in a column of amounts (it overlaps two with decimals): an amount OCR read without its point
    (`378` for 3.78) has a class code's shape but stands under amounts, never under codes."""
    x0, x1 = word.x0, word.x1  # min(m.x1, x1) > max(m.x0, x0) as conditional expressions choosing the same operand
    return sum([1 for m in money if (x1 if x1 < m.x1 else m.x1) > (x0 if x0 > m.x0 else m.x0)]) >= 2


def _code_and_name(row: Row) -> tuple[str | None, str, list[Word]]:
    """Code (class + section digits), the name, and the amount words of a row."""
    code, name, amounts = "", [], []
    for line in row.lines():
        for w in line.words:
            text = compact(w.text)
            m = _CLASS_CODE.match(text)
            if not code and m:
                code = m.group(0)
                if text[m.end():]:
                    name.append(w.text[m.end():])
            elif code and len(code) == 3 and re.fullmatch(r"\d{2}", text):
                code += text
            elif code and len(code) == 3 and not name and (section := _SECTION_BEFORE_NAME.match(text)):
                code += section.group(1)
                name.append(text[section.end():])
            elif is_figure(text):
                amounts.append(w)
            else:
                name.append(w.text)
    return code or None, clean_text("".join(name)), amounts


COLUMN_ROLES = {"人员经费": "personnel", "公用经费": "public", "决算数": "amount", "金额": "amount",
                "合计": "amount", "小计": "amount"}
def parse_economic_table(table: LocatedTable, unit: str) -> tuple[list[dict], dict | None]:
    """Rows of economic_expenditure, and the cost_totals row (None when not printed).

    Usually two groups side by side (人员经费 | 公用经费), each (code, name, 决算数); some regions
    print one list with 合计 | 人员经费 | 公用经费 columns, whose 合计 row gives the cost totals.
    """
    rows, totals = [], {}
    groups = segments(table)
    parts = page_parts(table, is_economic_anchor)  # the same lines for every group
    for x0, x1 in groups:
        body = read_body(table, is_economic_anchor, x0, x1, parts)
        cols = amount_columns(body.rows)
        columns = ColumnRoles(cols, [label_column(c, body.header, COLUMN_ROLES) for c in cols], unit)
        for row in body.rows:
            code, name, amounts = _code_and_name(row)
            values = columns.values(amounts)
            role = "amount" if "amount" in values else "first"
            amount, word = values.get(role, Decimal("0.00")), values.words.get(role)
            total = _TOTAL_LABEL.search(compact(name))
            if code is None and total:
                key = "personnel_cost" if total.group(1) == "人员经费" else "public_cost"
                totals[key], totals["page"] = amount, row.page
                totals.setdefault(WORDS, {})[key] = word
            elif code is None and _TOTAL_ROW.match(compact(name)) and {"personnel", "public"} <= set(values):
                totals.update(personnel_cost=values["personnel"], public_cost=values["public"], page=row.page)
                totals[WORDS] = {"personnel_cost": values.words["personnel"], "public_cost": values.words["public"]}
            elif code is not None and len(code) in (3, 5):
                rows.append({"code": code, "level": "class" if len(code) == 3 else "section", "name": name,
                             "amount": amount, "page": row.page,
                             "cost_group": "personnel" if code[:3] in PERSONNEL_CLASSES else "public",
                             WORDS: {"amount": word} if word else {}})
    return rows, (totals or None)
