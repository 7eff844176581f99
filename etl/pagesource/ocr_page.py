"""OCR as a page source: a page image read into the same `Page` of positioned words the text layer gives.

    ocr_page(image, page_number, page_width_pt, page_height_pt) -> OcrPage
    ocr_pdf_page(path, page_index, dpi=200) -> OcrPage

Steps: text boxes are detected on a reduced copy (about `DET_DPI`); the page is turned upright (quarter turns
from the boxes' shape and the 0/180 classifier, then the skew); specks are whitened and ruling lines found
(`geometry`, `rules`); boxes of one line are joined and grown over ink the detector left out (`boxes`); every box
is read at full resolution and cut into cell words at ink gaps and cell borders (`line_words`). Coordinates are
PDF points of the upright page (pixels × 72 / dpi), each word boxed by its font's em about its ink, so line
grouping, table columns and the narrative work unchanged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

import etl.pagesource.ocr_engine as ocr_engine
from etl.pagesource.boxes import grow_boxes, merge_neighbours
from etl.pagesource.deskew import estimate_skew, is_sideways, is_upside_down
from etl.pagesource.geometry import despeckle, ink_mask, map_points, upright_map, warp
from etl.pagesource.line_words import PixelWord, join_close, line_words
from etl.pagesource.ocr_readings import amount_reading, letters_as_digits
from etl.pagesource.page import OcrWord, Page, Word, split_code_from_name, split_glued_amounts
from etl.pagesource.render import render_page
from etl.pagesource.rules import Rules, find_rules

DET_DPI = 110.0  # detection resolution: boxes are found as well as at full resolution, 3–5× faster
MIN_CONFIDENCE = 0.5  # lines read with less are noise (grain, stamps, specks)
CJK_INK_EM, DIGIT_INK_EM = 0.85, 0.72  # ink height of 汉字 / of digits and Latin, as a share of the em
_VOTERS = 40  # longest lines asked whether the page is upside down
_NUMERIC = set("0123456789,.-%，．。－０１２３４５６７８９")


@dataclass
class OcrPage(Page):
    """A page read by OCR: how it was turned upright (clockwise quarter turns, then skew in degrees, OpenCV's
    sense) and at what resolution. char_count counts the characters read; image_count is 1 (the scan)."""

    source: str = "ocr"
    dpi: float = 0.0
    quarter_turns: int = 0
    skew: float = 0.0


@dataclass
class _Upright:
    """The page image turned upright, and the text boxes mapped onto it (x0, top, x1, bottom in pixels)."""

    image: np.ndarray
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    quarter_turns: int = 0
    skew: float = 0.0


#: a page is blank when at most this many of its pixels, rendered at BLANK_DPI, are darker than paper (a single
#: line of small print gives hundreds; grain and specks average out at that resolution)
BLANK_MAX_INK_PIXELS = 10
BLANK_DPI = 36


def ocr_pdf_page(path: str | Path, page_index: int, dpi: float = 200, threads: int = 1) -> OcrPage:
    """Page `page_index` (0-based) of a PDF, rendered at `dpi` and read by OCR. A blank page (looked at first at
    BLANK_DPI: about a millisecond) gives no words without running the models, so a PDF of thousands of empty
    pages costs seconds, not an hour."""
    thumb, width_pt, height_pt = render_page(path, page_index, BLANK_DPI)
    if int((thumb < 200).sum()) <= BLANK_MAX_INK_PIXELS:
        return OcrPage(number=page_index + 1, width=width_pt, height=height_pt, words=[], image_count=1, dpi=dpi)
    image, width_pt, height_pt = render_page(path, page_index, dpi)
    return ocr_page(image, page_index + 1, width_pt, height_pt, threads=threads)


def ocr_page(
    image: np.ndarray, page_number: int, page_width_pt: float, page_height_pt: float, threads: int = 1
) -> OcrPage:
    """The words and rules of a page image (greyscale or BGR) whose page measures page_width_pt × page_height_pt
    as scanned. A page turned by a quarter comes out with width and height swapped."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    px_per_pt = gray.shape[1] / page_width_pt
    upright = _turn_upright(gray, px_per_pt * 72, threads)
    height_px, width_px = upright.image.shape
    upright.image, ink = despeckle(upright.image, px_per_pt * 72)
    rules = find_rules(ink, px_per_pt)
    text_ink = ink & ~rules.mask
    upright.boxes = grow_boxes(merge_neighbours(upright.boxes, rules.vertical), text_ink, rules.vertical_mask)
    words = _read_words(upright, text_ink, rules, threads)
    scale = 1 / px_per_pt
    return OcrPage(
        number=page_number, width=width_px * scale, height=height_px * scale,
        words=[w for pw in words for w in _to_points(pw, scale)],
        hrules=[(y * scale, a * scale, b * scale) for y, a, b in rules.horizontal],
        vrules=[(x * scale, a * scale, b * scale) for x, a, b in rules.vertical],
        char_count=sum(len(w.text) for w in words), image_count=1,
        dpi=px_per_pt * 72, quarter_turns=upright.quarter_turns, skew=upright.skew,
    )


def _ink_share(text: str) -> float:
    """How much of the em the word's ink spans: the text layer boxes a glyph by its font's em, OCR by its ink, and
    line grouping compares heights (cells of one row set a few points apart must still overlap)."""
    return CJK_INK_EM if any("\u3400" <= ch <= "\u9fff" for ch in text) else DIGIT_INK_EM


def _turn_upright(gray: np.ndarray, dpi: float, threads: int) -> _Upright:
    """Detect boxes on a reduced copy, find quarter turns and skew, and warp the page upright."""
    scale = min(1.0, DET_DPI / dpi)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    boxes = ocr_engine.detect(small, threads)
    if not boxes:
        return _Upright(gray)
    turns = 1 if is_sideways(boxes) else 0
    skew = estimate_skew(np.rot90(ink_mask(small, dpi * scale), k=-turns))
    if turns:  # boxes found on sideways text are rough: find them again on the turned copy
        turned_small = warp(small, *upright_map(small.shape[1], small.shape[0], turns, skew))
        boxes, scale_map = ocr_engine.detect(turned_small, threads), np.eye(2, 3)
    else:
        scale_map = upright_map(small.shape[1], small.shape[0], 0, skew)[0]
    page = _warped(gray, turns, skew)
    rects = _rects([map_points(b, scale_map) / scale for b in boxes], page.shape)
    if is_upside_down(ocr_engine.upside_down(_voter_crops(page, rects), threads)):
        turns += 2
        page = _warped(gray, turns, skew)
        rects = [_half_turn(r, page.shape) for r in rects]
    return _Upright(page, rects, turns, skew)


def _warped(gray: np.ndarray, turns: int, skew: float) -> np.ndarray:
    matrix, width, height = upright_map(gray.shape[1], gray.shape[0], turns, skew)
    return warp(gray, matrix, width, height)


def _rects(boxes: list[np.ndarray], shape: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Axis-aligned boxes (x0, top, x1, bottom) around the quadrilaterals, inside the image."""
    height, width = shape
    rects = []
    for b in boxes:
        x0, y0 = np.floor(b.min(axis=0)).astype(int)
        x1, y1 = np.ceil(b.max(axis=0)).astype(int)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            rects.append((int(x0), int(y0), int(x1), int(y1)))
    return rects


def _half_turn(rect: tuple[int, int, int, int], shape: tuple[int, int]) -> tuple[int, int, int, int]:
    height, width = shape
    x0, y0, x1, y1 = rect
    return width - x1, height - y1, width - x0, height - y0


def _voter_crops(page: np.ndarray, rects: list[tuple[int, int, int, int]]) -> list[np.ndarray]:
    """Crops of the longest lines (at least 2.5 × as wide as tall): the ones the classifier reads surely."""
    lines = [r for r in rects if r[2] - r[0] >= 2.5 * (r[3] - r[1])]
    lines.sort(key=lambda r: r[2] - r[0], reverse=True)
    return [page[y0:y1, x0:x1] for x0, y0, x1, y1 in lines[:_VOTERS]]


def _read_words(upright: _Upright, text_ink: np.ndarray, rules: Rules, threads: int) -> list[PixelWord]:
    """Every box read at full resolution and cut into words; words the detector split needlessly joined."""
    crops = [upright.image[y0:y1, x0:x1] for x0, y0, x1, y1 in upright.boxes]
    words = []
    for rec, rect in zip(ocr_engine.recognise(crops, threads), upright.boxes, strict=True):
        if rec.confidence >= MIN_CONFIDENCE and rec.text.strip():
            words.extend(line_words(rec, rect, text_ink, rules.vertical_mask))
    return join_close(words, rules.vertical)


def _to_points(word: PixelWord, scale: float) -> list[OcrWord]:
    """A pixel word as point words, with the text layer's own splits (glued amounts, a code against its name),
    its box made the height of its font's em about the ink's centre."""
    text = unicodedata.normalize("NFKC", word.text) if set(word.text) <= _NUMERIC else word.text
    text = amount_reading(text)
    lookalike = letters_as_digits(text)  # `1O2.50`: taken as 102.50, kept as read for the identities to confirm
    read_as, text = (word.text, lookalike) if lookalike else ("", text)
    half = (word.bottom - word.top) / _ink_share(text) / 2
    centre = (word.top + word.bottom) / 2
    plain = Word(text, word.x0 * scale, word.x1 * scale, (centre - half) * scale, (centre + half) * scale)
    return [OcrWord(p.text, p.x0, p.x1, p.top, p.bottom, word.confidence, read_as)
            for glued in split_glued_amounts(plain) for p in split_code_from_name(glued)]

