"""The same figures printed in two standard tables: the 类 rows of 收入支出决算总表 (01) against those
of 支出决算表 (03), the 一般公共预算 column of 财政拨款收入支出决算总表 (04) against the 类 rows of
一般公共预算财政拨款支出决算表 (05), and the 合计 of 收入决算表 (02) against 01's 本年收入合计.

Both are printed from the same ledger, so they agree to the cent; a gap of 0.01 is a rounding
difference between two tables (a warning), anything more a contradiction (an error).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from etl.parsing.checks.base import CENT, CheckResult, DocFigures, Rule, _fmt, declare, name_key, skipped

_SAME = "the same amount printed in two standard tables must agree"
_ROUND = "a 0.01 gap between two tables is a rounding difference, reported for review"
RULES: tuple[Rule, ...] = declare(
    Rule("cross.summary_classes_match_expenditure", "error",
         "收入支出决算总表各类支出 = 支出决算表对应类的合计", _SAME, doubts=("totals", "items")),
    Rule("cross.summary_classes_match_expenditure.rounding", "warning",
         "收入支出决算总表与支出决算表同一类支出相差 0.01（四舍五入）", _ROUND, doubts=("totals", "items")),
    Rule("cross.fiscal_classes_match_gpb", "error",
         "财政拨款收入支出决算总表一般公共预算各类支出 = 一般公共预算财政拨款支出决算表对应类的合计", _SAME,
         doubts=("gpb", "items")),
    Rule("cross.fiscal_classes_match_gpb.rounding", "warning",
         "财政拨款收入支出决算总表与一般公共预算财政拨款支出决算表同一类支出相差 0.01（四舍五入）", _ROUND,
         doubts=("gpb", "items")),
    Rule("cross.income_total_matches_summary", "error", "收入决算表合计 = 收入支出决算总表本年收入合计", _SAME,
         doubts=("totals",)),
    Rule("cross.income_total_matches_summary.rounding", "warning",
         "收入决算表合计与收入支出决算总表本年收入合计相差 0.01（四舍五入）", _ROUND, doubts=("totals",)),
)

_SUMMARY, _EXPENDITURE = "收入支出决算总表", "支出决算表"
_FISCAL, _GPB = "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表"
_INCOME = "收入决算表"
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+[、.．]")


def _class_key(label: str | None) -> str:
    """一、一般公共服务支出 and 一般公共服务支出 (201) name the same 类."""
    return name_key(_NUMBERING.sub("", label or ""))


def _pages(*rows: dict | None) -> str | None:
    pages = sorted({r["page"] for r in rows if r and r.get("page") is not None})
    return ",".join(map(str, pages)) or None


def _compare_classes(check_id: str, summary_rows: list[tuple[dict, Decimal]], table_rows: list[dict],
                     left: str, right: str) -> list[CheckResult]:
    """Each 类 printed in the summary table against the 类 row of the same name in the other table.

    A class the summary prints as 0 may be absent from the other table (it lists only classes with
    spending); a non-zero one must be there."""
    subject = f"{left}与{right}"
    if not summary_rows or not table_rows:
        return [skipped(check_id, f"{left} or {right}: no 类 rows", subject, "各类支出")]
    table = {_class_key(r["name"]): r for r in table_rows}
    out, compared = [], 0
    for row, amount in summary_rows:
        other = table.get(_class_key(row["label"]))
        value = other["total"] if other else Decimal(0)
        if other is None and not amount:
            continue
        compared += 1
        gap = abs(amount - value)
        if not gap:
            continue
        name = _NUMBERING.sub("", row["label"])
        rule = check_id if gap > CENT else f"{check_id}.rounding"
        where = f"{right}中没有此类" if other is None else f"在{right}为 {_fmt(value)}"
        out.append(CheckResult(
            rule, "fail", f"{name}: {left} {_fmt(amount)} vs {right} {_fmt(value)} (gap {_fmt(gap)})",
            f"{subject}：{name}在{left}为 {_fmt(amount)}，{where}（差 {_fmt(gap)}）", pages=_pages(row, other),
            value_a=amount, source_a=f"{left} {name}", value_b=value, source_b=f"{right} {name}"))
    if not any(r.check_id == check_id for r in out):
        out.append(CheckResult(check_id, "pass", f"{compared} classes compared",
                               f"{subject}：{compared} 个类的支出数相符（相差 0.01 的另列为四舍五入差异）"))
    return out


def _classes(rows: list[dict], table_key: str) -> list[dict]:
    return [r for r in rows if r["table_key"] == table_key and r["level"] == "class"]


def _summary_vs_expenditure(f: DocFigures) -> list[CheckResult]:
    summary = [(r, r["amount"]) for r in f.summary
               if r.get("side") == "expenditure" and r.get("item") == "function_class" and r.get("amount") is not None]
    return _compare_classes("cross.summary_classes_match_expenditure", summary,
                            _classes(f.function_rows, "expenditure"), _SUMMARY, _EXPENDITURE)


def _fiscal_vs_gpb(f: DocFigures) -> list[CheckResult]:
    fiscal = [(r, r["values"]["gpb"]) for r in f.fiscal_summary
              if r.get("side") == "expenditure" and r.get("item") == "function_class"
              and (r.get("values") or {}).get("gpb") is not None]
    return _compare_classes("cross.fiscal_classes_match_gpb", fiscal, _classes(f.function_rows, "gpb_expenditure"),
                            _FISCAL, _GPB)


def _income_vs_summary(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "cross.income_total_matches_summary", f"{_INCOME}与{_SUMMARY}"
    total = next((r for r in f.income_rows if r.get("level") == "total"), None)
    summary = next((r for r in f.summary if r.get("side") == "income" and r.get("item") == "income_total"), None)
    if total is None or summary is None:
        return [skipped(check_id, f"{_INCOME} 合计 or 01 本年收入合计 not printed", subject, "合计")]
    a, b = total["total"], summary["amount"]
    gap = abs(a - b)
    rule = check_id if gap > CENT or not gap else f"{check_id}.rounding"
    status = "pass" if not gap else "fail"
    verdict = "相符" if not gap else f"不符（差 {_fmt(gap)}）"
    return [CheckResult(rule, status, f"02 合计 {_fmt(a)} vs 01 本年收入合计 {_fmt(b)} (gap {_fmt(gap)})",
                        f"{subject}：{_INCOME}合计 {_fmt(a)} 与{_SUMMARY}本年收入合计 {_fmt(b)} {verdict}",
                        pages=_pages(total, summary), value_a=a, source_a=f"{_INCOME} 合计", value_b=b,
                        source_b=f"{_SUMMARY} 本年收入合计")]


CROSS_CHECKS: list[Callable[[DocFigures], list[CheckResult]]] = [
    _summary_vs_expenditure, _fiscal_vs_gpb, _income_vs_summary]
