"""The row-selection layer (etl/analysis/sql/105–107, 110–112, 210) on the hand-built corpus of
tests/selection_fixture.py: every expected figure is written down from the fixture by hand."""

from __future__ import annotations

import re

import pytest
import selection_fixture as fx

from etl.analysis import SQL_DIR, connect


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    return connect(fx.write(tmp_path_factory.mktemp("sel")))


def test_region_level_from_the_region_string(con):
    cases = {"中央": "central", "上海市": "province", "北京市": "province", "广东省": "province",
             "广西壮族自治区": "province", "上海市普陀区": "district", "广州市天河区": "district",
             "某县": "district", "苏州市昆山市": "district", "某盟某旗": "district", "广州市": "city"}
    got = dict(con.execute("SELECT r, region_level(r) FROM (SELECT unnest(?) AS r)", [list(cases)]).fetchall())
    assert got == cases


def test_units_are_out_of_region_aggregates_and_in_their_own_view(con):
    # 中央 2022: 某部 100 (department) and 某部直属中心 7 (unit), the university has no 三公
    assert con.execute("""SELECT department FROM comparison_rows WHERE NOT in_region_aggregates
                          ORDER BY ALL""").fetchall() == [("某大学",), ("某部直属中心",), ("某部直属中心",)]
    assert con.execute("SELECT count(*) FROM unit_rows").fetchall() == [(3,)]
    assert con.execute("""SELECT region_level, departments, sangong_used_actual FROM sangong_region_year
                          WHERE region = '中央' AND year = 2022""").fetchall() == [("central", 1, 100)]


def test_central_is_not_a_district(con):
    levels = dict(con.execute("SELECT DISTINCT region, region_level FROM comparison_rows").fetchall())
    assert levels["中央"] == "central" and levels["某省"] == "province"
    assert sorted(r for r, lv in levels.items() if lv == "district") == sorted(fx.DISTRICTS)


def test_latest_adequate_year_skips_a_thin_tail(con):
    # district department-years with 三公: 6, 5 (乙区财政局 2020 gated out), 6, 6 in 2019–2022; 1 in 2023
    rows = con.execute("""SELECT year, department_years, adequate FROM coverage_years WHERE metric = 'sangong'
                          ORDER BY year""").fetchall()
    assert rows == [(2019, 6, True), (2020, 5, True), (2021, 6, True), (2022, 6, True), (2023, 1, False)]
    assert con.execute("SELECT latest_adequate_year('sangong')").fetchall() == [(2022,)]


def test_no_rank_below_the_minimum_n(con):
    got = {(r, t, y): (rank, n, note) for r, t, y, rank, n, note in con.execute(
        """SELECT region, department_type, year, rank_across_regions, regions_in_type, rank_note
           FROM sangong_region_year_type""").fetchall()}
    # 财政局 2022 in three districts: 20 (甲), 22 (乙), 24 (丙)
    assert [got[(f"{fx.CITY}{d}区", "财政局", 2022)][:2] for d in "丙乙甲"] == [(1, 3), (2, 3), (3, 3)]
    # 2023: 甲区教育局 alone; 某省财政厅 and 某部 are the only ones of their level: no "rank 1 of 1"
    for key in [(f"{fx.CITY}甲区", "教育局", 2023), ("某省", "财政厅", 2022), ("中央", "某部", 2022)]:
        rank, n, note = got[key]
        assert rank is None and n == 1 and "不排名" in note
    # 乙区财政局 2020 is gated out: 财政局 2020 has two districts, no rank
    assert got[(f"{fx.CITY}甲区", "财政局", 2020)][:2] == (None, 2)


def test_missing_tables_exclude_companions_templates_and_funds(con):
    # counted: only 丙区司法局 2022's 三公 table (district template). Not counted: the narrative file of
    # 甲区财政局 2021 (companion_of), the university's 04–07, the central reports' 07, 08/09 without funds
    assert con.execute("SELECT doc_id, table_no FROM dq_tables_missing WHERE counted_missing").fetchall() == [
        ("j2022", 7)]
    assert con.execute("""SELECT count(*) FROM dq_tables_missing WHERE doc_id = 'n001' AND in_companion
                          AND table_no <= 7""").fetchall() == [(7,)]
    assert con.execute("""SELECT list(table_no ORDER BY table_no) FROM dq_tables_missing
                          WHERE doc_id = 'univ' AND NOT owed""").fetchall() == [([4, 5, 6, 7, 8, 9],)]


def test_a_standalone_sangong_disclosure_owes_no_table(tmp_path):
    # two district reports printing only the 三公 table: the stand-alone 三公 page owes nothing; the full
    # report (publication full) misses 01–06, counted
    from etl.analysis.synthetic import write_tables

    docs = [dict(doc_id=d, source_file=f"{d}.pdf", sha256=d * 4, region="某市甲区", department=f"某市甲区{t}",
                 department_type=t, year=2022, doc_kind="final_accounts", status="ok", pages=2,
                 template="district", report_scope="department", publication=pub)
            for d, t, pub in (("s1", "教育局", "sangong_only"), ("f1", "财政局", "full"))]
    found = [dict(doc_id=d, table_key="sangong") for d in ("s1", "f1")]
    with connect(write_tables(tmp_path, {"documents": docs, "tables_found": found})) as c:
        counted = c.execute("""SELECT doc_id, list(table_no ORDER BY table_no) FROM dq_tables_missing
                               WHERE counted_missing GROUP BY doc_id""").fetchall()
        owed = c.execute("SELECT count(*) FROM dq_tables_missing WHERE doc_id = 's1' AND owed").fetchall()
    assert counted == [("f1", [1, 2, 3, 4, 5, 6])]
    assert owed == [(0,)]


def test_the_sql_mandatory_list_mirrors_families():
    from etl.parsing.families import MANDATORY

    sql = (SQL_DIR / "210_dq_tables_missing.sql").read_text(encoding="utf-8")
    block = sql[sql.index("mandatory(template, table_key)"):sql.index("rows AS")]
    pairs = set(re.findall(r"\('(\w+)', '(\w+)'\)", block))
    assert pairs == {(t, k) for t, keys in MANDATORY.items() for k in keys}


def test_describe_series_names_a_peak_and_a_trough_between_the_endpoints():
    from etl.analysis.notebook import describe_series

    assert describe_series([(2019, 3.87), (2020, 5.0), (2021, 11.06), (2024, 4.0)]) == (
        "从 2019 年的 3.87 变为 2024 年的 4.00，其间 2021 年最高（11.06）")
    assert describe_series([(2019, 5), (2020, 1), (2021, None), (2022, 6)]) == (
        "从 2019 年的 5.00 变为 2022 年的 6.00，其间 2020 年最低（1.00）")
    assert describe_series([(2019, 1), (2020, 2), (2021, 3)]) == "从 2019 年的 1.00 变为 2021 年的 3.00"
    assert describe_series([(2019, 1)]) == ""
