"""Region and department_type are derived from the printed department name; names printed under a part
heading and blank templates are recognised."""

from __future__ import annotations

import pytest

from etl.pagesource import load_pages
from etl.pagesource.page import Page, Word
from etl.parsing.metadata import (
    Metadata,
    department_type,
    is_blank_template,
    is_department_name,
    read_metadata,
    region_of,
    strip_part_headings,
)
from etl.parsing.parse import parse_pdf
from tests.pdf_fixtures import FixturePage, write_pdf


@pytest.mark.parametrize(("department", "region", "kind"), [
    ("上海市普陀区财政局", "上海市普陀区", "财政局"),
    ("中共上海市普陀区委社会工作部", "上海市普陀区", "社会工作部"),
    ("广州市天河区人民政府政务管理办公室", "广州市天河区", "政务服务数据管理局"),  # alias of the 2017 name
    ("广州市天河区卫生和计划生育局", "广州市天河区", "卫生健康委员会"),
    ("上海市公安局普陀分局", "上海市普陀区", "公安分局"),  # a city bureau's district branch
    ("广州市公安局越秀区分局", "广州市越秀区", "公安分局"),
    ("上海市普陀区人民政府长寿路街道办事处", "上海市普陀区", "街道办事处"),
    ("上海市浦东新区教育局", "上海市浦东新区", "教育局"),
    ("广东省广州市越秀区财政局", "广州市越秀区", "财政局"),  # province dropped when a city is named
    ("江苏省苏州市昆山市财政局", "苏州市昆山市", "财政局"),  # county-level city
    ("广州市城市管理和综合执法局", "广州市", "城市管理和综合执法局"),  # 城市 is not a county
])
def test_region_and_department_type(department, region, kind):
    assert region_of(department) == region
    assert department_type(department, region) == kind


# -- spelling variants of one department give one department_type ---------------------------------

@pytest.mark.parametrize(("variants", "region", "kind"), [
    # a party committee department printed with the committee's full name (委员会) or its short one (委)
    (("中共上海市普陀区委员会社会工作部", "中共上海市普陀区委社会工作部", "中国共产党上海市普陀区委员会社会工作部"),
     "上海市普陀区", "社会工作部"),
    (("中共广州市天河区委员会宣传部", "中共广州市天河区委宣传部", "中共天河区委员会宣传部"), "广州市天河区", "宣传部"),
    (("中共上海市普陀区委员会政法委员会", "中共上海市普陀区委政法委员会"), "上海市普陀区", "政法委员会"),
    # full and short district names
    (("上海市普陀区财政局", "普陀区财政局"), "上海市普陀区", "财政局"),
    # the committee itself, and the two offices a bare 办公室 would confuse
    (("中共上海市普陀区委员会", "中共上海市普陀区委"), "上海市普陀区", "党委"),
    (("中共上海市普陀区委员会办公室", "中共上海市普陀区委办公室"), "上海市普陀区", "党委办公室"),
    (("上海市普陀区人民政府办公室", "普陀区人民政府办公室"), "上海市普陀区", "政府办公室"),
])
@pytest.mark.parametrize("region_given", ["full", "district only", "none"])
def test_spelling_variants_share_a_department_type(variants, region, kind, region_given):
    given = {"full": region, "district only": region[3:], "none": None}[region_given]
    for name in variants:
        assert department_type(name, given) == kind, name


def test_full_committee_name_is_stripped_only_in_front_of_a_department():
    assert department_type("上海市普陀区发展和改革委员会", "上海市普陀区") == "发展和改革委员会"
    assert department_type("中共上海市普陀区纪律检查委员会", "上海市普陀区") == "纪律检查委员会"
    assert department_type("广州市天河区人民代表大会常务委员会办公室", "广州市天河区") == "人民代表大会常务委员会办公室"


# --- names printed under a part heading, and blank templates (read from the real PDFs) ---



@pytest.mark.parametrize(("printed", "name"), [
    ("第二部分上海市普陀区财政局", "上海市普陀区财政局"),
    ("附件2：上海市普陀区财政局", "上海市普陀区财政局"),
    ("目录第一部分上海市普陀区财政局", "上海市普陀区财政局"),
    ("上海市普陀区第二部分街道", "上海市普陀区第二部分街道"),  # only in front of the name
])
def test_part_headings_are_stripped_in_front_of_a_name(printed, name):
    assert strip_part_headings(printed) == name


@pytest.mark.parametrize(("name", "first", "department"), [
    ("finance", 6, "上海市普陀区财政局"),  # its tables begin under 第二部分 上海市普陀区财政局2024年度部门决算表
    ("social", 5, "中共上海市普陀区委社会工作部"),
])
def test_a_tables_only_file_takes_its_name_from_the_heading(real_pdfs, name, first, department):
    meta = read_metadata(load_pages(real_pdfs[name])[first - 1:])
    assert (meta.department, meta.region, meta.year, meta.kind) == (department, "上海市普陀区", 2024, "决算")


def test_the_national_template_is_a_blank_template(real_pdfs):
    pages = load_pages(real_pdfs["template"])
    meta = read_metadata(pages)
    assert meta.placeholder and is_blank_template(pages, meta)
    # its narrative's placeholder amounts (XXX万元, XX%) alone make it blank, whatever the name says
    assert is_blank_template(pages, Metadata("上海市普陀区财政局", "上海市普陀区", 2024, "决算"))


@pytest.mark.parametrize("name", ["finance", "social"])
def test_a_real_report_is_not_a_template(real_pdfs, name):
    pages = load_pages(real_pdfs[name])
    meta = read_metadata(pages)
    assert not meta.placeholder and not is_blank_template(pages, meta)


def test_a_placeholder_year_marks_a_template_without_a_name():
    cover = Page(1, 595.0, 842.0, [Word("20XX年度部门决算", 100.0, 300.0, 300.0, 320.0)])
    meta = read_metadata([cover])
    assert meta.placeholder and is_blank_template([cover], meta)


# -- level and region from the report: a 省属 body belongs to its province, not to 中央 ----------------

@pytest.mark.parametrize(("department", "region"), [
    ("四川省人民医院", "四川省"),  # a provincial hospital: the province alone
    ("云南省教育厅", "云南省"),
    ("新疆维吾尔自治区财政厅", "新疆维吾尔自治区"),
    ("内蒙古自治区教育厅", "内蒙古自治区"),
    ("云南省红河哈尼族彝族自治州财政局", "红河哈尼族彝族自治州"),
    ("中国地震局", None),  # a central organ names no region
])
def test_provincial_body_named_with_its_province_is_not_central(department, region):
    assert region_of(department) == region


def _pages(*lines: str) -> list[Page]:
    return [Page(1, 595.0, 842.0, [Word(text, 100.0, 300.0, 300.0 + 30 * i, 320.0 + 30 * i)
                                   for i, text in enumerate(lines)])]


def test_provincial_university_takes_its_region_from_its_supervising_department():
    pages = _pages("西南测试大学2023年度部门决算", "西南测试大学是全日制普通高等学校，主管部门为四川省教育厅。")
    meta = read_metadata(pages)
    assert (meta.department, meta.region) == ("西南测试大学", "四川省")


def test_unit_affiliated_with_a_central_ministry_stays_without_region():
    pages = _pages("测试研究所2023年度单位决算", "本所隶属于中国地震局，主要承担地震预测研究。")
    assert read_metadata(pages).region is None  # the parser then records it as 中央


# -- metadata words are validated: a table header is no department, a column heading no year ------------------

def _statistics_table(unit_line: str) -> FixturePage:
    """A page of a non-决算 document: a statistics table with a bracketed unit line and years as column headings."""
    page = FixturePage().text(150, 60, "主要经济指标完成情况表", 16).text(420, 90, unit_line, 9)
    page.text(60, 110, "指标", 10).text(300, 110, "2023年", 10).text(420, 110, "2024年", 10)
    return page.text(60, 130, "地区生产总值", 10).right(360, 130, "1,234.56").right(480, 130, "1,300.00")


@pytest.mark.parametrize("unit_line", ["（单位：万元）", "(单位:万元)", "单位：元）"])
def test_a_rejected_document_takes_no_metadata_from_a_table_header(tmp_path, unit_line):
    doc = parse_pdf(write_pdf(tmp_path / "stats.pdf", [_statistics_table(unit_line)]), "t").document
    assert doc["doc_kind"] == "other"
    assert (doc["department"], doc["region"], doc["year"], doc["department_type"]) == (None, None, None, None)


@pytest.mark.parametrize(("words", "valid"), [
    ("上海市普陀区财政局", True), ("上海市普陀区人民政府长寿路街道办事处", True), ("某大学（本级）", True),
    ("万元）", False), ("元", False), ("（万元）", False), ("项目", False), ("金额（万元）", False),
    ("上海市普陀区财政局（", False), ("2024年", False), ("单位:万元", False),
])
def test_department_words_are_validated_as_names(words, valid):
    assert is_department_name(words) is valid


def test_a_department_line_with_a_unit_only_is_skipped_for_a_later_name():
    header = Page(1, 595.0, 842.0, [Word("单位：万元）", 400.0, 480.0, 90.0, 100.0)])
    named = Page(2, 595.0, 842.0, [Word("单位名称：上海市普陀区财政局", 60.0, 300.0, 90.0, 100.0)])
    assert read_metadata([header, named]).department == "上海市普陀区财政局"


# -- bodies' titles: the scope word between the year and 决算, （本级） after the name -------------------------

@pytest.mark.parametrize(("title", "department"), [
    ("上海市静安区第一中心小学2024年度部门（单位）决算", "上海市静安区第一中心小学"),
    ("某县人民医院2023年度部门(单位)决算", "某县人民医院"),
    ("某县第二中学2023年部单位决算", "某县第二中学"),
    ("上海市徐汇区人民政府天平路街道办事处（本级）2024年度部门决算", "上海市徐汇区人民政府天平路街道办事处"),
])
def test_a_bodys_title_gives_its_name_not_its_scope_word(title, department):
    """部门（单位）/部单位 is no department name, and （本级） is the report's scope, not part of the name."""
    meta = read_metadata(_pages(title))
    assert (meta.department, meta.year, meta.kind) == (department, int(title.split("年")[0][-4:]), "决算")
