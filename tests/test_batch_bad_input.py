"""Bad input of every kind, through the real parser, in one batch with good real PDFs: each bad
file becomes a `failed` documents row with a clear error, the good files are parsed in full."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from etl.cli import main
from etl.schema import TABLES

#: bad file -> what its error must say
EXPECTED_ERRORS = {
    "bad/zero-bytes.pdf": r"^empty file \(0 bytes\)$",
    "bad/random-bytes.pdf": r"^not a PDF: no %PDF- header",
    "bad/error-page.pdf": r"^not a PDF, an HTML page",
    "bad/encrypted.pdf": r"encrypted|password",
    "bad/scanned.pdf": r"not a final-accounts report",  # read by OCR: noise, no 决算 title, no table
    "bad/truncated-head.pdf": r"not a PDF|damaged|unreadable|truncated",
}


def _encrypted(source: Path, target: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(target, "wb") as fh:
        writer.write(fh)


def _scanned(target: Path) -> None:
    """Two pages that are only pictures of noise: no text layer, and nothing OCR can read as a report."""
    rng = random.Random(7)
    image = Image.new("L", (300, 400), 255)
    image.putdata([255 if rng.random() > 0.1 else 0 for _ in range(300 * 400)])
    c = canvas.Canvas(str(target), pagesize=A4)
    for _ in range(2):
        c.drawImage(ImageReader(image), 50, 100, width=480, height=640)
        c.showPage()
    c.save()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, real_pdfs: dict[str, Path]) -> Path:
    raw = tmp_path_factory.mktemp("corpus") / "raw"
    (raw / "bad").mkdir(parents=True)
    (raw / "good").mkdir()
    shutil.copy(real_pdfs["finance"], raw / "good/finance.pdf")
    shutil.copy(real_pdfs["social"], raw / "good/social.PDF")
    data = real_pdfs["finance"].read_bytes()
    (raw / "bad/zero-bytes.pdf").write_bytes(b"")
    (raw / "bad/random-bytes.pdf").write_bytes(random.Random(1).randbytes(20_000))
    (raw / "bad/error-page.pdf").write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    (raw / "bad/truncated-head.pdf").write_bytes(data[:1500])
    (raw / "bad/truncated-half.pdf").write_bytes(data[: len(data) // 2])
    _encrypted(real_pdfs["social"], raw / "bad/encrypted.pdf")
    _scanned(raw / "bad/scanned.pdf")
    return raw


@pytest.fixture(scope="module")
def output(corpus: Path) -> Path:
    out = corpus.parent / "out"
    assert main(["etl", str(corpus), "--out", str(out), "--jobs", "2", "--timeout", "300"]) == 0
    return out


def _documents(out: Path) -> dict[str, dict]:
    return {d["source_file"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}


def test_every_file_has_a_documents_row(output: Path, corpus: Path) -> None:
    files = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file()}
    assert set(_documents(output)) == files


@pytest.mark.parametrize("source_file", sorted(EXPECTED_ERRORS))
def test_bad_file_fails_with_a_clear_error(output: Path, source_file: str) -> None:
    document = _documents(output)[source_file]
    assert document["status"] == "failed"
    assert re.search(EXPECTED_ERRORS[source_file], document["error"], re.IGNORECASE), document["error"]


def test_half_a_pdf_is_failed_or_partial_with_a_reason(output: Path) -> None:
    document = _documents(output)["bad/truncated-half.pdf"]
    assert document["status"] in {"failed", "partial"}
    assert document["error"]


def test_failed_documents_have_no_figure_rows(output: Path) -> None:
    failed = {d["doc_id"] for d in _documents(output).values() if d["status"] == "failed"}
    assert len(failed) >= len(EXPECTED_ERRORS)
    for name in TABLES:
        if name != "documents":
            ids = set(pq.read_table(output / f"{name}.parquet", columns=["doc_id"]).column("doc_id").to_pylist())
            assert not ids & failed, name


def test_good_files_in_the_same_batch_are_parsed(output: Path) -> None:
    documents = _documents(output)
    summary = pq.read_table(output / "summary_items.parquet").to_pylist()
    found = pq.read_table(output / "tables_found.parquet").to_pylist()
    for source_file in ("good/finance.pdf", "good/social.PDF"):
        document = documents[source_file]
        assert document["status"] == "ok", document["error"]
        assert document["doc_kind"] == "final_accounts" and document["pages"] > 10
        assert sum(r["doc_id"] == document["doc_id"] for r in summary) >= 7
        assert sum(r["doc_id"] == document["doc_id"] for r in found) >= 7
