"""The audit on a real report altered by hand (issue 9, "Done when": a real altered report is checked
the same way — the kinds of errors must be found, and nothing on its genuine original).

Each case builds, in tmp_path, a copy of the real 上海市普陀区财政局2024年度部门决算.pdf (`finance`) with
ONE error put into the PDF itself — glyph codes rewritten in the page's content stream with glyphs of
the fonts the page embeds, figures dropped, a page deleted (tests/altered_pdfs.py) — checks with
pdfplumber that the page now reads as intended (and otherwise as before), then parses it and asserts:

* the check the kind belongs to fails with severity `error`;
* no other check fails with severity `error`, except those listed in the case's `allowed` (each with
  why it follows necessarily from the edit).

And the unaltered original has no `fail` at severity `error` (its genuine rounding gaps are warnings).

Glyph limits of this PDF's subsets, and what the cases do about them:
* the part headings draw their year in Arial-Bold / Times New Roman-Bold subsets holding only
  0, 2 and 4: the wrong year is 2022 (2023 cannot be drawn in the heading's font);
* no embedded subset has X, Ｘ, × or 某: the placeholder XX is drawn in the standard (non-embedded)
  Helvetica added to the page, as a PDF editor does when a typed character is not in the subset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest
from altered_pdfs import drop_page, drop_text, replace_text

from etl.parsing.parse import parse_pdf

_FIGURE = r"[\d,]+\.\d{2}"


def _chars(pdf: Path) -> list[str]:
    """Each page's characters in the order pdfplumber reads them (an independent decoder)."""
    with pdfplumber.open(pdf) as doc:
        return ["".join(c["text"] for c in page.chars) for page in doc.pages]


def _replace_nth(text: str, old: str, new: str, n: int) -> str:
    starts = [m.start() for m in re.finditer(re.escape(old), text)]
    at = starts[n]
    return text[:at] + new + text[at + len(old):]


@dataclass(frozen=True)
class Case:
    id: str
    check: str                          # the check (prefix) that must fail with severity error
    alter: Callable[[Path, Path], object]
    verify: Callable[[list[str], list[str]], None]   # (original pages' text, altered pages' text)
    allowed: dict[str, str] = field(default_factory=dict)   # other error-check prefix -> why allowed


def _replace(page: int, old: str, new: str, occurrence: int | None, **kw) -> tuple[Callable, Callable]:
    def alter(src: Path, out: Path) -> None:
        replace_text(src, out, page, old, new, occurrence=occurrence, **kw)

    def verify(before: list[str], after: list[str]) -> None:
        assert new in after[page - 1], f"page {page} does not read {new!r} after the edit"
        assert after[page - 1] == _replace_nth(before[page - 1], old, new, occurrence or 0), \
            f"page {page} changed beyond {old!r} -> {new!r}"
        assert [t for i, t in enumerate(after) if i != page - 1] == [t for i, t in enumerate(before) if i != page - 1]

    return alter, verify


def _case(id: str, check: str, page: int, old: str, new: str, occurrence: int | None = None,
          allowed: dict[str, str] | None = None, **kw) -> Case:
    alter, verify = _replace(page, old, new, occurrence, **kw)
    return Case(id, check, alter, verify, allowed or {})


def _blank_sangong() -> Case:
    page = 18  # 财政拨款“三公”经费支出决算表: prints 0.95 (合计 and 公务接待费 预算数), the rest blank

    def alter(src: Path, out: Path) -> None:
        assert drop_text(src, out, page, _FIGURE) == 2

    def verify(before: list[str], after: list[str]) -> None:
        assert "0.95" in before[page - 1] and "三公" in after[page - 1]
        assert not re.search(r"\d", after[page - 1]), after[page - 1]
        assert "年初预算为0.95万元" in after[22], "the narrative (p23) must still give the 预算 of 0.95"

    return Case("blank_sangong_table_narrative_095", "completeness.blank_table_with_narrative_figures",
                alter, verify)


def _drop_gpb_table() -> Case:
    page, title = 15, "一般公共预算财政拨款支出决算表"

    def alter(src: Path, out: Path) -> None:
        drop_page(src, out, page)

    def verify(before: list[str], after: list[str]) -> None:
        assert len(after) == len(before) - 1
        assert after == before[: page - 1] + before[page:]
        assert title in before[page - 1] and "五、" + title in after[1], "listed in the contents (p2)"
        assert not any(t.startswith(title) for t in after), "no page of the body starts with the table"

    return Case("contents_lists_dropped_gpb_table", "completeness.contents_lists_missing_table", alter, verify)


CASES = [
    _case("part_heading_wrong_year", "metadata.year_consistent",
          21, "第三部分上海市普陀区财政局2024年度", "第三部分上海市普陀区财政局2022年度"),
    _case("dated_statement_wrong_year", "metadata.dated_statement_year",
          24, "截至2024年12月31日", "截至2023年12月31日"),
    _case("narrative_total_printed_as_0", "claims.total_matches_table",
          21, "收入支出总计2995.39万元", "收入支出总计0万元",
          allowed={"claims.stated_change": "the same sentence's 减少56.95万元、下降1.87% is computed from the "
                   "narrative's 本年 figure, now 0: 56.95 of a prior 56.95 is a 100% fall, not 1.87% — the "
                   "edit makes the stated change contradict too"}),
    _case("stated_change_pct_fits_neither", "claims.stated_change",
          21, "收入支出总计减少56.95万元，下降1.87%", "收入支出总计减少56.95万元，下降8.17%"),
    _case("stated_change_amount_fits_neither", "claims.stated_change",
          21, "收入支出总计减少56.95万元，下降1.87%", "收入支出总计减少65.95万元，下降1.87%"),
    _case("comparison_word_greater", "claims.comparison_word",
          22, "决算数小于预算数", "决算数大于预算数", occurrence=0),
    _case("comparison_word_equal", "claims.comparison_word",
          22, "决算数小于预算数", "决算数等于预算数", occurrence=1),
    _blank_sangong(),
    _case("placeholder_department_in_heading", "metadata.placeholder",
          21, "第三部分上海市普陀区财政局", "第三部分上海市普陀区XX局", fallback_font="Helvetica"),
    _drop_gpb_table(),
]


def _fails(rows: dict, severity: str = "error") -> list[dict]:
    return [c for c in rows["checks"] if c["status"] == "fail" and c["severity"] == severity]


def _matches(check_id: str, prefix: str) -> bool:
    return check_id == prefix or check_id.startswith(prefix + ".")


def _show(checks: list[dict]) -> str:
    return "\n".join(f"  {c['check_id']} [{c['severity']}] {c['message']}" for c in checks) or "  (none)"


@pytest.fixture(scope="module")
def original(real_pdfs) -> tuple[Path, list[str]]:
    src = real_pdfs["finance"]
    return src, _chars(src)


def test_genuine_original_has_no_error(original):
    src, _ = original
    rows = parse_pdf(src, "x").rows
    errors = _fails(rows)
    assert not errors, "the genuine report is flagged (false alarms):\n" + _show(errors)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_altered_real_pdf_error_is_found(case: Case, original, tmp_path):
    src, before = original
    out = tmp_path / f"{case.id}.pdf"
    case.alter(src, out)
    case.verify(before, _chars(out))

    rows = parse_pdf(out, "x").rows
    errors = _fails(rows)
    found = [c for c in errors if _matches(c["check_id"], case.check)]
    others = [c for c in errors if not _matches(c["check_id"], case.check)]
    unexpected = [c for c in others if not any(_matches(c["check_id"], p) for p in case.allowed)]
    assert found, (f"{case.id}: no {case.check} fail at severity error.\nits results:\n"
                   + _show([c for c in rows["checks"] if _matches(c["check_id"], case.check)])
                   + "\nall error fails:\n" + _show(errors))
    assert not unexpected, (f"{case.id}: other error-severity fails besides {case.check} "
                            f"(allowed: {sorted(case.allowed) or 'none'}):\n" + _show(unexpected))
    for prefix in case.allowed:  # an allowance that no longer fires is stale: say so
        assert any(_matches(c["check_id"], prefix) for c in others), (
            f"{case.id}: {prefix} was allowed ({case.allowed[prefix]}) but did not fail; drop the allowance")
