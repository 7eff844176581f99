"""The batch's mechanics with a stand-in parser: parallel failure isolation, time limit, crash,
incremental re-runs, doc_kind filtering, manifest, atomic output. Parsing itself is tested with
the real parser in test_batch_bad_input.py.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_fakes import calls, calls_log, documents, fake_pdf
from batch_fakes import run_fake as run

from etl.batch import pipeline
from etl.batch.manifest import load_manifest
from etl.schema import TABLES


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+1")
    return calls_log(tmp_path / "raw")


def table(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / f"{name}.parquet").to_pylist()


def test_failures_of_every_kind_stay_with_their_document(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "good.pdf")
    fake_pdf(raw / "a/hang.pdf", "SLEEP")
    fake_pdf(raw / "a/crash.pdf", "CRASH")
    fake_pdf(raw / "b/bug.pdf", "RAISE")
    fake_pdf(raw / "b/locked.pdf", "DOCERR")
    fake_pdf(raw / "b/badcol.pdf", "BADCOL")
    fake_pdf(raw / "z/good2.PDF")
    start = time.monotonic()
    result = run(raw, out, timeout=3)
    assert time.monotonic() - start < 60, "the hung document held up the batch"
    docs = documents(out)
    assert {k: d["status"] for k, d in docs.items()} == {
        "good.pdf": "ok", "z/good2.PDF": "ok", "a/hang.pdf": "failed", "a/crash.pdf": "failed",
        "b/bug.pdf": "failed", "b/locked.pdf": "failed", "b/badcol.pdf": "failed",
    }
    assert docs["a/hang.pdf"]["error"] == "timed out after 3 s; its worker was stopped"
    assert "worker process died" in docs["a/crash.pdf"]["error"]
    assert "SIGKILL" in docs["a/crash.pdf"]["error"]
    assert docs["b/bug.pdf"]["error"] == "parser error: ZeroDivisionError: a parser bug"
    assert docs["b/locked.pdf"]["error"] == "encrypted: a password is needed to open this PDF"
    assert "colour" in docs["b/badcol.pdf"]["error"] and "etl.schema" in docs["b/badcol.pdf"]["error"]
    good = {docs["good.pdf"]["doc_id"], docs["z/good2.PDF"]["doc_id"]}
    assert {r["doc_id"] for r in table(out, "summary_items")} == good
    assert (result.totals.ok, result.totals.failed) == (2, 5)
    assert result.totals.tables_found == 2 and result.totals.checks_failed == 2


def test_documents_row_has_batch_columns(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    pdf = fake_pdf(raw / "sub/文件.pdf")
    run(raw, out)
    row = documents(out)["sub/文件.pdf"]
    import hashlib

    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert row["sha256"] == sha and row["doc_id"] == sha[:16]
    assert row["file_bytes"] == pdf.stat().st_size
    assert row["parser_version"] == "test+1" and row["parse_seconds"] >= 0
    assert row["metadata_source"] == "document"
    assert table(out, "summary_items")[0]["amount"] == Decimal("1234.50")
    assert {r["doc_id"] for r in table(out, "checks")} == {sha[:16]}


def test_not_final_accounts_keeps_only_its_documents_row(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "budget.pdf", "BUDGET")
    run(raw, out)
    assert documents(out)["budget.pdf"]["doc_kind"] == "budget"
    assert documents(out)["budget.pdf"]["status"] == "ok"
    for name in TABLES:
        if name != "documents":
            assert table(out, name) == [], name


def test_rerun_with_nothing_new_parses_nothing_and_keeps_output(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    for i in range(4):
        fake_pdf(raw / f"d{i}.pdf")
    run(raw, out)
    assert len(calls(log)) == 4
    before = (out / "documents.parquet").stat().st_mtime_ns
    start = time.monotonic()
    result = run(raw, out)
    assert time.monotonic() - start < 5
    assert len(calls(log)) == 4, "an unchanged document was parsed again"
    assert result.parsed == 0 and not result.wrote_output
    assert (out / "documents.parquet").stat().st_mtime_ns == before
    assert result.totals.documents == 4 and result.totals.ok == 4


def test_changed_file_is_reparsed_and_its_old_rows_dropped(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "keep.pdf")
    changing = fake_pdf(raw / "change.pdf")
    run(raw, out)
    old_id = documents(out)["change.pdf"]["doc_id"]
    fake_pdf(changing, salt="second edition")
    result = run(raw, out)
    assert calls(log)[2:] == ["change.pdf"]
    assert (result.new, result.changed, result.parsed) == (0, 1, 1)
    new_id = documents(out)["change.pdf"]["doc_id"]
    assert new_id != old_id
    assert old_id not in {r["doc_id"] for r in table(out, "summary_items")}
    assert new_id in {r["doc_id"] for r in table(out, "summary_items")}
    assert not (out / ".cache/fragments/test+1" / old_id).exists()


def test_removed_file_is_dropped_without_parsing(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "keep.pdf")
    gone = fake_pdf(raw / "gone.pdf")
    run(raw, out)
    gone_id = documents(out)["gone.pdf"]["doc_id"]
    gone.unlink()
    result = run(raw, out)
    assert len(calls(log)) == 2 and result.removed == 1 and result.wrote_output
    assert set(documents(out)) == {"keep.pdf"}
    assert gone_id not in {r["doc_id"] for r in table(out, "summary_items")}
    assert not (out / ".cache/fragments/test+1" / gone_id).exists()


def test_renamed_file_updates_source_file_without_parsing(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    pdf = fake_pdf(raw / "old-name.pdf")
    run(raw, out)
    pdf.rename(raw / "new-name.pdf")
    run(raw, out)
    assert len(calls(log)) == 1
    assert set(documents(out)) == {"new-name.pdf"}


def test_new_parser_version_reparses_everything(tmp_path: Path, log: Path, monkeypatch) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    fake_pdf(raw / "b.pdf")
    run(raw, out)
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+2")
    result = run(raw, out)
    assert len(calls(log)) == 4 and result.reparsed_for_new_parser == 2
    assert {d["parser_version"] for d in documents(out).values()} == {"test+2"}
    assert not (out / ".cache/fragments/test+1").exists()


def test_duplicate_bytes_are_one_document(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf", salt="same")
    fake_pdf(raw / "copy/a.pdf", salt="same")
    result = run(raw, out)
    assert set(documents(out)) == {"a.pdf"}
    assert result.duplicates == [("copy/a.pdf", "a.pdf")]


def test_manifest_overrides_metadata_without_reparsing(tmp_path: Path, log: Path) -> None:
    from etl.parsing.metadata import department_type

    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "x/odd.pdf")
    fake_pdf(raw / "plain.pdf")
    run(raw, out)
    csv = tmp_path / "manifest.csv"
    csv.write_text("file,region,department,year\nx\\odd.pdf,上海市普陀区,上海市普陀区教育局,2024\n"
                   "missing.pdf,,,2020\n", encoding="gb18030")
    result = run(raw, out, manifest=load_manifest(csv))
    assert len(calls(log)) == 2 and result.wrote_output
    assert result.unused_manifest == ["missing.pdf"]
    odd, plain = documents(out)["x/odd.pdf"], documents(out)["plain.pdf"]
    assert (odd["region"], odd["department"], odd["year"]) == ("上海市普陀区", "上海市普陀区教育局", 2024)
    assert odd["metadata_source"] == "manifest"
    assert odd["department_type"] == department_type("上海市普陀区教育局", "上海市普陀区")
    assert odd["department_type"] != "财政局"
    assert plain["metadata_source"] == "document" and plain["department"] == "广州市天河区财政局"


def test_failure_while_writing_output_leaves_previous_output(tmp_path: Path, log: Path, monkeypatch) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    run(raw, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    assert len(before) == len(TABLES)
    fake_pdf(raw / "b.pdf")
    from etl.batch import writer

    real_append = writer.StreamingParquetWriter.append
    appended = []

    def crash_midway(self, tbl):
        appended.append(self.path.name)
        if len(appended) > 3:
            raise OSError(28, "No space left on device")
        real_append(self, tbl)

    monkeypatch.setattr(writer.StreamingParquetWriter, "append", crash_midway)
    with pytest.raises(OSError, match="No space"):
        run(raw, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before
    assert not list(out.glob(".tmp-*")), "the staged output was not cleaned up"
    monkeypatch.setattr(writer.StreamingParquetWriter, "append", real_append)
    run(raw, out)
    assert set(documents(out)) == {"a.pdf", "b.pdf"}


def test_timed_out_document_is_retried_only_under_a_longer_limit(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "hang.pdf", "SLEEP")
    fake_pdf(raw / "good.pdf")
    run(raw, out, timeout=1)
    assert sorted(calls(log)) == ["good.pdf", "hang.pdf"]
    assert run(raw, out, timeout=1).parsed == 0
    result = run(raw, out, timeout=2)
    assert result.parsed == 1 and calls(log)[2:] == ["hang.pdf"]
    assert documents(out)["hang.pdf"]["error"] == "timed out after 2 s; its worker was stopped"
    assert run(raw, out, timeout=2).parsed == 0
