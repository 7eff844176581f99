"""Page sources: where a page's words come from.

A source turns a PDF page into an `etl.pagesource.page.Page` (words with positions, ruling lines); the parser
reads only those, so it is entangled with no source. Two sources today: the PDF's text layer and OCR of the
rendered page (`ocr_page`, RapidOCR on onnxruntime), chosen page by page (`select`). The text layer is read by
PDFium (`pdfium_layer`, the fast default) or pdfplumber (`text_layer`, the reference), as `pages` / `juesuan
etl --pages` says; both give the same `Page`s. OCR reads the pages whose text layer is missing, a few stray
characters over an image, or garbled (`text_quality`). A saved web page (`html_page`) or text file
(`text_page`) is laid out as synthetic pages of the same kind (`synthetic`), so every later stage reads it
like a PDF.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from etl.pagesource.formats import source_format
from etl.pagesource.page import Page

#: --pages: which library reads a PDF's text layer (documents.page_source), and the module that does it. Imported
#: only when a PDF is read, so the CLI and a run over web pages never load either library.
PAGE_SOURCES = ("pdfium", "pdfplumber")
DEFAULT_PAGES = "pdfium"
_MODULES = {"pdfium": "etl.pagesource.pdfium_layer", "pdfplumber": "etl.pagesource.text_layer"}


@dataclass
class SourcedPages:
    """A document's pages, each from the source that could read it."""

    pages: list[Page]
    ocr_reasons: dict[int, str] = field(default_factory=dict)  # page number -> why OCR read it
    #: documents.page_source: the library that read the PDF's text layer; None for a web page or text file
    page_source: str | None = None

    @property
    def text_source(self) -> str:
        """documents.text_source: text, ocr or mixed."""
        from etl.pagesource.select import text_source

        return text_source(self.ocr_reasons, len(self.pages))


def load_pages(path: str | Path, pages: str = DEFAULT_PAGES) -> list[Page]:
    """Every page of the PDF's text layer, read by the `pages` source (PAGE_SOURCES)."""
    if pages not in _MODULES:
        raise ValueError(f"page source {pages!r}: one of {', '.join(PAGE_SOURCES)}")
    return importlib.import_module(_MODULES[pages]).load_pages(path)


def read_pages(path: str | Path, ocr: str = "auto", pages: str = DEFAULT_PAGES) -> SourcedPages:
    """Every page of the PDF: the text layer's (read by the `pages` source), and OCR's where `ocr` asks for it
    (auto: where the text layer is unusable; force: everywhere; off: nowhere). OCR is imported only when a
    page needs it."""
    kind = source_format(path)
    if kind != "pdf":  # a web page or text file: its words are the text itself, nothing for OCR to read
        from etl.pagesource.html_page import load_html_pages
        from etl.pagesource.text_page import load_text_pages

        return SourcedPages(load_html_pages(path) if kind == "html" else load_text_pages(path))
    sourced = _read_pdf(path, ocr, load_pages(path, pages))
    sourced.page_source = pages
    return sourced


def _read_pdf(path: str | Path, ocr: str, pages: list[Page]) -> SourcedPages:
    """The text layer's pages, each replaced by OCR's reading where `ocr` asks for it."""
    if ocr == "off":
        return SourcedPages(pages)
    from etl.pagesource.text_quality import latin_document, usable_pages

    if ocr not in ("auto", "force"):
        raise ValueError(f"ocr mode {ocr!r}: one of auto, off, force")
    if ocr == "auto" and all(usable for usable, _ in usable_pages(pages)):
        return SourcedPages(pages)  # the common case: OpenCV and the OCR engine are never imported
    if ocr == "auto" and latin_document(pages):
        return SourcedPages(pages)  # an English (French …) document is no report: its scanned pages are not read
    from etl.pagesource.select import ocr_where_needed

    read, reasons = ocr_where_needed(path, pages, ocr)
    for i, (before, after) in enumerate(zip(pages, read, strict=True)):
        if after is not before and not after.words and not before.words and not before.image_count:
            # a page of lines only (an empty grid), no scan on it: nothing was missed, it stays a text-layer page
            read[i] = before
            reasons.pop(before.number, None)
        read[i].source_note = reasons.get(read[i].number, read[i].source_note)
    return SourcedPages(read, reasons)


__all__ = ["DEFAULT_PAGES", "PAGE_SOURCES", "Page", "SourcedPages", "load_pages", "read_pages", "source_format"]
