"""Which way up a scanned page is, and how far it is tilted.

Quarter turns come from the text boxes the detector finds (text lines are wide: a page whose boxes are tall was
scanned sideways) and from the 0/180 classifier's votes on the longest lines. The small skew (±5°) is the angle at
which the page's ink, projected onto the vertical, gives the sharpest profile (text lines and rules line up).
"""

from __future__ import annotations

import numpy as np

MAX_SKEW = 5.0  # degrees searched either way
_COARSE, _FINE = 0.25, 0.02  # degrees
_MAX_SAMPLES = 150_000  # ink pixels used for the profile: more adds time, not precision


def box_sides(box: np.ndarray) -> tuple[float, float]:
    """Width and height of a detected quadrilateral (corners clockwise from top-left)."""
    width = max(np.linalg.norm(box[1] - box[0]), np.linalg.norm(box[2] - box[3]))
    height = max(np.linalg.norm(box[3] - box[0]), np.linalg.norm(box[2] - box[1]))
    return float(width), float(height)


def is_sideways(boxes: list[np.ndarray]) -> bool:
    """True when tall boxes (text running up or down) outweigh wide ones, each weighed by its long side;
    near-square boxes (a single character) say nothing."""
    wide = tall = 0.0
    for box in boxes:
        w, h = box_sides(box)
        if w >= 1.5 * h:
            wide += w
        elif h >= 1.5 * w:
            tall += h
    return tall > wide


def is_upside_down(votes: list[tuple[bool, float]]) -> bool:
    """The classifier's votes on the page's lines (turned?, score): upside down when the confident votes for
    180° outweigh those for 0°."""
    turned = sum(score for flag, score in votes if flag and score >= 0.8)
    upright = sum(score for flag, score in votes if not flag and score >= 0.8)
    return turned > upright


def estimate_skew(ink: np.ndarray, max_angle: float = MAX_SKEW) -> float:
    """The rotation (degrees, OpenCV's sense: positive anticlockwise about the centre) that makes the ink's text
    lines horizontal: a coarse then a fine search for the sharpest horizontal projection. 0 for a blank page."""
    ys, xs = np.nonzero(ink)
    if len(xs) < 50:
        return 0.0
    if len(xs) > _MAX_SAMPLES:
        pick = np.random.default_rng(0).choice(len(xs), _MAX_SAMPLES, replace=False)
        xs, ys = xs[pick], ys[pick]
    x = (xs - ink.shape[1] // 2).astype(np.float64)  # integer centre: at 0° every pixel row is its own bin
    y = (ys - ink.shape[0] // 2).astype(np.float64)
    coarse = np.arange(-max_angle, max_angle + 1e-9, _COARSE)
    best = _best_angle(x, y, coarse)
    fine = np.arange(best - _COARSE, best + _COARSE + 1e-9, _FINE)
    return float(round(_best_angle(x, y, fine), 3))


def _best_angle(x: np.ndarray, y: np.ndarray, angles: np.ndarray) -> float:
    scores = [_sharpness(x, y, a) for a in angles]
    return float(angles[int(np.argmax(scores))])


def _sharpness(x: np.ndarray, y: np.ndarray, angle: float) -> float:
    """Sum of squared row counts of the ink rotated by `angle`: largest when lines fall into few rows."""
    rad = np.deg2rad(angle)
    rows = np.floor(-np.sin(rad) * x + np.cos(rad) * y + 0.5).astype(np.int64)  # never round half to even
    counts = np.bincount(rows - rows.min())
    return float(np.dot(counts, counts))
