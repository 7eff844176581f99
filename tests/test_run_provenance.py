"""Provenance: every row of the output traces to its document (doc_id), the page it was read from
and the parser version; a parser upgrade re-parses documents parsed by an older version.
Real PDFs through the real parser, via `juesuan run`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

from etl.batch import pipeline, runs
from etl.batch.fragments import parser_version
from etl.cli import main
from etl.schema import TABLES

#: Tables whose rows are not read from one page: checks compare figures of several tables.
NO_PAGE = {"documents", "checks"}


#: tables the real district reports have no rows for: they compare with budgets, not with last year, and
#: their 三公 tables print no 会议费/培训费/机关运行经费 or other fund (related_costs: test_table_titles.py)
NOT_IN_REAL_REPORTS = {"item_yoy", "related_costs"}


def test_every_row_traces_to_document_page_and_parser_version(real_pdfs, tmp_path: Path, monkeypatch) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for pdf in real_pdfs.values():
        shutil.copy(pdf, raw / pdf.name)
    assert main(["run", str(raw), "--out", str(out), "--no-reports", "--jobs", "2"]) == 0
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    assert {d["parser_version"] for d in documents} == {parser_version()}
    ids = {d["doc_id"] for d in documents}
    for name in TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert set(table.column("doc_id").to_pylist()) <= ids, name
        if name in NO_PAGE:
            continue
        page_columns = [c for c in table.column_names if c in ("page", "first_page", "last_page")]
        assert page_columns, f"{name} has no page column"
        assert table.num_rows > 0 or name in NOT_IN_REAL_REPORTS, name
        for column in page_columns:
            assert table.column(column).null_count == 0, f"{name}.{column} has rows without a page"

    monkeypatch.setattr(pipeline, "parser_version", lambda: "upgraded+1")
    monkeypatch.setattr(runs, "parser_version", lambda: "upgraded+1")
    assert main(["run", str(raw), "--out", str(out), "--no-reports", "--jobs", "2"]) == 0
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    assert {d["parser_version"] for d in documents} == {"upgraded+1"}
    last = runs.read_runs(out)[-1]
    assert (last["documents_parsed"], last["parser_version"]) == (3, "upgraded+1")
