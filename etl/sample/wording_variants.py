"""Wordings of real reports the district narrative prints only when asked (catalogue 2026-12-05 §5–§6), with exact
truth: one document per variant, each a 三公 total's sentence (SANGONG_FORCED_WORDINGS) and, for three of them, a
year-on-year sentence (SANGONG_YOY_WORDINGS) and a 一般公共预算 sentence (GPB_FORCED_WORDINGS). The truth key
`wording_variant` names the variant; the truth's `sangong_narrative` and `gpb_budget_execution` record what the
sentences state (None where a figure is not printed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from etl.sample import catalog as cat
from etl.sample.document import Generated, generate
from etl.sample.extras import family_keys
from etl.sample.layout import choose_layout


@dataclass(frozen=True)
class WordingVariant:
    name: str
    sangong: str  # narrative.SANGONG_FORCED_WORDINGS entry
    yoy: str | None = None  # narrative.SANGONG_YOY_WORDINGS entry; None: the plain 比上年 sentence
    gpb: str = "initial"  # narrative.GPB_FORCED_WORDINGS entry (§6), or the plain 年初 wording


VARIANTS = (
    WordingVariant("rate_no_de", "rate_no_de", "pct_only", "rate_no_budget"),
    WordingVariant("rate_no_budget", "rate_no_budget", "zero_base", "full_year_defined"),
    WordingVariant("difference_pct", "difference_pct", "negative_decline", "under_heading"),
    WordingVariant("word_comparison", "word_comparison", gpb="items_rate_only"),
)


def wording_document(seed: int, k: int) -> Generated:
    """The k-th variant's district report (VARIANTS[k % n]); a 上海-form region (广州's 三公 sentence is its own)."""
    v = VARIANTS[k % len(VARIANTS)]
    city, district, street = next(r for n in range(len(cat.REGIONS))
                                  if (r := cat.REGIONS[(k + n) % len(cat.REGIONS)])[0] != "广州市")
    dtype = cat.DEPT_TYPES[(k + 4) % len(cat.DEPT_TYPES)]
    year = 2023 - k // 12
    force = {"inconsistency": None, "sangong_wording": v.sangong, "sangong_yoy_wording": v.yoy, "gpb_wording": v.gpb}
    lay = choose_layout(seed, city, city + district, year, dtype.key, force)
    g = generate(seed, city, district, street, dtype, year, lay)
    g.truth |= family_keys("district", "department", other=[])
    g.truth["wording_variant"] = v.name
    g.truth["notes"].append(f"Wording variant {v.name}: 三公 sentence {v.sangong}, year on year {v.yoy or 'plain'}, "
                            f"一般公共预算 sentence {v.gpb} (catalogue 2026-12-05 §5–§6).")
    return g


def wording_variants(seed: int, n: int) -> Iterator[Generated]:
    """n documents, one variant after the other (VARIANTS order)."""
    for k in range(n):
        yield wording_document(seed, k)
