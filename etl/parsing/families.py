"""Report families (templates), recognised from the document itself, and what each family owes.

The national district/county template has been printed in several forms: its recent one (9 tables,
一般公共预算 wording) and older ones (2013–2015: 公共财政拨款 wording, 8 tables, unnumbered). Central
departments and their affiliated units print the national tables without a region, often with 三公 in
the text only; the 高等学校 template prints 高等学校收支决算总表, 高等学校支出决算表 and a 财政拨款支出决算表
across all funds instead of the 一般公共预算 tables, and no 三公 at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from etl.normalise import compact

TEMPLATES = ("district", "district_legacy", "central", "university")

#: the tables a report of each family must print (01 … 07); 08 and 09 are owed when funds are reported
MANDATORY: dict[str, tuple[str, ...]] = {
    "district": ("income_expenditure_summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure",
                 "gpb_basic_expenditure", "sangong"),
    # older forms and central reports may state 三公 in the text instead of a table
    "district_legacy": ("income_expenditure_summary", "income", "expenditure", "fiscal_summary",
                        "gpb_expenditure", "gpb_basic_expenditure"),
    "central": ("income_expenditure_summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure",
                "gpb_basic_expenditure"),
    "university": ("income_expenditure_summary", "income", "expenditure", "fiscal_expenditure"),
}

#: the tables without which the figures a researcher compares are missing: the document is partial
CORE: dict[str, tuple[str, ...]] = {
    "university": ("income_expenditure_summary", "expenditure"),
}
DEFAULT_CORE = ("income_expenditure_summary", "gpb_expenditure")

_LEGACY_WORDING = re.compile(r"公共财政(拨款|预算)")
_CURRENT_WORDING = re.compile(r"一般公共预算")
#: 部门(单位)决算 / 部单位决算: a body's own report in a form worded for both (a school, a hospital)
_UNIT_REPORT = re.compile(r"(?:19|20)\d{2}年度?(?:部门\(|部)?单位\)?决算|单位决算(公开|报告|$)")
_DEPARTMENT_REPORT = re.compile(r"(?:19|20)\d{2}年度?部门决算|部门决算(公开|报告|$)")


def recognise_template(titles: Iterable[str], text: str, region: str | None) -> str:
    """The family of a final-accounts report from its table titles, its text and whether its name
    carries a region (central organs' names carry none)."""
    titles = [compact(t) for t in titles]
    if any("高等学校" in t for t in titles):
        return "university"
    if any(_LEGACY_WORDING.search(t) and not _CURRENT_WORDING.search(t) for t in titles) or (
            _LEGACY_WORDING.search(text) and not _CURRENT_WORDING.search(text)):
        return "district_legacy" if region else "central"
    return "district" if region else "central"


_AFFILIATED = re.compile(r"(?:部门|部|委|局|厅|办)(?:所属|直属)|隶属于")


def report_scope(title_text: str, body_text: str = "") -> str:
    """unit for a 单位决算 (one unit's own accounts), department for a 部门决算 (the whole department); a
    report titled only 决算 is a unit's when its 概况 says it belongs to a department (…部所属高等学校)."""
    text = compact(title_text)
    unit, department = _UNIT_REPORT.search(text), _DEPARTMENT_REPORT.search(text)
    if unit and (not department or unit.start() < department.start()):
        return "unit"
    if not department and _AFFILIATED.search(compact(body_text)):
        return "unit"
    return "department"


def mandatory_tables(template: str | None) -> tuple[str, ...]:
    return MANDATORY.get(template or "district", MANDATORY["district"])


def core_tables(template: str | None) -> tuple[str, ...]:
    return CORE.get(template or "district", DEFAULT_CORE)


#: province forms of the report (catalogue 2026-12-05 §4), recognised from the document's own headings and
#: titles; None is the national form. 江西's part order has no heading of its own to tell it apart (not recognised).
FORMS = ("sichuan", "yunnan", "guangxi", "chongqing")
_YUNNAN = re.compile(r"第四部分.{0,12}其他重要事项及相关口径")
_CHONGQING = re.compile(r"决算公开说明")
_GLOSSARY_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分)?(专业)?名[词称]解释$")
_DEFINITION = re.compile(r"[:：]指|是指")  # 财政拨款收入：指… — a glossary's entries, never a 目录's


def recognise_form(text: str, lines_before_tables: Iterable[str], titles: Iterable[str]) -> str | None:
    """sichuan (the 名词解释 printed before the tables: they come last, in a 附表 part), yunnan (第四部分 其他重要
    事项及相关口径), chongqing (决算公开说明), guangxi (三公 titled …安排的“三公”);
    None for the national form. `text` is the whole report's; `lines_before_tables` are the lines of the pages
    before the first table (the 目录 excluded), in order: a glossary heading counts when a definition (…：指…)
    follows it within 3 lines, so a 目录 entry 名词解释 (a web page's or text file's 目录 is not always told
    apart from the 概况 after it) never does, whatever the source's pages."""
    text = compact(text)
    titles = [compact(t) for t in titles]
    lines = [compact(ln) for ln in lines_before_tables]
    if any(_GLOSSARY_HEADING.match(ln) and any(_DEFINITION.search(d) for d in lines[n + 1:n + 4])
           for n, ln in enumerate(lines)):
        return "sichuan"
    if _YUNNAN.search(text):
        return "yunnan"
    if _CHONGQING.search(text):
        return "chongqing"
    if any("安排的" in t and "三公" in t for t in titles):  # 表一… numbering alone is also the 2013–2015 national form
        return "guangxi"
    return None


#: the kind of body a unit is, from its name: a hospital, a school, a town or street (乡镇/街道)
_BODY_KINDS = (("hospital", re.compile(r"(医院|卫生院|保健院|卫生服务中心)$")),
               ("school", re.compile(r"(大学|学院|学校|中学|小学|幼儿园|中心校)$")),
               ("town", re.compile(r"(乡|镇|街道|[乡镇]人民政府|街道办事处)$")))


def body_kind(department: str | None) -> str | None:
    name = re.sub(r"\(本级\)$", "", compact(department or ""))  # the scope printed after the name
    return next((kind for kind, pattern in _BODY_KINDS if pattern.search(name)), None)


_OWN_LEVEL = re.compile(r"[（(]本级[）)]|本级决算")
_CONSOLIDATED = re.compile(r"部门汇总|汇总数|含所属单位|包含.{0,20}本级和")


def scope_printed(title_text: str, body_text: str = "") -> str | None:
    """own_level where the report prints that it covers the department's own level only ((本级), 本级决算),
    consolidated where it prints 部门汇总数 / 含所属单位; None where it prints neither."""
    title, body = compact(title_text), compact(body_text)
    if _OWN_LEVEL.search(title):
        return "own_level"
    if _CONSOLIDATED.search(title) or _CONSOLIDATED.search(body):
        return "consolidated"
    return "own_level" if _OWN_LEVEL.search(body) else None
