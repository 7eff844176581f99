"""Pieces shared by the report families: unknown (non-standard) tables, level-indented names,
year-on-year wording, and the truth keys the families add to the shared schema."""

from __future__ import annotations

import random

from etl.sample.figures import FuncRow, pct
from etl.sample.fmt import money
from etl.sample.fmt import pct as fpct
from etl.sample.render_tables import Col, HCell, Ind, TableSpec

#: Titles of tables that are not one of the standard nine (printed after a standard one).
OTHER_TITLES = ("部门预算项目绩效目标完成情况表", "政府采购支出情况表", "国有资产占用情况表")

LEVEL = {"total": 0, "class": 0, "section": 1, "item": 2}


def indented(r: FuncRow) -> str:
    """The 科目名称 of a row, indented by level as one-code-column tables print it."""
    return Ind(r.name, LEVEL[r.level])


def other_table(rng: random.Random, numbered: str | None, unit: str = "万元", landscape: bool = False) -> TableSpec:
    """An unknown table with its own columns; `numbered` prefixes its title (表5 / 附表)."""
    kind = rng.randrange(len(OTHER_TITLES))
    title = OTHER_TITLES[kind]
    if numbered:
        title = f"{numbered} {title}"
    amounts = [rng.randrange(50_00, 900_00) for _ in range(4)]
    if kind == 0:
        cols = [Col(3.0), Col(3.4), Col(1.2, num=True), Col(1.2, num=True), Col(1.0, num=True)]
        header = [[HCell(t) for t in ("项目名称", "年度绩效目标", "预算数", "执行数", "完成率（%）")]]
        names = ("信息系统运维项目", "专项业务经费", "宣传培训项目", "设备购置项目")
        body = [
            [n, "按计划完成年度工作任务", money(a), money(a * 9 // 10), fpct(pct(a * 9 // 10, a))]
            for n, a in zip(names, amounts, strict=False)
        ]
    elif kind == 1:
        cols = [Col(3.0)] + [Col(1.4, num=True)] * 4
        header = [[HCell(t) for t in ("项目", "合计", "货物", "工程", "服务")]]
        g, w, s = amounts[:3]
        body = [
            ["政府采购支出", money(g + w + s), money(g), money(w), money(s)],
            ["其中：授予中小企业合同金额", money(g // 2 + s // 2), money(g // 2), "", money(s // 2)],
        ]
    else:
        cols = [Col(3.0)] + [Col(1.4, num=True)] * 3
        header = [[HCell(t) for t in ("项目", "年初数", "年末数", "变动额")]]
        body = [
            [n, money(a), money(a + 10_00), money(10_00)]
            for n, a in zip(("资产总额", "流动资产", "固定资产", "无形资产"), amounts, strict=False)
        ]
    return TableSpec(title=title, cols=cols, header=header, body=body, unit=unit, note=[], landscape=landscape)


def change_words(cur: int, prev: int) -> tuple[str, float | None, float | None]:
    """'比上年决算增加X万元，增长Y%' (or 减少/下降, or 持平) with the signed change and rate as printed."""
    if cur == prev:
        return "与上年决算持平", 0.0, 0.0
    d = cur - prev
    rate = pct(abs(d), prev) if prev else None
    inc, grow = ("增加", "增长") if d > 0 else ("减少", "下降")
    text = f"比上年决算{inc}{money(abs(d))}万元"
    if rate is not None:
        text += f"，{grow}{fpct(rate)}%"
    return text, d / 100, (rate if d > 0 else -rate) if rate is not None else None


def family_keys(
    template: str | None,
    scope: str | None,
    doc_kind: str = "final_accounts",
    sangong_source: str | None = "table",
    other: list[str] | None = None,
) -> dict:
    """The truth keys the families add (the shared scorer ignores them)."""
    return {
        "doc_kind": doc_kind,
        "template": template,
        "report_scope": scope,
        "report_part": None,
        "companion": None,
        "companion_of": None,
        "sangong_source": sangong_source,
        "fiscal_expenditure_total_row": None,
        "fiscal_items": [],
        "item_yoy": [],
        "total_yoy": None,
        "other_tables": list(other or []),
    }


#: the figure keys of a truth record, empty: a document whose figures are not 决算 (budget, blank form)
FIGURE_KEYS = {
    "summary": None,
    "expenditure_by_class": [],
    "expenditure_total_row": None,
    "gpb_expenditure_total_row": None,
    "gpb_items": [],
    "personnel_cost": None,
    "public_cost": None,
    "economic_class": {},
    "sangong": None,
    "gpb_budget_execution": None,
    "item_budget_execution": [],
    "sangong_narrative": None,
    "sangong_item_execution": [],
    "sangong_source": None,
}


def empty_figures() -> dict:
    """A fresh copy of FIGURE_KEYS (its lists and dicts not shared between records)."""
    return {k: (v.copy() if isinstance(v, list | dict) else v) for k, v in FIGURE_KEYS.items()}
