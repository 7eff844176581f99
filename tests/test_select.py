"""Notebook 05's parameters: year spans as readers write them, and departments matched by short,
partial or renamed names, with a list of candidates (never a silent pick) when several match."""

from __future__ import annotations

import pytest

from etl.analysis.select import (
    Candidate,
    ChoiceNeeded,
    SelectionError,
    choose_department,
    core_name,
    format_years,
    match_departments,
    parse_years,
    region_forms,
)


@pytest.mark.parametrize("spec, years", [
    ("2020-2022", [2020, 2021, 2022]),
    ("2020–2022", [2020, 2021, 2022]),          # en dash
    ("2020—2022", [2020, 2021, 2022]),          # em dash
    ("2020 - 2022", [2020, 2021, 2022]),
    ("2020－2022", [2020, 2021, 2022]),          # full-width hyphen
    ("2020至2022", [2020, 2021, 2022]),
    ("2020,2022", [2020, 2022]),
    ("2020，2022", [2020, 2022]),                # full-width comma
    ("2022、2020", [2020, 2022]),
    ("2017,2019-2021", [2017, 2019, 2020, 2021]),
    ("２０２１", [2021]),                        # full-width digits
    ("2021", [2021]),
    (2021, [2021]),
    ([2022, 2021], [2021, 2022]),
    ("", None),
    (None, None),
    ("  ", None),
])
def test_parse_years(spec, years):
    assert parse_years(spec) == years


@pytest.mark.parametrize("spec, words", [
    ("2022-2020", "起始年度大于结束年度"),
    ("20-22", "无法识别"),
    ("abc", "无法识别"),
    ("1850", "不在"),
])
def test_parse_years_rejects_with_a_chinese_message(spec, words):
    with pytest.raises(SelectionError, match=words):
        parse_years(spec)


def test_format_years_shows_gaps():
    assert format_years([2017, 2019, 2020, 2021, 2022]) == "2017、2019–2022"
    assert format_years([2021]) == "2021"
    assert format_years([]) == ""


def test_core_name_and_region_forms():
    assert core_name("卫生健康委员会") == core_name("卫生健康局") == "卫生健康"
    assert core_name("公安分局") == "公安"
    assert core_name("局") == "局"
    assert region_forms("广州市天河区") == ["广州市天河区", "天河区", "天河"]
    assert region_forms("上海市普陀区")[:2] == ["上海市普陀区", "普陀区"]


def _c(region, dept_type, names, years=(2021, 2022), weight=1.0, dept_id=None):
    return Candidate(dept_id or f"{region}/{dept_type}", region, tuple(names), (dept_type,), (region,),
                     tuple(years), weight)


CANDS = [
    _c("广州市天河区", "卫生健康委员会", ["广州市天河区卫生健康局"]),
    _c("广州市海珠区", "卫生健康委员会", ["广州市海珠区卫生健康局"]),
    _c("广州市天河区", "教育局", ["广州市天河区教育局"], years=(2017, 2019, 2020, 2021, 2022), weight=5),
    _c("广州市海珠区", "教育局", ["广州市海珠区教育局"]),
    _c("上海市普陀区", "教育局", ["上海市普陀区教育局"]),
    # one department across the 2019 rename: one department_id, two names
    _c("广州市天河区", "政务服务数据管理局", ["广州市天河区政务服务数据管理局", "广州市天河区政务管理办公室"],
       years=(2017, 2019, 2020)),
]


def test_short_region_and_a_name_that_differs_from_the_stored_type():
    # 卫生健康局 is neither contained in nor contains 卫生健康委员会: matched on the core name
    c = choose_department(CANDS, region="天河区", department="卫生健康局")
    assert c.department_id == "广州市天河区/卫生健康委员会"
    c = choose_department(CANDS, region="天河", department="卫生健康委员会")
    assert c.department_id == "广州市天河区/卫生健康委员会"


def test_region_written_inside_the_department_name():
    assert choose_department(CANDS, department="天河区卫生健康局").department_id == "广州市天河区/卫生健康委员会"
    assert choose_department(CANDS, department="海珠区教育局").department_id == "广州市海珠区/教育局"


def test_ambiguous_name_lists_every_candidate_instead_of_picking_one():
    with pytest.raises(ChoiceNeeded) as exc:
        choose_department(CANDS, department="教育局")
    assert len(exc.value.candidates) == 3
    msg = str(exc.value)
    assert "匹配到 3 个部门，请选定一个" in msg
    for region in ("广州市天河区", "广州市海珠区", "上海市普陀区"):
        assert region in msg
    # the traceback IPython shows is the message alone
    assert exc.value._render_traceback_() == [msg]


def test_no_match_says_so_and_lists_what_there_is():
    with pytest.raises(ChoiceNeeded, match="没有找到与地区「天河区」、部门「审计局」匹配的部门") as exc:
        choose_department(CANDS, region="天河区", department="审计局")
    assert "广州市天河区教育局" in str(exc.value)


def test_a_renamed_department_is_one_candidate_under_either_name():
    for name in ("政务管理办公室", "政务服务数据管理局", "天河区政务管理办公室"):
        c = choose_department(CANDS, region=None if name.startswith("天河") else "天河区", department=name)
        assert c.department_id == "广州市天河区/政务服务数据管理局", name
        assert c.years == (2017, 2019, 2020)
    assert "曾用名 广州市天河区政务管理办公室" in c.describe()


def test_department_id_and_exact_type_are_accepted():
    assert choose_department(CANDS, department="上海市普陀区/教育局").region == "上海市普陀区"
    assert choose_department(CANDS, region="普陀", department="教育局").region == "上海市普陀区"


def test_default_is_the_department_with_most_years():
    assert choose_department(CANDS).department_id == "广州市天河区/教育局"


def test_match_departments_without_filters_returns_everything():
    assert match_departments(CANDS) == CANDS
    assert len(match_departments(CANDS, region="广州市")) == 5
