"""The document as a whole: the tables its contents page lists and the mandatory ones are present, a
table printed blank is not contradicted by the narrative, and its fiscal year, dated statements,
names and units agree with themselves.

These checks read the pages' text (DocFigures.pages, running headers already stripped), the
located tables and the metadata read from the cover; they never special-case a region or family.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from etl.normalise import squeeze
from etl.pagesource.page import Line, Page
from etl.parsing.checks.base import CheckResult, DocFigures, Rule, declare
from etl.parsing.contents import ContentsEntry, contents_pages, listed_tables
from etl.parsing.families import mandatory_tables
from etl.parsing.locate import TITLES, covered, title_key
from etl.parsing.page_texts import squeezed_lines, squeezed_text

_COMPLETE = "a standard table the report owes is not printed: the disclosure is incomplete"
RULES: tuple[Rule, ...] = declare(
    Rule("completeness.contents_lists_missing_table", "error", "目录列示的标准表均在正文中列示",
         "the contents page promises a standard table the body does not print", doubts=()),
    Rule("completeness.mandatory_table_missing", "error",
         "必须公开的标准表（01–07，有相应资金时 08/09）均已列示", _COMPLETE, doubts=()),
    Rule("source.ocr_pages", "info", "各页文字均取自PDF文字层（否则列出改用OCR识读的页及原因）",
         "pages whose text layer was missing, a few stray characters over a scan, or garbled, read by OCR "
         "instead: their figures carry OCR's uncertainty, the checks guard them", doubts=()),
    Rule("completeness.unknown_table", "info", "报告所列表格均为已知的标准表（其他表单独记录，不并入标准表）",
         "a table none of the standard ones (its title recorded in tables_found as other): read by nobody", doubts=()),
    Rule("completeness.blank_table_with_narrative_figures", "error",
         "空表（本表无数据）与情况说明给出的非零数字不矛盾",
         "a table printed blank while the narrative states non-zero figures for it: one of them is wrong. A blank "
         "table reads as zero, the narrative says otherwise: the blank table's figures are in doubt (the result "
         "names its group; a table not printed at all is completeness.mandatory_tables, a disclosure defect)",
         doubts=("sangong", "cost", "gpb", "totals", "items")),
    Rule("metadata.year_consistent", "error", "封面、各部分标题、表名所载年度与报告年度一致",
         "a heading or title naming another fiscal year than the report's cover", doubts=()),
    Rule("metadata.year_consistent.narrative", "warning", "情况说明中“本部门/部门名称 + 年度”与报告年度一致",
         "the narrative names another fiscal year for the department; the cover's year is used", doubts=()),
    Rule("metadata.dated_statement_year", "error", "“截至 YYYY 年 12 月 31 日”的年度 = 报告年度",
         "a year-end statement (assets, vehicles) dated in another year than the report's", doubts=()),
    Rule("metadata.placeholder", "error", "部门名称、封面、标题中没有占位符（XX、××、某）",
         "a template placeholder left in the department name or a heading: the report was not finished", doubts=()),
    Rule("metadata.unit_consistent", "error", "表格与情况说明对同一数字使用相同的金额单位（元/万元）",
         "the same printed figure labelled 元 in one place and 万元 in the other: one unit is wrong",
         doubts=("sangong", "cost", "gpb", "totals", "items")),
)

#: optional tables and the income item (01/04) that makes them owed when non-zero
OPTIONAL_IF_FUNDS = {"gov_fund": ("gov_fund_income", "gov_fund"),
                     "state_capital": ("state_capital_income", "state_capital")}
TABLE_ZH = {
    "income_expenditure_summary": "收入支出决算总表", "income": "收入决算表", "expenditure": "支出决算表",
    "fiscal_summary": "财政拨款收入支出决算总表", "gpb_expenditure": "一般公共预算财政拨款支出决算表",
    "gpb_basic_expenditure": "一般公共预算财政拨款基本支出决算表", "sangong": "财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表", "state_capital": "国有资本经营预算财政拨款收入支出决算表",
    "fiscal_expenditure": "财政拨款支出决算表", "sangong_related": "政府性基金或全部财政拨款“三公”经费表",
    "other": "其他表",
}
assert set(TABLE_ZH) == set(TITLES) | {"other"}

#: The figure groups (base.FIGURE_GROUPS) a table's figures belong to: a finding about a whole table
#: (its unit, an OCR reading in it, a blank table) puts these in doubt, not every figure of the report.
TABLE_GROUPS = {
    "income_expenditure_summary": ("totals",), "income": ("totals",), "expenditure": ("totals", "items"),
    "fiscal_summary": ("totals",), "gpb_expenditure": ("gpb", "items"),
    "gpb_basic_expenditure": ("cost", "items"), "sangong": ("sangong",), "gov_fund": ("items",),
    "state_capital": ("items",), "fiscal_expenditure": ("gpb", "items"), "sangong_related": (), "other": (),
}
assert set(TABLE_GROUPS) == set(TABLE_ZH)


def groups_str(groups) -> str:
    """Figure groups as a CheckResult's doubts: sorted, comma-separated, each once."""
    return ",".join(sorted({g for g in groups if g}))


def _pages_str(numbers) -> str | None:
    numbers = sorted(set(numbers))
    return ",".join(map(str, numbers)) if numbers else None


def _no_pages(check_id: str, subject: str) -> CheckResult:
    return CheckResult(check_id, "skipped", "no page text", f"{subject}：未读取到页面文字，未校验")


def _scanned(f: DocFigures) -> bool:
    """Pages that are images no source could read (a page read by OCR is read)."""
    return any(not p.char_count and p.image_count and p.source != "ocr" for p in f.pages)


# -- completeness ------------------------------------------------------------------------------


def _listed(f: DocFigures) -> list[ContentsEntry]:
    """The standard tables the contents lists (read once per document: two checks ask)."""
    return f.derived("listed_tables", lambda f: listed_tables(f.pages))


def _present(f: DocFigures) -> set[str]:
    """Standard tables printed in the body (read once per document: two checks ask)."""
    return f.derived("present_tables", _printed_tables)


def _printed_tables(f: DocFigures) -> set[str]:
    """Standard tables printed in the body: located, or a title line of one on a page outside the
    contents (a title the locator passed over is still a printed table), with those they stand for."""
    found = {t.key for t in f.tables}
    skip = {p.number for p in contents_pages(f.pages)}
    for page in f.pages:
        if page.number in skip:
            continue
        numbered_ok = any("单位:" in ln.key for ln in page.lines()[:15])
        for line in page.lines():
            key = _title(line, numbered_ok)
            if key:
                found.add(key)
    return covered(found)


#: Every standard title ends in 表 (TITLES), or names 三公: title_key reads a line's key less a numbering before it
#: and a 表N or (续) after it, so a line whose key holds neither is no title. Most lines (hundreds a document, many
#: first seen here: the locator reads the upper half of a page) are answered by this test alone.
assert all(alias.endswith("表") for aliases in TITLES.values() for alias in aliases)


def _title(line: Line, numbered_ok: bool) -> str | None:
    """title_key(line, numbered_ok), without it for a line that holds neither 表 nor 三公."""
    key = line.key
    return title_key(line, numbered_ok) if "表" in key or "三公" in key else None


def _contents_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "completeness.contents_lists_missing_table", "目录与正文"
    if not f.pages:
        return [_no_pages(check_id, subject)]
    listed = _listed(f)
    if not listed:
        return [CheckResult(check_id, "skipped", "no contents page listing standard tables",
                            f"{subject}：未见列示标准表的目录页，未校验")]
    present = _present(f)
    missing = [e for e in listed if e.key not in present]
    pages = _pages_str(e.page for e in listed)
    n_listed, n_found = Decimal(len(listed)), Decimal(len(listed) - len(missing))
    src_a, src_b = f"目录第{pages}页列示的标准表数", "正文中找到的标准表数"
    if missing:
        names = "、".join(TABLE_ZH[e.key] for e in missing)
        return [CheckResult(check_id, "fail", "listed in the contents but not printed: "
                            + ", ".join(e.key for e in missing),
                            f"{subject}：目录（第{pages}页）列示的{names}在正文中未找到",
                            pages=pages, value_a=n_listed, source_a=src_a, value_b=n_found, source_b=src_b)]
    return [CheckResult(check_id, "pass", f"{len(listed)} listed tables all printed",
                        f"{subject}：目录列示的 {len(listed)} 张标准表与正文相符", pages=pages,
                        value_a=n_listed, source_a=src_a, value_b=n_found, source_b=src_b)]


def _has_funds(f: DocFigures, item: str, column: str) -> bool:
    for r in f.summary + f.fiscal_summary:
        if r.get("item") == item and (r.get("amount") or 0) > 0:
            return True
        if r.get("side") == "income" and ((r.get("values") or {}).get(column) or 0) > 0:
            return True
    return False


def _mandatory_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "completeness.mandatory_table_missing", "标准表"
    if not f.pages:
        return [_no_pages(check_id, subject)]
    if _scanned(f):
        return [CheckResult(check_id, "skipped", "pages without a text layer: tables may be scanned images",
                            f"{subject}：部分页面为图片（扫描件），表可能未能识别，未校验")]
    if f.publication == "sangong_only":  # a stand-alone 三公 disclosure owes no other table: its kind is recorded
        return [CheckResult(check_id, "skipped", "a stand-alone 三公 disclosure (publication sangong_only): "
                            "no other table owed", f"{subject}：单独公开的“三公”经费，不要求其他标准表，未校验")]
    owed = list(mandatory_tables(f.template)) + [k for k, (item, col) in OPTIONAL_IF_FUNDS.items()
                                                 if _has_funds(f, item, col)]
    listed = {e.key for e in _listed(f)}  # a listed table missing is the contents check's finding
    present = _present(f)
    missing = [k for k in owed if k not in present and k not in listed]
    n_owed, n_found = Decimal(len(owed)), Decimal(len(owed) - len(missing))
    if missing:
        names = "、".join(TABLE_ZH[k] for k in missing)
        return [CheckResult(check_id, "fail", "mandatory tables not printed: " + ", ".join(missing),
                            f"{subject}：必须公开的{names}未列示（目录亦未列示）",
                            value_a=n_owed, source_a="应公开的标准表数", value_b=n_found,
                            source_b="正文中找到的标准表数")]
    return [CheckResult(check_id, "pass", f"{len(owed)} owed tables printed",
                        f"{subject}：应公开的 {len(owed)} 张标准表均已列示，与要求相符",
                        value_a=n_owed, source_a="应公开的标准表数", value_b=n_found, source_b="正文中找到的标准表数")]


_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(万元|元)")
_TOP_HEADING = re.compile(r"^([一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
#: the narrative section about a table: its heading names these words (and is a 说明/情况 heading)
_SECTION_WORDS = {
    "sangong": ("三公",),
    "gov_fund": ("政府性基金",),
    "state_capital": ("国有资本经营",),
    "gpb_basic_expenditure": ("基本支出",),
}


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


@dataclass
class _Figure:
    value: Decimal  # 万元
    printed: str
    page: int


def _section_figures(pages: list[Page], words: tuple[str, ...]) -> list[_Figure]:
    """Non-zero amounts in the narrative sections whose top-level heading names `words`."""
    out, inside = [], False
    for page in pages:
        for text in squeezed_lines(page):
            if _TOP_HEADING.match(text):
                inside = all(w in text for w in words) and ("说明" in text or "情况" in text) and "表" not in text
                continue
            if not inside:
                continue
            for m in _AMOUNT.finditer(text):
                value = _amount(m.group(1))
                if value:
                    out.append(_Figure(value / 10000 if m.group(2) == "元" else value, m.group(0), page.number))
    return out


def _blank_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "completeness.blank_table_with_narrative_figures", "空表与情况说明"
    blank = [k for k in TITLES if k in f.empty_tables and not _rows_read(f, k)]
    if not blank:
        return [CheckResult(check_id, "skipped", "no table printed blank", f"{subject}：没有空表，未校验")]
    table_pages = {p.number for t in f.tables for p in t.pages}
    narrative = [p for p in f.pages if p.number not in table_pages]
    located = {t.key: t for t in f.tables}
    bad = []
    for key in blank:
        figures = _section_figures(narrative, _SECTION_WORDS[key]) if key in _SECTION_WORDS else []
        stated = _statement_figures(f, key)
        figures = stated + figures
        if figures:
            bad.append((key, figures[0]))
    names = "、".join(TABLE_ZH[k] for k in blank)
    if not bad:
        return [CheckResult(check_id, "pass", f"blank tables {blank}: the narrative states no non-zero figure",
                            f"{subject}：{names}为空表，情况说明亦未给出非零数字，相符",
                            pages=_pages_str(p.number for k in blank if k in located for p in located[k].pages))]
    key, fig = bad[0]
    shown = "；".join(f"{TABLE_ZH[k]}为空表，情况说明第{g.page}页却写明 {g.printed}" for k, g in bad)
    pages = _pages_str([g.page for _, g in bad] + [located[k].first_page for k, _ in bad if k in located])
    return [CheckResult(check_id, "fail", "; ".join(f"{k} blank, narrative states {g.printed} (p{g.page})"
                                                     for k, g in bad),
                        f"{subject}：{shown}", pages=pages, value_a=Decimal(0),
                        source_a=f"{TABLE_ZH[key]}（空表）", value_b=fig.value.quantize(Decimal("0.01")),
                        source_b=f"情况说明第{fig.page}页", doubts=groups_str(
                            g for k, _ in bad for g in TABLE_GROUPS[k]))]


def _rows_read(f: DocFigures, key: str) -> bool:
    """Figures were read from the table: it is not blank, whatever a note in it says."""
    if key == "income_expenditure_summary":
        return any(r.get("amount") for r in f.summary)
    if key == "fiscal_summary":
        return any(r.get("amount") for r in f.fiscal_summary)
    if key in ("expenditure", "gpb_expenditure"):
        return any(r.get("total") for r in f.function_rows if r.get("table_key") == key)
    if key == "gpb_basic_expenditure":
        return any(r.get("amount") for r in f.economic_rows) or any((f.cost_totals or {}).values())
    if key == "sangong":
        return any(r.get("budget") or r.get("actual") for r in f.sangong)
    return False


def _statement_figures(f: DocFigures, key: str) -> list[_Figure]:
    scope = {"sangong": "sangong_total", "gpb_expenditure": "gpb_total"}.get(key)
    out = []
    for s in f.statements:
        if getattr(s, "scope", None) != scope:
            continue
        for field_name, zh in (("actual", "决算"), ("initial_budget", "年初预算"), ("full_year_budget", "全年预算"),
                                ("unqualified_budget", "预算")):
            value = getattr(s, field_name, None)
            if value:
                out.append(_Figure(value, f"{zh}{value}万元", getattr(s, "page", 0) or 0))
    return out


# -- metadata: year --------------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?!\d{1,2}月)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_TITLE_END = re.compile(r"(决算|决算表|情况说明|说明|公开报告|决算公开)$")
_COMPARED = re.compile(r"(与|比|较|同|上|截至|截止|至)$")


@dataclass
class _Mention:
    year: int
    page: int
    where: str   # Chinese: 封面 / 第三部分标题 / 表名 …
    text: str


def _short_lines(page: Page) -> list[int]:
    """Indexes of the page's lines that may be a title or heading: at most 60 characters, no clause mark (the
    year and placeholder checks read only these: found once per page)."""
    return page.derived("short_lines", lambda _lines: [i for i, text in enumerate(squeezed_lines(page))
                                                       if not (len(text) > 60 or _CLAUSE_MARK.search(text))])


def _heading_mentions(f: DocFigures) -> list[_Mention]:
    """Years printed where the report names its own fiscal year: the cover's title, the contents'
    and the body's part headings (wrapped ones joined), numbered 说明 headings and table titles;
    never sentences (they compare with other years) nor dates (2025年8月)."""
    out: list[_Mention] = []
    contents = {p.number for p in contents_pages(f.pages)}
    for page in f.pages:
        lines = page.lines()
        texts = squeezed_lines(page)
        for i in _short_lines(page):
            text = texts[i]
            joined = text
            if _PART.match(text) and not _YEAR.search(text) and i + 1 < len(texts) and len(texts[i + 1]) <= 30:
                joined = text + texts[i + 1]
            m = _YEAR.search(joined)
            if not m or _COMPARED.search(joined[: m.start()]):
                continue
            is_title = bool(_title(lines[i], True) or _TITLE_END.search(joined))
            if page.number == 1:
                if "决算" not in joined and "年度" not in joined:
                    continue
                where = "封面"
            elif _PART.match(joined):
                where = "目录" if page.number in contents else "部分标题"
            elif is_title:
                where = "目录" if page.number in contents else "标题/表名"
            else:
                continue
            out.append(_Mention(int(m.group(1)), page.number, where, joined))
    return out


def _narrative_mentions(f: DocFigures) -> list[_Mention]:
    """`本部门2024年度…` / `<department>2024年度…` in the narrative (not `与…2023年度相比`)."""
    names = ["本部门", "本单位"] + ([f.meta.department] if f.meta is not None and f.meta.department else [])
    out = []
    skip = {1} | {p.number for p in contents_pages(f.pages)} | {p.number for t in f.tables for p in t.pages}
    for page in f.pages:
        if page.number in skip:
            continue
        lines = squeezed_lines(page)
        text = "".join(t for t in lines if not (_PART.match(t) or len(t) <= 60 and _TITLE_END.search(t)))
        for start, end, year in _name_years(text, names):
            before, after = text[max(0, start - 2): start], text[end: end + 8]
            if re.search(r"[与比较同]", before) or "相比" in after or "比较" in after:
                continue
            out.append(_Mention(int(year), page.number, "情况说明", text[start: end + 10]))
    return out


_YEAR_AFTER_NAME = re.compile(r"((?:19|20)\d{2})年度?")


def _name_years(text: str, names: list[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, year) of each `<name><year>年度?` in text, found as re.finditer finds a names' alternation followed
    by the year (the leftmost first, at one start the first name in order, none overlapping the one before), without
    compiling a pattern for the department's name: a new one each document, which re's cache does not keep."""
    pos = 0
    while True:
        found = None
        for name in names:
            at = text.find(name, pos)
            while at >= 0 and not (hit := _YEAR_AFTER_NAME.match(text, at + len(name))):
                at = text.find(name, at + 1)
            if at >= 0 and (found is None or at < found[0]):
                found = (at, hit)
        if found is None:
            return
        at, hit = found
        yield at, hit.end(), hit.group(1)
        pos = hit.end()


def _year_checks(f: DocFigures) -> list[CheckResult]:
    subject = "报告年度"
    year = getattr(f.meta, "year", None)
    if not f.pages:
        return [_no_pages("metadata.year_consistent", subject)]
    if year is None:
        return [CheckResult("metadata.year_consistent", "skipped", "no fiscal year on the cover",
                            f"{subject}：封面未载明年度，未校验")]
    out = []
    for check_id, mentions, zh in (("metadata.year_consistent", _heading_mentions(f), "封面、部分标题与表名"),
                                   ("metadata.year_consistent.narrative", _narrative_mentions(f), "情况说明")):
        bad = [m for m in mentions if m.year != year]
        if not mentions:
            out.append(CheckResult(check_id, "skipped", "no year printed there",
                                   f"{subject}：{zh}未载明年度，未校验"))
        elif bad:
            shown = "；".join(f"第{m.page}页{m.where}“{m.text}”为 {m.year} 年" for m in bad[:3])
            out.append(CheckResult(
                check_id, "fail", f"{len(bad)} places name another year than {year}: "
                + "; ".join(f"p{m.page} {m.year}" for m in bad[:5]),
                f"{subject}：报告年度为 {year} 年，{shown}" + ("；…" if len(bad) > 3 else ""),
                pages=_pages_str(m.page for m in bad), value_a=Decimal(bad[0].year),
                source_a=f"第{bad[0].page}页{bad[0].where}", value_b=Decimal(year), source_b="封面（报告年度）"))
        else:
            out.append(CheckResult(check_id, "pass", f"{len(mentions)} mentions of {year}",
                                   f"{subject}：{zh} {len(mentions)} 处所载年度与报告年度 {year} 年相符",
                                   value_a=Decimal(year), source_a=zh, value_b=Decimal(year),
                                   source_b="封面（报告年度）"))
    return out


_DATED = re.compile(r"截[至止]到?((?:19|20)\d{2})年(?:12月31日|年?底|年?末)")


def _dated_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "metadata.dated_statement_year", "截至日期"
    year = getattr(f.meta, "year", None)
    if not f.pages:
        return [_no_pages(check_id, subject)]
    found = []
    for page in f.pages:
        text = squeezed_text(page)
        if "截" in text:  # every dated statement holds 截至/截止
            found += [(int(m.group(1)), page.number, m.group(0)) for m in _DATED.finditer(text)]
    if year is None or not found:
        return [CheckResult(check_id, "skipped", "no year-end dated statement or no fiscal year",
                            f"{subject}：未见“截至…年12月31日”的表述或报告年度，未校验")]
    bad = [x for x in found if x[0] != year]
    if bad:
        shown = "；".join(f"第{p}页“{t}”" for _, p, t in bad[:3])
        return [CheckResult(check_id, "fail", f"year-end statements dated {sorted({y for y, _, _ in bad})} in a "
                            f"{year} report", f"{subject}：报告年度为 {year} 年，{shown}的年度不符",
                            pages=_pages_str(p for _, p, _ in bad), value_a=Decimal(bad[0][0]),
                            source_a=f"第{bad[0][1]}页截至日期", value_b=Decimal(year), source_b="封面（报告年度）")]
    return [CheckResult(check_id, "pass", f"{len(found)} statements dated {year}",
                        f"{subject}：{len(found)} 处“截至{year}年12月31日”与报告年度相符",
                        pages=_pages_str(p for _, p, _ in found), value_a=Decimal(year), source_a="截至日期",
                        value_b=Decimal(year), source_b="封面（报告年度）")]


# -- metadata: placeholders ------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"[XＸxｘ×✕]{2,}|某")


def _placeholder_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "metadata.placeholder", "占位符"
    if not f.pages:
        return [_no_pages(check_id, subject)]
    places: list[tuple[str, str, int | None]] = []   # (where, text, page)
    department = getattr(f.meta, "department", None)
    if department:
        places.append(("部门名称", department, None))
    for page in f.pages:
        lines, texts = page.lines(), squeezed_lines(page)
        for i in _short_lines(page):
            line, text = lines[i], texts[i]
            if page.number == 1:
                places.append(("封面", text, 1))
            elif _PART.match(text):
                places.append(("部分标题", text, page.number))
            elif _title(line, True) or _NAME_LABEL.match(text) or _YEAR_TITLE.search(text):
                places.append(("标题", text, page.number))
    bad = [(w, t, p, m.group(0)) for w, t, p in places for m in [_PLACEHOLDER.search(t)] if m]
    if bad:
        shown = "；".join(f"{w}{'' if p is None else f'（第{p}页）'}“{t}”含“{ph}”" for w, t, p, ph in bad[:3])
        return [CheckResult(check_id, "fail", f"{len(bad)} placeholders: " + "; ".join(t for _, t, _, _ in bad[:5]),
                            f"{subject}：{shown}" + ("；…" if len(bad) > 3 else "") + "，应替换为实际名称/年度",
                            pages=_pages_str(p for _, _, p, _ in bad if p))]
    return [CheckResult(check_id, "pass", f"{len(places)} names and headings without placeholders",
                        f"{subject}：部门名称、封面与 {len(places)} 处标题均无占位符，与实际名称相符")]


# -- metadata: units -------------------------------------------------------------------------

_UNIT_LINE = re.compile(r"单位[:：](万元|元)")


def _table_unit(table) -> str:
    page = table.pages[0]
    top, bottom = table.span(page)
    for line in [ln for ln in page.lines() if top - 40 <= ln.top < bottom][:10]:
        m = _UNIT_LINE.search(squeeze(line.text))
        if m:
            return m.group(1)
    return "万元"


@dataclass(frozen=True)
class _KeyFigure:
    """A table figure a narrative restates, and the words that name it in a narrative clause."""

    table_key: str
    label: str
    wan: Decimal
    #: a clause stating this figure names it with one of these (the same quantity, not a figure nearby)
    names: str
    #: the page the table prints it on (None when its row does not say)
    page: int | None = None


def _key_figures(f: DocFigures) -> list[_KeyFigure]:
    """The figures a narrative restates, in 万元, each with the words a clause stating it must contain."""
    out = []
    for r in f.summary:
        if r.get("item") in ("grand_total", "income_total", "expenditure_total") and r.get("amount"):
            label = r.get("label") or r["item"]
            out.append(_KeyFigure("income_expenditure_summary", f"收入支出决算总表{label}", r["amount"],
                                  "总计|收入合计|支出合计|收入总计|支出总计", r.get("page")))
    for r in f.function_rows:
        if r.get("table_key") == "gpb_expenditure" and r.get("level") in ("total", "class"):
            name = r.get("name") if r.get("level") == "class" else None
            names = re.escape(name) if name else "一般公共预算财政拨款|公共财政拨款"
            for col, zh in (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")):
                if r.get(col):
                    out.append(_KeyFigure("gpb_expenditure", f"一般公共预算财政拨款支出决算表{name or '合计'}{zh}",
                                          r[col], names, r.get("page")))
    costs = f.cost_totals or {}
    for k, zh in (("personnel_cost", "人员经费"), ("public_cost", "公用经费")):
        if costs.get(k):
            out.append(_KeyFigure("gpb_basic_expenditure", f"基本支出决算表{zh}合计", costs[k], zh, costs.get("page")))
    for r in f.sangong:
        if r.get("item") == "total":
            for side, zh in (("budget", "预算数"), ("actual", "决算数")):
                if r.get(side):
                    out.append(_KeyFigure("sangong", f"“三公”经费表合计{zh}", r[side], "三公", r.get("page")))
    return out


#: what ends a clause of the narrative (a comma inside a number is no clause break)
_CLAUSE_END = re.compile(r"[，。；：;！？]")
_MONEY = re.compile(r"^\d[\d,]*\.\d{2}$")


def _clause_before(text: str, end: int, breaks: list[int] | None = None) -> str:
    """The clause an amount stands in, up to the amount: from the last clause break before it. `breaks`, the
    ends of every clause break of `text` (_clause_breaks), found once for all the amounts of a page."""
    if breaks is None:
        breaks = _clause_breaks(text)
    before = bisect_right(breaks, end)  # a break is one character: it ends at or before `end` when it is before it
    return text[breaks[before - 1] if before else max(0, end - 60): end]


def _clause_breaks(text: str) -> list[int]:
    return [m.end() for m in _CLAUSE_END.finditer(text)]


def _significant(printed: str) -> bool:
    digits = printed.replace(",", "").replace(".", "").lstrip("0")
    return len(digits) >= 4


#: a clause mark: a line holding one is a sentence, not a title or heading
_CLAUSE_MARK = re.compile(r"[，。；,;]")
_NAME_LABEL = re.compile(r"^(部门|单位)(名称)?[:：]")
_YEAR_TITLE = re.compile(r"\d{4}年度?(部门)?决算")


def _unit_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "metadata.unit_consistent", "金额单位"
    if not f.pages:
        return [_no_pages(check_id, subject)]
    units = {t.key: _table_unit(t) for t in f.tables}
    figures = [k for k in _key_figures(f) if k.table_key in units]
    if not f.tables:
        return [CheckResult(check_id, "skipped", "no table figure to compare",
                            f"{subject}：表中未列示可比较的金额，未校验")]
    table_pages = {p.number for t in f.tables for p in t.pages}
    stated = []
    for page in f.pages:
        if page.number in table_pages:
            continue
        text = squeezed_text(page)
        breaks = _clause_breaks(text)
        for m in _AMOUNT.finditer(text):
            value = _amount(m.group(1))
            if value is not None:
                stated.append((value, m.group(2), m.group(0), page.number, _clause_before(text, m.start(), breaks),
                               _significant(str(value))))  # once per amount: every figure and table asks
    bad = []
    in_wan = [s for s in stated if s[1] == "万元"]
    naming: dict[str, list[tuple]] = {}  # the amounts whose clause names a figure, by its names: figures share them
    for figure in figures:
        zh, wan, unit = figure.label, figure.wan, units[figure.table_key]
        if unit != "万元":
            continue
        # the same quantity only: the clause stating the amount names the figure's item (a department's
        # 支出决算 of 13,723.28 万元 is not its 三公 total of 1.37 万元 in 元, whatever the digits)
        if figure.names not in naming:
            names = re.compile(figure.names)
            naming[figure.names] = [s for s in in_wan if names.search(s[4])]
        for value, _, text, page, _, significant in naming[figure.names]:
            # the table's figure is the narrative's in 元 (×10000) or the other way round: the 元 digits
            # must round to the 万元 figure exactly, and both must carry enough digits (≥ 1 万元, four
            # significant digits) for a match not to be the coincidence of a small amount.
            up = (significant and wan >= 1
                  and (value / 10000).quantize(Decimal("0.01")) == wan)
            down = (wan >= 10000 and significant and "." in text
                    and (wan / 10000).quantize(Decimal("0.01")) == value)
            if up or down:
                table_page = figure.page or next(t.first_page for t in f.tables if t.key == figure.table_key)
                # the unit line is the table's: every figure of the table is read in it (06's cost totals and its
                # economic rows alike), so the table's groups are in doubt, not only the figure that shows it
                bad.append((zh, unit, wan, text, page, value, wan, TABLE_GROUPS[figure.table_key], table_page))
    in_other_unit: dict[str, list[tuple]] = {}  # the significant amounts stated in another unit than a table's
    for table in f.tables:               # the same printed digits called 元 in one place, 万元 in the other
        unit = units[table.key]
        if unit not in in_other_unit:
            in_other_unit[unit] = [s for s in stated if s[1] != unit and s[5]]
        if not in_other_unit[unit]:
            continue  # none to look for among the table's words (the narrative states its amounts in the table's unit)
        printed: dict[Decimal, int] = {}
        for p in table.pages:
            for w in table.words(p):
                if _MONEY.match(w.text) and _significant(w.text):
                    printed.setdefault(_amount(w.text), p.number)
        for value, n_unit, text, page, _, _ in in_other_unit[unit]:
            if value in printed:
                wan = value if unit == "万元" else value / 10000
                bad.append((TABLE_ZH[table.key], unit, value, text, page, value if n_unit == "万元" else value / 10000,
                            wan, TABLE_GROUPS[table.key], printed[value]))
    if bad:
        zh, unit, printed, text, page, as_wan, wan, _, table_page = bad[0]
        return [CheckResult(check_id, "fail", f"{len(bad)} figures printed with another unit: {zh} "
                            f"{printed} {unit} vs narrative {text} (p{page})",
                            f"{subject}：{zh}（第{table_page}页）为 {printed:.2f}{unit}，"
                            f"情况说明第{page}页写作“{text}”，单位不一致", pages=_pages_str([page, table_page]),
                            value_a=wan.quantize(Decimal("0.01")),
                            source_a=f"{zh}（第{table_page}页，单位：{unit}）",
                            value_b=as_wan.quantize(Decimal("0.01")), source_b=f"情况说明第{page}页",
                            doubts=groups_str(g for b in bad for g in b[7]))]
    return [CheckResult(check_id, "pass", f"{len(figures)} table figures, no unit mix-up",
                        f"{subject}：表格与情况说明的金额单位相符（表格单位："
                        + "、".join(sorted(set(units.values()))) + "）")]


#: The document checks, in the order their results are written.
def _ocr_pages_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "source.ocr_pages", "文字来源"
    read = [p for p in f.pages if p.source == "ocr"]
    if not read:
        return [CheckResult(check_id, "pass", "every page from the text layer", f"{subject}：各页均取自文字层，相符")]
    pages = _pages_str(p.number for p in read)
    why = "; ".join(sorted({p.source_note or "OCR" for p in read}))
    return [CheckResult(check_id, "fail", f"{len(read)} page(s) read by OCR ({why})",
                        f"{subject}：第{pages}页文字层不可用或缺失，已用OCR识读（{why}）", pages=pages)]


def _unknown_table_check(f: DocFigures) -> list[CheckResult]:
    check_id, subject = "completeness.unknown_table", "其他表"
    others = [t for t in f.tables if t.key == "other"]
    if not others:
        return [CheckResult(check_id, "pass", "no table other than the standard ones",
                            f"{subject}：所列表格均为标准表，相符")]
    titles = "、".join(t.title for t in others)
    pages = _pages_str(t.first_page for t in others)
    return [CheckResult(check_id, "fail", f"{len(others)} table(s) none of the standard ones: {titles}",
                        f"{subject}：第{pages}页的{titles}不是标准表，已单独记录，未读取其数字", pages=pages)]


DOCUMENT_CHECKS: list[Callable[[DocFigures], list[CheckResult]]] = [
    _contents_check,
    _mandatory_check,
    _unknown_table_check,
    _ocr_pages_check,
    _blank_check,
    _year_checks,
    _dated_check,
    _placeholder_check,
    _unit_check,
]
