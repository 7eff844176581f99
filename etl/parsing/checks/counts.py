"""The counts and scales the narrative prints (DocFigures.counts, etl.parsing.narrative_counts) against each other.

- 购置 ≤ 保有量: the vehicles bought in the year are counted in the year-end 保有量 (catalogue §5 prints 保有量 as
  年末/截至12月31日), so more bought than held means one figure is wrong. A report that disposed of a vehicle
  bought the same year could break it; none in the catalogue does, so a failure is a warning, not an error.
- 国内 + 外事 = 公务接待 total (批次 and 人次) where all three are printed; where the report prints the total with its
  外事 part in brackets (国内公务接待共N批次（其中外事接待K批次）), 外事 ≤ the total.
- 政府采购 货物 + 工程 + 服务 = 总额 within the printed rounding (0.01 万元 per part).
- 公务接待 0 批次 with people received, or batches with 0 people (the 团组/人次 pair is claims.counts).
No amount of the tables depends on these figures: a failure contradicts no headline figure (doubts = ()).
"""

from __future__ import annotations

from decimal import Decimal

from etl.parsing.checks.base import CheckResult, DocFigures, Rule, Sides, compare, declare, skipped

_WHY = "the counts a comparison divides by contradict each other: the denominator is in doubt, no amount is"
RULES: tuple[Rule, ...] = declare(
    Rule("counts.vehicles_purchased_within_held", "warning", "情况说明：本年购置公务用车数不超过年末公务用车保有量",
         _WHY, doubts=()),
    Rule("counts.reception_split", "warning", "情况说明：国内与外事公务接待批次、人次之和等于公务接待合计",
         _WHY, variants=("batches", "people"), doubts=()),
    Rule("counts.procurement_parts", "warning", "情况说明：政府采购货物、工程、服务支出之和等于政府采购支出总额",
         _WHY, doubts=()),
    Rule("counts.reception_people", "warning", "情况说明：公务接待批次为 0 时人次为 0，批次不为 0 时人次不为 0",
         _WHY, doubts=()),
)

_SUBJECT = "情况说明"


def _pick(counts: list[dict], kind: str, scope: str | None = None) -> dict | None:
    return next((r for r in counts if r["kind"] == kind and r["scope"] == scope), None)


def _d(row: dict | None) -> Decimal | None:
    return None if row is None else Decimal(str(row["value"]))


def _pages(*rows: dict | None) -> str | None:
    pages = sorted({r["page"] for r in rows if r and r.get("page") is not None})
    return ",".join(map(str, pages)) or None


def vehicles_check(f: DocFigures) -> list[CheckResult]:
    cid = "counts.vehicles_purchased_within_held"
    bought, held = _pick(f.counts, "vehicles_purchased"), _pick(f.counts, "vehicles_held")
    if bought is None or held is None:
        return [skipped(cid, "vehicles purchased or held not printed", _SUBJECT, "购置数或保有量")]
    b, h = _d(bought), _d(held)
    ok = b <= h
    message = (f"{_SUBJECT}：购置公务用车 {b:.0f} 辆，不超过年末保有量 {h:.0f} 辆" if ok else
               f"{_SUBJECT}：购置公务用车 {b:.0f} 辆，多于年末保有量 {h:.0f} 辆（年末保有量含本年购置）")
    return [CheckResult(cid, "pass" if ok else "fail", f"purchased {b} vs held {h}", message,
                        pages=_pages(bought, held), value_a=b, source_a=f"第{bought['page']}页 购置数",
                        value_b=h, source_b=f"第{held['page']}页 保有量")]


def reception_split_checks(f: DocFigures) -> list[CheckResult]:
    out = []
    for kind, word in (("reception_batches", "批次"), ("reception_people", "人次")):
        cid = f"counts.reception_split.{kind.removeprefix('reception_')}"
        total, home, abroad = (_pick(f.counts, kind, s) for s in (None, "domestic", "foreign"))
        if total is None or abroad is None:
            out.append(skipped(cid, f"{kind}: total or foreign not printed", _SUBJECT, f"公务接待合计或外事{word}"))
        elif home is not None:
            res = compare(cid, kind, [_d(home), _d(abroad)], _d(total),
                          Sides(f"{_SUBJECT}公务接待{word}", f"国内 + 外事{word}", f"合计{word}"))
            res.pages = _pages(total, home, abroad)
            out.append(res)
        else:  # the total with its 外事 part in brackets: the part cannot exceed the whole
            t, a = _d(total), _d(abroad)
            ok = a <= t
            verb = "不超过" if ok else "多于"
            out.append(CheckResult(cid, "pass" if ok else "fail", f"{kind}: foreign {a} of total {t}",
                                   f"{_SUBJECT}：其中外事接待 {a:.0f} {word}{verb}合计 {t:.0f} {word}",
                                   pages=_pages(total, abroad), value_a=a, source_a=f"外事接待{word}",
                                   value_b=t, source_b=f"公务接待合计{word}"))
    return out


def procurement_check(f: DocFigures) -> list[CheckResult]:
    parts = [_pick(f.counts, k) for k in ("procurement_goods", "procurement_works", "procurement_services")]
    total = _pick(f.counts, "procurement_total")
    if any(p is None for p in parts):
        return [skipped("counts.procurement_parts", "procurement parts not printed", _SUBJECT,
                        "政府采购货物/工程/服务支出")]
    res = compare("counts.procurement_parts", "procurement goods + works + services vs total",
                  [_d(p) for p in parts], _d(total),
                  Sides(f"{_SUBJECT}政府采购", "货物、工程、服务支出之和", "政府采购支出总额"))
    res.pages = _pages(total, *parts)
    return [res]


def reception_people_check(f: DocFigures) -> list[CheckResult]:
    cid = "counts.reception_people"
    out, checked = [], 0
    for scope in (None, "domestic", "foreign"):
        batches, people = _pick(f.counts, "reception_batches", scope), _pick(f.counts, "reception_people", scope)
        if batches is None or people is None:
            continue
        checked += 1
        b, p = _d(batches), _d(people)
        if (b == 0) != (p == 0):
            out.append(CheckResult(cid, "fail", f"{scope or 'total'}: {b} batches with {p} people",
                                   f"{_SUBJECT}第{batches['page']}页：公务接待 {b:.0f} 批次、{p:.0f} 人次，自相矛盾",
                                   pages=_pages(batches, people), value_a=b, source_a="公务接待批次",
                                   value_b=p, source_b="公务接待人次"))
    if not checked:
        return [skipped(cid, "no reception batches with people", _SUBJECT, "公务接待批次与人次")]
    return out or [CheckResult(cid, "pass", f"{checked} reception counts checked",
                               f"{_SUBJECT}：公务接待批次与人次相符")]


def count_checks(f: DocFigures) -> list[CheckResult]:
    return [*vehicles_check(f), *reception_split_checks(f), *procurement_check(f), *reception_people_check(f)]


COUNT_CHECKS = [count_checks]
