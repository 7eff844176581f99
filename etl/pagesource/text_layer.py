"""The text-layer page source: a PDF's pages read by pdfplumber into `Page`s.

Glyphs drawn twice (fake bold, `mutool convert`) count once; a page stored turned (/Rotate, or text drawn
rotated) is turned back from its text direction; amounts printed glued together and codes printed against
their names are split into words. A file that is not a readable PDF raises a clear DocumentError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from etl.document import DocumentError
from etl.pagesource import char_words
from etl.pagesource.glyph_columns import GlyphColumns, as_dicts
from etl.pagesource.glyph_widths import misdrawn_glyphs
from etl.pagesource.page import Page, Word, split_code_from_name, split_glued_amounts
from etl.pagesource.pdfium_native import helper
from etl.pagesource.pdfminer_fixes import apply as apply_pdfminer_fixes

if TYPE_CHECKING:
    from etl.pagesource.pdfium_drawings import EdgeTable

apply_pdfminer_fixes()


FLAT = 0.5  # pt: a ruling whose height (width) is within this is horizontal (vertical), float noise aside
RULE_LENGTH = 5  # pt: a ruling this long or shorter is no rule


def ruling_lines(edges: list[dict] | EdgeTable) -> tuple[list, list]:
    """Horizontal rules (y, x0, x1) and vertical rules (x, top, bottom) longer than RULE_LENGTH."""
    if not isinstance(edges, list):
        return _table_rules(edges)
    h, v = [], []
    for e in edges:
        orientation = _orientation(e)
        if orientation == "h" and e["x1"] - e["x0"] > RULE_LENGTH:
            h.append((e["top"], e["x0"], e["x1"]))
        elif orientation == "v" and e["bottom"] - e["top"] > RULE_LENGTH:
            v.append((e["x0"], e["top"], e["bottom"]))
    return h, v


def _orientation(edge: dict) -> str:
    """From the edge's extent, not pdfplumber's label: pdfplumber calls a line "v" unless its ends have
    exactly equal y, so a horizontal rule drawn through a rotation `cm` (ends 1e-13 apart) would be lost.
    A slanted line keeps pdfplumber's label."""
    if edge["bottom"] - edge["top"] <= FLAT:
        return "h"
    if edge["x1"] - edge["x0"] <= FLAT:
        return "v"
    return edge["orientation"]


def _table_rules(edges: EdgeTable) -> tuple[list, list]:
    """`ruling_lines` over the compiled helper's columns, no dict per edge: the same subtractions and tests per
    edge (`_orientation`'s), the same floats out, in the same order. A rule longer than 5 pt cannot be within FLAT
    of upright on that axis, so a horizontal one is flat or labelled "h", a vertical one upright or labelled "v".
    The compiled helper runs these tests in one call where it is built: a page's few numpy calls cost more (most
    pages have no edge at all, and no call is made for them)."""
    if not len(edges.values):
        return [], []
    native = helper()
    if native is not None:
        return native.rules(edges.values, FLAT, RULE_LENGTH)
    width, height = edges.x1 - edges.x0, edges.bottom - edges.top
    h = ((height <= FLAT) | edges.labelled("h")) & (width > RULE_LENGTH)
    v = ((width <= FLAT) | edges.labelled("v")) & (height > RULE_LENGTH)
    return (list(zip(edges.top[h].tolist(), edges.x0[h].tolist(), edges.x1[h].tolist(), strict=True)),
            list(zip(edges.x0[v].tolist(), edges.top[v].tolist(), edges.bottom[v].tolist(), strict=True)))


# Reading direction of a glyph on the page as displayed (pdfplumber has applied /Rotate): the way its
# baseline runs. A page stored turned (/Rotate, or a rotation `cm` on a landscape-sized MediaBox) has
# its text running down, left or up; it is read in the frame where that text runs right.
RIGHT, DOWN, LEFT, UP = 0, 1, 2, 3


def glyph_direction(matrix: tuple) -> int:
    """The direction of the text matrix's baseline (a, b), y up in PDF space, to the nearest quarter turn."""
    a, b = matrix[0], matrix[1]
    if abs(a) >= abs(b):
        return RIGHT if a > 0 else LEFT
    return UP if b > 0 else DOWN


def dominant_direction(chars: list[dict] | GlyphColumns) -> int:
    """The direction most of the page's glyphs run. One cheap pass when most run right (nearly every page);
    over columns, counted per style (glyphs of one style run one way)."""
    if isinstance(chars, GlyphColumns):
        return _dominant_column_direction(chars)
    right = sum(1 for c in chars if c["matrix"][0] > abs(c["matrix"][1]))
    if 2 * right >= len(chars):
        return RIGHT
    counts = [0, 0, 0, 0]
    for c in chars:
        counts[glyph_direction(c["matrix"])] += 1
    return max(range(4), key=counts.__getitem__)


def _dominant_column_direction(chars: GlyphColumns) -> int:
    """`dominant_direction` of columns: the same counts, taken per style and weighed by its glyphs."""
    per_style = np.bincount(chars.style, minlength=len(chars.matrices)).tolist()
    right = sum(n for n, m in zip(per_style, chars.matrices, strict=True) if m[0] > abs(m[1]))
    if 2 * right >= len(chars):
        return RIGHT
    counts = [0, 0, 0, 0]
    for n, m in zip(per_style, chars.matrices, strict=True):
        counts[glyph_direction(m)] += n
    return max(range(4), key=counts.__getitem__)


def to_upright(obj: dict, direction: int, width: float, height: float) -> dict:
    """`obj` (a char or an edge: x0, x1, top, bottom on the displayed page of width × height) in the frame
    where text running `direction` runs right: turned a quarter, half or three quarters. An edge's
    orientation is read from its extent afterwards (`_orientation`)."""
    x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
    if direction == DOWN:
        box = (top, bottom, width - x1, width - x0)
    elif direction == UP:
        box = (height - bottom, height - top, x0, x1)
    else:  # LEFT
        box = (width - x1, width - x0, height - bottom, height - top)
    return {**obj, "x0": box[0], "x1": box[1], "top": box[2], "bottom": box[3], "upright": True}


DUPLICATE_TOLERANCE = 1.0  # pt: a glyph drawn again within this of itself is the same glyph


def dedupe_overlaid(chars: list[dict] | GlyphColumns, tol: float = DUPLICATE_TOLERANCE) -> list[dict] | GlyphColumns:
    """Chars without the glyphs drawn again on top of themselves (fake bold: fill then stroke, or the
    same text twice a hair apart): same text within `tol` in x0 and top. Repeated characters of a
    word ("11") sit a glyph's width apart and stay. Returns `chars` itself when nothing repeats.

    The compiled helper runs `_dedupe_loop` where it is built (`pdfium_native`), the loop itself otherwise.
    Columns stay columns where the helper decides (their code points are the texts' numbers)."""
    if isinstance(chars, GlyphColumns) and chars.kept is not None and chars.kept[0] == tol:
        return chars.kept[1]  # the helper's choice, made with the boxes (`pdfium_glyphs` made it where it is wanted)
    native = helper() if len(chars) else None
    if isinstance(chars, GlyphColumns):
        keep = None if native is None else native.overlaid(chars.x0, chars.top, chars.code.astype(np.int32), tol)
        if keep is None:
            return _dedupe_loop(chars.dicts(), tol)
        return chars if keep.all() else chars.take(keep)
    keep = None if native is None else native.overlaid(*_columns(chars), tol)
    if keep is None:
        return _dedupe_loop(chars, tol)
    if keep.all():
        return chars
    return [chars[i] for i in np.flatnonzero(keep).tolist()]


def _columns(chars: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chars' x0, top and text as a number: its code point (the common one-character text), else its
    place among the page's distinct texts (a ligature's "fi" is two characters)."""
    n = len(chars)
    x = np.fromiter(map(itemgetter("x0"), chars), np.float64, n)
    top = np.fromiter(map(itemgetter("top"), chars), np.float64, n)
    try:
        text = np.fromiter(map(ord, map(itemgetter("text"), chars)), np.int32, n)
    except TypeError:
        texts = list(map(itemgetter("text"), chars))
        number = {t: k for k, t in enumerate(dict.fromkeys(texts))}
        text = np.fromiter(map(number.__getitem__, texts), np.int32, n)
    return x, top, text


def _dedupe_loop(chars: list[dict], tol: float) -> list[dict]:
    """`dedupe_overlaid` in Python. Kept chars are filed by text in a grid of 2·tol cells; the ±tol window
    around a char touches its own cell and one neighbour per axis, so each char costs four dict probes."""
    cells: dict[tuple, list[tuple[float, float]]] = {}
    kept: list[dict] = []
    size = 2 * tol
    for c in chars:
        x, y, text = c["x0"], c["top"], c["text"]
        gx, gy = int(x // size), int(y // size)
        nx = gx - 1 if x - gx * size < tol else gx + 1
        ny = gy - 1 if y - gy * size < tol else gy + 1
        seen = False
        for key in ((text, gx, gy), (text, nx, gy), (text, gx, ny), (text, nx, ny)):
            for ox, oy in cells.get(key, ()):
                if abs(ox - x) <= tol and abs(oy - y) <= tol:
                    seen = True
        if not seen:
            cells.setdefault((text, gx, gy), []).append((x, y))
            kept.append(c)
    return chars if len(kept) == len(chars) else kept


WORD_OPTIONS = {"x_tolerance": 2, "y_tolerance": 2, "keep_blank_chars": False, "use_text_flow": False}


def upright_words(chars: list[dict] | GlyphColumns) -> list[Word]:
    """pdfplumber's upright words of `chars` (WORD_OPTIONS): built over arrays by `char_words` where it can, else
    by pdfplumber's own `extract_words` (the fallback, and the reference the bulk words are tested against)."""
    found = char_words.upright_words(chars, WORD_OPTIONS["x_tolerance"], WORD_OPTIONS["y_tolerance"])
    if found is not None:
        return found
    raw = pdfplumber.utils.extract_words(as_dicts(chars), **WORD_OPTIONS)
    return [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in raw if w.get("upright", True)]


#: where a word `split_glued_amounts` or `split_code_from_name` could split ends, in the page's text (a line break,
#: then one word a line): two points in one word (the first's early test), a code then a 汉字 at a word's start
#: (the second's pattern's start). Two searches, each with a literal start: one with alternatives tries every place.
_MAY_SPLIT = (re.compile(r"\.[^\n.]*\."), re.compile(r"\n(?:\d{3}|\d{5}|\d{7})[\u4e00-\u9fff]"))


def split_words(words: list[Word]) -> list[Word]:
    """The words with amounts printed glued together and codes printed against their names split. Both functions
    return a word they cannot split as it is, and nearly every word is such: a search of the page's text finds
    the few they could split (`_MAY_SPLIT`), and only those are handed to them."""
    text = "\n" + "\n".join([w.text for w in words])
    if text.count("\n") != len(words):  # a word holding a line break: no word a line, each word asked
        return [part for w in words for part in _split(w)]
    lines = sorted({text.count("\n", 0, m.end()) - 1 for pattern in _MAY_SPLIT for m in pattern.finditer(text)})
    out: list[Word] = []
    done = 0
    for line in lines:
        out += words[done:line]
        out += _split(words[line])
        done = line + 1
    out += words[done:]
    return out


def _split(word: Word) -> list[Word]:
    """The word's glued amounts split apart, then each part's code split from its name."""
    return [part for glued in split_glued_amounts(word) for part in split_code_from_name(glued)]


def read_page(page: pdfplumber.page.Page) -> Page:
    """The page in its reading frame (see `page_from_objects`), from pdfplumber's chars and edges."""
    chars = page.chars
    return page_from_objects(page.page_number, float(page.width), float(page.height), chars, page.edges,
                             len(page.images), lambda: 0 if chars else len(page.curves))


def page_from_objects(number: int, width: float, height: float, all_chars: list[dict] | GlyphColumns,
                      edges: list[dict] | EdgeTable, image_count: int, curve_count: Callable[[], int]) -> Page:
    """The page in its reading frame, from its chars and edges in pdfplumber's shape (whichever source read
    them): glyphs drawn twice counted once; a page whose text runs down, left or up (stored turned) turned
    back, so words, rules, width and height are those of the upright page. `curve_count` is asked only where
    there is no text (it is costly to count and only says whether a textless page is drawn as outlines). The
    chars may be columns (`GlyphColumns`) and the edges the helper's columns (`pdfium_drawings.EdgeTable`), the
    PDFium source's: they stay columns unless the page is turned."""
    chars = dedupe_overlaid(all_chars)
    direction = dominant_direction(chars)
    if direction != RIGHT:
        chars = [to_upright(c, direction, width, height) for c in as_dicts(chars)
                 if glyph_direction(c["matrix"]) == direction]
        edges = [to_upright(e, direction, width, height) for e in (edges if isinstance(edges, list) else edges.dicts())]
        if direction in (DOWN, UP):
            width, height = height, width
    words = split_words(upright_words(chars))
    h, v = ruling_lines(edges)
    return Page(number, width, height, words, h, v, len(all_chars), image_count,
                curve_count=0 if all_chars else curve_count(), misdrawn=misdrawn_glyphs(chars))


def read_pages(pdf: pdfplumber.PDF) -> Iterator[Page]:
    for page in pdf.pages:
        yield read_page(page)
        page.close()  # frees pdfplumber's per-page caches: memory stays flat on long documents


def load_pages(path, numbers: list[int] | None = None) -> list[Page]:
    """Every page's words and rules (or those of pages `numbers`, 1-based); a clear DocumentError when the file
    is not a readable PDF."""
    try:
        with pdfplumber.open(path, pages=numbers) as pdf:
            return list(read_pages(pdf))
    except Exception as exc:  # pdfminer raises many kinds on truncated, corrupt or locked files
        raise _document_error(exc) from exc


def _document_error(exc: Exception) -> DocumentError:
    """A clear reason; pdfplumber wraps pdfminer's errors in PdfminerException(args[0])."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
        return DocumentError(f"encrypted PDF (password required): {type(exc).__name__}")
    if isinstance(exc, PDFSyntaxError):
        return DocumentError(f"not a PDF or damaged beyond reading: {exc}"[:500])
    return DocumentError(f"unreadable PDF ({type(exc).__name__}: {exc})"[:500])
