"""Scans made from real PDFs, to test the OCR page source on pages whose true words are known.

    scan_image(gray, skew, seed)             a rendered page as a scanner gives it: tilted by `skew` degrees,
                                             with grain (Gaussian noise) and a few specks
    scan_pdf(src, dst, pages, dpi, skews, quarter_turns)
                                             an image-only PDF of some pages of `src` (each page one greyscale
                                             image, no text layer); a page may be scanned sideways or upside down
    blank_scan(dst, width_pt, height_pt)     an image-only PDF of one blank, grainy page
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from etl.pagesource.render import render_page


def scan_image(gray: np.ndarray, skew: float, seed: int, grain: float = 14.0) -> np.ndarray:
    """The page tilted by `skew` degrees (anticlockwise) about its centre on white paper, with grain and specks."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    tilted = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    rng = np.random.default_rng(seed)
    noisy = tilted.astype(np.float32) + rng.normal(0, grain, tilted.shape).astype(np.float32)
    specks = rng.random(tilted.shape) < 0.0002
    noisy[specks] = rng.uniform(0, 120, int(specks.sum()))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def scan_pdf(
    src: Path, dst: Path, pages: list[int], dpi: int = 200, skews: list[float] | None = None,
    quarter_turns: dict[int, int] | None = None, seed: int = 0,
) -> Path:
    """An image-only PDF of pages `pages` (0-based) of `src` at `dpi`, page i tilted by skews[i] (cycled) and
    turned clockwise by quarter_turns.get(page, 0) quarters (a sheet fed sideways or upside down)."""
    skews = skews or [0.8]
    images = []
    for i, index in enumerate(pages):
        gray, _, _ = render_page(src, index, dpi)
        scanned = scan_image(gray, skews[i % len(skews)], seed + i)
        turns = (quarter_turns or {}).get(index, 0)
        images.append(np.ascontiguousarray(np.rot90(scanned, k=-turns)))
    return write_image_pdf(images, dpi, dst)


def blank_scan(dst: Path, width_pt: float = 595.0, height_pt: float = 842.0, dpi: int = 200, seed: int = 7) -> Path:
    """One blank sheet, scanned: paper white with grain and specks."""
    shape = (round(height_pt * dpi / 72), round(width_pt * dpi / 72))
    return write_image_pdf([scan_image(np.full(shape, 255, np.uint8), 0.0, seed)], dpi, dst)


def write_image_pdf(images: list[np.ndarray], dpi: int, dst: Path) -> Path:
    """Greyscale images as the pages of a PDF, each page the image's size at `dpi`."""
    pil = [Image.fromarray(im, mode="L") for im in images]
    pil[0].save(dst, "PDF", resolution=float(dpi), save_all=True, append_images=pil[1:])
    return dst
