"""The bulk steps of `text_layer.page_from_objects` give exactly what their fallbacks give.

`dedupe_overlaid` in the compiled helper against its Python loop: hand-built chars aimed at the edges of the
loop's grid (cell boundaries, the tolerance itself, negative and subnormal coordinates, a tolerance that is no
power of two, texts of two characters) and random pages. `char_words` against pdfplumber's `extract_words`: random
lines at the tolerances' edges, and the real reports' own chars. The PDFium source's `GlyphColumns` through every
step against their dicts through the same steps. Whole corpora: tests/test_page_sources.py.
"""

from __future__ import annotations

import math
import pickle
import random
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pdfplumber
import pytest

from etl.pagesource import char_words, glyph_widths, pdfium_glyphs, text_layer
from etl.pagesource.glyph_columns import GlyphColumns, as_dicts
from etl.pagesource.glyph_widths import misdrawn_glyphs
from etl.pagesource.page import Word
from etl.pagesource.pdfium_drawings import EdgeTable
from etl.pagesource.pdfium_native import NATIVE_ENV, Glyphs, helper


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


#: Glyph texts for column pages: digits, Latin letters (wide and narrow), full-width punctuation mapped to ASCII,
#: 汉字, CJK punctuation, blanks of several kinds, a ligature, Latin-1 letters and signs.
COLUMN_TEXTS = "1290aPx|WM(.,合计部门上公、（）\u3000 \xa0\u2003ﬁÐÆ§©"


def _column_page(rnd: random.Random) -> GlyphColumns:
    """A PDFium-like page as columns: runs of glyphs in lines, squares and half-width glyphs side by side at the
    misdrawn-glyph test's edges (same size to 3 %, gaps at RUN_GAP), tops a hair or a tolerance apart, copies drawn
    again, a few zero, NaN and infinite coordinates, and styles of four directions (mostly upright and right)."""
    matrices = [(1.0, 0.0, 0.0, 1.0), (12.0, 0.0, 0.0, 12.0), (0.0, -1.0, 1.0, 0.0), (-1.0, 0.0, 0.0, -1.0),
                (0.0, 2.0, -2.0, 0.0), (1.0, 0.0, 0.0, -1.0)]
    upright = [True, True, False, True, False, False]
    weights = rnd.choice([[50, 50, 1, 1, 1, 1], [1, 1, 10, 1, 1, 1], [1, 1, 1, 1, 10, 1], [5, 0, 0, 5, 0, 0]])
    code, box, style = [], [], []
    for _ in range(rnd.randint(1, 10)):
        top, x = rnd.uniform(5, 700), rnd.uniform(5, 300)
        size = rnd.choice([10.0, 12.0, 9.5, rnd.uniform(4, 20)])
        for _ in range(rnd.randint(1, 25)):
            text = rnd.choice(COLUMN_TEXTS)
            width = size * rnd.choice([1.0, 1.0, 0.5, 1.02, 1.0300000001, 0.97, rnd.uniform(0.3, 1.2)])
            height = size * rnd.choice([1.0, 1.0, 1.03, 1.05, 0.9])
            y = top + rnd.choice([0.0, 0.0, 1e-9, 2.0, 2.0000001, size * 0.03, size * 0.031])
            code.append(ord(text))
            box.append([x, x + width, y, y + height])
            style.append(rnd.choices(range(len(matrices)), weights)[0])
            if rnd.random() < 0.1:  # drawn again a hair away (fake bold)
                code.append(code[-1])
                box.append([v + rnd.choice([0.0, 0.5, 1.0]) for v in box[-1]])
                style.append(style[-1])
            x += width + rnd.choice([0.0, 0.5, 2.0, 2.0000000001, size * 0.35, size * 0.36, -0.5, -width - 1])
    for _ in range(rnd.choice([0, 0, 0, 1, 2])):  # NaN or inf not in x0 or top: the dedupe grid raises on both
        odd = rnd.choice([0.0, -0.0, math.nan, math.inf])
        box[rnd.randrange(len(box))][rnd.choice([1, 3]) if odd else rnd.randrange(4)] = odd
    columns = np.array(box, dtype=np.float64).T.copy()
    return GlyphColumns(np.array(code, dtype=np.uint32), *columns, np.array(style, dtype=np.intp), matrices,
                        upright)


def test_the_column_steps_give_what_the_dict_steps_give(native) -> None:
    """Dedupe, direction, words and misdrawn glyphs over `GlyphColumns` against the same steps over its dicts
    (the dicts the PDFium source made before it kept columns) and pdfplumber's own `extract_words`."""
    rnd = random.Random(23)
    pages = [_column_page(rnd) for _ in range(3000)]
    differing = []
    for k, columns in enumerate(pages):
        chars = columns.dicts()
        kept = text_layer.dedupe_overlaid(columns)
        dict_kept = text_layer.dedupe_overlaid(chars)
        same = pickle.dumps(as_dicts(kept)) == pickle.dumps(dict_kept)
        same &= text_layer.dominant_direction(kept) == text_layer.dominant_direction(dict_kept)
        words = char_words.upright_words(kept, 2, 2) if isinstance(kept, GlyphColumns) else None
        same &= words is None or pickle.dumps(words) == pickle.dumps(_reference_words(dict_kept))
        same &= pickle.dumps(text_layer.upright_words(kept)) == pickle.dumps(text_layer.upright_words(dict_kept))
        same &= misdrawn_glyphs(kept) == misdrawn_glyphs(dict_kept)
        if not same:
            differing.append(k)
    found = sum(bool(misdrawn_glyphs(c.dicts())) for c in pages)
    assert not differing and found > 300, (differing[:10], found)


def test_the_misdrawn_glyphs_of_columns_are_the_loops_on_the_real_reports(real_pdfs: dict[str, Path]) -> None:
    """Real pages read by PDFium as columns: dedupe, words and misdrawn glyphs as over their dicts."""
    import pypdfium2 as pdfium

    from etl.pagesource import pdfium_frame, pdfium_glyphs

    if helper() is None:
        pytest.skip("no compiled helper here: the PDFium source makes dicts")
    pages = 0
    differing = []
    for name, pdf in sorted(real_pdfs.items()):
        document = pdfium.PdfDocument(str(pdf))
        try:
            for number, page in enumerate(document, 1):
                columns = pdfium_glyphs.page_glyphs(page, pdfium_frame.Frame(page))
                if not isinstance(columns, GlyphColumns):
                    continue
                pages += 1
                kept, dict_kept = text_layer.dedupe_overlaid(columns), text_layer.dedupe_overlaid(columns.dicts())
                if (misdrawn_glyphs(kept) != misdrawn_glyphs(dict_kept)
                        or text_layer.upright_words(kept) != _reference_words(dict_kept)):
                    differing.append(f"{name} p{number}")
        finally:
            document.close()
    assert pages > 50 and not differing, differing


def _helper_page(rnd: random.Random) -> tuple[list, np.ndarray, Glyphs, np.ndarray]:
    """Styles, each glyph's style, PDFium-like glyphs (origins and loose boxes) and code points of a random page
    for `pdfium_glyphs._page_columns`: lines whose origins step by the words' tolerances' edges, tops a hair or
    a tolerance apart, copies drawn again, blanks and ligatures, styles upright or not, the baseline along the
    box's width or its height, negative advances, and now and then a zero or NaN coordinate."""
    turns = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0), (1.0, 0.0, 0.0, 1.0, 12.5, -3.0), (0.0, 1.0, -1.0, 0.0, 595.0, 0.0),
             (0.96, 0.28, -0.28, 0.96, 12.345, 6.789)]
    page = (*rnd.choice(turns), rnd.choice([842.0, 595.0, 841.89]))
    styles = []
    for _ in range(rnd.randint(1, 5)):
        a, b = rnd.choice([(1.0, 0.0), (12.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.3, 0.9), (1.0, -0.2)])
        low = rnd.choice([-0.2, -0.25, 0.0, -0.1234567])
        size = rnd.choice([10.0, 12.0, 9.5])
        styles.append(SimpleNamespace(norm=(a * a + b * b) ** 0.5 or 1.0, shown=(a, b, -b, a),
                                      along_width=abs(a) >= abs(b), y_em=(low * size, low * size + size),
                                      x_em=rnd.choice([(0.0, 0.0), (-1.5, 0.5)]), upright=rnd.random() > 0.15,
                                      page=page))
    code, origin, box, which = [], [], [], []
    for _ in range(rnd.randint(1, 10)):
        y, x = rnd.uniform(5, 700), rnd.uniform(5, 300)
        style = rnd.randrange(len(styles))
        for _ in range(rnd.randint(1, 20)):
            width = rnd.choice([5.0, 6.5, 10.0, rnd.uniform(0.5, 12)])
            gy = y + rnd.choice([0.0, 0.0, 1e-9, 2.0, 2.0000001, -1.9, 3.0])
            code.append(ord(rnd.choice("12合计 \u3000ﬁa.\xa0")))
            origin.append([x, gy])
            box.append([x, gy + 10.0, x + width, gy - rnd.choice([0.0, 2.0])])
            which.append(style if rnd.random() > 0.1 else rnd.randrange(len(styles)))
            if rnd.random() < 0.1:  # drawn again a hair away (fake bold)
                code.append(code[-1])
                origin.append([v + rnd.choice([0.0, 0.5, 1.0]) for v in origin[-1]])
                box.append(box[-1])
                which.append(which[-1])
            x += width + rnd.choice([0.0, 0.5, 2.0, 2.0000000001, 1.9999999, 5.0, -0.5, -width - 1])
    if rnd.random() < 0.05:  # a glyph boxed at zero or NaN: the words are pdfplumber's
        origin[rnd.randrange(len(origin))] = rnd.choice([[0.0, 842.0], [math.nan, 5.0]])
    n = len(code)
    found = Glyphs(np.arange(n, dtype=np.intc), np.array(origin), np.array(box), *([None] * 7))
    return styles, np.array(which, dtype=np.intp), found, np.array(code, dtype=np.uint32)


def test_one_compiled_call_per_page_gives_the_boxes_dedupe_and_words_of_the_array_steps(native) -> None:
    """`pdfium_glyphs._page_columns` (boxes, dedupe and words in one `juesuan_page` call) against the steps it
    replaced: `_boxes` over numpy, `dedupe_overlaid` over the columns, `char_words` over arrays and pdfplumber's
    own `extract_words` over the kept chars' dicts, bit for bit."""
    rnd = random.Random(24)
    pages = [_helper_page(rnd) for _ in range(3000)]
    differing, helped, declined = [], 0, 0
    for k, (styles, which, found, code) in enumerate(pages):
        chars = pdfium_glyphs._page_columns(native, styles, which, found, code)
        boxes = pdfium_glyphs._boxes(styles, which, found.origin, found.box)
        plain = GlyphColumns(code, *boxes, which, [s.shown for s in styles], [s.upright for s in styles])
        same = all(np.array_equal(a, b, equal_nan=True) and np.signbit(a).tolist() == np.signbit(b).tolist()
                   for a, b in zip((chars.x0, chars.x1, chars.top, chars.bottom), boxes, strict=True))
        if chars.kept is None:  # the helper's dedupe declined a NaN: the Python loop raises on it, as before
            declined += 1
            differing += [] if same else [k]
            continue
        kept, plain_kept = text_layer.dedupe_overlaid(chars), text_layer.dedupe_overlaid(plain)
        same &= pickle.dumps(as_dicts(kept)) == pickle.dumps(as_dicts(plain_kept))
        helped += kept.words is not None
        words = char_words.upright_words(kept, 2, 2)
        same &= pickle.dumps(words) == pickle.dumps(char_words.upright_words(plain_kept, 2, 2))
        same &= pickle.dumps(text_layer.upright_words(kept)) == pickle.dumps(_reference_words(as_dicts(plain_kept)))
        if not same:
            differing.append(k)
    assert not differing and helped > 2500 and declined > 10, (differing[:10], helped, declined)


def test_the_compiled_misdrawn_pairs_are_the_array_steps(native, monkeypatch: pytest.MonkeyPatch) -> None:
    """`glyph_widths._misdrawn_columns` in one `juesuan_misdrawn` call against its numpy steps (the fallback's),
    on random column pages at the tests' edges (same size to 3 %, gaps at RUN_GAP, NaN and infinite boxes)."""
    rnd = random.Random(25)
    pages = [_column_page(rnd) for _ in range(3000)]
    compiled = [glyph_widths._misdrawn_columns(page) for page in pages]
    monkeypatch.setenv(NATIVE_ENV, "0")
    arrays = [glyph_widths._misdrawn_columns(page) for page in pages]
    differing = [k for k, (a, b) in enumerate(zip(compiled, arrays, strict=True)) if a != b]
    assert not differing and sum(map(bool, arrays)) > 300 and None in arrays, differing[:10]


def _edge_table(rnd: random.Random) -> EdgeTable:
    """Edges as the drawing helper gives them: lines, rectangles' sides and curves' chords near FLAT and
    RULE_LENGTH, flat or upright within float noise, labelled any way, a few NaN and infinite coordinates."""
    near = [0.0, 0.5, 0.5000000000000001, 0.49999999999999994, 1e-13, 5.0, 5.000000000000001, 4.999999999999999,
            rnd.uniform(0, 8), rnd.uniform(0, 300)]
    rows = []
    for _ in range(rnd.randint(1, 60)):
        x0, top = rnd.uniform(-10, 600), rnd.uniform(-10, 800)
        x1, bottom = x0 + rnd.choice(near), top + rnd.choice(near)
        rows.append([x0, x1, top, bottom, float(rnd.choice([0, 1, 2]))])
    for _ in range(rnd.choice([0, 0, 0, 1])):
        rows[rnd.randrange(len(rows))][rnd.randrange(4)] = rnd.choice([math.nan, math.inf, -math.inf])
    return EdgeTable.of(np.array(rows))


def test_the_compiled_rules_are_the_edge_dicts_rules(native, monkeypatch: pytest.MonkeyPatch) -> None:
    """`text_layer._table_rules` in one `juesuan_rules` call against its numpy steps and `ruling_lines` over the
    same edges as pdfplumber's dicts (the Python walk's), bit for bit."""
    rnd = random.Random(26)
    tables = [_edge_table(rnd) for _ in range(3000)]
    compiled = [pickle.dumps(text_layer.ruling_lines(table)) for table in tables]
    from_dicts = [pickle.dumps(text_layer.ruling_lines(table.dicts())) for table in tables]
    monkeypatch.setenv(NATIVE_ENV, "0")
    arrays = [pickle.dumps(text_layer.ruling_lines(table)) for table in tables]
    assert compiled == from_dicts == arrays
    assert text_layer.ruling_lines(EdgeTable.of(np.empty((0, 5)))) == ([], [])
