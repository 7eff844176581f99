"""What a web page or a text file holds, before it is laid out as pages: paragraphs of text and tables.

`etl.pagesource.html_page` and `etl.pagesource.text_page` read a file into these; `etl.pagesource.synthetic`
lays them out as `Page`s with positioned words and ruling lines, so every later stage reads them like a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TextBlock:
    """A paragraph (or a heading): one logical line of text, wrapped when laid out."""

    text: str
    line: int  # the source line it starts on (1-based)
    #: a page break before it (a text file's form feed)
    page_break: bool = False


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class TableBlock:
    rows: list[list[Cell]]
    line: int  # the source line the table starts on
    ordinal: int = 0  # 1-based among the document's tables
    caption: str = ""


Block = TextBlock | TableBlock
