"""The table readers' per-page index of rules and word extents gives what a scan of the page gives."""

from __future__ import annotations

import math
import random

from etl.pagesource.page import Page, Word
from etl.parsing.tables.grid import Span, _set_spans, rules_across
from etl.parsing.tables.page_index import hrules_between, words_extent


def _scan(page: Page, low: float, high: float) -> list[float]:
    return sorted([y for y, _, _ in page.hrules if low <= y <= high])


def test_indexed_rules_match_a_scan_with_signed_zeros_and_ties():
    rng = random.Random(7)
    rules = [(rng.choice([0.0, -0.0, 10.0, 10.0, rng.uniform(-5, 800)]), rng.uniform(0, 100), rng.uniform(100, 500))
             for _ in range(300)]
    page = Page(1, 600, 800, [Word("x", 1, 2, 3, 4)], hrules=rules)
    for low, high in [(-2, 2), (8, 12), (-1e9, 1e9), (300, 200), (math.nan, 5), (0.0, 0.0)]:
        got = sorted([r[0] for r in hrules_between(page, low, high)])
        want = _scan(page, low, high)
        assert got == want and [math.copysign(1, y) for y in got] == [math.copysign(1, y) for y in want]


def test_rules_with_nan_are_scanned_not_searched():
    page = Page(1, 600, 800, [Word("x", 1, 2, 3, 4)], hrules=[(5.0, 0, 9), (math.nan, 0, 9), (3.0, 0, 9)])
    assert sorted(r[0] for r in hrules_between(page, 0, 10)) == [3.0, 5.0]
    assert rules_across(page, 0, 9, 2, 8) == [3.0, 5.0]


def test_new_words_or_rules_are_indexed_afresh():
    page = Page(1, 600, 800, [Word("x", 1, 2, 3, 4)], hrules=[(5.0, 0, 9)])
    assert words_extent(page) == (1, 2) and len(hrules_between(page, 0, 10)) == 1
    page.set_words([Word("y", -3, 7, 3, 4)])
    page.hrules = [(5.0, 0, 9), (6.0, 0, 9)]
    assert words_extent(page) == (-3, 7) and len(hrules_between(page, 0, 10)) == 2


def test_header_spans_read_from_the_rules_near_the_header():
    page = Page(1, 600, 800, [Word("x", 1, 2, 3, 4)],
                vrules=[(10.0, 0, 50), (90.0, 0, 50), (50.0, 400, 500), (200.0, 20, 30)])
    cells = [Span(20, 40, "a", 10, 20), Span(60, 80, "b", 10, 20)]
    _set_spans(cells, page)
    assert [(c.span_x0, c.span_x1) for c in cells] == [(10.0, 90.0), (10.0, 90.0)]
