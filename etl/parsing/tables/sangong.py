"""Parse the 三公 table: （一般公共预算）财政拨款“三公”经费支出决算表 (07).

Printed across (one row of 预算数/决算数 pairs per item, or a 预算 block then a 决算 block) or down
(one row per item). Each amount is named by the header cells above it (or its row label): the
narrowest overlapping cell naming an item wins, spanning headers decide 预算/决算.
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.normalise import compact, is_amount, parse_amount, to_wan
from etl.pagesource.page import Line, Word
from etl.parsing.locate import LocatedTable
from etl.parsing.tables.body import read_body
from etl.parsing.tables.grid import WORDS, Span, amount_columns, column_of, label_column, match_role

ITEMS = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
ITEM_ROLES = {"购置及运行": "vehicle_total", "小计": "vehicle_total", "购置费": "vehicle_purchase",
              "购置": "vehicle_purchase", "运行": "vehicle_operation", "出国": "overseas", "接待": "reception",
              "合计": "total", "三公": "total"}
SIDE_ROLES = {"预算": "budget", "决算": "actual"}
_MONEY = re.compile(r"^\d[\d,]*\.\d+$")


def is_sangong_anchor(line: Line) -> bool:
    """Data rows carry amounts with decimals; the 栏次 row (1 2 … 12) has none."""
    return any(_MONEY.match(w.text) for w in line.words)


def parse_sangong_table(table: LocatedTable, unit: str) -> list[dict]:
    body = read_body(table, is_sangong_anchor)
    values: dict[tuple[str, str], Decimal] = {}
    words: dict[tuple[str, str], Word] = {}
    page = table.first_page
    cols = amount_columns(body.rows)
    for row in body.rows:
        label = compact("".join(w.text for w in row.words if not is_amount(w.text)))
        row_item = match_role(label, ITEM_ROLES) if label else None
        for w in row.words:
            if not _MONEY.match(w.text) and not is_amount(w.text):
                continue
            key = _cell_key(w, cols, body.header, row_item)
            if key and key not in values:
                values[key], words[key] = to_wan(parse_amount(w.text), unit), w
                page = row.page
    zero = Decimal("0.00")
    return [{"item": item, "budget": values.get((item, "budget"), zero),
             "actual": values.get((item, "actual"), zero), "page": page,
             WORDS: {side: words[item, side] for side in ("budget", "actual") if (item, side) in words}}
            for item in ITEMS]


def _cell_key(word, cols: list[Span], header: list[Span], row_item: str | None) -> tuple[str, str] | None:
    i = column_of(word, cols)
    if i is None:
        return None
    side = label_column(cols[i], header, SIDE_ROLES)
    item = row_item or label_column(cols[i], header, ITEM_ROLES)
    if side is None or item is None:
        return None
    return item, side
