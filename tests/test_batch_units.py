"""The batch's parts on their own: schema enforcement, atomic output, discovery, manifest."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.batch import discover
from etl.batch.discover import HashCache, Identified, Unreadable, find_pdfs, identify, sniff
from etl.batch.manifest import ManifestError, Override, load_manifest
from etl.batch.writer import SchemaViolation, atomic_output, to_arrow
from etl.schema import AMOUNT

# -- writer --------------------------------------------------------------------------------------


def _sangong(**extra) -> dict:
    return {"doc_id": "d", "item": "total", "budget": Decimal("1.5"), "actual": 2, "page": 3, **extra}


def test_amounts_become_decimal_18_2_rounded_half_up() -> None:
    table = to_arrow("sangong", [_sangong(), _sangong(budget=Decimal("0.125"), actual=1.005)])
    assert table.schema.field("budget").type == AMOUNT == pa.decimal128(18, 2)
    assert table.column("budget").to_pylist() == [Decimal("1.50"), Decimal("0.13")]
    assert table.column("actual").to_pylist() == [Decimal("2.00"), Decimal("1.01")]


def test_text_is_nfc_normalised() -> None:
    decomposed = "e\u0301"  # é as e + combining accent
    table = to_arrow("checks", [{"doc_id": "d", "check_id": "x", "status": "pass", "detail": decomposed}])
    assert table.column("detail").to_pylist() == ["\u00e9"]


@pytest.mark.parametrize("row, message", [
    (_sangong(colour="red"), "colour not declared"),
    ({"doc_id": "d", "budget": 1}, "sangong.item is required"),
    (_sangong(budget="12,3"), "sangong.budget"),
    (_sangong(budget=Decimal("1e20")), "sangong.budget"),
    (_sangong(item=5), "expected text"),
])
def test_rows_outside_the_schema_are_rejected(row: dict, message: str) -> None:
    with pytest.raises(SchemaViolation, match=message):
        to_arrow("sangong", [row])


def test_atomic_output_replaces_only_on_success(tmp_path: Path) -> None:
    (tmp_path / "t.parquet").write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_output(tmp_path) as output:
        pq.write_table(pa.table({"a": [1]}), output.path("t.parquet"))
        raise RuntimeError("killed")
    assert (tmp_path / "t.parquet").read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]
    with atomic_output(tmp_path) as output:
        pq.write_table(pa.table({"a": [1]}), output.path("t.parquet"))
    assert pq.read_table(tmp_path / "t.parquet").column("a").to_pylist() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


# -- discovery -----------------------------------------------------------------------------------


def test_find_pdfs_recursive_any_case_links_and_out_dir(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "a/b").mkdir(parents=True)
    (raw / "a/b/x.PDF").write_bytes(b"%PDF-1.4")
    (raw / "y.pdf").write_bytes(b"%PDF-1.4")
    (raw / "notes.json").write_text("{}")  # a truth file beside the reports: not an input
    (raw / "inside-link.pdf").symlink_to(raw / "y.pdf")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4")
    (raw / "outside-link.pdf").symlink_to(tmp_path / "secret.pdf")
    (raw / "broken.pdf").symlink_to(raw / "gone.pdf")
    (raw / "out").mkdir()
    (raw / "out/old.pdf").write_bytes(b"%PDF-1.4")
    found, unreadable = find_pdfs(raw, exclude=[raw / "out"])
    assert [f.source_file for f in found] == ["a/b/x.PDF", "inside-link.pdf", "y.pdf"]
    assert {u.source_file: u.error for u in unreadable} == {
        "broken.pdf": "broken symbolic link; not read",
        "outside-link.pdf": "symbolic link pointing outside the raw folder; not read",
    }
    assert len({u.doc_id for u in unreadable}) == 2


def test_non_utf8_file_name_is_decoded_as_gb18030(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    name = "财政局决算.pdf".encode("gb18030")
    with open(os.path.join(os.fsencode(raw), name), "wb") as fh:
        fh.write(b"%PDF-1.4")
    found, _ = find_pdfs(raw)
    assert [f.source_file for f in found] == ["财政局决算.pdf"]
    item = identify(found[0], HashCache(tmp_path / "h.parquet"))
    assert isinstance(item, Identified) and item.sniff_error is None


def test_hash_cache_skips_reading_unchanged_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    pdf = raw / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 first")
    cache = HashCache(tmp_path / "h.parquet")
    first = identify(find_pdfs(raw)[0][0], cache)
    cache.save()
    with monkeypatch.context() as m:
        m.setattr(discover, "sha256_file", lambda path: pytest.fail("re-read an unchanged file"))
        again = identify(find_pdfs(raw)[0][0], HashCache(tmp_path / "h.parquet"))
    assert isinstance(again, Identified) and again.sha256 == first.sha256
    pdf.write_bytes(b"%PDF-1.4 second, longer")
    changed = identify(find_pdfs(raw)[0][0], HashCache(tmp_path / "h.parquet"))
    assert changed.sha256 != first.sha256


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.pdf").write_bytes(b"%PDF-1.4")
    source = find_pdfs(raw)[0][0]
    (raw / "a.pdf").unlink()
    item = identify(source, HashCache(tmp_path / "h.parquet"))
    assert isinstance(item, Unreadable) and item.error.startswith("cannot read file")


@pytest.mark.parametrize("head, error", [
    (b"", "empty file (0 bytes)"),
    (b"\x00" * 50 + b"%PDF-1.7", None),
    (b"<html><body>403</body></html>", "not a PDF, an HTML page"),
    (b"PK\x03\x04zip", "not a PDF: no %PDF- header"),
])
def test_sniff(head: bytes, error: str | None) -> None:
    result = sniff(head)
    assert (result is None) if error is None else result.startswith(error)


# -- manifest ------------------------------------------------------------------------------------


def test_manifest_partial_columns_bom_and_paths(tmp_path: Path) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text("\ufefffile,year\n./sub\\a.pdf,2019\nb.pdf,\n", encoding="utf-8")
    assert load_manifest(csv) == {"sub/a.pdf": Override(year=2019), "b.pdf": Override()}


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("region,year\n上海市,2020\n", "expected the column 'file'"),
    ("file,year\na.pdf,1900\n", "line 2: year '1900'"),
    ("file,year\na.pdf,2020\na.pdf,2021\n", "line 3: 'a.pdf' is listed twice"),
    ("file,year\n,2020\n", "line 2: 'file' is empty"),
    ("file,year\na.pdf,2020,extra\n", "line 2: more cells than header columns"),
    ("file,file\na.pdf,b.pdf\n", "each once"),
])
def test_bad_manifest_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_manifest(csv)


def test_manifest_in_neither_encoding(tmp_path: Path) -> None:
    csv = tmp_path / "m.csv"
    csv.write_bytes(b"file\n\xff\xfe\xfa\n")
    with pytest.raises(ManifestError, match="neither UTF-8 nor GB18030"):
        load_manifest(csv)
