"""The analytical views' results on small hand-made Parquet sets (etl.schema's arrow schemas)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from decimal import Decimal

import pytest

from etl.analysis import HEADLINE_VIEWS, analytical_views, connect
from etl.analysis.synthetic import write_synthetic, write_tables


def doc(doc_id, department="广州市天河区财政局", year=2022, status="ok", source_file=None,
        region="广州市天河区", department_type="财政局", **kw):
    return dict(doc_id=doc_id, source_file=source_file or f"{doc_id}.pdf", sha256=doc_id * 4,
                region=region, department=department, department_type=department_type, year=year,
                doc_kind="final_accounts", status=status, **kw)


def found(doc_id, keys=("income_expenditure_summary", "gpb_expenditure", "gpb_basic_expenditure", "sangong")):
    return [dict(doc_id=doc_id, table_key=k) for k in keys]


def one(con, sql, params=None):
    rows = con.execute(sql, params or []).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def basic(tmp_path):
    """Two departments of one type; A has a full set, B has zero denominators."""
    rows = {
        "documents": [doc("a1"), doc("b1", department="广州市天河区教育局", department_type="教育局")],
        "tables_found": found("a1") + found("b1"),
        "sangong": [
            dict(doc_id="a1", item="total", budget="100.00", actual="80.50"),
            dict(doc_id="a1", item="overseas", budget="10.00", actual="12.00"),
            dict(doc_id="a1", item="reception", budget="0", actual="1.00"),
            dict(doc_id="b1", item="total", budget="0", actual="0"),
        ],
        "cost_totals": [
            dict(doc_id="a1", personnel_cost="300.00", public_cost="100.00"),
            dict(doc_id="b1", personnel_cost="50.00", public_cost="0"),
        ],
        "function_expenditure": [
            dict(doc_id="a1", table_key="gpb_expenditure", code=None, level="total", name="合计",
                 total="1000.00", basic="400.00", project="600.00", row_order=0),
            dict(doc_id="a1", table_key="gpb_expenditure", code="2010101", level="item", name="行政运行",
                 total="400.00", basic="400.00", project="0", row_order=1),
        ],
        "summary_items": [dict(doc_id="a1", side="expenditure", item="expenditure_total", amount="1200.00")],
        "budget_execution": [
            dict(doc_id="a1", scope="gpb_total", initial_budget="800.00", full_year_budget="1000.00",
                 actual="1000.00", completion_pct="125.00", reason="主要原因是追加预算。"),
            dict(doc_id="a1", scope="item", path="一般公共服务支出/财政事务/行政运行", code="2010101",
                 initial_budget="500.00", actual="400.00", completion_pct="80.00", reason="主要原因是节约。"),
            dict(doc_id="a1", scope="item", path="一般公共服务支出/财政事务/其他", code=None,
                 initial_budget="0", actual="3.00"),
            dict(doc_id="a1", scope="sangong_total", initial_budget="100.00", actual="80.50",
                 completion_pct="80.50", reason="厉行节约。"),
            dict(doc_id="b1", scope="gpb_total", initial_budget="0", actual="10.00"),
        ],
        "checks": [dict(doc_id="a1", check_id="summary_balances", status="fail", detail="差 1.00",
                        severity="warning"),
                   dict(doc_id="a1", check_id="sangong_sum", status="pass", severity="warning")],
    }
    return connect(write_tables(tmp_path / "pq", rows))


def test_every_view_defined_and_queryable(basic):
    views = analytical_views()
    assert set(HEADLINE_VIEWS) <= set(views)
    for v in views:
        basic.execute(f"SELECT * FROM {v}").fetchall()


def test_connect_on_empty_dir_gives_empty_views(tmp_path):
    con = connect(tmp_path)
    for v in analytical_views():
        assert con.execute(f"SELECT count(*) FROM {v}").fetchall() == [(0,)]


def test_connect_missing_dir_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        connect(tmp_path / "nope")


def test_headline_metrics_exact_and_ratios(basic):
    r = basic.sql("""SELECT sangong_budget, sangong_actual, overseas_actual, personnel_cost, public_cost,
                            personnel_public_ratio, personnel_share_pct, total_expenditure, gpb_table_actual,
                            basic_expenditure, gpb_completion_pct, gpb_completion_full_year_pct,
                            sangong_completion_pct
                     FROM department_year_metrics WHERE doc_id = 'a1'""").fetchall()[0]
    (sb, sa, oa, pc, pub, ratio, share, tot, gpb, basic_exp, gcp, gcfy, scp) = r
    assert (sb, sa, oa) == (Decimal("100.00"), Decimal("80.50"), Decimal("12.00"))
    assert (pc, pub, tot, gpb, basic_exp) == (Decimal("300.00"), Decimal("100.00"), Decimal("1200.00"),
                                               Decimal("1000.00"), Decimal("400.00"))
    assert ratio == pytest.approx(3.0)
    assert share == pytest.approx(75.0)
    assert gcp == pytest.approx(125.0)       # 1000 / 800 (年初预算)
    assert gcfy == pytest.approx(100.0)      # 1000 / 1000 (全年预算)
    assert scp == pytest.approx(80.5)


def test_amounts_stay_decimal(basic):
    types = dict(basic.execute(
        "SELECT column_name, column_type FROM (DESCRIBE department_year_metrics)").fetchall())
    for col in ("sangong_actual", "personnel_cost", "public_cost", "gpb_actual", "gpb_initial_budget",
                "total_expenditure", "basic_expenditure"):
        assert types[col].startswith("DECIMAL"), (col, types[col])
    assert types["personnel_public_ratio"] == "DOUBLE"


def test_zero_denominators_give_null(basic):
    ratio, scp, gcp = one(basic, """SELECT personnel_public_ratio, sangong_completion_pct, gpb_completion_pct
                                    FROM department_year_metrics WHERE doc_id = 'b1'""")
    assert ratio is None and scp is None and gcp is None
    pct, flag = one(basic, "SELECT completion_pct, flag FROM budget_completion_department "
                           "WHERE doc_id = 'b1'")
    assert pct is None and flag == "unbudgeted"     # 年初预算 0, 决算 10: spent without a budget
    pct, flag = one(basic, "SELECT completion_pct, flag FROM budget_completion_sangong "
                           "WHERE doc_id = 'a1' AND item = 'reception'")
    assert pct is None and flag == "unbudgeted"
    pct, = one(basic, "SELECT completion_pct FROM budget_completion_item WHERE code IS NULL")
    assert pct is None
    for v in HEADLINE_VIEWS:  # nothing infinite anywhere
        rel = basic.sql(f"SELECT * FROM {v}")
        for row in rel.fetchall():
            for x in row:
                assert not (isinstance(x, float) and math.isinf(x)), (v, row)


def test_department_completion_equals_actual_over_budget(basic):
    row = one(basic, """SELECT actual, initial_budget, budget_basis, completion_pct, completion_pct_printed,
                               printed_differs, flag, table_actual, reason
                        FROM budget_completion_department WHERE doc_id = 'a1'""")
    actual, budget, basis, pct, printed, differs, flag, table_actual, reason = row
    assert basis == "initial"
    assert pct == pytest.approx(float(actual / budget * 100))
    assert printed == Decimal("125.00") and differs is False
    assert flag == "over"
    assert table_actual == Decimal("1000.00")
    assert reason == "主要原因是追加预算。"


def test_item_completion_linked_to_function_code(basic):
    row = one(basic, """SELECT item_name, linked, function_name, table_actual, completion_pct, flag, reason
                        FROM budget_completion_item WHERE code = '2010101'""")
    assert row == ("行政运行", True, "行政运行", Decimal("400.00"), pytest.approx(80.0), "under",
                   "主要原因是节约。")
    linked, = one(basic, "SELECT linked FROM budget_completion_item WHERE code IS NULL")
    assert linked is False


def test_sangong_completion_per_item(basic):
    rows = dict(basic.execute("""SELECT item, completion_pct FROM budget_completion_sangong
                                 WHERE doc_id = 'a1'""").fetchall())
    assert rows["total"] == pytest.approx(80.5)
    assert rows["overseas"] == pytest.approx(120.0)
    flag, printed, reason = one(basic, "SELECT flag, completion_pct_printed, reason "
                                       "FROM budget_completion_sangong "
                                       "WHERE doc_id = 'a1' AND item = 'overseas'")
    assert flag == "over" and printed is None and reason is None
    printed, reason = one(basic, "SELECT completion_pct_printed, reason FROM budget_completion_sangong "
                                 "WHERE doc_id = 'a1' AND item = 'total'")
    assert printed == Decimal("80.50") and reason == "厉行节约。"


def test_data_quality_views(basic):
    missing = {r[0] for r in basic.execute(
        "SELECT table_key FROM dq_tables_missing WHERE doc_id = 'a1'").fetchall()}
    assert missing == {"income", "expenditure", "fiscal_summary", "gov_fund", "state_capital"}
    failing = basic.execute("SELECT doc_id, check_id FROM dq_failing_checks").fetchall()
    assert failing == [("a1", "summary_balances")]
    assert one(basic, "SELECT tables_found, tables_missing, checks_run, checks_failed "
                      "FROM dq_document_summary WHERE doc_id = 'a1'") == (4, 5, 2, 1)
    assert one(basic, "SELECT sum(documents) FROM dq_documents_by_status WHERE status = 'ok'") == (2,)


# --- duplicates ---------------------------------------------------------------------------------

def _dup_set(tmp_path, docs, extra=None):
    rows = {"documents": docs, "tables_found": [], "sangong": [], "budget_execution": []}
    for d in docs:
        n = d.pop("_tables", 4)
        rows["tables_found"] += found(d["doc_id"], ("income", "expenditure", "gpb_expenditure", "sangong",
                                                    "income_expenditure_summary")[:n])
        if n:
            rows["sangong"].append(dict(doc_id=d["doc_id"], item="total", budget="10",
                                        actual=d.pop("_actual", "5")))
    for k, v in (extra or {}).items():
        rows[k] = rows.get(k, []) + v
    return connect(write_tables(tmp_path / "pq", rows))


def test_duplicate_prefers_ok_over_partial(tmp_path):
    con = _dup_set(tmp_path, [doc("p1", status="partial", source_file="z.pdf", _actual="1"),
                              doc("o1", status="ok", source_file="a.pdf", _actual="2")])
    assert one(con, "SELECT doc_id, versions, is_duplicate FROM department_years") == ("o1", 2, True)
    assert one(con, "SELECT sangong_actual, is_duplicate FROM department_year_metrics") == (
        Decimal("2.00"), True)
    versions = con.execute(
        "SELECT doc_id, version_rank, is_chosen FROM duplicate_department_years").fetchall()
    assert versions == [("o1", 1, True), ("p1", 2, False)]


def test_duplicate_prefers_more_tables_then_later_source_file(tmp_path):
    con = _dup_set(tmp_path, [doc("few", source_file="b_更正.pdf", _tables=3, _actual="1"),
                              doc("many", source_file="a.pdf", _tables=5, _actual="2")])
    assert one(con, "SELECT doc_id FROM department_years") == ("many",)
    con = _dup_set(tmp_path / "2", [doc("old", source_file="2022/财政局.pdf", _actual="1"),
                                    doc("new", source_file="2022/财政局_更正.pdf", _actual="2")])
    assert one(con, "SELECT doc_id FROM department_years") == ("new",)
    assert one(con, "SELECT sangong_actual FROM department_year_metrics") == (Decimal("2.00"),)
    # counted once in the comparison views
    assert one(con, "SELECT departments, sangong_used_actual FROM sangong_region_year_type") == (
        1, Decimal("2.00"))


def test_split_publication_takes_each_table_from_the_version_that_has_it(tmp_path):
    """Tables in one PDF, narrative in another: the narrative's budget_execution is still used."""
    con = _dup_set(
        tmp_path,
        [doc("tables", source_file="a.pdf", _tables=5), doc("text", source_file="b_说明.pdf", _tables=0)],
        extra={"budget_execution": [dict(doc_id="text", scope="gpb_total", initial_budget="200",
                                         actual="150")]},
    )
    assert one(con, "SELECT doc_id FROM department_years") == ("tables",)
    assert one(con, "SELECT doc_id, completion_pct FROM budget_completion_department") == (
        "text", pytest.approx(75.0))
    assert one(con, "SELECT sangong_actual, gpb_completion_pct FROM department_year_metrics") == (
        Decimal("5.00"), pytest.approx(75.0))


# --- comparisons across regions -----------------------------------------------------------------

def test_sangong_yoy_and_rank(tmp_path):
    docs, sg = [], []
    for region, year, actual in [("甲区", 2021, "10"), ("甲区", 2022, "15"), ("乙区", 2022, "20"),
                                 ("丙区", 2022, "5"), ("乙区", 2020, "8")]:
        did = f"{region}{year}"
        docs.append(doc(did, region=region, department=f"{region}财政局", year=year))
        sg.append(dict(doc_id=did, item="total", budget="10", actual=actual))
    con = connect(write_tables(tmp_path, {"documents": docs, "sangong": sg}))
    got = {(r, y): (prev, ch, pct, rank, n) for r, y, prev, ch, pct, rank, n in con.execute(
        """SELECT region, year, prev_year_actual, yoy_change, yoy_pct, rank_across_regions, regions_in_type
           FROM sangong_region_year_type""").fetchall()}
    assert got[("甲区", 2022)] == (Decimal("10.00"), Decimal("5.00"), pytest.approx(50.0), 2, 3)
    assert got[("乙区", 2022)][3] == 1 and got[("丙区", 2022)][3] == 3
    assert got[("乙区", 2022)][:3] == (None, None, None)   # 2021 absent: no YoY across the gap
    assert got[("甲区", 2021)][3:] == (None, 1)   # one region of the type: no rank (minimum n = 3)


# --- on a generated set; the CLI -----------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("syn")
    write_synthetic(out, n_regions=4, n_types=5, years=(2021, 2022, 2023), dup_rate=0.1)
    return out


def test_synthetic_invariants(synthetic):
    con = connect(synthetic)
    n_dy, = one(con, "SELECT count(*) FROM department_years")
    assert n_dy == 4 * 5 * 3
    assert one(con, "SELECT count(*) FROM department_year_metrics_all") == (n_dy,)
    # the gate leaves out exactly the department-years graded fail, and quality_gate says so
    n_fail, = one(con, "SELECT count(*) FROM department_year_metrics_all WHERE quality = 'fail'")
    assert 0 < n_fail < n_dy
    assert one(con, "SELECT count(*) FROM department_year_metrics") == (n_dy - n_fail,)
    assert one(con, "SELECT department_years FROM quality_gate WHERE NOT included") == (n_fail,)
    assert one(con, "SELECT count(*) FROM duplicate_department_years WHERE is_chosen") == one(
        con, "SELECT count(*) FROM department_years WHERE is_duplicate")
    # completion % equals actual / budget of the chosen document, row for row
    bad = con.execute("""SELECT * FROM budget_completion_department b
                         JOIN budget_execution e ON e.doc_id = b.doc_id AND e.scope = 'gpb_total'
                         WHERE abs(b.completion_pct - 100.0 * e.actual / e.initial_budget) > 1e-9
                      """).fetchall()
    assert bad == []


def test_cli_query_formats(synthetic):
    base = [sys.executable, "-m", "etl.cli", "sql", "--parquet", str(synthetic), "--query"]
    q = "SELECT region, sum(sangong_actual) AS s FROM department_year_metrics GROUP BY 1 ORDER BY 1"
    out = subprocess.run(base + [q, "--format", "json"], capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert len(data) == 4 and Decimal(data[0]["s"]) > 0
    out = subprocess.run(base + [q, "--format", "csv"], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "region,s" and len(out.splitlines()) == 5
    bad = subprocess.run(base + ["SELECT * FROM no_such_view"], capture_output=True, text=True)
    assert bad.returncode == 1 and "no_such_view" in bad.stderr


def test_views_doc_is_current():
    from pathlib import Path

    from etl.analysis.views_doc import render

    doc_path = Path(__file__).resolve().parent.parent / "docs" / "views.md"
    assert doc_path.read_text(encoding="utf-8") == render(), "run: uv run python -m etl.analysis.views_doc"
    for v in analytical_views():
        assert f"## `{v}`" in render()
