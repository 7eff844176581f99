"""OCR readings settled by the tables' identities, never against them.

A figure read by OCR is changed only where an identity of its table fails and exactly one other reading of one
figure (`etl.pagesource.ocr_readings.alternative_readings`: `28282` for `282.82`) makes that identity hold while
breaking none that held. A figure read with look-alike letters (`1O2.50`, taken as 102.50) stands confirmed only
where every identity it takes part in holds. Anything else stays as read: the failing check flags it, and a reading
no identity confirms is listed, never quietly kept or changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from etl.normalise import parse_amount, to_wan
from etl.pagesource.ocr_readings import alternative_readings
from etl.pagesource.page import Line, OcrWord, Page
from etl.parsing.identities import Cell, Identity, table_identities
from etl.parsing.narrative import line_spans
from etl.parsing.tables.grid import WORDS


@dataclass
class Reading:
    """An OCR figure the identities decided on: where it stands, what OCR read, what is taken, and the identities
    that decided (restored by a correction; failing, or none, for an unconfirmed reading)."""

    cell: Cell
    read: str
    taken: str
    identities: list[str]
    read_value: Decimal | None = None  # 万元, as the table's unit makes it (None for a reading with letters)
    taken_value: Decimal | None = None


@dataclass
class Settlement:
    corrected: list[Reading] = field(default_factory=list)
    unconfirmed: list[Reading] = field(default_factory=list)


@dataclass(eq=False)
class _Figure:
    """One OCR word's figure: every cell its value is written in, and every identity those cells take part in."""

    word: OcrWord
    cells: list[Cell]
    identities: list[Identity] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.word.text

    def take(self, text: str, units: dict[str, str]) -> None:
        for cell in self.cells:
            cell.set(to_wan(parse_amount(text), units.get(cell.table, "万元")))

    def holding(self) -> list[bool]:
        return [i.holds() for i in self.identities]


def settle_readings(identities: list[Identity], rows: Iterable[tuple[str, dict]], units: dict[str, str]
                    ) -> Settlement:
    """Correct what exactly one reading explains (in place, in the rows) and list look-alike readings no identity
    confirms. `rows` are (table key, row) of every parsed row, so a figure written in two rows changes in both."""
    figures = _figures(identities, rows)
    settled = Settlement()
    texts = {id(f): f.text for f in figures}  # the reading taken now (words are immutable)
    while (fix := _unique_fix(identities, figures, texts, units)) is not None:
        figure, text, restored = fix
        read_value = figure.cells[0].value
        figure.take(text, units)
        settled.corrected.append(Reading(figure.cells[0], texts[id(figure)], text, restored, read_value,
                                         figure.cells[0].value))
        texts[id(figure)] = text
    for f in figures:
        if f.word.read_as and not (f.identities and all(f.holding())):
            failing = [i.name for i in f.identities if not i.holds()]
            settled.unconfirmed.append(Reading(f.cells[0], f.word.read_as, texts[id(f)], failing,
                                               taken_value=f.cells[0].value))
    return settled


def _figures(identities: list[Identity], rows: Iterable[tuple[str, dict]]) -> list[_Figure]:
    """The figures read by OCR, with their cells (every row that holds the word) and their identities."""
    by_word: dict[int, _Figure] = {}
    for table, row in rows:
        for key, word in (row.get(WORDS) or {}).items():
            if isinstance(word, OcrWord) and _holds_key(row, key):
                by_word.setdefault(id(word), _Figure(word, [])).cells.append(Cell(row, key, table))
    for identity in identities:
        for word in {id(c.word): c.word for c in identity.cells if c.word is not None}.values():
            figure = by_word.get(id(word))
            if figure is not None and identity not in figure.identities:
                figure.identities.append(identity)
    return list(by_word.values())


def _holds_key(row: dict, key: str) -> bool:
    return key in row or key in (row.get("values") or {})


def _unique_fix(identities: list[Identity], figures: list[_Figure], texts: dict[int, str], units: dict[str, str]
                ) -> tuple[_Figure, str, list[str]] | None:
    """The first failing identity that exactly one (figure, reading) restores without breaking another; None when
    every identity holds or none is explained by a single reading."""
    failing = {id(i) for i in identities if not i.holds()}
    if not failing:
        return None
    proposals: dict[int, list[tuple[_Figure, str, list[str]]]] = defaultdict(list)
    for figure in figures:
        if not any(id(i) in failing for i in figure.identities):
            continue
        for text in alternative_readings(texts[id(figure)]):
            restored = _restores(figure, text, texts[id(figure)], units)
            for identity in restored or []:
                proposals[id(identity)].append((figure, text, [i.name for i in restored]))
    for identity in identities:
        if id(identity) in failing and len(proposals[id(identity)]) == 1:
            return proposals[id(identity)][0]
    return None


def _restores(figure: _Figure, text: str, current: str, units: dict[str, str]) -> list[Identity] | None:
    """The identities `text` makes hold that failed with the current reading; None when it breaks one that held."""
    before = figure.holding()
    figure.take(text, units)
    after = figure.holding()
    figure.take(current, units)
    if any(b and not a for b, a in zip(before, after, strict=True)):
        return None
    return [i for i, b, a in zip(figure.identities, before, after, strict=True) if a and not b]


def settle_report_readings(summary: list[dict], fiscal: list[dict], functions: list[dict], economic: list[dict],
                           costs: dict | None, sangong: list[dict], units: dict[str, str]) -> Settlement:
    """settle_readings over one report's parsed tables (nothing to do, and nothing built, when no figure is OCR's)."""
    rows = [*(("income_expenditure_summary", r) for r in summary), *(("fiscal_summary", r) for r in fiscal),
            *((r["table_key"], r) for r in functions), *(("gpb_basic_expenditure", r) for r in economic),
            *([("gpb_basic_expenditure", costs)] if costs else []),
            *(("sangong", r) for r in sangong if r.get("source", "table") == "table")]
    if not any(_has_ocr_word(r) for _, r in rows):
        return Settlement()
    return settle_readings(table_identities(summary, fiscal, functions, economic, costs, sangong), rows, units)


def _has_ocr_word(row: dict) -> bool:
    """Whether a figure of the row was read from an OCR word: by the words' few classes, not word by word."""
    words = row.get(WORDS)
    return bool(words) and any(issubclass(kind, OcrWord) for kind in set(map(type, words.values())))


def ocr_confidence(row: dict) -> float | None:
    """The lowest recogniser confidence among the OCR words a row's figures were read from; None when none was."""
    scores = [w.confidence for w in (row.get(WORDS) or {}).values() if isinstance(w, OcrWord)]
    return round(min(scores), 4) if scores else None


def narrative_confidence(span: tuple[int, int] | None, lines: list[tuple[int, int, Line]]) -> float | None:
    """The lowest recogniser confidence of the OCR words on the narrative lines a statement was read from (`span`
    in narrative_text's string; `lines` from narrative.line_spans); None when none of them was read by OCR."""
    if span is None:
        return None
    start, end = span
    scores = [w.confidence for a, b, line in lines if a < end and b > start
              for w in line.words if isinstance(w, OcrWord)]
    return round(min(scores), 4) if scores else None


def set_narrative_confidences(pages: list[Page], statements: list, rows: list[dict]) -> None:
    """Each narrative figure's OCR confidence: budget_execution statements (`.ocr_confidence`) and item_yoy or 三公
    rows read from the text (`["ocr_confidence"]`), each from the lines of its span. Nothing to do without OCR."""
    if not any(p.source == "ocr" for p in pages):
        return
    lines = line_spans(pages)
    for statement in statements:
        statement.ocr_confidence = narrative_confidence(statement.span, lines)
    for row in rows:
        row["ocr_confidence"] = narrative_confidence(row.get("span"), lines)
