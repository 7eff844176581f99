"""How figures are printed, apart from whether they agree: a table's items off its 合计 by a rounding gap (and
whether the report explains it with a rounding note), a stray point after a figure (catalogue §9).

Neither puts a figure in doubt (doubts = ()). A gap within the rounding of the printed figures passes its identity
check (tables.py): every cell is rounded on its own, so most reports print such gaps, most without a note — a gap
without a note is the same printed fact whether a reviewer calls it an error or not, so it cannot fail without
failing nearly every report. It is recorded, not failed: rounding.cent_gaps passes naming the gaps and whether a
note explains them (the note quoted). A stray point is a misprint no clean report has: the reader reads past it
(etl.parsing.claims) and narrative.stray_point fails at severity info with its text.
"""

from __future__ import annotations

import re

from etl.parsing.checks.base import CheckResult, DocFigures, Rule, _fmt, declare
from etl.parsing.page_texts import squeezed_text

RULES: tuple[Rule, ...] = declare(
    Rule("rounding.cent_gaps", "info",
         "表内各项之和与合计的尾数差异（四舍五入允许范围内）及其说明（注：尾数差异系四舍五入所致）",
         "a gap within the rounding of the printed figures is no wrong figure and most reports print some without a "
         "note: recorded (passes) with the gaps and whether a printed note explains them, never failed", doubts=()),
    Rule("narrative.stray_point", "info", "金额的小数之后没有多余的点（如“123.45. 万元”）",
         "a misprint the reader reads past (the figure is the digits before the stray point): recorded for review",
         doubts=()),
)

#: A note that a table's sums differ from its totals by rounding: 尾数差异系四舍五入所致, 因四舍五入…尾差, …
_GAP_WORDS = r"(?:尾数|尾差|差额|差异)"
_ROUNDING_NOTE = re.compile(rf"{_GAP_WORDS}[^。；]{{0,30}}四舍五入|四舍五入[^。；]{{0,30}}{_GAP_WORDS}")
#: A figure that already has its decimals followed by a point before its unit: 123.45. 万元 / 1,234.5．元
_STRAY_POINT = re.compile(r"(?<![\d.])\d[\d,]*\.\d+[.．](?:万元|元)")


def _page_texts(f: DocFigures) -> list[tuple[int, str]]:
    """(number, squeezed text) of every page: read once per document, both checks search it."""
    return f.derived("printing_page_texts", _read_page_texts)


def _read_page_texts(f: DocFigures) -> list[tuple[int, str]]:
    """Each page's squeezed text (etl.parsing.page_texts), which the document checks have read already: squeeze
    removes every space and folds single characters, so the lines squeezed one by one and joined are the lines
    joined and squeezed."""
    return [(p.number, squeezed_text(p)) for p in f.pages]


def _has_stray_point(text: str) -> bool:
    """Whether _STRAY_POINT could match: every match ends in a point and its unit (.元 .万元 ．元 ．万元)."""
    return ".元" in text or ".万元" in text or "．元" in text or "．万元" in text


def _gaps(table_results: list[CheckResult]) -> list[CheckResult]:
    """The table identities that pass with a non-zero gap (a rounding difference)."""
    return [r for r in table_results if r.status == "pass" and not r.check_id.startswith("narrative.")
            and r.value_a is not None and r.value_b is not None and r.value_a != r.value_b]


def _cent_gaps_check(f: DocFigures, table_results: list[CheckResult]) -> list[CheckResult]:
    gaps = _gaps(table_results)
    if not gaps:
        return []
    shown = "；".join(f"{r.message.split('：')[0]} {r.source_a} {_fmt(r.value_a)}、{r.source_b} {_fmt(r.value_b)}"
                     for r in gaps[:3]) + ("；…" if len(gaps) > 3 else "")
    pages = ",".join(sorted({p for r in gaps for p in (r.pages or "").split(",") if p}, key=int)) or None
    biggest = max(abs(r.value_a - r.value_b) for r in gaps)
    note = next(((n, m.group(0)) for n, text in _page_texts(f)
                 if "四舍五入" in text and (m := _ROUNDING_NOTE.search(text))), None)  # every note holds 四舍五入
    detail = f"{len(gaps)} identities off by at most {_fmt(biggest)} ({', '.join(r.check_id for r in gaps)})"
    if note:
        return [CheckResult("rounding.cent_gaps", "pass", f"{detail}; rounding note on page {note[0]}",
                            f"{len(gaps)} 处尾数差异（{shown}），第{note[0]}页已注明“{note[1]}”", pages=pages)]
    return [CheckResult("rounding.cent_gaps", "pass", f"{detail}; no rounding note",
                        f"{len(gaps)} 处尾数差异，未注明原因，在四舍五入允许范围内（{shown}）", pages=pages)]


def _stray_point_check(f: DocFigures) -> list[CheckResult]:
    found = [(n, m.group(0)) for n, text in _page_texts(f) if _has_stray_point(text)
             for m in _STRAY_POINT.finditer(text)]
    if not found:
        return []
    shown = "；".join(f"第{n}页“{t}”" for n, t in found[:3]) + ("；…" if len(found) > 3 else "")
    return [CheckResult("narrative.stray_point", "fail", f"{len(found)} figures with a stray point",
                        f"金额小数后多印一点（{shown}），按点前数字读取",
                        pages=",".join(sorted({str(n) for n, _ in found}, key=int)))]


def printing_checks(f: DocFigures, table_results: list[CheckResult]) -> list[CheckResult]:
    """Both checks; `table_results` are the table identities' results (checks.tables.TABLE_CHECKS), which
    run_checks has computed already: the gaps are read from them, never by running the identities again."""
    return [*_cent_gaps_check(f, table_results), *_stray_point_check(f)]
