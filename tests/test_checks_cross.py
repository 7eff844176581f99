"""The same 类 figures printed in two standard tables (etl/parsing/checks/cross.py): each rule fires on a
contradiction, reports a 0.01 gap as rounding, and stays silent when the tables agree."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.parsing.checks import DocFigures, run_checks


def _class(label: str, amount: str, gpb: str | None = None, page: int = 6) -> dict:
    return {"side": "expenditure", "item": "function_class", "label": label, "amount": D(amount),
            "values": {"amount": D(amount), "gpb": D(gpb if gpb is not None else amount)}, "page": page}


def _fn(table_key: str, code: str, name: str, total: str, page: int = 9) -> dict:
    return {"table_key": table_key, "level": "class", "code": code, "name": name, "total": D(total),
            "basic": D(total), "project": D("0"), "page": page}


def _figures(summary_social="326.72", table_social="326.72", fiscal_social="326.72") -> DocFigures:
    summary = [_class("一、一般公共服务支出", "2106.66"), _class("二、外交支出", "0.00"),
               _class("八、社会保障和就业支出", summary_social)]
    fiscal = [_class("一、一般公共服务支出", "2106.66", page=12),
              _class("八、社会保障和就业支出", fiscal_social, page=12)]
    rows = [_fn(k, c, n, t) for k in ("expenditure", "gpb_expenditure")
            for c, n, t in (("201", "一般公共服务支出", "2106.66"), ("208", "社会保障和就业支出", table_social))]
    return DocFigures(summary, fiscal, rows, [], None, [], [])


def _results(figures: DocFigures, prefix: str) -> list:
    return [c for c in run_checks(figures) if c.check_id.startswith(prefix)]


@pytest.mark.parametrize("prefix", ["cross.summary_classes_match_expenditure", "cross.fiscal_classes_match_gpb"])
def test_tables_that_agree_pass(prefix):
    (c,) = _results(_figures(), prefix)
    assert c.status == "pass" and "2 个类" in c.message   # 外交支出 0.00 with no row in the other table: fine


@pytest.mark.parametrize(("change", "prefix", "right"), [
    ({"summary_social": "426.72"}, "cross.summary_classes_match_expenditure", "支出决算表"),
    ({"fiscal_social": "300.00"}, "cross.fiscal_classes_match_gpb", "一般公共预算财政拨款支出决算表"),
])
def test_a_class_printed_differently_in_two_tables_is_an_error(change, prefix, right):
    failed = [c for c in _results(_figures(**change), prefix) if c.status == "fail"]
    assert [(c.check_id, c.severity) for c in failed] == [(prefix, "error")]
    c = failed[0]
    assert "社会保障和就业支出" in c.message and f"在{right}为 326.72" in c.message
    assert c.value_b == D("326.72") and c.pages == ("6,9" if "summary" in prefix else "9,12")


def test_a_cent_apart_is_rounding_a_warning():
    """The genuine 财政局 report prints 社会保障和就业支出 326.71 in 01 and 04, 326.72 in 03 and 05."""
    figures = _figures(summary_social="326.71", fiscal_social="326.71")
    for prefix in ("cross.summary_classes_match_expenditure", "cross.fiscal_classes_match_gpb"):
        by_id = {c.check_id: c for c in _results(figures, prefix)}
        assert (by_id[prefix + ".rounding"].status, by_id[prefix + ".rounding"].severity) == ("fail", "warning")
        assert by_id[prefix].status == "pass"


def test_a_class_with_spending_missing_from_the_other_table_is_an_error():
    figures = _figures()
    figures.summary.append(_class("十九、住房保障支出", "445.69"))
    (c,) = [c for c in _results(figures, "cross.summary_classes_match_expenditure") if c.status == "fail"]
    assert c.severity == "error" and "支出决算表中没有此类" in c.message and c.value_b == 0


def test_without_class_rows_nothing_is_compared():
    figures = DocFigures([], [], [], [], None, [], [])
    assert {c.status for c in _results(figures, "cross.")} == {"skipped"}


def _income_figures(income_total: str, summary_total: str) -> DocFigures:
    income = [{"table_key": "income", "level": "total", "code": None, "name": "合计", "total": D(income_total),
               "page": 8}]
    summary = [{"side": "income", "item": "income_total", "label": "本年收入合计", "amount": D(summary_total),
                "page": 6}]
    return DocFigures(summary, [], [], [], None, [], [], income_rows=income)


@pytest.mark.parametrize(("income", "summary", "check_id", "status", "severity"), [
    ("2946.25", "2946.25", "cross.income_total_matches_summary", "pass", "error"),
    ("2956.25", "2946.25", "cross.income_total_matches_summary", "fail", "error"),
    ("2946.26", "2946.25", "cross.income_total_matches_summary.rounding", "fail", "warning"),
])
def test_income_table_total_against_the_summary(income, summary, check_id, status, severity):
    (c,) = _results(_income_figures(income, summary), "cross.income_total")
    assert (c.check_id, c.status, c.severity) == (check_id, status, severity)
    assert (c.value_a, c.value_b, c.pages) == (D(income), D(summary), "6,8")
    assert ("相符" in c.message) == (status == "pass")


def test_income_table_not_read_is_not_compared():
    figures = DocFigures([{"side": "income", "item": "income_total", "amount": D("1.00")}], [], [], [], None, [], [])
    (c,) = _results(figures, "cross.income_total")
    assert c.status == "skipped"
