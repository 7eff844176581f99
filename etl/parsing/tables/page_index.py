"""What the table readers look up on a page again and again, computed once per page.

Every part of every table (both sides of a summary, each page of a continued table) scans the page's horizontal
rules for those crossing its rows, and the x-extent of the page's words: a ruled page carries hundreds of rule
segments and thousands of words. The index is kept in the page's __dict__ with the lists it was made from, so a
page given new words or rules is indexed afresh.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter

from etl.pagesource.page import Page

_HRULES = "_table_hrules_by_y"
_EXTENT = "_table_words_extent"
_y = itemgetter(0)  # a rule's y


def hrules_between(page: Page, low: float, high: float) -> list[tuple[float, float, float]]:
    """The page's horizontal rules with low <= y <= high, in y order (equal y in the page's order): the rules a
    scan of page.hrules keeps, so that sorting their y gives the same list."""
    rules = page.hrules
    cached = page.__dict__.get(_HRULES)
    if cached is None or cached[0] is not rules or cached[1] != len(rules):
        total = sum([r[0] for r in rules])  # NaN if any y is (or if +inf and -inf both occur: scanned too)
        if total != total:  # NaN (a hostile file): no order to search; scan the rules as they are
            cached = (rules, len(rules), None, None)
        else:
            ordered = sorted(rules, key=_y)  # stable: equal y (0.0 and -0.0 too) keep the page's order
            cached = (rules, len(rules), ordered, [r[0] for r in ordered])
        page.__dict__[_HRULES] = cached
    ordered, ys = cached[2], cached[3]
    if ordered is None or not low <= high:  # NaN bounds keep no rule in a scan (nor does an empty range)
        return [r for r in rules if low <= r[0] <= high]
    return ordered[bisect_left(ys, low):bisect_right(ys, high)]


def words_extent(page: Page) -> tuple[float, float]:
    """min x0 and max x1 of the page's words (it must have some), as min and max over page.words give them."""
    words = page.words
    cached = page.__dict__.get(_EXTENT)
    if cached is None or cached[0] is not words or cached[1] != len(words):
        cached = (words, len(words), min([w.x0 for w in words]), max([w.x1 for w in words]))  # lists: faster
        page.__dict__[_EXTENT] = cached
    return cached[2], cached[3]
