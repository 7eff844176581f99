"""The bulk steps of `text_layer.page_from_objects` give exactly what their fallbacks give.

`dedupe_overlaid` in the compiled helper against its Python loop: hand-built chars aimed at the edges of the
loop's grid (cell boundaries, the tolerance itself, negative and subnormal coordinates, a tolerance that is no
power of two, texts of two characters) and random pages. `char_words` against pdfplumber's `extract_words`: random
lines at the tolerances' edges, and the real reports' own chars. Whole corpora: tests/test_page_sources.py.
"""

from __future__ import annotations

import math
import pickle
import random
from pathlib import Path

import pdfplumber
import pytest

from etl.pagesource import char_words, text_layer
from etl.pagesource.page import Word
from etl.pagesource.pdfium_native import NATIVE_ENV, helper


@pytest.fixture
def native():
    found = helper()
    if found is None:
        pytest.skip("no compiled helper here (no C compiler?): only the Python loop runs")
    return found


def _char(text: str, x: float, top: float) -> dict:
    return {"text": text, "x0": x, "top": top, "x1": x + 10.0, "bottom": top + 10.0}


#: Coordinates on and around the boundaries of 2 pt cells and of the ±1 pt window, and the awkward floats.
EDGES = [0.0, -0.0, 1.0, 2.0, -1.0, -2.0, 0.9999999999999999, 1.0000000000000002, 2.9999999999999996, 3.0, 4.0,
         -0.5, -5e-324, 5e-324, -1e-310, 1e-310, 101.0, 102.0, 103.0, 1e15, -1e15, 0.1 + 0.2, 0.3]


def _random_page(rnd: random.Random, n: int, texts: str) -> list[dict]:
    """Chars on a page, many drawn again a little (or exactly one tolerance) away, some at the EDGES."""
    chars: list[dict] = []
    for _ in range(n):
        x = rnd.choice([rnd.uniform(-20, 600), rnd.randint(0, 400) * 0.5, rnd.choice(EDGES)])
        y = rnd.choice([rnd.uniform(-20, 800), rnd.randint(0, 400) * 0.5, rnd.choice(EDGES)])
        chars.append(_char(rnd.choice(texts), x, y))
        while rnd.random() < 0.4:  # drawn again: fake bold, or a chain of near copies
            shift = [0.0, 1.0, -1.0, 1e-13, rnd.uniform(-1.5, 1.5)]
            last = chars[-1]
            chars.append(_char(last["text"], last["x0"] + rnd.choice(shift), last["top"] + rnd.choice(shift)))
    return chars


@pytest.mark.parametrize("tol", [1.0, 0.5, 0.3, 0.7, 1.5])
def test_the_helper_keeps_the_chars_the_python_loop_keeps(native, tol: float) -> None:
    rnd = random.Random(19)
    pages = [_random_page(rnd, rnd.randint(1, 80), rnd.choice(["11223", "合计合计部门", "fi1"])) for _ in range(1500)]
    pages.append([_char(t, x, y) for t in "11" for x in EDGES for y in EDGES])
    pages.append([_char(t, x, y) for x in EDGES for y in EDGES for t in ("fi", "1", "fi")])
    differing = declined = 0
    for chars in pages:
        declined += native.overlaid(*text_layer._columns(chars), tol) is None
        bulk, loop = text_layer.dedupe_overlaid(chars, tol), text_layer._dedupe_loop(chars, tol)
        differing += bulk != loop or (bulk is chars) != (loop is chars)
    dropped = sum(len(c) - len(text_layer._dedupe_loop(c, tol)) for c in pages)
    assert dropped > 1000 and declined == 0 and differing == 0  # glyphs drawn twice, all of them the helper's


def test_a_coordinate_off_the_grid_is_left_to_the_python_loop(native, monkeypatch: pytest.MonkeyPatch) -> None:
    """A NaN or infinite x0 has no cell: the loop raises on it (int(nan)), and so does the bulk path, the same way;
    a huge one (past 2**53 cells) is the loop's too."""
    for bad in (math.nan, math.inf):
        chars = [_char("1", 5.0, 5.0), _char("1", bad, 5.0)]
        with pytest.raises(ValueError):
            text_layer._dedupe_loop(chars, 1.0)
        with pytest.raises(ValueError):
            text_layer.dedupe_overlaid(chars)
    huge = [_char("1", 1e300, 5.0), _char("1", 1e300, 5.5), _char("1", 2e300, 5.0)]
    assert text_layer.dedupe_overlaid(huge) == text_layer._dedupe_loop(huge, 1.0) == [huge[0], huge[2]]
    keep = native.overlaid(*text_layer._columns(huge), 1.0)
    assert keep is None  # the helper declined; the loop answered above


def test_without_the_helper_the_python_loop_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setenv(NATIVE_ENV, "0")
    monkeypatch.setattr(text_layer, "_dedupe_loop", lambda chars, tol: called.append(len(chars)) or chars)
    text_layer.dedupe_overlaid([_char("1", 1.0, 1.0)])
    assert called == [1]


def _reference_words(chars: list[dict]) -> list[Word]:
    """pdfplumber's own `extract_words` with the text layer's options, its upright words as `Word`s."""
    raw = pdfplumber.utils.extract_words(chars, **text_layer.WORD_OPTIONS)
    return [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in raw if w.get("upright", True)]


def _word_char(rnd: random.Random, x: float, top: float, upright: bool) -> dict:
    width = rnd.choice([5.0, 6.5, 10.0, rnd.uniform(0.5, 12)])
    text = rnd.choice(["1", "2", "合", "计", " ", "\u3000", "ﬁ", "fi", "a", ".", "\xa0"])
    return {"text": text, "x0": x, "x1": x + width, "top": top, "bottom": top + rnd.choice([10.0, 12.0, 9.5]),
            "doctop": top, "upright": upright, "matrix": (1, 0, 0, 1, 0, 0)}


def _word_page(rnd: random.Random) -> list[dict]:
    """Lines of chars at the tolerances' edges: gaps of exactly x_tolerance and a hair over, tops a hair or
    exactly y_tolerance apart, overlapping and backward steps, blanks, ligatures, a few chars not upright, and
    chars drawn out of reading order."""
    chars = []
    for _ in range(rnd.randint(1, 12)):
        top, x = rnd.uniform(5, 700), rnd.uniform(5, 300)
        for _ in range(rnd.randint(1, 15)):
            upright = rnd.random() > 0.05
            char = _word_char(rnd, x, top + rnd.choice([0.0, 0.0, 1e-9, 2.0, 2.0000001, -1.9, 3.0]), upright)
            chars.append(char)
            back = char["x0"] - char["x1"] - 1  # the next char begins left of this one's x0
            x = char["x1"] + rnd.choice([0.0, 0.5, 2.0, 2.0000000001, 1.9999999, 5.0, -0.5, back])
    if rnd.random() < 0.5:
        rnd.shuffle(chars)
    return chars


def test_the_bulk_words_are_pdfplumbers_bit_for_bit() -> None:
    rnd = random.Random(2026)
    pages = [_word_page(rnd) for _ in range(3000)]
    declined = differing = 0
    for chars in pages:
        bulk = char_words.upright_words(chars, 2, 2)
        declined += bulk is None
        differing += bulk is not None and pickle.dumps(bulk) != pickle.dumps(_reference_words(chars))
    words = sum(len(_reference_words(c)) for c in pages)
    assert words > 20000 and declined == 0 and differing == 0


@pytest.mark.parametrize("odd", [{"x0": 0.0}, {"top": -0.0}, {"x1": 3}, {"upright": 1}, {"text": ""},
                                 {"bottom": math.nan}])
def test_chars_the_bulk_words_cannot_match_exactly_go_to_pdfplumber(odd: dict) -> None:
    chars = [{"text": "1", "x0": 10.0, "x1": 15.0, "top": 10.0, "bottom": 20.0, "doctop": 10.0, "upright": True},
             {"text": "2", "x0": 15.0, "x1": 20.0, "top": 10.0, "bottom": 20.0, "doctop": 10.0, "upright": True}]
    assert char_words.upright_words(chars, 2, 2) == [Word("12", 10.0, 20.0, 10.0, 20.0)]
    chars[1].update(odd)
    assert char_words.upright_words(chars, 2, 2) is None
    assert text_layer.upright_words(chars) == _reference_words(chars)


def test_the_fallback_asked_for_is_pdfplumbers_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NATIVE_ENV, "0")
    assert char_words.upright_words([_char("1", 1.0, 1.0) | {"upright": True}], 2, 2) is None


def test_the_real_reports_words_from_pdfplumbers_chars_are_pdfplumbers(real_pdfs: dict[str, Path]) -> None:
    """The reference source's own chars (pdfminer's, deduped as `page_from_objects` does) give the same words."""
    pages = declined = 0
    differing = []
    for name, pdf in sorted(real_pdfs.items()):
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                chars = text_layer.dedupe_overlaid(page.chars)
                bulk = char_words.upright_words(chars, 2, 2) if chars else []
                pages += 1
                declined += bulk is None
                if bulk is not None and pickle.dumps(bulk) != pickle.dumps(_reference_words(chars)):
                    differing.append(f"{name} p{page.page_number}")
    assert pages > 50 and declined < pages // 20 and not differing, differing
