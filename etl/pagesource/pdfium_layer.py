"""The PDFium page source: a PDF's text layer read by PDFium (pypdfium2) into the same `Page`s as pdfplumber's.

    load_pages(path) -> list[Page]

pdfplumber (pdfminer.six) is the reference page source; this one is several times faster and gives the same
words and rules, because it rebuilds what pdfminer would see rather than using PDFium's own boxes: glyph boxes
(`pdfium_glyphs`), edges, images and curves (`pdfium_drawings`), on the displayed page pdfplumber measures
(`pdfium_frame`), through the functions bound in `pdfium_calls`; the per-glyph and per-segment calls are made
by a small compiled helper where one can be built (`pdfium_native`), else by Python loops giving the same bits.
Both sources end in `text_layer.page_from_objects`.

Where PDFium reads a file otherwise than pdfminer, the reference reads it: a file PDFium cannot open, a page it
cannot load or a stream whose /Length runs past the file's end (the whole file, so it fails as it always has),
a page with glyphs that have no Unicode mapping or on which PDFium found nothing (that page).
Known differences left: PDFium keeps glyph widths as integers, so glyphs far along a line may sit up to ~0.1 pt
from pdfminer's; it drops some space glyphs pdfminer keeps, so Page.char_count may be a few lower (it only
tells a page with text from one without).
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

import etl.pagesource.text_layer as text_layer
from etl.pagesource.page import Page
from etl.pagesource.pdfium_drawings import Drawings
from etl.pagesource.pdfium_frame import Frame
from etl.pagesource.pdfium_glyphs import page_glyphs
from etl.pagesource.pdfium_native import Helper, helper


def load_pages(path: str | Path) -> list[Page]:
    """Every page's words and rules. A file PDFium cannot open, or a page it cannot load, sends the document to
    the reference source, which reads it or raises its own clear DocumentError; pages PDFium reads otherwise
    than pdfminer (see `_read_page`) are read by the reference, the rest by PDFium."""
    data = Path(path).read_bytes()  # read once: scanned here, then parsed by PDFium from memory
    if _length_past_end(data):
        return text_layer.load_pages(path)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return text_layer.load_pages(path)
    try:
        pages = _read_pages(pdf)
    except pdfium.PdfiumError:  # a page PDFium cannot load (a /Kids loop …)
        return text_layer.load_pages(path)
    finally:
        pdf.close()
    missing = [number for number, page in enumerate(pages, start=1) if page is None]
    if missing:
        for page in text_layer.load_pages(path, missing):
            pages[page.number - 1] = page
    return pages


def _length_past_end(data: bytes) -> bool:
    """Whether a stream declares a /Length beyond the file's end. PDFium quietly finds the stream's real end;
    pdfminer believes the length (and runs out of memory on a terabyte): such a file is the reference's to read,
    so that it fails, or not, as it always has. Only numbers as long as the file size can exceed it."""
    digits = len(str(len(data)))
    pattern = re.compile(rb"/Length\s+(\d{%d,})" % digits)
    return any(int(m.group(1)) > len(data) for m in pattern.finditer(data))


class RawPage:
    """A page loaded by FPDF_LoadPage itself: its handle as `raw`, as PdfPage has it. pypdfium2's PdfPage costs a
    finalizer, a weak reference and a kid set per page (~0.4 ms a document of Python); this page is closed here,
    always, before the document is."""

    __slots__ = ("raw",)

    def __init__(self, handle: int) -> None:
        self.raw = handle


def _read_pages(pdf: pdfium.PdfDocument) -> list[Page | None]:
    """Each page read and closed in turn; PdfiumError where PDFium cannot load one (as `PdfDocument.get_page`)."""
    pages: list[Page | None] = []
    native = helper()  # once a document, not once a page
    for index in range(len(pdf)):
        handle = raw.FPDF_LoadPage(pdf.raw, index)
        if not handle:
            raise pdfium.PdfiumError("Failed to load page.")
        try:
            pages.append(_read_page(RawPage(handle), index + 1, native))
        finally:
            raw.FPDF_ClosePage(handle)
    return pages


def _read_page(page: pdfium.PdfPage | RawPage, number: int, native: Helper | None) -> Page | None:
    """The page, or None where the reference must read it: a page holding glyphs without a Unicode mapping
    (PDFium guesses letters where pdfminer writes `(cid:N)`, and the garbled-text verdict and its reason depend
    on which), or a page PDFium found nothing on (it drops content it cannot parse, e.g. nesting too deep).
    `native`: the compiled helper, or None for the Python loops."""
    if not raw.FPDFPage_CountObjects(page.raw):
        return None
    frame = Frame(page)
    glyphs = page_glyphs(page, frame, native)
    if glyphs is None:
        return None
    drawings = Drawings(frame, native)
    drawings.read(page.raw)
    return text_layer.page_from_objects(number, frame.width, frame.height, glyphs, drawings.edge_table(),
                                        drawings.images, lambda: drawings.curves)
