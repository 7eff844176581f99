"""A generated report in its web-page and text forms: the same content and figures as its PDF, so its truth is
the PDF's with the file's own name and sha256.

    web_page(g, encoding="utf-8", seed_key="") -> bytes   an HTML page: tables as <table>s (header spans kept),
        the narrative as paragraphs; a saved page's noise (a script, a style, Word's conditional comments, a
        site banner in the head); GBK pages declare their charset in <meta>
    text_file(g) -> bytes   the report as UTF-8 text, as a browser saves the web page's text: a table row on a
        line with its cells TAB-separated (empty cells kept), the narrative as one line per paragraph
    web_truth(g, name, data) -> dict   the truth for that file
"""

from __future__ import annotations

import hashlib
import html

from etl.sample.render_tables import TableSpec

_NOISE_HEAD = ("<style>body{font-family:SimSun}td{border:1px solid #000}</style>"
               "<script type=\"text/javascript\">var _hmt = _hmt || []; document.write('<table><tr><td>1.00</td>"
               "<td>2.00</td></tr></table>');</script>")
_NOISE_BODY = "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->"


_WORD_PAGE_BREAK = "<br clear=\"all\" style=\"page-break-before:always\">"


def _cell(cell) -> tuple[str, int]:
    text, span = cell if isinstance(cell, tuple) else (cell, 1)
    return str(text or ""), span


def _table_html(spec: TableSpec) -> list[str]:
    out = [f"<p align=\"right\">{html.escape(spec.number)}</p>"] if spec.number else []
    out.append(f"<p align=\"center\"><b>{html.escape(spec.title)}</b></p>")
    unit = f"单位：{spec.unit}"
    out.append(f"<p>{html.escape(spec.dept_line + '　' + unit if spec.dept_line else unit)}</p>")
    out.append("<table border=\"1\" cellspacing=\"0\">")
    for row in spec.header:
        cells = "".join(f"<th{_spans(c.colspan, c.rowspan)}>{html.escape(str(c.text))}</th>" for c in row)
        out.append(f"<tr>{cells}</tr>")
    for row in spec.body:
        cells = []
        for cell in row:
            text, span = _cell(cell)
            cells.append(f"<td{_spans(span, 1)}>{html.escape(text)}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out += ["<tr>" + "<td></td>" * len(spec.cols) + "</tr>"] * spec.blank_rows
    out.append("</table>")
    out += [f"<p>{html.escape(n)}</p>" for n in spec.note]
    return out


def _spans(colspan: int, rowspan: int) -> str:
    return (f" colspan=\"{colspan}\"" if colspan > 1 else "") + (f" rowspan=\"{rowspan}\"" if rowspan > 1 else "")


def _body_html(content: list) -> list[str]:
    out = []
    for kind, item in content:
        if kind == "table":
            out += _table_html(item)
        elif kind in ("cover", "contents"):
            out += [f"<p>{html.escape(line)}</p>" for line in item]
            out.append(_WORD_PAGE_BREAK)  # as Word saves a page break in a web page
        elif kind == "part":
            out.append(f"<h2>{html.escape(item)}</h2>")
        elif kind == "h":
            out.append(f"<h3>{html.escape(item)}</h3>")
        else:
            out.append(f"<p style=\"text-indent:2em\">{html.escape(item)}</p>")
    return out


def web_page(content: list, title: str, encoding: str = "utf-8") -> bytes:
    charset = "gb2312" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    page = ("<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
            f"charset={charset}\"><title>{html.escape(title)}_政府信息公开</title>{_NOISE_HEAD}</head>\n"
            f"<body>{_NOISE_BODY}\n<div class=\"TRS_Editor\">\n" + "\n".join(_body_html(content))
            + "\n</div></body></html>\n")
    return page.encode("gb18030" if charset == "gb2312" else encoding, errors="xmlcharrefreplace")


# -- text ---------------------------------------------------------------------------------------------------


def _grid_rows(spec: TableSpec) -> list[list[str]]:
    """Each printed row as its cells, one per column: a cell spanning columns or rows is printed in its first
    column of its first row, the columns it covers beside and below it left empty (as a spreadsheet copies a
    merged cell), so every row has a cell in every column."""
    ncols = len(spec.cols)
    rows = [[""] * ncols for _ in range(len(spec.header))]
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(spec.header):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            rows[r][col] = str(cell.text)
            col += cell.colspan
    for row in spec.body:
        out, col = [""] * ncols, 0
        for cell in row:
            text, span = _cell(cell)
            out[col] = text
            col += span
        rows.append(out)
    return rows + [[""] * ncols for _ in range(spec.blank_rows)]


def _table_text(spec: TableSpec) -> list[str]:
    """The table as a web page's text: its title lines, then each row on a line, cells TAB-separated."""
    lines = [spec.number] if spec.number else []
    lines += [spec.title, (spec.dept_line + "  " if spec.dept_line else "") + f"单位：{spec.unit}"]
    lines += ["\t".join(row) for row in _grid_rows(spec)]
    return lines + list(spec.note)


def text_file(content: list) -> bytes:
    lines: list[str] = []
    for kind, item in content:
        if kind == "table":
            lines += ["", *_table_text(item), ""]
        elif kind in ("cover", "contents"):
            lines += list(item)
        else:
            lines.append(item)
    return ("\n".join(lines) + "\n").encode("utf-8")


def web_truth(truth: dict, name: str, data: bytes) -> dict:
    """The PDF's truth for its web-page or text form: same figures, the file's own name and sha256."""
    return {**truth, "source_file": name, "sha256": hashlib.sha256(data).hexdigest()}
