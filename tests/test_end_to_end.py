"""The whole chain on a small generated corpus: PDFs → `juesuan etl` → DuckDB views → notebooks.

The views' results are checked against the figures each generated document prints (its truth
JSON), so a view that computes the wrong ratio, or joins the wrong document, fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from etl.analysis import connect
from etl.reports.notebooks import build_reports

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path, dict[str, dict]]:
    root = tmp_path_factory.mktemp("e2e")
    raw, out = root / "raw", root / "pq"
    for argv in (["sample", "--out", str(raw), "--regions", "2", "--departments", "2", "--years", "2021-2022",
                  "--seed", "3"],
                 ["etl", str(raw), "--out", str(out)]):
        proc = subprocess.run([sys.executable, "-m", "etl.cli", *argv], capture_output=True, text=True,
                              cwd=REPO, timeout=900)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    truths = {}
    for path in raw.rglob("*.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        truths[truth["sha256"][:16]] = truth
    return raw, out, truths


def _pct(actual: float, budget: float) -> float | None:
    return None if not budget else 100 * actual / budget


def test_department_completion_equals_actual_over_budget_of_its_document(corpus):
    _, out, truths = corpus
    rows = connect(out).sql("SELECT doc_id, completion_pct FROM budget_completion_department").fetchall()
    assert len(rows) >= 8
    for doc_id, pct in rows:
        t = truths[doc_id]["gpb_budget_execution"]
        budget = t["initial_budget"] if t["initial_budget"] is not None else t["full_year_budget"]
        if budget is None:  # an unqualified 预算 is no 年初/全年 amount: the printed rate (basis printed_pct)
            assert pct == pytest.approx(t["completion_pct"], abs=1e-6), doc_id
            continue
        assert pct == pytest.approx(_pct(t["actual"], budget), abs=1e-6), doc_id


def test_sangong_completion_per_item_and_zero_budget_is_null(corpus):
    _, out, truths = corpus
    rows = connect(out).sql("SELECT doc_id, item, budget, actual, completion_pct FROM budget_completion_sangong"
                            ).fetchall()
    assert rows
    for doc_id, item, budget, actual, pct in rows:
        sg = truths[doc_id]["sangong"]
        assert (budget, actual) == (Decimal(str(sg["budget"][item])).quantize(Decimal("0.01")),
                                    Decimal(str(sg["actual"][item])).quantize(Decimal("0.01")))
        expected = _pct(sg["actual"][item], sg["budget"][item])
        assert pct == (None if expected is None else pytest.approx(expected, abs=1e-6)), (doc_id, item)


def test_personnel_share_matches_the_printed_cost_totals(corpus):
    _, out, truths = corpus
    con = connect(out)
    cols = [d[0] for d in con.sql("SELECT * FROM department_year_metrics LIMIT 0").description]
    assert {"personnel_cost", "public_cost", "doc_id"} <= set(cols)
    for doc_id, personnel, public in con.sql(
            "SELECT doc_id, personnel_cost, public_cost FROM department_year_metrics").fetchall():
        t = truths[doc_id]
        assert (float(personnel), float(public)) == (t["personnel_cost"], t["public_cost"])


def test_every_notebook_runs_on_the_parsed_corpus(corpus, tmp_path):
    _, out, _ = corpus
    entries = build_reports(out, tmp_path / "reports", REPO / "notebooks")
    notebooks = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.py"))
    assert [e["error"] for e in entries] == [None] * len(entries) and len(entries) == len(notebooks) == 6
    assert (tmp_path / "reports" / "index.html").exists()
    for e in entries:
        page = (tmp_path / "reports" / e["file"]).read_text(encoding="utf-8")
        assert ">主要发现<" in page and "质量筛选：" in page and "Traceback" not in page, e["file"]
        assert "shape: (" not in page and "What this shows" not in page, e["file"]
