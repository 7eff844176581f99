"""Consistency checks on one document, each declared once with its tolerance and severity.

    base.py      rules, results, the rounding tolerance, DocFigures (what checks read)
    tables.py    the identities of the printed tables and the narrative's budget figures
    cross.py     the same 类 figures printed in two tables (01 vs 03, 04 vs 05)
    document.py  the document itself: contents, mandatory and blank tables, years, placeholders, units
    readings.py  OCR readings the identities corrected, and look-alike readings none confirms
    claims.py    every figure the narrative states (etl/parsing/claims.py reads them) against the tables
    counts.py    the counts and scales the narrative prints against each other (购置 ≤ 保有量, 国内 + 外事, 政府采购)
    printing.py  how figures are printed: rounding gaps and their notes, stray points

`run_checks` runs every group; `RULES` lists every declared rule (the data dictionary and the
audit report list them from here).
"""

from __future__ import annotations

from collections.abc import Callable

from etl.parsing.checks.base import (
    CENT,
    SEVERITIES,
    CheckResult,
    DocFigures,
    Rule,
    Sides,
    compare,
    declared_rules,
    name_key,
    rule_for,
)
from etl.parsing.checks.claims import CLAIM_CHECKS
from etl.parsing.checks.counts import COUNT_CHECKS
from etl.parsing.checks.cross import CROSS_CHECKS
from etl.parsing.checks.document import DOCUMENT_CHECKS
from etl.parsing.checks.printing import printing_checks
from etl.parsing.checks.readings import READING_CHECKS
from etl.parsing.checks.tables import TABLE_CHECKS

#: The groups of checks that read the figures alone, in the order their results are written, between the table
#: identities (TABLE_CHECKS, first) and the printing checks (last: they read the identities' results).
CHECK_GROUPS: list[Callable[[DocFigures], list[CheckResult]]] = [
    *CROSS_CHECKS, *DOCUMENT_CHECKS, *READING_CHECKS, *CLAIM_CHECKS, *COUNT_CHECKS]

#: Every declared rule (a check id's rule is its longest declared prefix: rule_for).
RULES = declared_rules()


def run_checks(figures: DocFigures) -> list[CheckResult]:
    tables = [result for group in TABLE_CHECKS for result in group(figures)]
    rest = [result for group in CHECK_GROUPS for result in group(figures)]
    return [*tables, *rest, *printing_checks(figures, tables)]


__all__ = ["CENT", "CHECK_GROUPS", "RULES", "SEVERITIES", "CheckResult", "DocFigures", "Rule", "Sides",
           "compare", "name_key", "rule_for", "run_checks"]
