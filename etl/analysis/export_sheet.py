"""What CSV and xlsx cells show: headers and category values in Chinese (or as stored), text made safe,
and the xlsx layout a spreadsheet user expects (bold frozen header, autofilter, fitted widths,
number formats taken from the declared column types).

    sheet_frame(df, table, "zh")   # Chinese headers, 是/否, 年初预算 …; every text through spreadsheet_cell
    write_xlsx(df, table, path, "zh")
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

#: Excel's row limit, header included: a longer table continues on sheets <table>_2, <table>_3 …
EXCEL_MAX_ROWS = 1_048_576

#: xlsxwriter Workbook options: text is never turned into a formula, a link or a number.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

#: Column widths in character cells (a CJK character counts 2): fitted between these; a header wider
#: than its values wraps onto more lines rather than widening the column past HEADER_WIDTH.
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 6, 50, 20
#: Points per line of the header row (Excel does not grow a row for wrapped text xlsxwriter writes).
LINE_HEIGHT = 15
#: Rows looked at to fit a width (the first ones: enough to see typical values, cheap on big tables).
WIDTH_SAMPLE = 2_000
#: Codebook sheet: the description column wraps at this width instead of running 230 characters wide.
DESCRIPTION_WIDTH = 80


def display_width(text: str) -> int:
    """Character cells `text` takes in Excel's default font: East Asian wide and full-width count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def spreadsheet_frame(df):
    """The frame as spreadsheet cells: every text column through etl.textsafety.spreadsheet_cell
    (control characters dropped; a cell starting with = + - @ tab, ＝＋－＠ gets a leading ') so
    that no cell from a PDF or a manifest is a formula in Excel. Numbers stay numbers."""
    import polars as pl

    from etl.textsafety import spreadsheet_cell

    return df.with_columns(pl.col(c).map_elements(spreadsheet_cell, return_dtype=pl.String, skip_nulls=True)
                           for c, dtype in df.schema.items() if dtype == pl.String)


def sheet_frame(df, table, lang: str):
    """The frame as CSV/xlsx show it: in zh, category values and booleans as their Chinese labels and
    the headers as the Chinese variable labels; in en, values as stored and headers the variable names.
    Text cells made safe (spreadsheet_frame)."""
    import polars as pl

    from etl.analysis.export_schema import cell_labels, header

    exprs = []
    for c in table.columns:
        labels = cell_labels(c, lang)
        s = pl.col(c.name)
        if labels is not None and df.schema[c.name] == pl.Boolean:
            s = pl.when(s).then(pl.lit(labels[True])).when(~s).then(pl.lit(labels[False]))
        elif labels is not None:   # every value has a label: export.check_values ran on the rows
            s = s.replace_strict(labels, default=None, return_dtype=pl.String)
        exprs.append(s.alias(header(c, lang)))
    return spreadsheet_frame(df.select(exprs))


def _shown(value, fmt: str | None) -> str:
    if value is None:
        return ""
    if fmt == "#,##0.00":
        return f"{float(value):,.2f}"
    if fmt in ("0.00", "0.00##"):
        return f"{float(value):.2f}"
    return str(value)


def column_widths(frame, formats: list[str | None]) -> list[int]:
    """Per column, the width that shows its header and its (first WIDTH_SAMPLE) values, CJK counted double."""
    head = frame.head(WIDTH_SAMPLE)
    widths = []
    for name, fmt in zip(frame.columns, formats, strict=True):
        longest = max((display_width(_shown(v, fmt)) for v in head[name].to_list()), default=0)
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, min(display_width(name), HEADER_WIDTH), longest) + 2))
    return widths


def header_lines(names: list[str], widths: list[int]) -> int:
    """Lines the wrapped header row needs: its widest header over its column's width."""
    return max((-(-display_width(n) // max(w - 1, 1)) for n, w in zip(names, widths, strict=True)), default=1)


def _write_sheet(wb, name: str, frame, formats: list[str | None], widths: list[int], *, wrap: int | None = None):
    """One worksheet: a bold header row, frozen, with an autofilter; numbers in their formats."""
    sheet = wb.add_worksheet(name)
    bold = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#EAF1FB", "text_wrap": True, "valign": "top"})
    cache: dict[str | None, object] = {}
    for j, (fmt, width) in enumerate(zip(formats, widths, strict=True)):
        if j == wrap:
            cell = wb.add_format({"text_wrap": True, "valign": "top"})
        else:
            cell = cache.setdefault(fmt, wb.add_format({"num_format": fmt}) if fmt else None)
        sheet.set_column(j, j, width, cell)
    sheet.set_row(0, LINE_HEIGHT * header_lines(frame.columns, widths))
    sheet.write_row(0, 0, frame.columns, bold)
    for i, row in enumerate(frame.iter_rows(), 1):
        sheet.write_row(i, 0, row)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(frame.height, 1), len(frame.columns) - 1)
    return sheet


def write_xlsx(df, table, path: Path, lang: str) -> None:
    """Sheet <table> (continued on <table>_2 … past Excel's row limit) and sheet codebook."""
    import polars as pl
    import xlsxwriter

    from etl.analysis.export_schema import number_format

    frame = sheet_frame(df, table, lang)
    # Decimal amounts as doubles: a spreadsheet cell is a double anyway, and xlsxwriter writes floats fast
    frame = frame.with_columns(pl.col(n).cast(pl.Float64) for n, t in frame.schema.items() if t == pl.Decimal)
    formats = [number_format(c) for c in table.columns]
    widths = column_widths(frame, formats)
    per_sheet = EXCEL_MAX_ROWS - 1
    # xlsxwriter's write() would store a text starting with = as a formula and one starting with
    # http:// as a link: with these options every text is a string cell.
    with xlsxwriter.Workbook(path, XLSX_OPTIONS) as wb:
        for n, start in enumerate(range(0, max(frame.height, 1), per_sheet), 1):
            name = table.name if n == 1 else f"{table.name}_{n}"
            _write_sheet(wb, name, frame.slice(start, per_sheet), formats, widths)
        cb = codebook_frame({table.name: table}, lang).drop(codebook_frame_table_column(lang))
        cb_formats = [None] * cb.width
        wrap = cb.columns.index(codebook_description_column(lang))
        cb_widths = column_widths(cb, cb_formats)
        cb_widths[wrap] = DESCRIPTION_WIDTH
        _write_sheet(wb, "codebook", spreadsheet_frame(cb), cb_formats, cb_widths, wrap=wrap)


# -- the codebook as a table ----------------------------------------------------------------------

def codebook_frame(tables: dict, lang: str):
    """The codebook rows (export_schema.codebook_rows) with their field names in lang."""
    import polars as pl

    from etl.analysis.export_schema import CODEBOOK_FIELDS, codebook_rows

    schema = {f: pl.String for f in CODEBOOK_FIELDS} | {"position": pl.Int64}
    df = pl.DataFrame(codebook_rows(tables, lang), schema=schema, orient="row")
    df = df.select(CODEBOOK_FIELDS)
    if lang == "zh":   # the Chinese label first: what a zh reader looks for; the variable name beside it
        df = df.select("table", "position", "label", "column", "type", "stata_type", "values", "description")
    return df.rename(codebook_names(lang))


def codebook_names(lang: str) -> dict[str, str]:
    from etl.analysis.export_schema import CODEBOOK_FIELDS, CODEBOOK_FIELDS_ZH

    return dict(CODEBOOK_FIELDS_ZH) if lang == "zh" else {f: f for f in CODEBOOK_FIELDS}


def codebook_frame_table_column(lang: str) -> str:
    return codebook_names(lang)["table"]


def codebook_description_column(lang: str) -> str:
    return codebook_names(lang)["description"]
