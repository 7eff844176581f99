"""Locate tables: which pages carry which standard table, continuation pages included."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from etl.normalise import compact, is_amount
from etl.pagesource.page import Line, Page, Word

#: table_key -> printed title variants (compact form, straight quotes). Longest suffix match wins,
#: so 支出决算表 never swallows 一般公共预算财政拨款支出决算表. Each variant is mapped by what the table
#: holds (catalogue 2026-12-05 §3):
#: - 收入支出决算表 without 总 (云南) is the report's 收支 summary (01), 财政拨款收入支出决算表 its 财政拨款
#:   summary (04); 一般公共预算财政拨款收入支出决算表 lists the 一般公共预算 支出 by function with 基本/项目
#:   columns (beside 结转 and 收入 columns): 05.
#: - …明细表 variants hold the same function or economic rows as the table they detail (05, 06, all-fund).
#: - 财政拨款基本支出决算表 (all funds, one report): 基本支出 is paid from 一般公共预算 in practice, so it stands
#:   for 06 where printed instead of it.
#: - 收入决算总表 / 支出决算总表 (陕西) are 02 / 03 when they list function codes (`_by_content`), else `other`.
#: - 三公 titles are decided by `_sangong_key`: every 三公 table is `sangong` except one for 政府性基金 only
#:   (`sangong_related`, read into related_costs); of two 三公 tables the one for 一般公共预算 only is `sangong`.
#: - Tables of another subject are `other` whatever their suffix (`_OTHER_SUBJECT`): 项目支出决算表 (by
#:   project, not by function), 财政专户管理资金, 政府采购, 国有资产, 非税收入, 绩效.
TITLES: dict[str, tuple[str, ...]] = {
    "income_expenditure_summary": ("收入支出决算总表", "收支决算总表",  # 高等学校收支决算总表 too
                                   "收入支出决算表"),  # 云南: without 总
    "income": ("收入决算表", "收入决算总表"),
    "expenditure": ("支出决算表", "支出决算总表"),
    "fiscal_summary": ("财政拨款收入支出决算总表", "财政拨款收支决算总表", "财政拨款收入支出决算表"),
    "gpb_expenditure": ("一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算明细表",
                        "一般公共预算财政拨款收入支出决算表", "公共财政拨款收入支出决算表",
                        "公共财政拨款支出决算表", "公共财政预算财政拨款支出决算表"),  # 2013–2015 wording
    "gpb_basic_expenditure": ("一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表",
                              "基本支出决算表", "基本支出决算明细表"),
    # the 高等学校 and central-unit templates' 财政拨款 table across all funds (not the 一般公共预算 table)
    "fiscal_expenditure": ("财政拨款支出决算表", "财政拨款支出决算明细表"),
    "sangong": ('财政拨款"三公"经费支出决算表', '一般公共预算财政拨款"三公"经费支出决算表',
                '"三公"经费支出决算表', "三公经费支出决算表"),
    # a 三公 table for 政府性基金 only (四川), or the all-fund one of a pair (云南 2023): never read into sangong
    "sangong_related": ('政府性基金预算财政拨款"三公"经费支出决算表',),
    "gov_fund": ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
    "state_capital": ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表"),
}
#: a table that holds another's figures among its own: the 财政拨款支出决算表 of every fund (江苏 2015, 高等学校)
#: lists the 一般公共预算 expenditure by function too, so a report printing it instead of 05 owes no 05
STANDS_FOR = {"fiscal_expenditure": "gpb_expenditure"}


def covered(keys: set[str]) -> set[str]:
    """The standard tables printed (`keys`) with those they stand for."""
    return keys | {STANDS_FOR[k] for k in keys if k in STANDS_FOR}


_BY_LENGTH = sorted(((alias, key) for key, aliases in TITLES.items() for alias in aliases),
                    key=lambda ak: -len(ak[0]))
#: _BY_LENGTH by each alias's last character (all end in 表), in _BY_LENGTH's order: a title can end with an alias
#: only if it ends with that character, so most lines (thousands a document) are answered without a loop
_BY_LAST_CHAR: dict[str, list[tuple[str, str]]] = {}
for _alias, _key in _BY_LENGTH:
    _BY_LAST_CHAR.setdefault(_alias[-1], []).append((_alias, _key))
_TABLE_NUMBER = re.compile(r"[（(]?(财决)?公开\d{1,2}表[）)]?$|[（(]?表\d{1,2}[）)]?$")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])")
_OTHER_TABLE_TITLE = re.compile(r"(决算|预算|收入|支出|情况)[^，。：]{0,12}(明细)?表$")
#: a numbered title the locator may not know: 表5 …表 / 附表 … / 公开10表 …
_NUMBERED_TITLE = re.compile(r"^(附表[一二三四五六七八九十\d]{0,2}|表[一二三四五六七八九十\d]{1,2}"
                             r"|(财决)?公开\d{1,2}表)[:：、.．\s]*(?P<title>[\u4e00-\u9fff\"（）()、]{3,40}表)$")
#: subjects no standard table covers, whatever the title's suffix (项目支出决算表 lists projects, not functions)
_OTHER_SUBJECT = re.compile(r"项目支出决算|财政专户|政府采购|国有资产|非税收入|绩效")
#: a 三公 table holding other costs or funds beside the 一般公共预算 三公 (read into related_costs)
_SANGONG_EXTRAS = re.compile(r"机关运行经费|会议费|培训费|政府性基金")
_SANGONG_TITLE = re.compile(r"三公\"?经费.{0,30}表$")
_BUDGET_TABLE = re.compile(r"预算(数|安排)?(明细|情况)?表$")
NARRATIVE_START = re.compile(
    r"第三部分|决算情况说明$|收入支出决算总体情况说明|^[一二三四五六七八九十]+、收入支出决算总体情况"
)


@dataclass
class LocatedTable:
    key: str
    title: str
    pages: list[Page] = field(default_factory=list)
    title_line: dict[int, float] = field(default_factory=dict)  # page number -> bottom of title line
    end_line: dict[int, float] = field(default_factory=dict)  # page number -> top of the next table's title

    def span(self, page: Page) -> tuple[float, float]:
        """The vertical extent of this table on one of its pages (below its title, above the next)."""
        return self.title_line.get(page.number, 0.0), self.end_line.get(page.number, page.height + 1)

    def words(self, page: Page) -> list[Word]:
        top, bottom = self.span(page)
        return [w for w in page.words if top < w.top < bottom]

    def lines(self, page: Page) -> list[Line]:
        top, bottom = self.span(page)
        return [ln for ln in page.lines() if top <= ln.top < bottom]

    @property
    def first_page(self) -> int:
        return self.pages[0].number

    @property
    def last_page(self) -> int:
        return self.pages[-1].number


_TABLE_PREFIX = re.compile(r"^(附?表[一二三四五六七八九十\d]{1,2}|(财决)?公开\d{1,2}表|附件\d{1,2})[:：、.．\s]*")
_CONTINUED = re.compile(r"[（(]续表?[）)]$|续表$")


def bare_title(text: str, numbered_ok: bool = True) -> str:
    """A title without its numbering (表一：, 表 1, （一）, 一、, (公开07表), 财决公开01表) and (续).

    The patterns anchored at the end are tried only on a text holding the character each requires (表, 续): with
    nothing to anchor their start, the engine tries them at every position (5 µs a line), for every line that is
    tested for a title, most of which hold neither."""
    text = compact(text)
    if "表" in text:
        text = _TABLE_NUMBER.sub("", text)
    if "续" in text:
        text = _CONTINUED.sub("", text)
    text = _TABLE_PREFIX.sub("", text)
    return _ORDINAL.sub("", text) if numbered_ok else text


def title_key(line: Line, numbered_ok: bool = False) -> str | None:
    """table_key if the line is a standard table's title (not a contents entry or a heading).

    A title numbered like a contents entry (`一、收入支出决算总表`) counts only on a page that
    also prints a 单位： line, i.e. a table page (`numbered_ok`).
    """
    return _title_key(line.text, numbered_ok)


@lru_cache(maxsize=4096)
def _title_key(line_text: str, numbered_ok: bool) -> str | None:
    """title_key of a line's text: remembered, as every line is tested on every pass (locating, the checks)."""
    text = bare_title(line_text, numbered_ok=False)
    if _ORDINAL.match(text) and numbered_ok:
        text = _ORDINAL.sub("", text)
    if not text or _ORDINAL.match(text) or "说明" in text or len(text) > 60:
        return None
    return key_of_title(text)


def key_of_title(text: str) -> str | None:
    """The standard table a bare title names, by its subject (see TITLES), or None."""
    if "三公" in text:
        return _sangong_key(text)
    candidates = _BY_LAST_CHAR.get(text[-1:])
    if candidates is None or _OTHER_SUBJECT.search(text):
        return None
    for alias, key in candidates:
        if text.endswith(alias):
            return key
    return None


def _sangong_key(text: str) -> str | None:
    """sangong for any 三公 table (…安排的, …开支的…情况表, …及会议费、培训费, 、行政参公单位机关运行经费情况表,
    一般公共预算及政府性基金…) except one for 政府性基金 alone: sangong_related."""
    if not _SANGONG_TITLE.search(text) or ("决算" not in text and _BUDGET_TABLE.search(text)):
        return None  # a 预算 disclosure's “三公”经费支出预算表 is no 决算 table
    if "政府性基金" in text and "一般公共预算" not in text:
        return "sangong_related"
    return "sangong"


def _title_lines(page: Page) -> list[tuple[Line, str]]:
    """Candidate title lines in the upper part of the page, with their table_key (`other`: a table none
    of the standard ones)."""
    out = []
    lines = page.lines()
    numbered_ok = any("单位:" in ln.key for ln in lines[:15])
    for i, line in enumerate(lines):
        if line.top > page.height * 0.45:
            break
        key = title_key(line, numbered_ok) or _other_title(line, lines[i + 1: i + 5])
        if key:
            out.append((line, key))
    return out


def _lower_titles(page: Page) -> list[tuple[Line, str]]:
    """Tables starting further down a page that holds two (small or empty tables often share one): a
    title line followed within four lines by its 单位： line."""
    lines = page.lines()
    out = []
    for i, line in enumerate(lines):
        if line.top <= page.height * 0.45:
            continue
        after = lines[i + 1 : i + 5]
        if not any("单位:" in ln.key for ln in after):  # tested first: most lines of a page have none below them
            continue
        key = title_key(line, numbered_ok=True) or _other_title(line, after)
        if key:
            out.append((line, key))
    return out


def _other_title(line: Line, after: list[Line]) -> str | None:
    """`other` for the title of a table none of the standard ones (Guangzhou's 非税收入 table, a 绩效 or
    政府采购 table): numbered (表5 …表, 附表 …, 公开10表 …), or ending in 表 with its 单位： line below."""
    text = compact(line.text).replace("“", '"').replace("”", '"')
    if "说明" in text or "部门决算表" in text or "部分" in text or "目录" in text or len(text) >= 40:
        return None
    if _NUMBERED_TITLE.match(text):
        return "other"
    if _ORDINAL.match(text):  # a contents entry or a heading of the narrative
        return None
    if "表" in text and (_OTHER_TABLE_TITLE.search(text)  # which needs 表: tried at every position (see bare_title)
                        or (text.endswith("表") and any("单位:" in ln.key for ln in after))):
        return "other"
    return None


#: a title line that is only the table's number (公开01表, 表1): an Excel-made sheet prints its title proper on
#: the next line
_NUMBER_ONLY = re.compile(r"^(?:[（(]?(?:财决)?公开\d{1,2}表[）)]?|附?表[一二三四五六七八九十\d]{1,2})$")


def _title_proper(line: Line, lines: list[Line], key: str) -> tuple[str, Line]:
    """(the title as printed, its last line): an unknown table's number-only line (公开01表) joined with the
    title proper printed below it, so tables_found.title names the table and its body starts after both."""
    title = compact(line.text)
    if key != "other" or not _NUMBER_ONLY.match(title):
        return title, line
    below = [ln for ln in lines if ln.top >= line.bottom]
    return (title + compact(below[0].text), below[0]) if below else (title, line)


def locate_tables(pages: list[Page]) -> list[LocatedTable]:
    """Tables in page order, unknown ones as `other`; an untitled page continues the table before it
    only when it looks like a continuation (its header repeated, or its figures in the same columns)."""
    found: list[LocatedTable] = []
    current: LocatedTable | None = None
    narrative_at: int | None = None  # the first page (not a contents page) where the 情况说明 starts
    for page in pages:
        lines = page.lines()
        starts_narrative = any(NARRATIVE_START.search(ln.key) for ln in lines[:6])
        if current and starts_narrative:
            current = None
            if found:
                break
        titles = sorted(_title_lines(page), key=lambda lk: lk[1] == "other")  # standard titles first
        listing = len({key for _, key in titles if key != "other"}) >= 3 or _lists_tables(lines)
        if listing or any(ln.key == "目录" for ln in lines[:5]):  # a contents page listing the tables
            current = None
            continue
        if narrative_at is None and any(NARRATIVE_START.search(ln.key) for ln in lines):  # a web page: mid-page
            narrative_at = page.number
        if titles:
            line, key = titles[0]
            line_title, line = _title_proper(line, lines, key)
            if current and current.key == key and bare_title(current.title) == bare_title(line_title):
                # the title repeated on a continuation page
                current.pages.append(page)
            else:
                current = LocatedTable(key, line_title)
                current.pages.append(page)
                found.append(current)
            current.title_line[page.number] = line.bottom
        elif current is not None and continues(current, page):
            current.pages.append(page)
        elif current is not None and _note_only(lines):
            pass  # the table's note, a block of its own in a web page's text: the table is still the last one
        else:
            current = None
        for line, key in _lower_titles(page):
            if current is not None:
                current.end_line[page.number] = line.top
            current = LocatedTable(key, compact(line.text), [page], {page.number: line.bottom})
            found.append(current)
    return _first_of_each(_without_narrative_tables(found, narrative_at))


def _without_narrative_tables(found: list[LocatedTable], narrative_at: int | None) -> list[LocatedTable]:
    """Without the unknown tables printed inside a 情况说明 that comes before the tables part (四川: tables last),
    such as 广州's 非税收入征缴情况表: the narrative's, none of the tables part's — as where the tables come first,
    whose part the narrative ends. (A file with no standard table keeps them: they may be all it holds.)"""
    first_standard = next((t.first_page for t in found if t.key != "other"), None)
    if narrative_at is None or first_standard is None:
        return found
    return [t for t in found if not (t.key == "other" and narrative_at <= t.first_page < first_standard)]


#: lines a table's note (注：本表反映…) takes at most when a web page's text prints it as a block of its own
_NOTE_LINES = 4


def _note_only(lines: list[Line]) -> bool:
    return 0 < len(lines) <= _NOTE_LINES and lines[0].key.startswith(("注:", "注：", "说明:"))


#: contents entries of standard tables on one page (一、收入支出决算总表 …) that make it a list, not a table
_LISTED = 3


def _lists_tables(lines: list[Line]) -> bool:
    """A page of contents entries without the 目录 heading above them (a web page's text breaks its 目录 where
    the entries start): ≥ 3 ordinal-numbered standard titles, no 单位： line of a table."""
    if any("单位:" in ln.key for ln in lines[:15]):
        return False
    entries = {key_of_title(bare_title(ln.text)) for ln in lines if _ORDINAL.match(compact(ln.text))}
    return len(entries - {None}) >= _LISTED


def _first_of_each(tables: list[LocatedTable]) -> list[LocatedTable]:
    """The first of each standard table; a later one under the same title is a repeat (e.g. in an appendix)
    and dropped, one under another title (四川's 国有资本经营 收入支出 and 支出 tables) is recorded as
    `other`, never absorbed. Every `other` is kept."""
    tables = _choose_sangong(tables)
    seen: dict[str, LocatedTable] = {}
    out = []
    for t in tables:
        if t.key != "other" and t.key in seen:
            if bare_title(seen[t.key].title) == bare_title(t.title):
                continue
            t.key = "other"
        seen.setdefault(t.key, t)
        out.append(_by_content(t))
    return out


def _choose_sangong(tables: list[LocatedTable]) -> list[LocatedTable]:
    """Of two 三公 tables (云南 2023: 财政拨款“三公”经费、行政参公单位机关运行经费情况表, then
    一般公共预算财政拨款“三公”经费情况表) the contract's 三公 is the one for 一般公共预算 alone and no other
    cost: it holds exactly the figures of 07. The other is `sangong_related` (its extras: related_costs)."""
    sangong = [t for t in tables if t.key == "sangong"]
    if len(sangong) < 2:
        return tables
    pure = [t for t in sangong if "一般公共预算" in t.title and not _SANGONG_EXTRAS.search(t.title)]
    keep = pure[0] if pure else sangong[0]
    for t in sangong:
        if t is not keep and bare_title(t.title) != bare_title(keep.title):
            t.key = "sangong_related"
    return tables


_FUNCTION_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")


def _by_content(table: LocatedTable) -> LocatedTable:
    """收入决算总表 / 支出决算总表 are 02 / 03 only when they list function codes; else a table of their own."""
    summary_like = table.key in ("income", "expenditure") and bare_title(table.title).endswith("决算总表")
    if summary_like and not any(_FUNCTION_CODE.match(w.text) for p in table.pages for w in table.words(p)):
        table.key = "other"
    return table


_HEADER_TOKENS = re.compile(r"科目|编码|名称|项目|合计|决算数|预算数|基本支出|项目支出|金额|栏次")


def continues(table: LocatedTable, page: Page) -> bool:
    """An untitled page continues the table when its header is repeated, or when it reads like the table's
    first page: figures in its amount columns, labels within its width and of a label's width (a
    narrative page's prose lines, or another table's columns, do not)."""
    first = table.pages[0]
    if abs(page.width - first.width) > 2:  # turned from portrait to landscape or back: not the same table
        return False
    head = {m for ln in page.lines()[:6] for m in _HEADER_TOKENS.findall(ln.key)}
    first_head = {m for ln in table.lines(first)[:8] for m in _HEADER_TOKENS.findall(ln.key)}
    if len(head & first_head) >= 3:
        return True
    reference = table.words(first)
    if not reference:
        return False
    columns = _amount_spans(reference)
    left, right = min(w.x0 for w in reference) - 20, max(w.x1 for w in reference) + 20
    widest = max((w.x1 - w.x0 for w in reference if not is_amount(w.text)), default=0.0)
    label_limit = max(1.25 * widest + 10, 0.45 * (right - left))  # a label cell, not a line of prose

    def fits(w: Word) -> bool:
        if is_amount(w.text):
            return not columns or any(min(b, w.x1) - max(a, w.x0) > 0 for a, b in columns)
        return left <= w.x0 and w.x1 <= right and w.x1 - w.x0 <= label_limit

    words = [w for ln in page.lines() if not _NOTE.match(ln.key) for w in ln.words]
    return len(words) >= 2 and sum(map(fits, words)) >= 0.8 * len(words)


_NOTE = re.compile(r"^(注|说明)\d?[:：]")


def _amount_spans(words: list[Word]) -> list[tuple[float, float]]:
    """x-ranges of the amount columns: overlapping amount words merged."""
    spans: list[list[float]] = []
    for w in sorted((w for w in words if is_amount(w.text)), key=lambda w: w.x0):
        if spans and w.x0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], w.x1)
        else:
            spans.append([w.x0, w.x1])
    return [(a, b) for a, b in spans]
