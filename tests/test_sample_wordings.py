"""Each narrative wording the sample generator prints (catalogue §5–§6) is read back by the narrative reader exactly
as its truth records it: budget kind, completion %, printed difference; a figure not printed is null."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from etl.parsing.narrative import gpb_total_statement, sangong_total_statement
from etl.sample import catalog as cat
from etl.sample.figures import build_printed, raw_figures
from etl.sample.layout import choose_layout
from etl.sample.narrative import (
    GPB_FORCED_WORDINGS,
    GPB_WORDINGS,
    SANGONG_FORCED_WORDINGS,
    SANGONG_WORDINGS,
    Narrative,
)

MARKS = [(0, 1)]
_BUDGET = {"initial": "initial_budget", "full_year": "full_year_budget", "unqualified": "unqualified_budget"}


def _narrative(force: dict, key: str = "财政局", year: int = 2023,
               zero_sangong_budget: bool = False) -> tuple[str, dict]:
    """The 情况说明 text of one generated Shanghai report with the wording forced, and its truth."""
    city, district, street = "上海市", "普陀区", "长寿路街道"
    dtype = next(d for d in cat.DEPT_TYPES if d.key == key)
    lay = choose_layout(5, city, city + district, year, key, {"inconsistency": None, **force})
    region = city + district
    raw, prev = raw_figures(5, region, dtype, year, city), raw_figures(5, region, dtype, year - 1, city)
    p = build_printed(raw, prev, year, lay.split_fiscal)
    if zero_sangong_budget:
        p.sangong_budget = dict.fromkeys(p.sangong_budget, 0)
    narr = Narrative(p, lay, cat.department_name(city, district, street, dtype), key, year,
                     random.Random(f"5|text|{region}|{key}|{year}"), region=region)
    text = "".join(t for kind, t in narr.statements() if kind in ("h", "p"))
    return text.replace("“", '"').replace("”", '"'), narr.truth


def _same(got, want) -> bool:
    return (got is None and want is None) or (got is not None and want is not None
                                              and Decimal(str(want)) == got)


@pytest.mark.parametrize("wording", GPB_WORDINGS + GPB_FORCED_WORDINGS)
@pytest.mark.parametrize("full_year", [False, True])
def test_gpb_wording_reads_back_as_its_truth(wording, full_year):
    text, truth = _narrative({"gpb_wording": wording, "full_year_budget": full_year})
    want, got = truth["gpb_budget_execution"], gpb_total_statement(text, MARKS)
    for field in ("initial_budget", "full_year_budget", "unqualified_budget", "actual", "completion_pct",
                  "budget_difference"):
        assert _same(getattr(got, field), want[field]), (wording, field, want[field], getattr(got, field))
    assert got.budget_basis == want["budget_basis"]


@pytest.mark.parametrize("wording", SANGONG_WORDINGS + SANGONG_FORCED_WORDINGS)
def test_sangong_wording_reads_back_as_its_truth(wording):
    text, truth = _narrative({"sangong_wording": wording})
    want, got = truth["sangong_narrative"], sangong_total_statement(text, MARKS)
    budgets = {k: getattr(got, c) for k, c in _BUDGET.items() if getattr(got, c) is not None}
    kind = want.get("budget_kind") or want["budget_basis"] or "initial"  # a budget compared in words: no basis
    assert budgets == ({kind: Decimal(str(want["budget_total"]))}
                       if want["budget_total"] is not None else {})
    assert _same(got.actual, want["actual_total"]) and _same(got.completion_pct, want["completion_pct"])
    assert _same(got.budget_difference, want["budget_difference"]) and got.budget_basis == want["budget_basis"]


def test_every_wording_is_chosen_somewhere_in_a_small_corpus():
    seen = set()
    for key in [d.key for d in cat.DEPT_TYPES]:
        for year in (2021, 2022, 2023, 2024):
            _, truth = _narrative({}, key, year)
            g, s = truth["gpb_budget_execution"], truth["sangong_narrative"]
            seen.add(("g", g["budget_basis"], g["budget_difference"] is not None))
            seen.add(("s", s["budget_basis"], s["budget_difference"] is not None, s["budget_total"] is None))
    assert {("g", "unqualified", False), ("g", "initial", True), ("s", "unqualified", False, False),
            ("s", "full_year", False, False), ("s", None, True, True), ("s", None, False, True)} <= seen


def test_a_zero_sangong_budget_is_printed_as_no_rate_and_read_as_none():
    text, truth = _narrative({"sangong_wording": "initial"}, zero_sangong_budget=True)
    assert "--%（基数为0，不可比）" in text
    got = sangong_total_statement(text, MARKS)
    assert (got.initial_budget, got.completion_pct, got.budget_basis) == (Decimal("0.00"), None, None)
    assert (truth["sangong_narrative"]["completion_pct"], truth["sangong_narrative"]["budget_basis"]) == (None, None)
