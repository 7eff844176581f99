"""Parser problems met by the generated table sets (etl.sample.table_sets), one small fixture each: a contents
page whose entries carry Word page-number fields, a 三公 table printed across with 预算数 and 决算数 as rows."""

from __future__ import annotations

from decimal import Decimal

from pdf_fixtures import FixturePage, cover, function_table_page, write_pdf

from etl.pagesource.page import Page, Word
from etl.parsing.contents import listed_tables
from etl.parsing.parse import parse_pdf


def _page(n: int, lines: list[str]) -> Page:
    return Page(n, 595.0, 842.0, [Word(t, 100.0, 500.0, 100.0 + 30 * i, 120.0 + 30 * i) for i, t in enumerate(lines)])


def test_contents_with_word_pageref_field_codes_lists_its_tables():
    """Word's PAGEREF field codes printed after each entry (one wrapped onto the next line) are page numbers,
    not part of the title: the listed tables are still recognised."""
    contents = _page(2, ["目录", "第一部分 部门概况 PAGEREF _Toc505000021 \\h 3",
                         "一、收入支出决算总表 PAGEREF _Toc505000035 \\h 5",
                         "二、收入决算表 PAGEREF _Toc505000042 \\h 6",
                         "三、“三公”经费及会议费、培训费支出决算表 PAGEREF _",
                         "Toc505000077 \\h 11",
                         "第三部分 部门决算情况说明 PAGEREF _Toc505000084 \\h 12"])
    keys = [e.key for e in listed_tables([_page(1, ["封面"]), contents])]
    assert keys == ["income_expenditure_summary", "income", "sangong"]


def test_contents_with_dot_leaders_and_page_numbers_lists_its_tables():
    contents = _page(2, ["目录", "表（一）收入支出决算总表..........................4",
                         "表（二）收入决算表.....................................7"])
    assert [e.key for e in listed_tables([_page(1, ["封面"]), contents])] == ["income_expenditure_summary", "income"]


ITEMS = ["合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费"]


def test_sangong_printed_across_with_budget_and_actual_as_rows(tmp_path):
    """Items (and 会议费, 培训费) as columns, a 预算数 row and a 决算数 row: each amount's side comes from its row
    label, its item from the heading above; 会议费 and 培训费 go to related_costs."""
    budget = ["30.00", "5.00", "20.00", "8.00", "12.00", "5.00", "7.00", "9.00"]
    actual = ["28.00", "4.00", "19.00", "8.00", "11.00", "5.00", "6.50", "8.25"]
    page = FixturePage(landscape=True).text(200, 40, "“三公”经费及会议费、培训费支出决算表", 13)
    page.text(700, 62, "单位：万元", 9).text(40, 100, "项目", 8)
    for k, item in enumerate(ITEMS):
        x = 120 + 80 * k
        page.text(x + 40 - 3.5 * len(item), 100, item, 7)
        page.right(x + 76, 125, budget[k], 7).right(x + 76, 145, actual[k], 7)
    page.text(40, 125, "预算数", 8).text(40, 145, "决算数", 8)
    rows = [("", "合计", ["300.00", "200.00", "100.00"]), ("205", "教育支出", ["300.00", "200.00", "100.00"])]
    expenditure = function_table_page("支出决算表", rows, ruled=False)
    pdf = write_pdf(tmp_path / "r.pdf", [cover("某市测试局", 2017), expenditure, page])
    parsed = parse_pdf(pdf, "t").rows
    sangong = {r["item"]: (r["budget"], r["actual"]) for r in parsed["sangong"]}
    assert sangong["total"] == (Decimal("30.00"), Decimal("28.00"))
    assert sangong["vehicle_operation"] == (Decimal("12.00"), Decimal("11.00"))
    assert sangong["reception"] == (Decimal("5.00"), Decimal("5.00"))
    related = {(r["item"], r["fund"]): (r["budget"], r["actual"]) for r in parsed["related_costs"]}
    assert related == {("meeting", None): (Decimal("7.00"), Decimal("6.50")),
                       ("training", None): (Decimal("9.00"), Decimal("8.25"))}


def test_unruled_sangong_header_line_right_above_the_first_row_stays_header(tmp_path):
    """An unruled 三公 table printed across whose last header line (小计 / 公务用车购置费 under the spanning
    公务用车购置及运行维护费) sits right above the 预算数 row, with a '-' right-aligned in the 购置费 column: that line
    once went into the body as a wrapped name, so the '-' was read under the spanning heading as the vehicle
    小计 (0.00) and the real 小计 was lost."""
    page = FixturePage(landscape=True).text(200, 40, "“三公”经费支出决算表", 13)
    page.text(700, 62, "单位：万元", 9).text(40, 110, "项目", 8)
    page.text(360, 92, "公务用车购置及运行维护费", 7)
    heads = [("合计", 110), ("因公出国（境）费", 110), ("小计", 120), ("公务用车购置费", 120),
             ("公务用车运行维护费", 110), ("公务接待费", 110)]
    budget, actual = ["13.00", "3.00", "8.00", "-", "8.00", "2.00"], ["9.00", "2.00", "6.00", "-", "6.00", "1.00"]
    for k, (item, y) in enumerate(heads):
        x = 120 + 80 * k
        page.text(x + 30 - 3.5 * len(item), y, item, 7)
        page.right(x + 76, 134, budget[k], 7).right(x + 76, 150, actual[k], 7)
    page.text(40, 134, "预算数", 8).text(40, 150, "决算数", 8)
    rows = [("", "合计", ["300.00", "200.00", "100.00"]), ("205", "教育支出", ["300.00", "200.00", "100.00"])]
    expenditure = function_table_page("支出决算表", rows, ruled=False)
    pdf = write_pdf(tmp_path / "r.pdf", [cover("某市测试局", 2017), expenditure, page])
    sangong = {r["item"]: (r["budget"], r["actual"]) for r in parse_pdf(pdf, "t").rows["sangong"]}
    assert sangong["vehicle_total"] == (Decimal("8.00"), Decimal("6.00"))
    assert sangong["vehicle_purchase"] == (Decimal("0.00"), Decimal("0.00"))
    assert sangong["vehicle_operation"] == (Decimal("8.00"), Decimal("6.00"))
