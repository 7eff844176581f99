"""OCR as a page source (etl/pagesource): scans of the real PDFs read back into the words of their text layer.

Scans are made here (tests/scans.py): pages of the real reports rendered at 200 dpi greyscale, tilted by
0.5–1.5°, with grain, saved as image-only PDFs; one table page fed sideways, one upside down, one page blank,
and a dense table at 150 dpi. Every amount of the original page must come back with the same text at about the
same place (centre within 5 pt). Ghostscript re-distilled copies check which text layers are unusable.
"""

from __future__ import annotations

import difflib
import random
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pytest
from prerequisites import system_tool
from scans import blank_scan, scan_pdf

from etl.normalise import squeeze
from etl.pagesource.deskew import estimate_skew, is_sideways, is_upside_down
from etl.pagesource.geometry import ink_mask, map_points, upright_map
from etl.pagesource.line_words import line_words
from etl.pagesource.ocr_engine import Recognised
from etl.pagesource.ocr_page import OcrPage, OcrWord, ocr_pdf_page
from etl.pagesource.page import Page, Word
from etl.pagesource.render import render_page
from etl.pagesource.rules import find_rules
from etl.pagesource.select import ocr_where_needed, text_source
from etl.pagesource.text_layer import read_page
from etl.pagesource.text_quality import text_layer_usable

AMOUNT = re.compile(r"\d[\d,]*\.\d\d")
NEAR = 5.0  # pt: an OCR word's centre within this of the text layer's

# finance report pages (0-based): a landscape table, two portrait tables, a narrative page
LANDSCAPE, TABLE_A, TABLE_B, NARRATIVE = 7, 14, 15, 20
FINANCE_PAGES = [LANDSCAPE, TABLE_A, TABLE_B, NARRATIVE, TABLE_A]
FINANCE_SKEWS = [1.2, -0.6, 0.9, -1.4, 0.5]
UPSIDE_DOWN = 4  # position in FINANCE_PAGES of the second scan of TABLE_A, fed upside down
SOCIAL_DENSE = 12  # social report: the 基本支出 table, 67 amounts in small print


def _text_page(pdf_path: Path, index: int) -> Page:
    with pdfplumber.open(pdf_path) as pdf:
        return read_page(pdf.pages[index])


@pytest.fixture(scope="module")
def finance_scan(real_pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("scans") / "finance-scan.pdf"
    # the landscape table is fed sideways (turned a quarter clockwise); the last page upside down
    turns = {LANDSCAPE: 1}
    scan = scan_pdf(real_pdfs["finance"], dst, FINANCE_PAGES[:UPSIDE_DOWN], 200, FINANCE_SKEWS, turns, seed=1)
    upside = scan_pdf(real_pdfs["finance"], dst.with_name("upside.pdf"), [TABLE_A], 200, [0.5], {TABLE_A: 2})
    return _concat(scan, upside, dst.with_name("finance-all.pdf"))


def _concat(first: Path, second: Path, dst: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for src in (first, second):
        for page in PdfReader(src).pages:
            writer.add_page(page)
    writer.write(dst)
    return dst


@pytest.fixture(scope="module")
def finance_ocr(finance_scan: Path) -> list[OcrPage]:
    return [ocr_pdf_page(finance_scan, i, dpi=200) for i in range(len(FINANCE_PAGES))]


def _amount_misses(original: Page, ocr: Page) -> list[str]:
    """Amounts of the original page not found, same text and centre within NEAR, on the OCR page."""
    misses = []
    for w in original.words:
        if AMOUNT.fullmatch(w.text) and not any(
            o.text == w.text and abs(o.xc - w.xc) <= NEAR and abs(o.yc - w.yc) <= NEAR for o in ocr.words
        ):
            misses.append(f"{w.text}@({w.xc:.0f},{w.yc:.0f})")
    return misses


def _amount_count(page: Page) -> int:
    return sum(1 for w in page.words if AMOUNT.fullmatch(w.text))


def test_the_scans_have_no_text_layer(finance_scan: Path) -> None:
    with pdfplumber.open(finance_scan) as pdf:
        assert len(pdf.pages) == len(FINANCE_PAGES)
        assert all(not p.chars and p.images for p in pdf.pages)


@pytest.mark.parametrize("position", [1, 2])
def test_table_page_amounts_read_in_place(position: int, finance_ocr: list[OcrPage], real_pdfs) -> None:
    original = _text_page(real_pdfs["finance"], FINANCE_PAGES[position])
    page = finance_ocr[position]
    assert _amount_count(original) >= 19
    assert _amount_misses(original, page) == []
    assert page.quarter_turns == 0
    assert abs(page.skew + FINANCE_SKEWS[position]) < 0.1  # the scan's tilt undone
    assert (page.width, page.height) == pytest.approx((original.width, original.height), abs=1)


def test_table_row_cells_are_separate_words(finance_ocr: list[OcrPage], real_pdfs) -> None:
    """A row's code, label and amounts come out as separate words, as from the text layer."""
    page = finance_ocr[1]
    row = next(ln for ln in page.lines() if "行政运行" in ln.text)
    assert [w.text for w in row.words] == ["201", "06", "01", "行政运行", "1,511.89", "1,503.52", "8.37"]
    assert all(isinstance(w, OcrWord) and 0.5 <= w.confidence <= 1 for w in row.words)


def test_sideways_landscape_table_is_turned(finance_ocr: list[OcrPage], real_pdfs) -> None:
    original = _text_page(real_pdfs["finance"], LANDSCAPE)
    page = finance_ocr[0]
    assert original.width > original.height
    assert page.quarter_turns % 4 == 3  # fed a quarter clockwise, turned back a quarter anticlockwise
    assert (page.width, page.height) == pytest.approx((original.width, original.height), abs=1)
    assert _amount_count(original) >= 30
    assert _amount_misses(original, page) == []


def test_upside_down_page_is_turned(finance_ocr: list[OcrPage], real_pdfs) -> None:
    original = _text_page(real_pdfs["finance"], TABLE_A)
    page = finance_ocr[UPSIDE_DOWN]
    assert page.quarter_turns % 4 == 2
    assert _amount_misses(original, page) == []


def test_narrative_page_reads_as_printed(finance_ocr: list[OcrPage], real_pdfs) -> None:
    """Narrative is read line by line: every amount of the original is in the OCR line at its height, and the
    page's text as the narrative parser squeezes it matches the original's."""
    original = _text_page(real_pdfs["finance"], NARRATIVE)
    page = finance_ocr[3]
    lines = page.lines()
    amounts = [w for w in original.words if AMOUNT.search(w.text)]
    assert len(amounts) >= 10
    for w in amounts:
        line = min(lines, key=lambda ln: abs(ln.yc - w.yc))
        assert abs(line.yc - w.yc) <= NEAR, w.text
        holders = [o for o in line.words if w.text in o.text and o.x0 - NEAR <= w.xc <= o.x1 + NEAR]
        assert holders, (w.text, line.text)
    ours = "".join(squeeze(ln.text) for ln in lines)
    theirs = "".join(squeeze(ln.text) for ln in original.lines())
    assert difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() >= 0.97


def test_ruling_lines_from_the_image(finance_ocr: list[OcrPage], real_pdfs) -> None:
    """The table's vertical rules are where the text layer draws them."""
    original = _text_page(real_pdfs["finance"], TABLE_A)
    ocr_x = sorted(x for x, top, bottom in finance_ocr[1].vrules if bottom - top > 100)
    text_x = sorted({round(x, 1) for x, top, bottom in original.vrules})
    assert len(ocr_x) >= 5
    for x in ocr_x:
        assert min(abs(x - t) for t in text_x) <= 1.5
    assert len(finance_ocr[1].hrules) >= 20  # one per table row line


def test_blank_scanned_page_gives_no_words(tmp_path: Path) -> None:
    page = ocr_pdf_page(blank_scan(tmp_path / "blank.pdf"), 0, dpi=200)
    assert page.words == []
    assert (page.width, page.height) == pytest.approx((595, 842), abs=1)


def test_150_dpi_scan_reads_small_print(real_pdfs: dict[str, Path], tmp_path: Path) -> None:
    scan = scan_pdf(real_pdfs["social"], tmp_path / "social-150.pdf", [SOCIAL_DENSE], 150, [-1.1], seed=3)
    original = _text_page(real_pdfs["social"], SOCIAL_DENSE)
    page = ocr_pdf_page(scan, 0, dpi=150)
    assert _amount_count(original) >= 60
    assert _amount_misses(original, page) == []


# --- the parts, without OCR -----------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [-4.2, -1.4, 0.6, 1.5])
def test_skew_estimate(angle: float, real_pdfs: dict[str, Path]) -> None:
    gray, _, _ = render_page(real_pdfs["social"], 16, dpi=110)
    h, w = gray.shape
    tilted = cv2.warpAffine(gray, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h), borderValue=255)
    assert estimate_skew(ink_mask(tilted)) == pytest.approx(-angle, abs=0.06)


def test_upright_map_quarter_turns() -> None:
    corner = np.array([[10.0, 0.0]])  # near the top-left corner of a 100 × 50 image
    one, w1, h1 = upright_map(100, 50, 1, 0.0)
    assert (w1, h1) == (50, 100)
    assert map_points(corner, one) == pytest.approx(np.array([[50.0, 10.0]]))  # now near the top-right
    half, _, _ = upright_map(100, 50, 2, 0.0)
    assert map_points(corner, half) == pytest.approx(np.array([[90.0, 50.0]]))


def _box(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_orientation_from_boxes_and_votes() -> None:
    wide = [_box(0, 0, 200, 30), _box(0, 40, 120, 70)]
    tall = [_box(0, 0, 30, 200), _box(40, 0, 70, 150), _box(80, 0, 110, 110)]
    squares = [_box(0, 0, 30, 30)] * 20
    assert not is_sideways(wide + squares)
    assert is_sideways(tall + squares)
    assert is_upside_down([(True, 0.99), (True, 0.95), (False, 0.99)])
    assert not is_upside_down([(True, 0.6), (False, 0.9)])  # unsure votes do not count


def _ink_line(spans: list[tuple[int, int]], width: int = 400, height: int = 30) -> np.ndarray:
    ink = np.zeros((height, width), dtype=bool)
    for a, b in spans:
        ink[8:22, a:b] = True
    return ink


def test_line_is_cut_at_cell_gaps_not_inside_numbers() -> None:
    # a label, a wide gap, an amount whose decimal point is lost (gap of 9 px), a wide gap, another amount
    ink = _ink_line([(10, 100), (160, 175), (184, 200), (300, 360)])
    chars = [("行", 20, 0.99), ("政", 50, 0.99), ("运", 70, 0.98), ("行", 90, 0.97),
             ("5", 163, 0.99), ("1", 171, 0.99), (".", 180, 0.9), ("3", 188, 0.99), ("2", 196, 0.99),
             ("8", 310, 0.99), (".", 325, 0.99), ("3", 338, 0.99), ("7", 352, 0.99)]
    rec = Recognised("行政运行51.328.37", 0.98, chars)
    words = line_words(rec, (0, 0, 400, 30), ink)
    assert [w.text for w in words] == ["行政运行", "51.32", "8.37"]
    assert [(w.x0, w.x1) for w in words] == [(10, 100), (160, 200), (300, 360)]
    assert all((w.top, w.bottom) == (8, 22) for w in words)


def test_line_is_cut_at_a_cell_border_however_narrow_the_gap() -> None:
    ink = _ink_line([(10, 60), (64, 100)])  # a 4 px gap: one word, unless a rule runs through it
    chars = [("9", 20, 0.99), ("9", 50, 0.99), ("项", 70, 0.99), ("目", 90, 0.99)]
    rec = Recognised("99项目", 0.99, chars)
    assert [w.text for w in line_words(rec, (0, 0, 400, 30), ink)] == ["99项目"]
    borders = np.zeros_like(ink)
    borders[:, 62] = True
    assert [w.text for w in line_words(rec, (0, 0, 400, 30), ink, borders)] == ["99", "项目"]


def test_rules_found_and_masked() -> None:
    ink = np.zeros((300, 400), dtype=bool)
    ink[100:102, 20:380] = True  # a horizontal rule
    ink[20:280, 200:202] = True  # a vertical rule
    ink[150:160, 50:60] = True  # a glyph: too short for a rule
    rules = find_rules(ink, px_per_pt=2.0)
    assert [(round(y), round(a), round(b)) for y, a, b in rules.horizontal] == [(101, 20, 380)]
    assert [(round(x), round(a), round(b)) for x, a, b in rules.vertical] == [(201, 20, 280)]
    assert rules.mask[101, 300] and rules.mask[250, 201] and not rules.mask[155, 55]
    assert rules.vertical_mask[250, 201] and not rules.vertical_mask[101, 300]


# --- which text layers are unusable ---------------------------------------------------------------------------


def _distil(src: Path, dst: Path) -> Path:
    gs = system_tool("gs")  # skipped when absent, failed under JUESUAN_REQUIRE_ALL
    subprocess.run([gs, "-q", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-o", str(dst), str(src)], check=True)
    return dst


def _pages(path: Path) -> list[Page]:
    with pdfplumber.open(path) as pdf:
        return [read_page(p) for p in pdf.pages]


def _page_text(page: Page) -> str:
    return "".join(w.text for w in page.words)


@pytest.fixture(scope="module")
def distilled(real_pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    folder = tmp_path_factory.mktemp("gs")
    return {name: (_pages(src), _pages(_distil(src, folder / f"{name}.pdf"))) for name, src in real_pdfs.items()}


def test_original_text_layers_are_usable(distilled: dict[str, tuple]) -> None:
    for name, (original, _) in distilled.items():
        for page in original:
            usable, reason = text_layer_usable(page)
            assert usable, (name, page.number, reason)  # a page of rules only (finance p14) has nothing to read


def test_redistilled_pages_flagged_exactly_when_garbled(distilled: dict[str, tuple]) -> None:
    """A re-distilled page is flagged when, and only when, its text is not the original's (or it has none)."""
    garbled_seen = 0
    for name, (original, copy) in distilled.items():
        assert len(original) == len(copy)
        for before, after in zip(original, copy, strict=True):
            same = difflib.SequenceMatcher(None, _page_text(before), _page_text(after), autojunk=False).ratio()
            garbled = same < 0.9 if after.has_text() else bool(after.image_count or after.curve_count >= 100)
            garbled_seen += garbled and after.has_text()
            usable, reason = text_layer_usable(after)
            assert usable != garbled, (name, after.number, reason, _page_text(after)[:60])
            assert usable or reason
    assert garbled_seen >= 20  # Ghostscript garbles the finance report's Chinese fonts on every page


def _remap(page: Page, mapping: Callable[[str], str]) -> Page:
    words = [Word("".join(mapping(ch) for ch in w.text), w.x0, w.x1, w.top, w.bottom) for w in page.words]
    return Page(page.number, page.width, page.height, words, char_count=page.char_count)


def _latin_mapping(targets: str, rng: random.Random) -> Callable[[str], str]:
    table: dict[str, str] = {}
    return lambda ch: table.setdefault(ch, rng.choice(targets)) if "\u4e00" <= ch <= "\u9fff" else ch


def test_latin_font_mapping_is_garbled(real_pdfs: dict[str, Path]) -> None:
    """上 → P, 二 → Ð, 公 → |, 三 → O: each 汉字 read as some Latin letter, Latin-1 sign or symbol."""
    targets = "PÐ|OÆØ§¶ÞßAbcdefgh!#$&"
    for index in (5, 14, 20):
        page = _text_page(real_pdfs["finance"], index)
        garbled = _remap(page, _latin_mapping(targets, random.Random(index)))
        assert text_layer_usable(page) == (True, "")
        usable, reason = text_layer_usable(garbled)
        assert not usable and "garbled" in reason


def test_chinese_to_wrong_chinese_is_garbled(real_pdfs: dict[str, Path]) -> None:
    """A mapping that yields 汉字, but not the report's: few of them are the report's vocabulary."""
    page = _text_page(real_pdfs["social"], 3)
    garbled = _remap(page, lambda ch: chr(0x5000 + (ord(ch) * 7919) % 0x3000) if "\u4e00" <= ch <= "\u9fff" else ch)
    usable, reason = text_layer_usable(garbled)
    assert not usable and "vocabulary" in reason


def test_stray_characters_over_an_image_are_unusable() -> None:
    words = [Word("- 3 -", 290, 305, 800, 810)]
    assert text_layer_usable(Page(3, 595, 842, words, char_count=5, image_count=1))[0] is False
    assert text_layer_usable(Page(3, 595, 842, words, char_count=5, image_count=0))[0] is True
    assert text_layer_usable(Page(3, 595, 842, [], image_count=1)) == (False, "no text layer")
    assert text_layer_usable(Page(3, 595, 842, [], curve_count=400)) == (False, "no text layer")  # outlined text
    assert text_layer_usable(Page(3, 595, 842, [], curve_count=22)) == (True, "")  # a blank page, or rules only


# --- a scanned page inside a text report ----------------------------------------------------------------------


def test_scanned_page_inside_a_text_report(real_pdfs: dict[str, Path], tmp_path: Path) -> None:
    """Pages 1–6 of the report as printed, then a scan of its 一般公共预算 table: "auto" reads only the scan by OCR,
    "off" none, and the scanned table's amounts come back."""
    from pypdf import PdfReader, PdfWriter

    scan = scan_pdf(real_pdfs["finance"], tmp_path / "scan.pdf", [TABLE_A], 200, [-0.9], seed=5)
    writer = PdfWriter()
    for page in PdfReader(real_pdfs["finance"]).pages[:6]:
        writer.add_page(page)
    writer.add_page(PdfReader(scan).pages[0])
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    pages = _pages(mixed)
    read, reasons = ocr_where_needed(mixed, pages, "auto")
    assert list(reasons) == [7] and reasons[7] == "no text layer"
    assert read[:6] == pages[:6] and isinstance(read[6], OcrPage)
    assert _amount_misses(_text_page(real_pdfs["finance"], TABLE_A), read[6]) == []
    assert text_source(reasons, len(pages)) == "mixed"
    assert ocr_where_needed(mixed, pages, "off") == (pages, {})
    with pytest.raises(ValueError):
        ocr_where_needed(mixed, pages, "sometimes")


@pytest.mark.parametrize(("read", "printed"), [
    ("185,436.36|", "185,436.36"), ("|2,940.05", "2,940.05"), ("101,25262", "101,252.62"),
    ("1,234,56789", "1,234,567.89"), ("28282", "28282"), ("2,940.05", "2,940.05"), ("行政运行|", "行政运行|"),
    ("17.70.", "17.70"), ("221.", "221"), ("2210201:", "2210201"), ("17.7.", "17.7."), ("1.", "1."),
])
def test_amount_readings_settled_by_the_printed_form_alone(read, printed):
    from etl.pagesource.ocr_readings import amount_reading

    assert amount_reading(read) == printed
