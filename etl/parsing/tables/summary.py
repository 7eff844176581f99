"""Parse the two-sided summary tables: 收入支出决算总表 (01) and 财政拨款收入支出决算总表 (04).

Each side (收入 left, 支出 right) is read as its own one-label table; its rows are labels with
wrapped continuations, and its amount columns are named by the header (行次 columns dropped).
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.normalise import clean_text, compact, is_figure
from etl.pagesource.page import Line
from etl.parsing.locate import LocatedTable
from etl.parsing.tables.body import PageParts, page_parts, read_body
from etl.parsing.tables.grid import WORDS, ColumnRoles, Row, amount_columns, label_column

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_ROW_LABEL = re.compile(r"^[一二三四五六七八九十]+、|合计|总计|结转|结余|弥补|分配")
_EXPENDITURE_CLASS = re.compile(r"^[一二三四五六七八九十]+、.*支出")
COLUMN_ROLES = {"行次": "line_no", "栏次": "line_no", "一般公共预算": "gpb", "政府性基金": "gov_fund",
                "国有资本": "state_capital", "决算数": "amount", "合计": "amount", "金额": "amount"}

# label pattern -> item key, most specific first; side-specific where the same words occur on both sides.
INCOME_ITEMS = [
    (r"本年收入合计|收入合计", "income_total"),
    (r"^(一、)?一般公共预算财政拨款(收入)?$", "gpb_income"),
    (r"政府性基金预算财政拨款", "gov_fund_income"),
    (r"国有资本经营预算财政拨款", "state_capital_income"),
    (r"财政拨款(收入)?$|^(一、)?财政补助收入$", "fiscal_appropriation_income"),  # 财政补助: hospitals, schools
    (r"上级补助收入", "superior_subsidy_income"),
    (r"事业收入", "business_income"),
    (r"经营收入", "operating_income"),
    (r"附属单位上缴收入", "affiliate_income"),
    (r"其他收入", "other_income"),
    (r"(年初|上年).*结转和结余", "carryover_begin"),  # 上年结转和结余: the same opening balance
    (r"弥补收支差额|使用.*结余", "use_of_reserves"),
    (r"^总计$", "grand_total"),
]
EXPENDITURE_ITEMS = [
    (r"本年支出合计|支出合计", "expenditure_total"),
    (r"年末.*结转和结余", "carryover_end"),
    (r"结余分配", "surplus_distribution"),
    (r"^总计$", "grand_total"),
    (r"^[一二三四五六七八九十]+、.*支出$", "function_class"),
]
#: the label patterns compiled once, by side (_item tries them for every label of every summary row)
_ITEMS = {side: [(re.compile(p), key) for p, key in items]
          for side, items in (("income", INCOME_ITEMS), ("expenditure", EXPENDITURE_ITEMS))}


#: rows of a hospital's or school's own 收支 classification: read, their label kept, no item key (none of the
#: keys means them; 医疗业务支出 is no 功能分类 class, 医疗收入 may be printed beside 事业收入 as its part)
UNIT_LABELS = re.compile(r"^(?:[一二三四五六七八九十]+、|其中[:：]?)?"
                         r"(?:医疗(?:业务)?收入|药品收入|科教项目收入|医疗(?:业务)?支出"
                         r"|药品支出|财政(?:基本|项目)补助支出|科教项目支出|管理费用|教育事业支出)$")
#: the closing total printed as 合计 (or 总计) after the side's 本年收入/支出合计: the grand total
_CLOSING_TOTAL = re.compile(r"^(合计|总计)$")
_SIDE_TOTALS = ("income_total", "expenditure_total")
_ZERO = Decimal("0.00")  # the amount of a row printed without one


def _item(label: str, side: str) -> str | None:
    if UNIT_LABELS.match(label):
        return None
    for pattern, key in _ITEMS["income" if side == "income" else "expenditure"]:
        if pattern.search(label):
            return key
    return None


def is_summary_anchor(line: Line) -> bool:
    """A row starts at a line whose first text is a row label (an ordinal, 合计, 总计, 结转 …);
    spaced-out labels (`总  计`) are read joined, up to the next amount or wide gap."""
    label = _first_label(line)
    return bool(label) and bool(_ROW_LABEL.search(label) or UNIT_LABELS.match(label))


def _first_label(line: Line) -> str:
    parts, last_x1 = [], None
    for w in line.words:
        if is_figure(w.text) or (last_x1 is not None and w.x0 - last_x1 > 40):
            break
        parts.append(w.text)
        last_x1 = w.x1
    return compact("".join(parts))


def split_x(table: LocatedTable) -> float:
    """x where the 支出 side begins: the left edge of its functional-class labels."""
    xs = []
    for page in table.pages:
        words = table.words(page)
        left = min((w.x0 for w in words), default=0.0)
        span = max((w.x1 for w in words), default=page.width) - left
        past = left + 0.2 * span  # the position test first: most words fail it, before their text is compacted
        xs += [w.x0 for w in words if w.x0 > past and _EXPENDITURE_CLASS.match(compact(w.text))]
    return min(xs) - 2 if xs else table.pages[0].width / 2


def parse_summary_side(table: LocatedTable, side: str, unit: str, x: float,
                       parts: list[PageParts] | None = None) -> list[dict]:
    """Rows of one side (income left of x, expenditure right of it): item key, label as printed,
    and amounts by column role. `parts`: the table's page_parts, if already split."""
    x0, x1 = (-1e9, x) if side == "income" else (x, 1e9)
    body = read_body(table, is_summary_anchor, x0, x1, parts)
    cols = amount_columns(body.rows)
    roles = [label_column(c, body.header, COLUMN_ROLES) or "amount" for c in cols]
    if "amount" not in roles and roles:
        roles[next(i for i, r in enumerate(roles) if r != "line_no")] = "amount"
    columns = ColumnRoles(cols, [None if r == "line_no" else r for r in roles], unit)  # 行次 read for no role
    out: list[dict] = []
    carryover: str | None = None  # rows listed under 年初/年末结转和结余 break it down by fund
    for row in body.rows:
        label = _label(row)
        key = compact(label)
        if not key:
            continue
        item = _item(key, side)
        if not _ROW_LABEL.search(key) and not item and not UNIT_LABELS.match(key):
            continue
        values = columns.values(row.words)
        if _CLOSING_TOTAL.match(key) and any(r["item"] in _SIDE_TOTALS for r in out):
            item = "grand_total"  # 合计 closing the table (often on its continuation page)
        elif item in ("carryover_begin", "carryover_end"):
            carryover = item
        elif carryover and item and _ORDINAL.match(key):
            item = f"{carryover}_{item.removesuffix('_income')}"
        out.append({"side": side, "item": item, "label": label, "amount": values.get("amount", _ZERO),
                    "values": values, "page": row.page, WORDS: values.words})
    return out


def _label(row: Row) -> str:
    return clean_text("".join([w.text for ln in row.lines() for w in ln.words if not is_figure(w.text)]))


def parse_summary(table: LocatedTable, unit: str) -> list[dict]:
    x = split_x(table)
    parts = page_parts(table, is_summary_anchor)  # the same lines for both sides
    income = parse_summary_side(table, "income", unit, x, parts)
    rows = income + parse_summary_side(table, "expenditure", unit, x, parts)
    _fill_fiscal_appropriation(rows)
    return rows


def _fill_fiscal_appropriation(rows: list[dict]) -> None:
    """Where 财政拨款收入 is printed split by fund, its key carries the 一般公共预算 row (ground-truth rule)."""
    if any(r["item"] == "fiscal_appropriation_income" for r in rows):
        return
    gpb = next((r for r in rows if r["item"] == "gpb_income"), None)
    if gpb is not None:
        rows.append({**gpb, "item": "fiscal_appropriation_income"})
