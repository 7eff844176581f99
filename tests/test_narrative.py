"""Narrative statements in the wordings regions use, read from the narrative text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from etl.parsing.narrative import gpb_total_statement, item_statements, sangong_total_statement

D = Decimal
MARKS = [(0, 7)]


@pytest.mark.parametrize(("text", "initial", "full", "actual", "pct"), [
    ("一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。",
     D("2993.92"), None, D("2940.05"), D("98.20")),
    ("一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。",
     D("0.00"), D("321.02"), D("307.82"), D("95.89")),
    ("2017年度一般公共预算财政拨款支出年初预算3,063.51万元，支出决算3,457.23万元，完成年初预算的112.85%。",
     D("3063.51"), None, D("3457.23"), D("112.85")),
    ("一般公共预算财政拨款支出全年预算为321.02万元，支出决算为307.82万元，完成全年预算的95.89%。",
     None, D("321.02"), D("307.82"), D("95.89")),
    ("一般公共预算财政拨款支出决算为3,457.23万元，完成年初预算3,063.51万元的112.85%。",
     D("3063.51"), None, D("3457.23"), D("112.85")),
    ("一般公共预算财政拨款支出年初预算为29,400,500元，支出决算为29,000,000元，完成年初预算的98.64%。",
     D("2940.05"), None, D("2900.00"), D("98.64")),
])
def test_department_total_statement(text, initial, full, actual, pct):
    s = gpb_total_statement(text, MARKS)
    assert (s.initial_budget, s.full_year_budget, s.actual, s.completion_pct) == (initial, full, actual, pct)
    assert s.page == 7


def test_item_statements_each_with_its_path_figures_and_reason():
    text = ("其中：1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：基本支出。年初预算为1560.05万元，"
            "支出决算为1511.89万元。决算数小于预算数的主要原因：人员减少。"
            "（2）一般公共服务（类）政府办公厅（室）及相关机构事务（款）政务公开审批（项）支出3,190.08万元，"
            "完成年初预算的107.90%。预决算产生差异的主要原因：新增项目经费。"
            "（四）一般公共预算财政拨款基本支出决算情况说明")
    first, second = item_statements(text, MARKS)
    assert (first.path, first.initial_budget, first.actual, first.reason) == (
        "一般公共服务支出/财政事务/行政运行", D("1560.05"), D("1511.89"), "人员减少")
    assert (second.path, second.initial_budget, second.actual, second.completion_pct) == (
        "一般公共服务/政府办公厅（室）及相关机构事务/政务公开审批", None, D("3190.08"), D("107.90"))
    assert second.reason == "新增项目经费"


@pytest.mark.parametrize(("text", "initial", "unqualified", "actual", "basis"), [
    ('"三公"经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%', D("0.95"), None, D("0.00"),
     "initial"),
    ('2017年度"三公"经费财政拨款支出决算为1.65万元，完成预算6.00万元的27.50%。', None, D("6.00"), D("1.65"),
     "unqualified"),
])
def test_sangong_statement_keeps_a_budget_not_called_initial_apart(text, initial, unqualified, actual, basis):
    s = sangong_total_statement(text, MARKS)
    assert (s.initial_budget, s.unqualified_budget, s.actual, s.budget_basis) == (initial, unqualified, actual, basis)


def test_item_path_starts_at_its_class_and_figureless_paragraphs_are_dropped():
    text = ("原因：调整。其中：1、教育支出（类）普通教育（款）初中教育（项）。"
            "年初预算为12.00万元，支出决算为10.00万元。"
            "（如持平作持平表述）2、XX（类）XX（款）XX（项）。年初预算为XX万元，支出决算为XX万元。")
    (only,) = item_statements(text, MARKS)
    assert only.path == "教育支出/普通教育/初中教育" and only.actual == D("10.00")
