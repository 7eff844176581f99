"""Consistency checks on one document, declared once with their tolerance.

Printed figures are rounded to the cent, so a sum of n printed parts may differ from its printed
total by up to 0.01 per part: that is the tolerance. Every check yields pass, fail (with what
disagreed by how much) or skipped (an input was not printed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass
class CheckResult:
    check_id: str
    status: str
    detail: str


@dataclass
class DocFigures:
    """What the checks read: the parsed rows of one document, by table."""

    summary: list[dict]
    fiscal_summary: list[dict]
    function_rows: list[dict]
    economic_rows: list[dict]
    cost_totals: dict | None
    sangong: list[dict]
    statements: list


def _fmt(x: Decimal) -> str:
    return f"{x:.2f}"


def compare(check_id: str, what: str, parts: Iterable[Decimal | None], total: Decimal | None) -> CheckResult:
    """Σ parts = total within 0.01 per part."""
    parts = [p for p in parts if p is not None]
    if total is None or not parts:
        return CheckResult(check_id, "skipped", f"{what}: not printed")
    got = sum(parts, Decimal(0))
    gap = abs(got - total)
    tolerance = CENT * max(len(parts), 1)
    status = "pass" if gap <= tolerance else "fail"
    return CheckResult(check_id, status, f"{what}: {_fmt(got)} vs {_fmt(total)} (gap {_fmt(gap)}, "
                                         f"tolerance {_fmt(tolerance)})")


def _item(rows: list[dict], key: str, side: str | None = None) -> Decimal | None:
    for r in rows:
        if r.get("item") == key and (side is None or r.get("side") == side):
            return r["amount"]
    return None


def _summary_checks(f: DocFigures) -> list[CheckResult]:
    s = f.summary
    inc = lambda k: _item(s, k, "income")  # noqa: E731
    exp = lambda k: _item(s, k, "expenditure")  # noqa: E731
    income_parts = ["fiscal_appropriation_income", "superior_subsidy_income", "business_income",
                    "operating_income", "affiliate_income", "other_income"]
    if inc("fiscal_appropriation_income") is None or _has_split_fiscal(s):
        income_parts = ["gpb_income", "gov_fund_income", "state_capital_income", *income_parts[1:]]
    return [
        compare("summary.grand_totals_balance", "01 总计 income vs expenditure", [inc("grand_total")],
                exp("grand_total")),
        compare("summary.income_side_adds_up", "01 本年收入合计 + 年初结转和结余 + 使用结余 = 总计",
                [inc("income_total"), inc("carryover_begin"), inc("use_of_reserves")], inc("grand_total")),
        compare("summary.expenditure_side_adds_up", "01 本年支出合计 + 年末结转和结余 + 结余分配 = 总计",
                [exp("expenditure_total"), exp("carryover_end"), exp("surplus_distribution")],
                exp("grand_total")),
        compare("summary.income_items_sum", "01 income rows = 本年收入合计", [inc(k) for k in income_parts],
                inc("income_total")),
    ]


def _has_split_fiscal(rows: list[dict]) -> bool:
    return any(r.get("item") == "gpb_income" for r in rows) and not any(
        r.get("item") == "fiscal_appropriation_income" and r.get("label", "").endswith("财政拨款收入")
        and "一般公共预算" not in r.get("label", "") for r in rows)


def _function_checks(f: DocFigures, table_key: str, name: str) -> list[CheckResult]:
    rows = [r for r in f.function_rows if r["table_key"] == table_key]
    if not rows:
        return [CheckResult(f"{table_key}.classes_sum_to_total", "skipped", f"{name}: not printed")]
    total = next((r for r in rows if r["level"] == "total"), None)
    classes = [r for r in rows if r["level"] == "class"]
    out = [compare(f"{table_key}.classes_sum_to_total.{col}", f"{name} 类 rows {col} = 合计",
                   [r[col] for r in classes], total[col] if total else None)
           for col in ("total", "basic", "project")]
    bad = [r for r in rows
           if abs(r["basic"] + r["project"] + r.get("other", 0) - r["total"]) > CENT * 2]
    detail = "; ".join(f"{r['code'] or '合计'}: {_fmt(r['basic'])}+{_fmt(r['project'])} vs {_fmt(r['total'])}"
                       for r in bad[:5])
    summary = f"{name}: {len(bad)} rows where 基本支出 + 项目支出 ≠ 合计" + (f" ({detail})" if bad else "")
    out.append(CheckResult(f"{table_key}.total_is_basic_plus_project", "fail" if bad else "pass", summary))
    return out


def _cross_table_checks(f: DocFigures) -> list[CheckResult]:
    gpb_total = next((r for r in f.function_rows if r["table_key"] == "gpb_expenditure" and r["level"] == "total"),
                     None)
    fiscal_exp = next((r for r in f.fiscal_summary
                       if r["side"] == "expenditure" and r["item"] == "expenditure_total"), None)
    fiscal_gpb = None if fiscal_exp is None else fiscal_exp["values"].get("gpb", fiscal_exp["amount"])
    costs = f.cost_totals or {}
    out = [
        compare("gpb_expenditure.total_equals_fiscal_summary", "05 合计 = 04 本年支出合计 (一般公共预算)",
                [gpb_total["total"]] if gpb_total else [], fiscal_gpb),
        compare("gpb_basic_expenditure.costs_equal_basic", "06 人员经费 + 公用经费 = 05 基本支出",
                [costs.get("personnel_cost"), costs.get("public_cost")] if costs else [],
                gpb_total["basic"] if gpb_total else None),
    ]
    for group, key in (("personnel", "personnel_cost"), ("public", "public_cost")):
        classes = [r["amount"] for r in f.economic_rows if r["level"] == "class" and r["cost_group"] == group]
        out.append(compare(f"gpb_basic_expenditure.{group}_classes_sum", f"06 {group} 类 rows = {key}",
                           classes, costs.get(key)))
    return out


def _sangong_checks(f: DocFigures) -> list[CheckResult]:
    if not f.sangong:
        return [CheckResult("sangong.parts_sum_to_total", "skipped", "三公 table not printed")]
    by = {r["item"]: r for r in f.sangong}
    out = []
    for side in ("budget", "actual"):
        out.append(compare(f"sangong.parts_sum_to_total.{side}", f"三公 {side}: 出国 + 公务用车 + 接待 = 合计",
                           [by[k][side] for k in ("overseas", "vehicle_total", "reception")], by["total"][side]))
        out.append(compare(f"sangong.vehicle_parts_sum.{side}", f"三公 {side}: 购置 + 运行 = 公务用车小计",
                           [by[k][side] for k in ("vehicle_purchase", "vehicle_operation")],
                           by["vehicle_total"][side]))
    return out


def _narrative_checks(f: DocFigures) -> list[CheckResult]:
    gpb_total = next((r for r in f.function_rows if r["table_key"] == "gpb_expenditure" and r["level"] == "total"),
                     None)
    stmt = next((s for s in f.statements if s.scope == "gpb_total"), None)
    out = [compare("narrative.gpb_actual_matches_table", "narrative 一般公共预算财政拨款支出决算 = 05 合计",
                   [stmt.actual] if stmt else [], gpb_total["total"] if gpb_total else None)]
    sg = next((s for s in f.statements if s.scope == "sangong_total"), None)
    sg_total = next((r for r in f.sangong if r["item"] == "total"), None)
    if sg and sg_total:
        out.append(compare("narrative.sangong_matches_table", "narrative 三公 决算 = table 合计 决算数",
                           [sg.actual], sg_total["actual"]))
    out.append(_items_check(f))
    return out


def _items_check(f: DocFigures) -> CheckResult:
    items = [s for s in f.statements if s.scope == "item" and s.actual is not None]
    if not items:
        return CheckResult("narrative.items_match_table", "skipped", "no per-项 statements")
    table = {r["code"]: r for r in f.function_rows if r["table_key"] == "gpb_expenditure" and r["code"]}
    bad, linked = [], 0
    for s in items:
        row = table.get(getattr(s, "code", None) or "")
        if row is None:
            continue
        linked += 1
        if abs(row["total"] - s.actual) > CENT:
            bad.append(f"{s.path}: narrative {_fmt(s.actual)} vs table {_fmt(row['total'])}")
    if not linked:
        return CheckResult("narrative.items_match_table", "skipped", "no statement linked to a 05 row")
    detail = f"{linked} linked 项 statements; {len(bad)} disagree" + (": " + "; ".join(bad[:5]) if bad else "")
    return CheckResult("narrative.items_match_table", "fail" if bad else "pass", detail)


CHECK_GROUPS: list[Callable[[DocFigures], list[CheckResult]]] = [
    _summary_checks,
    lambda f: _function_checks(f, "expenditure", "03 支出决算表"),
    lambda f: _function_checks(f, "gpb_expenditure", "05 一般公共预算财政拨款支出决算表"),
    _cross_table_checks,
    _sangong_checks,
    _narrative_checks,
]


def run_checks(figures: DocFigures) -> list[CheckResult]:
    return [result for group in CHECK_GROUPS for result in group(figures)]


def name_key(name: str | None) -> str:
    """Name used to link a narrative 项 to a table row: NFKC, no spaces, no (项), no trailing 支出."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    text = re.sub(r"\((类|款|项)\)", "", text)
    return text[:-2] if text.endswith("支出") and len(text) > 2 else text
