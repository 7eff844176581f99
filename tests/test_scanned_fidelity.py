"""Scans and broken text layers through the real ETL, scored by the shared scorer.

The real reports (and generated ones) rendered to image-only PDFs — 200 dpi greyscale, a small skew,
scanner grain; one at 150 dpi — are read by OCR page by page and must score ≥ 0.99 each, with every
figure that is wrong caught by a failing check on its table (never silently off). The real reports
re-distilled by Ghostscript (whose text layer may come out garbled) must score ≥ 0.99 too, and a scanned
page inside a text report is read by OCR alone (text_source mixed).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pypdfium2
import pytest
from prerequisites import system_tool
from pypdf import PdfReader, PdfWriter
from scans import scan_pdf

from etl.sample.families import write_family_corpus
from tests.doc_scoring import score_document

#: the checks that watch each scorer category: a wrong figure there must make one of them fail
WATCHERS = {
    "summary": ("summary.", "cross."), "expenditure_by_class": ("expenditure.", "cross."),
    "table_totals": ("expenditure.", "gpb_expenditure."), "gpb_items": ("gpb_expenditure.", "narrative."),
    "cost_totals": ("gpb_basic_expenditure.",), "economic_class": ("gpb_basic_expenditure.",),
    "sangong": ("sangong.", "narrative.sangong"), "budget_execution": ("narrative.", "claims."),
    "item_budget_execution": ("narrative.", "claims."),
}


def _truth_of(shared: Path, pdf: Path) -> dict:
    return json.loads((shared / "ground-truth" / f"{pdf.stem}.json").read_text(encoding="utf-8"))


def _truth_copy(truth: dict, pdf: Path, folder: Path) -> Path:
    copy = {**truth, "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(), "source_file": pdf.name}
    path = folder / f"{pdf.stem}.json"
    path.write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
    return path


def _etl(raw: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "2",
                           "--timeout", "1200"], capture_output=True, text=True, timeout=2400)
    assert proc.returncode == 0, proc.stderr[-3000:]


def _scan(src: Path, dst: Path, dpi: int, seed: int) -> Path:
    pages = len(pypdfium2.PdfDocument(str(src)))
    skews = [(-1) ** i * (0.4 + 0.2 * (i % 6)) for i in range(pages)]  # 0.4°–1.4°, either way
    return scan_pdf(src, dst, list(range(pages)), dpi=dpi, skews=skews, seed=seed)


@pytest.fixture(scope="module")
def scanned(real_pdfs, shared, tmp_path_factory) -> tuple[Path, dict[Path, Path]]:
    """Image-only copies of both real reports at 200 dpi, the social one at 150 dpi too, and two generated
    reports at 200 dpi; each with its truth (the original's, with the copy's sha256)."""
    raw, truths = tmp_path_factory.mktemp("scan-raw"), tmp_path_factory.mktemp("scan-truth")
    cases: dict[Path, Path] = {}
    real = {"finance": [200], "social": [200, 150]}
    for name, dpis in real.items():
        src = real_pdfs[name]
        truth = _truth_of(shared, src)
        for dpi in dpis:
            pdf = _scan(src, raw / f"{name}-{dpi}dpi.pdf", dpi, seed=dpi)
            cases[pdf] = _truth_copy(truth, pdf, truths)
    generated = tmp_path_factory.mktemp("generated")
    for src in write_family_corpus(generated, ["layouts", "university"], seed=5, per_family=1):
        truth = json.loads(src.with_suffix(".json").read_text("utf-8"))
        pdf = _scan(src, raw / f"generated-{src.parent.name}.pdf", 200, seed=3)
        cases[pdf] = _truth_copy(truth, pdf, truths)
    out = tmp_path_factory.mktemp("scan-pq")
    _etl(raw, out)
    return out, cases


def _doc(out: Path, pdf: Path) -> dict:
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return next(d for d in pq.read_table(out / "documents.parquet").to_pylist() if d["sha256"] == sha)


def _ratio(stdout: str) -> float:
    return float(re.search(r"= ([\d.]+) over", stdout).group(1))


@pytest.mark.fidelity
def test_scans_of_real_and_generated_reports_score_at_least_099(scanned, shared, tmp_path):
    out, cases = scanned
    for pdf, truth in cases.items():
        doc = _doc(out, pdf)
        assert doc["text_source"] == "ocr", pdf.name
        proc = score_document(shared, out, doc["doc_id"], doc["sha256"], truth, tmp_path / pdf.stem)
        assert _ratio(proc.stdout) >= 0.99, proc.stdout[-3000:]


def test_every_wrong_figure_of_a_scan_is_caught_by_a_failing_check(scanned, shared, tmp_path):
    out, cases = scanned
    checks = pq.read_table(out / "checks.parquet").to_pylist()
    for pdf, truth in cases.items():
        doc = _doc(out, pdf)
        proc = score_document(shared, out, doc["doc_id"], doc["sha256"], truth, tmp_path / pdf.stem)
        failed = {c["check_id"] for c in checks if c["doc_id"] == doc["doc_id"] and c["status"] == "fail"}
        for category in re.findall(r"^MISS .*? \[(\w+)\]", proc.stdout, re.M):
            assert any(c.startswith(WATCHERS[category]) for c in failed), (pdf.name, category, sorted(failed))
        assert "source.ocr_pages" in failed  # the document says its pages were read by OCR


@pytest.fixture(scope="module")
def redistilled(real_pdfs, shared, tmp_path_factory) -> tuple[Path, dict[Path, Path]]:
    """The real reports re-distilled by Ghostscript (as PDF printer drivers built on it do)."""
    raw, truths = tmp_path_factory.mktemp("gs-raw"), tmp_path_factory.mktemp("gs-truth")
    cases = {}
    for name in ("finance", "social"):
        src = real_pdfs[name]
        pdf = raw / f"{name}-gs.pdf"
        subprocess.run([system_tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", f"-sOutputFile={pdf}",
                        str(src)], check=True, timeout=600)
        truth = _truth_of(shared, src)
        cases[pdf] = _truth_copy(truth, pdf, truths)
    out = tmp_path_factory.mktemp("gs-pq")
    _etl(raw, out)
    return out, cases


@pytest.mark.fidelity
def test_ghostscript_redistilled_reports_score_at_least_099(redistilled, shared, tmp_path):
    out, cases = redistilled
    for pdf, truth in cases.items():
        doc = _doc(out, pdf)
        proc = score_document(shared, out, doc["doc_id"], doc["sha256"], truth, tmp_path / pdf.stem)
        assert _ratio(proc.stdout) >= 0.99, proc.stdout[-3000:]


def test_a_scanned_page_inside_a_text_report_is_read_by_ocr_alone(real_pdfs, shared, tmp_path):
    src = real_pdfs["finance"]
    reader = PdfReader(src)
    sangong = next(i for i, p in enumerate(reader.pages) if "三公" in (p.extract_text() or "")[:200]
                   and "决算表" in (p.extract_text() or "")[:200])
    scan = scan_pdf(src, tmp_path / "page.pdf", [sangong], dpi=200, skews=[0.7])
    writer = PdfWriter()
    for i, page in enumerate(reader.pages):
        writer.add_page(PdfReader(scan).pages[0] if i == sangong else page)
    raw = tmp_path / "raw"
    raw.mkdir()
    pdf = raw / "finance-mixed.pdf"
    with open(pdf, "wb") as fh:
        writer.write(fh)
    truth = _truth_copy(_truth_of(shared, src), pdf, tmp_path)
    _etl(raw, tmp_path / "pq")
    doc = _doc(tmp_path / "pq", pdf)
    assert doc["text_source"] == "mixed"
    checks = [c for c in pq.read_table(tmp_path / "pq" / "checks.parquet").to_pylist()
              if c["doc_id"] == doc["doc_id"] and c["check_id"] == "source.ocr_pages"]
    assert checks[0]["pages"] == str(sangong + 1)  # that page only
    proc = score_document(shared, tmp_path / "pq", doc["doc_id"], doc["sha256"], truth, tmp_path / "score")
    assert _ratio(proc.stdout) == 1.0, proc.stdout[-3000:]
