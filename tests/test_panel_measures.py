"""Issue 21, panel part: both budget bases side by side, balanced-panel flags, OCR provenance, peer
types and per-scale measures over the counts table — each on the smallest hand-built Parquet set,
the expected figures computed by hand."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.analysis import connect, set_options
from etl.analysis.export import export, parse_span, table_sql
from etl.analysis.export_schema import export_tables
from etl.analysis.synthetic import write_tables


def doc(doc_id, department, region="甲区", year=2022, scope="department", text_source="text", **kw):
    return dict(doc_id=doc_id, source_file=f"{region}/{year}/{doc_id}.pdf", sha256=doc_id * 4, region=region,
                department=region + department, department_type=department, year=year,
                doc_kind="final_accounts", status="ok", report_scope=scope, text_source=text_source, **kw)


def gpb(doc_id, initial=None, full_year=None, actual=None, page=5):
    return dict(doc_id=doc_id, scope="gpb_total", initial_budget=initial, full_year_budget=full_year,
                actual=actual, page=page)


def item(doc_id, path, initial=None, full_year=None, actual=None, page=6):
    return dict(doc_id=doc_id, scope="item", path=path, initial_budget=initial, full_year_budget=full_year,
                actual=actual, page=page)


def write_counts(pq_dir, rows):
    """counts.parquet by the agreed contract (the counts engineer's table; built by hand here)."""
    cols = {"doc_id": pa.string(), "kind": pa.string(), "value": pa.float64(), "unit": pa.string(),
            "scope": pa.string(), "sentence": pa.string(), "page": pa.int32(), "ocr_confidence": pa.float64()}
    table = pa.table({c: pa.array([r.get(c) for r in rows], type=t) for c, t in cols.items()})
    pq.write_table(table, pq_dir / "counts.parquet")


# --- point 3: both budget bases -----------------------------------------------------------------

@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    """A prints 年初 100 and 全年 112.5 for 决算 111.3: over on 年初 (111.3 %), on target on 全年
    (98.93 %). B prints only 年初 100 for 95. Their 项 statements the same way."""
    out = write_tables(tmp_path_factory.mktemp("bases") / "pq", {
        "documents": [doc("a", "财政局"), doc("b", "教育局")],
        "budget_execution": [gpb("a", "100", "112.5", "111.3"), gpb("b", "100", None, "95"),
                             item("a", "类/款/行政运行", "40", "50", "48"),
                             item("b", "类/款/行政运行", "40", None, "46")],
    })
    return connect(out)


def test_over_budget_on_initial_basis_is_on_target_on_full_year_basis(bases):
    rows = bases.execute("""SELECT department, budget_basis, completion_pct, flag, completion_initial_pct,
                                   flag_initial, completion_full_year_pct, flag_full_year
                            FROM budget_completion_department ORDER BY department""").fetchall()
    assert rows == [
        ("甲区教育局", "initial", pytest.approx(95.0), "on_target", pytest.approx(95.0), "on_target", None, None),
        ("甲区财政局", "initial", pytest.approx(111.3), "over", pytest.approx(111.3), "over",
         pytest.approx(100 * 111.3 / 112.5), "on_target")]


def test_item_statements_carry_both_bases_each_with_its_own_n(bases):
    got = bases.execute("""SELECT department, completion_initial_pct, flag_initial, completion_full_year_pct,
                                  flag_full_year FROM budget_completion_item ORDER BY department""").fetchall()
    assert got == [("甲区教育局", pytest.approx(115.0), "over", None, None),
                   ("甲区财政局", pytest.approx(120.0), "over", pytest.approx(96.0), "on_target")]
    summary = bases.execute("""SELECT statements, with_initial, over_initial, median_completion_initial_pct,
                                      with_full_year, over_full_year, median_completion_full_year_pct
                               FROM budget_completion_item_summary""").fetchall()
    assert summary == [(2, 2, 2, pytest.approx(117.5), 1, 0, pytest.approx(96.0))]


def test_export_department_years_and_item_table_show_both_bases(bases):
    dy = bases.execute("""SELECT department, budget_basis, gpb_completion_pct, gpb_completion_initial_pct,
                                 gpb_flag_initial, gpb_completion_full_year_pct, gpb_flag_full_year
                          FROM department_years_export ORDER BY department""").fetchall()
    assert dy[1] == ("甲区财政局", "initial", pytest.approx(111.3), pytest.approx(111.3), "over",
                     pytest.approx(98.9333, abs=1e-3), "on_target")
    assert dy[0][-2:] == (None, None)
    sql = table_sql(bases, "budget_execution", export_tables()["budget_execution"])
    items = bases.execute(f"""SELECT department, scope, completion_initial_pct, flag_initial,
                                     completion_full_year_pct, flag_full_year FROM ({sql}) ORDER BY 1, 2""").fetchall()
    assert items == [
        ("甲区教育局", "gpb_total", pytest.approx(95.0), "on_target", None, None),
        ("甲区教育局", "item", pytest.approx(115.0), "over", None, None),
        ("甲区财政局", "gpb_total", pytest.approx(111.3), "over", pytest.approx(98.9333, abs=1e-3), "on_target"),
        ("甲区财政局", "item", pytest.approx(120.0), "over", pytest.approx(96.0), "on_target")]


# --- point 4: balanced panel --------------------------------------------------------------------

@pytest.fixture(scope="module")
def panel_dir(tmp_path_factory):
    """财政局 in 2019, 2020, 2021; 教育局 in 2019 and 2021 only (2020 missing)."""
    docs = [doc(f"f{y}", "财政局", year=y) for y in (2019, 2020, 2021)]
    docs += [doc(f"e{y}", "教育局", year=y) for y in (2019, 2021)]
    return write_tables(tmp_path_factory.mktemp("panel") / "pq", {
        "documents": docs, "cost_totals": [dict(doc_id=d["doc_id"], personnel_cost="10", public_cost="5")
                                           for d in docs]})


def test_balanced_flag_marks_departments_present_every_year_of_the_span(panel_dir):
    con = connect(panel_dir)
    assert {r[0] for r in con.execute("SELECT in_balanced_panel FROM department_years_export").fetchall()} == {None}
    set_options(con, balanced=(2019, 2021))
    got = con.execute("""SELECT department, year, in_balanced_panel, balanced_span FROM department_years_export
                         ORDER BY department, year""").fetchall()
    assert got == [("甲区教育局", 2019, False, "2019-2021"), ("甲区教育局", 2021, False, "2019-2021"),
                   ("甲区财政局", 2019, True, "2019-2021"), ("甲区财政局", 2020, True, "2019-2021"),
                   ("甲区财政局", 2021, True, "2019-2021")]
    set_options(con, balanced=(2020, 2021))   # 2019 lies outside the span: not in the panel
    assert con.execute("SELECT year, in_balanced_panel FROM department_years_export WHERE department = '甲区财政局' "
                       "ORDER BY year").fetchall() == [(2019, False), (2020, True), (2021, True)]


def test_export_balanced_option_writes_the_flag_and_records_the_span(panel_dir, tmp_path):
    result = export(panel_dir, tmp_path / "out", ("parquet",), balanced=parse_span("2019-2021"))
    flags = pq.read_table(tmp_path / "out" / "department_years.parquet",
                          columns=["department", "in_balanced_panel"]).to_pylist()
    assert sorted((r["department"], r["in_balanced_panel"]) for r in flags) == [
        ("甲区教育局", False), ("甲区教育局", False), ("甲区财政局", True), ("甲区财政局", True), ("甲区财政局", True)]
    assert result.balanced == "2019-2021"
    assert '"balanced": "2019-2021"' in (tmp_path / "out" / "run_record.json").read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        parse_span("2022-2019")


# --- point 5: OCR provenance ---------------------------------------------------------------------

def test_text_source_and_lowest_ocr_confidence_reach_department_years(tmp_path):
    """a: a scan (ocr) whose figures were read at 0.91, 0.84, 0.95 → 0.84. b: text layer, no OCR.
    c: one department-year from two files, its 三公 from a text PDF and its 人员经费 from a scan → mixed."""
    out = write_tables(tmp_path / "pq", {
        "documents": [doc("a", "财政局", text_source="ocr"), doc("b", "教育局"),
                      doc("c1", "民政局"), doc("c2", "民政局", text_source="ocr")],
        "sangong": [dict(doc_id="a", item="total", budget="10", actual="9", page=9, ocr_confidence=0.91),
                    dict(doc_id="a", item="overseas", budget="1", actual="1", page=9, ocr_confidence=0.84),
                    dict(doc_id="b", item="total", budget="5", actual="5", page=9),
                    dict(doc_id="c1", item="total", budget="5", actual="5", page=9)],
        "cost_totals": [dict(doc_id="a", personnel_cost="10", public_cost="5", page=8, ocr_confidence=0.95),
                        dict(doc_id="c2", personnel_cost="10", public_cost="5", page=8, ocr_confidence=0.7)],
    })
    got = connect(out).execute("""SELECT department, text_source, ocr_min_confidence FROM department_years_export
                                  ORDER BY department""").fetchall()
    assert got == [("甲区教育局", "text", None), ("甲区民政局", "mixed", pytest.approx(0.7)),
                   ("甲区财政局", "ocr", pytest.approx(0.84))]


# --- point 6: peer type --------------------------------------------------------------------------

def test_equivalent_bodies_pool_into_one_peer_type_and_units_stay_apart(tmp_path):
    docs = [doc("a", "大数据中心", region="甲区"), doc("b", "政务服务数据管理局", region="乙区"),
            doc("c", "政务服务和数据管理局", region="丙区"), doc("u", "大数据中心", region="丁区", scope="unit"),
            doc("h", "卫生和计划生育局", region="戊区", year=2018), doc("k", "卫生健康委员会", region="戊区")]
    out = write_tables(tmp_path / "pq", {
        "documents": docs,
        "cost_totals": [dict(doc_id=d["doc_id"], personnel_cost="10", public_cost="5") for d in docs]})
    con = connect(out)
    types = dict(con.execute("SELECT doc_id, peer_type FROM department_years_export").fetchall())
    assert types == {"a": "政务服务和数据管理", "b": "政务服务和数据管理", "c": "政务服务和数据管理",
                     "u": "政务服务和数据管理（单位）", "h": "卫生健康", "k": "卫生健康"}
    # the peer comparison pools the three departments, not the unit
    peers = dict(con.execute("SELECT doc_id, peer_n FROM personnel_public_ratio").fetchall())
    assert (peers["a"], peers["b"], peers["c"], peers["u"]) == (3, 3, 3, 1)


def test_a_users_peer_type_csv_is_read_before_the_shipped_one(tmp_path):
    csv = tmp_path / "peers.csv"
    csv.write_text("pattern,peer_type,note\n大数据,数字政府,我的分类\n", encoding="utf-8")
    out = write_tables(tmp_path / "pq", {"documents": [doc("a", "大数据中心")],
                                         "cost_totals": [dict(doc_id="a", personnel_cost="1", public_cost="1")]})
    assert connect(out, peer_types=csv).execute("SELECT peer_type FROM department_years_export").fetchall() == [
        ("数字政府",)]


# --- per-scale measures --------------------------------------------------------------------------

def sangong_rows(doc_id, total, vehicle):
    return [dict(doc_id=doc_id, item="total", budget=total, actual=total, page=9),
            dict(doc_id=doc_id, item="vehicle_total", budget=vehicle, actual=vehicle, page=9)]


def test_per_scale_measures_divide_by_printed_denominators_and_never_by_absent_or_zero(tmp_path):
    """a: 5 vehicles, 实有 40 and 编制 50 people → 用车 30 / 5 = 6, 三公 60 / 40 = 1.5, 公用 80 / 40 = 2.
    b: 0 vehicles, only 编制 20 → no per-vehicle figure (保有量为 0), 三公 10 / 20 = 0.5 on 编制.
    c: prints no count → every measure NULL, saying 未公开."""
    pqd = write_tables(tmp_path / "pq", {
        "documents": [doc("a", "财政局"), doc("b", "教育局"), doc("c", "民政局")],
        "sangong": [*sangong_rows("a", "60", "30"), *sangong_rows("b", "10", "4"), *sangong_rows("c", "7", "2")],
        "cost_totals": [dict(doc_id=d, personnel_cost="100", public_cost=p, page=8)
                        for d, p in (("a", "80"), ("b", "30"), ("c", "9"))]})
    write_counts(pqd, [
        dict(doc_id="a", kind="vehicles_held", value=5, unit="辆", page=12, sentence="公务用车保有量为5辆"),
        dict(doc_id="a", kind="staff_actual", value=40, unit="人", page=2),
        dict(doc_id="a", kind="staff_authorised", value=50, unit="人", page=2),
        dict(doc_id="a", kind="reception_people", value=30, unit="人次", scope="domestic", page=12),
        dict(doc_id="b", kind="vehicles_held", value=0, unit="辆", page=11),
        dict(doc_id="b", kind="staff_authorised", value=20, unit="人", page=3)])
    con = connect(pqd)
    got = {r[0]: r[1:] for r in con.execute("""
        SELECT department, vehicles_held, vehicles_held_page, sangong_per_vehicle, sangong_per_vehicle_note,
               staff, staff_kind, staff_page, sangong_per_staff, sangong_per_staff_note,
               public_cost_per_staff, public_cost_per_staff_note
        FROM department_years_export""").fetchall()}
    assert got["甲区财政局"] == (5, 12, pytest.approx(6.0), None, 40, "staff_actual", 2, pytest.approx(1.5), None,
                                pytest.approx(2.0), None)
    assert got["甲区教育局"] == (0, 11, None, "公务用车保有量为 0", 20, "staff_authorised", 3, pytest.approx(0.5),
                                None, pytest.approx(1.5), None)
    assert got["甲区民政局"] == (None, None, None, "未读到公务用车保有量", None, None, None, None,
                                "未读到实有人数或编制人数", None, "未读到实有人数或编制人数")
    summary = con.execute("""SELECT department_years, n_sangong_per_vehicle, no_vehicle_denominator,
                                    n_sangong_per_staff, median_sangong_per_staff, staff_from_authorised
                             FROM per_scale_summary""").fetchall()
    assert summary == [(3, 1, 2, 2, pytest.approx(1.0), 1)]


def test_per_scale_views_exist_when_the_output_has_no_counts_table(tmp_path):
    con = connect(write_tables(tmp_path / "pq", {"documents": [doc("a", "财政局")],
                                                 "cost_totals": [dict(doc_id="a", personnel_cost="1",
                                                                      public_cost="1")]}))
    assert con.execute("SELECT public_cost_per_staff, public_cost_per_staff_note FROM per_scale_measures"
                       ).fetchall() == [(None, "未读到实有人数或编制人数")]
