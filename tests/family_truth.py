"""Scoring the ETL's Parquet against generated truth JSONs beyond what the shared scorer reads.

The shared scorer (../shared/tools/score_fidelity.py) matches a truth record to `documents` by sha256
and takes the first document; a volume holding several reports has one sha256 and several documents.
`score_with_shared_scorer` therefore gives the scorer, per report, a copy of the Parquet holding that
report's rows only (tests/doc_scoring.py). `extra_misses` checks the truth keys the families added (doc_kind,
template, report_scope, companion files, 三公 source, the all-funds table, year-on-year statements,
unknown tables), which the shared scorer ignores.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from etl.normalise import compact
from tests.doc_scoring import score_document


def run_etl(raw: Path, out: Path, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    """`juesuan etl raw --out out --jobs 2` as a user runs it; its exit code must be one of `ok` (1: a corpus holding
    a document that fails on purpose)."""
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode in ok, proc.stderr[-3000:]
    return proc


def by_truth_key(raw: Path, out: Path, key: str, names: set[str]) -> dict[str, tuple[dict, dict]]:
    """The truth key's value (a family's variant name) -> (truth, documents row); every name in `names` present."""
    docs = {d["sha256"]: d for d in read(out, "documents")}
    by = {r[key]: (r, docs[r["sha256"]]) for r in truths(raw).values()}
    assert set(by) == names
    return by


def truths(folder: Path) -> dict[str, dict]:
    """Every truth JSON under folder (by its file name)."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("*.json"))}


def read(parquet: Path, table: str) -> list[dict]:
    path = parquet / f"{table}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


def document_of(docs: list[dict], truth: dict) -> dict | None:
    """The documents row a truth record describes: same bytes, same report within the file."""
    same = [d for d in docs if d["sha256"] == truth["sha256"]]
    part = truth.get("report_part") or 1
    return next((d for d in same if (d.get("report_part") or 1) == part), None)


def score_with_shared_scorer(parquet: Path, truth_dir: Path, shared: Path, work: Path) -> tuple[float, str]:
    """The shared scorer's ratio over every truth record (volumes scored report by report) and its output."""
    docs = read(parquet, "documents")
    hits = total = 0
    outputs = []
    for path in sorted(truth_dir.rglob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        doc = document_of(docs, truth)
        if doc is None:
            outputs.append(f"MISS {path.name}: no document for sha256 {truth['sha256'][:12]} part "
                           f"{truth.get('report_part') or 1}")
            total += 1
            continue
        proc = score_document(shared, parquet, doc["doc_id"], doc["sha256"], path, work / path.stem)
        last = proc.stdout.strip().splitlines()[-1]  # fidelity: H/T = r over N documents
        got, of = last.split(":")[1].split("=")[0].strip().split("/")
        hits, total = hits + int(got), total + int(of)
        outputs.append(proc.stdout)
    return (hits / total if total else 0.0), "\n".join(outputs)


def _amount(x) -> Decimal | None:
    return None if x is None else Decimal(str(x)).quantize(Decimal("0.01"))


def extra_misses(parquet: Path, truth_dir: Path) -> list[str]:
    """What the Parquet gets wrong of the families' truth keys, one line per miss."""
    docs = read(parquet, "documents")
    by_file = {d["source_file"].rsplit("/", 1)[-1]: d for d in docs if (d.get("report_part") or 1) == 1}
    tables = {name: read(parquet, name)
              for name in ("tables_found", "sangong", "function_expenditure", "item_yoy", "related_costs",
                           "budget_execution")}
    misses: list[str] = []
    for name, truth in truths(truth_dir).items():
        doc = document_of(docs, truth)
        if doc is None:
            misses.append(f"{name}: no document")
            continue

        def miss(what: str, want, got) -> None:
            misses.append(f"{name}: {what}: expected {want!r}, got {got!r}")  # noqa: B023 - used at once

        for key in ("doc_kind", "template", "report_scope", "report_form", "body_kind", "scope_printed"):
            if key in truth and truth[key] != doc.get(key):
                miss(key, truth[key], doc.get(key))
        if truth.get("companion_of"):
            companion = by_file.get(truth["companion_of"])
            if not companion or doc.get("companion_of") != companion["doc_id"]:
                miss("companion_of", truth["companion_of"], doc.get("companion_of"))
        rows = {t: [r for r in tables[t] if r["doc_id"] == doc["doc_id"]] for t in tables}
        _sangong(truth, rows["sangong"], miss)
        _fiscal(truth, rows["function_expenditure"], miss)
        _yoy(truth, rows["item_yoy"], miss)
        _related(truth, rows["related_costs"], miss)
        _sangong_items(truth, rows["budget_execution"], miss)
        others = sorted(r["title"] for r in rows["tables_found"] if r["table_key"] == "other")
        if "other_tables" in truth and sorted(compact(t) for t in truth["other_tables"]) != others:
            miss("other_tables", sorted(truth["other_tables"]), others)
    return misses


def _sangong(truth: dict, rows: list[dict], miss) -> None:
    if "sangong_source" not in truth:
        return
    if truth.get("sangong") is None:
        if rows:
            miss("sangong rows of a report stating no 三公", 0, len(rows))
        return
    sources = {r["source"] for r in rows}
    if sources != {truth["sangong_source"]}:
        miss("sangong.source", truth["sangong_source"], sources)


def _fiscal(truth: dict, rows: list[dict], miss) -> None:
    fiscal = [r for r in rows if r["table_key"] == "fiscal_expenditure"]
    total = next((r for r in fiscal if r["level"] == "total"), {})
    for col, want in (truth.get("fiscal_expenditure_total_row") or {}).items():
        if _amount(want) != _amount(total.get(col)):
            miss(f"fiscal_expenditure 合计 {col}", want, total.get(col))
    by_code = {r["code"]: r for r in fiscal}
    for item in truth.get("fiscal_items") or []:
        got = by_code.get(item["code"], {})
        for col in ("total", "basic", "project"):
            if _amount(item[col]) != _amount(got.get(col)):
                miss(f"fiscal_expenditure {item['code']} {col}", item[col], got.get(col))


def _yoy(truth: dict, rows: list[dict], miss) -> None:
    items = {r["path"]: r for r in rows if r["scope"] == "item"}
    for want in truth.get("item_yoy") or []:
        got = items.get(want["path"], {})
        for col in ("actual", "prior_actual", "change", "change_pct"):
            if col in want and _amount(want[col]) != _amount(got.get(col)):
                miss(f"item_yoy {want['path']} {col}", want[col], got.get(col))
    want = truth.get("total_yoy")
    if want:
        got = next((r for r in rows if r["scope"] == "total"), {})
        for col in ("actual", "change", "change_pct"):
            if col in want and _amount(want[col]) != _amount(got.get(col)):
                miss(f"total_yoy {col}", want[col], got.get(col))


def _sangong_items(truth: dict, rows: list[dict], miss) -> None:
    """budget_execution scope sangong_item: exactly the truth's items, each with its printed rate, basis and
    difference."""
    if "sangong_item_execution" not in truth:
        return
    fields = ("completion_pct", "budget_basis", "budget_difference")

    def key(r: dict) -> tuple:
        return tuple(_amount(r[f]) if f != "budget_basis" else r[f] for f in fields)

    want = {r["item"]: key(r) for r in truth["sangong_item_execution"]}
    got = {r["path"]: key(r) for r in rows if r["scope"] == "sangong_item"}
    if want != got:
        miss("sangong_item statements (rate, basis, difference)", sorted(want.items(), key=str),
             sorted(got.items(), key=str))


def _related(truth: dict, rows: list[dict], miss) -> None:
    """related_costs: exactly the truth's (item, fund) rows with their budget and actual."""
    if "related_costs" not in truth:
        return
    want = {(r["item"], r["fund"]): (_amount(r["budget"]), _amount(r["actual"])) for r in truth["related_costs"]}
    got = {(r["item"], r["fund"]): (_amount(r["budget"]), _amount(r["actual"])) for r in rows}
    if want != got:
        miss("related_costs", sorted(want.items(), key=str), sorted(got.items(), key=str))
