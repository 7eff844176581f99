"""The generator's web-page and text forms (juesuan sample --formats): each generated report as a saved web page
and as text, with the PDF's truth under the file's own sha256, read by the ETL to the same figures."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.doc_scoring import score


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("web-sample")
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "sample", "--out", str(out), "--regions", "2",
                           "--departments", "2", "--years", "2021-2022", "--no-seed-report", "--formats", "html,txt"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def _etl(generated: Path, pattern: str, truth_pattern: str, work: Path) -> tuple[Path, Path]:
    raw, truth = work / "raw", work / "truth"
    raw.mkdir(parents=True)
    truth.mkdir()
    for f in generated.rglob(pattern):
        (raw / f.name).write_bytes(f.read_bytes())
    for f in generated.rglob(truth_pattern):
        (truth / f.name).write_bytes(f.read_bytes())
    out = work / "out"
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, truth


def test_generated_forms_are_written_beside_their_truth(generated):
    pages, texts = sorted(generated.rglob("*.web.html")), sorted(generated.rglob("*.text.txt"))
    assert len(pages) == len(texts) == 8 and not list(generated.rglob("*.pdf"))
    assert all(p.with_suffix(".json").exists() for p in pages + texts)
    encodings = {"gbk" if b"charset=gb2312" in p.read_bytes()[:400] else "utf-8" for p in pages}
    assert encodings == {"gbk", "utf-8"}


@pytest.mark.fidelity
def test_generated_web_pages_score_full_fidelity(generated, tmp_path, shared):
    out, truth = _etl(generated, "*.web.html", "*.web.json", tmp_path)
    proc = score(shared, out, truth, minimum=1.0)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "= 1.0000 over 8 documents" in proc.stdout.splitlines()[-1]


@pytest.mark.fidelity
def test_generated_text_files_score_full_fidelity(generated, tmp_path, shared):
    out, truth = _etl(generated, "*.text.txt", "*.text.json", tmp_path)
    proc = score(shared, out, truth, minimum=1.0)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "= 1.0000 over 8 documents" in proc.stdout.splitlines()[-1]


def test_generated_text_form_prints_table_rows_as_tab_separated_cells(generated):
    """A web page's text: each table row on a line, every column a TAB-separated cell, empty cells kept."""
    text = next(generated.rglob("*.text.txt")).read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if "\t" in ln]
    assert rows and any("" in r[1:-1] for r in rows)  # an empty cell inside a row, kept
    assert any(len(r) >= 12 for r in rows)  # the horizontal 三公 table keeps its columns


def test_families_are_written_as_web_pages_and_text_where_they_record_what_they_print(tmp_path):
    """--families with --formats: a family whose reports record their content (report_forms) gets a web page and a
    text file beside each PDF, each with its own truth; one that does not (university) stays PDF only, and says so."""
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "sample", "--out", str(tmp_path), "--families",
                           "report_forms,university", "--per-family", "2", "--formats", "pdf,html,txt"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "wrote 4 PDFs, 2 web pages and 2 text files of 2 families" in proc.stdout
    forms = tmp_path / "report_forms"
    for ext in (".web.html", ".text.txt"):
        files = sorted(forms.glob(f"*{ext}"))
        assert len(files) == 2
        for f in files:
            truth = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
            assert truth["source_file"] == f.name
            assert truth["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()
    assert not list((tmp_path / "university").glob("*.html")) and not list((tmp_path / "university").glob("*.txt"))
