"""Budget credibility (PEFA 2016 PI-1, PI-2.1) as a public-finance researcher would check it.

The views (etl/analysis/sql/160–165) are run on hand-built rows put in place of the two views they
read (comparison_rows: the narrative's 一般公共预算财政拨款支出 statement; budget_completion_item: the
per-项 statements), and every figure is recomputed here in plain Python from the PEFA formulas:
  PI-1 = 100 × actual / original budget, bands A 95–105, B 90–110, C 85–115 (inclusive), D;
  PI-2 = 100 × Σ|a_i − b_i·A/B| / A, bands A < 5, B < 10, C < 15 (strict), D;
  three-year score = the band met in at least two of the three years.
"""

from __future__ import annotations

import tempfile

import pytest

from etl.analysis import connect


def pi1(actual: float, budget: float) -> float:
    return 100 * actual / budget


def pi2(lines: list[tuple[float, float]]) -> float:
    """PEFA 2.1 on (budget, actual) lines: the deviation left after scaling each budget to the total outturn."""
    b = sum(x for x, _ in lines)
    a = sum(y for _, y in lines)
    return 100 * sum(abs(y - x * a / b) for x, y in lines) / a


def pi1_band(p: float) -> str:
    return "A" if 95 <= p <= 105 else "B" if 90 <= p <= 110 else "C" if 85 <= p <= 115 else "D"


def pi2_band(p: float) -> str:
    return "A" if p < 5 else "B" if p < 10 else "C" if p < 15 else "D"


def two_of_three(bands: list[str]) -> str:
    """The best band at least two of the three years meet (bands are ordered A < B < C < D)."""
    return next(b for b in "ABCD" if sum(x <= b for x in bands) >= 2)


#: The PEFA worked example's shape: several heads and an aggregate deviation (outturn 110 % of budget).
WORKED = [("2010101", 100.0, 120.0), ("2010102", 200.0, 180.0), ("2010150", 300.0, 330.0), ("2080501", 400.0, 470.0)]

#: department-years: (region, department_id, year, 年初预算, 决算)
DEPARTMENTS = [
    ("甲区", "甲区/财政局", 2021, 1000.0, 1100.0),   # the worked example's totals
    ("甲区", "甲区/财政局", 2022, 1000.0, 950.0),    # exactly 95 %
    ("甲区", "甲区/财政局", 2023, 1000.0, 1050.0),   # exactly 105 %
    ("甲区", "甲区/教育局", 2021, 2000.0, 1700.0),   # exactly 85 %
    ("甲区", "甲区/教育局", 2022, 2000.0, 2300.0),   # exactly 115 %
    ("甲区", "甲区/教育局", 2023, 2000.0, 2302.0),   # 115.1 %
    ("甲区", "甲区/卫健委", 2021, 500.0, 500.0),     # missing 2022: not in the balanced set
    ("甲区", "甲区/卫健委", 2023, 500.0, 520.0),
    ("甲区", "甲区/民政局", 2022, 0.0, 80.0),        # 年初预算 0: no PI-1 (never the 全年预算)
]

#: per-项 statements: (department_id, year, code, 年初预算, 决算)
ITEMS = [
    *[("甲区/财政局", 2021, c, b, a) for c, b, a in WORKED],
    ("甲区/财政局", 2022, "2010101", 100.0, 105.0),   # exactly 5 %: B, not A
    ("甲区/财政局", 2022, "2010102", 100.0, 95.0),
    ("甲区/财政局", 2023, "2010101", 100.0, 100.0),
    ("甲区/财政局", 2023, "2010102", 50.0, 0.0),      # budgeted, nothing spent
    ("甲区/财政局", 2023, "2010199", 0.0, 40.0),      # spent without a budget: a deviation too
    ("甲区/教育局", 2021, "2050201", 800.0, 800.0),   # one head: no composition to vary
    # 22 heads: the largest (800) makes up 75 % of the budget, the other 21 become one line
    ("甲区/教育局", 2022, "2050201", 800.0, 900.0),
    *[("甲区/教育局", 2022, f"20502{i:02d}", 10.0, 5.0 + i) for i in range(2, 23)],
]


def _rows(values: list[tuple]) -> str:
    return ", ".join("(" + ", ".join(repr(v) for v in row) + ")" for row in values)


@pytest.fixture(scope="module")
def con():
    with tempfile.TemporaryDirectory() as tmp:
        c = connect(tmp)
        c.execute(f"""
            CREATE OR REPLACE TEMP TABLE fx_dy AS SELECT * FROM (VALUES {_rows(DEPARTMENTS)})
                AS t(region, department_id, year, initial_budget, actual)""")
        c.execute("""
            CREATE OR REPLACE VIEW comparison_rows AS
            SELECT region, 'district' AS region_level, split_part(department_id, '/', 2) AS department,
                   department_id, split_part(department_id, '/', 2) AS department_type,
                   'department' AS report_scope, true AS in_region_aggregates, year,
                   hash(department_id, year) AS dy_key, 'narrative' AS gpb_actual_source,
                   CAST(initial_budget AS DECIMAL(18, 2)) AS gpb_initial_budget,
                   CAST(actual AS DECIMAL(18, 2)) AS gpb_actual, 'x.pdf' AS gpb_file, 3 AS gpb_page
            FROM fx_dy""")
        c.execute(f"""
            CREATE OR REPLACE VIEW budget_completion_item AS
            SELECT '甲区' AS region, department_id, year, code, '类/款/' || code AS path,
                   CAST(initial_budget AS DECIMAL(18, 2)) AS initial_budget,
                   CAST(actual AS DECIMAL(18, 2)) AS actual, 4 AS page
            FROM (VALUES {_rows(ITEMS)}) AS t(department_id, year, code, initial_budget, actual)""")
        yield c
        c.close()


def _dept(con, department_id: str, year: int) -> dict:
    rel = con.execute("SELECT * FROM budget_credibility_department WHERE department_id = ? AND year = ?",
                      [department_id, year])
    names = [d[0] for d in rel.description]
    return dict(zip(names, rel.fetchone(), strict=True))


def test_pi1_is_outturn_over_the_original_budget_with_its_band(con):
    for _region, dep, year, budget, actual in DEPARTMENTS:
        row = _dept(con, dep, year)
        if budget > 0:
            assert row["pi1_outturn_pct"] == pytest.approx(pi1(actual, budget)), (dep, year)
            assert row["pi1_band"] == pi1_band(pi1(actual, budget)), (dep, year)
        else:
            assert row["pi1_outturn_pct"] is None and row["pi1_band"] is None, "a zero 年初预算 gives no PI-1"


@pytest.mark.parametrize(("pct", "band"), [
    (95, "A"), (105, "A"), (94.99, "B"), (105.01, "B"), (90, "B"), (110, "B"), (89.99, "C"), (110.01, "C"),
    (85, "C"), (115, "C"), (84.99, "D"), (115.01, "D")])
def test_pi1_bands_at_their_boundaries_include_the_bound(con, pct, band):
    assert con.execute("SELECT pefa_pi1_band(?)", [pct]).fetchone()[0] == band


@pytest.mark.parametrize(("pct", "band"), [
    (0, "A"), (4.99, "A"), (5, "B"), (9.99, "B"), (10, "C"), (14.99, "C"), (15, "D"), (80, "D")])
def test_pi2_bands_at_their_boundaries_exclude_the_bound(con, pct, band):
    assert con.execute("SELECT pefa_pi2_band(?)", [pct]).fetchone()[0] == band


def test_pi2_removes_the_aggregate_deviation_in_the_worked_example_shape(con):
    row = _dept(con, "甲区/财政局", 2021)
    lines = [(b, a) for _, b, a in WORKED]
    # by hand: adjusted budgets 110, 220, 330, 440; deviations 10 + 40 + 0 + 30 = 80 over 1100
    assert pi2(lines) == pytest.approx(100 * 80 / 1100)
    assert row["pi2_variance_pct"] == pytest.approx(pi2(lines))
    assert row["pi2_band"] == "B" and row["pi1_band"] == "B"   # 110 % is still B ("between 90 and 110")
    assert row["pi2_lines"] == 4
    assert row["pi2_coverage_pct"] == pytest.approx(100.0)


def test_pi2_of_exactly_five_percent_is_b_and_unbudgeted_spending_counts(con):
    assert _dept(con, "甲区/财政局", 2022)["pi2_variance_pct"] == pytest.approx(5.0)
    assert _dept(con, "甲区/财政局", 2022)["pi2_band"] == "B"
    lines = [(100.0, 100.0), (50.0, 0.0), (0.0, 40.0)]
    row = _dept(con, "甲区/财政局", 2023)
    assert row["pi2_variance_pct"] == pytest.approx(pi2(lines))
    assert row["pi2_band"] == pi2_band(pi2(lines))


def test_pi2_needs_two_heads(con):
    row = _dept(con, "甲区/教育局", 2021)
    assert row["pi2_lines"] == 1 and row["pi2_variance_pct"] is None and row["pi2_band"] is None


def test_pi2_over_twenty_heads_keeps_the_largest_making_75_percent_and_pools_the_rest(con):
    residual = [(10.0, 5.0 + i) for i in range(2, 23)]
    lines = [(800.0, 900.0), (sum(b for b, _ in residual), sum(a for _, a in residual))]
    row = _dept(con, "甲区/教育局", 2022)
    assert row["pi2_lines"] == 2
    assert row["pi2_variance_pct"] == pytest.approx(pi2(lines))


def test_three_year_score_is_the_band_met_in_two_of_three_years(con):
    fin = [pi1_band(pi1(a, b)) for _, d, _, b, a in DEPARTMENTS if d == "甲区/财政局"]
    edu = [pi1_band(pi1(a, b)) for _, d, _, b, a in DEPARTMENTS if d == "甲区/教育局"]
    assert _dept(con, "甲区/财政局", 2023)["pi1_score_3y"] == two_of_three(fin) == "A"   # B, A, A
    assert _dept(con, "甲区/教育局", 2023)["pi1_score_3y"] == two_of_three(edu) == "C"   # C, C, D
    assert _dept(con, "甲区/财政局", 2022)["pi1_score_3y"] is None, "only two years so far"
    assert _dept(con, "甲区/卫健委", 2023)["pi1_score_3y"] is None, "2022 missing: not three consecutive years"
    pi2_fin = [pi2([(b, a) for _, b, a in WORKED]), 5.0, pi2([(100.0, 100.0), (50.0, 0.0), (0.0, 40.0)])]
    assert _dept(con, "甲区/财政局", 2023)["pi2_score_3y"] == two_of_three([pi2_band(p) for p in pi2_fin])


@pytest.mark.parametrize(("bands", "score"), [
    (("A", "A", "D"), "A"), (("A", "D", "D"), "D"), (("C", "A", "B"), "B"), (("A", None, "A"), None)])
def test_two_of_three_macro(con, bands, score):
    assert con.execute("SELECT pefa_score_2of3(?, ?, ?)", list(bands)).fetchone()[0] == score


def test_region_year_over_the_balanced_set_of_departments(con):
    rows = con.execute("SELECT year, departments, pi1_outturn_pct, pi1_band, pi2_lines, pi2_variance_pct, "
                       "pi1_score_3y, first_year, last_year FROM budget_credibility_region ORDER BY year").fetchall()
    # every year 2021–2023 with a PI-1: 财政局 and 教育局 (卫健委 lacks 2022, 民政局 has no 年初预算)
    balanced = ("甲区/财政局", "甲区/教育局")
    scores = []
    for year, n, p1, band, lines, p2, _, first, last in rows:
        own = [(b, a) for _, d, y, b, a in DEPARTMENTS if d in balanced and y == year]
        assert n == len(balanced) == lines and (first, last) == (2021, 2023)
        assert p1 == pytest.approx(pi1(sum(a for _, a in own), sum(b for b, _ in own)))
        assert band == pi1_band(p1)
        assert p2 == pytest.approx(pi2(own))
        scores.append(band)
    assert [r[0] for r in rows] == [2021, 2022, 2023]
    assert rows[-1][6] == two_of_three(scores)
