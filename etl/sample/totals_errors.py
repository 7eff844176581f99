"""The audit errors of totals and sums (catalogue §9), printed as real reports print them.

joined_totals_differ: the comma-joined totals sentence gives two different totals (`收、支总计各是X,Y万元`).
items_off_by_cent(_noted): 06's 人员经费 classes sum to 0.01 off its 人员经费合计 (the 301 class row off
by a cent or two), once bare and once with a rounding note under the table. income_total_ignores_carryover: 01's
本年收入合计 equals its 收入总计 although a 年初结转和结余 (> 0) is printed. income_total_not_sum: the 收入总计
misprinted (01's two 总计 and the narrative's print one figure), so it is not the sum of its parts.
stray_point: `123.45. 万元` in the narrative's 三公 total.

A table kind changes `Printed` before the tables (and the narrative) are drawn, so the truth records the
figures as printed; the sentence kinds change only the sentence.
"""

from __future__ import annotations

from etl.sample.audit_errors import Injected, variant
from etl.sample.figures import Printed

#: The kinds that change the printed tables (table_error), each with the table it is printed in (table_specs key);
#: the other kinds are printed into a narrative sentence.
TABLE_OF = {"items_off_by_cent": "gpb_basic_expenditure", "items_off_by_cent_noted": "gpb_basic_expenditure",
            "income_total_ignores_carryover": "income_expenditure_summary",
            "income_total_not_sum": "income_expenditure_summary"}
ROUNDING_NOTES = ("注：本表合计数与各分项数之和的尾数差异系四舍五入所致。",
                  "注：因四舍五入原因，本表部分合计数与各分项之和存在尾差。")


def joined_totals(kind: str | None, key: str, gt: int, w) -> tuple[str, Injected | None]:
    """The comma-joined totals clause; with joined_totals_differ its 支出总计 differs from the 收入总计."""
    if kind != "joined_totals_differ":
        return f"收、支总计各是{w(gt)},{w(gt)}万元", None
    y = (gt - gt // 10, gt + 100 * (1 + variant(key, 9)))[variant(key, 2)]
    clause = f"收、支总计各是{w(gt)},{w(y)}万元"
    return clause, Injected(kind, f"情况说明并列的收入总计{w(gt)}万元与支出总计{w(y)}万元不等", clause)


def stray_point(kind: str | None, sentence: str, figure: str) -> tuple[str, Injected | None]:
    """`figure万元` of the sentence printed `figure. 万元` (the first time it occurs)."""
    if kind != "stray_point" or f"{figure}万元" not in sentence:
        return sentence, None
    printed = f"{figure}. 万元"
    return (sentence.replace(f"{figure}万元", printed, 1),
            Injected(kind, f"金额{figure}万元的小数后多印一点：“{printed}”", printed))


def table_error(kind: str | None, key: str, p: Printed) -> str | None:
    """Print a table kind into the figures `p` (before anything is drawn); the detail of what was changed."""
    if kind in ("items_off_by_cent", "items_off_by_cent_noted"):
        return _personnel_class_off(p)
    if kind == "income_total_ignores_carryover":
        return _income_total_as_grand_total(p, key)
    if kind == "income_total_not_sum":
        return _grand_total_misprinted(p, key)
    return None


def _personnel_class_off(p: Printed) -> str:
    """301's class row so that 301 + 303 = 人员经费合计 ± 0.01 (+ unless the classes are already a cent over)."""
    gap = sum(v for c, _n, v in p.econ_personnel if len(c) == 3) - p.personnel_cost
    delta = (1 if gap != 1 else -1) - gap
    p.econ_personnel = [(c, n, v + delta if c == "301" else v) for c, n, v in p.econ_personnel]
    p.economic_class["301"] += delta
    more = "多" if gap + delta > 0 else "少"
    return f"人员经费各类之和比人员经费合计{more}0.01万元（301类印{p.economic_class['301'] / 100:.2f}）"


def _income_total_as_grand_total(p: Printed, key: str) -> str:
    """本年收入合计 printed as the 收入总计; where the report has no carry-over, one printed (the 总计 left as the
    合计) — either way 合计 = 总计 beside a carry-over > 0."""
    if p.carry_begin > 0:
        p.income_total = p.grand_total
    else:
        p.carry_begin = max(100, p.income_total // 100 * (1 + variant(key, 3)))
    return f"本年收入合计与收入总计同为{p.grand_total / 100:.2f}万元，年初结转和结余{p.carry_begin / 100:.2f}万元"


def _grand_total_misprinted(p: Printed, key: str) -> str:
    """收入总计 (and so 支出总计 and the narrative, which print the same figure) off its parts by whole 万元."""
    right = p.grand_total
    p.grand_total += 100 * (10 + variant(key, 90))
    return (f"收入总计印{p.grand_total / 100:.2f}万元，本年收入合计{p.income_total / 100:.2f}+年初结转和结余"
            f"{p.carry_begin / 100:.2f}={right / 100:.2f}")


def table_injected(kind: str | None, detail: str | None, specs: dict, v, p: Printed) -> Injected | None:
    """What a table kind prints (for the truth), after `table_error`; the rounding note added under 06 for
    items_off_by_cent_noted. `v` formats an amount as the tables print it."""
    if detail is None or kind is None:
        return None
    if kind == "items_off_by_cent_noted":
        note = ROUNDING_NOTES[variant(detail, len(ROUNDING_NOTES))]
        specs[TABLE_OF[kind]].note.append(note)
        return Injected(kind, f"{detail}，表下注明尾数差异系四舍五入所致", note)
    printed = {"items_off_by_cent": p.economic_class["301"], "income_total_ignores_carryover": p.income_total,
               "income_total_not_sum": p.grand_total}[kind]
    return Injected(kind, detail, v(printed))


def row_page(spec, printed: str) -> int | None:
    """The PDF page of the first body row of a drawn table that prints `printed` (draw_table's row_pages)."""
    for row, page in zip(spec.body, spec.row_pages, strict=False):
        if any((cell[0] if isinstance(cell, tuple) else cell) == printed for cell in row):
            return page
    return None
