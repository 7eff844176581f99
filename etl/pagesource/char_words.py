"""pdfplumber's `extract_words`, with the options the text layer passes, over arrays: the same words, bit for bit.

    upright_words(chars, x_tolerance, y_tolerance) -> list[Word] | None

What WordExtractor(x_tolerance, y_tolerance, keep_blank_chars=False, use_text_flow=False) does: runs of chars of
equal `upright` (itertools.groupby) are each cut into lines by top (the distinct tops sorted, a new line where one
is more than y_tolerance past the last), each line sorted by x0 (stably); a new word starts at a blank char (which
is dropped) and where a char begins left of the last char's x0, more than x_tolerance right of its x1, or more than
y_tolerance from its top; a word's box is its chars' min x0 and top and max x1 and bottom, its text theirs with
ligatures expanded. Only the upright words are made: `page_from_objects` keeps no other.

None where pdfplumber's own call must decide: the fallback asked for (`pdfium_native.wanted`), or chars outside
what this reproduces exactly: a coordinate that is not a float, is NaN or is a zero (Python's min and max pick
between -0.0 and 0.0 by order), an `upright` that is not a bool, a text that is not a string or is empty
(pdfplumber makes an empty text a word of its own).
"""

from __future__ import annotations

from operator import itemgetter

import numpy as np
from pdfplumber.utils.text import LIGATURES

from etl.pagesource.glyph_columns import GlyphColumns
from etl.pagesource.page import Word
from etl.pagesource.pdfium_native import wanted

_BOX = ("x0", "x1", "top", "bottom")


def upright_words(chars: list[dict] | GlyphColumns, x_tolerance: float, y_tolerance: float) -> list[Word] | None:
    """The upright words `extract_words` makes of `chars`, in its order, or None (see the module docstring)."""
    if isinstance(chars, GlyphColumns) and chars.words is not None and chars.words[:2] == (x_tolerance, y_tolerance):
        return _helper_words(*chars.words[2])  # found by the helper with the boxes, where it is wanted
    if not wanted():
        return None
    columns = _glyph_columns(chars) if isinstance(chars, GlyphColumns) else _columns(chars)
    if columns is None:
        return None
    return _words(*columns, x_tolerance, y_tolerance)


def _words(x0: np.ndarray, x1: np.ndarray, top: np.ndarray, bottom: np.ndarray, upright: np.ndarray,
           texts: list[str] | np.ndarray, x_tolerance: float, y_tolerance: float) -> list[Word]:
    """The words of chars given as columns; `texts` a list of the chars' texts, or their code points (one BMP
    character per char: then a word's text is a slice of the kept chars' string)."""
    line = _lines(top, upright, y_tolerance)
    chosen = np.flatnonzero(line >= 0)  # the upright chars, in their order
    order = chosen[np.lexsort((x0[chosen], line[chosen]))]  # by line, then x0; stable, as pdfplumber sorts
    coded = isinstance(texts, np.ndarray)
    blank = (SPACES[texts] if coded else np.fromiter(map(str.isspace, texts), bool, len(texts)))[order]
    kept = order[~blank]
    if not len(kept):
        return []
    first = np.flatnonzero(_word_starts(order, blank, line, x0, x1, top, x_tolerance, y_tolerance)[~blank])
    boxes = (np.minimum.reduceat(x0[kept], first), np.maximum.reduceat(x1[kept], first),
             np.minimum.reduceat(top[kept], first), np.maximum.reduceat(bottom[kept], first))
    if coded:
        page_text = texts[kept].astype(np.uint32).tobytes().decode("utf-32-le")
        shown = page_text  # one character per char: a word's text is a slice of the kept chars' string
    else:
        shown = list(map(texts.__getitem__, kept.tolist()))
        page_text = "".join(shown)
    return _made(page_text, shown, first, len(kept), boxes)


def _helper_words(kept: np.ndarray, first: np.ndarray, *boxes: np.ndarray) -> list[Word]:
    """The words the compiled helper found (`pdfium_native.Helper.page`), made into Words as `_words` makes them:
    `kept` the code points of `_words`' kept chars (reading order, no blanks), `first` each word's first of them."""
    if not len(kept):
        return []
    page_text = kept.astype(np.uint32).tobytes().decode("utf-32-le")
    return _made(page_text, page_text, first, len(kept), boxes)


def _made(page_text: str, shown: str | list[str], first: np.ndarray, count: int, boxes: tuple) -> list[Word]:
    """The Words of `count` kept chars (their texts `shown`, joined `page_text`), starting at `first`, boxed."""
    if any(ligature in page_text for ligature in LIGATURES):  # rare: expanded char by char, as pdfplumber does
        shown = [LIGATURES.get(t, t) for t in shown]
    ends = [*first[1:].tolist(), count]
    if isinstance(shown, str):
        return [Word(shown[s:e], a, b, c, d)
                for s, e, a, b, c, d in zip(first.tolist(), ends, *(box.tolist() for box in boxes), strict=True)]
    return [Word("".join(shown[s:e]), a, b, c, d)
            for s, e, a, b, c, d in zip(first.tolist(), ends, *(box.tolist() for box in boxes), strict=True)]


def _columns(chars: list[dict]) -> tuple | None:
    """x0, x1, top, bottom (float arrays), upright (bool array) and the texts; None for chars this cannot take."""
    box = [list(map(itemgetter(key), chars)) for key in _BOX]
    upright, texts = list(map(itemgetter("upright"), chars)), list(map(itemgetter("text"), chars))
    if any(set(map(type, values)) != {float} for values in box) or set(map(type, upright)) != {bool}:
        return None
    if set(map(type, texts)) != {str} or "" in texts:
        return None
    arrays = [np.array(values, dtype=np.float64) for values in box]
    if any((np.isnan(a) | (a == 0.0)).any() for a in arrays):
        return None
    return (*arrays, np.array(upright, dtype=bool), texts)


def _glyph_columns(chars: GlyphColumns) -> tuple | None:
    """`_columns` of the PDFium source's columns: their floats and flags are of the right types already, and each
    text is one BMP character, given by its code point; None where a coordinate is NaN or a zero."""
    arrays = (chars.x0, chars.x1, chars.top, chars.bottom)
    if any((np.isnan(a) | (a == 0.0)).any() for a in arrays):
        return None
    return (*arrays, chars.upright(), chars.code)


def _space_table() -> np.ndarray:
    """`str.isspace` of every BMP code point, as a lookup table."""
    table = np.zeros(0x10000, dtype=bool)
    table[[c for c in range(0x10000) if chr(c).isspace()]] = True
    return table


#: made at import (~10 ms): the batch's forkserver imports this module once, so its workers, replaced every
#: MAX_TASKS_PER_WORKER documents, do not each build it again on their first page
SPACES = _space_table()


def _lines(top: np.ndarray, upright: np.ndarray, tolerance: float) -> np.ndarray:
    """Each char's line, numbered across the page in pdfplumber's order (-1 for a char not upright): per run of
    upright chars, cluster_objects by top (sorted distinct tops, a new line where one exceeds the last + tolerance)."""
    line = np.full(len(top), -1, dtype=np.int64)
    edges = [0, *(np.flatnonzero(upright[1:] != upright[:-1]) + 1).tolist(), len(top)]
    lines = 0
    for start, end in zip(edges[:-1], edges[1:], strict=True):
        if not upright[start]:
            continue
        tops = np.unique(top[start:end])
        cluster = np.zeros(len(tops), dtype=np.int64)
        np.cumsum(tops[1:] > tops[:-1] + tolerance, out=cluster[1:])
        line[start:end] = lines + cluster[np.searchsorted(tops, top[start:end])]
        lines += int(cluster[-1]) + 1
    return line


def _word_starts(order: np.ndarray, blank: np.ndarray, line: np.ndarray, x0: np.ndarray, x1: np.ndarray,
                 top: np.ndarray, x_tolerance: float, y_tolerance: float) -> np.ndarray:
    """Whether each char (in reading order) begins a word: the first of its line, after a blank, or where
    `char_begins_new_word` says so against the char before it (a blank is never a word's last char)."""
    L, X0, X1, T = line[order], x0[order], x1[order], top[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = ((L[1:] != L[:-1]) | blank[:-1] | (X0[1:] < X0[:-1]) | (X0[1:] > X1[:-1] + x_tolerance)
                  | (np.abs(T[1:] - T[:-1]) > y_tolerance))
    return starts
