"""Ruling lines of a page image: long horizontal and vertical runs of ink (OpenCV morphology), as the text-layer
source gives them — horizontal (y, x0, x1) and vertical (x, top, bottom) — in image pixels, plus masks of their
pixels so that text measurements can ignore them and words never straddle a cell border.

A rule here is one drawn line, end to end; the text layer often gives one edge per cell instead."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MIN_RULE_PT = 30.0  # a run of ink at least this long (points) is a rule; a stroke of a character is shorter
MAX_THICKNESS_PT = 3.0
MASK_MARGIN_PT = 0.7  # the rule mask is widened by this: a rule's grey, anti-aliased fringe is not text


@dataclass
class Rules:
    """A page image's rules: horizontal (y, x0, x1) and vertical (x, top, bottom) in pixels; the mask of all rule
    pixels with their fringe (not text), and of the vertical ones alone (cell borders: never inside a word)."""

    horizontal: list[tuple[float, float, float]]
    vertical: list[tuple[float, float, float]]
    mask: np.ndarray
    vertical_mask: np.ndarray


def find_rules(ink: np.ndarray, px_per_pt: float) -> Rules:
    """The rules of an upright page's ink mask."""
    length = max(int(MIN_RULE_PT * px_per_pt), 10) | 1  # odd: the opening keeps a run's ends where they are
    binary = ink.astype(np.uint8)
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    thick = MAX_THICKNESS_PT * px_per_pt
    hrules = [(y + h / 2, float(x), float(x + w)) for x, y, w, h in _components(horizontal) if h <= thick]
    vrules = [(x + w / 2, float(y), float(y + h)) for x, y, w, h in _components(vertical) if w <= thick]
    margin = max(int(round(MASK_MARGIN_PT * px_per_pt)), 1)
    kernel = np.ones((2 * margin + 1, 2 * margin + 1), np.uint8)
    return Rules(hrules, vrules, cv2.dilate(horizontal | vertical, kernel).astype(bool), vertical.astype(bool))


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x, y, w, h) of the mask's connected parts."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [tuple(int(v) for v in stats[i, :4]) for i in range(1, count)]
