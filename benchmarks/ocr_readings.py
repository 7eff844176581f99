"""What settling OCR readings by the tables' identities costs a document, beside the same parse without it.

    uv run python benchmarks/ocr_readings.py [PDF] [--repeat 5]

PDF defaults to the 财政局 report in ../shared/real-pdfs. Its text pages are parsed (a) as they are (no figure
is OCR's: the identities are not even built), (b) with every word re-typed as an OCR word (the identities are
built and all hold), (c) re-typed with two amounts misread without their decimal point (the identities correct
both). The pages are read once; each parse gets fresh copies.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]

from etl.pagesource import read_pages  # noqa: E402
from etl.pagesource.page import OcrWord, Page  # noqa: E402
from etl.parsing.parse import parse_report  # noqa: E402


def default_pdf() -> Path:
    found = sorted((REPO.parent / "shared" / "real-pdfs").glob("*财政局*.pdf"))
    if not found:
        sys.exit("no 财政局 PDF under ../shared/real-pdfs: pass a PDF")
    return found[0]


def as_ocr(pages: list[Page], misread: set[tuple[int, str]]) -> list[Page]:
    """The pages with every word an OcrWord; the words (page, text) in `misread` lose their decimal point."""
    return [Page(p.number, p.width, p.height,
                 [OcrWord(w.text.replace(".", "") if (p.number, w.text) in misread else w.text,
                          w.x0, w.x1, w.top, w.bottom, 0.95) for w in p.words],
                 p.hrules, p.vrules, p.char_count, p.image_count, p.curve_count, source="ocr") for p in pages]


def lost_points(pages: list[Page], count: int) -> set[tuple[int, str]]:
    """`count` figures of the function tables (03/05) under 1000, printed once on their page (a misreading then
    lands on one figure)."""
    rows = parse_report(copy.deepcopy(pages), "clean").rows["function_expenditure"]
    texts = {p.number: [w.text for w in p.words] for p in pages}
    found = []
    for r in rows:
        for column in ("basic", "project", "total"):
            text = f"{r[column]:.2f}"
            if 0 < r[column] < 1000 and texts[r["page"]].count(text) == 1 and (r["page"], text) not in found:
                found.append((r["page"], text))
    return set(found[:count])


def timed(pages: list[Page], repeat: int) -> tuple[float, dict]:
    best, doc = float("inf"), None
    for _ in range(repeat):
        fresh = copy.deepcopy(pages)
        start = time.perf_counter()
        doc = parse_report(fresh, "bench")
        best = min(best, time.perf_counter() - start)
    return best, doc.rows["checks"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    pdf = args.pdf or default_pdf()
    pages = read_pages(pdf, "off").pages
    misread = lost_points(pages, 2)
    text, _ = timed(pages, args.repeat)
    held, _ = timed(as_ocr(pages, set()), args.repeat)
    fixed, checks = timed(as_ocr(pages, misread), args.repeat)
    corrected = sum(c["check_id"] == "ocr.readings_corrected" and c["status"] == "fail" for c in checks)
    print(f"{pdf.name}: {len(pages)} pages, best of {args.repeat}")
    rows = [("(a) text words, identities not built", text, ""),
            ("(b) OCR words, every identity holds", held, f"   (+{(held - text) * 1000:.1f} ms)"),
            (f"(c) OCR words, {len(misread)} lost decimal points", fixed,
             f"   (+{(fixed - text) * 1000:.1f} ms; {corrected} corrected)")]
    for label, seconds, note in rows:
        print(f"  {label:<44}{seconds * 1000:8.1f} ms/doc{note}")
    print("  for scale: OCR itself takes about 1.7 s per page on one core (benchmarks/ocr_pages.py)")


if __name__ == "__main__":
    main()
