"""The PDFium page source: a PDF's text layer read by PDFium (pypdfium2) into the same `Page`s as pdfplumber's.

    load_pages(path) -> list[Page]

pdfplumber (pdfminer.six) is the reference page source; this one is several times faster and gives the same
words and rules, because it rebuilds each glyph's box the way pdfminer does instead of using PDFium's boxes:
from the glyph's origin and text matrix, an advance taken from PDFium's loose box along the baseline, and a
height of one em hung from the font's Descent (capped as `pdfminer_fixes.get_descent` caps it). Rules are
pdfminer's edges rebuilt from the path objects' segments (lines, rectangles, other paths' straight chords).
Coordinates are those pdfplumber gives: the displayed page (/Rotate applied), y down from the MediaBox top.

A file PDFium cannot open is handed to the reference source, so a bad file fails with the reference's
reason (or is read by it, if pdfminer can).
"""

from __future__ import annotations

import ctypes
import re
import struct
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pypdfium2_raw.bindings as bindings
from pdfminer.fontmetrics import FONT_METRICS

import etl.pagesource.text_layer as text_layer
from etl.pagesource.page import Page
from etl.pagesource.pdfminer_fixes import MAX_DESCENT

_LIB = bindings._libs["pdfium"]  # the CDLL pypdfium2 loaded: our own function objects over it


def _function(name: str, restype, *argtypes):
    """A private binding of a PDFium function: a pointer returned as a plain int is cheap to use as a key."""
    fn = _LIB[name]
    fn.restype, fn.argtypes = restype, argtypes
    return fn


def _hot(name: str, restype):
    """A binding for a call made per glyph or per path segment: no argument types, so ctypes converts nothing
    (half the cost of a call); the caller passes ready ctypes objects (a handle as c_void_p, byref pointers)."""
    fn = _LIB[name]
    fn.restype, fn.argtypes = restype, None
    return fn


class _Handle(ctypes.c_void_p):
    """A PDFium handle kept as a ctypes object (a c_void_p subclass is not turned into an int when returned), so
    it can be passed on to an untyped call as it is."""


_c_void = ctypes.c_void_p
_object_font = _function("FPDFTextObj_GetFont", _c_void, _c_void)
_object_type = _function("FPDFPageObj_GetType", ctypes.c_int, _c_void)
_object_matrix = _function("FPDFPageObj_GetMatrix", ctypes.c_int, _c_void, ctypes.POINTER(raw.FS_MATRIX))
_page_object = _function("FPDFPage_GetObject", _c_void, _c_void, ctypes.c_int)
_form_object = _function("FPDFFormObj_GetObject", _c_void, _c_void, ctypes.c_ulong)
_form_count = _function("FPDFFormObj_CountObjects", ctypes.c_int, _c_void)
_segment_count = _function("FPDFPath_CountSegments", ctypes.c_int, _c_void)
_segment = _hot("FPDFPath_GetPathSegment", _Handle)
_segment_point = _hot("FPDFPathSegment_GetPoint", ctypes.c_int)
_segment_type = _hot("FPDFPathSegment_GetType", ctypes.c_int)
_segment_close = _hot("FPDFPathSegment_GetClose", ctypes.c_int)
_font_descent = _function("FPDFFont_GetDescent", ctypes.c_int, _c_void, ctypes.c_float, ctypes.POINTER(ctypes.c_float))
_font_embedded = _function("FPDFFont_GetIsEmbedded", ctypes.c_int, _c_void)
_font_name = _function("FPDFFont_GetBaseFontName", ctypes.c_size_t, _c_void, ctypes.c_char_p, ctypes.c_size_t)
_font_ascent = _function("FPDFFont_GetAscent", ctypes.c_int, _c_void, ctypes.c_float, ctypes.POINTER(ctypes.c_float))

#: pdfminer's page transformation per /Rotate, from the MediaBox (x0, y0, x1, y1): PDFPageInterpreter.process_page
_ROTATIONS = {
    0: lambda x0, y0, x1, y1: (1, 0, 0, 1, -x0, -y0),
    90: lambda x0, y0, x1, y1: (0, -1, 1, 0, -y0, x1),
    180: lambda x0, y0, x1, y1: (-1, 0, 0, -1, x1, y1),
    270: lambda x0, y0, x1, y1: (0, 1, -1, 0, y1, -x0),
}
_WHITESPACE = frozenset(" \t\r\n\x00")


def load_pages(path: str | Path) -> list[Page]:
    """Every page's words and rules. A file PDFium cannot open, or a page it cannot load, sends the document to
    the reference source, which reads it or raises its own clear DocumentError; pages PDFium reads otherwise
    than pdfminer (see `_read_page`) are read by the reference, the rest by PDFium."""
    if _length_past_end(path):
        return text_layer.load_pages(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return text_layer.load_pages(path)
    try:
        pages = _read_pages(pdf)
    except pdfium.PdfiumError:  # a page PDFium cannot load (a /Kids loop …)
        return text_layer.load_pages(path)
    finally:
        pdf.close()
    missing = [number for number, page in enumerate(pages, start=1) if page is None]
    if missing:
        for page in text_layer.load_pages(path, missing):
            pages[page.number - 1] = page
    return pages


def _length_past_end(path: str | Path) -> bool:
    """Whether a stream declares a /Length beyond the file's end. PDFium quietly finds the stream's real end;
    pdfminer believes the length (and runs out of memory on a terabyte): such a file is the reference's to read,
    so that it fails, or not, as it always has. Only numbers as long as the file size can exceed it."""
    data = Path(path).read_bytes()
    digits = len(str(len(data)))
    pattern = re.compile(rb"/Length\s+(\d{%d,})" % digits)
    return any(int(m.group(1)) > len(data) for m in pattern.finditer(data))


def _read_pages(pdf: pdfium.PdfDocument) -> list[Page | None]:
    pages: list[Page | None] = []
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            pages.append(_read_page(page, index + 1))
        finally:
            page.close()
    return pages


def _decimal(value: float) -> float:
    """The shortest decimal that PDFium's single-precision `value` came from (595.3, not 595.2999877929688), as
    pdfminer reads a box's numbers from the file."""
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        shortest = float(f"{value:.{digits}g}")
        if struct.unpack("f", struct.pack("f", shortest))[0] == single:
            return shortest
    return value


class _Frame:
    """The displayed page: pdfminer's rotation transform, then y flipped from the MediaBox top (pdfplumber)."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        x0, y0, x1, y1 = (_decimal(v) for v in page.get_mediabox())
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        rotation = page.get_rotation() % 360
        self.ctm = _ROTATIONS.get(rotation, _ROTATIONS[0])(x0, y0, x1, y1)
        self.width, self.height = (y1 - y0, x1 - x0) if rotation in (90, 270) else (x1 - x0, y1 - y0)
        self.x_shift = x0  # pdfplumber adds the MediaBox's left edge back

    def matrix_of(self, a: float, b: float, c: float, d: float) -> tuple[float, float, float, float]:
        """The linear part (a, b, c, d) of a matrix in user space followed by the page transform, y still up."""
        A, B, C, D = self.ctm[:4]
        return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D)


def _read_page(page: pdfium.PdfPage, number: int) -> Page | None:
    """The page, or None where the reference must read it: a page holding glyphs without a Unicode mapping
    (PDFium guesses letters where pdfminer writes `(cid:N)`, and the garbled-text verdict and its reason depend
    on which), or a page PDFium found nothing on (it drops content it cannot parse, e.g. nesting too deep)."""
    if not raw.FPDFPage_CountObjects(page.raw):
        return None
    frame = _Frame(page)
    chars = _chars(page, frame)
    if chars is None:
        return None
    drawings = _Drawings(frame)
    drawings.read(page.raw)
    return text_layer.page_from_objects(number, frame.width, frame.height, chars, drawings.edges(),
                                        drawings.images, lambda: drawings.curves)


# ---- glyphs -------------------------------------------------------------------------------------------------

_load_text = _function("FPDFText_LoadPage", _c_void, _c_void)
_close_text = _function("FPDFText_ClosePage", None, _c_void)
_count_chars = _function("FPDFText_CountChars", ctypes.c_int, _c_void)
_get_text = _function("FPDFText_GetText", ctypes.c_int, _c_void, ctypes.c_int, ctypes.c_int, ctypes.c_void_p)
_unicode = _function("FPDFText_GetUnicode", ctypes.c_uint, _c_void, ctypes.c_int)
_generated = _hot("FPDFText_IsGenerated", ctypes.c_int)
_unmapped = _hot("FPDFText_HasUnicodeMapError", ctypes.c_int)
_glyph_object = _hot("FPDFText_GetTextObject", ctypes.c_void_p)
_origin = _hot("FPDFText_GetCharOrigin", ctypes.c_int)
_loose_box = _hot("FPDFText_GetLooseCharBox", ctypes.c_int)
_char_matrix = _function("FPDFText_GetMatrix", ctypes.c_int, _c_void, ctypes.c_int, ctypes.POINTER(raw.FS_MATRIX))
_font_size = _function("FPDFText_GetFontSize", ctypes.c_double, _c_void, ctypes.c_int)


def _chars(page: pdfium.PdfPage, frame: _Frame) -> list[dict] | None:
    """The page's glyphs as pdfplumber's chars (text, x0, x1, top, bottom, matrix, upright), spaces PDFium
    made up itself left out (pdfminer has none); None if a glyph has no Unicode mapping."""
    textpage = _load_text(ctypes.cast(page.raw, _c_void).value)
    if not textpage:
        return []
    try:
        return _glyphs(textpage, frame)
    finally:
        _close_text(textpage)


def _page_text(textpage: int, count: int) -> str | None:
    """All the page's characters in one call, one per index; None when a character outside the BMP makes
    UTF-16 indices differ from character indices."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    _get_text(textpage, 0, count, buffer)
    text = buffer.raw[: 2 * count].decode("utf-16-le", errors="surrogatepass")
    if len(text) != count or any("\ud800" <= ch <= "\udfff" for ch in text):
        return None
    return text


def _glyphs(textpage: int, frame: _Frame) -> list[dict] | None:
    count = _count_chars(textpage)
    if count <= 0:
        return []
    text = _page_text(textpage, count)
    ox, oy, box, matrix = ctypes.c_double(), ctypes.c_double(), raw.FS_RECTF(), raw.FS_MATRIX()
    page, at_x, at_y, at_box = _c_void(textpage), ctypes.byref(ox), ctypes.byref(oy), ctypes.byref(box)
    styles: dict[int, _Style] = {}
    fonts: dict = {}  # font -> descent, and (matrix, size, font) -> _Style
    chars = []
    for i in range(count):
        ch = text[i] if text is not None else chr(_unicode(textpage, i))
        if ch in _WHITESPACE and (ch != " " or _generated(page, i)):
            continue
        if _unmapped(page, i):
            return None
        obj = _glyph_object(page, i) or 0
        style = styles.get(obj)
        if style is None:
            style = styles[obj] = _style(textpage, i, obj, matrix, fonts, frame)
        _origin(page, i, at_x, at_y)
        _loose_box(page, i, at_box)
        chars.append(style.char(ch, ox.value, oy.value, box))
    return chars


class _Style:
    """What the glyphs of one text object share: the text matrix on the displayed page, and the em box's
    vertical extent (descent to descent + size) in text space, both turned into page offsets once."""

    def __init__(self, a: float, b: float, c: float, d: float, size: float, descent: float, frame: _Frame) -> None:
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


def _style(textpage: int, index: int, obj: int, matrix: raw.FS_MATRIX, fonts: dict, frame: _Frame) -> _Style:
    """The style of the text object glyph `index` belongs to; objects of the same matrix, size and font (most of
    a page's, one per string shown) share one `_Style`, kept in `fonts` beside the fonts' descents."""
    _char_matrix(textpage, index, matrix)
    size = _font_size(textpage, index)
    font = _object_font(obj) if obj else None
    key = (matrix.a, matrix.b, matrix.c, matrix.d, size, font)
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
        _font_descent(font, 1000.0, descent)
        _font_ascent(font, 1000.0, ascent)
        low, high = descent.value / 1000, ascent.value / 1000
    if low >= -MAX_DESCENT:
        return low
    span = high - low
    return max(low / span if span > 1 else low, -MAX_DESCENT)


def _standard_metrics(font: int) -> tuple[float, float] | None:
    """(descent, ascent) in em from pdfminer's AFM table, for a font not embedded whose name it holds."""
    if _font_embedded(font):
        return None
    name = ctypes.create_string_buffer(128)
    _font_name(font, name, len(name))
    metrics = FONT_METRICS.get(name.value.decode("latin-1"))
    if metrics is None:
        return None
    descriptor = metrics[0]
    return -abs(float(descriptor.get("Descent", 0))) / 1000, float(descriptor.get("Ascent", 0)) / 1000


# ---- drawings -----------------------------------------------------------------------------------------------

_LINE_SHAPES = ("ml", "mlh")
_MOVETO, _BEZIER = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
_RECT_SHAPES = ("mlllh", "mllll")


class _Drawings:
    """pdfminer's view of the page's vector drawing: each path split into subpaths, each subpath a line, a
    rectangle or a curve (LTLine, LTRect, LTCurve), and the images; form XObjects entered."""

    def __init__(self, frame: _Frame) -> None:
        self.frame = frame
        # user space to the displayed page, y still up (flipped from `frame.height` per point)
        self.page = frame.ctm[:4] + (frame.ctm[4] + frame.x_shift, frame.ctm[5])
        self.lines: list[dict] = []
        self.rects: list[dict] = []
        self.curve_edges: list[dict] = []
        self.curves = 0
        self.images = 0

    def edges(self) -> list[dict]:
        """In pdfplumber's order: lines, then rectangles' edges, then curves' edges."""
        return self.lines + self.rects + self.curve_edges

    def read(self, page_raw) -> None:
        page = ctypes.cast(page_raw, _c_void).value
        count = raw.FPDFPage_CountObjects(page_raw)
        self._objects([_page_object(page, i) for i in range(count)], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))

    def _objects(self, objects: list[int], outer: tuple) -> None:
        matrix = raw.FS_MATRIX()
        for obj in objects:
            kind = _object_type(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                self.images += 1
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                _object_matrix(obj, matrix)
                self._path(obj, _compose(_compose(_as_tuple(matrix), outer), self.page))
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                _object_matrix(obj, matrix)
                inner = [_form_object(obj, i) for i in range(_form_count(obj))]
                self._objects(inner, _compose(_as_tuple(matrix), outer))

    def _path(self, obj: int, matrix: tuple) -> None:
        """The path's subpaths in pdfminer's terms: a shape (m, l, c, h) and its points, a Bézier's end point only
        (PDFium stores a Bézier as three points, pdfminer's curve keeps the last)."""
        x, y = ctypes.c_float(), ctypes.c_float()
        at_x, at_y, path = ctypes.byref(x), ctypes.byref(y), _c_void(obj)
        a, b, c, d, e, f = matrix
        height = self.frame.height
        shape: list[str] = []
        points: list[tuple[float, float]] = []
        controls = 0
        for i in range(_segment_count(obj)):
            segment = _segment(path, i)
            kind = _segment_type(segment)
            if kind == _BEZIER:
                controls = (controls + 1) % 3
                if controls:
                    continue
            if kind == _MOVETO and shape:
                self._subpath("".join(shape), points)
                shape, points = [], []
            _segment_point(segment, at_x, at_y)
            points.append((a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f)))
            shape.append("m" if kind == _MOVETO or not shape else "c" if kind == _BEZIER else "l")
            if _segment_close(segment):
                shape.append("h")
                points.append(points[0])
        if shape:
            self._subpath("".join(shape), points)

    def _subpath(self, shape: str, points: list) -> None:
        """One subpath (points on the displayed page) as pdfminer's converter classifies it (PDFLayoutAnalyzer.
        paint_path, which tests its points after the page's rotation too)."""
        if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
            shape, points = shape[:-2] + "h", points[:-2] + points[-1:]
        if shape in _LINE_SHAPES:
            self.lines.append(_edge(points[0], points[1], line=True))
        elif shape in _RECT_SHAPES and _square(points):
            self.rects.extend(_rect_edges(points[0], points[2]))
        elif len(shape) > 1:
            self.curves += 1
            self.curve_edges.extend(_edge(p, q) for p, q in zip(points, points[1:], strict=False))


def _square(points: list) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    closed = points[0] == points[4]
    return closed and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                       or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))


def _edge(p: tuple, q: tuple, line: bool = False) -> dict:
    top, bottom = min(p[1], q[1]), max(p[1], q[1])
    # pdfplumber labels a line "h" only when its ends' y are equal, a curve's chord by either axis
    orientation = ("h" if top == bottom else "v") if line else ("v" if p[0] == q[0] else "h" if p[1] == q[1] else None)
    return {"x0": min(p[0], q[0]), "x1": max(p[0], q[0]), "top": top, "bottom": bottom, "orientation": orientation}


def _rect_edges(p: tuple, q: tuple) -> list[dict]:
    """pdfplumber's rect_to_edges: top, bottom, left, right."""
    x0, x1 = min(p[0], q[0]), max(p[0], q[0])
    top, bottom = min(p[1], q[1]), max(p[1], q[1])
    return [{"x0": x0, "x1": x1, "top": top, "bottom": top, "orientation": "h"},
            {"x0": x0, "x1": x1, "top": bottom, "bottom": bottom, "orientation": "h"},
            {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "orientation": "v"},
            {"x0": x1, "x1": x1, "top": top, "bottom": bottom, "orientation": "v"}]


def _as_tuple(m: raw.FS_MATRIX) -> tuple:
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """`inner` then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
