"""The document checks (etl/parsing/checks/document.py): completeness of the standard tables and the
consistency of year, dates, names and units. One small built PDF per real-world problem, each
with a twin that must stay silent; and the real reports: no error on the genuine ones, the
national template flagged for its placeholders."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from etl.pagesource import read_pages
from etl.parsing.checks import rule_for
from etl.parsing.checks.document import RULES, TABLE_ZH, _name_years, _title
from etl.parsing.families import mandatory_tables
from etl.parsing.locate import title_key
from etl.parsing.parse import parse_pdf
from tests.pdf_fixtures import FixturePage, write_pdf

DEPT, YEAR = "上海市普陀区测试局", 2024
ALL = list(mandatory_tables("district")) + ["gov_fund", "state_capital"]  # the national district form
NUMERALS = "一二三四五六七八九十"


def cover(dept: str = DEPT, year: int = YEAR, date: str = "2025年8月") -> FixturePage:
    return FixturePage().text(150, 300, dept, 20).text(180, 340, f"{year}年度部门决算", 20).text(230, 600, date, 12)


def contents(keys: list[str], dept: str = DEPT, year: int = YEAR) -> FixturePage:
    page = FixturePage().text(270, 60, "目录", 18)
    lines = [f"第一部分 {dept}概况", f"第二部分 {dept}{year}年度部门决算表"]
    lines += [f"{NUMERALS[i] if i < 10 else i + 1}、{TABLE_ZH[k]}" for i, k in enumerate(keys)]
    lines += [f"第三部分 {dept}{year}年度部门决算情况说明", "第四部分 名词解释"]
    for i, text in enumerate(lines):
        page.text(70, 110 + 24 * i, text, 12)
    return page


def table_page(key: str, amount: str | None = "100.00", unit: str = "万元", title: str | None = None,
               part: str | None = None) -> FixturePage:
    page = FixturePage()
    if part:
        page.text(120, 40, part, 14)
    page.text(150, 80, title or TABLE_ZH[key], 16).text(450, 115, f"单位：{unit}", 9)
    page.text(70, 130, "项目", 10).text(330, 130, "决算数", 10)
    if amount is None:
        page.text(70, 160, "注：本部门本年度没有相关支出，故本表无数据。", 10)
    else:
        page.text(70, 160, "合计", 10).right(400, 160, amount)
    return page


def narrative(paragraphs: list[str], dept: str = DEPT, year: int = YEAR, heading: str | None = None) -> FixturePage:
    page = FixturePage().text(80, 60, heading or f"第三部分 {dept}{year}年度部门决算情况说明", 14)
    top = 100
    for text in paragraphs:
        for start in range(0, len(text), 40):  # 40 characters a line, as a narrow column prints them
            page.text(60, top, text[start:start + 40], 10)
            top += 18
        top += 8
    return page


SANGONG_NONE = ["七、财政拨款“三公”经费支出决算情况说明", f"{DEPT}{YEAR}年度无“三公”经费财政拨款支出。"]
SANGONG_095 = ["七、财政拨款“三公”经费支出决算情况说明",
               "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%。"]
ASSETS = ["十一、其他重要事项的情况说明", f"截至{YEAR}年12月31日，{DEPT}共有车辆0辆。"]


def report(tmp_path: Path, *, dept: str = DEPT, listed: list[str] | None = None, body: list[str] | None = None,
           blank: tuple[str, ...] = (), sangong: list[str] = SANGONG_NONE, assets: list[str] = ASSETS,
           part_year: int = YEAR, extra: list[str] = (), units: dict | None = None,
           amounts: dict | None = None, name: str = "doc.pdf"):
    """A whole small report: cover, contents, the tables (each one page), the narrative."""
    body = ALL if body is None else body
    pages = [cover(dept)]
    if listed is not False:
        pages.append(contents(ALL if listed is None else listed, dept))
    for i, key in enumerate(body):
        pages.append(table_page(key, None if key in blank else (amounts or {}).get(key, "100.00"),
                                unit=(units or {}).get(key, "万元"),
                                part=f"第二部分 {dept}{part_year}年度部门决算表" if i == 0 else None))
    paragraphs = ["一、收入支出决算总体情况说明",
                  f"{dept}{YEAR}年度收入支出总计100.00万元。与{YEAR - 1}年度相比，持平。",
                  *extra, *sangong, *assets]
    pages.append(narrative(paragraphs, dept, part_year))
    doc = parse_pdf(write_pdf(tmp_path / name, pages), "t")
    return {c["check_id"]: c for c in doc.rows["checks"]}


def fails(checks: dict, prefix: str) -> list[dict]:
    return [c for cid, c in checks.items() if cid.startswith(prefix) and c["status"] == "fail"]


# -- every rule: one fixture that fires, one that stays silent ----------------------------------


def test_a_complete_consistent_report_raises_nothing(tmp_path):
    checks = report(tmp_path)
    mine = {cid: c for cid, c in checks.items() if cid.startswith(("completeness.", "metadata.", "source."))}
    assert {r.prefix for r in RULES} <= set(mine) | {"completeness.blank_table_with_narrative_figures"}
    assert not [c for c in mine.values() if c["status"] == "fail"], mine
    assert mine["completeness.contents_lists_missing_table"]["status"] == "pass"
    assert mine["metadata.year_consistent"]["status"] == "pass"
    assert mine["metadata.dated_statement_year"]["status"] == "pass"
    for c in mine.values():
        assert c["severity"] == rule_for(c["check_id"]).severity and "\n" not in c["message"]


def test_contents_lists_a_table_the_body_does_not_print(tmp_path):
    checks = report(tmp_path, body=[k for k in ALL if k != "sangong"])
    [c] = fails(checks, "completeness.contents_lists_missing_table")
    assert c["severity"] == "error" and "财政拨款“三公”经费支出决算表" in c["message"] and "目录" in c["message"]
    assert c["pages"] == "2" and (c["value_a"], c["value_b"]) == (Decimal(9), Decimal(8))
    assert not fails(checks, "completeness.mandatory_table_missing")  # one finding, under the contents rule


def test_a_mandatory_table_neither_listed_nor_printed(tmp_path):
    keys = [k for k in ALL if k != "gpb_basic_expenditure"]
    checks = report(tmp_path, listed=keys, body=keys)
    [c] = fails(checks, "completeness.mandatory_table_missing")
    assert c["severity"] == "error" and "一般公共预算财政拨款基本支出决算表" in c["message"]
    assert not fails(checks, "completeness.contents_lists_missing_table")


def test_funds_tables_08_09_may_be_omitted_when_there_are_no_such_funds(tmp_path):
    keys = [k for k in ALL if k not in ("gov_fund", "state_capital")]
    checks = report(tmp_path, listed=keys, body=keys)
    assert checks["completeness.mandatory_table_missing"]["status"] == "pass"
    assert checks["completeness.contents_lists_missing_table"]["status"] == "pass"


def test_a_report_without_contents_page_is_not_checked_against_one(tmp_path):
    checks = report(tmp_path, listed=False)
    assert checks["completeness.contents_lists_missing_table"]["status"] == "skipped"
    assert checks["completeness.mandatory_table_missing"]["status"] == "pass"


def test_sangong_table_blank_while_the_narrative_gives_a_budget(tmp_path):
    checks = report(tmp_path, blank=("sangong",), sangong=SANGONG_095)
    [c] = fails(checks, "completeness.blank_table_with_narrative_figures")
    assert c["severity"] == "error" and "财政拨款“三公”经费支出决算表为空表" in c["message"] and "0.95" in c["message"]
    assert c["value_b"] == Decimal("0.95") and c["value_a"] == 0


def test_sangong_table_blank_and_the_narrative_says_none(tmp_path):
    checks = report(tmp_path, blank=("sangong", "gov_fund", "state_capital"))
    assert checks["completeness.blank_table_with_narrative_figures"]["status"] == "pass"


def test_part_heading_with_another_fiscal_year(tmp_path):
    checks = report(tmp_path, part_year=YEAR - 1)
    [c] = fails(checks, "metadata.year_consistent")
    assert c["check_id"] == "metadata.year_consistent" and c["severity"] == "error"
    assert (c["value_a"], c["value_b"]) == (Decimal(YEAR - 1), Decimal(YEAR)) and "部分标题" in c["message"]


def test_table_title_with_another_fiscal_year(tmp_path):
    pages = [cover(), table_page("income_expenditure_summary", title=f"{YEAR + 1}年度收入支出决算总表"),
             narrative(["一、收入支出决算总体情况说明", f"与{YEAR - 1}年度相比，收入支出总计持平。"])]
    checks = {c["check_id"]: c for c in parse_pdf(write_pdf(tmp_path / "t.pdf", pages), "t").rows["checks"]}
    [c] = fails(checks, "metadata.year_consistent")
    assert c["value_a"] == Decimal(YEAR + 1) and c["pages"] == "2"


def test_prior_year_comparisons_and_the_publication_date_are_not_fiscal_years(tmp_path):
    checks = report(tmp_path, extra=[f"与{YEAR - 1}年度相比，本部门{YEAR}年度支出减少。{YEAR + 1}年预算另行公开。"])
    assert checks["metadata.year_consistent"]["status"] == "pass"
    assert checks["metadata.year_consistent.narrative"]["status"] == "pass"


def test_narrative_naming_the_department_in_another_year(tmp_path):
    checks = report(tmp_path, extra=[f"本部门{YEAR - 1}年度政府采购金额为5.00万元。"])
    [c] = fails(checks, "metadata.year_consistent")
    assert c["check_id"] == "metadata.year_consistent.narrative" and c["severity"] == "warning"


def test_asset_statement_dated_in_another_year(tmp_path):
    checks = report(tmp_path, assets=["十一、其他重要事项的情况说明", f"截至{YEAR - 1}年12月31日，本部门共有车辆0辆。"])
    [c] = fails(checks, "metadata.dated_statement_year")
    assert c["severity"] == "error" and (c["value_a"], c["value_b"]) == (Decimal(YEAR - 1), Decimal(YEAR))
    assert f"截至{YEAR - 1}年12月31日" in c["message"]


def test_placeholder_department_name(tmp_path):
    checks = report(tmp_path, dept="上海市XX局")
    [c] = fails(checks, "metadata.placeholder")
    assert c["severity"] == "error" and "XX" in c["message"] and "1" in c["pages"].split(",")


def test_placeholder_in_a_heading_only(tmp_path):
    pages = [cover(), table_page("income_expenditure_summary", part=f"第二部分 上海市某某局{YEAR}年度部门决算表"),
             narrative(["一、收入支出决算总体情况说明"])]
    checks = {c["check_id"]: c for c in parse_pdf(write_pdf(tmp_path / "p.pdf", pages), "t").rows["checks"]}
    [c] = fails(checks, "metadata.placeholder")
    assert "某" in c["message"] and c["pages"] == "2"


def test_no_placeholder_in_a_real_name(tmp_path):
    assert report(tmp_path)["metadata.placeholder"]["status"] == "pass"


def _summary_report(tmp_path: Path, unit: str, printed: str, stated: str) -> dict:
    page = FixturePage().text(150, 80, "收入支出决算总表", 16).text(450, 115, f"单位：{unit}", 9)
    page.text(70, 130, "项目", 10).text(200, 130, "决算数", 10).text(300, 130, "项目", 10).text(450, 130, "决算数", 10)
    page.text(70, 160, "本年收入合计", 10).right(260, 160, printed).text(300, 160, "本年支出合计", 10)
    page.right(510, 160, printed)
    page.text(70, 190, "总计", 10).right(260, 190, printed).text(300, 190, "总计", 10).right(510, 190, printed)
    pages = [cover(), page, narrative(["一、收入支出决算总体情况说明", f"本年收入合计{stated}。"])]
    return {c["check_id"]: c for c in parse_pdf(write_pdf(tmp_path / f"u{unit}.pdf", pages), "t").rows["checks"]}


def test_table_in_yuan_and_narrative_in_wan_for_the_same_digits(tmp_path):
    checks = _summary_report(tmp_path, "元", "2,995.39", "2995.39万元")
    [c] = fails(checks, "metadata.unit_consistent")
    assert c["severity"] == "error" and "单位不一致" in c["message"] and c["pages"] == "2,3"  # table, narrative


def test_table_in_wan_printing_the_yuan_digits_of_the_narratives_figure(tmp_path):
    checks = _summary_report(tmp_path, "万元", "29,953,900.00", "2995.39万元")
    [c] = fails(checks, "metadata.unit_consistent")
    assert (c["value_a"], c["value_b"]) == (Decimal("29953900.00"), Decimal("2995.39"))


def test_narrative_in_yuan_for_a_table_in_wan(tmp_path):
    checks = _summary_report(tmp_path, "万元", "2,995.39", "2995.39元")
    assert fails(checks, "metadata.unit_consistent")


@pytest.mark.parametrize(("unit", "printed", "stated"), [("元", "29,953,900.00", "2995.39万元"),
                                                         ("万元", "2,995.39", "2995.39万元")])
def test_units_converted_correctly_are_consistent(tmp_path, unit, printed, stated):
    assert _summary_report(tmp_path, unit, printed, stated)["metadata.unit_consistent"]["status"] == "pass"


# -- the real reports -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_checks(real_pdfs) -> dict[str, dict]:
    return {name: {c["check_id"]: c for c in parse_pdf(path, name).rows["checks"]}
            for name, path in real_pdfs.items() if name != "template"}


@pytest.mark.parametrize("name", ["finance", "social"])
def test_genuine_reports_raise_no_error(real_checks, name):
    mine = {cid: c for cid, c in real_checks[name].items() if cid.startswith(("completeness.", "metadata.", "source."))}
    assert not [c for c in mine.values() if c["status"] == "fail" and c["severity"] == "error"], mine
    assert mine["completeness.contents_lists_missing_table"]["status"] == "pass"
    assert mine["metadata.year_consistent"]["status"] == "pass"
    assert mine["metadata.dated_statement_year"]["status"] == "pass"


def test_the_national_template_is_recognised_as_a_blank_form_not_a_department(real_pdfs):
    parsed = parse_pdf(real_pdfs["template"], "template")
    assert parsed.document["doc_kind"] == "template" and parsed.document["department"] is None
    # no figures and no checks: it is nobody's report (only its pages, for citing the file)
    assert set(parsed.rows) == {"document_pages"}


def test_narrative_giving_the_yuan_digits_of_a_table_figure_in_wan(tmp_path):
    checks = _summary_report(tmp_path, "万元", "2,995.39", "29,953,900.00万元")
    [c] = fails(checks, "metadata.unit_consistent")
    assert (c["value_a"], c["value_b"]) == (Decimal("2995.39"), Decimal("29953900.00"))


def test_a_small_table_figure_is_not_matched_to_an_unrelated_larger_narrative_figure(tmp_path):
    """A table's 0.16 万元 is 1,600 元; a narrative 1,676.80万元 nearby is another figure, not the
    same one in the wrong unit (it would round to 0.17). Found in a generated report's 三公 section."""
    checks = _summary_report(tmp_path, "万元", "0.16", "1,676.80万元")
    assert checks["metadata.unit_consistent"]["status"] == "pass"


def test_a_large_table_figure_is_not_matched_to_a_small_narrative_figure_of_three_digits(tmp_path):
    """22,470.80 万元 in a table and 2.25万元 for another item nearby: 2.25 is not 22,470.80 元 in 万元
    (three digits match by chance one time in a thousand). Found in a generated report."""
    checks = _summary_report(tmp_path, "万元", "22,470.80", "2.25万元")
    assert checks["metadata.unit_consistent"]["status"] == "pass"


def test_pages_read_by_ocr_are_named_with_the_reason_and_text_pages_are_not():
    from etl.pagesource.page import Page
    from etl.parsing.checks import DocFigures
    from etl.parsing.checks.document import _ocr_pages_check

    def figures(pages):
        return DocFigures([], [], [], [], None, [], [], pages=pages)

    text = Page(1, 595, 842, [])
    scanned = Page(2, 595, 842, [], source="ocr", source_note="garbled font mapping: 41% of characters")
    [c] = _ocr_pages_check(figures([text, scanned]))
    assert (c.status, c.severity, c.pages) == ("fail", "info", "2") and "garbled" in c.message
    [c] = _ocr_pages_check(figures([text]))
    assert c.status == "pass"


def test_a_department_total_is_not_taken_for_the_sangong_total_in_yuan(tmp_path):
    """A gpb 支出决算 of 13,723.28 万元 rounds to a 三公 total of 1.37 万元 when divided by 10,000; the clause
    names no 三公, so it is another figure, not the 三公 total printed in 元 (issue 17, defect 1)."""
    sangong = ["七、财政拨款“三公”经费支出决算情况说明",
               "“三公”经费财政拨款支出年初预算为1.50万元，支出决算为1.37万元，完成预算的91.3%。"]
    extra = ["二、一般公共预算财政拨款支出决算情况说明", "本部门本年度支出决算为13723.28万元。"]
    checks = report(tmp_path, amounts={"sangong": "1.37"}, sangong=sangong, extra=extra)
    assert checks["metadata.unit_consistent"]["status"] == "pass", checks["metadata.unit_consistent"]


def test_the_sangong_total_stated_in_yuan_digits_under_wan_is_still_found(tmp_path):
    """The twin that must fire: the 三公 clause itself gives the table's 1.37 万元 as 13700.00万元."""
    sangong = ["七、财政拨款“三公”经费支出决算情况说明", "“三公”经费财政拨款支出决算为13700.00万元。"]
    checks = report(tmp_path, amounts={"sangong": "1.37"}, sangong=sangong)
    assert checks["metadata.unit_consistent"]["status"] == "fail"


def test_year_mentions_after_a_name_are_found_as_the_names_pattern_finds_them():
    """_name_years stands for re.finditer of (names)(year)年度? without compiling a pattern per department: the same
    matches where names overlap, one is another's prefix, or a name is followed by no year."""
    pieces = ["本部门", "本单位", "本部门2020年", "本单位2019年度", "X局2021年", "局", "2020", "年", "年度", "度",
              "X局", "局2", "0", "本", "与"]
    departments = ["X局", "本部门X局", "局", "部门", "局20", "本单位", "X局本部门", "门2"]
    rng = random.Random(19)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        names = ["本部门", "本单位", rng.choice(departments)]
        pattern = re.compile("(" + "|".join(map(re.escape, names)) + r")((?:19|20)\d{2})年度?")
        expected = [(m.start(), m.end(), m.group(2)) for m in pattern.finditer(text)]
        assert list(_name_years(text, names)) == expected, (text, names)


def test_lines_without_table_or_sangong_are_no_titles(real_pdfs):
    """The checks ask title_key only of lines holding 表 or 三公 (_title): every line title_key takes for a title
    holds one of them, on the real reports' pages."""
    for path in real_pdfs.values():
        for page in read_pages(path, "off").pages:
            for line in page.lines():
                for numbered_ok in (False, True):
                    assert _title(line, numbered_ok) == title_key(line, numbered_ok), line.text
