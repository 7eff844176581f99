"""Parse the 三公 table: （一般公共预算）财政拨款“三公”经费支出决算表 (07), and the costs printed beside it.

Printed across (one row of 预算数/决算数 pairs per item, a 预算 block then a 决算 block, or a 预算数 row and a
决算数 row under the items) or down (one row per item). Each amount is named by the header cells above it (or
its row label): the narrowest overlapping cell naming an item wins, spanning headers decide 预算/决算.

Many templates print more than the 三公 in this table: 会议费 and 培训费 (陕西, 江苏), 机关运行经费 (云南,
上海 2017), or the 三公 of 政府性基金 beside that of 一般公共预算 (安徽). Those figures are related costs
(`related_costs`), never 三公: `sangong` keeps the 一般公共预算 三公 only, as the contract defines 07.
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.normalise import compact, is_amount, parse_amount, to_wan
from etl.pagesource.page import Line, Word
from etl.parsing.locate import LocatedTable
from etl.parsing.tables.body import TableBody, read_body
from etl.parsing.tables.grid import WORDS, Span, amount_columns, column_of, label_column, match_role

ITEMS = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
EXTRA_ITEMS = ("meeting", "training", "admin_operation")
#: extras first: a 机关运行经费 or 会议费 heading must not be read as a 三公 item
ITEM_ROLES = {"会议费": "meeting", "培训费": "training", "机关运行经费": "admin_operation",
              "购置及运行": "vehicle_total", "小计": "vehicle_total", "购置费": "vehicle_purchase",
              "购置": "vehicle_purchase", "运行": "vehicle_operation", "出国": "overseas", "接待": "reception",
              "合计": "total", "三公": "total"}
SIDE_ROLES = {"预算": "budget", "决算": "actual"}
#: the fund a header or title names (政府性基金 first: 一般公共预算及政府性基金 names both)
FUND_ROLES = {"政府性基金": "gov_fund", "一般公共预算": "gpb", "公共财政": "gpb", "财政拨款": "all"}
_MONEY = re.compile(r"^\d[\d,]*\.\d+$")


def is_sangong_anchor(line: Line) -> bool:
    """Data rows carry amounts with decimals; the 栏次 row (1 2 … 12) has none."""
    return any(_MONEY.match(w.text) for w in line.words)


def parse_sangong_table(table: LocatedTable, unit: str) -> list[dict]:
    """The 一般公共预算 三公 rows of the 三公 table (07)."""
    return read_sangong(table, unit)[0]


def read_sangong(table: LocatedTable, unit: str) -> tuple[list[dict], list[dict]]:
    """(sangong rows, related_costs rows) of a 三公 table. In a `sangong_related` table every figure is related."""
    body = read_body(table, is_sangong_anchor)
    cells = _cells(body, unit)
    basis = budget_basis(body.header)
    related_only = table.key == "sangong_related"
    title_fund = _title_fund(table.title)
    sangong = {k: v for k, v in cells.items() if k[0] in ITEMS and k[2] is None and not related_only}
    related = {k: v for k, v in cells.items() if k not in sangong}
    zero = Decimal("0.00")
    rows = [] if related_only else [
        {"item": item, "budget": _value(sangong, item, "budget", zero), "actual": _value(sangong, item, "actual", zero),
         "budget_basis": basis, "page": _page(sangong, table.first_page),
         WORDS: {side: sangong[item, side, None][1] for side in ("budget", "actual") if (item, side, None) in sangong}}
        for item in ITEMS]
    return rows, _related_rows(related, title_fund, table.first_page)


def _value(cells: dict, item: str, side: str, default):
    hit = cells.get((item, side, None))
    return hit[0] if hit else default


def _page(cells: dict, default: int) -> int:
    return max((page for _, _, page in cells.values()), default=default)


def _related_rows(cells: dict, title_fund: str | None, page: int) -> list[dict]:
    """One row per (item, fund): 预算 and 决算 together; a side the table does not print stays NULL."""
    out: dict[tuple[str, str | None], dict] = {}
    for (item, side, fund), (value, word, pg) in cells.items():
        fund = fund or title_fund
        row = out.setdefault((item, fund), {"item": item, "fund": fund, "budget": None, "actual": None,
                                            "source": "table", "page": pg, WORDS: {}})
        row[side], row[WORDS][side], row["page"] = value, word, pg
    order = {k: i for i, k in enumerate(EXTRA_ITEMS + ITEMS)}
    rows = sorted(out.values(), key=lambda r: (order[r["item"]], r["fund"] or ""))
    for r in rows:
        r["actual"] = r["actual"] if r["actual"] is not None else Decimal("0.00")
    return rows


def _title_fund(title: str) -> str | None:
    """The fund a table's title names: 政府性基金 alone, 一般公共预算 alone, or 财政拨款 (every fund)."""
    t = compact(title)
    gov, gpb = "政府性基金" in t, "一般公共预算" in t or "公共财政" in t
    if gov != gpb:
        return "gov_fund" if gov else "gpb"
    return "all" if "财政拨款" in t and not gpb else None


def budget_basis(header: list[Span]) -> str:
    """Which 预算 the table's 预算 columns print: initial (年初预算数), full_year (全年/调整预算数) or unqualified
    (预算数, the national form's heading): the header cells that name 预算 say it."""
    budget_cells = [compact(c.text) for c in header if "预算" in c.text and "决算" not in c.text]
    if any("年初" in t for t in budget_cells):
        return "initial"
    if any("全年" in t or "调整" in t for t in budget_cells):
        return "full_year"
    return "unqualified"


def _cells(body: TableBody, unit: str) -> dict[tuple[str, str, str | None], tuple[Decimal, Word, int]]:
    """Every figure of the table keyed (item, side, fund): fund None for the 三公 of 07 itself, gov_fund for a
    column under a 政府性基金 heading; an extra cost's fund from its own heading where printed."""
    cols = amount_columns(body.rows)
    out: dict = {}
    for row in body.rows:
        for w in row.words:
            if not _MONEY.match(w.text) and not is_amount(w.text):
                continue
            label = _line_label(row.words, w)
            row_roles = (match_role(label, ITEM_ROLES), match_role(label, SIDE_ROLES)) if label else (None, None)
            key = _cell_key(w, cols, body.header, *row_roles)
            if key and key not in out:
                out[key] = (to_wan(parse_amount(w.text), unit), w, row.page)
    return out


def _line_label(words: list[Word], amount: Word) -> str:
    """The row label printed on the amount's own line: a row printed with blank amounts (a zero item) has no
    figures to anchor it, so its label joins the row above, whose item it must not rename."""
    height, centre = amount.bottom - amount.top, amount.top + amount.bottom
    same = [w for w in words if not is_amount(w.text) and abs(w.top + w.bottom - centre) < height]
    return compact("".join(w.text for w in same))


def _cell_key(word, cols: list[Span], header: list[Span], row_item: str | None,
              row_side: str | None = None) -> tuple[str, str, str | None] | None:
    """(item, side, fund) of an amount: item and side from its row label or the header cells above it (a table
    printed across with 预算数 and 决算数 as rows names the side in the row label, the item above)."""
    i = column_of(word, cols)
    if i is None:
        return None
    item = row_item or label_column(cols[i], header, ITEM_ROLES)
    side = label_column(cols[i], header, SIDE_ROLES) or row_side
    if item is None or (side is None and item in ITEMS):
        return None
    fund = _heading_fund(cols[i], header)
    if item in ITEMS and fund != "gov_fund":
        fund = None  # the 一般公共预算 (or the whole table's) 三公: 07 itself
    return item, side or "actual", fund


def _heading_fund(col: Span, header: list[Span]) -> str | None:
    """The fund named by the narrowest header cell above the column that names one."""
    named = [(c.span_x1 - c.span_x0, role) for c in header
             if c.span_x0 <= col.xc <= c.span_x1 and (role := match_role(c.text, FUND_ROLES))]
    return min(named)[1] if named else None
