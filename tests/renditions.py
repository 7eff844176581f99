"""HTML and text renditions of a PDF, written at test time (never committed): what a department's web page or
a researcher's saved text of the same report looks like, made with pdfplumber's own table finder and text
extraction, independent of the parser's grid code.

    html_rendition(pdf, out) -> Path    tables as <table>s (pdfplumber extract_tables), the rest as <p>s
    text_rendition(pdf, out) -> Path    each page's extract_text, pages separated by a form feed
"""

from __future__ import annotations

import html
from pathlib import Path

import pdfplumber

_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _outside(bboxes: list[tuple], obj: dict) -> bool:
    return not any(x0 - 1 <= obj["x0"] and obj["x1"] <= x1 + 1 and top - 1 <= obj["top"] and obj["bottom"] <= bottom + 1
                   for x0, top, x1, bottom in bboxes)


def _table_html(rows: list[list[str | None]]) -> str:
    """A table as HTML: a None cell is one merged into its left or upper neighbour (pdfplumber's way), so a run of
    Nones after a cell is that cell's colspan."""
    out = ["<table border=\"1\">"]
    for row in rows:
        cells, i = [], 0
        while i < len(row):
            span = 1
            while i + span < len(row) and row[i + span] is None:
                span += 1
            text = html.escape((row[i] or "").replace("\n", ""))
            cells.append(f"<td colspan=\"{span}\">{text}</td>" if span > 1 else f"<td>{text}</td>")
            i += span
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _page_blocks(page) -> list[tuple[float, str]]:
    """(top, html) of the page's text lines outside its tables and of its tables, in reading order."""
    tables = page.find_tables(_SETTINGS)
    bboxes = [t.bbox for t in tables]
    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or _outside(bboxes, obj))
    blocks = [(ln["top"], f"<p>{html.escape(ln['text'])}</p>") for ln in text_page.extract_text_lines()]
    blocks += [(t.bbox[1], _table_html(t.extract())) for t in tables]
    return sorted(blocks, key=lambda b: b[0])


def html_rendition(pdf: Path, out: Path, encoding: str = "utf-8") -> Path:
    """The report as a web page: a <head> with a script and a style (noise a saved page has), the charset
    declared, each page's text lines as paragraphs and its ruled tables as HTML tables."""
    body = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            body += [b for _, b in _page_blocks(page)]
            page.close()
    page_html = (f"<!DOCTYPE html><html><head><meta charset=\"{encoding}\"><title>{html.escape(pdf.stem)}</title>"
                 "<style>td{border:1px solid}</style><script>var t = '<table><tr><td>1.00</td></tr></table>';"
                 "</script></head><body><!--[if gte mso 9]><xml><w:WordDocument/></xml><![endif]-->\n"
                 + "\n".join(body) + "\n</body></html>\n")
    path = out / f"{pdf.stem}.html"
    path.write_bytes(page_html.encode(encoding))
    return path


def text_rendition(pdf: Path, out: Path) -> Path:
    """The report as text: each page's pdfplumber extract_text (tables flattened to their text lines), pages
    separated by form feeds as pdftotext writes them."""
    with pdfplumber.open(pdf) as doc:
        pages = [(p.extract_text() or "") for p in doc.pages]
    path = out / f"{pdf.stem}.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    return path
