"""Printed errors of totals and sums (catalogue §9), as the checks see them — without generating a report (the
generated cases are in tests/test_audit_injections.py): joined totals that differ, 本年收入合计 printed as the
收入总计 beside a carry-over, a 收入总计 off its parts, a cent gap with and without a rounding note, a stray point."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from etl.pagesource.page import Page, Word
from etl.parsing.checks import rule_for, run_checks
from etl.parsing.checks.base import DocFigures
from etl.parsing.checks.claims import claim_checks
from etl.parsing.checks.printing import printing_checks
from etl.parsing.checks.tables import TABLE_CHECKS
from etl.parsing.claims import extract, joined_pairs


def _figures(**kw) -> DocFigures:
    base = {"summary": [], "fiscal_summary": [], "function_rows": [], "economic_rows": [], "cost_totals": None,
            "sangong": [], "statements": []}
    return DocFigures(**(base | kw))


def _summary(income_total: str, carryover: str, grand_total: str, expenditure_grand: str | None = None) -> list:
    row = lambda side, item, amount: {"side": side, "item": item, "amount": D(amount), "page": 4}  # noqa: E731
    return [row("income", "fiscal_appropriation_income", income_total), row("income", "income_total", income_total),
            row("income", "carryover_begin", carryover), row("income", "grand_total", grand_total),
            row("expenditure", "expenditure_total", income_total), row("expenditure", "carryover_end", carryover),
            row("expenditure", "grand_total", expenditure_grand or grand_total)]


def _fails(figures: DocFigures, prefix: str) -> list:
    return [c for c in run_checks(figures) if c.status == "fail" and c.check_id.startswith(prefix)]


# -- the comma-joined totals sentence ---------------------------------------------------------------------------

def _claim_fails(text: str, grand_total: str = "3389.70") -> list:
    claims = extract(re.sub(r"\s+", "", text), [(0, 14)])
    figures = _figures(summary=_summary("3300.00", "89.70", grand_total))
    out = claim_checks(figures, claims)
    for c in out:
        assert c.severity == rule_for(c.check_id).severity
    return [c for c in out if c.status == "fail"]


@pytest.mark.parametrize("comma", [",", "，"])
def test_joined_totals_that_differ_are_one_error_naming_the_table_total(comma):
    fails = _claim_fails(f"某局2021年度收、支总计各是3,389.70{comma}3,050.73万元。")
    assert [(c.check_id, c.severity) for c in fails] == [("claims.joined_totals_equal", "error")]
    assert "3389.70" in fails[0].message and "3050.73" in fails[0].message and "总计 3389.70" in fails[0].message
    assert fails[0].doubts == "totals" and fails[0].pages == "4,14"


def test_joined_totals_that_agree_pass_and_are_compared_with_the_table():
    assert _claim_fails("某局2021年度收、支总计各是3,389.70,3,389.70万元。") == []
    wrong = _claim_fails("某局2021年度收、支总计各是3,389.70,3,389.70万元。", grand_total="3400.00")
    assert {c.check_id for c in wrong} == {"claims.total_matches_table"}  # equal to each other, not to 01


def test_joined_pairs_are_read_as_income_then_expenditure_total():
    claims = extract("收入支出总计分别为12.30，45.60万元。", [(0, 1)])
    ((x, y),) = joined_pairs(claims.amounts)
    assert (x.topic, x.value, y.topic, y.value) == ("收入总计", D("12.30"), "支出总计", D("45.60"))


# -- 收入支出决算总表 -------------------------------------------------------------------------------------------

def test_income_total_printed_as_grand_total_beside_a_carryover_is_said_as_such():
    fails = _fails(_figures(summary=_summary("2690.34", "80.70", "2690.34")), "summary.")
    ids = {c.check_id for c in fails}
    assert "summary.income_total_includes_carryover" in ids and "summary.income_side_adds_up" not in ids
    c = next(c for c in fails if c.check_id == "summary.income_total_includes_carryover")
    assert c.severity == "error" and "80.70" in c.message and c.pages == "4"


def test_a_grand_total_off_its_parts_is_the_income_side_identity():
    fails = _fails(_figures(summary=_summary("4805.27", "0.00", "4902.27")), "summary.")
    assert "summary.income_side_adds_up" in {c.check_id for c in fails}
    assert "summary.income_total_includes_carryover" not in {c.check_id for c in fails}


def test_no_carryover_and_total_equal_to_income_is_right():
    assert _fails(_figures(summary=_summary("4805.27", "0.00", "4805.27")), "summary.") == []


# -- how figures are printed: cent gaps and their note, stray points ----------------------------------------------

def _page(number: int, *lines: str) -> Page:
    words = [Word(text, 50.0, 50.0 + 10 * len(text), 100.0 + 20 * n, 112.0 + 20 * n) for n, text in enumerate(lines)]
    return Page(number, 595.0, 842.0, words)


def _printing(figures: DocFigures) -> list:
    return printing_checks(figures, [c for check in TABLE_CHECKS for c in check(figures)])


def _costs_off_by_a_cent(*pages: Page) -> DocFigures:
    econ = [{"level": "class", "cost_group": "personnel", "amount": D(a), "code": c, "page": 10}
            for c, a in (("301", "633.24"), ("303", "10.00"))]
    return _figures(economic_rows=econ, cost_totals={"personnel_cost": D("643.23"), "public_cost": D("1.00"),
                                                      "page": 10}, pages=list(pages))


def test_an_unexplained_cent_gap_is_recorded_not_failed():
    """Most reports print cent gaps without a note (every cell rounded on its own): recorded, never a failure."""
    (c,) = _printing(_costs_off_by_a_cent(_page(10, "人员经费合计 643.23")))
    assert (c.check_id, c.status, c.severity, c.doubts) == ("rounding.cent_gaps", "pass", "info", "")
    assert "人员经费各类之和 643.24" in c.message and "未注明原因" in c.message and c.pages == "10"


@pytest.mark.parametrize("note", ["注：本表合计数与各分项数之和的尾数差异系四舍五入所致。",
                                  "注：因四舍五入原因，本表部分合计数与各分项之和存在尾差。"])
def test_a_cent_gap_explained_by_a_rounding_note_passes_with_the_note(note):
    (c,) = _printing(_costs_off_by_a_cent(_page(10, "人员经费合计 643.23", note)))
    assert (c.check_id, c.status) == ("rounding.cent_gaps", "pass") and "第10页已注明“" in c.message
    assert "未注明" not in c.message


def test_tables_that_add_up_exactly_record_no_gap():
    figures = _costs_off_by_a_cent(_page(10, "人员经费合计 643.24"))
    figures.cost_totals["personnel_cost"] = D("643.24")
    assert _printing(figures) == []


@pytest.mark.parametrize(("line", "found"), [("支出决算为123.45. 万元，完成预算的", True),
                                             ("支出决算为1,234.5．万元。", True),
                                             ("支出决算为123.45万元。1.2.3 条", False),
                                             ("支出3.万元", False)])
def test_a_stray_point_after_the_decimals_is_recorded(line, found):
    fails = [c for c in _printing(_figures(pages=[_page(16, line)])) if c.check_id == "narrative.stray_point"]
    assert bool(fails) == found
    if found:
        assert fails[0].severity == "info" and fails[0].pages == "16"


def test_a_stray_point_is_read_past():
    claims = extract("“三公”经费财政拨款支出决算为2.71.万元，完成预算的50.00%。", [(0, 16)])
    assert [a.value for a in claims.amounts] == [D("2.71")]
