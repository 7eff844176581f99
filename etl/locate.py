"""Locate tables: which pages carry which standard table, continuation pages included."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.normalise import compact
from etl.pages import Line, Page, Word

#: table_key -> printed title variants (compact form, straight quotes). Longest suffix match wins,
#: so 支出决算表 never swallows 一般公共预算财政拨款支出决算表.
TITLES: dict[str, tuple[str, ...]] = {
    "income_expenditure_summary": ("收入支出决算总表", "收支决算总表"),
    "income": ("收入决算表",),
    "expenditure": ("支出决算表",),
    "fiscal_summary": ("财政拨款收入支出决算总表", "财政拨款收支决算总表"),
    "gpb_expenditure": ("一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算明细表"),
    "gpb_basic_expenditure": ("一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表",
                              "基本支出决算表"),
    "sangong": ('财政拨款"三公"经费支出决算表', '一般公共预算财政拨款"三公"经费支出决算表',
                '"三公"经费支出决算表', "三公经费支出决算表"),
    "gov_fund": ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
    "state_capital": ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表"),
}
_BY_LENGTH = sorted(((alias, key) for key, aliases in TITLES.items() for alias in aliases),
                    key=lambda ak: -len(ak[0]))
_TABLE_NUMBER = re.compile(r"[（(]?公开\d{1,2}表[）)]?$|[（(]?表\d{1,2}[）)]?$")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])")
_OTHER_TABLE_TITLE = re.compile(r"(决算|预算|收入|支出)[^，。：]{0,12}(明细)?表$")
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


_TABLE_PREFIX = re.compile(r"^(附?表[一二三四五六七八九十\d]{1,2}|公开\d{1,2}表|附件\d{1,2})[:：、.．\s]*")


def title_key(line: Line, numbered_ok: bool = False) -> str | None:
    """table_key if the line is a standard table's title (not a contents entry or a heading).

    A title numbered like a contents entry (`一、收入支出决算总表`) counts only on a page that
    also prints a 单位： line, i.e. a table page (`numbered_ok`).
    """
    text = _TABLE_NUMBER.sub("", compact(line.text).replace("“", '"').replace("”", '"'))
    text = _TABLE_PREFIX.sub("", text)
    if _ORDINAL.match(text) and numbered_ok:
        text = _ORDINAL.sub("", text)
    if not text or _ORDINAL.match(text) or "说明" in text or len(text) > 60:
        return None
    for alias, key in _BY_LENGTH:
        if text.endswith(alias):
            return key
    return None


def _title_lines(page: Page) -> list[tuple[Line, str | None]]:
    """Candidate title lines in the upper part of the page, with their table_key (None: another table)."""
    out = []
    lines = page.lines()
    numbered_ok = any("单位:" in ln.key for ln in lines[:15])
    for line in lines:
        if line.top > page.height * 0.45:
            break
        key = title_key(line, numbered_ok)
        if key or _is_other_table_title(line.key):
            out.append((line, key))
    return out


def _lower_titles(page: Page) -> list[tuple[Line, str]]:
    """Standard tables starting further down a page that holds two (small or empty tables often
    share one): a title line followed within four lines by its 单位： line."""
    lines = page.lines()
    out = []
    for i, line in enumerate(lines):
        if line.top <= page.height * 0.45:
            continue
        key = title_key(line, numbered_ok=True)
        if key and any("单位:" in ln.key for ln in lines[i + 1 : i + 5]):
            out.append((line, key))
    return out


def _is_other_table_title(text: str) -> bool:
    """A table title that is none of the nine (e.g. Guangzhou's 非税收入 table): it ends the table before."""
    return (bool(_OTHER_TABLE_TITLE.search(text)) and not _ORDINAL.match(text) and len(text) < 40
            and "说明" not in text and "部门决算表" not in text and "部分" not in text)


def locate_tables(pages: list[Page]) -> list[LocatedTable]:
    """Standard tables in page order; an untitled page before the narrative continues the table before it."""
    found: list[LocatedTable] = []
    current: LocatedTable | None = None
    for page in pages:
        lines = page.lines()
        if current and any(NARRATIVE_START.search(ln.key) for ln in lines[:6]):
            current = None
            if found:
                break
        titles = sorted(_title_lines(page), key=lambda lk: lk[1] is None)  # standard titles first
        if len({key for _, key in titles if key}) >= 3:  # a contents page listing the tables
            current = None
            continue
        if titles:
            line, key = titles[0]
            if key is None:
                current = None
                continue
            if current and current.key == key:  # title repeated on a continuation page
                current.pages.append(page)
            else:
                current = LocatedTable(key, compact(line.text))
                current.pages.append(page)
                found.append(current)
            current.title_line[page.number] = line.bottom
        elif current is not None:
            current.pages.append(page)
        for line, key in _lower_titles(page):
            if current is not None:
                current.end_line[page.number] = line.top
            current = LocatedTable(key, compact(line.text), [page], {page.number: line.bottom})
            found.append(current)
    return _first_of_each(found)


def _first_of_each(tables: list[LocatedTable]) -> list[LocatedTable]:
    seen: dict[str, LocatedTable] = {}
    for t in tables:
        seen.setdefault(t.key, t)
    return list(seen.values())
