"""The contents page (目录): which standard tables a report says it contains, and on which page it says so.

A contents page is a page near the front whose first lines include 目录; the contents run on over
the following pages while those hold only entries (ordinal or 第N部分 lines, short wrapped tails).
An entry's dot leaders and page number (printed, or a Word PAGEREF field code left in the text) are dropped.
Each entry is matched against the standard titles the way `etl.parsing.locate` matches a table's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.normalise import compact
from etl.pagesource.page import Line, Page, Word
from etl.parsing.locate import title_key

_CONTENTS_HEADING = re.compile(r"^目录$")
_ENTRY = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]"
                    r"|\d{1,2}[、.．]|附?表\s?\d|表[一二三四五六七八九十]{1,3}|(财决)?公开\d{1,2}表)")
_LEADER = re.compile(r"[.．·…。\-—_\s]*\d{0,3}$")  # dot leaders and the page number after an entry
#: a Word page-number field left in the text (`PAGEREF _Toc123456 \h 3`), wrapped or not: the entry's page number
_FIELD_CODE = re.compile(r"PAGEREF_?(Toc\d*)?(\\?h)?\d{0,3}$|^_?Toc\d+(\\?h)?\d{0,3}$")


def _entry_text(line: Line) -> str:
    """A contents line without what follows the title: dot leaders, the page number or its field code."""
    return _LEADER.sub("", _FIELD_CODE.sub("", line.key))


@dataclass(frozen=True)
class ContentsEntry:
    key: str      # table_key of the standard table listed
    text: str     # the entry as printed (compact)
    page: int     # PDF page number of the contents page


def contents_pages(pages: list[Page], search: int = 8) -> list[Page]:
    """The contents page and its continuation pages (empty if the report prints no 目录)."""
    start = next((i for i, p in enumerate(pages[:search])
                  if any(_CONTENTS_HEADING.match(ln.key) for ln in p.lines()[:5])), None)
    if start is None:
        return []
    out = [pages[start]]
    for page in pages[start + 1: start + 4]:
        if not _only_entries(page):
            break
        out.append(page)
    return out


def _only_entries(page: Page) -> bool:
    keys = [_entry_text(ln) for ln in page.lines()]
    keys = [k for k in keys if k]
    return bool(keys) and all(_ENTRY.match(k) or len(k) <= 6 for k in keys)


def _key(text: str) -> str | None:
    return title_key(Line([Word(text, 0.0, 1.0, 0.0, 1.0)]), numbered_ok=True)


def listed_tables(pages: list[Page]) -> list[ContentsEntry]:
    """The standard tables the contents lists, in order, once each."""
    found: dict[str, ContentsEntry] = {}
    for page in contents_pages(pages):
        keys = [_entry_text(ln) for ln in page.lines()]
        for i, text in enumerate(keys):
            if not text or _CONTENTS_HEADING.match(text):
                continue
            key = _key(text)
            if key is None and i + 1 < len(keys) and keys[i + 1] and not _ENTRY.match(keys[i + 1]):
                text = text + keys[i + 1]  # a title wrapped onto the next line
                key = _key(text)
            if key and key not in found:
                found[key] = ContentsEntry(key, compact(text), page.number)
    return list(found.values())
