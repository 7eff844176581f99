"""Which source reads each page: the text layer where it is usable, OCR where it is not (or everywhere, or
nowhere), page by page, so a scanned table inside a text report is read like the rest.

    ocr_where_needed(path, pages, mode="auto", dpi=200) -> (pages, {page number: reason})
    text_source(ocr_reasons, page_count) -> "text" | "ocr" | "mixed"
"""

from __future__ import annotations

from pathlib import Path

from etl.pagesource.ocr_page import ocr_pdf_page
from etl.pagesource.page import Page
from etl.pagesource.text_quality import text_layer_usable

MODES = ("auto", "off", "force")


def ocr_where_needed(
    path: str | Path, pages: list[Page], mode: str = "auto", dpi: float = 200, threads: int = 1
) -> tuple[list[Page], dict[int, str]]:
    """`pages` (the text layer's, in order, numbered from 1) with those to be read by OCR replaced by their OCR
    reading: none for mode "off", all for "force", for "auto" those whose text layer is unusable. Returns the pages
    and, for each page read by OCR, why."""
    if mode not in MODES:
        raise ValueError(f"ocr mode {mode!r}: one of {', '.join(MODES)}")
    out, reasons = [], {}
    for page in pages:
        usable, reason = (False, "OCR forced") if mode == "force" else text_layer_usable(page)
        if mode == "off" or usable:
            out.append(page)
            continue
        out.append(ocr_pdf_page(path, page.number - 1, dpi=dpi, threads=threads))
        reasons[page.number] = reason
    return out, reasons


def text_source(ocr_reasons: dict[int, str], page_count: int) -> str:
    """documents.text_source: "text" when no page was read by OCR, "ocr" when every page was, else "mixed"."""
    if not ocr_reasons:
        return "text"
    return "ocr" if len(ocr_reasons) >= page_count else "mixed"
