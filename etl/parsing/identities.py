"""The identities the printed tables obey, cell by cell: what `etl.parsing.readings` tests an OCR reading against.

The checks (etl/parsing/checks) report the same identities table by table, in words a reader can act on; here each
is one equation over the parsed rows' cells — a sum of parts (and a constant for parts not read from one word) and
its printed total — so a reading can be tried and the equations it takes part in re-evaluated:

    01  收入总计 = 支出总计; 本年收入合计 + 年初结转和结余 + 使用结余 = 总计;
        本年支出合计 + 年末结转和结余 + 结余分配 = 总计; 各项收入之和 = 本年收入合计; 各类支出之和 = 本年支出合计
    03 / 05 / 财政拨款支出决算表   每行 基本 + 项目 (+ 上缴上级、经营、附属单位) = 合计;
        各类 = 合计行; 各款之和 = 其类; 各项之和 = 其款
    06  人员经费各类 = 人员经费合计; 公用经费各类 = 公用经费合计; 各款 = 其类; 人员经费 + 公用经费 = 05 基本支出合计
    07  出国 + 公务用车 + 接待 = 合计; 购置 + 运行 = 公务用车小计 (预算数 and 决算数)
    across tables: 01 各类 = 03 同名类合计; 04 一般公共预算各类 = 05 同名类合计; 05 合计 = 04 一般公共预算本年支出合计
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from etl.pagesource.page import Word
from etl.parsing.checks.base import CENT
from etl.parsing.checks.cross import _class_key
from etl.parsing.checks.tables import COLUMNS_ZH, income_parts
from etl.parsing.tables.grid import WORDS


@dataclass(eq=False)
class Cell:
    """One figure of a parsed row of `table` (a table key): `row[key]`, or `row["values"][key]` (a summary row's
    other columns)."""

    row: dict
    key: str
    table: str

    @property
    def value(self) -> Decimal:
        return self.row[self.key] if self.key in self.row else self.row["values"][self.key]

    @property
    def word(self) -> Word | None:
        return (self.row.get(WORDS) or {}).get(self.key)

    def set(self, value: Decimal) -> None:
        if self.key in self.row:
            self.row[self.key] = value
        values = self.row.get("values")
        if isinstance(values, dict) and self.key in values:
            values[self.key] = value


@dataclass(eq=False)
class Identity:
    """Σ parts (+ constant) = total, within a cent per part (printed figures are rounded to the cent)."""

    name: str
    parts: list[Cell]
    total: Cell
    constant: Decimal = field(default=Decimal(0))

    def holds(self) -> bool:
        gap = abs(sum((c.value for c in self.parts), self.constant) - self.total.value)
        return gap <= CENT * max(len(self.parts), 1)

    @property
    def cells(self) -> list[Cell]:
        return [*self.parts, self.total]


def table_identities(summary: list[dict], fiscal: list[dict], functions: list[dict], economic: list[dict],
                     costs: dict | None, sangong: list[dict]) -> list[Identity]:
    """Every identity the parsed rows of one report take part in (rows not printed give none)."""
    return [
        *_summary(summary, "income_expenditure_summary"),
        *(i for key in ("expenditure", "gpb_expenditure", "fiscal_expenditure")
          for i in _function([r for r in functions if r["table_key"] == key], key)),
        *_economic(economic, costs, "gpb_basic_expenditure"),
        *_sangong([r for r in sangong if r.get("source", "table") == "table"], "sangong"),
        *_across(summary, fiscal, functions, costs),
    ]


def _identity(name: str, parts: list[Cell | None], total: Cell | None, constant: Decimal = Decimal(0)
              ) -> Iterator[Identity]:
    """The identity, when its total and at least one part are printed."""
    printed = [c for c in parts if c is not None]
    if total is not None and printed:
        yield Identity(name, printed, total, constant)


def _summary(rows: list[dict], table: str) -> Iterator[Identity]:
    def cell(item: str, side: str) -> Cell | None:
        row = next((r for r in rows if r.get("item") == item and r.get("side") == side), None)
        return None if row is None else Cell(row, "amount", table)

    income = lambda *items: [cell(i, "income") for i in items]  # noqa: E731
    spent = lambda *items: [cell(i, "expenditure") for i in items]  # noqa: E731
    yield from _identity("01 收入总计 = 支出总计", income("grand_total"), cell("grand_total", "expenditure"))
    yield from _identity("01 本年收入合计 + 年初结转和结余 + 使用结余 = 收入总计",
                         income("income_total", "carryover_begin", "use_of_reserves"), cell("grand_total", "income"))
    yield from _identity("01 本年支出合计 + 年末结转和结余 + 结余分配 = 支出总计",
                         spent("expenditure_total", "carryover_end", "surplus_distribution"),
                         cell("grand_total", "expenditure"))
    yield from _identity("01 各项收入之和 = 本年收入合计", income(*income_parts(rows)), cell("income_total", "income"))
    classes = [Cell(r, "amount", table) for r in rows if r.get("side") == "expenditure"
               and r.get("item") == "function_class"]
    yield from _identity("01 各类支出之和 = 本年支出合计", classes, cell("expenditure_total", "expenditure"))


def _function(rows: list[dict], key: str) -> Iterator[Identity]:
    for r in rows:
        yield from _identity(f"{key} {r['code'] or '合计'} 基本 + 项目 = 合计",
                             [Cell(r, "basic", key), Cell(r, "project", key)], Cell(r, "total", key),
                             r.get("other", Decimal(0)))
    total = next((r for r in rows if r["level"] == "total"), None)
    for col, zh in COLUMNS_ZH.items():
        if total is not None:
            yield from _identity(f"{key} 各类之和 = 合计行（{zh}）", _children(rows, "class", "", col, key),
                                 Cell(total, col, key))
        for parent in rows:
            level = _CHILD_LEVEL.get(parent["level"])
            if level:
                yield from _identity(f"{key} {parent['code']} = 其下各{_LEVEL_ZH[level]}之和（{zh}）",
                                     _children(rows, level, parent["code"], col, key), Cell(parent, col, key))


_CHILD_LEVEL = {"class": "section", "section": "item"}
_LEVEL_ZH = {"section": "款", "item": "项"}


def _children(rows: list[dict], level: str, code: str, col: str, table: str) -> list[Cell | None]:
    return [Cell(r, col, table) for r in rows if r["level"] == level and r["code"].startswith(code)]


def _economic(rows: list[dict], costs: dict | None, table: str) -> Iterator[Identity]:
    for group, key, zh in (("personnel", "personnel_cost", "人员经费"), ("public", "public_cost", "公用经费")):
        classes = [Cell(r, "amount", table) for r in rows if r["level"] == "class" and r["cost_group"] == group]
        yield from _identity(f"06 {zh}各类之和 = {zh}合计", classes,
                             Cell(costs, key, table) if costs and costs.get(key) is not None else None)
    for parent in (r for r in rows if r["level"] == "class"):
        sections = [Cell(r, "amount", table) for r in rows if r["level"] == "section"
                    and r["code"].startswith(parent["code"])]
        yield from _identity(f"06 {parent['code']} = 其下各款之和", sections, Cell(parent, "amount", table))


def _sangong(rows: list[dict], table: str) -> Iterator[Identity]:
    by = {r["item"]: r for r in rows}
    if not {"total", "overseas", "vehicle_total", "reception", "vehicle_purchase", "vehicle_operation"} <= set(by):
        return
    for side, zh in (("budget", "预算数"), ("actual", "决算数")):
        cells = {item: Cell(row, side, table) for item, row in by.items()}
        yield from _identity(f"07 出国 + 公务用车 + 接待 = 合计（{zh}）",
                             [cells["overseas"], cells["vehicle_total"], cells["reception"]], cells["total"])
        yield from _identity(f"07 购置 + 运行 = 公务用车小计（{zh}）",
                             [cells["vehicle_purchase"], cells["vehicle_operation"]], cells["vehicle_total"])


def _across(summary: list[dict], fiscal: list[dict], functions: list[dict], costs: dict | None
            ) -> Iterator[Identity]:
    """The same figure printed in two tables: each 类 of 01 (04's 一般公共预算 column) and of 03 (05); 05's 合计 and
    04's 一般公共预算 本年支出合计; 06's 人员经费 + 公用经费 and 05's 基本支出 合计."""
    for side_rows, column, key, table, name in (
            (summary, "amount", "expenditure", "income_expenditure_summary", "01 = 03"),
            (fiscal, "gpb", "gpb_expenditure", "fiscal_summary", "04 = 05")):
        table_classes = {_class_key(r["name"]): r for r in functions if r["table_key"] == key and r["level"] == "class"}
        for row in side_rows:
            other = table_classes.get(_class_key(row.get("label")))
            if row.get("item") == "function_class" and other is not None and column in (row.get("values") or {}):
                yield Identity(f"{name} {row['label']}", [Cell(row, column, table)], Cell(other, "total", key))
    gpb_total = next((r for r in functions if r["table_key"] == "gpb_expenditure" and r["level"] == "total"), None)
    fiscal_total = next((r for r in fiscal if r.get("side") == "expenditure" and r.get("item") == "expenditure_total"),
                        None)
    if gpb_total is not None and fiscal_total is not None:
        column = "gpb" if "gpb" in (fiscal_total.get("values") or {}) else "amount"
        yield Identity("05 合计 = 04 一般公共预算本年支出合计",
                       [Cell(fiscal_total, column, "fiscal_summary")],
                       Cell(gpb_total, "total", "gpb_expenditure"))
    if gpb_total is not None and costs:
        yield from _identity("06 人员经费 + 公用经费 = 05 基本支出合计",
                             [Cell(costs, k, "gpb_basic_expenditure") for k in ("personnel_cost", "public_cost")
                              if costs.get(k) is not None], Cell(gpb_total, "basic", "gpb_expenditure"))
