"""The real reports published as a web page or saved as text give the figures of their PDF.

Renditions are written at test time by tests/renditions.py (pdfplumber's own table finder and text, not our
grid code), run through the real ETL, and scored against the hand-checked truth with the truth's sha256 swapped
for the rendition's. One web page is GBK-encoded (declared in its <meta>), as many government pages are. The
text rendition is the web page's text (table rows as TAB-separated cells); the PDF's own extracted text (blank-
separated, empty cells lost) is read as far as it can be, and kept as a test of that form.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.doc_scoring import score, truth_for
from tests.renditions import html_rendition, pdf_text_rendition, text_rendition

#: what a PDF's own extracted text reaches (measured 2026-12-06: 183/220 = 0.83): tables flattened to text with
#: collapsed blanks lose their columns (an empty cell leaves no trace: one not at the end of its row misplaces the
#: amounts after it; two-sided tables such as 收入支出决算总表 lose theirs); metadata, table titles, table totals and
#: every narrative figure are read
PDF_TEXT_FLOOR = 0.83
#: what a browser's innerText reaches (measured 2026-12-06: 189/220 = 0.86): a merged cell printed once, the
#: columns and rows it covers not printed at all, leaves header rows and rows merged in the middle (人员经费合计 |
#: 公用经费合计) short of cells, with nothing to say which columns are missing; a short data row's first cell is
#: taken to span the missing columns (合计 over the code columns), which holds for most rows
INNER_TEXT_FLOOR = 0.85


@pytest.fixture(scope="module")
def renditions(real_pdfs, tmp_path_factory) -> dict[str, dict[str, Path]]:
    raw = tmp_path_factory.mktemp("web-raw")
    out = {}
    for key in ("finance", "social"):
        pdf = real_pdfs[key]
        out[key] = {"html": html_rendition(pdf, raw, encoding="gbk" if key == "finance" else "utf-8"),
                    "text": text_rendition(pdf, raw), "pdf_text": pdf_text_rendition(pdf, raw),
                    "inner_text": text_rendition(pdf, raw, merged_once=True)}
    return out


@pytest.fixture(scope="module")
def web_output(renditions, tmp_path_factory) -> Path:
    raw = next(iter(renditions.values()))["html"].parent
    out = tmp_path_factory.mktemp("web-pq")
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def _truths(shared: Path, renditions, kind: str, dest: Path) -> Path:
    for files in renditions.values():
        stem = files[kind].name.removesuffix(".txt").removesuffix(".pdf").removesuffix(".inner").removesuffix(".html")
        truth = next(t for t in (shared / "ground-truth").glob("*.json") if t.stem == stem)
        truth_for(truth, hashlib.sha256(files[kind].read_bytes()).hexdigest(), dest)
    return dest


def _categories(stdout: str) -> dict[str, tuple[int, int]]:
    return {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^(\w+)\s+(\d+)/(\d+)\s*$", stdout, re.MULTILINE)}


@pytest.mark.fidelity
def test_real_reports_published_as_web_pages_give_the_pdf_figures(web_output, renditions, shared, tmp_path):
    proc = score(shared, web_output, _truths(shared, renditions, "html", tmp_path / "truth"), minimum=1.0)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "= 1.0000 over 2 documents" in proc.stdout.splitlines()[-1]


@pytest.mark.fidelity
def test_real_reports_saved_as_web_page_text_give_the_pdf_figures(web_output, renditions, shared, tmp_path):
    proc = score(shared, web_output, _truths(shared, renditions, "text", tmp_path / "truth"), minimum=1.0)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "= 1.0000 over 2 documents" in proc.stdout.splitlines()[-1]


@pytest.mark.fidelity
def test_real_reports_as_pdf_extracted_text_give_every_narrative_figure(web_output, renditions, shared, tmp_path):
    proc = score(shared, web_output, _truths(shared, renditions, "pdf_text", tmp_path / "truth"),
                 minimum=PDF_TEXT_FLOOR)
    assert proc.returncode == 0, proc.stdout[-3000:]
    cats = _categories(proc.stdout)
    for category in ("budget_execution", "item_budget_execution", "metadata", "tables_found", "table_totals"):
        hit, total = cats[category]
        assert total and hit == total, (category, proc.stdout[-3000:])


@pytest.mark.fidelity
def test_real_reports_as_browser_inner_text_with_merged_cells_printed_once(web_output, renditions, shared, tmp_path):
    proc = score(shared, web_output, _truths(shared, renditions, "inner_text", tmp_path / "truth"),
                 minimum=INNER_TEXT_FLOOR)
    assert proc.returncode == 0, proc.stdout[-3000:]
    cats = _categories(proc.stdout)
    for category in ("budget_execution", "item_budget_execution", "metadata", "tables_found", "sangong"):
        hit, total = cats[category]
        assert total and hit == total, (category, proc.stdout[-3000:])


def test_web_page_and_text_documents_record_their_format_and_positions(web_output, renditions):
    con = duckdb.connect()
    docs = dict(con.execute(f"SELECT source_file, source_format FROM '{web_output}/documents.parquet'").fetchall())
    assert {docs[f.name] for r in renditions.values() for f in r.values()} == {"html", "text"}
    assert all(docs[r["html"].name] == "html" and docs[r["text"].name] == docs[r["pdf_text"].name]
               == docs[r["inner_text"].name] == "text"
               for r in renditions.values())
    positions = con.execute(f"SELECT position FROM '{web_output}/document_pages.parquet'").fetchall()
    assert positions and all(p[0] for p in positions)
    assert any("表格" in p[0] for p in positions) and any(re.fullmatch(r"第\d+(–\d+)?行", p[0]) for p in positions)
    publications = {p for (p,) in con.execute(f"SELECT publication FROM '{web_output}/documents.parquet'").fetchall()}
    assert publications == {"full"}
