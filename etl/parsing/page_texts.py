"""A page's lines as the parser's readers compare them: squeezed (etl.normalise.squeeze), once per page.

The document checks (years, placeholders, units, dated statements, blank tables) and the metadata each read every
page's squeezed lines, several of them the page's lines joined; Page.derived keeps both with the lines they came
from (new lines, after running lines are stripped, are squeezed afresh), so a page is squeezed and joined once.
The lists returned are shared: read them, never change them.
"""

from __future__ import annotations

from etl.normalise import squeeze
from etl.pagesource.page import Line, Page


def squeezed_lines(page: Page) -> list[str]:
    """squeeze(line.text) of each of the page's lines, in order."""
    return page.derived("squeezed_lines", _squeezed)


def squeezed_text(page: Page) -> str:
    """The page's squeezed lines joined without a separator."""
    return page.derived("squeezed_text", lambda _lines: "".join(squeezed_lines(page)))


def _squeezed(lines: list[Line]) -> list[str]:
    return [squeeze(ln.text) for ln in lines]
