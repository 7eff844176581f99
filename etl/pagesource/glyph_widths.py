"""Mis-mapped glyphs told by their width: a Latin letter, digit or sign drawn as wide and as tall as the 汉字 beside it.

    misdrawn_glyphs(chars) -> str   the glyphs found, in page order

Ghostscript's pdfwrite (and PDF printers built on it) can leave a Chinese font whose ToUnicode maps a few glyphs
to ASCII or Latin-1: 上 → P, 公 → |, 、 → 1, inside otherwise correct 汉字 runs. The text reads almost right, so
the page-level glyph counts of `text_quality` pass it, yet every label holding such a glyph is lost. The glyph
keeps its drawing, though, and so its advance: a full em, like the 汉字 next to it. A real Latin glyph set beside
Chinese is narrower (about half an em in a Chinese font; under an em in a Latin one), so an ASCII glyph whose
width and height match those of an adjacent 汉字 to a few percent is a 汉字 read as the wrong character.

It reads the chars pdfplumber already extracted (in the page's reading frame), one pass, no PDF access.
"""

from __future__ import annotations

import functools

import numpy as np

from etl.pagesource.glyph_columns import GlyphColumns

#: width and height of a glyph and of its neighbour within this share of each other: the same square
SAME_SIZE = 0.03
#: Latin glyphs whose own advance comes near an em in common fonts (Arial/Times W ≈ 0.94, @ ≈ 1.0): a real
#: one printed against a 汉字 could pass for a square glyph, so they are never taken as evidence
WIDE_LATIN = frozenset("WMm@%&")
#: punctuation Chinese prints full-width: a producer mapping its full-width glyph to the ASCII sign (（ → "(")
#: keeps the text's sense, so it is no evidence either
FULL_WIDTH_PUNCTUATION = frozenset("(),.:;!?\"'-~")
#: neighbours farther apart than this share of the glyph's height are not one run
RUN_GAP = 0.35


def misdrawn_glyphs(chars: list[dict] | GlyphColumns) -> str:
    """The ASCII and Latin-1 letters drawn as full-width squares right next to a 汉字 or a Chinese punctuation
    mark of the same size (see the module docstring), in the order of `chars`."""
    if isinstance(chars, GlyphColumns):
        found = _misdrawn_columns(chars)
        if found is not None:
            return found
        chars = chars.dicts()
    found = []
    last = len(chars) - 1
    for i, ch in enumerate(chars):  # a plain loop: this runs once per glyph of every page
        text = ch["text"]
        if _latin(text) and ((i > 0 and _square_neighbour(ch, chars[i - 1]))
                             or (i < last and _square_neighbour(ch, chars[i + 1]))):
            found.append(text)
    return "".join(found)


@functools.lru_cache(maxsize=1 << 16)  # a page's glyphs are a few hundred distinct texts, asked thousands of times
def _latin(text: str) -> bool:
    """A printable ASCII glyph or a Latin-1/Latin Extended letter (Ð, Æ, Ø, Þ), the wide ones and the
    punctuation printed full-width aside."""
    if len(text) != 1 or text in WIDE_LATIN or text in FULL_WIDTH_PUNCTUATION:
        return False
    if text.isascii():
        return text.isprintable() and not text.isspace()
    return "\u00c0" <= text <= "\u024f" and text.isalpha()


#: 汉字 (unified and extension A), CJK punctuation and full-width forms: glyphs a Chinese font draws one em wide
CHINESE_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x3000, 0x303F), (0xFF01, 0xFF5E))


def _chinese(text: str) -> bool:
    """A 汉字 or a full-width Chinese punctuation mark (CHINESE_RANGES)."""
    return len(text) == 1 and any(low <= ord(text) <= high for low, high in CHINESE_RANGES)


def _square_neighbour(glyph: dict, other: dict) -> bool:
    """Whether `other` is a Chinese glyph on the same line, touching `glyph`, of the same width and height."""
    if not _chinese(other["text"]):
        return False
    width, height = glyph["x1"] - glyph["x0"], glyph["bottom"] - glyph["top"]
    o_width, o_height = other["x1"] - other["x0"], other["bottom"] - other["top"]
    if min(width, height, o_width, o_height) <= 0:
        return False
    gap = max(other["x0"] - glyph["x1"], glyph["x0"] - other["x1"])
    same_line = abs(other["top"] - glyph["top"]) <= SAME_SIZE * height
    return (same_line and gap <= RUN_GAP * height and _close(width, o_width) and _close(height, o_height))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_SIZE * max(a, b)


def _latin_table() -> np.ndarray:
    """`_latin` of every code point below U+0250 (none above is Latin), as a lookup table, and False at U+0250
    itself, which stands for every code point above."""
    return np.array([_latin(chr(c)) for c in range(0x251)], dtype=bool)


_LATIN_CODES = _latin_table()


def _misdrawn_columns(chars: GlyphColumns) -> str | None:
    """`misdrawn_glyphs` over columns: the same tests on the same doubles, over arrays, for the pairs the loop
    does arithmetic on (a Latin glyph and a Chinese neighbour). None where such a pair's box is not finite (a NaN
    makes Python's min and max depend on argument order): the loop decides those."""
    code = chars.code
    at = np.flatnonzero(_LATIN_CODES[np.minimum(code, len(_LATIN_CODES) - 1)])
    square = np.zeros(len(at), dtype=bool)
    for step in (-1, 1):
        other = at + step
        inside = np.flatnonzero((other >= 0) & (other < len(code)))
        asked = inside[_chinese_codes(code[other[inside]])]
        if len(asked):
            found = _square_pairs(chars, at[asked], other[asked])
            if found is None:
                return None
            square[asked] |= found
    return code[at[square]].astype(np.uint32).tobytes().decode("utf-32-le")


def _chinese_codes(code: np.ndarray) -> np.ndarray:
    """`_chinese` of each code point."""
    found = np.zeros(len(code), dtype=bool)
    for low, high in CHINESE_RANGES:
        found |= (code >= low) & (code <= high)
    return found


def _square_pairs(chars: GlyphColumns, g: np.ndarray, o: np.ndarray) -> np.ndarray | None:
    """`_square_neighbour(glyph g[k], other o[k])` for every k, `o[k]` a Chinese glyph; None if a width or
    height is not finite."""
    x0, x1, top = chars.x0, chars.x1, chars.top
    w, h, ow, oh = x1[g] - x0[g], chars.bottom[g] - top[g], x1[o] - x0[o], chars.bottom[o] - top[o]
    if not (np.isfinite(w).all() and np.isfinite(h).all() and np.isfinite(ow).all() and np.isfinite(oh).all()):
        return None
    positive = (w > 0) & (h > 0) & (ow > 0) & (oh > 0)
    gap = np.maximum(x0[o] - x1[g], x0[g] - x1[o])
    same_line = np.abs(top[o] - top[g]) <= SAME_SIZE * h
    return (positive & same_line & (gap <= RUN_GAP * h)
            & (np.abs(w - ow) <= SAME_SIZE * np.maximum(w, ow)) & (np.abs(h - oh) <= SAME_SIZE * np.maximum(h, oh)))
