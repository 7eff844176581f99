"""The grammar reader on a held-out-like set of passages (tests/narrative_sentences.py, written from the forms of
the template-variants catalogue §5–§8 with figures of our own): the share read exactly, and each form's figures."""

from __future__ import annotations

import time
from decimal import Decimal as D

import pytest

from etl.parsing.narrative import narrative_text, sangong_total_statement
from etl.parsing.narrative_sangong import read_sangong_narrative
from etl.parsing.narrative_yoy import read_yoy_statements
from tests.narrative_sentences import CASES, is_figure, pages_of, read, score


def test_the_held_out_like_set_covers_sixty_passages_and_every_form_of_the_catalogue():
    forms = {case.form for case in CASES}
    assert len(CASES) >= 60
    assert {"unqualified_budget", "initial_budget", "budget_after_completion", "rate_without_budget",
            "rate_without_de", "difference_only", "no_budget", "zero_budget", "counts", "year_on_year",
            "vehicle_unsplit", "gpb_under_heading", "gpb_full_year_defined", "item_completion_without_de",
            "pinyin_mirror", "digits_split_by_line_wrap", "unit_wrapped", "stray_point", "html_residue"} <= forms


def test_at_least_95_percent_of_the_stated_figures_are_read_exactly():
    hits, total, misses = score()
    assert hits / total >= 0.95, "\n".join(misses)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.form}-{n}" for n, c in enumerate(CASES)])
def test_form(case):
    """Every figure of the passage, its basis, and nothing it does not state (a count is never money)."""
    got = read(case.text)
    want = {k: (D(v) if is_figure(k) else v) for k, v in case.expected.items()}
    assert {k: v for k, v in got.items() if is_figure(k)} == {k: v for k, v in want.items() if is_figure(k)}
    for prefix in ("g", "s"):
        assert got.get(f"{prefix}.basis") == want.get(f"{prefix}.basis")


def test_an_unqualified_budget_is_never_taken_for_the_initial_budget():
    for case in CASES:
        got = read(case.text)
        for prefix in ("g", "s"):
            if f"{prefix}.u" in case.expected:
                assert f"{prefix}.i" not in got, case.text


def test_narrative_sangong_rows_carry_the_kind_of_their_budget():
    text = ("“三公”经费财政拨款支出年初预算为10.00万元，支出决算为9.00万元，完成年初预算的90.00%。其中：公务接待费支出"
            "预算为2.00万元，支出决算为1.50万元；因公出国（境）费支出决算为0万元。")
    rows = {r["item"]: r for r in read_sangong_narrative(pages_of(text))}
    assert (rows["total"]["budget"], rows["total"]["budget_basis"]) == (D("10.00"), "initial")
    assert (rows["reception"]["budget"], rows["reception"]["budget_basis"]) == (D("2.00"), "unqualified")
    assert (rows["overseas"]["budget"], rows["overseas"]["budget_basis"]) == (None, None)


def test_a_budget_compared_in_year_on_year_words_gives_no_year_on_year_row():
    text = ("其中：1、一般公共服务支出（类）财政事务（款）行政运行（项）。支出决算为55.00万元，"
            "与2023年度预算相比，减少5.00万元，下降8.33%。2、教育支出（类）普通教育（款）小学教育（项）。支出决算为12.00万元，比2023年度决算增加2.00万元。")
    rows = read_yoy_statements(pages_of(text))
    assert [(r["path"], r["change"]) for r in rows] == [("教育支出/普通教育/小学教育", D("2.00"))]


def test_a_10000_character_hostile_sentence_is_read_quickly():
    hostile = "“三公”经费财政拨款支出" + "预算预算为1,1,1,1.1.1万" * 400 + "完成预算" + "的" * 2000 + "--" * 500
    pages = pages_of(hostile)
    start = time.perf_counter()
    text, marks = narrative_text(pages)
    sangong_total_statement(text, marks)
    read_sangong_narrative(pages)
    read(hostile)
    assert time.perf_counter() - start < 0.5


def test_a_second_base_before_the_pandemic_is_not_taken_for_last_year():
    """增长--（基数为0，不可比） against last year, then 比2019年（疫情前） with a rate of its own (catalogue §5): the
    row keeps last year's change and no rate, not the 疫情前 rate."""
    text = ("一般公共预算财政拨款支出120.00万元，比2022年度增加120.00万元，增长--（基数为0，不可比）；"
            "比2019年（疫情前）减少30.00万元，下降20.00%。")
    rows = read_yoy_statements(pages_of(text))
    assert [(r["actual"], r["change"], r["change_pct"]) for r in rows] == [(D("120.00"), D("120.00"), None)]


def test_a_negative_after_the_direction_word_reverses_it():
    """下降-Y% (a template printing 下降 whatever the sign, catalogue §5) states a rise of Y%."""
    text = "一般公共预算财政拨款支出120.00万元，比2022年度减少-20.00万元，下降-20.00%。"
    rows = read_yoy_statements(pages_of(text))
    assert [(r["change"], r["change_pct"]) for r in rows] == [(D("20.00"), D("20.00"))]


def test_last_year_named_twice_before_its_change_is_one_base():
    """与上年相比，…比2022年度增加X: both name last year; the change after the second is last year's."""
    text = "一般公共预算财政拨款支出120.00万元，与上年相比，比2022年度增加20.00万元，增长20.00%。"
    rows = read_yoy_statements(pages_of(text))
    assert [(r["change"], r["change_pct"]) for r in rows] == [(D("20.00"), D("20.00"))]
