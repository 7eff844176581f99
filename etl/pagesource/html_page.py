"""The web-page source: a saved `.html`/`.htm` report read into synthetic `Page`s.

Decoded by its BOM, its declared charset or detection (etl.pagesource.decode), parsed into a bounded element
tree (etl.pagesource.html_tree), read as paragraphs and data tables (etl.pagesource.html_blocks) and laid out
as pages (etl.pagesource.synthetic): each table a ruled grid on its own page under its title, the text as
wrapped lines. Each page's `position` names where it is in the file.
"""

from __future__ import annotations

from pathlib import Path

from etl.pagesource.decode import decode, read_limited
from etl.pagesource.html_blocks import blocks_of
from etl.pagesource.html_tree import parse_html
from etl.pagesource.page import Page
from etl.pagesource.synthetic import lay_out


def position(first: int, last: int, table: int | None) -> str:
    if table is not None:
        return f"第{table}个表格（源文件第{first}行）"
    return f"源文件第{first}行" if first == last else f"源文件第{first}–{last}行"


def html_pages(text: str) -> list[Page]:
    return lay_out(blocks_of(parse_html(text)), position)


def load_html_pages(path: str | Path) -> list[Page]:
    text, _ = decode(read_limited(path), html=True)
    return html_pages(text)
