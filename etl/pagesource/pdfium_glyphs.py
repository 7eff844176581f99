"""The glyphs of a page read by PDFium, as pdfplumber's chars: each box rebuilt the way pdfminer builds it.

    page_glyphs(page, frame) -> GlyphColumns | list[dict] | None

From the glyph's origin and text matrix, an advance taken from PDFium's loose box along the baseline, and a
height of one em hung from the font's Descent (capped as `pdfminer_fixes.get_descent` caps it; a standard font
not embedded takes pdfminer's AFM metrics). PDFium's own tight or loose boxes are not pdfminer's. None when a
glyph has no Unicode mapping (pdfminer writes `(cid:N)` there, PDFium a guess): the caller lets pdfminer read it.
"""

from __future__ import annotations

import ctypes
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.fontmetrics import FONT_METRICS

from etl.pagesource.char_words import SPACES
from etl.pagesource.glyph_columns import GlyphColumns
from etl.pagesource.pdfium_calls import (
    char_matrix,
    close_text,
    count_chars,
    font_ascent,
    font_descent,
    font_embedded,
    font_name,
    font_size,
    generated,
    get_text,
    glyph_object,
    load_text,
    loose_box,
    object_font,
    origin,
    unicode,
    unmapped,
)
from etl.pagesource.pdfium_frame import Frame
from etl.pagesource.pdfium_native import Glyphs, Helper, address, helper
from etl.pagesource.pdfminer_fixes import MAX_DESCENT
from etl.pagesource.text_layer import DUPLICATE_TOLERANCE, WORD_OPTIONS

_WHITESPACE = frozenset(" \t\r\n\x00")

def page_glyphs(page: pdfium.PdfPage, frame: Frame,
                native: Helper | None | Literal["ask"] = "ask") -> GlyphColumns | list[dict] | None:
    """The page's glyphs as pdfplumber's chars (text, x0, x1, top, bottom, matrix, upright), spaces PDFium
    made up itself left out (pdfminer has none); None if a glyph has no Unicode mapping. Columns where the
    compiled helper read them (`glyph_columns.as_dicts` makes the dicts), dicts from the Python fallback.
    `native`: the compiled helper (or None for the Python loop) where the caller asked for it already, once a
    document; else asked here."""
    textpage = load_text(ctypes.cast(page.raw, ctypes.c_void_p).value)
    if not textpage:
        return []
    try:
        native = helper() if native == "ask" else native
        return _glyphs(textpage, frame) if native is None else _glyphs_bulk(native, textpage, frame)
    finally:
        close_text(textpage)


def _page_codes(textpage: int, count: int) -> np.ndarray | None:
    """All the page's characters in one call, as code points (uint32), one per index; None when a UTF-16 unit is in
    the surrogates (a pair is one character outside the BMP, making UTF-16 indices differ from character indices; a
    lone one is no character): every other unit is its character's code point."""
    units = np.zeros(count + 1, dtype=np.uint16)
    get_text(textpage, 0, count, address(units))
    units = units[:count]
    if ((units >= 0xD800) & (units <= 0xDFFF)).any():
        return None
    return units.astype(np.uint32)


def _glyphs(textpage: int, frame: Frame) -> list[dict] | None:
    count = count_chars(textpage)
    if count <= 0:
        return []
    codes = _page_codes(textpage, count)
    text = None if codes is None else codes.tolist()
    ox, oy, box, matrix = ctypes.c_double(), ctypes.c_double(), raw.FS_RECTF(), raw.FS_MATRIX()
    page, at_x, at_y, at_box = ctypes.c_void_p(textpage), ctypes.byref(ox), ctypes.byref(oy), ctypes.byref(box)
    styles: dict[int, _Style] = {}
    fonts: dict = {}  # font -> descent, and (matrix, size, font) -> _Style
    chars = []
    for i in range(count):
        ch = chr(text[i] if text is not None else unicode(textpage, i))
        if ch in _WHITESPACE and (ch != " " or generated(page, i)):
            continue
        if unmapped(page, i):
            return None
        obj = glyph_object(page, i) or 0
        style = styles.get(obj)
        if style is None:
            style = styles[obj] = _style(textpage, i, obj, matrix, fonts, frame)
        origin(page, i, at_x, at_y)
        loose_box(page, i, at_box)
        chars.append(style.char(ch, ox.value, oy.value, box))
    return chars


def _glyphs_bulk(native: Helper, textpage: int, frame: Frame) -> GlyphColumns | list[dict] | None:
    """`_glyphs` with its PDFium calls made by the compiled helper in one call per page, and its per-glyph
    arithmetic done over arrays: the same operations in the same order on the same doubles, so the same bits.
    The glyphs stay columns (no dict per glyph) unless the page text has characters outside the BMP."""
    count = count_chars(textpage)
    if count <= 0:
        return []
    codes = _page_codes(textpage, count)
    text = codes is not None  # the page's text is one BMP character per index
    if not text:
        codes = np.array([unicode(textpage, i) for i in range(count)], dtype=np.uint32)
    found = native.glyphs(textpage, codes)
    if found is None:
        return None
    if not len(found.index):
        return []
    styles, style_of = _bulk_styles(found, frame)
    which = style_of[found.object_of]
    if text:
        return _page_columns(native, styles, which, found, codes[found.index])
    x0, x1, top, bottom = _boxes(styles, which, found.origin, found.box)
    index = found.index.tolist()
    chars = [chr(int(codes[i])) for i in index]
    which_list = which.tolist()
    shown = [styles[j].shown for j in which_list]
    upright = [styles[j].upright for j in which_list]
    return [{"text": t, "x0": a, "x1": b, "top": c, "bottom": d, "doctop": c, "matrix": m, "upright": u}
            for t, a, b, c, d, m, u in zip(chars, x0.tolist(), x1.tolist(), top.tolist(), bottom.tolist(),
                                            shown, upright, strict=True)]


def _page_columns(native: Helper, styles: list[_Style], which: np.ndarray, found: Glyphs,
                  code: np.ndarray) -> GlyphColumns:
    """The page's glyphs as columns, their boxes (`_boxes`' arithmetic), the glyphs `text_layer.dedupe_overlaid`
    keeps and those glyphs' upright words (`char_words`' with `text_layer.WORD_OPTIONS`) found by the helper in one
    call, kept on the columns for those steps to take (each keeps its own path where the helper declines)."""
    upright = [s.upright for s in styles]
    # row 0 the frame (padded to a row's length), then per style the numbers `_boxes` reads and its upright flag
    table = np.array([(*styles[0].page, 0.0, 0.0), *((s.norm, s.shown[0], s.shown[1], s.y_em[1], s.x_em[0], s.x_em[1],
                                                      s.y_em[0], s.along_width, s.upright) for s in styles)],
                     dtype=np.float64)
    x_tolerance, y_tolerance = WORD_OPTIONS["x_tolerance"], WORD_OPTIONS["y_tolerance"]
    found_page = native.page(found.origin, found.box, which, table, code, SPACES, DUPLICATE_TOLERANCE, x_tolerance,
                             y_tolerance)
    chars = GlyphColumns(code, found_page.x0, found_page.x1, found_page.top, found_page.bottom, which,
                         [s.shown for s in styles], upright)
    if found_page.keep is not None:
        kept = chars if found_page.keep.all() else chars.take(found_page.keep)
        chars.kept = (DUPLICATE_TOLERANCE, kept)
        if found_page.words is not None:
            reading, *words = found_page.words
            kept.words = (x_tolerance, y_tolerance, (code[reading], *words))
    return chars


def _bulk_styles(found: Glyphs, frame: Frame) -> tuple[list[_Style], np.ndarray]:
    """The distinct styles of the page's text objects (shared as `_style` shares them), and each object's. Objects
    whose matrix, size and font have the same bits are one key (numbered by the helper in the order met):
    `_shared_style` is asked once per such key, in that order (a style depends on its key's values only, so this is
    `_style`'s sharing)."""
    firsts = found.key_first  # each key's first object (the helper numbered the keys, `Helper.glyphs`)
    fonts: dict = {}
    numbers: dict[int, int] = {}  # id(style) -> its place in `styles`
    styles: list[_Style] = []
    style_of_key: list[int] = []
    # the keys' values as Python floats and ints in three conversions, not three numpy scalars per key
    keys = zip(found.matrix[firsts].tolist(), found.size[firsts].tolist(), found.font[firsts].tolist(), strict=True)
    for (a, b, c, d), size, font in keys:
        style = _shared_style((a, b, c, d, size, font or None), fonts, frame)
        number = numbers.setdefault(id(style), len(styles))
        if number == len(styles):
            styles.append(style)
        style_of_key.append(number)
    return styles, np.array(style_of_key, dtype=np.intp)[found.key_of]


def _boxes(styles: list[_Style], which: np.ndarray, origin: np.ndarray, box: np.ndarray) -> tuple[np.ndarray, ...]:
    """`_Style.char`'s x0, x1, top, bottom for every glyph at once (glyph k drawn in style `which[k]`)."""
    # each glyph's style numbers in one fancy index: norm, A, B of the matrix, the em box's y high, x low, x high, y low
    table = np.array([(s.norm, s.shown[0], s.shown[1], s.y_em[1], s.x_em[0], s.x_em[1], s.y_em[0]) for s in styles],
                     dtype=np.float64)[which]
    norm, shown_a, shown_b, y_high, x_low, x_high, y_low = table.T
    width, height = box[:, 2] - box[:, 0], box[:, 1] - box[:, 3]
    along = np.array([s.along_width for s in styles])[which]
    advance = np.where(along, width, height) / norm
    A, B = shown_a * advance, shown_b * advance
    a, b, c, d, e, f, page_height = styles[0].page
    x, y = origin[:, 0], origin[:, 1]
    left, top = a * x + c * y + e, page_height - (b * x + d * y + f)
    # min(0.0, v) and max(0.0, v) as Python takes them (0.0 unless v is strictly below / above it)
    top_edge = top - np.where(B > 0.0, B, 0.0) - y_high
    x0 = left + np.where(A < 0.0, A, 0.0) + x_low
    x1 = left + np.where(A > 0.0, A, 0.0) + x_high
    bottom = top - np.where(B < 0.0, B, 0.0) - y_low
    return x0, x1, top_edge, bottom


class _Style:
    """What the glyphs of one text object share: the text matrix on the displayed page, and the em box's
    vertical extent (descent to descent + size) in text space, both turned into page offsets once."""

    def __init__(self, a: float, b: float, c: float, d: float, size: float, descent: float, frame: Frame) -> None:
        # the advance runs along the baseline (a, b): PDFium's loose box is axis-aligned, so it is read off the
        # box's width for a baseline nearer horizontal, its height otherwise, and scaled back to text space
        self.along_width = abs(a) >= abs(b)
        self.norm = (a * a + b * b) ** 0.5 or 1.0
        self.shown = A, B, C, D = frame.matrix_of(a, b, c, d)
        self.upright = A * D > 0 and B * C <= 0
        low, high = descent * size, descent * size + size
        self.x_em = (min(C * low, C * high), max(C * low, C * high))
        self.y_em = (min(D * low, D * high), max(D * low, D * high))
        self.page = frame.ctm[:4] + (frame.ctm[4] + frame.x_shift, frame.ctm[5], frame.height)

    def char(self, text: str, x: float, y: float, box: raw.FS_RECTF) -> dict:
        """The glyph's box as pdfminer makes it: the quad from the origin along the baseline by the advance and
        from the descent up one em, bounded on the displayed page (each corner is a sum of independent terms)."""
        advance = ((box.right - box.left) if self.along_width else (box.top - box.bottom)) / self.norm
        A, B = self.shown[0] * advance, self.shown[1] * advance
        a, b, c, d, e, f, height = self.page  # the origin on the displayed page
        left, top = a * x + c * y + e, height - (b * x + d * y + f)
        top_edge = top - max(0.0, B) - self.y_em[1]
        return {"text": text, "x0": left + min(0.0, A) + self.x_em[0], "x1": left + max(0.0, A) + self.x_em[1],
                "top": top_edge, "bottom": top - min(0.0, B) - self.y_em[0], "doctop": top_edge,
                "matrix": self.shown, "upright": self.upright}


def _style(textpage: int, index: int, obj: int, matrix: raw.FS_MATRIX, fonts: dict, frame: Frame) -> _Style:
    """The style of the text object glyph `index` belongs to; objects of the same matrix, size and font (most of
    a page's, one per string shown) share one `_Style`, kept in `fonts` beside the fonts' descents."""
    char_matrix(textpage, index, matrix)
    size = font_size(textpage, index)
    font = object_font(obj) if obj else None
    return _shared_style((matrix.a, matrix.b, matrix.c, matrix.d, size, font), fonts, frame)


def _shared_style(key: tuple, fonts: dict, frame: Frame) -> _Style:
    """The `_Style` of `key` (matrix a, b, c, d, font size, font handle or None), made once per page."""
    font = key[5]
    style = fonts.get(key)
    if style is None:
        if font and font not in fonts:
            fonts[font] = _descent(font)
        style = fonts[key] = _Style(*key[:5], fonts.get(font, 0.0) if font else 0.0, frame)
    return style


def _descent(font: int) -> float:
    """The font's Descent in em, never deeper than MAX_DESCENT (as pdfminer_fixes.get_descent). For a standard
    font the PDF does not embed (Times-Roman, Helvetica …), pdfminer takes the metrics from its own AFM table,
    not from the file or a substitute font as PDFium does (0.27 pt lower at 12 pt for Times-Roman)."""
    standard = _standard_metrics(font)
    if standard is not None:
        low, high = standard
    else:
        descent, ascent = ctypes.c_float(), ctypes.c_float()
        font_descent(font, 1000.0, descent)
        font_ascent(font, 1000.0, ascent)
        low, high = descent.value / 1000, ascent.value / 1000
    if low >= -MAX_DESCENT:
        return low
    span = high - low
    return max(low / span if span > 1 else low, -MAX_DESCENT)


_NameBuffer = ctypes.c_char * 128  # the array type made once: `create_string_buffer` makes it per call


def _standard_metrics(font: int) -> tuple[float, float] | None:
    """(descent, ascent) in em from pdfminer's AFM table, for a font not embedded whose name it holds."""
    if font_embedded(font):
        return None
    name = _NameBuffer()
    font_name(font, name, len(name))
    metrics = FONT_METRICS.get(name.value.decode("latin-1"))
    if metrics is None:
        return None
    descriptor = metrics[0]
    return -abs(float(descriptor.get("Descent", 0))) / 1000, float(descriptor.get("Ascent", 0)) / 1000
