"""One definition per metric, the quality gate, like-for-like comparisons and stable departments.

Each test builds the smallest Parquet set that shows one defect of the analysis review
(../shared/reviews/2026-11-27-analysis-review.md) and computes the expected figure by hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from etl.analysis import connect, set_options
from etl.analysis.synthetic import write_tables


def doc(doc_id, department="广州市天河区财政局", year=2022, status="ok", region="广州市天河区",
        department_type=None, **kw):
    return dict(doc_id=doc_id, source_file=f"{region}/{year}/{doc_id}.pdf", sha256=doc_id * 4, region=region,
                department=department, year=year, doc_kind="final_accounts", status=status,
                department_type=department_type or department.replace(region, ""), **kw)


def gpb(doc_id, initial=None, full_year=None, actual=None, pct=None, page=5, **kw):
    return dict(doc_id=doc_id, scope="gpb_total", initial_budget=initial, full_year_budget=full_year,
                actual=actual, completion_pct=pct, page=page, **kw)


def item(doc_id, path, initial=None, full_year=None, actual=None, pct=None, code=None, page=6):
    return dict(doc_id=doc_id, scope="item", path=path, code=code, initial_budget=initial,
                full_year_budget=full_year, actual=actual, completion_pct=pct, page=page)


def sangong(doc_id, budget: dict, actual: dict, page=9):
    return [dict(doc_id=doc_id, item=k, budget=budget.get(k, "0"), actual=actual.get(k, "0"), page=page)
            for k in ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")]


def con_for(tmp_path, **rows):
    return connect(write_tables(tmp_path / "pq", rows))


def one(con, sql, params=None):
    rows = con.execute(sql, params or []).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


# --- budget completion: one definition -----------------------------------------------------------

def test_zero_initial_budget_falls_through_to_full_year_budget(tmp_path):
    """Review A.4: a mid-year project (年初 0, 全年 500, 决算 480) is 96 % against 全年预算, not no_budget."""
    con = con_for(tmp_path, documents=[doc("a")],
                  budget_execution=[gpb("a", initial="0", full_year="500", actual="480"),
                                    item("a", "类/款/新项目", initial="0", full_year="500", actual="480")])
    basis, pct, flag = one(con, "SELECT budget_basis, completion_pct, flag FROM budget_completion_department")
    assert (basis, flag) == ("full_year", "on_target") and pct == pytest.approx(96.0)
    assert one(con, "SELECT budget_basis, completion_pct FROM budget_completion_item") == (
        "full_year", pytest.approx(96.0))
    assert one(con, "SELECT gpb_budget, gpb_completion_pct FROM department_year_metrics") == (
        Decimal("500.00"), pytest.approx(96.0))


def test_spending_without_a_budget_is_told_apart_from_nothing_at_all(tmp_path):
    """Review A.4: (0, NULL, 35) is unbudgeted spending; (0, NULL, 0) nothing budgeted, nothing spent."""
    con = con_for(tmp_path, documents=[doc("a")], budget_execution=[
        item("a", "类/款/甲", initial="0", actual="35"), item("a", "类/款/乙", initial="0", actual="0"),
        item("a", "类/款/丙", actual="12")])
    got = dict(con.execute("SELECT item_name, flag FROM budget_completion_item").fetchall())
    assert got == {"甲": "unbudgeted", "乙": "idle", "丙": "no_budget"}
    labels = dict(con.execute("SELECT item_name, flag_label FROM budget_completion_item").fetchall())
    assert labels == {"甲": "无预算支出", "乙": "无预算无支出", "丙": "未公开预算"}


def test_sangong_item_with_zero_budget_and_spending_is_unbudgeted(tmp_path):
    con = con_for(tmp_path, documents=[doc("a")], sangong=sangong(
        "a", {"total": "10", "overseas": "10"}, {"total": "12", "overseas": "10", "reception": "2",
                                                 "vehicle_total": "0"}))
    assert dict(con.execute("SELECT item, flag FROM budget_completion_sangong WHERE item IN "
                            "('reception', 'vehicle_total')").fetchall()) == {
        "reception": "unbudgeted", "vehicle_total": "idle"}


def test_item_completion_uses_the_printed_pct_when_no_budget_amount_is_printed(tmp_path):
    """Review A.2: 项 statements printing only a completion % are not 'no_budget'."""
    con = con_for(tmp_path, documents=[doc("a")], budget_execution=[
        item("a", "类/款/行政运行", actual="95", pct="95.00"), item("a", "类/款/其他", actual="50", pct="50.00")])
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT item_name, budget_basis, completion_pct, flag FROM budget_completion_item").fetchall()}
    assert got == {"行政运行": ("printed_pct", pytest.approx(95.0), "on_target"),
                   "其他": ("printed_pct", pytest.approx(50.0), "under")}


def test_department_completion_is_defined_once(tmp_path):
    """Review A.10: department_year_metrics and budget_completion_department agree, also on 全年预算."""
    con = con_for(tmp_path, documents=[doc("a"), doc("b", department="广州市天河区教育局")],
                  budget_execution=[gpb("a", initial="800", full_year="1000", actual="1000"),
                                    gpb("b", full_year="400", actual="300")])
    rows = con.execute("""SELECT m.doc_id, m.gpb_completion_pct, b.completion_pct, m.budget_basis, b.budget_basis
                          FROM department_year_metrics m JOIN budget_completion_department b USING (doc_id)
                          ORDER BY 1""").fetchall()
    assert rows == [("a", pytest.approx(125.0), pytest.approx(125.0), "initial", "initial"),
                    ("b", pytest.approx(75.0), pytest.approx(75.0), "full_year", "full_year")]


def test_two_gpb_statements_are_never_mixed(tmp_path):
    """Review A.10: max() of each column independently could take the budget of one statement and
    the actual of another; all figures come from the first statement by page."""
    con = con_for(tmp_path, documents=[doc("a")], budget_execution=[
        gpb("a", initial="100", actual="90", page=4), gpb("a", initial="50", actual="200", page=7)])
    assert one(con, "SELECT gpb_budget, gpb_actual, gpb_page FROM department_year_metrics") == (
        Decimal("100.00"), Decimal("90.00"), 4)


def test_items_summary_groups_by_name_and_pairs_numerator_with_denominator(tmp_path):
    """Review A.1: 行政运行 under two codes is one row, and the rows without a budget amount are in
    neither the numerator nor the denominator (no 209 % from mismatched sums)."""
    docs = [doc(f"d{i}", department=f"广州市天河区局{i}") for i in range(4)]
    be = [item("d0", "一般公共服务/财政/行政运行", initial="100", actual="100", code="2010601"),
          item("d1", "公共安全/公安/行政运行", initial="200", actual="180", code="2040201"),
          item("d2", "一般公共服务/财政/行政运行", actual="500"),                      # no budget printed
          item("d3", "一般公共服务/财政/行政运行", actual="110", pct="110.00")]         # printed % only
    con = con_for(tmp_path, documents=docs, budget_execution=be)
    row = one(con, """SELECT statements, with_completion, median_completion_pct, with_amounts, budget, actual,
                             pooled_completion_pct, no_budget
                      FROM budget_completion_item_summary WHERE item_name = '行政运行'""")
    assert row == (4, 3, pytest.approx(100.0), 2, Decimal("300.00"), Decimal("280.00"),
                   pytest.approx(280 / 3), 1)


# --- 三公: printed total and the sum of its parts -------------------------------------------------

@pytest.fixture
def sangong_mismatch(tmp_path):
    """2020 prints a 合计 of 1.82 whose parts add to 0.82 (the review's 普陀财政局 case); 2021 is sound."""
    docs = [doc("y20", year=2020), doc("y21", year=2021)]
    sg = (sangong("y20", {"total": "2", "overseas": "1", "vehicle_total": "0.5", "vehicle_operation": "0.5",
                          "reception": "0.5"},
                  {"total": "1.82", "overseas": "0.3", "vehicle_total": "0.4", "vehicle_operation": "0.4",
                   "reception": "0.12"})
          + sangong("y21", {"total": "2", "overseas": "1", "vehicle_total": "0.5", "vehicle_operation": "0.5",
                            "reception": "0.5"},
                    {"total": "1.66", "overseas": "0.9", "vehicle_total": "0.5", "vehicle_operation": "0.5",
                     "reception": "0.26"}))
    checks = [dict(doc_id="y20", check_id="sangong.parts_sum_to_total.actual", status="fail", severity="warning",
                   message="三公经费决算：出国、用车、接待之和 0.82 与合计 1.82 不符（差 1.00）")]
    return con_for(tmp_path, documents=docs, sangong=sg, checks=checks)


def test_sangong_keeps_printed_total_and_parts_and_flags_the_mismatch(sangong_mismatch):
    con = sangong_mismatch
    rows = con.execute("""SELECT year, sangong_actual, sangong_parts_actual, sangong_parts_mismatch, quality,
                                 quality_reason
                          FROM department_year_metrics ORDER BY year""").fetchall()
    assert rows[0][:5] == (2020, Decimal("1.82"), Decimal("0.82"), True, "warn")
    assert "三公" in rows[0][5]
    assert rows[1][:5] == (2021, Decimal("1.66"), Decimal("1.66"), False, "clean") and rows[1][5] is None


def test_sangong_switch_changes_totals_yoy_and_composition_together(sangong_mismatch):
    con = sangong_mismatch
    printed = one(con, "SELECT change, change_pct FROM sangong_region_yoy WHERE year = 2021")
    assert printed == (Decimal("-0.16"), pytest.approx(-0.16 / 1.82 * 100))
    set_options(con, sangong_basis="parts")
    parts = one(con, "SELECT change, change_pct FROM sangong_region_yoy WHERE year = 2021")
    assert parts == (Decimal("0.84"), pytest.approx(0.84 / 0.82 * 100))   # the next year's "比上年增加0.84"
    # the composition (parts) and the total on one page use the same basis
    total, = one(con, "SELECT actual FROM budget_completion_sangong WHERE year = 2020 AND item = 'total'")
    composition, = one(con, "SELECT sum(actual) FROM budget_completion_sangong WHERE year = 2020 AND is_part")
    assert total == composition == Decimal("0.82")
    assert one(con, "SELECT sangong_used_actual FROM sangong_region_year WHERE year = 2020") == (Decimal("0.82"),)
    with pytest.raises(ValueError):
        set_options(con, sangong_basis="largest")


def test_vehicle_part_is_purchase_plus_operation_when_no_subtotal_is_printed(tmp_path):
    sg = [r for r in sangong("a", {}, {"total": "6", "overseas": "1", "vehicle_purchase": "2",
                                       "vehicle_operation": "1", "reception": "2"}) if r["item"] != "vehicle_total"]
    con = con_for(tmp_path, documents=[doc("a")], sangong=sg)
    assert one(con, "SELECT vehicle_actual, sangong_parts_actual, sangong_parts_mismatch "
                    "FROM department_year_metrics") == (Decimal("3.00"), Decimal("6.00"), False)


# --- the quality gate ----------------------------------------------------------------------------

@pytest.fixture
def graded(tmp_path):
    docs = [doc("clean"), doc("warn", department="广州市天河区教育局", status="partial", error="三公表无法读取"),
            doc("fail", department="广州市天河区民政局"),
            doc("broken", department="广州市天河区审计局", status="failed", error="not a PDF")]
    checks = [dict(doc_id="fail", check_id="expenditure.classes_sum_to_total.total", status="fail",
                   severity="error", message="支出决算表：各类合计与合计行不符（差 100.00）"),
              dict(doc_id="clean", check_id="summary.grand_totals_balance", status="pass", severity="error",
                   message="收入支出决算总表收支总计相等")]
    ct = [dict(doc_id=d, personnel_cost="100", public_cost="50") for d in ("clean", "warn", "fail")]
    return con_for(tmp_path, documents=docs, checks=checks, cost_totals=ct)


def test_failed_checks_reach_the_analysis_as_quality(graded):
    """Review A.9: a document whose tables contradict each other is graded, with the reason."""
    got = {r[0]: r[1:] for r in graded.execute(
        "SELECT doc_id, quality, quality_reason, checks_failed FROM department_year_metrics_all").fetchall()}
    assert got["clean"] == ("clean", None, 0)
    assert got["warn"][0] == "warn" and got["warn"][1] == "部分解析：三公表无法读取"
    assert got["fail"][0] == "fail" and "支出决算表：各类合计与合计行不符" in got["fail"][1] and got["fail"][2] == 1
    assert got["broken"][0] == "fail" and got["broken"][1].startswith("解析失败")


def test_gate_leaves_out_fail_by_default_says_why_and_one_switch_includes_all(graded):
    assert {r[0] for r in graded.execute("SELECT doc_id FROM department_year_metrics").fetchall()} == {
        "clean", "warn"}
    assert one(graded, "SELECT count(*) FROM personnel_public_ratio") == (2,)
    gate = {r[0]: r[1:] for r in graded.execute(
        "SELECT quality, department_years, included, reasons FROM quality_gate").fetchall()}
    assert gate["fail"][:2] == (2, False) and len(gate["fail"][2]) == 2
    assert gate["clean"][:2] == (1, True) and gate["warn"][:2] == (1, True)
    set_options(graded, quality="all")
    assert one(graded, "SELECT count(*) FROM department_year_metrics") == (4,)
    assert one(graded, "SELECT count(*) FROM personnel_public_ratio") == (3,)
    assert one(graded, "SELECT bool_and(included) FROM quality_gate") == (True,)


def test_quality_switch_at_connect_time(tmp_path):
    path = write_tables(tmp_path / "pq", {"documents": [doc("x", status="failed")]})
    assert one(connect(path), "SELECT count(*) FROM department_year_metrics") == (0,)
    assert one(connect(path, quality="all"), "SELECT count(*) FROM department_year_metrics") == (1,)
    with pytest.raises(ValueError):
        connect(path, quality="clean-only")


# --- cross-checks compare two independent sources ------------------------------------------------

def test_table_actual_is_never_the_narrative_itself(tmp_path):
    """Review A.8: without a 05 table there is nothing to cross-check with (NULL), not the narrative."""
    con = con_for(tmp_path, documents=[doc("a")], budget_execution=[gpb("a", initial="100", actual="95")])
    assert one(con, "SELECT actual, table_actual, table_mismatch FROM budget_completion_department") == (
        Decimal("95.00"), None, None)


def test_narrative_differing_from_table_05_is_flagged(tmp_path):
    fe = [dict(doc_id="a", table_key="gpb_expenditure", level="total", name="合计", total="2493.51",
               basic="1000", project="1493.51", page=7)]
    con = con_for(tmp_path, documents=[doc("a")], function_expenditure=fe,
                  budget_execution=[gpb("a", initial="2500", actual="2505.81")])
    assert one(con, "SELECT table_actual, table_mismatch FROM budget_completion_department") == (
        Decimal("2493.51"), True)
    assert one(con, "SELECT quality, gpb_table_page FROM department_year_metrics") == ("warn", 7)


# --- like-for-like comparisons -------------------------------------------------------------------

def test_region_yoy_over_departments_present_in_both_years(tmp_path):
    """Review A.7: one department in 2021 and three in 2022 is not a +200 % change; the gap year
    2020 → no change is computed across it."""
    docs, sg = [], []
    for dept, year, actual in [("财政局", 2019, "8"), ("财政局", 2021, "10"), ("财政局", 2022, "12"),
                               ("教育局", 2022, "30"), ("公安分局", 2022, "80")]:
        d = f"{dept}{year}"
        docs.append(doc(d, department=f"广州市天河区{dept}", year=year))
        sg += sangong(d, {"total": "100"}, {"total": actual, "overseas": actual})
    con = con_for(tmp_path, documents=docs, sangong=sg)
    rows = con.execute("SELECT year, departments_balanced, prev_actual, actual, change_pct "
                       "FROM sangong_region_yoy ORDER BY year").fetchall()
    assert rows == [(2022, 1, Decimal("10.00"), Decimal("12.00"), pytest.approx(20.0))]
    n = dict(con.execute("SELECT year, departments FROM sangong_region_year").fetchall())
    assert n == {2019: 1, 2021: 1, 2022: 3}


def test_region_type_yoy_needs_the_same_departments(tmp_path):
    docs, sg = [], []
    for dept, year, actual in [("甲街道办事处", 2021, "10"), ("甲街道办事处", 2022, "15"),
                               ("乙街道办事处", 2022, "20")]:
        d = f"{dept}{year}"
        docs.append(doc(d, department=f"广州市天河区{dept}", year=year, department_type="街道办事处"))
        sg += sangong(d, {"total": "100"}, {"total": actual, "overseas": actual})
    con = con_for(tmp_path, documents=docs, sangong=sg)
    assert one(con, "SELECT departments, yoy_pct FROM sangong_region_year_type WHERE year = 2022") == (2, None)


def test_outlier_scores_need_enough_peers(tmp_path):
    """Review A.6: four ratios 4.03/4.08/4.14/5.22 gave z = 13; with fewer than 10 peers there is no z."""
    docs, ct = [], []
    for i, pers in enumerate(["403", "408", "414", "522"]):
        docs.append(doc(f"m{i}", department=f"区{i}民政局", region=f"区{i}", department_type="民政局"))
        ct.append(dict(doc_id=f"m{i}", personnel_cost=pers, public_cost="100"))
    con = con_for(tmp_path, documents=docs, cost_totals=ct)
    rows = con.execute("SELECT robust_z, is_outlier, peer_n, z_note FROM personnel_public_ratio").fetchall()
    assert all(z is None and out is False and n == 4 and "样本不足" in note for z, out, n, note in rows)


def test_outlier_score_is_a_robust_z_of_the_log_ratio_over_pooled_years(tmp_path):
    import math
    import statistics

    ratios = [1.0, 1.1, 1.2, 1.3, 1.25, 1.15, 1.05, 1.22, 1.18, 1.12, 5.0]
    docs, ct = [], []
    for i, r in enumerate(ratios):
        did = f"d{i}"
        docs.append(doc(did, department=f"区{i % 4}财政局", region=f"区{i % 4}", department_type="财政局",
                        year=2019 + i // 4))
        ct.append(dict(doc_id=did, personnel_cost=str(round(100 * r, 2)), public_cost="100"))
    con = con_for(tmp_path, documents=docs, cost_totals=ct)
    logs = [math.log(r) for r in ratios]
    med = statistics.median(logs)
    mad = statistics.median(abs(x - med) for x in logs)
    z, out, n, note = one(con, "SELECT robust_z, is_outlier, peer_n, z_note FROM personnel_public_ratio "
                               "WHERE doc_id = 'd10'")
    assert z == pytest.approx((math.log(5.0) - med) / (1.4826 * mad)) and out is True
    assert (n, note) == (11, None)


# --- stable departments --------------------------------------------------------------------------

def test_department_id_survives_renames_and_spelling_variants(tmp_path):
    docs = [
        doc("zw17", department="广州市天河区人民政府政务管理办公室", year=2017, department_type="政务服务数据管理局"),
        doc("zw19", department="广州市天河区政务服务数据管理局", year=2019, department_type="政务服务数据管理局"),
        doc("hb17", department="广州市天河区环境保护局", year=2017, department_type="环境保护局"),
        doc("hb19", department="广州市天河区生态环境局", year=2019, department_type="生态环境局"),
        doc("cz23", department="普陀区财政局", region="普陀区", year=2023, department_type="财政局"),
        doc("cz24", department="上海市普陀区财政局", region="上海市普陀区", year=2024, department_type="财政局"),
    ]
    con = con_for(tmp_path, documents=docs)
    ids = dict(con.execute("SELECT doc_id, department_id FROM department_year_metrics").fetchall())
    assert ids["zw17"] == ids["zw19"] == "广州市天河区/政务服务数据管理局"
    assert ids["hb17"] == ids["hb19"] == "广州市天河区/生态环境局"      # the shipped crosswalk
    assert ids["cz23"] == ids["cz24"] == "上海市普陀区/财政局"          # short and full district names


def test_user_crosswalk_and_manifest_department_id(tmp_path):
    docs = [doc("a", department="广州市天河区科技和信息化局", year=2018, department_type="科技和信息化局"),
            doc("b", department="广州市天河区科技工业商务和信息化局", year=2019,
                department_type="科技工业商务和信息化局"),
            doc("c", department="广州市天河区某中心", year=2019, department_type="某中心",
                manifest_department_id="TH-CENTRE")]
    path = write_tables(tmp_path / "pq", {"documents": docs})
    cw = tmp_path / "renames.csv"
    cw.write_text("old_name,new_name,region,note\n科技和信息化局,科技工业商务和信息化局,广州市天河区,2019 合并\n",
                  encoding="utf-8-sig")
    ids = dict(connect(path, crosswalk=cw).execute(
        "SELECT doc_id, department_id FROM department_year_metrics").fetchall())
    assert ids["a"] == ids["b"] == "广州市天河区/科技工业商务和信息化局"
    assert ids["c"] == "TH-CENTRE"
    ids = dict(connect(path).execute("SELECT doc_id, department_id FROM department_year_metrics").fetchall())
    assert ids["a"] != ids["b"]


def test_balanced_panel_keeps_departments_present_every_year(tmp_path):
    docs = [doc(f"{d}{y}", department=f"广州市天河区{d}", year=y)
            for d, years in (("财政局", (2020, 2021, 2022)), ("教育局", (2020, 2022)), ("民政局", (2021, 2022)))
            for y in years]
    con = con_for(tmp_path, documents=docs)
    got = con.execute("SELECT DISTINCT department FROM balanced_panel(2020, 2022)").fetchall()
    assert got == [("广州市天河区财政局",)]
    got = {r[0] for r in con.execute("SELECT DISTINCT department FROM balanced_panel(2021, 2022)").fetchall()}
    assert got == {"广州市天河区财政局", "广州市天河区民政局"}


# --- citations -----------------------------------------------------------------------------------

def test_every_headline_figure_carries_its_file_and_page(tmp_path):
    fe = [dict(doc_id="a", table_key="gpb_expenditure", level="total", name="合计", total="95", basic="50",
               project="45", page=8)]
    con = con_for(tmp_path, documents=[doc("a")], function_expenditure=fe,
                  sangong=sangong("a", {"total": "1"}, {"total": "1", "overseas": "1"}, page=11),
                  cost_totals=[dict(doc_id="a", personnel_cost="30", public_cost="20", page=9)],
                  budget_execution=[gpb("a", initial="100", actual="95", page=15)])
    assert one(con, "SELECT source_file, sangong_page, cost_page, gpb_page, gpb_table_page "
                    "FROM department_year_metrics") == ("a.pdf", 11, 9, 15, 8)


def test_a_fund_table_not_published_for_lack_of_such_funds_is_not_missing(tmp_path):
    """Review A.13: a 国有资本经营 table (09) is not 'missing' when 01 shows no such income."""
    con = con_for(tmp_path, documents=[doc("none"), doc("has", department="广州市天河区教育局")],
                  summary_items=[dict(doc_id="has", side="income", item="state_capital_income", amount="5")])
    got = dict(con.execute("SELECT doc_id, legitimately_absent FROM dq_tables_missing "
                           "WHERE table_key = 'state_capital'").fetchall())
    assert got == {"none": True, "has": False}
    assert one(con, "SELECT count(*) FROM dq_tables_missing WHERE NOT legitimately_absent AND table_no >= 8") == (1,)


def test_sql_command_has_the_two_switches(tmp_path):
    import subprocess
    import sys

    path = write_tables(tmp_path / "pq", {"documents": [doc("ok"), doc("x", department="广州市天河区教育局",
                                                                        status="failed")],
                                          "sangong": sangong("ok", {"total": "3"}, {"total": "3", "overseas": "1"})})
    base = [sys.executable, "-m", "etl.cli", "sql", "--parquet", str(path), "--format", "csv", "--query",
            "SELECT count(*) AS n, sum(sangong_used_actual) AS s FROM department_year_metrics"]
    run = lambda *extra: subprocess.run(base + list(extra), capture_output=True, text=True,  # noqa: E731
                                        check=True).stdout.splitlines()[1]
    assert run() == "1,3.00"
    assert run("--all-quality") == "2,3.00"
    assert run("--sangong-basis", "parts") == "1,1.00"
