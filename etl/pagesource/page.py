"""The page every stage reads: positioned words, text lines rebuilt from word positions, ruling lines.

Page sources (the PDF's text layer, OCR of a scan) produce these plain objects; every later stage works
on them, never on pdfplumber or an OCR engine directly, so a page can be tested without a PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, TypeVar

from etl.normalise import clean_text, compact

_T = TypeVar("_T")


class computed_once(Generic[_T]):  # noqa: N801 (used as a decorator, like functools.cached_property)
    """functools.cached_property without its per-instance lock (Python 3.11 takes an RLock on every first
    access): a Line's text and key, a row's lines, are first asked for tens of thousands of times a document.
    The value is stored in the instance's __dict__, which then answers every later access directly."""

    def __init__(self, compute: Any) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True, init=False)
class Word:
    """A positioned word. Every page's words are made through this class (thousands a document), so its
    constructor fills the instance's __dict__ directly, in field order, instead of the frozen dataclass's
    generated one (an object.__setattr__ call per field): the same instance, made in half the time. Equality,
    hashing, repr and immutability stay the dataclass's; OcrWord keeps its generated constructor."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float) -> None:
        state = self.__dict__
        state["text"] = text
        state["x0"] = x0
        state["x1"] = x1
        state["top"] = top
        state["bottom"] = bottom

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class OcrWord(Word):
    """A word read by OCR: the recogniser's mean confidence (0–1) over its characters, and, for an amount read with
    look-alike letters (`1O2.50`, taken as `102.50`: ocr_readings.letters_as_digits), what OCR read (`read_as`),
    for the table's identities to confirm; empty otherwise."""

    confidence: float = 1.0
    read_as: str = ""


@dataclass(frozen=True)
class Line:
    """Words sharing a text line: grouped by vertical overlap, not equal baselines, so numbers
    set in another font slightly off the baseline stay on their line.

    Immutable (its words a tuple, at least one), so its extent and, when first asked, its text and key are
    computed once: every stage asks for them, many times per line."""

    words: tuple[Word, ...]
    top: float = field(init=False)
    bottom: float = field(init=False)
    x0: float = field(init=False)

    def __post_init__(self) -> None:
        words = tuple(self.words)  # a list given is frozen
        object.__setattr__(self, "words", words)
        # list comprehensions, not generators: a Line is made for every text line of every page and row
        object.__setattr__(self, "top", min([w.top for w in words]))
        object.__setattr__(self, "bottom", max([w.bottom for w in words]))
        object.__setattr__(self, "x0", min([w.x0 for w in words]))

    @classmethod
    def _grouped(cls, words: list[Word], top: float, bottom: float) -> Line:
        """A line of words sorted by x0 whose vertical extent is known (group_lines tracks it): the same Line as
        `Line(words)`, made without scanning the words three times (Lines are made by the tens of thousands)."""
        line = object.__new__(cls)
        state = line.__dict__  # what object.__setattr__ would fill, field by field, in field order
        state["words"] = tuple(words)
        state["top"] = top
        state["bottom"] = bottom
        state["x0"] = words[0].x0
        return line

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @computed_once
    def text(self) -> str:
        return clean_text(" ".join([w.text for w in self.words]))  # a list joins faster than a generator

    @computed_once
    def key(self) -> str:
        return compact(self.text)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    hrules: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vrules: list[tuple[float, float, float]] = field(default_factory=list)  # (x, top, bottom)
    char_count: int = 0
    image_count: int = 0
    curve_count: int = 0  # vector curves drawn (text converted to outlines draws hundreds)
    _lines: list[Line] | None = field(default=None, repr=False, compare=False)
    source: str = "text"  # which page source read it: text (the PDF's text layer) or ocr
    source_note: str | None = None  # why that source (e.g. why the text layer was not used)
    #: where a synthetic page (a web page's or text file's) is in its file, e.g. 第3个表格 or 第12–40行;
    #: None for a PDF page, whose number says it
    position: str | None = None
    #: Latin glyphs drawn as wide and tall as the 汉字 beside them: 汉字 mis-mapped (etl.pagesource.glyph_widths)
    misdrawn: str = ""
    #: values computed from the lines, by name, each with the lines it was computed from (see `derived`)
    _derived: dict[str, tuple[list[Line], Any]] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: how `_lines` were grouped (see Grouping): lets strip_running_lines drop whole lines without regrouping
    _grouping: Grouping | None = field(default=None, init=False, repr=False, compare=False)

    def lines(self) -> list[Line]:
        """The page's text lines (computed once; every stage asks for them)."""
        if self._lines is None:
            grouping = Grouping(self.words)
            self._lines, self._grouping = grouping.lines, grouping
        return self._lines

    def derived(self, name: str, compute: Callable[[list[Line]], _T]) -> _T:
        """compute(lines), computed once for the page's current lines: several readers of a document ask for the
        same value (the narrative's squeezed text, six times). Kept with the lines list it came from, so new lines
        (set_words, or a copy made by dataclasses.replace, which starts with none) compute it afresh."""
        lines = self.lines()
        hit = self._derived.get(name)
        if hit is not None and hit[0] is lines:
            return hit[1]
        value = compute(lines)
        self._derived[name] = (lines, value)
        return value

    def set_words(self, words: list[Word]) -> None:
        self.words, self._lines, self._grouping = words, None, None

    def drop_words(self, drop: set[int]) -> None:
        """Remove the words whose id is in `drop`, each a word of a whole line of `lines()` (running lines): the
        remaining lines are kept as grouped when Grouping.without proves regrouping gives the same ones."""
        lines, grouping = self._lines, self._grouping
        words = [w for w in self.words if id(w) not in drop]
        kept = None
        if grouping is not None and lines is grouping.lines and self.words is grouping.words:
            kept = grouping.without(drop, len(words))
        self.set_words(words)
        self._lines = kept  # None: grouped afresh when next asked

    def has_text(self) -> bool:
        return bool(self.words)


_DIGITS = re.compile(r"\d+")  # compiled once: re.sub(pattern, …) looks its pattern up in re's cache each call
_PAGE_NUMBER = re.compile(r"^[-—–第\s]*\d{1,3}[-—–页\s]*$|^-?\d+/\d+-?$|^第\d+页(共\d+页)?$")


def is_page_furniture(line: Line, page: Page) -> bool:
    """A page number (or 'n/m') printed in the top or bottom margin."""
    in_margin = line.top < page.height * 0.08 or line.bottom > page.height * 0.92
    return in_margin and bool(_PAGE_NUMBER.match(line.key))


def strip_running_lines(pages: list[Page]) -> None:
    """Remove running headers/footers and page numbers from every page's words.

    A margin line (top or bottom 8 %) whose text, digits aside, recurs on at least three pages
    (and a fifth of them) is page furniture; left in, it would split a sentence of the narrative
    or add a name to a table's last row.
    """
    def margin_lines(page: Page) -> list[Line]:
        return [ln for ln in page.lines() if ln.bottom < page.height * 0.08 or ln.top > page.height * 0.92]

    def shape(line: Line) -> str:
        return _DIGITS.sub("#", line.key)

    counts: dict[str, int] = {}
    for page in pages:
        for key in {shape(ln) for ln in margin_lines(page)}:
            counts[key] = counts.get(key, 0) + 1
    running = {k for k, n in counts.items() if n >= max(3, len(pages) // 5)}
    for page in pages:
        drop = {id(w) for ln in margin_lines(page)
                if shape(ln) in running or is_page_furniture(ln, page) for w in ln.words}
        if drop:
            page.drop_words(drop)


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into lines by vertical overlap (≥ 40 % of the smaller height): Grouping's lines."""
    return Grouping(words).lines


class Grouping:
    """Words grouped into lines by vertical overlap (≥ 40 % of the smaller height), and where each word's search
    for its line stopped, so that lines can later be dropped without grouping the rest again (`without`).

    Words are taken top to bottom; each joins the latest line it overlaps enough, searched from the newest line
    back while lines are within 30 pt above it. The loop is inlined (no helper call, `min`/`max` written as
    conditional expressions that choose the same operand) because it runs for every word of every page and
    table row: it was the parser's single largest cost. For the same reason the sorts call no Python function
    per item: words are sorted as (yc, x0, index) tuples (the index breaks ties as a stable sort keeps them), a
    line's words by a C attribute getter, and lines by the centre of the band tracked for each."""

    __slots__ = ("words", "lines", "_line_of_group", "_stops")

    def __init__(self, words: Iterable[Word]) -> None:
        words = words if isinstance(words, list | tuple) else list(words)
        order = [((w.top + w.bottom) / 2, w.x0, i) for i, w in enumerate(words)]
        order.sort()
        groups: list[list[Word]] = []
        tops: list[float] = []  # per line: the band its words span so far
        bottoms: list[float] = []
        stops: list[tuple[int, Word]] = []  # (line, word): the word's search stopped at that line, far above it
        for _, _, index in order:
            w = words[index]
            top, bottom = w.top, w.bottom
            height = bottom - top
            i = len(groups) - 1  # a while loop: most words join the newest line, a range per word cost more
            while i >= 0:
                band_top, band_bottom = tops[i], bottoms[i]
                if band_bottom < top - 30:  # far above: no earlier line can match
                    stops.append((i, w))
                    i = -1  # the word starts a line
                    break
                # min(band_bottom, bottom) - max(band_top, top), and 0.4 × the smaller height
                overlap = (bottom if bottom < band_bottom else band_bottom) - (top if top > band_top else band_top)
                band_height = band_bottom - band_top
                if overlap >= 0.4 * (height if height < band_height else band_height):
                    groups[i].append(w)
                    if top < band_top:
                        tops[i] = top
                    if bottom > band_bottom:
                        bottoms[i] = bottom
                    break
                i -= 1
            if i < 0:  # no line matched, or the search stopped
                groups.append([w])
                tops.append(top)
                bottoms.append(bottom)
        centres = [(top + bottom) / 2 for top, bottom in zip(tops, bottoms, strict=True)]  # each Line's yc
        grouped = Line._grouped
        line_of_group: list[Line] = [None] * len(groups)  # type: ignore[list-item]
        lines = []
        for i in sorted(range(len(groups)), key=centres.__getitem__):
            group = groups[i]
            if len(group) > 1:
                group.sort(key=_x0)
            line = line_of_group[i] = grouped(group, tops[i], bottoms[i])
            lines.append(line)
        self.words, self.lines, self._line_of_group, self._stops = words, lines, line_of_group, stops

    def without(self, drop: set[int], kept_words: int) -> list[Line] | None:
        """The lines of the words whose id is not in `drop` (whole lines' words), if grouping those words afresh
        is proven to give exactly the lines left here (the same Line objects); None when it is not proven.

        Regrouping repeats every kept word's search over the kept lines (the same bands, by induction): a word
        that joined a kept line passed only lines that neither matched nor stopped it, and one that started a
        line stopped at a kept line or at none. A kept word whose search stopped at a dropped line (a running
        header, the page's first line, stops most searches) searches further once that line is gone: it still
        starts a line if no older line is kept, or if the newest older kept line ends more than 30 pt above it
        (a band's bottom only grows, so it stopped the search then too). Otherwise nothing is proven.
        `kept_words` (how many words are left) confirms that the lines left hold all of those words."""
        line_of_group = self._line_of_group
        for i, w in self._stops:
            if id(w) in drop or id(line_of_group[i].words[0]) not in drop:
                continue
            older = next((ln for ln in reversed(line_of_group[:i]) if id(ln.words[0]) not in drop), None)
            if older is not None and not older.bottom < w.top - 30:
                return None
        kept = [ln for ln in self.lines if id(ln.words[0]) not in drop]
        if sum([len(ln.words) for ln in kept]) != kept_words:
            return None
        return kept


_x0 = attrgetter("x0")


# -- words every source may print glued: split back ------------------------------------------------

_GLUED_AMOUNTS = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}")


def split_glued_amounts(word: Word) -> list[Word]:
    """Amounts printed so close that they extract as one word (`182,194,900.00145,477,200.00`),
    split back, each given its share of the width by character count. Every word of every page comes here: one
    without two points cannot be two amounts (each part holds one), so it is returned before the pattern runs."""
    if word.text.count(".") < 2:
        return [word]
    parts = _GLUED_AMOUNTS.findall(word.text)
    if len(parts) < 2 or "".join(parts) != word.text:
        return [word]
    out, x, per_char = [], word.x0, (word.x1 - word.x0) / len(word.text)
    for part in parts:
        out.append(Word(part, x, x + per_char * len(part), word.top, word.bottom))
        x += per_char * len(part)
    return out


_CODE_THEN_NAME = re.compile(r"^(\d{3}|\d{5}|\d{7})([\u4e00-\u9fff].*)$")


def split_code_from_name(word: Word) -> list[Word]:
    """A function or economic code printed against its name (`2010601行政运行`) as two words. Every word of every
    page comes here: one not starting with a decimal digit (what the pattern's \\d matches: str.isdecimal) is
    returned before the pattern runs."""
    if not word.text[:1].isdecimal():
        return [word]
    m = _CODE_THEN_NAME.match(word.text)
    if not m:
        return [word]
    per_char = (word.x1 - word.x0) / max(len(word.text), 1)
    cut = word.x0 + per_char * len(m.group(1)) * 0.55  # digits are about half as wide as 汉字
    return [Word(m.group(1), word.x0, cut, word.top, word.bottom),
            Word(m.group(2), cut, word.x1, word.top, word.bottom)]
