"""OCR readings the identities decided (etl.parsing.readings): each correction listed for checking against the scan,
and each look-alike reading (`1O2.50`) no identity confirms flagged. One row per figure, with its page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from etl.parsing.checks.base import CheckResult, DocFigures, Rule, _fmt, declare
from etl.parsing.checks.claims import _SANGONG_ITEMS
from etl.parsing.checks.document import TABLE_GROUPS, TABLE_ZH, groups_str
from etl.parsing.checks.tables import COLUMNS_ZH, SIDES_ZH

RULES: tuple[Rule, ...] = declare(
    Rule("ocr.readings_corrected", "info", "OCR读数均按识读采用（否则逐一列出经表内勾稽关系唯一确认而更正的读数）",
         "an OCR reading that broke an identity of its table (a lost decimal point), replaced by the one other "
         "reading that restores it: listed so that a reader can check it against the scan", doubts=()),
    Rule("ocr.readings_unconfirmed", "warning", "OCR将形近字母读作数字的金额（如 1O2.50）均经表内勾稽关系确认",
         "an amount OCR read with look-alike letters that no identity of its table confirms: taken as the digits "
         "the letters resemble, to be checked against the scan", doubts=("sangong", "cost", "gpb", "totals", "items")),
)

_COLUMN_ZH = {**COLUMNS_ZH, **SIDES_ZH, "gpb": "一般公共预算", "gov_fund": "政府性基金预算",
              "state_capital": "国有资本经营预算", "personnel_cost": "人员经费合计", "public_cost": "公用经费合计",
              "amount": "金额", "first": "金额"}
_SANGONG_ZH = {key: zh for _, key, zh in _SANGONG_ITEMS}


def describe(cell: Any) -> str:
    """Where a figure (an etl.parsing.identities.Cell) stands, in words:
    `一般公共预算财政拨款支出决算表 2010101 行政运行 基本支出`."""
    row = cell.row
    if cell.table == "sangong":
        name = _SANGONG_ZH.get(row.get("item"), row.get("item") or "")
    elif cell.key in ("personnel_cost", "public_cost"):
        name = ""
    else:
        name = " ".join(str(x) for x in (row.get("code"), row.get("label") or row.get("name")) if x)
    return " ".join(x for x in (TABLE_ZH.get(cell.table, cell.table), name, _COLUMN_ZH.get(cell.key, cell.key)) if x)


def _page(cell: Any) -> str | None:
    page = cell.row.get("page")
    return str(page) if isinstance(page, int) else None


def _cell_groups(cell: Any) -> tuple[str, ...]:
    """The figure group of one table figure: its table's, narrowed by the row it stands in (a 合计 row of 05 is
    the gpb total, its 类/款/项 rows are items; 06's 人员/公用经费 are cost)."""
    if cell.key in ("personnel_cost", "public_cost"):
        return ("cost",)
    groups = TABLE_GROUPS.get(cell.table, ("sangong", "cost", "gpb", "totals", "items"))
    if len(groups) > 1 and "items" in groups:
        level = cell.row.get("level")
        if level in ("class", "section", "item"):
            return ("items",)
        if level == "total":
            return tuple(g for g in groups if g != "items") or groups
    return groups


def _read_by_ocr(f: DocFigures) -> bool:
    return any(p.source == "ocr" for p in f.pages)


def _corrected_checks(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "ocr.readings_corrected", "OCR读数"
    corrected = f.readings.corrected if f.readings else []
    if not corrected:
        why = "均按识读采用，未作更正" if _read_by_ocr(f) else "各页取自文字层，无OCR读数"
        return [CheckResult(check_id, "pass", "no OCR reading corrected", f"{subject}：{why}，相符")]
    out = []
    for r in corrected:
        where, by = describe(r.cell), "、".join(r.identities)
        out.append(CheckResult(
            check_id, "fail", f"{where}: read {r.read}, taken {r.taken} (restores {'; '.join(r.identities)})",
            f"{subject}：第{_page(r.cell)}页{where}识读为 {r.read}，仅读作 {r.taken} 时{by}成立，"
            "已更正，请对照原件核实",
            pages=_page(r.cell), value_a=r.read_value, source_a=f"{where}（OCR识读）", value_b=r.taken_value,
            source_b=f"{where}（经勾稽关系更正）"))
    return out


def _unconfirmed_checks(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "ocr.readings_unconfirmed", "OCR读数"
    unconfirmed = f.readings.unconfirmed if f.readings else []
    if not unconfirmed:
        return [CheckResult(check_id, "pass", "no look-alike reading left unconfirmed",
                            f"{subject}：形近字母读作数字的金额均经勾稽关系确认（或没有此类读数），相符")]
    out = []
    for r in unconfirmed:
        where = describe(r.cell)
        why = ("、".join(r.identities) + "不成立") if r.identities else "没有可验证它的勾稽关系"
        taken = r.taken_value
        out.append(CheckResult(
            check_id, "fail", f"{where}: read {r.read}, taken {r.taken}, unconfirmed ({'; '.join(r.identities)})",
            f"{subject}：第{_page(r.cell)}页{where}识读为 {r.read}，按形近数字取 {_fmt(taken) if taken else r.taken}，"
            f"但{why}，请对照原件核实", pages=_page(r.cell), value_b=taken, source_b=f"{where}（OCR识读 {r.read}）",
            doubts=groups_str(_cell_groups(r.cell))))
    return out


READING_CHECKS: list[Callable[[DocFigures], list[CheckResult]]] = [_corrected_checks, _unconfirmed_checks]
