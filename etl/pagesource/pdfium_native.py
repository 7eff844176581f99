"""The compiled helper of the PDFium page source: a page's per-glyph PDFium calls in one C loop, a page's whole
vector drawing (objects walked, paths' segments read and classified into edges) in another, a path's per-segment
calls in a third (for the Python walk), `text_layer.dedupe_overlaid`'s loop over a page's chars in a fourth, and
`glyph_widths`' misdrawn-glyph pairs and `text_layer`'s rules from a page's edges in a fifth and a sixth.

    helper() -> Helper | None

`native/glyphs.c` is built on first use with the system's C compiler (`cc`, else `gcc`) into a cache folder
(`$JUESUAN_NATIVE_CACHE`, else `$XDG_CACHE_HOME/juesuan/native`, else `~/.cache/juesuan/native`), one library
per source text and platform, written under a temporary name and renamed (two workers building at once each
get a whole file). It receives PDFium's functions as pointers from the library pypdfium2 loaded, so it links
against nothing. None, and the pure-Python loop of `pdfium_glyphs` runs instead (same output), where there is no
compiler or the build fails (Windows without one), or when `JUESUAN_NATIVE=0` or `JUESUAN_PLATFORM_FALLBACKS=1`
(the portable paths forced, as `etl.portable` reads it) asks for the fallback.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy import ctypeslib  # imported here, not by the first page's np.ctypeslib (the forkserver preloads it)

from etl.pagesource.pdfium_calls import library_function

SOURCE = Path(__file__).with_name("native") / "glyphs.c"
NATIVE_ENV, FALLBACKS_ENV, CACHE_ENV = "JUESUAN_NATIVE", "JUESUAN_PLATFORM_FALLBACKS", "JUESUAN_NATIVE_CACHE"
_OUT_OF_MEMORY = -(2**31)  # INT32_MIN, glyphs.c's answer when malloc fails
BUILD_SECONDS = 120  # a compiler that hangs is given up on: the Python loop is only slower
_CALLS = ("FPDFText_IsGenerated", "FPDFText_HasUnicodeMapError", "FPDFText_GetTextObject", "FPDFText_GetCharOrigin",
          "FPDFText_GetLooseCharBox", "FPDFText_GetMatrix", "FPDFText_GetFontSize", "FPDFTextObj_GetFont")


_PATH_CALLS = ("FPDFPath_GetPathSegment", "FPDFPathSegment_GetType", "FPDFPathSegment_GetPoint",
               "FPDFPathSegment_GetClose")


_DRAWING_CALLS = ("FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix",
                  "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject", "FPDFPath_CountSegments", *_PATH_CALLS)
_TOO_DEEP = -1  # glyphs.c's juesuan_drawing on forms nested deeper than it walks


class _Calls(ctypes.Structure):
    """glyphs.c's `pdfium_calls`: the addresses of the PDFium functions it calls, in its order."""

    _fields_ = [(name, ctypes.c_void_p) for name in _CALLS]


class _PathCalls(ctypes.Structure):
    """glyphs.c's `path_calls`."""

    _fields_ = [(name, ctypes.c_void_p) for name in _PATH_CALLS]


class _DrawingCalls(ctypes.Structure):
    """glyphs.c's `drawing_calls`."""

    _fields_ = [(name, ctypes.c_void_p) for name in _DRAWING_CALLS]


class _EdgeList(ctypes.Structure):
    """glyphs.c's `edge_list`: five doubles per edge (x0, x1, top, bottom, orientation code)."""

    _fields_ = [("values", ctypes.POINTER(ctypes.c_double)), ("count", ctypes.c_size_t), ("capacity", ctypes.c_size_t)]


class _Drawing(ctypes.Structure):
    """glyphs.c's `drawing`."""

    _fields_ = [("lines", _EdgeList), ("rects", _EdgeList), ("curve_edges", _EdgeList), ("images", ctypes.c_int),
                ("curves", ctypes.c_int)]


class Drawing(NamedTuple):
    """A page's vector drawing as `pdfium_drawings.Drawings` reads it."""

    edges: np.ndarray  # n × 5: x0, x1, top, bottom, orientation code (0 "h", 1 "v", 2 none); lines, rects, curves
    images: int
    curves: int


def _edge_values(edges: _EdgeList) -> np.ndarray:
    """The C list's values (n × 5), a view: to be copied before the list is freed."""
    if not edges.count:
        return np.empty((0, 5))
    return ctypeslib.as_array(edges.values, (edges.count, 5))


_NO_EDGES = np.empty((0, 5))
_NO_EDGES.flags.writeable = False  # shared by every page without edges


def _addresses(names: tuple[str, ...]) -> list[int]:
    return [ctypes.cast(library_function(name), ctypes.c_void_p).value for name in names]


class Glyphs(NamedTuple):
    """A text page's glyphs as the Python loop of `pdfium_glyphs` meets them (whitespace skipped as it skips it)."""

    index: np.ndarray  # each kept glyph's index on the text page
    origin: np.ndarray  # n × 2: x, y
    box: np.ndarray  # n × 4: PDFium's loose box, left, top, right, bottom
    object_of: np.ndarray  # the number of the glyph's text object, in order of first meeting
    first: np.ndarray  # per text object: the index of its first glyph, where the following were read
    matrix: np.ndarray  # per text object: m × 4, the text matrix's a, b, c, d
    size: np.ndarray  # per text object: the font size
    font: np.ndarray  # per text object: its font handle (0 for none)
    key_of: np.ndarray  # per text object: its style key (same matrix, size and font bits), in order of first meeting
    key_first: list[int]  # per style key: its first text object


class PageWords(NamedTuple):
    """`Helper.page`'s answer: the glyphs' boxes, which of them dedupe keeps (None where its Python loop must
    decide), and the kept glyphs' words (None where char_words declines them): the kept glyphs' indices in reading
    order without blanks, each word's first place among those, and the words' x0, x1, top, bottom."""

    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    keep: np.ndarray | None
    words: tuple[np.ndarray, ...] | None


class Helper:
    """The built library's `juesuan_glyphs` and `juesuan_path`, with PDFium's functions handed to them once."""

    def __init__(self, library: ctypes.CDLL) -> None:
        self._fn = library.juesuan_glyphs
        self._fn.restype = ctypes.c_int
        self._fn.argtypes = [ctypes.c_void_p] * 2 + [ctypes.c_int] + [ctypes.c_void_p] * 13
        self._path = library.juesuan_path
        self._path.restype = None
        self._path.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_int] + [ctypes.c_void_p] * 3
        self._overlaid = library.juesuan_overlaid
        self._overlaid.restype = ctypes.c_int
        self._overlaid.argtypes = [ctypes.c_int] + [ctypes.c_void_p] * 3 + [ctypes.c_double, ctypes.c_void_p]
        self._drawing = library.juesuan_drawing
        self._drawing.restype = ctypes.c_int
        self._drawing.argtypes = [ctypes.c_void_p] * 3 + [ctypes.c_double, ctypes.c_int, ctypes.c_void_p]
        self._page = library.juesuan_page
        self._page.restype = None
        self._page.argtypes = ([ctypes.c_int] + [ctypes.c_void_p] * 6 + [ctypes.c_double] * 3
                               + [ctypes.c_void_p] * 4)
        self._misdrawn = library.juesuan_misdrawn
        self._misdrawn.restype = ctypes.c_int
        self._misdrawn.argtypes = [ctypes.c_int] + [ctypes.c_void_p] * 6 + [ctypes.c_double] * 2 + [ctypes.c_void_p]
        self._rules = library.juesuan_rules
        self._rules.restype = None
        self._rules.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_double, ctypes.c_double] + [ctypes.c_void_p] * 3
        self._drawing_free = library.juesuan_drawing_free
        self._drawing_free.restype, self._drawing_free.argtypes = None, [ctypes.c_void_p]
        self._calls, self._path_calls = _Calls(*_addresses(_CALLS)), _PathCalls(*_addresses(_PATH_CALLS))
        self._drawing_calls = _DrawingCalls(*_addresses(_DRAWING_CALLS))
        self._library = library  # kept alive with the functions taken from it

    def path(self, path: int, count: int, bezier: int) -> tuple[list[int], list[int], list[float]]:
        """A path object's `count` segments: each one's type (-1 for a Bézier control point passed over, as
        `pdfium_drawings` passes over it), whether it closes its subpath, and its point (x, y flat)."""
        kind, closes, point = np.empty(count, np.intc), np.zeros(count, np.intc), np.zeros(2 * count)
        self._path(ctypes.byref(self._path_calls), path, count, bezier, kind.ctypes.data, closes.ctypes.data,
                   point.ctypes.data)
        return kind.tolist(), closes.tolist(), point.tolist()

    def drawing(self, page: int, matrix: tuple, height: float, bezier: int) -> Drawing | None:
        """The page's whole drawing in one call (`pdfium_drawings.Drawings.read`'s walk, in C): `matrix` takes
        user space onto the displayed page (y up), `height` flips y. None where forms nest deeper than the C walk
        goes (the Python walk reads that page)."""
        out = _Drawing()
        page_matrix = (ctypes.c_double * 6)(*matrix)
        try:
            status = self._drawing(ctypes.byref(self._drawing_calls), page, page_matrix, height, bezier,
                                   ctypes.byref(out))
            if status == _OUT_OF_MEMORY:
                raise MemoryError("the drawing helper could not allocate its edges")
            if status == _TOO_DEEP:
                return None
            lists = (out.lines, out.rects, out.curve_edges)
            if not any(edges.count for edges in lists):  # a page of text alone: no array work
                return Drawing(_NO_EDGES, out.images, out.curves)
            # concatenate copies: the views are gone before the lists are freed
            return Drawing(np.concatenate([_edge_values(edges) for edges in lists]), out.images, out.curves)
        finally:
            self._drawing_free(ctypes.byref(out))

    def rules(self, edges: np.ndarray, flat: float, length: float) -> tuple[list[tuple], list[tuple]]:
        """`text_layer._table_rules` in one call (`juesuan_rules`): from the edges (n × 5 float64, as `drawing`
        gives them), the horizontal rules (y, x0, x1) and the vertical ones (x, top, bottom)."""
        n = len(edges)
        edges = np.ascontiguousarray(edges, np.float64)
        rules, counts = np.empty((2, 3, n)), np.zeros(2, np.intc)  # per kind three columns: a list each, zipped
        at = address(rules)
        self._rules(n, address(edges), flat, length, at, at + 24 * n, address(counts))
        h, v = counts.tolist()
        return list(zip(*rules[0, :, :h].tolist(), strict=True)), list(zip(*rules[1, :, :v].tolist(), strict=True))

    def overlaid(self, x: np.ndarray, top: np.ndarray, text: np.ndarray, tol: float) -> np.ndarray | None:
        """Which chars `text_layer.dedupe_overlaid` keeps, from their x0, top (float64) and text as a number
        (int32), as a bool array; None where a coordinate is not finite or too large for its grid (the Python
        loop decides those)."""
        keep = np.empty(len(x), np.uint8)
        kept = self._overlaid(len(x), x.ctypes.data, top.ctypes.data, text.ctypes.data, tol, keep.ctypes.data)
        if kept == _OUT_OF_MEMORY:
            raise MemoryError("the overlaid-glyph helper could not allocate its grid")
        return None if kept < 0 else keep.view(np.bool_)

    def misdrawn(self, code: np.ndarray, x0: np.ndarray, x1: np.ndarray, top: np.ndarray, bottom: np.ndarray,
                 kinds: np.ndarray, same_size: float, run_gap: float) -> np.ndarray | None:
        """`glyph_widths._misdrawn_columns`' pairs in one call (`juesuan_misdrawn`): the places of the Latin glyphs
        drawn square beside a 汉字, in page order, from the glyphs' code points (uint32), boxes (float64) and each
        BMP code point's kind (uint8); None where a pair's size is not finite (the Python loop decides)."""
        n = len(code)
        columns = [np.ascontiguousarray(c, np.float64) for c in (x0, x1, top, bottom)]
        code = np.ascontiguousarray(code, np.uint32)
        found = np.empty(n, np.intc)
        count = self._misdrawn(n, address(code), *map(address, columns), address(kinds), same_size, run_gap,
                               address(found))
        return None if count < 0 else found[:count]

    def page(self, origin: np.ndarray, box: np.ndarray, which: np.ndarray, styles: np.ndarray, code: np.ndarray,
             blank: np.ndarray, tol: float, x_tolerance: float, y_tolerance: float) -> PageWords:
        """A page's glyph boxes, the glyphs `text_layer.dedupe_overlaid` keeps and their upright words, in one call
        (`juesuan_page`): glyph k at `origin[k]` with loose box `box[k]` in style `which[k]` (intp), a row of
        `styles` (norm, shown A and B, y_em high, x_em low and high, y_em low, along_width, upright), its last row
        the page's a, b, c, d, e, f and height; `code` the glyphs' code points (uint32), `blank` str.isspace per
        BMP code point (bool). Arrays are handed over by address: one block per kind of output, few conversions."""
        n = len(code)
        origin, box = np.ascontiguousarray(origin, np.float64), np.ascontiguousarray(box, np.float64)
        which, code = np.ascontiguousarray(which, np.intp), np.ascontiguousarray(code, np.uint32)
        styles = np.ascontiguousarray(styles, np.float64)
        floats, ints, keep = np.empty((8, n)), np.empty((2, n), np.intc), np.empty(n, np.bool_)
        counts = np.zeros(2, np.intc)  # words, kept chars
        fp, ip = address(floats), address(ints)
        self._page(n, address(origin), address(box), address(which), address(styles), address(code),
                   address(blank), tol, x_tolerance, y_tolerance, fp, address(keep), ip, address(counts))
        words, kept = counts.tolist()
        if words == _OUT_OF_MEMORY:
            raise MemoryError("the page helper could not allocate its scratch")
        x0, x1, top, bottom, wx0, wx1, wtop, wbottom = floats
        found = None
        if words >= 0:
            found = (ints[0, :kept], ints[1, :words], wx0[:words], wx1[:words], wtop[:words], wbottom[:words])
        return PageWords(x0, x1, top, bottom, None if words == -2 else keep, found)

    def glyphs(self, textpage: int, codes: np.ndarray) -> Glyphs | None:
        """The page's glyphs, `codes` its code points (one per glyph); None when a glyph kept has no Unicode
        mapping (the page is pdfminer's to read). The outputs are views of one block per type (few addresses)."""
        n = len(codes)
        codes = np.ascontiguousarray(codes, dtype=np.uint32)
        floats, ints, font = np.empty(11 * n), np.empty(5 * n + 2, np.intc), np.empty(n, np.uintp)
        fp, ip = address(floats), address(ints)
        # the blocks' layout: origin 2n, box 4n, matrix 4n, size n; index, object_of, first, key_of, key_first n
        # each, then the numbers of objects and of keys
        kept = self._fn(ctypes.byref(self._calls), textpage, n, address(codes), ip, fp, fp + 16 * n, ip + 4 * n,
                        ip + 8 * n, fp + 48 * n, fp + 80 * n, address(font), ip + 20 * n, ip + 12 * n, ip + 16 * n,
                        ip + 20 * n + 4)
        if kept == _OUT_OF_MEMORY:
            raise MemoryError("the glyph helper could not allocate its table of text objects")
        if kept < 0:
            return None
        m, keys = ints[5 * n:].tolist()
        return Glyphs(ints[:kept], floats[: 2 * kept].reshape(kept, 2),
                      floats[2 * n: 2 * n + 4 * kept].reshape(kept, 4), ints[n: n + kept], ints[2 * n: 2 * n + m],
                      floats[6 * n: 6 * n + 4 * m].reshape(m, 4), floats[10 * n: 10 * n + m], font[:m],
                      ints[3 * n: 3 * n + m], ints[4 * n: 4 * n + keys].tolist())


def address(array: np.ndarray) -> int:
    """The address of a C-contiguous array's data: a quarter of `array.ctypes.data`'s cost where it is writable."""
    try:
        return ctypes.addressof(_CHAR.from_buffer(array))
    except (TypeError, ValueError):  # read-only (a text's code points from np.frombuffer) or empty
        return array.ctypes.data


_CHAR = ctypes.c_char


def wanted() -> bool:
    """Whether the compiled helper may be used (read each time: a test switches it for one run)."""
    return os.environ.get(NATIVE_ENV) != "0" and os.environ.get(FALLBACKS_ENV) != "1"


def helper() -> Helper | None:
    """The helper, built or loaded once per process; None for the Python fallback (see the module docstring)."""
    return _built() if wanted() else None


@functools.cache
def _built() -> Helper | None:
    try:
        return Helper(ctypes.CDLL(str(_library())))
    except (OSError, subprocess.SubprocessError, AttributeError):  # no compiler, a failed build, a bad library
        return None


def _library() -> Path:
    """The built library for this source and platform, built now if the cache lacks it."""
    source = SOURCE.read_bytes()
    tag = hashlib.sha256(source + f"{sys.platform}-{platform.machine()}".encode()).hexdigest()[:16]
    target = _cache_folder() / f"glyphs-{tag}{'.dll' if sys.platform == 'win32' else '.so'}"
    if not target.exists():
        _build(target)
    return target


def _cache_folder() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "juesuan" / "native"


def _build(target: Path) -> None:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise OSError("no C compiler")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=".juesuan-tmp-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    try:
        # no fused multiply-add (GCC's default on aarch64): the helper's a·x + c·y must round as Python's does
        subprocess.run([compiler, "-O2", "-ffp-contract=off", "-shared", "-fPIC", "-o", partial, str(SOURCE), "-lm"],
                       check=True, capture_output=True, timeout=BUILD_SECONDS)
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
