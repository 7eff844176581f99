"""Every report family and messy collection the sample generator knows, through the real ETL, scored
against its truth JSON: by the shared scorer (volumes report by report) and on the families' own truth
keys (doc_kind, template, report_scope, companion files, 三公 source, the all-funds table, year-on-year
statements, unknown tables)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.sample.families import write_family_corpus
from tests.family_truth import extra_misses, score_with_shared_scorer, truths

FAMILIES = ["university", "sangong_narrative", "budget", "budget_tables_only", "split_files", "volume",
            "district_legacy", "central", "layouts", "blank_template"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    write_family_corpus(raw, FAMILIES, seed=11, per_family=2)
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return raw, out


def _rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / f"{table}.parquet").to_pylist()


def _docs_of(out: Path, raw: Path, family: str) -> list[dict]:
    return [d for d in _rows(out, "documents") if d["source_file"].startswith(f"{family}/")]


@pytest.mark.fidelity
def test_every_family_scores_one_with_the_shared_scorer(corpus, shared, tmp_path):
    raw, out = corpus
    assert {p.parent.name for p in raw.rglob("*.pdf")} == set(FAMILIES)
    ratio, output = score_with_shared_scorer(out, raw, shared, tmp_path)
    assert ratio == 1.0, "\n".join(line for line in output.splitlines() if line.startswith("MISS"))[:4000]


@pytest.mark.fidelity
def test_every_family_matches_its_own_truth_keys(corpus):
    raw, out = corpus
    assert extra_misses(out, raw) == []


def test_university_table_4_is_not_absorbed_into_table_3(corpus):
    raw, out = corpus
    docs = _docs_of(out, raw, "university")
    assert len(docs) == 2 and {d["template"] for d in docs} == {"university"}
    found = _rows(out, "tables_found")
    rows = _rows(out, "function_expenditure")
    for d in docs:
        mine = {t["table_key"]: t for t in found if t["doc_id"] == d["doc_id"]}
        t3, t4 = mine["expenditure"], mine["fiscal_expenditure"]
        assert t3["last_page"] < t4["first_page"], (t3, t4)
        assert t3["last_page"] > t3["first_page"]  # 表3 runs on over pages without title or header
        fiscal = [r for r in rows if r["doc_id"] == d["doc_id"] and r["table_key"] == "fiscal_expenditure"]
        assert fiscal and {r["page"] for r in fiscal} <= set(range(t4["first_page"], t4["last_page"] + 1))
        expenditure = [r for r in rows if r["doc_id"] == d["doc_id"] and r["table_key"] == "expenditure"]
        assert {r["page"] for r in expenditure} <= set(range(t3["first_page"], t3["last_page"] + 1))
        assert not [r for r in rows if r["doc_id"] == d["doc_id"] and r["table_key"] == "gpb_expenditure"]
        # no 三公 anywhere in the report: no row invented
        assert not [r for r in _rows(out, "sangong") if r["doc_id"] == d["doc_id"]]
        yoy = [r for r in _rows(out, "item_yoy") if r["doc_id"] == d["doc_id"]]
        assert yoy and all(r["page"] for r in yoy) and {r["scope"] for r in yoy} == {"total", "item"}
        assert all(r["code"] for r in yoy if r["scope"] == "item")  # linked to the 表3/表4 rows by name


def test_sangong_stated_only_in_the_narrative_is_read_from_there(corpus):
    raw, out = corpus
    truth = {t["sha256"]: t for t in truths(raw / "sangong_narrative").values()}
    sangong = _rows(out, "sangong")
    found = _rows(out, "tables_found")
    for d in _docs_of(out, raw, "sangong_narrative"):
        assert not [t for t in found if t["doc_id"] == d["doc_id"] and t["table_key"] == "sangong"]
        mine = {r["item"]: r for r in sangong if r["doc_id"] == d["doc_id"]}
        want = truth[d["sha256"]]["sangong"]
        assert mine and {r["source"] for r in mine.values()} == {"narrative"}
        for side in ("budget", "actual"):
            for item, value in want[side].items():
                assert float(mine[item][side]) == value, (item, side)


def test_budget_collection_table_only_and_full_are_budgets_never_other(corpus):
    raw, out = corpus
    docs = _docs_of(out, raw, "budget") + _docs_of(out, raw, "budget_tables_only")
    assert len(docs) == 4
    assert {d["doc_kind"] for d in docs} == {"budget"}
    assert not [d for d in docs if d["status"] == "failed"]
    ids = {d["doc_id"] for d in docs}
    for table in ("summary_items", "function_expenditure", "sangong", "budget_execution"):
        assert not [r for r in _rows(out, table) if r["doc_id"] in ids], table  # no 预算 figure written as 决算


def test_a_blank_template_is_recognised_as_a_template_not_a_department(corpus):
    raw, out = corpus
    docs = _docs_of(out, raw, "blank_template")
    assert docs and {(d["doc_kind"], d["department"], d["region"]) for d in docs} == {("template", None, None)}
