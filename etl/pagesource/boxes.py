"""Text boxes completed before they are read.

The detector cuts a line into pieces at wide-set punctuation or sparse glyphs (`一` `、` `一般公共服务支出`) and
leaves out thin glyphs at a line's ends (the `一、` of `一、一般公共预算财政拨款收入`, a closing `。`). Pieces of one
line closer than a word gap are joined (the recogniser reads `一` better beside its neighbours, and the cutter
then cuts by ink), and each box is grown sideways over the ink that continues its line — never across a cell border (a
vertical rule) nor into another box."""

from __future__ import annotations

import numpy as np

from etl.pagesource.line_words import GAP_EM, ink_rows

Rect = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


MERGE_GAP = 0.5  # boxes of one line closer than this × box height are one piece of text


def merge_neighbours(rects: list[Rect], vertical_rules: list[tuple[float, float, float]]) -> list[Rect]:
    """Boxes of one line (overlapping by half the smaller height) whose gap is under MERGE_GAP × the taller one's
    height, with no vertical rule (x, top, bottom) between them, joined into one."""
    out: list[Rect] = []
    for r in sorted(rects, key=lambda r: r[0]):
        for i, prev in enumerate(out):
            if _neighbours(prev, r) and not _rule_between(prev, r, vertical_rules):
                out[i] = (prev[0], min(prev[1], r[1]), max(prev[2], r[2]), max(prev[3], r[3]))
                break
        else:
            out.append(r)
    return out


def _neighbours(a: Rect, b: Rect) -> bool:
    ha, hb = a[3] - a[1], b[3] - b[1]
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= 0.5 * min(ha, hb) and b[0] - a[2] <= MERGE_GAP * max(ha, hb)


def _rule_between(a: Rect, b: Rect, vertical_rules: list[tuple[float, float, float]]) -> bool:
    yc = (a[1] + a[3] + b[1] + b[3]) / 4
    lo, hi = min(a[2], b[0]), max(a[2], b[0])
    return any(lo - 1 <= x <= hi + 1 and top <= yc <= bottom for x, top, bottom in vertical_rules)


def grow_boxes(rects: list[Rect], text_ink: np.ndarray, borders: np.ndarray) -> list[Rect]:
    """Every box grown left and right over its line's ink (see module doc)."""
    return [_grown(i, rects, text_ink, borders) for i in range(len(rects))]


def _grown(i: int, rects: list[Rect], text_ink: np.ndarray, borders: np.ndarray) -> Rect:
    x0, top, x1, bottom = rects[i]
    rows = ink_rows(text_ink[top:bottom, x0:x1])
    if rows is None:
        return rects[i]
    b0, b1 = top + rows[0], top + rows[1] + 1
    inked = text_ink[b0:b1].any(axis=0)
    blocked = borders[b0:b1].mean(axis=0) >= 0.5
    for j, (ox0, otop, ox1, obottom) in enumerate(rects):
        if j != i and min(obottom, b1) - max(otop, b0) > 0.5 * (b1 - b0):
            blocked[ox0:ox1] = True
    gap = int(GAP_EM * (b1 - b0))
    return _reach(inked, blocked, x0, -1, gap), top, _reach(inked, blocked, x1 - 1, 1, gap) + 1, bottom


def _reach(inked: np.ndarray, blocked: np.ndarray, edge: int, step: int, gap: int) -> int:
    """The farthest column from `edge` (going `step`) reachable over ink with blank stretches of at most `gap`
    columns, stopping at a blocked column."""
    x, blank = edge, 0
    while 0 <= x + step < len(inked) and not blocked[x + step] and blank <= gap:
        x += step
        blank = 0 if inked[x] else blank + 1
    return x - step * blank if blank else x
