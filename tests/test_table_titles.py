"""Tables recognised by meaning (catalogue 2026-12-05 §1–§3): every title variant met in real reports is
mapped to its standard table or recorded as `other` with its title; the costs printed beside the 三公
(会议费, 培训费, 机关运行经费, 政府性基金) go to related_costs, never into sangong. One fixture per problem."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pdf_fixtures import FixturePage, cover, function_table_page, write_pdf

from etl.pagesource import load_pages
from etl.pagesource.page import Line, Page, Word, strip_running_lines
from etl.parsing.contents import listed_tables
from etl.parsing.locate import locate_tables, title_key
from etl.parsing.parse import parse_pdf

# (printed title, table_key a table page gives it; None: not a standard table)
TITLES = [
    ("一、收入支出决算总表", "income_expenditure_summary"),
    ("表一：收入支出决算总表", "income_expenditure_summary"),
    ("表 1：收入决算表", "income"),
    ("（一）支出决算表", "expenditure"),
    ("(三)支出决算表", "expenditure"),
    ("“三公”经费支出决算表（公开07表）", "sangong"),
    ("财决公开01表 收入支出决算总表", "income_expenditure_summary"),
    ("公开04表 财政拨款收入支出决算总表", "fiscal_summary"),
    ("一般公共预算财政拨款“三公”经费支出决算表", "sangong"),
    ("财政拨款“三公”经费支出决算表", "sangong"),
    ("一般公共预算财政拨款安排的“三公”经费支出决算表", "sangong"),
    ("“三公”经费、行政参公单位机关运行经费情况表", "sangong"),
    ("一般公共预算财政拨款“三公”经费情况表", "sangong"),
    ("“三公”经费及会议费、培训费支出决算表", "sangong"),
    ("“三公”经费及机关运行经费支出决算表", "sangong"),
    ("一般公共预算及政府性基金财政拨款“三公”经费支出决算表", "sangong"),
    ("财政拨款开支的“三公”经费决算情况表", "sangong"),
    ("政府性基金预算财政拨款“三公”经费支出决算表", "sangong_related"),
    ("一般公共预算财政拨款项目支出决算表", None),
    ("项目支出决算表", None),
    ("财政拨款支出决算明细表", "fiscal_expenditure"),
    ("一般公共预算财政拨款支出决算明细表", "gpb_expenditure"),
    ("一般公共预算财政拨款基本支出决算明细表", "gpb_basic_expenditure"),
    ("一般公共预算财政拨款收入支出决算表", "gpb_expenditure"),
    ("收入支出决算表", "income_expenditure_summary"),
    ("财政拨款收入支出决算表", "fiscal_summary"),
    ("国有资本经营预算财政拨款支出决算表", "state_capital"),
    ("国有资产占用情况表", None),
    ("国有资产使用情况表", None),
    ("财政专户管理资金收入支出决算表", None),
    ("政府采购支出决算表", None),
    ("财政拨款支出决算表", "fiscal_expenditure"),
    ("三、“三公”经费支出决算情况说明", None),
    ("“三公”经费支出预算表", None),  # a 预算 disclosure's table
    ("一般公共预算“三公”经费支出预算情况表", None),
]


@pytest.mark.parametrize(("title", "key"), TITLES)
def test_title_variant_mapped_by_meaning(title, key):
    assert title_key(Line([Word(title, 0.0, 1.0, 0.0, 1.0)]), numbered_ok=True) == key


def _report(path, department: str, year: int, *tables: FixturePage):
    """A cover, a 支出决算表 and the tables under test."""
    return write_pdf(path, [cover(department, year), function_table_page("支出决算表", ROWS, ruled=False), *tables])


def _locate(path):
    pages = load_pages(path)
    strip_running_lines(pages)
    return [(t.key, t.title) for t in locate_tables(pages)]


ROWS = [("", "合计", ["300.00", "200.00", "100.00"]),
        ("205", "教育支出", ["300.00", "200.00", "100.00"]),
        ("2050201", "学前教育", ["300.00", "200.00", "100.00"])]


def _sangong_page(title: str, heads: list[tuple[str, list[str]]], figures: list[str],
                  funds: tuple[str, ...] = (), width: float = 48) -> FixturePage:
    """A 三公 table printed across: each heading centred over its sub-headings (预算数/决算数), then one data
    row, every amount right-aligned in its own column; `funds` head equal shares of the columns."""
    page = FixturePage(landscape=True)
    page.text(200, 40, title, 13).text(700, 62, "单位：万元", 9)
    share = width * len(figures) / max(len(funds), 1)
    for k, fund in enumerate(funds):
        page.text(30 + share * k + share / 2 - 4 * len(fund), 82, fund, 8)
    x, col = 30, 0
    for group, subs in heads:
        centre = x + width * len(subs) / 2
        page.text(centre - 3.5 * min(len(group), 12), 100, group[:12], 7)
        for sub in subs:
            page.text(x + width / 2 - 3 * len(sub), 120, sub, 6)
            page.right(x + width - 3, 145, figures[col], 7)
            x += width
            col += 1
    return page


def _across(items: list[str], sides=("预算数", "决算数")) -> list[tuple[str, list[str]]]:
    return [(item, list(sides)) for item in items]


SANGONG_ITEMS = ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费"]


def test_meeting_and_training_columns_go_to_related_costs_not_sangong(tmp_path):
    figures = ["30.00", "28.00", "5.00", "4.00", "20.00", "19.00", "8.00", "8.00", "12.00", "11.00", "5.00", "5.00",
               "7.00", "6.50", "9.00", "8.25"]
    heads = _across(SANGONG_ITEMS + ["会议费", "培训费"])
    page = _sangong_page("“三公”经费及会议费、培训费支出决算表", heads, figures)
    pdf = _report(tmp_path / "r.pdf", "某市测试局", 2015, page)
    rows = parse_pdf(pdf, "t").rows
    sangong = {r["item"]: (r["budget"], r["actual"]) for r in rows["sangong"]}
    assert sangong["total"] == (Decimal("30.00"), Decimal("28.00"))
    assert sangong["reception"] == (Decimal("5.00"), Decimal("5.00"))
    related = {(r["item"], r["fund"]): (r["budget"], r["actual"]) for r in rows["related_costs"]}
    assert related == {("meeting", None): (Decimal("7.00"), Decimal("6.50")),
                       ("training", None): (Decimal("9.00"), Decimal("8.25"))}
    sangong_page = next(t["first_page"] for t in rows["tables_found"] if t["table_key"] == "sangong")
    assert {r["page"] for r in rows["related_costs"]} == {sangong_page}   # cited on the 三公 table's page


def test_government_fund_sangong_columns_are_related_costs(tmp_path):
    gpb = ["10.00", "9.00", "2.00", "2.00", "6.00", "5.00", "0.00", "0.00", "6.00", "5.00", "2.00", "2.00"]
    gov = ["4.00", "3.00", "0.00", "0.00", "4.00", "3.00", "0.00", "0.00", "4.00", "3.00", "0.00", "0.00"]
    page = _sangong_page("一般公共预算及政府性基金财政拨款“三公”经费支出决算表", _across(SANGONG_ITEMS * 2), gpb + gov,
                         funds=("一般公共预算财政拨款", "政府性基金预算财政拨款"), width=33)
    pdf = _report(tmp_path / "r.pdf", "某省测试厅", 2022, page)
    rows = parse_pdf(pdf, "t").rows
    sangong = {r["item"]: (r["budget"], r["actual"]) for r in rows["sangong"]}
    assert sangong["total"] == (Decimal("10.00"), Decimal("9.00"))
    related = {(r["item"], r["fund"]): (r["budget"], r["actual"]) for r in rows["related_costs"]}
    assert related[("total", "gov_fund")] == (Decimal("4.00"), Decimal("3.00"))
    assert {fund for _, fund in related} == {"gov_fund"}


def test_yunnan_2023_pair_the_gpb_only_table_is_sangong(tmp_path):
    """财政拨款“三公”经费、行政参公单位机关运行经费情况表, then 一般公共预算财政拨款“三公”经费情况表: the second
    holds exactly the figures of 07; the first is sangong_related, its 机关运行经费 a related cost."""
    first = _sangong_page("财政拨款“三公”经费、行政参公单位机关运行经费情况表",
                          _across(SANGONG_ITEMS + ["行政参公单位机关运行经费"]),
                          ["20.00", "19.00", "1.00", "1.00", "15.00", "14.00", "0.00", "0.00", "15.00", "14.00",
                           "4.00", "4.00", "80.00", "78.00"])
    second = _sangong_page("一般公共预算财政拨款“三公”经费情况表", _across(SANGONG_ITEMS),
                           ["18.00", "17.00", "1.00", "1.00", "13.00", "12.00", "0.00", "0.00", "13.00", "12.00",
                            "4.00", "4.00"])
    pdf = _report(tmp_path / "r.pdf", "某县测试局", 2023, first, second)
    assert [k for k, _ in _locate(pdf)] == ["expenditure", "sangong_related", "sangong"]
    rows = parse_pdf(pdf, "t").rows
    sangong = {r["item"]: (r["budget"], r["actual"]) for r in rows["sangong"]}
    assert sangong["total"] == (Decimal("18.00"), Decimal("17.00"))
    related = {(r["item"], r["fund"]): (r["budget"], r["actual"]) for r in rows["related_costs"]}
    assert related[("admin_operation", "all")] == (Decimal("80.00"), Decimal("78.00"))
    assert related[("total", "all")] == (Decimal("20.00"), Decimal("19.00"))


def test_second_table_of_a_key_under_another_title_is_recorded_not_absorbed(tmp_path):
    """四川 prints 国有资本经营预算财政拨款收入支出决算表 and then …支出决算表: the second is `other`, kept."""
    pdf = write_pdf(tmp_path / "r.pdf", [
        function_table_page("国有资本经营预算财政拨款收入支出决算表", ROWS, ruled=False),
        function_table_page("国有资本经营预算财政拨款支出决算表", ROWS, ruled=False),
    ])
    assert _locate(pdf) == [("state_capital", "国有资本经营预算财政拨款收入支出决算表"),
                            ("other", "国有资本经营预算财政拨款支出决算表")]


def test_project_expenditure_table_is_other_not_expenditure(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        function_table_page("支出决算表", ROWS, ruled=False),
        function_table_page("一般公共预算财政拨款项目支出决算表", ROWS, ruled=False),
    ])
    assert _locate(pdf) == [("expenditure", "支出决算表"), ("other", "一般公共预算财政拨款项目支出决算表")]


def test_summary_titled_income_total_without_codes_is_other(tmp_path):
    """收入决算总表 (陕西) is 02 only when it lists function codes."""
    page = FixturePage().text(200, 80, "收入决算总表", 16).text(450, 115, "单位：万元", 9)
    for i, (label, amount) in enumerate([("财政拨款收入", "300.00"), ("其他收入", "20.00"), ("收入合计", "320.00")]):
        page.text(70, 150 + 22 * i, label, 10).right(400, 150 + 22 * i, amount)
    coded = function_table_page("支出决算总表", ROWS, ruled=False)
    pdf = write_pdf(tmp_path / "r.pdf", [page, coded])
    assert _locate(pdf) == [("other", "收入决算总表"), ("expenditure", "支出决算总表")]


def test_yunnan_gpb_income_expenditure_table_reads_the_expenditure_columns(tmp_path):
    """一般公共预算财政拨款收入支出决算表 (05): 年初结转 | 本年收入 | 本年支出 (小计 基本 项目) | 年末结转."""
    page = FixturePage(landscape=True)
    page.text(220, 60, "一般公共预算财政拨款收入支出决算表", 15).text(700, 95, "单位：万元", 9)
    page.text(40, 115, "科目编码", 9).text(110, 115, "科目名称", 9).text(260, 115, "年初结转和结余", 9)
    page.text(355, 115, "本年收入", 9).text(540, 115, "本年支出", 9)
    page.text(450, 132, "小计", 9).text(525, 132, "基本支出", 9).text(605, 132, "项目支出", 9)
    page.text(690, 115, "年末结转和结余", 9)
    data = [("", "合计", ["10.00", "320.00", "300.00", "200.00", "100.00", "30.00"]),
            ("2050201", "学前教育", ["10.00", "320.00", "300.00", "200.00", "100.00", "30.00"])]
    for i, (code, name, amounts) in enumerate(data):
        top = 160 + 22 * i
        page.text(40, top, code, 9, latin=True).text(110, top, name, 9)
        for x1, amount in zip((330, 410, 490, 570, 650, 750), amounts, strict=True):
            page.right(x1, top, amount)
    pdf = write_pdf(tmp_path / "r.pdf", [cover("某县测试局", 2022), page])
    rows = [r for r in parse_pdf(pdf, "t").rows["function_expenditure"] if r["table_key"] == "gpb_expenditure"]
    assert [(r["code"], r["total"], r["basic"], r["project"]) for r in rows] == [
        (None, Decimal("300.00"), Decimal("200.00"), Decimal("100.00")),
        ("2050201", Decimal("300.00"), Decimal("200.00"), Decimal("100.00"))]


def test_table_printed_empty_with_no_data_note(tmp_path):
    page = FixturePage().text(120, 80, "政府性基金预算财政拨款收入支出决算表", 15).text(450, 115, "单位：万元", 9)
    page.text(70, 125, "科目编码", 10).text(200, 125, "科目名称", 10).text(350, 125, "合计", 10)
    page.text(70, 200, "本部门没有相关数据，故本表无数据。", 10)
    pdf = _report(tmp_path / "r.pdf", "某区测试局", 2024, page)
    found = {t["table_key"]: t for t in parse_pdf(pdf, "t").rows["tables_found"]}
    assert found["gov_fund"]["empty"] is True


def test_lone_sangong_table_with_its_text_is_read(tmp_path):
    """A stand-alone 三公 disclosure (the table and its 总体/具体 text, no other table): its figures are read."""
    table = _sangong_page("一般公共预算财政拨款“三公”经费支出决算表", _across(SANGONG_ITEMS),
                          ["12.00", "11.00", "2.00", "1.50", "6.00", "5.50", "0.00", "0.00", "6.00", "5.50",
                           "4.00", "4.00"])
    text = FixturePage().text(60, 90, "某区测试局2023年度“三公”经费支出决算情况说明", 12)
    text.text(60, 120, "（一）总体情况：2023年度“三公”经费支出决算为11.00万元。", 11)
    pdf = write_pdf(tmp_path / "r.pdf", [cover("某区测试局", 2023, "“三公”经费决算"), table, text])
    doc = parse_pdf(pdf, "t")
    sangong = {r["item"]: (r["budget"], r["actual"], r["source"]) for r in doc.rows["sangong"]}
    assert sangong["total"] == (Decimal("12.00"), Decimal("11.00"), "table")
    assert sangong["reception"] == (Decimal("4.00"), Decimal("4.00"), "table")
    assert doc.document["doc_kind"] == "final_accounts"


def test_contents_numbered_biao_yi_runs_on_over_a_second_page():
    """A 14-table list numbered 表一：… continues on the next page: those entries are read too."""
    def page(n: int, lines: list[str]) -> Page:
        return Page(n, 595.0, 842.0, [Word(t, 100.0, 400.0, 100.0 + 30 * i, 120.0 + 30 * i)
                                      for i, t in enumerate(lines)])

    first = page(2, ["目录", "第一部分部门概况", "第二部分情况说明", "第三部分名词解释", "第四部分附表",
                     "表一：收入支出决算总表", "表二：收入决算表"])
    second = page(3, ["表三：支出决算表", "表十一：国有资产占用情况表",
                      "表十二：政府性基金预算财政拨款“三公”经费支出决算表"])
    keys = [e.key for e in listed_tables([page(1, ["封面"]), first, second])]
    assert keys == ["income_expenditure_summary", "income", "expenditure", "sangong_related"]


@pytest.mark.parametrize(("headings", "basis"), [
    (["项目", "预算数", "决算数"], "unqualified"),        # the national form's 07 heading
    (["项目", "年初预算数", "决算数"], "initial"),
    (["项目", "全年预算数", "决算数"], "full_year"),
    (["项目", "调整预算", "实际支出"], "full_year"),
    (["“三公”经费预算（决算）数", "预算数", "决算数"], "unqualified"),   # a heading naming both is no basis
])
def test_sangong_table_budget_basis_comes_from_its_budget_heading(headings, basis):
    from etl.parsing.tables.grid import Span
    from etl.parsing.tables.sangong import budget_basis

    assert budget_basis([Span(i * 100.0, i * 100.0 + 90, text) for i, text in enumerate(headings)]) == basis
