"""Inputs around the PDFs held to clear bounds: the manifest (cell and file size, control characters, empty
rows, the summary's unused lines) and the hash cache (bytes replaced under the old size and mtime)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_fakes import calls, calls_log, fake_parse, fake_pdf

from etl.batch import manifest as manifest_module
from etl.batch import pipeline
from etl.batch.cli import summary
from etl.batch.manifest import MAX_CELL, ManifestError, Override, apply_override, load_manifest
from etl.batch.pipeline import BatchOptions, run_batch
from etl.cli import main


def etl(*args: object) -> int:
    return main(["etl", *map(str, args)])


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path / "raw"


@pytest.mark.parametrize("content, message", [
    ("file,region\na.pdf," + "区" * 200_000 + "\n", "line 2: not readable as CSV (field larger than field limit"),
    ("file,region\na.pdf," + "区" * (MAX_CELL + 1) + "\n", f"cell of {MAX_CELL + 1:,} characters"),
    ("file,region\na.pdf,a\0b\n", r"line 2, column 'region': control character '\x00'"),
    ('file,department\na.pdf,"财政局\n教育局"\n', r"column 'department': control character '\n'"),
    ("file,region\na\x1b[2J.pdf,x\n", r"column 'file': control character '\x1b'"),
])
def test_a_bad_manifest_cell_exits_2_naming_row_and_column(raw: Path, tmp_path: Path, capsys, content: str,
                                                           message: str) -> None:
    (tmp_path / "m.csv").write_text(content, encoding="utf-8")
    assert etl(raw, "--out", tmp_path / "out", "--manifest", tmp_path / "m.csv") == 2
    assert message in capsys.readouterr().err


def test_an_oversized_manifest_file_exits_2(raw: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(manifest_module, "MAX_BYTES", 1000)
    (tmp_path / "m.csv").write_text("file,year\n" + "a.pdf,2020\n" * 200)
    assert etl(raw, "--out", tmp_path / "out", "--manifest", tmp_path / "m.csv") == 2
    assert "more than 0 MB; is it the right file?" in capsys.readouterr().err


def test_too_many_manifest_rows_is_an_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(manifest_module, "MAX_ROWS", 3)
    (tmp_path / "m.csv").write_text("file\n" + "".join(f"{n}.pdf\n" for n in range(4)))
    with pytest.raises(ManifestError, match="more than 3 rows"):
        load_manifest(tmp_path / "m.csv")


def test_an_empty_override_row_keeps_metadata_source_document() -> None:
    row = {"doc_id": "d", "region": "r", "department": "d", "metadata_source": "document"}
    assert apply_override(row, Override(), lambda d, r: "x") == row
    assert apply_override(row, Override(year=2020), lambda d, r: "x")["metadata_source"] == "manifest"


def test_unused_manifest_lines_are_capped_in_the_summary(raw: Path, tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("file\n" + "".join(f"missing-{n}.pdf\n" for n in range(1000)))
    result = run_batch(BatchOptions(raw, tmp_path / "out", progress=False,
                                    manifest=load_manifest(tmp_path / "m.csv")))
    lines = summary(result).splitlines()
    unused = [line for line in lines if line.startswith("manifest: ")]
    assert len(unused) == 20 and lines[-1] == "… and 980 more manifest line(s) match no PDF"


def test_bytes_replaced_under_the_same_size_and_mtime_are_reparsed(tmp_path: Path, monkeypatch) -> None:
    """`cp -p`, `rsync -t`, `touch -r`: other bytes, the old size and mtime. The ctime tells."""
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+1")
    raw, out = tmp_path / "raw", tmp_path / "out"
    pdf = fake_pdf(raw / "a.pdf", salt="first-")
    options = BatchOptions(raw, out, progress=False, jobs=1)
    run_batch(options, parser=fake_parse)
    st = pdf.stat()
    pdf.write_bytes(pdf.read_bytes().replace(b"first-", b"other-"))
    os.utime(pdf, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (pdf.stat().st_size, pdf.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    result = run_batch(options, parser=fake_parse)
    assert result.parsed == 1 and calls(calls_log(raw)) == ["a.pdf", "a.pdf"]
    (row,) = pq.read_table(out / "documents.parquet").to_pylist()
    assert row["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert run_batch(options, parser=fake_parse).parsed == 0
