"""A web page's element tree (etl.pagesource.html_tree) as blocks: paragraphs of text and data tables.

A data table is a `<table>` of at least two columns with no table inside it; a table that holds tables or
only one column is page layout (Word and CMS pages wrap the whole report in one), read as the flow of its
cells. Block elements (p, div, br, li, h1–h6 …) end a line; whitespace is collapsed as a browser does, and
a blank between two 汉字 (a line break in the markup) is dropped.
"""

from __future__ import annotations

import re

from etl.document import DocumentError
from etl.pagesource.blocks import Block, Cell, TableBlock, TextBlock
from etl.pagesource.html_tree import Node

#: HTML caps colspan at 1000 and rowspan at 65534; a grid beyond MAX_GRID_CELLS is no report's table
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534
MAX_GRID_CELLS = 200_000

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
          "article", "blockquote", "pre", "center", "hr", "dt", "dd", "dl", "caption", "header", "footer",
          "nav", "main", "form", "fieldset", "address", "figure", "figcaption", "body", "html", "title"}
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_HAN = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_HAN_GAP = re.compile(rf"(?<=[{_HAN}]) (?=[{_HAN}])")


def clean(text: str) -> str:
    """Whitespace collapsed as a browser shows it; a blank between two 汉字 (a wrapped source line) dropped."""
    return _HAN_GAP.sub("", _SPACE.sub(" ", text)).strip()


def blocks_of(root: Node) -> list[Block]:
    out: list[Block] = []
    _Flow(out).walk(root)
    for n, table in enumerate((b for b in out if isinstance(b, TableBlock)), start=1):
        table.ordinal = n
    return join_continued(out)


def columns(table: TableBlock) -> int:
    return max((sum(c.colspan for c in r) for r in table.rows), default=0)


def join_continued(blocks: list[Block]) -> list[Block]:
    """A table straight after a table of as many columns, with no text between, is its continuation (a table
    split where the page broke when the report was exported): one table, laid out with one set of columns."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if isinstance(block, TableBlock) and isinstance(prev, TableBlock) and not block.caption \
                and columns(block) == columns(prev):
            prev.rows += block.rows
            continue
        out.append(block)
    return out


_PAGE_BREAK = re.compile(r"(page-)?break-(before|after)\s*:\s*(always|page)", re.IGNORECASE)


class _Flow:
    """Collects the text of inline content into the current line, flushing it at block boundaries. A page
    break a Word-saved page marks (`style="page-break-before:always"`) starts a synthetic page."""

    def __init__(self, out: list[Block]) -> None:
        self.out, self.parts, self.line, self.page_break = out, [], 1, False

    def flush(self) -> None:
        text = clean("".join(self.parts))
        if text:
            self.out.append(TextBlock(text, self.line, page_break=self.page_break))
            self.page_break = False
        self.parts = []

    def _breaks(self, node: Node, where: str) -> bool:
        m = _PAGE_BREAK.search(node.attrs.get("style", ""))
        return bool(m and m.group(2).lower() == where)

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                if not self.parts:
                    self.line = node.line
                self.parts.append(child)
                continue
            if child.tag == "table" and _is_data_table(child):
                self.flush()
                self.out.append(_table(child))
                continue
            block = child.tag in _BLOCK or child.tag in ("td", "th")
            if block:
                self.flush()
                self.line = child.line
            self.page_break = self.page_break or self._breaks(child, "before")
            self.walk(child)
            if block:
                self.flush()
            self.page_break = self.page_break or self._breaks(child, "after")


def _rows(table: Node) -> list[Node]:
    """The table's own rows (in thead/tbody/tfoot or directly), not those of a table inside it."""
    rows = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += [r for r in child.children if isinstance(r, Node) and r.tag == "tr"]
    return rows


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def _has_table(node: Node) -> bool:
    stack = list(node.children)
    while stack:
        child = stack.pop()
        if isinstance(child, Node):
            if child.tag == "table":
                return True
            stack.extend(child.children)
    return False


def _is_data_table(table: Node) -> bool:
    rows = _rows(table)
    widest = max((sum(_span(c, "colspan", MAX_COLSPAN) for c in _cells(r)) for r in rows), default=0)
    return widest >= 2 and not any(_has_table(c) for r in rows for c in _cells(r))


def _span(cell: Node, name: str, cap: int) -> int:
    m = re.match(r"\s*(\d+)", cell.attrs.get(name, "1"))
    return max(1, min(int(m.group(1)) if m else 1, cap))


def _text(node: Node) -> str:
    """A cell's text, its line breaks as blanks."""
    parts: list[str] = []
    stack: list[Node | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        else:
            if item.tag in _BLOCK:
                parts.append(" ")
            stack.extend(reversed(item.children))
    return clean("".join(parts))


def _table(node: Node) -> TableBlock:
    rows = [[Cell(_text(c), _span(c, "colspan", MAX_COLSPAN), _span(c, "rowspan", MAX_ROWSPAN)) for c in _cells(r)]
            for r in _rows(node)]
    width = max((sum(c.colspan for c in r) for r in rows), default=0)
    if width * len(rows) > MAX_GRID_CELLS:
        raise DocumentError(f"web page table of {len(rows)} rows × {width} columns (colspan): more than "
                            f"{MAX_GRID_CELLS} cells, not read")
    captions = [_text(c) for c in node.children if isinstance(c, Node) and c.tag == "caption"]
    return TableBlock(rows, node.line, caption=" ".join(t for t in captions if t))
