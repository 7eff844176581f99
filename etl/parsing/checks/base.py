"""What every check is made of: its rule (severity, Chinese label, rationale), its result, the
rounding tolerance, and the document figures checks read.

Rules are declared once, by the module that runs them (`declare`), and looked up by check id
(`rule_for`: the longest declared prefix). Printed figures are rounded to the cent, so a sum of n
printed parts may differ from its printed total by up to 0.01 per part: that is the tolerance.
Every check yields pass, fail (with what disagreed by how much) or skipped (an input was not
printed), an English `detail`, a one-line Chinese `message` a reviewer can act on, the `severity`
its rule declares, and where the figures it compared were printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

CENT = Decimal("0.01")

#: The groups of figures a failed check can put in doubt (Rule.doubts). A comparison drops only the
#: figures in doubt, never a whole department-year for a slip elsewhere (the analysis layer's
#: department_year_figures grades each group). A rule that puts no figure in doubt (doubts = ()) is
#: a disclosure defect: the report is defective (a placeholder, a wrong heading year, a table not
#: printed), its printed figures are not contradicted.
FIGURE_GROUPS = {
    "sangong": "the 三公 figures (07 table: 合计, 出国, 用车, 接待; budget and actual)",
    "cost": "人员经费 and 公用经费 (06 table), and the ratio and share built on them",
    "gpb": "the 一般公共预算财政拨款 total: its 决算 (narrative or 05 合计), its budget and completion",
    "totals": "the department totals of 01/03: 收入/支出合计, 财政拨款收入",
    "items": "the 类/款/项 rows (03, 05, economic tables) and the narrative's per-项 budget statements",
    "narrative": "the narrative's own stated changes and shares (no headline figure is read from them)",
}
ALL_GROUPS = tuple(FIGURE_GROUPS)

#: How serious a failed check is; the analysis layer's quality gate reads it.
SEVERITIES = {
    "error": "a table identity is broken: the figures of the document cannot all be right (quality fail)",
    "warning": "two sources disagree and the analysis takes one of them (quality warn)",
    "info": "reported for review only; never affects quality",
}


@dataclass(frozen=True)
class Rule:
    """Checks whose id is `prefix` or starts with `prefix.`: their severity, Chinese label, and why."""

    prefix: str
    severity: str
    label: str
    rationale: str
    #: Suffixes of the ids of a check run once per column or side (`prefix.total`, …).
    variants: tuple[str, ...] = ()
    #: The figure groups (FIGURE_GROUPS) a failure puts in doubt; () for a disclosure defect.
    #: Declared on every rule; a check may narrow it per result (CheckResult.doubts).
    doubts: tuple[str, ...] | None = field(default=None, kw_only=True)

    @property
    def is_disclosure(self) -> bool:
        """A failure that contradicts no figure: the disclosure is defective, the figures stand."""
        return not self.doubts




_REGISTRY: list[Rule] = []


def declare(*rules: Rule) -> tuple[Rule, ...]:
    """Register the rules of a group of checks (each prefix once); return them."""
    known = {r.prefix for r in _REGISTRY}
    for rule in rules:
        if rule.prefix in known:
            raise ValueError(f"check rule {rule.prefix!r} declared twice")
        if rule.severity not in SEVERITIES:
            raise ValueError(f"check rule {rule.prefix!r}: unknown severity {rule.severity!r}")
        if rule.doubts is None:
            raise ValueError(f"check rule {rule.prefix!r}: declare the figures it puts in doubt (doubts=…)")
        unknown = set(rule.doubts) - set(FIGURE_GROUPS)
        if unknown:
            raise ValueError(f"check rule {rule.prefix!r}: unknown figure groups {sorted(unknown)}")
        known.add(rule.prefix)
        _REGISTRY.append(rule)
    _RULE_OF.clear()  # a new prefix may be the longer match of an id already looked up
    return rules


def declared_rules() -> tuple[Rule, ...]:
    return tuple(_REGISTRY)


#: rule_for's answers by check id: every result looks its rule up, and a document's results share few ids
_RULE_OF: dict[str, Rule] = {}


def rule_for(check_id: str) -> Rule:
    """The rule of a check id (longest matching prefix); KeyError for a check nobody declared."""
    rule = _RULE_OF.get(check_id)
    if rule is None:
        rule = _RULE_OF[check_id] = _longest_rule(check_id)
    return rule


def _longest_rule(check_id: str) -> Rule:
    matches = [r for r in _REGISTRY if check_id == r.prefix or check_id.startswith(r.prefix + ".")]
    if not matches:
        raise KeyError(f"check {check_id!r} has no rule declared in etl/checks")
    return max(matches, key=lambda r: len(r.prefix))


@dataclass
class CheckResult:
    """One check on one document. value_a/source_a and value_b/source_b are the two figures compared
    and where each was read (e.g. "05 一般公共预算财政拨款支出决算表 合计行"); pages the PDF pages."""

    check_id: str
    status: str
    detail: str
    message: str
    severity: str = field(init=False)
    pages: str | None = None
    value_a: Decimal | None = None
    source_a: str | None = None
    value_b: Decimal | None = None
    source_b: str | None = None
    #: The figure groups a failure puts in doubt, comma-separated ('' = a disclosure defect); the
    #: rule's doubts unless the check narrows them for this result (e.g. the item a claim names).
    doubts: str | None = None

    def __post_init__(self) -> None:
        rule = rule_for(self.check_id)
        self.severity = rule.severity
        if self.doubts is None:
            self.doubts = ",".join(rule.doubts or ())
        elif set(filter(None, self.doubts.split(","))) - set(FIGURE_GROUPS):
            raise ValueError(f"check {self.check_id!r}: unknown figure groups in {self.doubts!r}")


@dataclass(frozen=True)
class Sides:
    """How a comparison reads in Chinese: `subject：parts 12.30 与 total 112.30 不符（差 100.00）`."""

    subject: str
    parts: str
    total: str




_T = TypeVar("_T")


@dataclass
class DocFigures:
    """What the checks read: the parsed rows of one document, by table, and the document itself
    (its pages, the located tables and the metadata read from it) for the checks on its text."""

    summary: list[dict]
    fiscal_summary: list[dict]
    function_rows: list[dict]
    economic_rows: list[dict]
    cost_totals: dict | None
    sangong: list[dict]
    statements: list
    pages: list = field(default_factory=list)       # etl.pagesource.page.Page, every page of the document
    tables: list = field(default_factory=list)      # etl.parsing.locate.LocatedTable, in page order
    meta: Any = None                                # etl.parsing.metadata.Metadata
    empty_tables: set = field(default_factory=set)  # keys of tables printed without figures
    income_rows: list = field(default_factory=list)  # 收入决算表 (02) rows, for the checks only
    template: str | None = None                     # the report family (etl.parsing.families)
    readings: Any = None                            # etl.parsing.readings.Settlement: OCR readings decided
    publication: str | None = None                  # documents.publication (etl.parsing.publication)
    counts: list = field(default_factory=list)      # counts rows (etl.parsing.narrative_counts)
    #: values computed from the document by name (see `derived`)
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, name: str, compute: Callable[[DocFigures], _T]) -> _T:
        """compute(self), computed once per document and kept under `name`: several checks read the same
        reading of its pages (the tables its contents lists, those its body prints). The value is only read."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]


def _fmt(x: Decimal) -> str:
    return f"{x:.2f}"


def skipped(check_id: str, detail: str, subject: str, missing: str = "相关数据") -> CheckResult:
    return CheckResult(check_id, "skipped", detail, f"{subject}：{missing}未列示，未校验")


def compare(check_id: str, what: str, parts: Iterable[Decimal | None], total: Decimal | None,
            zh: Sides) -> CheckResult:
    """Σ parts = total within 0.01 per part."""
    parts = [p for p in parts if p is not None]
    if total is None or not parts:
        missing = zh.total if total is None else zh.parts
        return skipped(check_id, f"{what}: not printed", zh.subject, missing)
    got = sum(parts, Decimal(0))
    gap = abs(got - total)
    tolerance = CENT * max(len(parts), 1)
    status = "pass" if gap <= tolerance else "fail"
    detail = f"{what}: {_fmt(got)} vs {_fmt(total)} (gap {_fmt(gap)}, tolerance {_fmt(tolerance)})"
    if status == "pass":
        message = f"{zh.subject}：{zh.parts} {_fmt(got)} 与{zh.total} {_fmt(total)} 相符"
        if gap:
            message += f"（差 {_fmt(gap)}，在四舍五入允许的 {_fmt(tolerance)} 以内）"
    else:
        message = (f"{zh.subject}：{zh.parts} {_fmt(got)} 与{zh.total} {_fmt(total)} 不符（差 {_fmt(gap)}，"
                   f"允许 {_fmt(tolerance)}）")
    return CheckResult(check_id, status, detail, message, value_a=got, source_a=zh.parts, value_b=total,
                       source_b=zh.total)


_SPACES = re.compile(r"\s+")
_LEVEL_MARK = re.compile(r"\((类|款|项)\)")


@lru_cache(maxsize=4096)
def name_key(name: str | None) -> str:
    """Name used to link a narrative 项 to a table row: NFKC, no spaces, no (项), no trailing 支出.
    Remembered: every statement is linked against every row's name."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", name or ""))
    text = _LEVEL_MARK.sub("", text)
    return text[:-2] if text.endswith("支出") and len(text) > 2 else text
