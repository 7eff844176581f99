"""The compiled helper's bulk steps of `text_layer.page_from_objects` give exactly what their Python loops give.

Hand-built chars aimed at the edges of the loop's grid (cell boundaries, the tolerance itself, negative and
subnormal coordinates, a tolerance that is no power of two, texts of two characters) and random pages, each
compared with the Python loop kept as the fallback. Whole corpora are compared in tests/test_page_sources.py.
"""

from __future__ import annotations

import math
import random

import pytest

from etl.pagesource import text_layer
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
