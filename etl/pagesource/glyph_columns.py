"""A page's glyphs read by PDFium kept as columns (code points, boxes, style), not as a dict per char.

    GlyphColumns(code, x0, x1, top, bottom, style, matrices, upright)
    as_dicts(chars) -> list[dict]   pdfplumber's chars, from columns or as they are

Every step of `text_layer.page_from_objects` after the glyphs are read (dedupe, direction, words, misdrawn
glyphs) works over arrays; a dict per char cost more than those steps. Dicts are made only where a rare path
needs them (a page whose text does not run right, chars the array words decline, the Python fallback's loops):
`dicts()` makes exactly the dicts `pdfium_glyphs` made before, so every path gives the same bits.
"""

from __future__ import annotations

import numpy as np


class GlyphColumns:
    """The glyphs of one page: glyph k is the character `code[k]` (one BMP code point, never a surrogate), its
    box x0, x1, top, bottom (float64, top-down on the displayed page), drawn in style `style[k]`: the text matrix
    `matrices[style[k]]` on the displayed page and whether it is upright `upright[style[k]]`."""

    __slots__ = ("code", "x0", "x1", "top", "bottom", "style", "matrices", "upright_of_style", "kept", "words")

    def __init__(self, code: np.ndarray, x0: np.ndarray, x1: np.ndarray, top: np.ndarray, bottom: np.ndarray,
                 style: np.ndarray, matrices: list[tuple], upright: list[bool]) -> None:
        self.code, self.x0, self.x1, self.top, self.bottom = code, x0, x1, top, bottom
        self.style, self.matrices = style, matrices
        self.upright_of_style = np.array(upright, dtype=bool)
        #: (tol, what text_layer.dedupe_overlaid(self, tol) returns), found with the boxes by the compiled helper
        self.kept: tuple[float, GlyphColumns] | None = None
        #: (x_tolerance, y_tolerance, the words' columns as pdfium_native.PageWords.words): found by the helper
        self.words: tuple | None = None

    def __len__(self) -> int:
        return len(self.code)

    def text(self) -> str:
        """The glyphs' characters, one per glyph, as one string."""
        return self.code.astype(np.uint32).tobytes().decode("utf-32-le")

    def upright(self) -> np.ndarray:
        """Each glyph's `upright` flag (bool array)."""
        return self.upright_of_style[self.style]

    def take(self, which: np.ndarray) -> GlyphColumns:
        """The glyphs at `which` (indices or a bool mask), in their order."""
        taken = GlyphColumns.__new__(GlyphColumns)
        taken.code, taken.x0, taken.x1 = self.code[which], self.x0[which], self.x1[which]
        taken.top, taken.bottom, taken.style = self.top[which], self.bottom[which], self.style[which]
        taken.matrices, taken.upright_of_style = self.matrices, self.upright_of_style
        taken.kept = taken.words = None
        return taken

    def dicts(self) -> list[dict]:
        """The glyphs as pdfplumber's chars, the dicts `pdfium_glyphs` made per glyph before there were columns."""
        matrices = self.matrices
        uprights = self.upright_of_style.tolist()
        which = self.style.tolist()
        top = self.top.tolist()
        return [{"text": t, "x0": a, "x1": b, "top": c, "bottom": d, "doctop": c, "matrix": matrices[s],
                 "upright": uprights[s]}
                for t, a, b, c, d, s in zip(self.text(), self.x0.tolist(), self.x1.tolist(), top,
                                            self.bottom.tolist(), which, strict=True)]


def as_dicts(chars: list[dict] | GlyphColumns) -> list[dict]:
    """`chars` as pdfplumber's dicts: columns turned into them, a list of dicts as it is."""
    return chars.dicts() if isinstance(chars, GlyphColumns) else chars
