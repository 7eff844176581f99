"""A recognised text line cut into words, one per table cell.

The detector may draw one box over neighbouring cells (a label and its amount, two amounts). The line is cut where
the ink (rules removed) leaves a gap wider than `GAP_EM` of the text height; each character, placed by the
recogniser's column, goes to the ink run it falls in. Each word's box is the ink it covers, so positions are
those of the printed glyphs, as the text layer gives them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.pagesource.ocr_engine import Recognised

GAP_EM = 0.6  # a blank stretch wider than this × text height separates two words
PUNCT_BLANK_EM = 0.6  # blank a full-width punctuation mark carries in its own glyph, × text height
_SEPARATORS = ".,，。．"
_CLOSING = "、，。：；！？）》」』】”"
_OPENING = "（《「『【“"


@dataclass(frozen=True)
class PixelWord:
    """A word in upright-image pixels, with the recogniser's mean confidence over its characters."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float


def line_words(
    rec: Recognised, box: tuple[int, int, int, int], text_ink: np.ndarray, borders: np.ndarray | None = None
) -> list[PixelWord]:
    """The words of one recognised line whose crop is `box` (x0, top, x1, bottom) on the page's text ink; the line
    is also cut wherever `borders` (the page's vertical-rule mask) crosses it."""
    x0, top, x1, bottom = box
    ink = text_ink[top:bottom, x0:x1]
    chars = [(ch, x, c) for ch, x, c in rec.chars if not ch.isspace()]
    if not chars:
        return []
    rows = ink_rows(ink)
    if rows is None:
        return [PixelWord(rec.text.replace(" ", ""), x0, x1, top, bottom, rec.confidence)]
    band = ink[rows[0]:rows[1] + 1]
    walls = None
    if borders is not None:
        walls = borders[top + rows[0]:top + rows[1] + 1, x0:x1].mean(axis=0) >= 0.5
    runs = _runs(band.any(axis=0), GAP_EM * (rows[1] - rows[0] + 1), walls)
    groups: dict[int, list[tuple[str, float, float]]] = {}
    for ch, x, conf in chars:
        groups.setdefault(_nearest_run(runs, x), []).append((ch, x, conf))
    words = []
    for i, j in _word_spans(groups, runs, rows[1] - rows[0] + 1):
        a, b = runs[i][0], runs[j][1]
        word_rows = ink_rows(ink[:, a:b + 1]) or rows
        chars_ij = [c for k in sorted(groups) if i <= k <= j for c in groups[k]]
        text = "".join(ch for ch, _, _ in chars_ij)
        conf = float(np.mean([c for _, _, c in chars_ij]))
        words.append(PixelWord(text, x0 + a, x0 + b + 1, top + word_rows[0], top + word_rows[1] + 1, conf))
    return words


def _word_spans(
    groups: dict[int, list[tuple[str, float, float]]], runs: list[tuple[int, int]], height: int
) -> list[tuple[int, int]]:
    """Runs that carry characters, as spans (first, last) of runs read as one word. Runs are kept together where
    the cut would fall inside a number (`51` `.32`: a decimal point or a thousands comma is a small dot that
    blurs away in a coarse scan, leaving a wide gap), and after wide-set punctuation (`一、` `一般…`: the blank
    half of a full-width `、` or `，` is part of its glyph, not a gap between words)."""
    spans: list[tuple[int, int]] = []
    previous, last = "", -1
    for k in sorted(groups):
        text = "".join(ch for ch, _, _ in groups[k])
        gap = runs[k][0] - runs[last][1] - 1 if spans else 0
        if spans and (_inside_number(previous, text) or _wide_set(previous, text, gap, height)):
            spans[-1] = (spans[-1][0], k)
        else:
            spans.append((k, k))
        previous, last = text, k
    return spans


def _wide_set(left: str, right: str, gap: int, height: int) -> bool:
    """True when the gap is the blank half of a full-width punctuation mark closing `left` or opening `right` (or
    closing `left` but placed, by the recogniser's coarse columns, at the start of `right`)."""
    if not left or not right or not (left[-1] in _CLOSING or right[0] in _OPENING or right[0] in _CLOSING):
        return False
    return gap <= (GAP_EM + PUNCT_BLANK_EM) * height


def _inside_number(left: str, right: str) -> bool:
    """True when `left` + `right` continue one number across the cut: a separator on either side of it."""
    if not left or not right:
        return False
    return (left[-1].isdigit() and right[0] in _SEPARATORS and right[1:2].isdigit()) or (
        left[-1] in _SEPARATORS and right[0].isdigit() and left[-2:-1].isdigit())


def join_close(words: list[PixelWord], vertical_rules: list[tuple[float, float, float]] = ()) -> list[PixelWord]:
    """Words of one text line that the detector boxed apart though the gap between them is narrower than a word
    gap (`科目` `名称` of one cell) joined again, by the rule that cuts a line — never across a vertical rule
    (x, top, bottom)."""
    out: list[PixelWord] = []
    for w in sorted(words, key=lambda w: w.x0):
        for i, prev in enumerate(out):
            if (_same_line(prev, w) and 0 <= w.x0 - prev.x1 <= GAP_EM * max(_height(prev), _height(w))
                    and not _wall_between(prev, w, vertical_rules)):
                out[i] = _joined(prev, w)
                break
        else:
            out.append(w)
    return out


def _wall_between(a: PixelWord, b: PixelWord, vertical_rules: list[tuple[float, float, float]]) -> bool:
    yc = (a.top + a.bottom + b.top + b.bottom) / 4
    return any(a.x1 <= x <= b.x0 and top <= yc <= bottom for x, top, bottom in vertical_rules)


def _height(w: PixelWord) -> float:
    return w.bottom - w.top


def _same_line(a: PixelWord, b: PixelWord) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.5 * min(_height(a), _height(b))


def _joined(a: PixelWord, b: PixelWord) -> PixelWord:
    conf = (a.confidence * len(a.text) + b.confidence * len(b.text)) / max(len(a.text) + len(b.text), 1)
    return PixelWord(a.text + b.text, a.x0, b.x1, min(a.top, b.top), max(a.bottom, b.bottom), conf)


def ink_rows(ink: np.ndarray) -> tuple[int, int] | None:
    """First and last row of the crop's ink, trimming 2 % of the ink at either end (a neighbour's stray
    descender or a speck)."""
    counts = ink.sum(axis=1)
    total = counts.sum()
    if total == 0:
        return None
    cumulative = np.cumsum(counts)
    first = int(np.searchsorted(cumulative, 0.02 * total, side="left"))
    last = int(np.searchsorted(cumulative, 0.98 * total, side="left"))
    return first, max(first, last)


def _runs(columns: np.ndarray, max_gap: float, walls: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Runs of inked columns (first, last), joined across blank stretches no wider than `max_gap` and not crossed
    by a wall (a column of `walls` that is True)."""
    inked = np.flatnonzero(columns)
    if len(inked) == 0:
        return [(0, len(columns) - 1)]
    wide = np.diff(inked) - 1 > max_gap
    if walls is not None and walls.any():
        walls_before = np.cumsum(walls)  # walls up to and including each column
        wide |= walls_before[inked[1:] - 1] > walls_before[inked[:-1]]
    breaks = np.flatnonzero(wide)
    starts = [int(inked[0]), *(int(inked[b + 1]) for b in breaks)]
    ends = [*(int(inked[b]) for b in breaks), int(inked[-1])]
    return list(zip(starts, ends, strict=True))


def _nearest_run(runs: list[tuple[int, int]], x: float) -> int:
    """The run containing x, else the nearest one."""
    def distance(run: tuple[int, int]) -> float:
        return 0.0 if run[0] <= x <= run[1] + 1 else min(abs(x - run[0]), abs(x - run[1] - 1))
    return min(range(len(runs)), key=lambda i: distance(runs[i]))
