"""A sound Latin text layer is read as it is, not by OCR: an English PDF, an English cover; while Chinese fonts
mis-mapped into Latin letters and signs still go to OCR (their other cases: test_ocr_page.py)."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from etl.pagesource import read_pages
from etl.pagesource.page import Page, Word
from etl.pagesource.text_layer import read_page
from etl.pagesource.text_quality import latin_document, text_layer_usable
from etl.parsing.parse import parse_pdf

PROSE = (
    "The department of finance reports its final accounts for the year. Total revenue rose by four percent, "
    "mainly because of higher transfers from the municipal government, while spending on general public services "
    "fell. The GDP figures of the PRC and the NPC's budget resolution are cited as published. Each table lists "
    "the income, the expenditure and the balances carried forward to the next year, in ten thousand yuan."
)


def english_pdf(path: Path, pages: int, scanned_page: int | None = None) -> Path:
    """`pages` pages of English prose in a standard font (with a ToUnicode-free WinAnsi encoding: plain
    letters); `scanned_page` gets an image instead of text."""
    c = canvas.Canvas(str(path), pagesize=A4)
    words = PROSE.split()
    for number in range(1, pages + 1):
        if number == scanned_page:
            c.drawInlineImage(_noise_image(), 50, 300, 400, 300)
        else:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(60, 800, f"ANNUAL REPORT {2000 + number} - Chapter {number}")
            c.setFont("Times-Roman", 11)
            for line in range(40):
                start = (line * 9 + number) % len(words)
                c.drawString(60, 770 - 18 * line, " ".join((words * 2)[start:start + 12]))
        c.showPage()
    c.save()
    return path


def _noise_image():
    from PIL import Image

    rng = random.Random(3)
    return Image.frombytes("L", (200, 150), bytes(rng.randrange(256) for _ in range(200 * 150)))


def _pages(path: Path) -> list[Page]:
    with pdfplumber.open(path) as pdf:
        return [read_page(p) for p in pdf.pages]


def test_an_english_pdf_is_read_from_its_text_layer(tmp_path: Path) -> None:
    pdf = english_pdf(tmp_path / "annual-report.pdf", 12)
    assert all(text_layer_usable(p) == (True, "") for p in _pages(pdf))
    document = parse_pdf(pdf, "en").document
    assert document["text_source"] == "text" and document["doc_kind"] == "other"


def test_an_english_document_sends_no_page_to_ocr(tmp_path: Path) -> None:
    """Its scanned page too: an English document is no Chinese report, so OCR would read it to no end."""
    pdf = english_pdf(tmp_path / "annex.pdf", 4, scanned_page=3)
    pages = _pages(pdf)
    assert text_layer_usable(pages[2])[0] is False and latin_document(pages)
    assert read_pages(pdf, "auto").ocr_reasons == {}


def _remap(page: Page, mapping: Callable[[str], str]) -> Page:
    words = [Word("".join(mapping(ch) for ch in w.text), w.x0, w.x1, w.top, w.bottom) for w in page.words]
    return Page(page.number, page.width, page.height, words, char_count=page.char_count)


@pytest.fixture(scope="module")
def real_pages(real_pdfs: dict[str, Path]) -> dict[str, list[Page]]:
    return {name: _pages(path) for name, path in real_pdfs.items()}


@pytest.mark.parametrize("targets", [string.ascii_letters, string.ascii_uppercase, "PÐ|OÆØ§¶ÞßAbcdefgh!#$&",
                                     "".join(map(chr, range(0x21, 0x7f))) + "".join(map(chr, range(0xa1, 0x100)))])
def test_chinese_mis_mapped_into_latin_glyphs_is_still_garbled(real_pages: dict[str, list[Page]], targets: str
                                                               ) -> None:
    """Each 汉字 read as one Latin glyph (Ghostscript's pdfwrite on a Chinese font): tokens of random case and
    signs, not words — on every page with enough letters to judge, of all three real reports."""
    judged = 0
    for name, pages in real_pages.items():
        for page in pages:
            rng, table = random.Random(f"{name}{page.number}"), {}
            garbled = _remap(page, lambda ch, t=table, r=rng: t.setdefault(ch, r.choice(targets))
                             if "\u4e00" <= ch <= "\u9fff" else ch)
            if sum(ch.isalpha() for w in garbled.words for ch in w.text) < 20:
                continue
            judged += 1
            assert not text_layer_usable(garbled)[0], (name, page.number, [w.text for w in garbled.words][:20])
    assert judged >= 60


def test_a_chinese_document_is_no_latin_document(real_pages: dict[str, list[Page]]) -> None:
    assert not any(latin_document(pages) for pages in real_pages.values())
