"""Split a PDF holding several reports (a 部门 report followed by its units', two departments') into one
page list per report.

A report starts at its cover: a page of a few short lines whose text is a title
`<name><year>年度(部门|单位)决算` and nothing of a table or a narrative. A cover starts a new report when
it names another report (name, year or scope differ) than the current one, or when the same cover comes
again followed by a 目录 after the current report already had its own 目录 and body. A cover repeated
as a running header, a part's divider page (第二部分 …决算表) or a file of one report never splits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from etl.normalise import squeeze
from etl.pagesource.page import Page

#: a cover is short: at most this many text lines and characters
COVER_MAX_LINES = 8
COVER_MAX_CHARS = 90
#: a report must have at least this many body pages (neither cover nor 目录) before another may start
MIN_BODY_PAGES = 2

_COVER_TITLE = re.compile(
    r"^(?P<name>[^，。：:；;\d]{3,50}?)(?P<year>(?:19|20)\d{2})年度?(?P<scope>部门|单位)决算(?:报告|公开)?$"
)
_AMOUNT = re.compile(r"\d[\d,]*\.\d{2}")
_CONTENTS = re.compile(r"^目录$")
#: what may stand on a cover besides its title: a date, the organ that publishes it, a page number
_COVER_EXTRA = re.compile(r"^((19|20)\d{2}年(\d{1,2}月)?(\d{1,2}日)?|[-—\d\s]+|第\d+页)$")


@dataclass(frozen=True)
class Cover:
    """What a cover names: the report's name, year and scope (部门/单位)."""

    name: str
    year: str
    scope: str


def split_reports(pages: list[Page]) -> list[list[Page]]:
    """The pages of each report in the file, in order; a file of one report gives one list."""
    starts = report_starts(pages)
    bounds = [*starts, len(pages)]
    return [pages[a:b] for a, b in pairwise(bounds) if b > a] or [pages]


def report_starts(pages: list[Page]) -> list[int]:
    """Indexes of the pages where a report starts (0 always)."""
    starts = [0]
    current: Cover | None = None
    seen_contents = False
    body = 0
    for i, page in enumerate(pages):
        cover = cover_of(page)
        if cover is not None:
            if current is not None and body >= MIN_BODY_PAGES and (
                    cover != current or (seen_contents and _contents_follows(pages, i))):
                starts.append(i)
                seen_contents, body = False, 0
            current = cover
            continue
        if is_contents(page):
            seen_contents = True
        elif page.lines():
            body += 1
    return starts


def cover_of(page: Page) -> Cover | None:
    """The report a page is the cover of, or None when it is not a cover."""
    lines: list[str] = []
    for ln in page.lines():  # a body page is seen not to be a cover by its ninth line: the rest unread
        text = squeeze(ln.text)
        if text:
            lines.append(text)
            if len(lines) > COVER_MAX_LINES:
                return None
    if not lines:
        return None
    if any(_AMOUNT.search(t) for t in lines):
        return None
    title_lines = [t for t in lines if not _COVER_EXTRA.match(t)]
    text = "".join(title_lines)
    if len(text) > COVER_MAX_CHARS:
        return None
    m = _COVER_TITLE.match(text)
    if not m:
        return None
    name = re.sub(r"^第[一二三四五六七八九十]+部分", "", m.group("name"))
    return Cover(name, m.group("year"), m.group("scope"))


def is_contents(page: Page) -> bool:
    """A 目录 page: 目录 among its first lines."""
    return any(_CONTENTS.match(ln.key) for ln in page.lines()[:5])


def _contents_follows(pages: list[Page], i: int) -> bool:
    """A 目录 within the two pages after the cover at index i."""
    return any(is_contents(p) for p in pages[i + 1: i + 3])
