"""Seconds per page: OCR on one core and on every core (a process pool), beside the text-layer path, in one run.

    uv run python benchmarks/ocr_pages.py [PDF] [--pages N] [--dpi 200]

PDF defaults to the 财政局 report in ../shared/real-pdfs. Its first N pages are scanned (tests/scans.py: rendered
greyscale at --dpi, tilted, grainy, saved image-only); the scan is read by OCR page by page on one core, then by
a pool of one process per core (timed once its workers have loaded the models, and also counting that start); the
original's text layer is read by pdfplumber (etl.pagesource.text_layer.read_page), and
text_layer_usable is timed on its pages (what every text page pays for the OCR decision).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import pdfplumber  # noqa: E402
from scans import scan_pdf  # noqa: E402

from etl.pagesource.ocr_engine import engine  # noqa: E402
from etl.pagesource.ocr_page import ocr_pdf_page  # noqa: E402
from etl.pagesource.render import render_page  # noqa: E402
from etl.pagesource.text_layer import read_page  # noqa: E402
from etl.pagesource.text_quality import text_layer_usable  # noqa: E402


def default_pdf() -> Path:
    found = sorted((REPO.parent / "shared" / "real-pdfs").glob("*财政局*.pdf"))
    if not found:
        sys.exit("no 财政局 PDF under ../shared/real-pdfs: pass a PDF")
    return found[0]


def _ocr_words(job: tuple[str, int, int]) -> int:
    path, index, dpi = job
    return len(ocr_pdf_page(path, index, dpi=dpi, threads=1).words)


def text_layer(pdf: Path, pages: int) -> tuple[float, float]:
    """Seconds per page for pdfplumber's read_page, and microseconds per page for text_layer_usable."""
    start = time.perf_counter()
    with pdfplumber.open(pdf) as doc:
        read = [read_page(p) for p in doc.pages[:pages]]
    per_page = (time.perf_counter() - start) / len(read)
    start = time.perf_counter()
    for _ in range(20):
        for page in read:
            text_layer_usable(page)
    return per_page, (time.perf_counter() - start) / (20 * len(read)) * 1e6


def ocr_one_core(scan: Path, pages: int, dpi: int) -> tuple[float, float, int]:
    """Seconds per page: rendering alone, and OCR (rendering included) in this process; words read."""
    _ocr_words((str(scan), 0, dpi))  # load the models once, outside the timing
    start = time.perf_counter()
    for i in range(pages):
        render_page(scan, i, dpi)
    render = (time.perf_counter() - start) / pages
    start = time.perf_counter()
    words = sum(_ocr_words((str(scan), i, dpi)) for i in range(pages))
    return render, (time.perf_counter() - start) / pages, words


def _warm(seconds: float) -> None:
    """Load the models in a worker (and hold it a moment, so that every worker gets one)."""
    engine(1)
    time.sleep(seconds)


def ocr_all_cores(scan: Path, pages: int, dpi: int, workers: int) -> tuple[float, float]:
    """Wall seconds per page with one process per core: counting the pool's start and model loading, and not."""
    jobs = [(str(scan), i, dpi) for i in range(pages)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_warm, [0.5] * workers))
        warm = time.perf_counter()
        list(pool.map(_ocr_words, jobs))
        end = time.perf_counter()
    return (end - start) / pages, (end - warm) / pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=None)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    pdf = args.pdf or default_pdf()
    with pdfplumber.open(pdf) as doc:
        pages = min(args.pages, len(doc.pages))
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        scan = scan_pdf(pdf, Path(tmp) / "scan.pdf", list(range(pages)), args.dpi, [0.8, -1.2, 0.5])
        text, usable_us = text_layer(pdf, pages)
        render, one, words = ocr_one_core(scan, pages, args.dpi)
        pooled, pooled_warm = ocr_all_cores(scan, pages, args.dpi, workers)
    print(f"{pdf.name}: {pages} pages, scanned at {args.dpi} dpi ({words} words read by OCR)")
    print(f"  text layer (pdfplumber read_page)     {text:8.3f} s/page")
    print(f"  text_layer_usable                     {usable_us:8.0f} µs/page")
    print(f"  render only (pypdfium2)               {render:8.3f} s/page")
    print(f"  OCR, 1 core                           {one:8.3f} s/page   ({one / text:.0f}× the text layer)")
    print(f"  OCR, {workers} cores (process pool)         {pooled_warm:8.3f} s/page   "
          f"({one / pooled_warm:.2f}× faster than 1 core; {pooled:.3f} s/page counting pool start and model loading)")
    print(f"  load average now: {', '.join(f'{v:.2f}' for v in os.getloadavg())} (other work on the machine slows OCR)")


if __name__ == "__main__":
    main()
