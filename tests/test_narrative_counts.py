"""The counts and scales of the narrative (etl.parsing.narrative_counts) and their checks (etl.parsing.checks.counts):
the real wordings of the catalogue (shared/reviews/2026-12-05-template-variants.md §5, §7) read into counts rows,
and each check with a fixture that fires and one that stays silent."""

from __future__ import annotations

import pytest

from etl.parsing.checks import DocFigures
from etl.parsing.checks.counts import count_checks
from etl.parsing.narrative_counts import count_rows, count_value


def _rows(text: str) -> dict[tuple[str, str | None], float]:
    return {(r["kind"], r["scope"]): r["value"] for r in count_rows(text, [(0, 1)])}


@pytest.mark.parametrize(("text", "expected"), [
    ("全年因公出国（境）团组3个，累计12人次。", {("overseas_groups", None): 3, ("overseas_people", None): 12}),
    ("因公出国（境）团组2次，累计出国（境）9人次。", {("overseas_groups", None): 2, ("overseas_people", None): 9}),
    ("团组2次，出国（境）5人。", {("overseas_groups", None): 2, ("overseas_people", None): 5}),
    ("团组共计，2个，累计7人次。", {("overseas_groups", None): 2, ("overseas_people", None): 7}),
    ("年末公务用车保有量为4辆。", {("vehicles_held", None): 4}),
    ("共有公务用车6辆。", {("vehicles_held", None): 6}),
    ("列入财政拨款开支的公务用车保有量为11辆。", {("vehicles_held", None): 11}),
    ("购置公务用车一辆。", {("vehicles_purchased", None): 1}),
    ("国内公务接待共15批次（其中外事接待0批次），120人次。",
     {("reception_batches", None): 15, ("reception_people", None): 120, ("reception_batches", "foreign"): 0}),
    ("公务接待8批次，60人（不包括陪同人员）。", {("reception_batches", None): 8, ("reception_people", None): 60}),
    ("公务接待批次为3个，接待人次为40人。", {("reception_batches", None): 3, ("reception_people", None): 40}),
    ("国内公务接待10批次，80人次；外事接待2批次，10人次。",
     {("reception_batches", "domestic"): 10, ("reception_people", "domestic"): 80,
      ("reception_batches", "foreign"): 2, ("reception_people", "foreign"): 10}),
    ("纳入本部门2024年度部门决算编制范围的单位共5个。", {("units_consolidated", None): 5}),
    ("本部门人员编制30人，实有人数28人。", {("staff_authorised", None): 30, ("staff_actual", None): 28}),
    ("机关运行经费支出10.23万元，比2023年度增加10.23万元，增长100.00%。", {("admin_operation_cost", None): 10.23}),
    ("政府采购支出总额1,234.50万元，其中：政府采购货物支出100.00万元、政府采购工程支出0万元、政府采购服务支出"
     "1,134.50万元。授予中小企业合同金额5.00万元。",
     {("procurement_total", None): 1234.5, ("procurement_goods", None): 100, ("procurement_works", None): 0,
      ("procurement_services", None): 1134.5, ("procurement_sme", None): 5}),
    ("2024年度政府采购金额（以合同签订为准）为21.07万元，其中：货物采购金额21.07万元、工程采购金额0万元、服务采购金额0万元。",
     {("procurement_total", None): 21.07, ("procurement_goods", None): 21.07, ("procurement_works", None): 0,
      ("procurement_services", None): 0}),
    ("共接待国外来访团组1个，来访外宾6人次；发生国内接待4次，接待人数共30人。",
     {("reception_batches", "foreign"): 1, ("reception_people", "foreign"): 6,
      ("reception_batches", "domestic"): 4, ("reception_people", "domestic"): 30}),
    ("单位价值50万元以上通用设备2台（套），单价100万元以上专用设备0台（套）。",
     {("equipment_over_50", None): 2, ("equipment_over_100", None): 0}),
    ("截至2024年12月31日，共有车辆2辆，其中：机要通信用车0辆。单价100万元（含）以上设备（不含车辆）3台（套）。",
     {("vehicles_owned", None): 2, ("equipment_over_100", None): 3}),
])
def test_real_count_wordings_become_counts_rows(text, expected):
    assert _rows(text) == expected


def test_money_in_yuan_is_converted_to_wan_without_rounding():
    assert _rows("机关运行经费支出123,456.78元。") == {("admin_operation_cost", None): pytest.approx(12.345678)}


def test_money_never_counts_and_counts_never_money():
    # 购置费 is money (no 辆), a procurement sentence's 人 is no count; 服务 outside 政府采购 is no procurement
    assert _rows("公务用车购置费12.00万元，运行维护费3.00万元。") == {}
    assert _rows("机关运行经费支出5辆。") == {}
    assert _rows("一般公共服务支出100.00万元。") == {}


def test_chinese_numerals():
    assert [count_value(t) for t in ("一", "十二", "二十", "一百零五", "两", "1,024")] == [1, 12, 20, 105, 2, 1024]


def test_first_statement_of_a_kind_wins_and_keeps_its_page():
    text = "年末公务用车保有量为4辆。" + "截至12月31日，共有公务用车5辆。"
    rows = count_rows(text, [(0, 3), (13, 9)])
    assert [(r["kind"], r["value"], r["page"]) for r in rows] == [("vehicles_held", 4, 3)]
    assert rows[0]["sentence"] == "年末公务用车保有量为4辆。"


def test_the_sentence_starts_after_its_heading():
    heading = "（二）政府采购支出情况"
    rows = count_rows(heading + "政府采购支出总额6.00万元。", [(0, 1)], [len(heading)])
    assert rows[0]["sentence"] == "政府采购支出总额6.00万元。"


def _checks(text: str) -> dict[str, str]:
    f = DocFigures([], [], [], [], None, [], [], counts=count_rows(text, [(0, 1)]))
    return {r.check_id: r.status for r in count_checks(f)}


def test_more_vehicles_bought_than_held_fires():
    assert _checks("购置公务用车3辆。年末公务用车保有量为2辆。")["counts.vehicles_purchased_within_held"] == "fail"
    assert _checks("购置公务用车2辆。年末公务用车保有量为2辆。")["counts.vehicles_purchased_within_held"] == "pass"
    assert _checks("年末公务用车保有量为2辆。")["counts.vehicles_purchased_within_held"] == "skipped"


def test_domestic_and_foreign_reception_must_add_up_to_the_total():
    split = "国内公务接待10批次，80人次；外事接待2批次，10人次。"
    fires = _checks("公务接待共13批次，90人次。" + split)
    assert fires["counts.reception_split.batches"] == "fail"
    assert fires["counts.reception_split.people"] == "pass"
    silent = _checks("公务接待共12批次，90人次。" + split)
    assert silent["counts.reception_split.batches"] == "pass"
    bracket = _checks("国内公务接待共5批次（其中外事接待6批次），40人次。")
    assert bracket["counts.reception_split.batches"] == "fail"
    assert _checks("国内公务接待共5批次（其中外事接待1批次），40人次。")[
        "counts.reception_split.batches"] == "pass"


def test_procurement_parts_must_add_up_to_the_total():
    body = "其中：政府采购货物支出1.00万元、政府采购工程支出2.00万元、政府采购服务支出3.00万元。"
    assert _checks("政府采购支出总额6.50万元，" + body)["counts.procurement_parts"] == "fail"
    assert _checks("政府采购支出总额6.02万元，" + body)["counts.procurement_parts"] == "pass"  # printed rounding
    assert _checks("机关运行经费支出1.00万元。")["counts.procurement_parts"] == "skipped"


def test_reception_batches_without_people_fires():
    assert _checks("公务接待0批次，12人次。")["counts.reception_people"] == "fail"
    assert _checks("公务接待3批次，0人次。")["counts.reception_people"] == "fail"
    assert _checks("公务接待3批次，12人次。")["counts.reception_people"] == "pass"
