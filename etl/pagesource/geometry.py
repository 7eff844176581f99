"""Image geometry for the OCR page source: the ink mask, and turning a page upright (quarter turns, then a small
skew) as one affine map applied to the image and to the points found on it."""

from __future__ import annotations

import cv2
import numpy as np

INK_CONTRAST = 40.0  # grey levels: ink is at least this much darker than the paper
SPECK_PT = 0.6  # points: a blot of at most this squared in area is a speck (a 8.5 pt Times decimal point is ~1 pt)


def ink_mask(gray: np.ndarray, dpi: float = 200) -> np.ndarray:
    """Ink pixels (True) of a greyscale page, specks left out (see `despeckle`)."""
    return despeckle(gray, dpi)[1]


def despeckle(gray: np.ndarray, dpi: float = 200) -> tuple[np.ndarray, np.ndarray]:
    """The page with its specks turned paper-white, and its ink mask.

    Ink is anything clearly darker than the paper: below the paper's level (the page's median grey) by four times
    its grain (robust spread), and by at least INK_CONTRAST — so a faint hairline such as the stroke of `一` in a
    light scan is ink, and grain is not. A speck is a blot of ink of at most SPECK_PT² in area:
    smaller than the decimal point of small print; the recogniser would read one beside a number as a point
    (`0.00.`, `0:00`), so it is whitened in the image too."""
    paper = float(np.median(gray))
    grain = 1.4826 * float(np.median(np.abs(gray.astype(np.float32) - paper)))
    level = paper - max(4 * grain, INK_CONTRAST)
    blots = (gray < level).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(blots, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= max(2, int((SPECK_PT * dpi / 72) ** 2))
    small[0] = False  # the background
    specks = small[labels]
    ink = (blots == 1) & ~specks
    if not specks.any():
        return gray, ink
    clean = gray.copy()
    clean[specks] = 255
    return clean, ink


def upright_map(width: int, height: int, quarter_turns: int, skew_deg: float) -> tuple[np.ndarray, int, int]:
    """The 2×3 affine map from the scanned image (width × height) to the upright page: first `quarter_turns`
    clockwise turns, then a rotation by `skew_deg` about the centre (OpenCV's sense: positive turns
    anticlockwise). Returns the map and the upright image's width and height."""
    turns = quarter_turns % 4
    if turns == 1:
        turn, w, h = np.array([[0, -1, height], [1, 0, 0]], dtype=np.float64), height, width
    elif turns == 2:
        turn, w, h = np.array([[-1, 0, width], [0, -1, height]], dtype=np.float64), width, height
    elif turns == 3:
        turn, w, h = np.array([[0, 1, 0], [-1, 0, width]], dtype=np.float64), height, width
    else:
        turn, w, h = np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float64), width, height
    skew = cv2.getRotationMatrix2D((w / 2, h / 2), skew_deg, 1.0)
    return _compose(skew, turn), w, h


def _compose(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """outer ∘ inner for 2×3 affine maps."""
    full = np.vstack([outer, [0, 0, 1]]) @ np.vstack([inner, [0, 0, 1]])
    return full[:2]


def warp(gray: np.ndarray, matrix: np.ndarray, width: int, height: int) -> np.ndarray:
    """The image under `matrix`, paper-white where nothing maps."""
    if np.allclose(matrix, [[1, 0, 0], [0, 1, 0]]) and gray.shape == (height, width):
        return gray
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def map_points(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """N×2 points under a 2×3 affine map."""
    return points @ matrix[:, :2].T + matrix[:, 2]
