"""Render a PDF page to a greyscale image (pypdfium2, which pdfplumber already brings)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium


def render_page(path: str | Path, page_index: int, dpi: float = 200) -> tuple[np.ndarray, float, float]:
    """The page as displayed (its /Rotate applied) at `dpi`: a uint8 greyscale image (0 ink, 255 paper) and the
    page's width and height in PDF points, so that pixels can be mapped back to points."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        try:
            image = render_loaded(page, dpi)
            width_pt, height_pt = displayed_size(page, image)
        finally:
            page.close()
    finally:
        pdf.close()
    return image, float(width_pt), float(height_pt)


def displayed_size(page: pdfium.PdfPage, image: np.ndarray) -> tuple[float, float]:
    """Width and height in points of the page as rendered: the page box's sides, in the order of the image's."""
    a, b = page.get_size()
    landscape = image.shape[1] > image.shape[0]
    return (max(a, b), min(a, b)) if landscape else (min(a, b), max(a, b))


def render_loaded(page: pdfium.PdfPage, dpi: float) -> np.ndarray:
    """An already opened pypdfium2 page as a greyscale array (copied, so the page can be closed)."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        array = np.array(bitmap.to_numpy(), copy=True)
    finally:
        bitmap.close()
    return array[:, :, 0] if array.ndim == 3 else array
