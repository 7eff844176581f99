"""The manifest's optional department_id column: a stable department key set by the user, written
to documents.manifest_department_id, counted as a manifest override, and changed without re-parsing."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_fakes import calls, calls_log, fake_parse, fake_pdf

from etl.batch import pipeline
from etl.batch.manifest import ManifestError, Override, apply_override, load_manifest
from etl.batch.pipeline import BatchOptions, BatchResult, run_batch
from etl.parsing.metadata import department_type
from etl.schema import DOCUMENTS


def _manifest(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    csv = tmp_path / "manifest.csv"
    csv.write_text(text, encoding=encoding)
    return csv


def test_department_id_column_is_read_and_an_empty_cell_is_none(tmp_path: Path) -> None:
    csv = _manifest(tmp_path, "file,department_id,year\na.pdf,  pt-shgzb \nb.pdf,,2020\nc.pdf,普陀/社会工作部,\n",
                    encoding="gb18030")
    assert load_manifest(csv) == {
        "a.pdf": Override(department_id="pt-shgzb"),
        "b.pdf": Override(year=2020),
        "c.pdf": Override(department_id="普陀/社会工作部"),
    }


def test_an_unknown_column_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="department_id"):  # the message lists the accepted columns
        load_manifest(_manifest(tmp_path, "file,dept_id\na.pdf,x\n"))


def test_department_id_alone_is_a_manifest_override() -> None:
    row = {"doc_id": "d", "region": "上海市普陀区", "department": "中共上海市普陀区委社会工作部",
           "department_type": "社会工作部", "year": 2024, "metadata_source": "document"}
    got = apply_override(row, Override(department_id="pt-shgzb"), department_type)
    assert got["manifest_department_id"] == "pt-shgzb"
    assert got["metadata_source"] == "manifest"
    kept = ("region", "department", "department_type", "year")
    assert {k: got[k] for k in kept} == {k: row[k] for k in kept}
    assert "manifest_department_id" not in apply_override(row, Override(year=2023), department_type)


def test_schema_declares_the_column() -> None:
    column = next(c for c in DOCUMENTS.columns if c.name == "manifest_department_id")
    assert column.nullable and "manifest" in column.description


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+1")
    return calls_log(tmp_path / "raw")


def _run(raw: Path, out: Path, manifest: Path | None = None) -> BatchResult:
    options = BatchOptions(raw, out, progress=False, jobs=1, timeout=30,
                           manifest=load_manifest(manifest) if manifest else {})
    return run_batch(options, parser=fake_parse)


def _documents(out: Path) -> dict[str, dict]:
    return {row["source_file"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}


def test_department_id_reaches_the_parquet_and_an_edit_needs_no_reparse(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "sub/a.pdf")
    fake_pdf(raw / "b.pdf")
    _run(raw, out)
    docs = _documents(out)
    assert docs["sub/a.pdf"]["manifest_department_id"] is None and docs["b.pdf"]["manifest_department_id"] is None

    csv = _manifest(tmp_path, "file,department_id\nsub\\a.pdf,tianhe/finance\nb.pdf,\n")
    result = _run(raw, out, csv)
    assert result.wrote_output and len(calls(log)) == 2  # the output is rebuilt, nothing re-parsed
    a, b = _documents(out)["sub/a.pdf"], _documents(out)["b.pdf"]
    assert (a["manifest_department_id"], a["metadata_source"]) == ("tianhe/finance", "manifest")
    assert a["department"] == "广州市天河区财政局"  # what the PDF said is kept
    assert b["manifest_department_id"] is None

    csv.write_text("file,department_id\nsub/a.pdf,tianhe/czj\n", encoding="utf-8")
    result = _run(raw, out, csv)  # only the department_id changed: the build fingerprint sees it
    assert result.wrote_output and len(calls(log)) == 2
    assert _documents(out)["sub/a.pdf"]["manifest_department_id"] == "tianhe/czj"
    assert _documents(out)["b.pdf"]["metadata_source"] == "document"
