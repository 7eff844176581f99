"""The two real reports rewritten by other producers and tools (pages turned by /Rotate, content drawn
rotated, glyphs drawn twice by `mutool convert`, RC4 and AES "copy protection") must give exactly the
figures of the originals: the real ETL over all copies in one run, the real scorer per rewrite at 1.0000."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from producer_copies import REWRITES, make_copies

pytestmark = pytest.mark.fidelity


def _reports(shared: Path) -> list[tuple[Path, Path]]:
    """(pdf, truth) for every real PDF that has ground truth (the blank template has none)."""
    truths = {json.loads(p.read_text(encoding="utf-8"))["source_file"]: p
              for p in (shared / "ground-truth").glob("*.json")}
    pairs = [(pdf, truths[pdf.name]) for pdf in sorted((shared / "real-pdfs").glob("*.pdf")) if pdf.name in truths]
    assert len(pairs) == 2, pairs
    return pairs


@pytest.fixture(scope="module")
def copies(shared, tmp_path_factory) -> Path:
    """root/raw/<rewrite>/<file>.pdf and root/truth/<rewrite>/<file>.json (the original's truth with the
    copy's sha256)."""
    root = tmp_path_factory.mktemp("producers")
    for pdf, truth_path in _reports(shared):
        for rewrite, copy in make_copies(pdf, root / "raw").items():
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            truth["sha256"] = hashlib.sha256(copy.read_bytes()).hexdigest()
            truth["source_file"] = f"{rewrite}/{copy.name}"
            target = root / "truth" / rewrite / truth_path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def etl_output(copies) -> Path:
    out = copies / "pq"
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(copies / "raw"), "--out", str(out),
                           "--jobs", "2"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_every_copy_differs_from_its_original(copies, shared):
    """A rewrite that left the bytes alone would test nothing (and be merged with the original)."""
    originals = {hashlib.sha256(pdf.read_bytes()).hexdigest() for pdf, _ in _reports(shared)}
    copied = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (copies / "raw").rglob("*.pdf")}
    assert len(copied) == 2 * len(REWRITES) and not copied & originals


@pytest.mark.parametrize("rewrite", list(REWRITES))
def test_rewritten_copy_scores_full_fidelity(rewrite, copies, etl_output, shared):
    proc = subprocess.run([sys.executable, str(shared / "tools" / "score_fidelity.py"), "--parquet", str(etl_output),
                           "--truth", str(copies / "truth" / rewrite), "--min", "1.0"],
                          capture_output=True, text=True, timeout=300)
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
    assert proc.returncode == 0 and "= 1.0000 over 2 documents" in last, proc.stdout[-3000:]
