"""How many pages a PDF has, counted cheaply (milliseconds) when its task is made: the OCR time allowance and
the progress bar are in pages. pypdfium2 (which pdfplumber brings) reads only the page tree here."""

from __future__ import annotations

from pathlib import Path


def pdf_pages(path: Path) -> int:
    """The PDF's page count; 0 when PDFium cannot open it — then OCR, which renders through PDFium, cannot read
    any page of it either, and the parser fails it by its own reason."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001 - PdfiumError, OSError…: a file PDFium cannot read has no OCR pages
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()
