"""Rebuild a table's rows and columns from word positions, with or without ruling lines.

Rows: where horizontal rules cross the table, a row is the band between two rules (so a cell's
wrapped label and an off-baseline number stay together); where there are none (Word- or
Distiller-printed PDFs), a row is an anchor line (one with a code or a label) plus the nearby
lines that carry only wrapped text or numbers.
Columns: numbers printed in one column overlap horizontally, so amount columns are clusters of
overlapping number words; each cluster is named by the header cells above it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter, itemgetter

from etl.normalise import compact, is_figure, parse_amount, to_wan
from etl.pagesource.page import Line, Page, Word, computed_once, group_lines
from etl.parsing.tables.page_index import hrules_between


@dataclass(frozen=True, init=False)
class Row:
    """A table row's words (a tuple: never changed once the row is made, so its lines are grouped once).

    Made for every row of every table part, so its constructor fills the instance's __dict__ directly, like
    Word's, instead of the frozen dataclass's generated one (an object.__setattr__ call per field, then
    __post_init__'s): the same instance, in a third of the time."""

    words: tuple[Word, ...]
    page: int

    def __init__(self, words: Iterable[Word], page: int) -> None:
        state = self.__dict__
        state["words"] = tuple(words)
        state["page"] = page

    @computed_once
    def _lines(self) -> list[Line]:
        return group_lines(self.words)

    def lines(self) -> list[Line]:
        return self._lines

    @classmethod
    def of_lines(cls, words: Iterable[Word], page: int, lines: list[Line]) -> Row:
        """A row whose words the caller has grouped into `lines` already (group_lines of these very words, or
        the one line they are): its lines are not grouped a second time."""
        row = cls(tuple(words), page)
        row.__dict__["_lines"] = lines  # where computed_once keeps the value it computes
        return row


@dataclass
class Span:
    """A horizontal extent: an amount column, or a header cell with its text."""

    x0: float
    x1: float
    text: str = ""
    top: float = 0.0
    bottom: float = 0.0
    span_x0: float = 0.0  # the columns a header cell heads (see header_cells)
    span_x1: float = 0.0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2



def rules_across(page: Page, x0: float, x1: float, top: float, bottom: float) -> list[float]:
    """y of horizontal rules spanning at least half of [x0, x1] between top and bottom, merged."""
    need = 0.5 * (x1 - x0)
    # min(b, x1) - max(a, x0) written as conditional expressions choosing the same operand (a ruled page carries
    # hundreds of rule segments, scanned for every table part)
    ys = sorted([y for y, a, b in hrules_between(page, top - 2, bottom + 2)
                 if (x1 if x1 < b else b) - (x0 if x0 > a else a) >= need])
    merged: list[float] = []
    for y in ys:
        if not merged or y - merged[-1] > 1.5:
            merged.append(y)
    return merged


def split_rows(
    page: Page, words: list[Word], x0: float, x1: float, is_anchor: Callable[[Line], bool]
) -> list[Row]:
    """Rows of a table body (words below the header), by rules when ruled, else by anchors."""
    if not words:
        return []
    top, bottom = min([w.top for w in words]), max([w.bottom for w in words])  # lists: faster than generators
    rules = rules_across(page, x0, x1, top, bottom)
    if len(rules) >= 3:
        return _rows_between_rules(page.number, words, rules, is_anchor)
    return _rows_by_anchor(page.number, words, is_anchor)


def _rows_between_rules(
    page_no: int, words: list[Word], rules: list[float], is_anchor: Callable[[Line], bool]
) -> list[Row]:
    rows = []
    for band in _bands(words, [-1e9, *rules, 1e9]):
        if not band:
            continue
        lines = group_lines(band)
        flags = [is_anchor(ln) for ln in lines]  # each line tested once (the test is pure), here and below
        anchors = sum(flags)
        if len(lines) > 1 and not anchors:
            rows.append(Row.of_lines(band, page_no, lines))  # text-only band: kept, callers ignore it
            continue
        # a band may still hold several anchor lines when some rules are missing
        rows.extend(_rows_by_anchor(page_no, band, is_anchor, lines, flags) if anchors > 1
                    else [Row.of_lines(band, page_no, lines)])
    return rows


def _bands(words: list[Word], edges: list[float]) -> list[list[Word]]:
    """The words whose centre lies in [edges[i], edges[i + 1]), for each i, in the words' order. The rules between
    the edges are merged apart, so the edges rise strictly unless a rule lies beyond ±1e9: each word's band is then
    found by bisection, else by testing every band."""
    if not edges[0] < edges[1] or not edges[-2] < edges[-1]:
        centred = [(w, w.yc) for w in words]
        return [[w for w, yc in centred if lo <= yc < hi] for lo, hi in zip(edges, edges[1:], strict=False)]
    bands: list[list[Word]] = [[] for _ in edges[1:]]
    last = len(bands)
    for w in words:
        i = bisect_right(edges, (w.top + w.bottom) / 2)  # w.yc, inlined; NaN, ±inf and ±1e9 beyond: no band
        if 0 < i <= last:
            bands[i - 1].append(w)
    return bands


def _rows_by_anchor(page_no: int, words: list[Word], is_anchor: Callable[[Line], bool],
                    lines: list[Line] | None = None, flags: list[bool] | None = None) -> list[Row]:
    """Each anchor line with the nearest non-anchor lines; `lines`: the words' lines, if already grouped, and
    `flags`: is_anchor of each of them, if already tested."""
    lines = group_lines(words) if lines is None else lines
    flags = [is_anchor(ln) for ln in lines] if flags is None else flags
    anchors = [ln for ln, anchor in zip(lines, flags, strict=True) if anchor]
    if not anchors:
        return [Row.of_lines(ln.words, page_no, [ln]) for ln in lines]  # a line's words regroup as that line
    words_of = {id(a): list(a.words) for a in anchors}
    centred = [(a.yc, a) for a in anchors]  # each anchor's centre computed once, not once per other line
    for ln, anchor in zip(lines, flags, strict=True):
        if anchor:
            continue
        yc = ln.yc
        nearest = min(centred, key=lambda ca: (abs(ca[0] - yc), ca[0] > yc))[1]  # the closest, above on a tie
        words_of[id(nearest)].extend(ln.words)
    # an anchor that took no other line is a row of that one line: its words regroup as that line (as above), so
    # it is not grouped again when the row's lines are asked for (most rows of a function table are one line)
    return [Row.of_lines(a.words, page_no, [a]) if len(words_of[id(a)]) == len(a.words)
            else Row(words_of[id(a)], page_no) for a in anchors]


def amount_columns(rows: Iterable[Row], x0: float = -1e9, x1: float = 1e9) -> list[Span]:
    """Clusters of horizontally overlapping number words (and -/— zero marks), left to right."""
    # (x0, x1) pairs, not a Span per figure (tens of thousands a document); sorted by x0 alone, as before
    spans = sorted([(w.x0, w.x1) for r in rows for w in r.words
                    if is_figure(w.text) and x0 <= (w.x0 + w.x1) / 2 <= x1], key=_first)
    cols: list[Span] = []
    for s_x0, s_x1 in spans:
        if cols and s_x0 <= cols[-1].x1 - 0.5:
            cols[-1].x1 = max(cols[-1].x1, s_x1)
        else:
            cols.append(Span(s_x0, s_x1))
    return cols


def header_cells(words: list[Word], page: Page | None = None) -> list[Span]:
    """Header cells: words joined with their neighbours on the line (`因公 出 国（ 境 ）费`) and with
    the words wrapped below them (`本年支出合` + `计`), each given the span of columns it heads."""
    cells: list[Span] = []
    joined = _join_on_line(words)
    for w in joined:
        # whether w starts within a line below the cell, tested here before the call: most cells fail it
        top, height = w.top, w.bottom - w.top
        below = next((c for c in cells if -0.3 * height <= top - c.bottom < 0.8 * height
                      and _wraps_onto(c, w, joined)), None)
        if below is not None:
            below.text += w.text
            below.x0, below.x1 = min(below.x0, w.x0), max(below.x1, w.x1)
            below.bottom = w.bottom
            continue
        cells.append(Span(w.x0, w.x1, w.text, w.top, w.bottom))
    for c in cells:
        c.text = compact(c.text)
    _set_spans(cells, page)
    return cells


def _wraps_onto(cell: Span, w: Word, words: list[Word]) -> bool:
    """w, which starts just below cell (header_cells tests that first), is the next line of the text in cell:
    centred under it, and alone under it (sub-headings under a spanning heading come several to a line)."""
    height = w.bottom - w.top
    wider = max(cell.x1 - cell.x0, w.x1 - w.x0)
    if not abs(cell.xc - w.xc) <= 0.25 * wider:
        return False
    siblings = [v for v in words if abs(v.yc - w.yc) < 0.5 * height and cell.x0 - 2 <= v.xc <= cell.x1 + 2]
    return len(siblings) == 1


def _join_on_line(words: list[Word]) -> list[Word]:
    """Words of one header line closer than 0.6 of a character's height (spaced-out labels are set
    about 0.4 em apart; separate cells further), joined."""
    out: list[Word] = []
    for line in group_lines(words):
        start = len(out)
        for w in line.words:
            prev = out[-1] if len(out) > start else None
            if prev is not None and abs(prev.yc - w.yc) < 3 and 0 <= w.x0 - prev.x1 < 0.6 * (w.bottom - w.top):
                out[-1] = Word(prev.text + w.text, prev.x0, w.x1, min(prev.top, w.top), max(prev.bottom, w.bottom))
            else:
                out.append(w)
    return sorted(out, key=lambda w: (w.top, w.x0))


#: pt: header cells whose boxes touch (a spanning heading half a line above its neighbours' centre line) are on
#: the same visual line; without it, which side of zero float noise fell on decided (5.7e-14 with pdfminer's
#: glyph boxes, 0.0 with PDFium's for the same cells)
TOUCHING = 0.01


def _set_spans(cells: list[Span], page: Page | None) -> None:
    """The x-range each cell heads: between the vertical rules beside it when ruled, else halfway
    to the nearest cells beside it on the same visual line (a lone cell heads a little more than
    its text)."""
    crossing_at: dict[float, list[float]] = {}  # a header line's cells share a height: its rules scanned once
    vrules = _vrules_near(cells, page)
    # each cell's centre computed once (the loop compares every pair of cells; only the spans change in it)
    placed = [(o, o.xc, o.top, o.bottom) for o in cells]
    for c, xc, top, bottom in placed:
        # min(o.bottom, c.bottom) - max(o.top, c.top) as conditional expressions choosing the same operand
        beside = [o_xc for o, o_xc, o_top, o_bottom in placed
                  if o is not c and (bottom if bottom < o_bottom else o_bottom) - (top if top > o_top else o_top)
                  > -TOUCHING]
        left = [v for v in beside if v < xc]
        right = [v for v in beside if v > xc]
        own = c.x1 - c.x0
        half_left = (xc - max(left)) / 2 if left else None
        half_right = (min(right) - xc) / 2 if right else None
        half_left = half_left if half_left is not None else (half_right if half_right is not None else own)
        half_right = half_right if half_right is not None else half_left
        c.span_x0, c.span_x1 = min(c.x0, xc - half_left), max(c.x1, xc + half_right)
        ruled = _ruled_span(c, vrules, crossing_at)
        if ruled:
            c.span_x0, c.span_x1 = ruled


def _vrules_near(cells: list[Span], page: Page | None) -> list[tuple[float, float, float]] | None:
    """The page's vertical rules that may cross some cell's mid-height (those reaching the header's band of
    mid-heights), in the page's order; None without a page. A ruled page may carry hundreds of rule segments, most
    of them below the header: each mid-height then scans only these."""
    if page is None:
        return None
    ys = [(c.top + c.bottom) / 2 for c in cells]
    if not ys or any(y != y for y in ys):  # NaN: no band to bound; every rule is scanned as before
        return page.vrules
    low, high = min(ys), max(ys)
    # a rule with top - 1 <= y <= bottom + 1 for some y in [low, high] has top - 1 <= high and low <= bottom + 1
    return [r for r in page.vrules if r[1] - 1 <= high and low <= r[2] + 1]


def _ruled_span(c: Span, vrules: list[tuple[float, float, float]] | None,
                crossing_at: dict[float, list[float]]) -> tuple[float, float] | None:
    """The vertical rules left and right of a cell at its mid-height (`vrules`: those near the header, see
    _vrules_near); `crossing_at`: the x of the rules crossing each height already scanned."""
    if vrules is None:
        return None
    y = (c.top + c.bottom) / 2
    crossing = crossing_at.get(y)
    if crossing is None:
        crossing = crossing_at[y] = [x for x, top, bottom in vrules if top - 1 <= y <= bottom + 1]
    left = [x for x in crossing if x <= c.x0 + 1]
    right = [x for x in crossing if x >= c.x1 - 1]
    return (max(left), min(right)) if left and right else None


_SUBTOTAL = re.compile(r"小计|合计")


def label_column(col: Span, cells: list[Span], vocabulary: dict[str, str]) -> str | None:
    """The role of an amount column: among header cells heading it (their span holds the column's
    centre) and naming a role, the narrowest wins: 小计 over the 三公 title spanning every column."""
    xc = col.xc
    heading = sorted(((c, role) for c in cells
                      if c.span_x0 <= xc <= c.span_x1 and (role := match_role(c.text, vocabulary))),
                     key=lambda cr: cr[0].span_x1 - cr[0].span_x0)
    if heading:
        # 小计 under 基本支出 is 基本支出's subtotal: a generic subtotal takes its parent heading's role
        child, role = heading[0]
        parents = [r for c, r in heading[1:] if c.bottom <= child.top + 1]  # headings printed above it
        generic = role == match_role("合计", vocabulary)  # 小计 read as the table's 合计 …
        if generic and _SUBTOTAL.fullmatch(child.text) and parents and parents[0] != role:
            return parents[0]  # … is rather the subtotal of the heading above it
        return role
    matching = [(c, role) for c in cells if (role := match_role(c.text, vocabulary))]
    return min(matching, key=lambda cr: abs(cr[0].xc - xc))[1] if matching else None


def match_role(text: str, vocabulary: dict[str, str]) -> str | None:
    """First vocabulary keyword (in declaration order) contained in text."""
    for keyword, role in vocabulary.items():
        if keyword in text:
            return role
    return None


#: Row key holding, for each figure of a parsed row, the word it was read from (its OCR confidence and readings
#: are looked at by etl.parsing.readings); never written out.
WORDS = "_words"


class RoleValues(dict):
    """A row's amounts by role (a dict of Decimal), and in `words` the word each was read from."""

    def __init__(self) -> None:
        super().__init__()
        self.words: dict[str, Word] = {}

    def put(self, role: str, value: Decimal, word: Word) -> None:
        """Set role's value unless already set (the leftmost amount wins a role)."""
        if role not in self:
            self[role], self.words[role] = value, word


class ColumnRoles:
    """A table's amount columns, the role of each (None: a column read for no role) and the unit its figures are
    printed in, read off the column Spans once per table: every figure of every row is placed against them."""

    def __init__(self, cols: list[Span], roles: list[str | None], unit: str) -> None:
        self.bounds = [(c.x0, c.x1) for c in cols]
        self.roles = roles
        self.unit = unit

    def values(self, words: Iterable[Word]) -> RoleValues:
        """A row's amounts in 万元 keyed by the role of their column (the leftmost wins a role), plus `first`, the
        leftmost amount, for a header that names nothing. Zero marks (-, —) count as 0."""
        values = RoleValues()
        bounds, roles, unit = self.bounds, self.roles, self.unit
        for w in sorted([w for w in words if is_figure(w.text)], key=_x0):
            value = to_wan(parse_amount(w.text), unit)
            if not values:  # the leftmost amount
                values.put("first", value, w)
            i = _most_overlapped(w.x0, w.x1, bounds)
            if i is not None and roles[i]:
                values.put(roles[i], value, w)
        return values


def column_of(word: Word, cols: list[Span]) -> int | None:
    """The column the word overlaps most (min/max written as conditional expressions choosing the same operand:
    called for every figure of every row)."""
    return _most_overlapped(word.x0, word.x1, [(c.x0, c.x1) for c in cols])


def _most_overlapped(x0: float, x1: float, bounds: list[tuple[float, float]]) -> int | None:
    """The index of the (x0, x1) range in `bounds` that x0..x1 overlaps most, None if none overlaps."""
    best, best_overlap = None, 0.0
    for i, (c_x0, c_x1) in enumerate(bounds):
        ov = (x1 if x1 < c_x1 else c_x1) - (x0 if x0 > c_x0 else c_x0)
        if ov > best_overlap:
            best, best_overlap = i, ov
    return best


_x0 = attrgetter("x0")
_first = itemgetter(0)
