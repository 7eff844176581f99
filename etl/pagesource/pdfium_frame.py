"""The displayed page as pdfplumber gives it, for the PDFium page source: pdfminer's transform for the page's
/Rotate, y measured down from the MediaBox top, the MediaBox's numbers as the file wrote them.
"""

from __future__ import annotations

import ctypes
import struct

import pypdfium2 as pdfium
import pypdfium2.raw as raw

ROTATIONS = {
    0: lambda x0, y0, x1, y1: (1, 0, 0, 1, -x0, -y0),
    90: lambda x0, y0, x1, y1: (0, -1, 1, 0, -y0, x1),
    180: lambda x0, y0, x1, y1: (-1, 0, 0, -1, x1, y1),
    270: lambda x0, y0, x1, y1: (0, 1, -1, 0, y1, -x0),
}

_DECIMALS: dict[float, float] = {}  # value -> decimal(value), for values other than zeros (their sign) and NaN


def decimal(value: float) -> float:
    """The shortest decimal that PDFium's single-precision `value` came from (595.3, not 595.2999877929688), as
    pdfminer reads a box's numbers from the file. Remembered: a document's pages mostly share one MediaBox."""
    if not value:  # a zero is its own shortest decimal (the sign kept); not remembered: -0.0 and 0.0 are one key
        return float(value)
    known = _DECIMALS.get(value)
    if known is not None:
        return known
    shortest = _decimal(value)
    if len(_DECIMALS) < 4096:
        _DECIMALS[value] = shortest
    return shortest


def _mediabox(page: int) -> tuple:
    """`PdfPage.get_mediabox()` by the handle: the four floats, or (0, 0, 612, 792) where the page has none."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        return (0, 0, 612, 792)
    return (left.value, bottom.value, right.value, top.value)


def _rotation(page: int) -> int:
    """`PdfPage.get_rotation()` by the handle: the clockwise rotation in degrees."""
    turns = raw.FPDFPage_GetRotation(page)
    if turns == -1:
        raise pdfium.PdfiumError("Failed to get page rotation.")
    return 90 * turns  # PDFium counts quarter turns, 0-3


def _decimal(value: float) -> float:
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        shortest = float(f"{value:.{digits}g}")
        if struct.unpack("f", struct.pack("f", shortest))[0] == single:
            return shortest
    return value


class Frame:
    """The displayed page: pdfminer's rotation transform, then y flipped from the MediaBox top (pdfplumber)."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        """`page`: a PdfPage, or any object holding a page handle as `raw` (`pdfium_layer.RawPage`)."""
        x0, y0, x1, y1 = (decimal(v) for v in _mediabox(page.raw))
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        rotation = _rotation(page.raw) % 360
        self.ctm = ROTATIONS.get(rotation, ROTATIONS[0])(x0, y0, x1, y1)
        self.width, self.height = (y1 - y0, x1 - x0) if rotation in (90, 270) else (x1 - x0, y1 - y0)
        self.x_shift = x0  # pdfplumber adds the MediaBox's left edge back

    def matrix_of(self, a: float, b: float, c: float, d: float) -> tuple[float, float, float, float]:
        """The linear part (a, b, c, d) of a matrix in user space followed by the page transform, y still up."""
        A, B, C, D = self.ctm[:4]
        return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D)


def as_tuple(m: raw.FS_MATRIX) -> tuple:
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def compose(inner: tuple, outer: tuple) -> tuple:
    """`inner` then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
