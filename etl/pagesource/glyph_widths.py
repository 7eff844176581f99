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
from etl.pagesource.pdfium_native import helper

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


_OTHER, _LATIN, _CHINESE = 0, 1, 2


def _kind_table() -> np.ndarray:
    """Each BMP code point's kind: `_latin` (none above U+024F is), `_chinese` (CHINESE_RANGES), else other.
    U+FFFF, which stands for every code point above the BMP, is other."""
    table = np.zeros(0x10000, dtype=np.uint8)
    table[[c for c in range(0x250) if _latin(chr(c))]] = _LATIN
    for low, high in CHINESE_RANGES:
        table[low:high + 1] = _CHINESE
    return table


_KINDS = _kind_table()


def _misdrawn_columns(chars: GlyphColumns) -> str | None:
    """`misdrawn_glyphs` over columns: the same tests on the same doubles, over arrays (or in one call of the
    compiled helper, where it is built), for the pairs the loop does arithmetic on (a Latin glyph and a Chinese
    neighbour, either side), all of a page's pairs in one pass.
    None where such a pair's box is not finite (a NaN makes Python's min and max depend on argument order): the
    loop decides those."""
    code = chars.code
    if len(code) < 2:  # no neighbours
        return ""
    native = helper()
    if native is not None:  # the same tests in one C call: a page's few dozen numpy calls on small arrays cost more
        found = native.misdrawn(code, chars.x0, chars.x1, chars.top, chars.bottom, _KINDS, SAME_SIZE, RUN_GAP)
        if found is None:
            return None
        return "".join(map(chr, code[found].tolist())) if len(found) else ""
    kind = _KINDS[np.minimum(code, 0xFFFF)]
    latin, chinese = kind == _LATIN, kind == _CHINESE
    before = np.flatnonzero(latin[:-1] & chinese[1:])  # a Latin glyph, a Chinese one after it
    after = np.flatnonzero(chinese[:-1] & latin[1:])  # a Chinese glyph, a Latin one after it
    if not len(before) and not len(after):
        return ""
    glyph, other = np.concatenate((before, after + 1)), np.concatenate((before + 1, after))
    found = _square_pairs(chars, glyph, other)
    if found is None:
        return None
    if not found.any():
        return ""
    square = np.zeros(len(code), dtype=bool)
    square[glyph[found]] = True  # a glyph square beside both neighbours is found once, in page order
    return code[square].astype(np.uint32).tobytes().decode("utf-32-le")


def _square_pairs(chars: GlyphColumns, g: np.ndarray, o: np.ndarray) -> np.ndarray | None:
    """`_square_neighbour(glyph g[k], other o[k])` for every k, `o[k]` a Chinese glyph; None if a width or
    height is not finite. The sizes are compared first: most pairs (a digit beside 年) fail there, and the rest
    is worked out only when one passes."""
    box = np.stack((chars.x0, chars.x1, chars.top, chars.bottom))
    at_g, at_o = box[:, g], box[:, o]
    size, o_size = at_g[1::2] - at_g[::2], at_o[1::2] - at_o[::2]  # width (x1 - x0) and height (bottom - top)
    if not np.isfinite(size + o_size).all():  # non-finite if any is (or, harmlessly, if finite ones overflow)
        return None
    square = (np.abs(size - o_size) <= SAME_SIZE * np.maximum(size, o_size)).all(axis=0)  # _close, both ways
    if not square.any():
        return square
    height = size[1]
    gap = np.maximum(at_o[0] - at_g[1], at_g[0] - at_o[1])
    same_line = np.abs(at_o[2] - at_g[2]) <= SAME_SIZE * height
    positive = (np.minimum(size, o_size) > 0).all(axis=0)  # all four finite here: min picks no NaN
    return square & positive & same_line & (gap <= RUN_GAP * height)
