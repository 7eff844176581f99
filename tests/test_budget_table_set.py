"""A table-only 预算 set made in Excel: no cover, no narrative, each sheet printed with its number (公开01表) on a
line of its own or before the title, the first sheet 收支预算总表. It is a budget (doc_kind budget), not `other`."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.parsing.parse import parse_pdf
from tests.pdf_fixtures import FixturePage, write_pdf

SHEETS = [("公开01表", "收支预算总表"), ("公开02表", "收入预算表"), ("公开03表", "支出预算表")]


def _sheet(number: str, title: str, one_line: bool) -> FixturePage:
    page = FixturePage(landscape=True)
    if one_line:
        page.text(260, 60, f"{number} {title}", 16)
    else:
        page.text(40, 40, number, 10).text(300, 60, title, 16)
    page.text(40, 95, "单位名称：上海市普陀区某某局", 9).text(650, 95, "单位：万元", 9)
    page.text(60, 120, "项目", 10).text(300, 120, "预算数", 10).text(450, 120, "项目", 10).text(650, 120, "预算数", 10)
    rows = [("一、一般公共预算拨款", "1,234.56", "一、一般公共服务支出", "1,000.00"),
            ("二、政府性基金预算拨款", "0.00", "二、教育支出", "234.56"),
            ("收入总计", "1,234.56", "支出总计", "1,234.56")]
    for i, (left, a, right, b) in enumerate(rows):
        top = 140 + 20 * i
        page.text(60, top, left, 10).right(380, top, a).text(450, top, right, 10).right(720, top, b)
    return page


def _kind(tmp_path: Path, sheets: list[tuple[str, str]], one_line: bool) -> str:
    pdf = write_pdf(tmp_path / "budget.pdf", [_sheet(n, t, one_line) for n, t in sheets])
    return parse_pdf(pdf, "t").document["doc_kind"]


@pytest.mark.parametrize("one_line", [True, False], ids=["number-before-title", "number-on-its-own-line"])
@pytest.mark.parametrize("count", [1, 3])
def test_an_excel_made_budget_table_set_is_a_budget(tmp_path, one_line, count):
    assert _kind(tmp_path, SHEETS[:count], one_line) == "budget"


@pytest.mark.parametrize("one_line", [True, False], ids=["number-before-title", "number-on-its-own-line"])
def test_a_numbered_table_that_is_no_budget_stays_other(tmp_path, one_line):
    assert _kind(tmp_path, [("公开01表", "主要经济指标完成情况表")], one_line) == "other"


def test_a_number_only_title_line_is_recorded_with_the_title_below_it(tmp_path):
    # the locator joins 公开01表 and the title proper printed under it, so tables_found names the table
    pdf = write_pdf(tmp_path / "budget.pdf", [_sheet(n, t, one_line=False) for n, t in SHEETS])
    from etl.pagesource import load_pages
    from etl.parsing.locate import locate_tables

    titles = [t.title for t in locate_tables(load_pages(pdf))]
    assert titles == [n + t for n, t in SHEETS]
