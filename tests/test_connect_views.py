"""connect() creates its views unbound (DEFER_BINDING, issue 21's connect cost) and materialises the
version layer: neither may change a single row. On a generated corpus (`juesuan sample` → `juesuan
etl`) and on the synthetic Parquet set, every analytical view's full contents, sorted, and its columns
and types must be the same on
  materialize=True  (temp tables below 100, views deferred)  — the default
  materialize=True with binding at creation                   — connect() before session 22
under every switch state, and on
  materialize=False (everything a view, deferred)
under the default state on the generated corpus (reading every view without the temp tables binds
and computes the whole stack per view: ~100 s a state on the demo corpus, so one state).
Plus: the views really are left unbound, and a view that does not build is still reported naming
its sql file (check_views; a temp-table file fails at connect)."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from juesuan_cli import run_juesuan as _cli

import etl.analysis as analysis
from etl.analysis import analytical_views, check_views, connect, set_options
from etl.analysis.synthetic import write_synthetic

STATES = [(q, b) for q in analysis.QUALITY_CHOICES for b in analysis.SANGONG_BASES]
#: Views that must have rows on the generated corpus, so the comparison is not of empty views.
MUST_HAVE_ROWS = ("department_year_metrics", "comparison_rows", "budget_completion_item",
                  "budget_credibility_department", "budget_credibility_export", "prior_year_restatements",
                  "department_years_export", "quality_gate_figures")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gen")
    _cli("sample", "--out", str(root / "raw"), "--regions", "2", "--departments", "4", "--years", "2020-2022",
         "--seed", "22")
    _cli("etl", str(root / "raw"), "--out", str(root / "pq"))
    return root / "pq"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("syn")
    write_synthetic(out, n_regions=4, n_types=5, years=(2020, 2021, 2022, 2023), dup_rate=0.1)
    return out


def _norm(value):
    """Floats to 12 significant digits: a parallel sum of doubles may differ in the last bits."""
    if isinstance(value, float):
        return value if math.isnan(value) or math.isinf(value) else float(f"{value:.12g}")
    if isinstance(value, (list, tuple)):
        return type(value)(_norm(v) for v in value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def _contents(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[list, list[str]]]:
    out = {}
    for view in analytical_views():
        rel = con.sql(f"SELECT * FROM {view}")
        rows = sorted((_norm(r) for r in rel.fetchall()), key=repr)
        out[view] = (list(zip(rel.columns, map(str, rel.types), strict=True)), rows)
    return out


def _bound_at_creation(pq: Path, monkeypatch) -> duckdb.DuckDBPyConnection:
    with monkeypatch.context() as m:
        m.setattr(analysis, "_can_defer_binding", lambda con: False)
        return connect(pq)


def _assert_same(reference: duckdb.DuckDBPyConnection, other: duckdb.DuckDBPyConnection, states) -> dict:
    first = None
    for quality, basis in states:
        got = []
        for con in (reference, other):
            set_options(con, quality=quality, sangong_basis=basis)
            got.append(_contents(con))
        for view in analytical_views():
            assert got[1][view][0] == got[0][view][0], (quality, basis, view, "columns")
            assert got[1][view][1] == got[0][view][1], (quality, basis, view, "rows")
        first = first or got[0]
    return first


pytestmark = pytest.mark.slow


def test_generated_corpus_same_rows_as_binding_at_creation(generated: Path, monkeypatch) -> None:
    contents = _assert_same(connect(generated), _bound_at_creation(generated, monkeypatch), STATES)
    empty = [v for v in MUST_HAVE_ROWS if not contents[v][1]]
    assert not empty, f"the generated corpus leaves these views empty, so comparing them proves nothing: {empty}"


def test_generated_corpus_same_rows_without_temp_tables(generated: Path) -> None:
    _assert_same(connect(generated), connect(generated, materialize=False), [("default", "printed")])


def test_synthetic_same_rows_as_binding_at_creation(synthetic: Path, monkeypatch) -> None:
    contents = _assert_same(connect(synthetic), _bound_at_creation(synthetic, monkeypatch), STATES)
    assert contents["department_year_metrics"][1] and contents["sangong_region_year"][1]


def test_connect_leaves_the_views_unbound_until_read(synthetic: Path) -> None:
    con = connect(synthetic)
    bound = dict(con.execute("SELECT view_name, is_bound FROM duckdb_views() WHERE NOT internal").fetchall())
    # the table macros of 140_balanced_panel are bound at creation, and with them the views they read
    # (coverage_years, department_year_metrics…); the views no macro reads stay unbound
    unbound = [v for v in analytical_views() if bound.get(v) is False]
    assert {"budget_credibility_region", "budget_credibility_export", "pefa_pi2", "department_years_export",
            "quality_gate", "dq_document_summary"} <= set(unbound), unbound
    assert len(unbound) > len(analytical_views()) / 2, unbound
    assert "department_year_figures" not in bound  # a temp table (materialize=True)
    assert con.execute("SELECT count(*) FROM budget_credibility_region").fetchone()[0] >= 0


def test_a_view_that_does_not_build_is_named_by_check_views(synthetic: Path, tmp_path: Path, monkeypatch) -> None:
    broken = tmp_path / "900_broken.sql"
    broken.write_text("CREATE OR REPLACE VIEW broken_view AS SELECT no_such_column FROM comparison_rows;\n",
                      encoding="utf-8")
    files = analysis.view_files()
    monkeypatch.setattr(analysis, "view_files", lambda: [*files, broken])
    con = connect(synthetic)  # deferred: connect() does not bind it
    with pytest.raises(RuntimeError, match="900_broken.sql"):
        check_views(con)
    # a file below 100 becomes a temp table at connect(), so it still fails there, named
    early = tmp_path / "099_broken.sql"
    early.write_text("CREATE OR REPLACE VIEW early_broken AS SELECT no_such_column FROM department_years;\n",
                     encoding="utf-8")
    monkeypatch.setattr(analysis, "view_files", lambda: [*files, early])
    with pytest.raises(RuntimeError, match="099_broken.sql"):
        connect(synthetic)


def test_check_views_passes_on_the_shipped_views(synthetic: Path) -> None:
    check_views(connect(synthetic))
    check_views(connect(synthetic, materialize=False))
