"""No silent absorption: a table the locator does not know ends the table before it and is recorded as
`other`; an untitled page continues a table only when it looks like one. One fixture per problem met
in real collections (a university's 表4 appended to 表3, narrative pages appended to the last table)."""

from __future__ import annotations

from decimal import Decimal

from pdf_fixtures import FixturePage, cover, function_table_page, write_pdf

from etl.pagesource import load_pages
from etl.pagesource.page import strip_running_lines
from etl.parsing.families import recognise_template, report_scope
from etl.parsing.locate import locate_tables
from etl.parsing.parse import parse_pdf

ROWS = [("", "合计", ["300.00", "200.00", "100.00"]),
        ("205", "教育支出", ["300.00", "200.00", "100.00"]),
        ("20502", "普通教育", ["300.00", "200.00", "100.00"]),
        ("2050201", "学前教育", ["300.00", "200.00", "100.00"])]
MORE = [("208", "社会保障和就业支出", ["50.00", "50.00", ""]),
        ("20805", "行政事业单位养老支出", ["50.00", "50.00", ""]),
        ("2080505", "机关事业单位基本养老保险缴费支出", ["50.00", "50.00", ""])]


def _locate(path):
    pages = load_pages(path)
    strip_running_lines(pages)
    return [(t.key, t.title, [p.number for p in t.pages]) for t in locate_tables(pages)]


def _performance_table(numbered: bool) -> FixturePage:
    """A table none of the standard ones, with columns of its own (项目名称 | 年度目标 | 完成率)."""
    page = FixturePage()
    title = "部门预算项目绩效目标完成情况表"
    page.text(150, 80, ("表5 " if numbered else "") + title, 16).text(450, 115, "单位：万元", 9)
    page.text(70, 125, "项目名称", 10).text(300, 125, "年度目标", 10).text(470, 125, "完成率", 10)
    for i, (name, pct) in enumerate([("校园维修", "98.00"), ("设备购置", "100.00"), ("图书采购", "87.50")]):
        page.text(70, 150 + 22 * i, name, 10).text(300, 150 + 22 * i, "按期完成", 10).right(520, 150 + 22 * i, pct)
    return page


def _narrative_page(lines: list[str]) -> FixturePage:
    page = FixturePage()
    for i, text in enumerate(lines):
        page.text(60, 90 + 24 * i, text, 11)
    return page


PROSE = ["本单位2024年度财政拨款支出主要用于保障机构正常运转和完成各项教学科研任务，",
         "较上年有所增加，主要原因是新建实验楼投入使用后运行维护费用增加。",
         "下一步将继续加强预算执行管理，提高财政资金使用效益。"]


def test_unknown_numbered_table_ends_the_table_before_it(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        cover("上海市普陀区测试局", 2024),
        function_table_page("支出决算表", ROWS, ruled=True),
        _performance_table(numbered=True),
    ])
    found = _locate(pdf)
    assert found == [("expenditure", "支出决算表", [2]), ("other", "表5部门预算项目绩效目标完成情况表", [3])]
    rows = parse_pdf(pdf, "t").rows
    assert [r["code"] for r in rows["function_expenditure"]] == [None, "205", "20502", "2050201"]
    other = [t for t in rows["tables_found"] if t["table_key"] == "other"]
    assert other[0]["title"] == "表5部门预算项目绩效目标完成情况表"
    unknown = next(c for c in rows["checks"] if c["check_id"] == "completeness.unknown_table")
    assert (unknown["status"], unknown["severity"]) == ("fail", "info") and "绩效" in unknown["message"]


def test_unnumbered_unknown_title_with_its_unit_line_ends_the_table(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        function_table_page("支出决算表", ROWS, ruled=False),
        _performance_table(numbered=False),
    ])
    assert [k for k, _, _ in _locate(pdf)] == ["expenditure", "other"]


def test_narrative_page_after_a_table_is_not_a_continuation(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        function_table_page("支出决算表", ROWS, ruled=True),
        _narrative_page(PROSE),
    ])
    assert _locate(pdf) == [("expenditure", "支出决算表", [1])]


def test_page_without_header_in_the_same_columns_continues_the_table(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        function_table_page("支出决算表", ROWS, ruled=False),
        function_table_page("", MORE, ruled=False, header=False, start_top=80),
    ])
    assert _locate(pdf) == [("expenditure", "支出决算表", [1, 2])]
    rows = parse_pdf(pdf, "t").rows["function_expenditure"]
    assert [r["code"] for r in rows][-3:] == ["208", "20805", "2080505"]
    assert rows[-1]["total"] == Decimal("50.00")


def test_landscape_page_after_a_portrait_table_is_not_its_continuation(tmp_path):
    turned = function_table_page("", MORE, ruled=False, header=False, start_top=80)
    turned.landscape = True
    pdf = write_pdf(tmp_path / "r.pdf", [function_table_page("支出决算表", ROWS, ruled=False), turned])
    assert _locate(pdf) == [("expenditure", "支出决算表", [1])]


def test_all_funds_fiscal_table_is_its_own_table_not_the_general_budget_one(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        function_table_page("表3 高等学校支出决算表", ROWS, ruled=True),
        function_table_page("表4 财政拨款支出决算表", ROWS[:2], ruled=True),
    ])
    assert [k for k, _, _ in _locate(pdf)] == ["expenditure", "fiscal_expenditure"]
    rows = parse_pdf(pdf, "t").rows["function_expenditure"]
    assert {r["table_key"] for r in rows} == {"expenditure", "fiscal_expenditure"}
    assert not [r for r in rows if r["table_key"] == "gpb_expenditure"]


def test_families_recognised_from_titles_wording_and_region():
    assert recognise_template(["表1 高等学校收支决算总表"], "", None) == "university"
    assert recognise_template(["公共财政拨款支出决算表"], "", "上海市普陀区") == "district_legacy"
    assert recognise_template(["一般公共预算财政拨款支出决算表"], "", "上海市普陀区") == "district"
    assert recognise_template(["一般公共预算财政拨款支出决算表"], "", None) == "central"
    assert report_scope("中国地震局机关服务中心2024年度单位决算") == "unit"
    assert report_scope("上海市普陀区财政局2024年度部门决算") == "department"
