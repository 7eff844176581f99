"""The printed errors of the narrative's claims met in real reports (template-variants catalogue §9), each told
apart from a plain wrong figure by a check of its own — and the right wording of each gives no finding.

Sentences only (no generated document): the generated corpus with every kind is tests/test_audit_injections.py."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from etl.parsing.checks import rule_for
from etl.parsing.checks.base import DocFigures
from etl.parsing.checks.claims import claim_checks
from etl.parsing.claims import extract

SANGONG = [{"item": k, "budget": D(b), "actual": D(a)} for k, b, a in (
    ("overseas", "0", "0"), ("vehicle_total", "3.35", "2.74"), ("vehicle_purchase", "0", "0"),
    ("vehicle_operation", "3.35", "2.74"), ("reception", "2.66", "1.05"), ("total", "6.01", "3.79"))]


def _figures(**kw) -> DocFigures:
    base = {"summary": [], "fiscal_summary": [], "function_rows": [], "economic_rows": [], "cost_totals": None,
            "sangong": [], "statements": []}
    return DocFigures(**(base | kw))


def _failed(text: str, figures: DocFigures | None = None) -> list[tuple[str, str]]:
    """(check id, severity) of every failed claims check of a narrative text."""
    out = claim_checks(figures or _figures(), extract(re.sub(r"\s+", "", text), [(0, 7)]))
    for c in out:
        assert c.severity == rule_for(c.check_id).severity
    return sorted((c.check_id, c.severity) for c in out if c.status == "fail")


SHARES = ("“三公”经费财政拨款支出决算3.79万元，其中：因公出国（境）费0.00万元，占0.00%；"
          "公务用车购置及运行维护费2.74万元，占{v}%；公务接待费1.05万元，占{r}%。")


def test_two_swapped_shares_are_found_as_swapped_not_as_two_wrong_shares():
    assert _failed(SHARES.format(v="27.70", r="72.30")) == [("claims.shares_swapped", "error")] * 2
    assert _failed(SHARES.format(v="72.30", r="27.70")) == []
    # half-width punctuation and a different wrong share: a plain wrong share
    text = SHARES.format(v="72.30", r="37.70").replace("，", ",").replace("：", ":").replace("；", ";")
    assert _failed(text) == [("claims.share", "error")]


def test_shares_copying_the_completion_rates_are_found_with_the_zero_part_under_its_subtotal():
    rates = ("“三公”经费财政拨款支出年初预算为6.01万元，支出决算为3.79万元，完成预算的63.06%，其中："
             "公务用车购置及运行维护费支出决算为2.74万元，完成预算的81.79%；公务接待费支出决算为1.05万元，完成预算的39.47%。")
    parts = "公务用车购置及运行维护费支出2.74万元，其中：公务用车购置费0.00万元，公务用车运行维护费{op}万元。"
    found = _failed(rates + SHARES.format(v="81.79", r="39.47") + parts.format(op="0.00"), _figures(sangong=SANGONG))
    assert found == [("claims.shares_copy_rates", "error")] * 2 + [("claims.zero_part", "error")]
    assert _failed(rates + SHARES.format(v="72.30", r="27.70") + parts.format(op="2.74"),
                   _figures(sangong=SANGONG)) == []


def test_a_completion_rate_that_is_the_change_against_last_year_is_found_as_such():
    text = ("“三公”经费财政拨款支出年初预算为4.13万元，支出决算为3.42万元，完成预算的{z}%。"
            "与上年相比，“三公”经费财政拨款支出决算数比2021年度减少0.80万元，下降18.96%。")
    assert _failed(text.format(z="18.96")) == [("claims.completion_is_change", "error")]
    assert _failed(text.format(z="82.81")) == []
    assert _failed(text.format(z="80.00")) == [("claims.completion_pct", "error")]


def test_a_growth_printed_as_a_ratio_is_found_as_such():
    text = "2022年度本部门机关运行经费支出225.00万元，比2021年度增加125.00万元，增长{y}%。"
    assert _failed(text.format(y="1.25")) == [("claims.rate_as_ratio", "error")]
    assert _failed(text.format(y="125.00")) == []
    assert _failed(text.format(y="12.50")) == [("claims.stated_change", "error")]


@pytest.mark.parametrize("clause", [
    "因公出国（境）费支出决算为0.00万元，完成预算的100.00%。",
    "因公出国（境）费支出决算为0.00万元，完成预算0.00万元的100%。",
])
def test_a_zero_budget_stated_as_fully_completed_is_a_warning_not_a_wrong_figure(clause):
    """0 ÷ 0 is no rate: no figure is contradicted, so a warning for review (catalogue §5 also has 0% and `--%`)."""
    assert _failed(clause) == [("claims.zero_base_full_completion", "warning")]
    assert _failed(clause.replace("100.00%", "0.00%").replace("100%", "0%")) == []
    assert _failed("因公出国（境）费支出决算为0.00万元，完成预算的--%（基数为0，不可比）。") == []


def test_full_completion_while_the_actual_exceeds_the_budget_is_found_as_such():
    text = "一般公共预算财政拨款支出年初预算为53.96万元，支出决算为54.43万元，完成年初预算的{z}%。"
    assert _failed(text.format(z="100.00")) == [("claims.full_completion_over_budget", "error")]
    assert _failed(text.format(z="100.87")) == []
    # 100% of a budget the 决算 stays under is a plain wrong rate
    assert _failed(text.replace("54.43", "50.43").format(z="100.00")) == [("claims.completion_pct", "error")]


@pytest.mark.parametrize("sentence, found", [
    ("全年因公出国（境）团组0个，累计4人次。", [("claims.counts", "error")]),
    ("因公出国（境）团组共计 ，0 个，出国（境）3人。", [("claims.counts", "error")]),
    ("全年因公出国（境）团组2次，累计出国（境）0人次。", [("claims.counts", "error")]),
    ("全年因公出国（境）团组2个，累计7人次。", []),
    ("全年因公出国（境）团组0个，累计0人次。", []),
])
def test_groups_without_travellers_contradict_themselves(sentence, found):
    assert _failed(sentence) == found
