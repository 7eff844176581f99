"""Audit errors a generated report can carry on request (`juesuan sample --audit-errors RATE`).

Each kind is one printed mistake of the sort a reviewer at a finance bureau looks for: a table the
目录 lists but the body lacks, a part heading with last year's year, a narrative total printed as 0,
a 占 N% that is not figure ÷ total, … Each changes only the text or figure it names; the tables'
figures (and so the truth's) stay as they were, except where the kind is about a table itself
(a blank or missing table, a table's unit line), when the truth records what that table prints.

Which documents get one and which kind: `assign` — a per-document draw against the rate, then the
kinds in turn (from a seed-chosen start), so a corpus with at least as many injected documents as
kinds holds every kind. The truth JSON records each as `injected_errors: [{kind, check, page,
detail, printed}]`: the check id prefix that must find it, the PDF page it is printed on (None when
it is an absence), what is wrong, and the exact text printed (for tests that read the PDF).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: kind -> (check id prefix that must find it, what is wrong)
AUDIT_ERRORS: dict[str, tuple[str, str]] = {
    "contents_table_missing": (
        "completeness.contents_lists_missing_table",
        "a standard table the 目录 lists is not in the body",
    ),
    "mandatory_table_missing": (
        "completeness.mandatory_table_missing",
        "a mandatory standard table (02 or 04) is neither in the body nor in the 目录",
    ),
    "blank_table_with_narrative_figures": (
        "completeness.blank_table_with_narrative_figures",
        "the 三公 table is printed blank while the narrative gives its non-zero figures",
    ),
    "heading_wrong_year": ("metadata.year_consistent", "a part heading gives the previous fiscal year"),
    "dated_statement_wrong_year": (
        "metadata.dated_statement_year",
        "the asset statement is dated 截至 the previous year's 12月31日",
    ),
    "placeholder_name": ("metadata.placeholder", "the 第一部分 heading names the department XX局 / ××局"),
    "unit_inconsistent": (
        "metadata.unit_consistent",
        "the 三公 table's unit line gives the other unit than the one its figures (and the text) are in",
    ),
    "narrative_total_mismatch": (
        "claims.total_matches_table",
        "the narrative's 收入、支出总计 differs from the 收入支出决算总表 总计",
    ),
    "stated_change_wrong": (
        "claims.stated_change",
        "the 机关运行经费 change (增加/减少 X 万元) fits neither the current nor the prior-year figure",
    ),
    "comparison_word_wrong": ("claims.comparison_word", "决算数 大于/小于/等于 预算数 contradicts the figures"),
    "share_wrong": ("claims.share", "基本支出 占 N% of 本年支出合计 is not the figure ÷ the total"),
    "completion_pct_wrong": (
        "claims.completion_pct",
        "一般公共预算财政拨款支出 完成年初预算的 Z% is not 决算 ÷ 年初预算",
    ),
    # the printed errors of the narrative's claims (catalogue §9; etl/sample/claim_errors.py prints them)
    "share_swapped": ("claims.shares_swapped", "two 三公 items' 占X% shares are each other's"),
    "completion_is_decline": (
        "claims.completion_is_change",
        "the 三公 total's 完成预算的 Z% is its change against last year, not 决算 ÷ 预算",
    ),
    "shares_copy_rates": (
        "claims.shares_copy_rates",
        "the 三公 items' 占X% shares copy their completion rates; 公务用车运行维护费 printed 0 under a subtotal > 0",
    ),
    "rate_as_ratio": ("claims.rate_as_ratio", "机关运行经费 增长 Y% printed as a ratio: Y is 1/100 of the rate"),
    "zero_budget_full_completion": (
        "claims.zero_base_full_completion",
        "a 三公 item with 0 budget and 0 决算 stated as 完成预算的100%",
    ),
    "full_completion_over_budget": (
        "claims.full_completion_over_budget",
        "完成年初预算的100% while 决算 exceeds the budget",
    ),
    "groups_without_trips": ("claims.counts", "因公出国（境）团组0个 with M > 0 人次"),
    # printed errors of totals and sums (catalogue §9); printed by totals_errors.py
    "joined_totals_differ": ("claims.joined_totals_equal", "收、支总计各是X，Y万元 with X ≠ Y"),
    "items_off_by_cent": (
        "rounding.cent_gaps",
        "a table's 合计 is 0.01 off the sum of its items, with no rounding note",
    ),
    "items_off_by_cent_noted": (
        "rounding.cent_gaps",
        "a table's 合计 is 0.01 off the sum of its items, explained by a rounding note under the table",
    ),
    "income_total_ignores_carryover": (
        "summary.income_total_includes_carryover",
        "本年收入合计 printed equal to 收入总计 although 年初结转和结余 (> 0) is printed",
    ),
    "income_total_not_sum": (
        "summary.income_side_adds_up",
        "收入总计 ≠ 本年收入合计 + 年初结转和结余 (the 总计 misprinted, in 01 and the narrative alike)",
    ),
    "stray_point": ("narrative.stray_point", "a stray point after a figure with its decimals: `X. 万元`"),
}
KINDS = list(AUDIT_ERRORS)


@dataclass
class Injected:
    """One injected error of a document, as the truth JSON records it."""

    kind: str
    detail: str
    printed: str  # the exact text printed (whitespace aside) that carries the error
    page: int | None = None
    marker: str | None = None  # a substring of the block that carries it (to find its page); default printed

    def record(self) -> dict:
        return {
            "kind": self.kind,
            "check": AUDIT_ERRORS[self.kind][0],
            "page": self.page,
            "detail": self.detail,
            "printed": self.printed,
        }


def assign(seed: int, keys: list[tuple[str, int, str]], rate: float) -> dict[tuple[str, int, str], str]:
    """Which documents (region, year, department key) get an error, and of which kind.

    Each document is drawn against `rate` on its own; the injected ones take the kinds in turn from a
    start the seed picks, so every kind appears once there are at least len(KINDS) injected documents.
    """
    if rate <= 0:
        return {}
    start = random.Random(f"{seed}|audit-errors").randrange(len(KINDS))
    out: dict[tuple[str, int, str], str] = {}
    for key in keys:
        region, year, dept = key
        if random.Random(f"{seed}|audit-errors|{region}|{year}|{dept}").random() < rate:
            out[key] = KINDS[(start + len(out)) % len(KINDS)]
    return out


def variant(seed_text: str, n: int) -> int:
    """A per-document choice among n wordings of an error (deterministic)."""
    return random.Random(f"{seed_text}|audit-variant").randrange(n)
