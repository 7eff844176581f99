"""The narrative wordings of the other report families: 三公 stated only in the text (central departments,
some districts) and year-on-year statements per 项 and for the whole department (高等学校, central units).

Pages are built from words, without a PDF, as the narrative reader sees them after the table pages are removed.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.pagesource.page import Page, Word
from etl.parsing.narrative import item_statements, narrative_text, sangong_total_statement
from etl.parsing.narrative_sangong import read_sangong_narrative
from etl.parsing.narrative_yoy import read_yoy_statements


def _page(number: int, text: str, width: int = 28) -> Page:
    """A page whose text is set in lines of `width` characters (a sentence broken across lines, as printed)."""
    chunks = [text[i: i + width] for i in range(0, len(text), width)] or [""]
    words = [Word(chunk, 60.0, 60.0 + 14 * len(chunk), 90.0 + 22 * i, 104.0 + 22 * i) for i, chunk in enumerate(chunks)]
    return Page(number, 595.0, 842.0, words)


def _pages(*texts: str, first: int = 5) -> list[Page]:
    return [_page(first + i, text) for i, text in enumerate(texts)]


def _by_item(rows: list[dict]) -> dict[str, tuple]:
    return {r["item"]: (r["budget"], r["actual"]) for r in rows}


CENTRAL = ("2024年度“三公”经费财政拨款支出预算为174.94万元，支出决算为146.40万元，完成预算的83.69%。"
           "其中：因公出国（境）费支出预算为67.00万元，支出决算为50.44万元，完成预算的75.28%；"
           "公务接待费支出预算为22.19万元，支出决算为10.03万元，完成预算的45.20%；")
CENTRAL_2 = ("公务用车购置及运行维护费支出预算为85.75万元，支出决算为85.93万元，完成预算的100.21%。"
             "其中：公务用车购置费支出预算为30.00万元，支出决算为29.50万元；"
             "公务用车运行维护费支出预算为55.75万元，支出决算为56.43万元。")


# -- 三公 stated in the text ------------------------------------------------------------------------

def test_central_wording_gives_every_item_with_budget_actual_and_its_page():
    rows = read_sangong_narrative(_pages("九、财政拨款“三公”经费支出决算情况说明" + CENTRAL, CENTRAL_2))
    assert [r["item"] for r in rows] == ["total", "overseas", "vehicle_total", "vehicle_purchase",
                                         "vehicle_operation", "reception"]
    assert _by_item(rows) == {
        "total": (D("174.94"), D("146.40")), "overseas": (D("67.00"), D("50.44")),
        "vehicle_total": (D("85.75"), D("85.93")), "vehicle_purchase": (D("30.00"), D("29.50")),
        "vehicle_operation": (D("55.75"), D("56.43")), "reception": (D("22.19"), D("10.03"))}
    assert {r["item"]: r["page"] for r in rows} == {"total": 5, "overseas": 5, "reception": 5, "vehicle_total": 6,
                                                    "vehicle_purchase": 6, "vehicle_operation": 6}
    assert {r["source"] for r in rows} == {"narrative"}


def test_district_wording_without_budgets_keeps_budget_null_and_stated_zeros():
    rows = read_sangong_narrative(_pages(
        "七、财政拨款“三公”经费支出决算情况说明“三公”经费财政拨款支出决算为12.34万元，比年初预算减少3.66万元，"
        "其中：因公出国（境）费0万元，公务用车购置及运行费5.00万元（其中：公务用车购置费0万元，公务用车运行费5.00万元），"
        "公务接待费7.34万元。八、政府性基金预算财政拨款收入支出决算情况说明本单位无政府性基金预算财政拨款支出。"))
    assert _by_item(rows) == {
        "total": (None, D("12.34")), "overseas": (None, D("0.00")), "vehicle_total": (None, D("5.00")),
        "vehicle_purchase": (None, D("0.00")), "vehicle_operation": (None, D("5.00")), "reception": (None, D("7.34"))}


def test_parts_in_another_order_with_half_width_punctuation_and_straight_quotes():
    rows = read_sangong_narrative(_pages(
        '"三公"经费支出决算为20.00万元,完成预算的80.00%.其中:公务接待费支出决算为4.00万元;'
        "公务用车运行维护费支出决算为6.00万元;因公出国(境)费支出决算为10.00万元;公务用车购置费支出决算为0万元;"
        "公务用车购置及运行维护费支出决算为6.00万元。"))
    assert [r["item"] for r in rows] == list(("total", "overseas", "vehicle_total", "vehicle_purchase",
                                              "vehicle_operation", "reception"))
    assert _by_item(rows) == {
        "total": (None, D("20.00")), "overseas": (None, D("10.00")), "vehicle_total": (None, D("6.00")),
        "vehicle_purchase": (None, D("0.00")), "vehicle_operation": (None, D("6.00")), "reception": (None, D("4.00"))}


def test_figures_in_yuan_with_thousands_separators_are_converted_to_wan():
    rows = read_sangong_narrative(_pages(
        "“三公”经费财政拨款支出预算为1,234,500元，支出决算为1,000,000元，完成预算的81.00%。"
        "其中：公务接待费支出预算为34,500元，支出决算为12,345元。"))
    assert _by_item(rows) == {"total": (D("123.45"), D("100.00")), "reception": (D("3.45"), D("1.23"))}


def test_only_stated_items_and_unincurred_items_stated_as_zero():
    rows = read_sangong_narrative(_pages(
        "“三公”经费财政拨款支出决算为5.00万元，其中：公务接待费5.00万元，未发生因公出国（境）费。"))
    assert _by_item(rows) == {"total": (None, D("5.00")), "reception": (None, D("5.00")),
                              "overseas": (None, D("0.00"))}


def test_no_sangong_spending_stated_gives_a_zero_total_only():
    rows = read_sangong_narrative(_pages("七、财政拨款“三公”经费支出决算情况说明某某局2024年度无“三公”经费财政拨款"
                                         "支出。八、政府性基金预算财政拨款收入支出决算情况说明"))
    assert _by_item(rows) == {"total": (None, D("0.00"))}


def test_2017_wording_with_budget_after_the_actual():
    rows = read_sangong_narrative(_pages(
        "2017年度“三公”经费财政拨款支出决算为1.65万元，完成预算6.00万元的27.50%。其中：因公出国（境）费支出决算为0万元，"
        "完成预算0万元的0.00%；公务用车购置及运行费支出决算为1.65万元，完成预算3.00万元的55.00%。"))
    assert _by_item(rows) == {"total": (D("6.00"), D("1.65")), "overseas": (D("0"), D("0.00")),
                              "vehicle_total": (D("3.00"), D("1.65"))}


@pytest.mark.parametrize("text", [
    "第四部分名词解释十、“三公”经费：指单位使用本级财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"
    "其中：因公出国（境）费反映单位参加国际合作交流等的国际旅费；公务接待费反映按规定开支的各类公务接待费用。",
    "一、收入支出决算总体情况说明2024年度收入总计100.00万元，支出总计100.00万元。",
    "无“三公”经费财政拨款支出的部门，作下述说明：",
])
def test_a_report_stating_no_sangong_figures_gives_no_rows(text):
    assert read_sangong_narrative(_pages(text)) == []


def test_item_names_outside_the_sangong_passage_are_not_read():
    rows = read_sangong_narrative(_pages(
        "六、一般公共预算财政拨款基本支出决算情况说明公用经费10.00万元，其中：公务接待费2.00万元。"
        "七、财政拨款“三公”经费支出决算情况说明“三公”经费财政拨款支出决算为1.00万元，其中：公务接待费1.00万元。"
        "八、其他重要事项的情况说明机关运行经费支出中公务用车运行维护费3.00万元。"))
    assert _by_item(rows) == {"total": (None, D("1.00")), "reception": (None, D("1.00"))}


def test_sangong_total_statement_reads_a_budget_not_called_initial():
    text, marks = narrative_text(_pages(CENTRAL))
    s = sangong_total_statement(text, marks)
    assert (s.initial_budget, s.unqualified_budget, s.actual, s.completion_pct, s.budget_basis) == (
        None, D("174.94"), D("146.40"), D("83.69"), "unqualified")


# -- year-on-year statements ------------------------------------------------------------------------

@pytest.mark.parametrize(("paragraph", "expected"), [
    ("（一）教育支出（类）高等教育（款）高等教育（项）。2024年度决算为123.45万元，比上年决算增加10.00万元，增长8.81%，"
     "主要原因是招生规模扩大。",
     ("教育支出/高等教育/高等教育", D("123.45"), None, D("10.00"), D("8.81"), "招生规模扩大")),
    ("1、教育支出（类）高等教育（款）其他高等教育支出（项）。支出决算为45.00万元，比上年决算减少5.00万元，下降10.00%。",
     ("教育支出/高等教育/其他高等教育支出", D("45.00"), None, D("-5.00"), D("-10.00"), None)),
    ("（三）科学技术支出（类）基础研究（款）机构运行（项）。2024年度决算为12.00万元，上年决算为10.00万元，增加2.00万元，"
     "增长20.00%。",
     ("科学技术支出/基础研究/机构运行", D("12.00"), D("10.00"), D("2.00"), D("20.00"), None)),
    ("（四）教育支出（类）教育费附加安排的支出（款）其他支出（项）。上年决算为8.00万元，2024年度决算为6.00万元，"
     "减少2.00万元，下降25.00%。",
     ("教育支出/教育费附加安排的支出/其他支出", D("6.00"), D("8.00"), D("-2.00"), D("-25.00"), None)),
    ("（五）社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。"
     "支出决算为300,000元，与上年持平。",
     ("社会保障和就业支出/行政事业单位养老支出/机关事业单位基本养老保险缴费支出", D("30.00"), None, D("0.00"),
      D("0.00"), None)),
    ("（六）教育支出（类）普通教育（款）高中教育（项）。2024年度决算为7.00万元，与上年决算基本持平。",
     ("教育支出/普通教育/高中教育", D("7.00"), None, None, None, None)),
])
def test_item_year_on_year_wordings(paragraph, expected):
    (row,) = read_yoy_statements(_pages(paragraph))
    assert row["scope"] == "item" and row["page"] == 5
    fields = ("path", "actual", "prior_actual", "change", "change_pct", "reason")
    assert tuple(row[f] for f in fields) == expected


def test_whole_department_year_on_year_statement():
    rows = read_yoy_statements(_pages(
        "四、财政拨款支出决算情况说明2024年度财政拨款支出12,345.67万元，比上年决算增加1,234.56万元，增长11.11%，"
        "主要原因是新校区投入使用。"))
    assert [{k: v for k, v in r.items() if k != "span"} for r in rows] == [
        {"scope": "total", "path": None, "code": None, "actual": D("12345.67"), "prior_actual": None,
         "change": D("1234.56"), "change_pct": D("11.11"), "reason": "新校区投入使用", "page": 5}]
    assert rows[0]["span"][0] < rows[0]["span"][1]  # where it was read, for its OCR confidence


def test_budget_comparisons_give_no_year_on_year_row():
    pages = _pages(
        "一般公共预算财政拨款支出年初预算为200.00万元，支出决算为180.00万元，完成年初预算的90.00%。"
        "1、教育支出（类）普通教育（款）初中教育（项）。年初预算为100.00万元（含上年结转20.00万元），支出决算为90.00万元，"
        "比年初预算减少10.00万元，完成年初预算的90.00%。决算数小于预算数的主要原因是学生人数比上年增长5.00%。"
        "“三公”经费财政拨款支出决算为3.00万元，比上年减少1.00万元，下降25.00%。")
    assert read_yoy_statements(pages) == []


def test_a_paragraph_with_both_comparisons_gives_a_budget_statement_and_a_yoy_row():
    pages = _pages("（一）教育支出（类）职业教育（款）高等职业教育（项）。年初预算为100.00万元，支出决算为95.00万元，"
                   "完成年初预算的95.00%。比上年决算增加15.00万元，增长18.75%，主要原因是专业建设投入增加。",
                   "（二）……")
    (row,) = read_yoy_statements(pages)
    assert (row["actual"], row["change"], row["change_pct"]) == (D("95.00"), D("15.00"), D("18.75"))
    text, marks = narrative_text(pages)
    (statement,) = item_statements(text, marks)
    assert (statement.path, statement.initial_budget, statement.actual) == (
        "教育支出/职业教育/高等职业教育", D("100.00"), D("95.00"))


def test_budget_statement_takes_this_years_figure_when_last_years_is_printed_first():
    text, marks = narrative_text(_pages("1、教育支出（类）高等教育（款）高等教育（项）。上年决算为80.00万元，"
                                        "本年决算为90.00万元，年初预算为95.00万元。"))
    (statement,) = item_statements(text, marks)
    assert (statement.actual, statement.initial_budget) == (D("90.00"), D("95.00"))


def test_item_rows_carry_the_page_their_paragraph_starts_on():
    rows = read_yoy_statements(_pages(
        "（一）教育支出（类）高等教育（款）高等教育（项）。2024年度决算为10.00万元，比上年决算增加1.00万元，增长11.11%。",
        "（二）教育支出（类）高等教育（款）其他高等教育支出（项）。2024年度决算为5.00万元，比上年决算减少1.00万元，下降16.67%。"))
    assert [(r["path"], r["page"]) for r in rows] == [("教育支出/高等教育/高等教育", 5),
                                                     ("教育支出/高等教育/其他高等教育支出", 6)]


def test_university_year_on_year_paragraphs_are_no_budget_statements(tmp_path):
    """高等学校 reports compare each 项 with last year and print no budget (issue 17, defect 6): their paragraphs
    are item_yoy rows only, never budget_execution rows "without a budget". Recomputed from the truth JSON."""
    import json

    from etl.parsing.parse import parse_pdf
    from etl.sample.families import write_family_corpus

    for pdf in write_family_corpus(tmp_path, ["university"], seed=7, per_family=2):
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        parsed = parse_pdf(pdf, "u")
        parsed = parsed[0] if isinstance(parsed, list) else parsed
        items = [r for r in parsed.rows["budget_execution"] if r["scope"] == "item"]
        assert len(items) == len(truth["item_budget_execution"])
        yoy_items = [r for r in parsed.rows["item_yoy"] if r["scope"] == "item"]
        assert sorted(r["path"] for r in yoy_items) == sorted(r["path"] for r in truth["item_yoy"])
