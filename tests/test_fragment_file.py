"""A document's fragment is one file holding all its tables (etl.batch.fragments), and to_arrow's one-call NFC
check of a text column (etl.batch.writer) gives what checking value by value gave."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc
import pytest
from batch_fakes import calls, calls_log, documents, fake_pdf
from batch_fakes import run_fake as run

from etl.batch import pipeline
from etl.batch.fragments import TABLES_FILE, Fragment, write_tables
from etl.batch.writer import SchemaViolation, to_arrow


def write_ipc(path: Path, table: pa.Table) -> None:
    """One table as its own Arrow IPC file: the fragment layout before one file held all of a document's tables."""
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+1")
    return calls_log(tmp_path / "raw")


def _fragment_dirs(out: Path) -> list[Path]:
    return sorted(p for p in (out / ".cache/fragments/test+1").iterdir() if p.is_dir())


def test_a_fragment_file_gives_back_every_table_as_written(tmp_path: Path) -> None:
    tables = {
        "documents": to_arrow("documents", [{"doc_id": "d", "source_file": "a.pdf", "sha256": "", "status": "ok"}]),
        "sangong": to_arrow("sangong", [{"doc_id": "d", "item": "total", "budget": Decimal("1.5"), "page": 1}] * 3),
        "checks": to_arrow("checks", []),
    }
    write_tables(tmp_path / TABLES_FILE, tables)
    fragment = Fragment.read(tmp_path / TABLES_FILE)
    assert fragment.names == list(tables) and "sangong" in fragment and "counts" not in fragment
    for name, table in tables.items():
        back = fragment.table(name)
        assert back.equals(table) and back.schema.equals(table.schema, check_metadata=True)
    with pytest.raises(KeyError):
        fragment.table("counts")


def test_a_cut_short_fragment_file_is_refused(tmp_path: Path) -> None:
    write_tables(tmp_path / TABLES_FILE, {"documents": to_arrow("documents", [
        {"doc_id": "d", "source_file": "a.pdf", "sha256": "", "status": "ok"}])})
    data = (tmp_path / TABLES_FILE).read_bytes()
    (tmp_path / TABLES_FILE).write_bytes(data[:-10])
    with pytest.raises(ValueError):
        Fragment.read(tmp_path / TABLES_FILE)


def test_a_fragment_folder_of_the_older_layout_is_parsed_again(tmp_path: Path, log: Path) -> None:
    """A cache written when each table was its own file: not taken for a fragment, parsed again and replaced."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    run(raw, out)
    before = documents(out)
    [folder] = _fragment_dirs(out)
    fragment = Fragment.read(folder / TABLES_FILE)
    for name in fragment.names:
        write_ipc(folder / f"{name}.arrow", fragment.table(name))
    (folder / TABLES_FILE).unlink()
    run(raw, out)
    assert len(calls(log)) == 2
    assert (folder / TABLES_FILE).exists() and not list(folder.glob("*.arrow"))
    after = documents(out)
    assert {k: {c: v for c, v in d.items() if c != "parse_seconds"} for k, d in after.items()} == \
        {k: {c: v for c, v in d.items() if c != "parse_seconds"} for k, d in before.items()}


def test_an_older_layout_folder_of_a_removed_file_is_pruned(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    run(raw, out)
    stray = out / ".cache/fragments/test+1/00000000deadbeef"
    stray.mkdir()
    write_ipc(stray / "documents.arrow", to_arrow("documents", [
        {"doc_id": "00000000deadbeef", "source_file": "gone.pdf", "sha256": "", "status": "ok"}]))
    run(raw, out)
    assert not stray.exists() and len(_fragment_dirs(out)) == 1


def test_a_text_column_mixing_nfc_and_decomposed_values_is_normalised_value_by_value() -> None:
    details = ["总计", None, "e\u0301", "\u0301", "abc"]  # one decomposed é; a lone combining mark is NFC
    table = to_arrow("checks", [{"doc_id": "d", "check_id": "x", "status": "pass", "detail": d} for d in details])
    assert table.column("detail").to_pylist() == ["总计", None, "\u00e9", "\u0301", "abc"]


@pytest.mark.parametrize("value", [b"bytes", 5, Decimal("1")])
def test_a_text_column_with_a_value_that_is_not_text_is_rejected(value: object) -> None:
    rows = [{"doc_id": "d", "check_id": "x", "status": "pass", "detail": "fine"},
            {"doc_id": "d", "check_id": "x", "status": "pass", "detail": value}]
    with pytest.raises(SchemaViolation, match="expected text"):
        to_arrow("checks", rows)


def test_amounts_of_every_kind_round_as_before() -> None:
    rows = [{"doc_id": "d", "item": "total", "budget": b, "page": 1}
            for b in (Decimal("0.125"), Decimal("-0.125"), Decimal("-0"), 1.005, 7, Decimal("1E+2"), None)]
    assert to_arrow("sangong", rows).column("budget").to_pylist() == [
        Decimal("0.13"), Decimal("-0.13"), Decimal("-0.00"), Decimal("1.01"), Decimal("7.00"), Decimal("100.00"), None]
    assert to_arrow("sangong", rows).column("budget").type == pa.decimal128(18, 2)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), True])
def test_an_amount_that_is_not_a_finite_number_is_rejected_in_a_column_of_decimals(value: object) -> None:
    """The column's finite Decimals are rounded in one loop; any other value still goes through `_decimal`."""
    rows = [{"doc_id": "d", "item": "total", "budget": b, "page": 1} for b in (Decimal("1.5"), None, value)]
    with pytest.raises(SchemaViolation, match="sangong.budget"):
        to_arrow("sangong", rows)
