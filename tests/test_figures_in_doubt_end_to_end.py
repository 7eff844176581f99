"""Issue 17, done when: on a generated corpus with every family and every audit error injected, the default
export keeps every department-year whose figures are right and leaves empty exactly the figures an injected
error puts in doubt — expected from the truth JSON's injected list alone (tests/test_figure_doubts.py says,
kind by kind, which figure groups each injection touches), through the real sample → etl → export commands.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from etl.sample.corpus import write_corpus
from etl.sample.families import FAMILIES, write_family_corpus
from tests.test_export_truth import _cli
from tests.test_figure_doubts import (
    INFO_ONLY,
    INJECTED_ERRORS,
    INJECTED_INCONSISTENCIES,
    SEED,
    WARNINGS_ONLY,
    write_every_audit_error,
)

#: The figure groups department_years carries, and a headline column of each (items are long-table rows).
GROUP_COLUMNS = {"sangong": ("sangong_actual", "sangong_budget"), "cost": ("personnel_cost", "public_cost"),
                 "gpb": ("gpb_actual",), "totals": ("total_expenditure",)}
HEADLINE_GROUPS = {*GROUP_COLUMNS, "items"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    """Each sub-corpus is its own raw folder and run (the forced ones reuse the same department-years, which
    in one run would be versions of each other). Rows are keyed by (sub-corpus, doc_id)."""
    root = tmp_path_factory.mktemp("doubts_e2e")
    raws = {"errors": root / "errors", "families": root / "families"}
    write_every_audit_error(raws["errors"])
    for kind in INJECTED_INCONSISTENCIES:
        raws[kind] = root / kind
        write_corpus(raws[kind], 1, 1, [2022], seed=SEED, seed_report=False, force={"inconsistency": kind})
    write_family_corpus(raws["families"], list(FAMILIES), seed=SEED, per_family=1)
    injected, rows = {}, {"all": {}, "default": {}}
    for corpus, raw in raws.items():
        out = root / "out" / corpus
        _cli("etl", str(raw), "--out", str(out / "pq"))
        _cli("export", "--parquet", str(out / "pq"), "--out", str(out / "all"), "--all-quality", "--format",
             "parquet")
        _cli("export", "--parquet", str(out / "pq"), "--out", str(out / "default"), "--format", "parquet")
        for name in rows:
            rows[name].update({(corpus, r["doc_id"]): r for r in pl.read_parquet(
                out / name / "department_years.parquet").iter_rows(named=True)})
        for path in raw.rglob("*.json"):
            truth = json.loads(path.read_text(encoding="utf-8"))
            if corpus != "families":
                kinds = [e["kind"] for e in truth.get("injected_errors") or []]
                kinds.append(truth.get("injected_inconsistency"))
                injected[(corpus, truth["sha256"][:16])] = next((k for k in kinds if k), "")
    return {"injected": injected, **rows}


def _expected_dropped(kind: str) -> set[str]:
    """The groups the kind's failed error checks put in doubt (warnings name groups but drop nothing)."""
    if kind in WARNINGS_ONLY:
        return set()
    groups = {**INJECTED_ERRORS, **INJECTED_INCONSISTENCIES}.get(kind, "")
    return {g for g in groups.split(",") if g} & HEADLINE_GROUPS


def test_every_department_year_is_kept(exported):
    """No injected kind puts every figure in doubt, and families carry none: nothing is left out whole."""
    assert set(exported["default"]) == set(exported["all"])
    assert set(exported["injected"]) <= set(exported["default"])


def test_exactly_the_figures_an_injection_puts_in_doubt_are_left_empty(exported):
    kinds_seen = set()
    for name, kind in exported["injected"].items():
        row, printed = exported["default"][name], exported["all"][name]
        dropped = _expected_dropped(kind)
        kinds_seen.add(kind)
        assert set(filter(None, (row["figures_dropped"] or "").split(","))) == dropped, (name, kind, row)
        for group, columns in GROUP_COLUMNS.items():
            for col in columns:
                if group in dropped:
                    assert row[col] is None, (name, kind, col)
                else:
                    assert row[col] == printed[col], (name, kind, col)
    assert kinds_seen >= set(INJECTED_ERRORS) | set(INJECTED_INCONSISTENCIES)


def test_disclosure_slips_and_families_keep_every_figure(exported):
    slips = [n for n, k in exported["injected"].items() if INJECTED_ERRORS.get(k) == "" and k not in INFO_ONLY]
    assert len(slips) >= 5
    for name in slips:
        row = exported["default"][name]
        assert row["figures_dropped"] is None and row["disclosure_defects"] >= 1, (name, row)
    family_rows = [r for (corpus, _), r in exported["default"].items() if corpus == "families"]
    accounts = [f for f in FAMILIES if not f.startswith("budget")]  # a 预算 disclosure is not a department-year
    assert len(family_rows) == len(accounts), sorted(exported["default"])
    for row in family_rows:
        assert row["figures_dropped"] is None, row
