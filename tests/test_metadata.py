"""Region and department_type are derived from the printed department name."""

from __future__ import annotations

import pytest

from etl.metadata import department_type, region_of


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
