"""Page sources: where a page's words come from.

A source turns a PDF into `etl.pagesource.page.Page`s (words with positions, ruling lines); the parser
reads only those, so it is not entangled with any source. Today: the PDF's text layer (`text_layer`).
"""

from etl.pagesource.text_layer import load_pages

__all__ = ["load_pages"]
