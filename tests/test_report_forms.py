"""Report forms of the provinces, kinds of body and the scope a report prints (catalogue 2026-12-05 §4, §7),
recognised from the document itself (etl.parsing.families)."""

from __future__ import annotations

import pytest

from etl.parsing.families import body_kind, recognise_form, report_scope, scope_printed


def test_sichuan_glossary_before_the_tables():
    glossary = ["第四部分名词解释", "一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款。"]
    assert recognise_form("", glossary, ["收入支出决算总表"]) == "sichuan"


def test_a_glossary_entry_of_a_contents_list_is_no_glossary_whatever_the_pages():
    """A web page's or text file's 目录 runs on into the 概况 (its pages are not the PDF's): the entry
    名词解释 there is followed by other entries and headings, not by definitions."""
    lines = ["第三部分某局2023年度部门决算情况说明", "第四部分名词解释", "第一部分某局概况", "一、主要职能",
             "某局是主管本区相关工作的部门。主要职责是：贯彻执行国家有关方针政策"]
    assert recognise_form("", lines, ["收入支出决算总表"]) is None


def test_yunnan_fourth_part_other_matters_and_definitions():
    text = "第三部分2023年度部门决算情况说明…第四部分其他重要事项及相关口径情况说明一、机关运行经费支出情况"
    assert recognise_form(text, [], ["收入支出决算表"]) == "yunnan"


def test_chongqing_final_accounts_statement_without_table_list():
    assert recognise_form("某区财政局2023年度决算公开说明一、基本情况二、决算情况说明", [], []) == "chongqing"


def test_guangxi_arranged_sangong_title_but_not_numbering_alone():
    assert recognise_form("", [], ["表七：一般公共预算财政拨款安排的“三公”经费支出决算表"]) == "guangxi"
    assert recognise_form("", [], ["表一 收入支出决算总表"]) is None  # the 2013–2015 national form numbers so too


def test_national_form_is_none_even_with_glossary_in_the_contents():
    """The 目录 lists 名词解释 before the tables' pages; only a heading on a narrative page counts (the caller
    leaves the 目录 out), and a glossary after the tables says nothing."""
    assert recognise_form("目录第四部分名词解释", ["第一部分部门概况"], ["一、收入支出决算总表"]) is None


@pytest.mark.parametrize(("name", "kind"), [
    ("四川省人民医院", "hospital"), ("某县中心卫生院", "hospital"), ("某市第一中学", "school"),
    ("西南测试大学", "school"), ("某县某某镇人民政府", "town"), ("上海市普陀区人民政府长寿路街道办事处", "town"),
    ("上海市普陀区财政局", None), ("某区教育局", None),
    ("上海市普陀区长寿路街道社区卫生服务中心", "hospital"), ("某区妇幼保健院", "hospital"),
    ("上海市徐汇区人民政府天平路街道办事处（本级）", "town"), ("某县某某乡", "town"), ("某区机关第一幼儿园", "school"),
])
def test_body_kind_from_the_name(name, kind):
    assert body_kind(name) == kind


@pytest.mark.parametrize(("title", "body", "scope"), [
    ("某县财政局（本级）2023年度部门决算", "", "own_level"),
    ("某县财政局2023年度部门决算", "本部门决算为部门汇总数，包含局本级和所属3家单位", "consolidated"),
    ("某局2023年度部门决算（含所属单位决算）", "", "consolidated"),
    ("上海市普陀区财政局2024年度部门决算", "部门概况", None),
])
def test_scope_printed(title, body, scope):
    assert scope_printed(title, body) == scope


@pytest.mark.parametrize(("title", "scope"), [
    ("上海市静安区第一中心小学2024年度部门（单位）决算", "unit"),  # a body's own report in a form for both
    ("某县第二中学2023年度部单位决算", "unit"),
    ("某县人民医院2023年度单位决算", "unit"),
    ("某县新桥镇人民政府2023年度部门决算", "department"),
    ("某县财政局（本级）2023年度部门决算", "department"),
])
def test_report_scope_of_bodies_titles(title, scope):
    assert report_scope(title) == scope
