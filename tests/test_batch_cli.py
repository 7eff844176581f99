"""`juesuan etl` as a command: exit codes, --strict, usage errors, the closing summary."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.cli import main
from tests.pdf_fixtures import cover, write_pdf


def etl(*args: str) -> int:
    return main(["etl", *map(str, args)])


@pytest.fixture
def raw_with_failure(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.pdf").write_bytes(b"")
    return raw


def test_strict_exits_1_when_a_document_failed(raw_with_failure: Path, tmp_path: Path, capsys) -> None:
    assert etl(raw_with_failure, "--out", tmp_path / "out", "--strict") == 1
    out = capsys.readouterr().out
    assert "documents: 1 (0 ok, 0 partial, 1 failed)" in out
    assert "failed: empty.pdf: empty file (0 bytes)" in out


def test_without_strict_failed_documents_exit_0(raw_with_failure: Path, tmp_path: Path) -> None:
    assert etl(raw_with_failure, "--out", tmp_path / "out") == 0
    rows = pq.read_table(tmp_path / "out/documents.parquet").to_pylist()
    assert [(r["source_file"], r["status"]) for r in rows] == [("empty.pdf", "failed")]


def test_strict_exits_0_when_nothing_failed(tmp_path: Path, capsys) -> None:
    (tmp_path / "raw").mkdir()
    write_pdf(tmp_path / "raw" / "cover.pdf", [cover("广州市天河区财政局", 2022)])  # read, though partly
    assert etl(tmp_path / "raw", "--out", tmp_path / "out", "--strict") == 0
    assert "0 failed)" in capsys.readouterr().out
    assert pq.read_table(tmp_path / "out/documents.parquet").num_rows == 1


def test_an_empty_raw_folder_is_refused_before_anything_is_written(tmp_path: Path, capsys) -> None:
    (tmp_path / "raw").mkdir()
    assert etl(tmp_path / "raw", "--out", tmp_path / "out", "--strict") == 2
    assert "no input files in RAW_DIR" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_second_run_says_output_unchanged(raw_with_failure: Path, tmp_path: Path, capsys) -> None:
    etl(raw_with_failure, "--out", tmp_path / "out")
    capsys.readouterr()
    etl(raw_with_failure, "--out", tmp_path / "out")
    assert "parsed: 0 · output unchanged" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["{tmp}/nowhere"], "RAW_DIR {tmp}/nowhere does not exist"),
    (["{tmp}/file.csv"], "is neither a folder nor an input file"),
    (["{tmp}/raw", "--out", "{tmp}/file.pdf"], "exists and is not a folder"),
    (["{tmp}/raw", "--out", "{tmp}/raw"], "must not be RAW_DIR itself"),
    (["{tmp}/raw", "--manifest", "{tmp}/missing.csv"], "cannot read manifest"),
    (["{tmp}/raw", "--manifest", "{tmp}/bad-header.csv"], "unknown: district"),
    (["{tmp}/raw", "--manifest", "{tmp}/bad-year.csv"], "line 2: year '17年'"),
])
def test_usage_errors_exit_2(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "file.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "file.csv").write_text("file,year\n")
    (tmp_path / "raw" / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "bad-header.csv").write_text("file,district\na.pdf,x\n")
    (tmp_path / "bad-year.csv").write_text("file,year\na.pdf,17年\n")
    assert etl(*(a.format(tmp=tmp_path) for a in args)) == 2
    assert message.format(tmp=tmp_path) in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--jobs", "0"], ["--jobs", "many"], ["--timeout", "0"],
                                    ["--timeout", "soon"], ["--no-such-option"]])
def test_bad_options_exit_2(tmp_path: Path, option: list[str]) -> None:
    (tmp_path / "raw").mkdir()
    with pytest.raises(SystemExit) as exc:
        etl(tmp_path / "raw", *option)
    assert exc.value.code == 2
