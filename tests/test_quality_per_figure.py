"""Issue 17, the analysis layer: every comparison over the right rows (quality per figure).

A failed check puts in doubt only the figure groups its `doubts` name (etl/parsing/checks/base.py
FIGURE_GROUPS); a disclosure defect (doubts '') puts none. department_year_metrics keeps the
department-year and leaves empty only the figures in doubt; versions are ranked on standard tables
and contradicting checks, and versions printing different headline figures are flagged. Each test
builds the smallest Parquet set by hand and states the expected figures by hand
(../shared/reviews/2026-12-05-analysis-review.md W1, M4, M5, M6, C5).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from etl.analysis import connect, set_options
from etl.analysis.synthetic import write_tables

REGION = "广州市天河区"
STANDARD = ("income_expenditure_summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure",
            "gpb_basic_expenditure", "sangong", "gov_fund", "state_capital")


def doc(doc_id, department="广州市天河区财政局", year=2022, status="ok", source_file=None, **kw):
    return dict(doc_id=doc_id, source_file=source_file or f"{REGION}/{year}/{doc_id}.pdf", sha256=doc_id * 4,
                region=REGION, department=department, year=year, doc_kind="final_accounts", status=status,
                department_type=department.replace(REGION, ""), **kw)


def sangong(doc_id, total, overseas, vehicle, reception):
    """Budget and actual alike; the parts add up to the total."""
    items = {"total": total, "overseas": overseas, "vehicle_total": vehicle, "reception": reception}
    return [dict(doc_id=doc_id, item=k, budget=v, actual=v, page=9) for k, v in items.items()]


def figures(doc_id, sangong_total="6.00", personnel="300", public="100", gpb_actual="950"):
    """三公 (07), 人员/公用经费 (06), the narrative's gpb statement and the 05 合计 of one document."""
    return dict(
        sangong=sangong(doc_id, sangong_total, "1.00", "2.00", str(Decimal(sangong_total) - 3)),
        cost_totals=[dict(doc_id=doc_id, personnel_cost=personnel, public_cost=public, page=8)],
        budget_execution=[dict(doc_id=doc_id, scope="gpb_total", initial_budget="1000", actual=gpb_actual, page=5)],
        function_expenditure=[dict(doc_id=doc_id, table_key="gpb_expenditure", level="total", name="合计",
                                   total=gpb_actual, basic="400", project=str(Decimal(gpb_actual) - 400), page=7)],
    )


def check(doc_id, check_id, doubts, severity="error", status="fail", message=None):
    return dict(doc_id=doc_id, check_id=check_id, status=status, severity=severity, doubts=doubts,
                message=message or f"{check_id} 未通过")


def corpus(tmp_path, docs, checks=(), tables_found=(), *parts, **kw):
    rows: dict[str, list] = {"documents": list(docs), "checks": list(checks), "tables_found": list(tables_found)}
    for part in parts:
        for name, r in part.items():
            rows.setdefault(name, []).extend(r)
    return connect(write_tables(tmp_path / "pq", rows), **kw)


def one(con, sql, params=None):
    rows = con.execute(sql, params or []).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


# (a) disclosure defects drop nothing ------------------------------------------------------------

def test_disclosure_defects_keep_every_figure_and_are_counted_apart(tmp_path):
    """M4: an XX placeholder and a wrong heading year contradict no figure: the department-year stays
    with every figure, quality clean, disclosure_defects 2 (the failed info check is not a defect)."""
    checks = [check("a", "metadata.placeholder", "", message="部门名称含占位符“XX”"),
              check("a", "metadata.year_consistent", "", message="标题年度为2021，报告年度为2022"),
              check("a", "completeness.unknown_table", "", severity="info", message="国有资产占用情况表")]
    con = corpus(tmp_path, [doc("a")], checks, (), figures("a"))
    row = one(con, """SELECT sangong_actual, personnel_cost, public_cost, gpb_actual, total_expenditure IS NULL,
                             quality, checks_failed, disclosure_defects, disclosure_reason, figures_dropped
                      FROM department_year_metrics""")
    assert row[:8] == (Decimal("6.00"), Decimal("300.00"), Decimal("100.00"), Decimal("950.00"), True,
                       "clean", 0, 2)
    assert "占位符" in row[8] and "标题年度" in row[8] and "国有资产" not in row[8]
    assert row[9] is None
    assert one(con, "SELECT count(*) FROM personnel_public_ratio") == (1,)
    gate = {r[0]: r[1:] for r in con.execute(
        "SELECT kind, sum(department_years), sum(figures_dropped) FROM quality_gate_figures GROUP BY kind").fetchall()}
    assert gate == {"disclosure": (1, 0), "contradiction": (0, 0)}


# (b) a 三公-doubting error drops only 三公 ----------------------------------------------------------

@pytest.fixture
def sangong_in_doubt(tmp_path):
    """W1: 天河民政局 2020, a unit check fails on the 三公 table only; a second, sound department."""
    checks = [check("a", "metadata.unit_consistent", "sangong",
                    message="“三公”经费表合计决算数为 1.37万元，情况说明写作“13723.28万元”")]
    return corpus(tmp_path, [doc("a"), doc("b", department="广州市天河区教育局")], checks, (),
                  figures("a"), figures("b", sangong_total="10.00", personnel="200", public="100", gpb_actual="500"))


def test_a_sangong_error_drops_only_the_sangong_figures(sangong_in_doubt):
    con = sangong_in_doubt
    row = one(con, """SELECT sangong_actual, sangong_budget, overseas_actual, vehicle_actual, reception_actual,
                             sangong_parts_actual, sangong_used_actual, sangong_completion_pct,
                             personnel_cost, public_cost, personnel_public_ratio, gpb_actual, gpb_completion_pct,
                             sangong_quality, cost_quality, gpb_quality, quality, checks_failed, figures_dropped
                      FROM department_year_metrics WHERE doc_id = 'a'""")
    assert row[:8] == (None,) * 8
    assert row[8:] == (Decimal("300.00"), Decimal("100.00"), pytest.approx(3.0), Decimal("950.00"),
                       pytest.approx(95.0), "fail", "clean", "clean", "fail", 1, "sangong")
    # the printed figures are still shown, ungated
    assert one(con, "SELECT sangong_actual FROM department_year_metrics_all WHERE doc_id = 'a'") == (Decimal("6.00"),)
    reason, = one(con, "SELECT sangong_quality_reason FROM department_year_metrics WHERE doc_id = 'a'")
    assert "13723.28" in reason
    # its cost and gpb feed their views; its 三公 feeds none
    assert {r[0] for r in con.execute("SELECT doc_id FROM personnel_public_ratio").fetchall()} == {"a", "b"}
    assert one(con, "SELECT completion_pct FROM budget_completion_department WHERE doc_id = 'a'") == (
        pytest.approx(95.0),)
    assert one(con, "SELECT departments, sangong_used_actual FROM sangong_region_year") == (1, Decimal("10.00"))
    gate = {r[0]: r[1:] for r in con.execute("""SELECT figure_group, department_years, figures_dropped
                                                FROM quality_gate_figures WHERE kind = 'contradiction'""").fetchall()}
    assert gate == {"sangong": (1, 1), "cost": (0, 0), "gpb": (0, 0), "totals": (0, 0), "items": (0, 0)}
    q = {r[0]: r[1:] for r in con.execute(
        "SELECT quality, department_years, department_years_left_out, department_years_figures_dropped "
        "FROM quality_gate").fetchall()}
    assert q == {"clean": (1, 0, 0), "fail": (1, 0, 1)}


# (c) a cost-doubting error drops only cost ------------------------------------------------------

def test_a_cost_error_drops_only_the_cost_figures(tmp_path):
    checks = [check("a", "gpb_basic_expenditure.personnel_classes_sum", "cost",
                    message="基本支出决算表：人员经费各类之和 290.00 与合计 300.00 不符")]
    con = corpus(tmp_path, [doc("a")], checks, (), figures("a"))
    row = one(con, """SELECT personnel_cost, public_cost, personnel_public_ratio, personnel_share_pct,
                             sangong_actual, sangong_used_actual, gpb_actual, cost_quality, sangong_quality, quality
                      FROM department_year_metrics""")
    assert row == (None, None, None, None, Decimal("6.00"), Decimal("6.00"), Decimal("950.00"),
                   "fail", "clean", "fail")
    assert one(con, "SELECT count(*) FROM personnel_public_ratio") == (0,)
    assert one(con, "SELECT sangong_used_actual FROM sangong_region_year") == (Decimal("6.00"),)


# (d) info checks never count -------------------------------------------------------------------

def test_info_checks_never_count_as_failed(tmp_path):
    """C5: a clean row shows checks_failed = 0 although an info check 'failed'."""
    checks = [check("a", "completeness.unknown_table", "", severity="info"),
              check("a", "source.ocr_pages", "", severity="info"),
              check("a", "summary.grand_totals_balance", "totals", status="pass")]
    con = corpus(tmp_path, [doc("a")], checks, (), figures("a"))
    assert one(con, "SELECT quality, checks_failed, disclosure_defects, quality_reason, disclosure_reason "
                    "FROM department_year_metrics") == ("clean", 0, 0, None, None)
    assert one(con, "SELECT count(*) FROM dq_failing_checks") == (0,)
    assert one(con, "SELECT checks_run, checks_failed FROM dq_document_summary") == (3, 0)


def test_a_warning_check_grades_its_group_warn_and_keeps_the_figures(tmp_path):
    checks = [check("a", "claims.total_matches_table.rounding", "totals", severity="warning")]
    con = corpus(tmp_path, [doc("a")], checks, (), figures("a"))
    assert one(con, "SELECT totals_quality, sangong_quality, quality, checks_failed, sangong_actual "
                    "FROM department_year_metrics") == ("warn", "clean", "warn", 1, Decimal("6.00"))


# (e) versions ----------------------------------------------------------------------------------

def test_versions_with_different_headline_figures_disagree_and_other_tables_do_not_win(tmp_path):
    """M5: 海珠卫健 2023, two files with 三公 2.54 vs 6.71; the layouts copy's 国有资产占用情况表 ('other')
    must not make it win. With 9 standard tables each, the later source_file wins: z_v1."""
    docs = [doc("v1", source_file=f"{REGION}/2022/z_v1.pdf"), doc("v2", source_file=f"{REGION}/2022/a_v2.pdf")]
    found = ([dict(doc_id="v1", table_key=k) for k in STANDARD]
             + [dict(doc_id="v2", table_key=k) for k in (*STANDARD, "other")])
    con = corpus(tmp_path, docs, (), found, figures("v1", sangong_total="2.54"),
                 figures("v2", sangong_total="6.71"))
    assert one(con, "SELECT doc_id, versions, versions_disagree FROM department_years") == ("v1", 2, True)
    assert one(con, "SELECT doc_id, sangong_actual, versions_disagree FROM department_year_metrics") == (
        "v1", Decimal("2.54"), True)
    rows = con.execute("""SELECT doc_id, n_tables, v_sangong_actual, v_personnel_cost, disagrees
                          FROM duplicate_department_years ORDER BY version_rank""").fetchall()
    assert rows == [("v1", 9, Decimal("2.54"), Decimal("300.00"), True),
                    ("v2", 9, Decimal("6.71"), Decimal("300.00"), True)]


def test_versions_within_rounding_agree_and_contradicting_errors_rank_first(tmp_path):
    """Figures 0.01 apart agree; a version whose figures contradict each other loses to one with only a
    disclosure defect, before tables and paths are compared."""
    docs = [doc("v1", source_file=f"{REGION}/2022/z_v1.pdf"), doc("v2", source_file=f"{REGION}/2022/a_v2.pdf")]
    checks = [check("v1", "expenditure.classes_sum_to_total.total", "totals,items"),
              check("v2", "metadata.placeholder", "")]
    con = corpus(tmp_path, docs, checks, (), figures("v1", sangong_total="6.00"),
                 figures("v2", sangong_total="6.01"))
    assert one(con, "SELECT doc_id, versions_disagree FROM department_years") == ("v2", False)
    assert con.execute("SELECT doc_id, contradicting_errors FROM duplicate_department_years "
                       "ORDER BY version_rank").fetchall() == [("v2", 0), ("v1", 1)]


# (f) the switch ---------------------------------------------------------------------------------

def test_quality_all_keeps_every_department_year_and_every_figure(sangong_in_doubt, tmp_path):
    con = sangong_in_doubt
    set_options(con, quality="all")
    assert one(con, "SELECT sangong_actual, sangong_used_actual, figures_dropped FROM department_year_metrics "
                    "WHERE doc_id = 'a'") == (Decimal("6.00"), Decimal("6.00"), None)
    assert one(con, "SELECT departments FROM sangong_region_year") == (2,)
    assert one(con, "SELECT sum(figures_dropped) FROM quality_gate_figures") == (0,)
    failed = corpus(tmp_path / "f", [doc("x", status="failed", error="not a PDF")], quality="all")
    assert one(failed, "SELECT count(*) FROM department_year_metrics") == (1,)
    set_options(failed, quality="default")
    assert one(failed, "SELECT count(*) FROM department_year_metrics") == (0,)
    assert one(failed, "SELECT department_years, department_years_left_out FROM quality_gate") == (1, 1)


def test_every_group_in_doubt_leaves_the_department_year_out(tmp_path):
    """An old-style check without doubts (NULL: output older than the contract) doubts every group."""
    con = corpus(tmp_path, [doc("a")], [check("a", "summary_balances", None)], (), figures("a"))
    assert one(con, "SELECT count(*) FROM department_year_metrics") == (0,)
    assert one(con, "SELECT included, figures_dropped FROM department_year_metrics_all") == (
        False, "sangong,cost,gpb,totals,items")


# (g) flags without inputs ------------------------------------------------------------------------

def test_flags_are_null_without_their_figures(tmp_path):
    """M6: a university printing no 三公 has no parts mismatch (NULL, not false); no gpb figure at all
    gives no gpb_flag; a 05 合计 without any budget statement is no_budget."""
    fe = [dict(doc_id="b", table_key="gpb_expenditure", level="total", name="合计", total="800", page=7)]
    con = corpus(tmp_path, [doc("a", department="广州市天河区某大学"), doc("b")], (), (),
                 dict(cost_totals=[dict(doc_id="a", personnel_cost="10", public_cost="5")],
                      function_expenditure=fe))
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT doc_id, sangong_parts_mismatch, gpb_flag FROM department_year_metrics").fetchall()}
    assert got == {"a": (None, None), "b": (None, "no_budget")}


# the sentence every page prints says the three outcomes apart ---------------------------------

def test_quality_sentence_says_left_out_dropped_figures_and_disclosure_defects_apart(tmp_path):
    """Four department-years: one clean, one with its 三公 in doubt, one with only a placeholder, one
    whose every group is in doubt. Counted by hand: 3 of 4 enter; 1 left out whole; 1 with 三公
    dropped; 1 disclosure defect that drops nothing."""
    from etl.analysis.notebook import quality_sentence

    depts = [f"{REGION}{n}" for n in ("财政局", "教育局", "民政局", "公安分局")]
    docs = [doc(x, department=d) for x, d in zip("abcd", depts, strict=True)]
    checks = [check("b", "sangong.parts_sum_to_total.actual", "sangong"),
              check("c", "metadata.placeholder", ""),
              check("d", "metadata.unit_consistent", "sangong,cost,gpb,totals,items")]
    con = corpus(tmp_path, docs, checks, (), *(figures(x) for x in "abcd"))
    text = quality_sentence(con)
    assert "共 4 个部门-年度，本页纳入 3 个" in text, text
    assert "1 个整体未计入" in text and "公安分局 2022 年" in text, text
    assert "1 个只剔除了校验显示相互矛盾的数字（三公经费 1 个）" in text, text
    assert "1 个有披露缺陷" in text, text
