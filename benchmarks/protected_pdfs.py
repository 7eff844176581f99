"""Parse time of a "copy protected" PDF against its original, side by side in one run.

    uv run python benchmarks/protected_pdfs.py [PDF] [--repeat N]

PDF defaults to the 财政局 report in ../shared/real-pdfs (3.4 MB embedded font: pdfminer.six's own
RC4 took ~400 s on it). Copies are made with qpdf (empty user password): RC4-128 and AES-256. Prints
the best of N parse_pdf times for each and the RC4/original ratio (target ≤ 1.5×).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from producer_copies import qpdf_encrypt  # noqa: E402

from etl.parsing.parse import parse_pdf  # noqa: E402

TARGET = 1.5


def default_pdf() -> Path:
    found = sorted((REPO.parent / "shared" / "real-pdfs").glob("*财政局*.pdf"))
    if not found:
        sys.exit("no 财政局 PDF under ../shared/real-pdfs: pass a PDF")
    return found[0]


def best_seconds(pdf: Path, repeat: int) -> tuple[float, str]:
    """Fastest of `repeat` parses, and the document's status (a fast failure is no result)."""
    times, status = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        doc = parse_pdf(pdf, "bench")
        times.append(time.perf_counter() - start)
        status = f"{doc.document['status']} {doc.document.get('department') or ''}"
    return min(times), status


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pdf = args.pdf or default_pdf()
    with tempfile.TemporaryDirectory() as tmp:
        files = {"original": pdf,
                 "RC4-128": qpdf_encrypt(pdf, Path(tmp) / "rc4.pdf", "rc4"),
                 "AES-256": qpdf_encrypt(pdf, Path(tmp) / "aes.pdf", "aes")}
        results = {name: best_seconds(path, args.repeat) for name, path in files.items()}
    print(f"{pdf.name}: best of {args.repeat} parse_pdf runs")
    for name, (seconds, status) in results.items():
        print(f"  {name:9s} {seconds:7.2f} s   {status}")
    ratio = results["RC4-128"][0] / results["original"][0]
    print(f"  RC4/original = {ratio:.2f}×  (target ≤ {TARGET}×)  "
          f"AES/original = {results['AES-256'][0] / results['original'][0]:.2f}×")


if __name__ == "__main__":
    main()
