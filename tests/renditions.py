"""HTML and text renditions of a PDF, written at test time (never committed): what a department's web page or
a researcher's saved text of the same report looks like, made with pdfplumber's own table finder and text
extraction, independent of the parser's grid code.

    html_rendition(pdf, out) -> Path      tables as <table>s (pdfplumber extract_tables), the rest as <p>s
    text_rendition(pdf, out) -> Path      that web page's text: paragraphs as lines, table rows as TAB-separated cells
                                          (merged cells' columns kept empty, or with merged_once left out)
    pdf_text_rendition(pdf, out) -> Path  the PDF's own text (each page's extract_text, form feeds between pages)
"""

from __future__ import annotations

import html
import re
from collections import Counter
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


#: figures set in another font sit a little off the text's baseline: a wider tolerance keeps them on their line
Y_TOLERANCE = 6
_NUMERAL = "[一二三四五六七八九十]+"
_HEADING = re.compile(rf"^({_NUMERAL}、|[（(]{_NUMERAL}[）)]|\d+[、.．]|第{_NUMERAL}部分)")


def full_line(lines: list[str]) -> int:
    """The length of a full printed line of the report's text: the commonest length of its long lines."""
    lengths = Counter(len(t) for t in lines if len(t) >= 20)
    return lengths.most_common(1)[0][0] if lengths else 40


def paragraphs(lines: list[dict], widest: int) -> list[tuple[float, str]]:
    """(top, text) of the paragraphs the lines make, as a web page prints them: a line continues the paragraph
    unless the one before ended early (shorter than a full line, `widest`) or with 。/：, or it starts a heading."""
    out: list[tuple[float, str]] = []
    last = ""  # the previous printed line
    for ln in lines:
        text = ln["text"].strip()
        ended = not out or last.endswith(("。", "：", ":")) or len(last) < 0.8 * widest
        if ended or _HEADING.match(text):
            out.append((ln["top"], text))
        else:
            out[-1] = (out[-1][0], out[-1][1] + text)
        last = text
    return out


def _overlapping_joined(lines: list[dict]) -> list[dict]:
    """Lines that overlap vertically by at least 40 % of the lower one's height (a figure in a larger font set
    off the baseline, `2024` beside `年度部门决算`) as one line, their parts in x order."""
    out: list[dict] = []
    for ln in sorted(lines, key=lambda ln: ln["top"]):
        prev = out[-1] if out else None
        if prev and min(prev["bottom"], ln["bottom"]) - max(prev["top"], ln["top"]) >= 0.4 * min(
                prev["bottom"] - prev["top"], ln["bottom"] - ln["top"]):
            chars = sorted(prev["chars"] + ln["chars"], key=lambda c: c["x0"])
            out[-1] = {"text": _chars_text(chars), "chars": chars, "x0": min(prev["x0"], ln["x0"]),
                       "top": min(prev["top"], ln["top"]), "bottom": max(prev["bottom"], ln["bottom"])}
        else:
            out.append(dict(ln))
    return out


def _chars_text(chars: list[dict]) -> str:
    """Characters in x order, a blank where the gap is wider than half a character."""
    out, prev = [], None
    for c in chars:
        if prev is not None and c["x0"] - prev["x1"] > 0.5 * (c["x1"] - c["x0"]):
            out.append(" ")
        out.append(c["text"])
        prev = c
    return "".join(out)


def _page_parts(page) -> tuple[list[dict], list[tuple[float, list]]]:
    """The page's text lines outside its tables, and (top, rows) of its tables."""
    tables = page.find_tables(_SETTINGS)
    bboxes = [t.bbox for t in tables]
    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or _outside(bboxes, obj))
    lines = _overlapping_joined(text_page.extract_text_lines(y_tolerance=Y_TOLERANCE))
    return lines, [(t.bbox[1], t.extract()) for t in tables]


def _report_blocks(pdf: Path) -> list[str | list]:
    """The report as a web page holds it, in reading order: paragraphs (str) and tables (pdfplumber's rows)."""
    parts = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            parts.append(_page_parts(page))
            page.close()
    widest = full_line([ln["text"].strip() for lines, _ in parts for ln in lines])
    out: list[str | list] = []
    for lines, tables in parts:
        blocks = paragraphs(lines, widest) + tables
        out += [b for _, b in sorted(blocks, key=lambda b: b[0])]
    return out


def html_rendition(pdf: Path, out: Path, encoding: str = "utf-8") -> Path:
    """The report as a web page: a <head> with a script and a style (noise a saved page has), the charset
    declared, each page's text lines as paragraphs and its ruled tables as HTML tables."""
    body = [_table_html(b) if isinstance(b, list) else f"<p>{html.escape(b)}</p>" for b in _report_blocks(pdf)]
    page_html = (f"<!DOCTYPE html><html><head><meta charset=\"{encoding}\"><title>{html.escape(pdf.stem)}</title>"
                 "<style>td{border:1px solid}</style><script>var t = '<table><tr><td>1.00</td></tr></table>';"
                 "</script></head><body><!--[if gte mso 9]><xml><w:WordDocument/></xml><![endif]-->\n"
                 + "\n".join(body) + "\n</body></html>\n")
    path = out / f"{pdf.stem}.html"
    path.write_bytes(page_html.encode(encoding, errors="xmlcharrefreplace"))
    return path


def _row_text(row: list[str | None]) -> str:
    """A table row as a web page's text: its cells TAB-separated, an empty cell as an empty field, a merged cell
    (pdfplumber's None beside it) once, the columns it covers empty, as a spreadsheet copies them."""
    return "\t".join(" ".join((cell or "").split()) for cell in row)


def _inner_row_text(row: list[str | None]) -> str:
    """A table row as a browser's innerText writes it: a merged cell once, the cells it covers not at all."""
    return "\t".join(" ".join(cell.split()) for cell in row if cell is not None)


def text_rendition(pdf: Path, out: Path, merged_once: bool = False) -> Path:
    """The report as a web page's text (the HTML rendition saved as text): a paragraph on a line, a table row on
    a line with its cells TAB-separated (empty cells kept). `merged_once`: a merged cell's covered columns left
    out, as a browser's innerText does (written as `<stem>.inner.txt`)."""
    row_text = _inner_row_text if merged_once else _row_text
    lines = []
    for block in _report_blocks(pdf):
        lines += [row_text(r) for r in block] if isinstance(block, list) else [block]
    path = out / f"{pdf.stem}{'.inner' if merged_once else ''}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pdf_text_rendition(pdf: Path, out: Path) -> Path:
    """The report as its PDF's text: each page's pdfplumber text lines (tables flattened to their text lines,
    blanks collapsed), pages separated by form feeds as pdftotext writes them."""
    with pdfplumber.open(pdf) as doc:
        pages = ["\n".join(ln["text"] for ln in _overlapping_joined(p.extract_text_lines(y_tolerance=Y_TOLERANCE)))
                 for p in doc.pages]
    path = out / f"{pdf.stem}.pdf.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    return path
