"""What an English PDF costs to parse: read from its text layer (`--ocr auto` now) against every page read by
OCR (what `--ocr auto` did before Latin text layers counted as usable; `--ocr force` does it still).

    uv run python benchmarks/latin_pages.py [--pages N]

Prints seconds per document and per page for --ocr auto, off and force.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from etl.parsing.parse import parse_pdf

TEXT = ("The department of finance reports its final accounts for the year. Total revenue rose by four percent, "
         "mainly because of higher transfers from the municipal government, while spending on general public "
         "services fell. Each table lists the income, the expenditure and the balances carried forward.")
PROSE = TEXT.split()


def english_pdf(path: Path, pages: int) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(60, 800, f"ANNUAL REPORT - Chapter {number}")
        c.setFont("Times-Roman", 11)
        for line in range(40):
            start = (line * 9 + number) % len(PROSE)
            c.drawString(60, 770 - 18 * line, " ".join((PROSE * 2)[start:start + 12]))
        c.showPage()
    c.save()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = english_pdf(Path(tmp) / "english.pdf", args.pages)
        for mode in ("auto", "off", "force"):
            start = time.perf_counter()
            document = parse_pdf(pdf, "en", ocr=mode).document
            seconds = time.perf_counter() - start
            print(f"--ocr {mode:5}: {seconds:6.1f} s for {args.pages} pages ({seconds / args.pages:.2f} s/page), "
                  f"text_source={document['text_source']}, doc_kind={document['doc_kind']}")


if __name__ == "__main__":
    main()
