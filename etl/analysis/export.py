"""`juesuan export`: the files a researcher works from — department_years and the long tables.

    juesuan export [--parquet DIR] [--out exports/] [--format csv,xlsx,dta,parquet]
                   [--lang zh|en] [--all-quality] [--sangong-basis printed|parts]

Writes, into --out, for each table of etl/analysis/export_schema.py (department_years: one row per
department-year, from the view department_years_export; the long tables summary_items,
function_expenditure, economic_expenditure, sangong, budget_execution, cost_totals, related_costs,
item_yoy, prior_year_statements, counts and checks: the rows of each department-year's chosen
version, with region, department, department_id, year and the PDF's file name in front; the
tables computed by views (DERIVED_SQL): budget_credibility per department-year,
budget_credibility_region per region-year, prior_year_restatements), one file per format:

  <table>.csv      UTF-8 with BOM (Excel opens it as UTF-8), amounts with 2 decimals; --lang zh (the
                   default): headers are the Chinese variable labels and category values their
                   Chinese labels (是/否, 年初预算 …); --lang en: variable names and values as stored
                   (true/false, initial …); text cells made safe for spreadsheets
                   (etl.textsafety.spreadsheet_cell: a leading ' before = + - @, no control
                   characters; also in xlsx);
  <table>.xlsx     the same cells on sheet <table> (<table>_2 … past Excel's row limit; bold frozen
                   header, autofilter, fitted widths, number formats: etl.analysis.export_sheet)
                   and sheet codebook (the table's columns, labels and value labels);
  <table>.dta      Stata 14+ (format 118, UTF-8): ASCII variable names, Chinese variable labels,
                   categorical columns coded 1, 2, … with Chinese value labels, booleans 0/1
                   (否/是), amounts double; department_years.do beside it (encode, xtset, labels:
                   etl.analysis.export_stata);
  <table>.parquet  the declared arrow types and names, values as stored: amounts DECIMAL(18,2) exactly;

plus codebook.md and codebook.csv, generated from the declarations, and run_record.json (juesuan and
parser versions, inputs with sha256, snapshot, time, options: etl.analysis.export_record; also a
section of codebook.md). Nothing is written when there is nothing to export: no Parquet yet, no
documents, or no department-year (also when the quality gate left every one out: the message says
how many and that --all-quality includes them); the command then exits 1. Only department-years that
pass the quality gate are written (status not failed and some figure group not graded fail; the
figures, and long-table rows, of a group graded fail are left empty/out; --all-quality: all), and the 三公 basis of the
sangong_used_* columns follows --sangong-basis (both default to $JUESUAN_QUALITY /
$JUESUAN_SANGONG_BASIS, else the documented defaults; see etl.analysis.connect). A view whose
columns differ from the declaration stops the export (exit 1) before anything is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
from pathlib import Path

from etl.analysis.export_record import RECORD_FILE
from etl.analysis.export_sheet import EXCEL_MAX_ROWS, XLSX_OPTIONS, spreadsheet_frame  # noqa: F401 (API)

FORMATS = ("csv", "xlsx", "dta", "parquet")
LANGS = ("zh", "en")
DEFAULT_OUT = "exports"
EXIT_ERROR = 1
EXIT_USAGE = 2

#: Reasons listed per quality grade in the closing summary.
SUMMARY_REASONS = 10

#: Per long table, the order of its rows inside a department-year (after region, department_id, year).
ROW_ORDER = {
    "summary_items": "t.page, t.side DESC, t.item, t.label",
    "function_expenditure": "t.table_key, t.row_order, t.page",
    "economic_expenditure": "t.page, t.code",
    "sangong": "list_position(['total', 'overseas', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', "
               "'reception'], t.item)",
    "budget_execution": ("t.page, list_position(['gpb_total', 'item', 'sangong_total', 'sangong_item'], t.scope), "
                         "t.path"),
    "cost_totals": "t.page",
    "related_costs": "t.page, t.fund, list_position(['meeting', 'training', 'admin_operation', 'total', 'overseas', "
                     "'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception'], t.item)",
    "item_yoy": "t.page, list_position(['total', 'item'], t.scope), t.path",
    "prior_year_statements": ("t.page, list_position(['grand_total', 'income_total', 'expenditure_total', "
                              "'fiscal_total', 'gpb_total', 'sangong_total', 'sangong_item', 'admin_operation', "
                              "'item'], t.scope), t.path"),
    "counts": "t.page, t.kind, t.scope NULLS FIRST",
    "checks": "t.check_id",
}

#: The export tables computed from a view rather than read from a long table: name -> SELECT.
DERIVED_SQL = {
    "budget_credibility": "SELECT * FROM budget_credibility_export ORDER BY region, department_id, year, source_file",
    # n on every aggregate: departments (the balanced set) and, per three-year score, the years with a band
    "budget_credibility_region": """
        SELECT r.region, r.year, r.departments, r.first_year AS balanced_first_year,
               r.last_year AS balanced_last_year, CAST(r.initial_budget AS DECIMAL(18, 2)) AS initial_budget,
               CAST(r.actual AS DECIMAL(18, 2)) AS actual, r.pi1_outturn_pct, r.pi1_band, r.pi1_score_3y,
               count(r.pi1_band) OVER w AS pi1_years,
               r.pi2_lines, r.pi2_variance_pct, r.pi2_band, r.pi2_score_3y, count(r.pi2_band) OVER w AS pi2_years
        FROM budget_credibility_region AS r
        WINDOW w AS (PARTITION BY r.region ORDER BY r.year RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)
        ORDER BY r.region, r.year
    """,
    # behind the quality gate: both reports compared belong to department-years the export writes
    "prior_year_restatements": """
        SELECT r.region, r.department, r.department_id, r.year, file_name(d.source_file) AS source_file,
               r.prior_year, file_name(pd.source_file) AS prior_source_file, r.scope, r.path, r.code,
               r.stated_prior, r.implied_from, r.prior_low, r.prior_high, r.reported_prior, r.reported_from,
               r.difference, r.within_rounding, r.restated, r.sentence, r.page, r.doc_id, r.prior_doc_id
        FROM prior_year_restatements AS r
        JOIN documents AS d ON d.doc_id = r.doc_id
        JOIN documents AS pd ON pd.doc_id = r.prior_doc_id
        WHERE r.doc_id IN (SELECT u.doc_id FROM department_year_documents AS u
                           JOIN department_year_metrics USING (dy_key))
          AND r.prior_doc_id IN (SELECT u.doc_id FROM department_year_documents AS u
                                 JOIN department_year_metrics USING (dy_key))
        ORDER BY r.region, r.department_id, r.year, r.scope, r.path, r.page
    """,
}


class ExportSchemaError(RuntimeError):
    """A view or a value does not match the declared export schema."""


class NothingToExport(RuntimeError):
    """No Parquet, no document or no department-year to export: nothing is written."""


@dataclasses.dataclass
class ExportResult:
    out_dir: Path
    formats: tuple[str, ...]
    quality: str
    sangong_basis: str
    lang: str = "zh"
    balanced: str | None = None   # the balanced-panel span flagged, 'first-last'
    rows: dict[str, int] = dataclasses.field(default_factory=dict)
    files: list[Path] = dataclasses.field(default_factory=list)
    gate: list[dict] = dataclasses.field(default_factory=list)
    dropped: list[dict] = dataclasses.field(default_factory=list)

    @property
    def left_out(self) -> list[dict]:
        """Per quality grade, the department-years left out whole (department_years = how many)."""
        return [{**g, "department_years": g["department_years_left_out"]} for g in self.gate
                if g["department_years_left_out"]]


# -- command line ---------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="Parquet directory (default: $JUESUAN_PARQUET or data/parquet)")
    parser.add_argument("--out", metavar="DIR", default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT}/)")
    parser.add_argument("--format", metavar="LIST", default=",".join(FORMATS),
                        help=f"comma-separated formats among {', '.join(FORMATS)} (default: all four)")
    parser.add_argument("--all-quality", action="store_true",
                        help="include every department-year and every figure (default: the figures a "
                             "contradicting check puts in doubt are left empty)")
    parser.add_argument("--sangong-basis", choices=("printed", "parts"), default=None,
                        help="三公 figure of the sangong_used_* columns: the printed 合计 (default) or the sum "
                             "of the parts")
    parser.add_argument("--balanced", metavar="FIRST-LAST", default=None,
                        help="flag the balanced panel of this span in department_years (in_balanced_panel: the "
                             "department has an exported year in every year of it), e.g. 2019-2022")
    parser.add_argument("--lang", choices=LANGS, default="zh",
                        help="CSV/xlsx headers, category values and codebook: zh = Chinese labels (default), "
                             "en = variable names and values as stored (.dta and .parquet are the same either way)")


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise ValueError(f"unknown format(s) {', '.join(bad) or '(none given)'}: choose among {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in chosen)


def parse_span(text: str) -> tuple[int, int]:
    """'2019-2022' (also 2019–2022, 2019:2022, or one year) -> (2019, 2022); ValueError otherwise."""
    import re

    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~:]\s*(\d{4}))?\s*", text or "")
    if not m:
        raise ValueError(f"--balanced {text!r}: give a span of years such as 2019-2022")
    first, last = int(m[1]), int(m[2] or m[1])
    if first > last:
        raise ValueError(f"--balanced {text!r}: the first year comes after the last")
    return first, last


def run(args: argparse.Namespace) -> int:
    import duckdb

    from etl.textsafety import terminal_lines, terminal_text

    try:
        formats = parse_formats(args.format)
    except ValueError as exc:
        print(f"juesuan export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        balanced = parse_span(args.balanced) if args.balanced else None
    except ValueError as exc:
        print(f"juesuan export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = export(args.parquet, args.out, formats, quality="all" if args.all_quality else None,
                        sangong_basis=args.sangong_basis, lang=args.lang, balanced=balanced)
    except NothingToExport as exc:  # no Parquet, no document, nothing left: wrong input, as etl and audit say it
        print(f"juesuan export: {terminal_text(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except (FileNotFoundError, RuntimeError, ValueError, OSError, duckdb.Error) as exc:
        print(f"juesuan export: {terminal_text(exc)}", file=sys.stderr)   # paths and reasons: no escapes
        return EXIT_ERROR
    print(terminal_lines(summary(result)))
    return 0


def summary(result: ExportResult) -> str:
    gate = ("every department-year (--all-quality)" if result.quality == "all"
            else "figures in doubt left empty (default; --all-quality includes every figure)")
    basis = {"printed": "printed 合计", "parts": "sum of the parts"}.get(result.sangong_basis, result.sangong_basis)
    lang = "Chinese labels (--lang en: variable names)" if result.lang == "zh" else "variable names (--lang en)"
    lines = [f"exported to {result.out_dir}/ ({', '.join(result.formats)}) · quality gate: {gate} · "
             f"三公 basis: {basis} · CSV/xlsx headers and values: {lang}"]
    width = max(len(t) for t in result.rows)
    lines += [f"  {t:<{width}}  {n:>9,} rows" for t, n in result.rows.items()]
    left = result.left_out
    total = sum(g["department_years"] for g in left)
    if total:
        lines.append(f"left out by the quality gate: {total} department-year(s)")
        for g in left:
            lines.append(f"  {g['quality']} ({g['quality_label']}): {g['department_years']}, because:")
            reasons = list(g["reasons"] or [])
            lines += [f"    - {r}" for r in reasons[:SUMMARY_REASONS]]
            if len(reasons) > SUMMARY_REASONS:
                lines.append(f"    … {len(reasons) - SUMMARY_REASONS} more reasons: see the view quality_gate")
    else:
        lines.append("left out by the quality gate: none")
    if result.dropped:
        lines.append("figures left empty (a contradicting check puts them in doubt; see quality_gate_figures): "
                     + ", ".join(f"{g['figure_group']} in {g['figures_dropped']}" for g in result.dropped))
    lines.append(f"codebook: {result.out_dir / 'codebook.md'}, {result.out_dir / 'codebook.csv'}; run record: "
                 f"{result.out_dir / RECORD_FILE}")
    if result.balanced:
        lines.append(f"balanced panel {result.balanced}: department_years.in_balanced_panel marks the department-years "
                     "of departments exported in every year of it")
    if "dta" in result.formats:
        lines.append(f"Stata: do {result.out_dir / 'department_years.do'} (encode, xtset, labels)")
    return "\n".join(lines)


# -- the export -----------------------------------------------------------------------------------

def export(parquet_dir: str | os.PathLike | None = None, out_dir: str | os.PathLike = DEFAULT_OUT,
           formats: tuple[str, ...] | list[str] = FORMATS, *, quality: str | None = None,
           sangong_basis: str | None = None, lang: str = "zh",
           balanced: tuple[int, int] | None = None) -> ExportResult:
    """Write the export tables in `formats`, the codebook, the run record (and, with dta, the
    do-file) into out_dir; return what was written.

    Every table is read and checked against its declaration before the first file is written;
    NothingToExport (nothing written) when there is no document or no department-year.
    """
    from etl.analysis import connect, default_parquet_dir, set_options
    from etl.analysis.export_record import run_record
    from etl.analysis.export_schema import export_tables, stata_problems

    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    formats = tuple(f for f in FORMATS if f in formats)
    tables = export_tables()
    if "dta" in formats:
        problems = [p for t in tables.values() for p in stata_problems(t)]
        if problems:
            raise ExportSchemaError("cannot write Stata files: " + "; ".join(problems))
    source = Path(parquet_dir) if parquet_dir is not None else default_parquet_dir()
    if not source.is_dir():
        raise NothingToExport(f"Parquet directory not found: {source}. Run `juesuan etl RAW_DIR --out {source}` "
                              "first (or give --parquet DIR)")
    con = connect(source, quality=quality, sangong_basis=sangong_basis)
    if balanced is not None:
        set_options(con, balanced=balanced)
        result_balanced = f"{balanced[0]}-{balanced[1]}"
    else:
        result_balanced = None
    q, basis = con.execute("SELECT getvariable('juesuan_quality'), getvariable('juesuan_sangong_basis')").fetchone()
    out = Path(out_dir)
    result = ExportResult(out, formats, q or "default", basis or "printed", lang, result_balanced)
    data = {}
    for name, table in tables.items():
        sql = table_sql(con, name, table)
        check_columns(con, sql, table)
        data[name] = read_table(con, sql, table)
        check_values(data[name], table)
        result.rows[name] = data[name].num_rows
    result.gate = quality_gate(con)
    result.dropped = figures_dropped(con)
    check_not_empty(con, source, result)
    exported_at = dt.datetime.now(dt.UTC)
    options = {"formats": ",".join(formats), "lang": lang, "quality": result.quality,
               "all_quality": result.quality == "all", "sangong_basis": result.sangong_basis,
               "balanced": result.balanced}
    record = run_record(con, source, options, result.rows, exported_at)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        result.files += write_table(data[name], table, out, formats, lang)
    if "dta" in formats:
        result.files.append(write_do_file(out, tables["department_years"], record))
    result.files += write_codebook(out, tables, result, source, record)
    return result


def check_not_empty(con, source: Path, result: ExportResult) -> None:
    """Raise NothingToExport when no document, or no department-year, would be exported: the message
    says why (no ETL yet; the quality gate left them all out, and how to include them)."""
    documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    if not documents:
        raise NothingToExport(f"no documents in {source}: run `juesuan etl RAW_DIR --out {source}` first; "
                              "nothing written")
    if result.rows["department_years"]:
        return
    left = result.left_out
    total = sum(g["department_years"] for g in left)
    if total:
        why = "; ".join(f"{g['quality']} ({g['quality_label']}): {g['department_years']}" for g in left)
        raise NothingToExport(f"0 department-years to export: the quality gate left out all {total} ({why}); "
                              "`juesuan export --all-quality` includes them (their figures in doubt kept, "
                              "marked in quality and quality_reason); nothing written")
    raise NothingToExport(f"0 department-years to export: none of the {documents} document(s) in {source} is "
                          "a department's final accounts (部门决算) with figures; nothing written")


#: The figure group (department_year_metrics.<group>_quality) of each long table's rows: the rows of a
#: group graded fail are left out, as department_year_metrics leaves its figures empty (checks: all kept).
LONG_TABLE_QUALITY = {
    "sangong": "m.sangong_quality",
    "cost_totals": "m.cost_quality",
    "summary_items": "m.totals_quality",
    "budget_execution": ("CASE WHEN t.scope = 'gpb_total' THEN m.gpb_quality "
                         "WHEN t.scope IN ('sangong_total', 'sangong_item') THEN m.sangong_quality "
                         "ELSE m.items_quality END"),
    "function_expenditure": ("CASE WHEN t.level = 'total' AND t.table_key = 'gpb_expenditure' THEN m.gpb_quality "
                             "WHEN t.level = 'total' THEN m.totals_quality ELSE m.items_quality END"),
    "economic_expenditure": "m.items_quality",
    "related_costs": "m.sangong_quality",
}


def table_sql(con, name: str, table) -> str:
    """The SELECT that yields export table `name` (department_years or a long table)."""
    if name == "department_years":
        return "SELECT * FROM department_years_export ORDER BY region, department_id, year, doc_id"
    if name in DERIVED_SQL:
        return DERIVED_SQL[name]
    from etl.analysis.export_schema import KEY_COLUMNS, LONG_COMPUTED

    computed = {c.name: f"{expr} AS {c.name}" for c, expr in LONG_COMPUTED.get(name, ())}
    own = ", ".join(computed.get(c.name, f"t.{c.name}") for c in table.columns[len(KEY_COLUMNS):])
    views = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL "
                                       "SELECT view_name FROM duckdb_views()").fetchall()}
    if f"cur_{name}" in views:
        source = f"cur_{name}"
    elif name == "checks":
        source = "(SELECT u.dy_key, c.* FROM checks AS c JOIN department_year_documents AS u USING (doc_id))"
    else:
        raise ExportSchemaError(f"no view cur_{name} to export {name} from")
    return f"""
        SELECT m.region, m.department, m.department_id, m.year,
               regexp_extract(d.source_file, '[^/]+$') AS source_file,
               {own}
        FROM {source} AS t
        JOIN department_year_metrics AS m ON m.dy_key = t.dy_key
        JOIN documents AS d ON d.doc_id = t.doc_id
        WHERE figure_included({LONG_TABLE_QUALITY.get(name, "NULL")})
        ORDER BY m.region, m.department_id, m.year, source_file, t.doc_id, {ROW_ORDER[name]}
    """


def check_columns(con, sql: str, table) -> None:
    """Raise ExportSchemaError unless `sql` yields exactly the declared columns, in order, with their types."""
    from etl.analysis import _duck_type

    got = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {sql}").fetchall()]
    want = [(c.name, _duck_type(c.type)) for c in table.columns]
    if got == want:
        return
    got_names, want_names = [g[0] for g in got], [w[0] for w in want]
    problems = []
    if missing := [n for n in want_names if n not in got_names]:
        problems.append("missing: " + ", ".join(missing))
    if extra := [n for n in got_names if n not in want_names]:
        problems.append("not declared: " + ", ".join(extra))
    if not missing and not extra and got_names != want_names:
        problems.append("order differs: " + ", ".join(got_names))
    types = dict(got)
    problems += [f"{n} is {types[n]}, declared {t}" for n, t in want if n in types and types[n] != t]
    raise ExportSchemaError(f"export table {table.name}: the columns differ from etl/analysis/export_schema.py — "
                            + "; ".join(problems))


def read_table(con, sql: str, table):
    """The rows as an arrow table with the declared arrow types."""
    from etl.analysis.export_schema import arrow_schema

    arrow = con.sql(sql).to_arrow_table()
    return arrow.cast(arrow_schema(table))


def check_values(arrow, table) -> None:
    """Raise ExportSchemaError when a categorical column holds a value its declaration does not label."""
    for c in table.columns:
        if c.values:
            unknown = sorted(set(arrow.column(c.name).unique().drop_null().to_pylist()) - set(c.codes))
            if unknown:
                raise ExportSchemaError(f"{table.name}.{c.name}: values {unknown} are not declared in "
                                        "etl/analysis/export_schema.py (no label, no Stata code for them)")


def quality_gate(con) -> list[dict]:
    rel = con.sql("SELECT quality, quality_label, department_years, included, reasons, department_years_left_out "
                  "FROM quality_gate")
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


def figures_dropped(con) -> list[dict]:
    """Per figure group, how many department-years enter with that group's figures left empty (view
    quality_gate_figures, contradictions only)."""
    rel = con.sql("SELECT figure_group, figures_dropped FROM quality_gate_figures "
                  "WHERE kind = 'contradiction' AND figures_dropped > 0")
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


# -- writers --------------------------------------------------------------------------------------

def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.stem}.tmp{path.suffix}")


def _commit(tmp: Path, path: Path) -> Path:
    os.replace(tmp, path)
    return path


def write_table(arrow, table, out: Path, formats: tuple[str, ...], lang: str = "zh") -> list[Path]:
    import polars as pl

    from etl.analysis.export_sheet import write_xlsx

    df = pl.from_arrow(arrow)
    written = []
    for fmt in formats:
        path = out / f"{table.name}.{fmt}"
        tmp = _tmp(path)
        if fmt == "parquet":
            write_parquet(arrow, table, tmp)
        elif fmt == "dta":
            write_dta(df, table, tmp)
        else:
            {"csv": write_csv, "xlsx": write_xlsx}[fmt](df, table, tmp, lang)
        written.append(_commit(tmp, path))
    return written


def write_parquet(arrow, table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(arrow, path)


def write_csv(df, table, path: Path, lang: str = "zh") -> None:
    """UTF-8 with BOM; DECIMAL amounts keep their 2 decimals; NULL is an empty cell, '' is "";
    headers, category values and text cells as export_sheet.sheet_frame makes them in `lang`."""
    from etl.analysis.export_sheet import sheet_frame

    frame = spreadsheet_frame(df) if table is None else sheet_frame(df, table, lang)   # None: cells as stored
    frame.write_csv(path, include_bom=True)


def stata_frame(df, table):
    """The frame as written to .dta: categorical strings coded 1, 2, …, booleans 0/1, amounts double,
    NULL strings '' (Stata has no missing string), text without control characters."""
    import polars as pl
    import pyarrow as pa

    from etl.textsafety import strip_controls

    exprs = []
    for c in table.columns:
        s = pl.col(c.name)
        if c.values:
            check_values(df.select(c.name).to_arrow(), dataclasses.replace(table, columns=(c,)))
            exprs.append(s.replace_strict(c.codes, default=None, return_dtype=pl.Int8))
        elif pa.types.is_boolean(c.type):
            exprs.append(s.cast(pl.Int8))
        elif pa.types.is_decimal(c.type):
            exprs.append(s.cast(pl.Float64))
        elif pa.types.is_string(c.type):   # no control character (a NUL would end the text in Stata)
            exprs.append(s.map_elements(strip_controls, return_dtype=pl.String, skip_nulls=True).fill_null(""))
        else:
            exprs.append(s)
    return df.select(exprs)


def write_dta(df, table, path: Path) -> None:
    import pyarrow as pa
    import pyreadstat

    value_labels = {c.name: c.value_labels for c in table.columns if c.value_labels}
    formats = {c.name: "%15.2fc" for c in table.columns if pa.types.is_decimal(c.type)}
    pyreadstat.write_dta(stata_frame(df, table), str(path), file_label=f"juesuan 部门决算 {table.name}"[:80],
                         column_labels={c.name: c.label for c in table.columns},
                         variable_value_labels=value_labels, variable_format=formats, version=14)


def write_do_file(out: Path, table, record: dict) -> Path:
    """department_years.do beside department_years.dta (UTF-8, as Stata 14+ reads do-files)."""
    from etl.analysis.export_stata import do_file

    path = out / f"{table.name}.do"
    tmp = _tmp(path)
    tmp.write_text(do_file(table, version=record["juesuan_version"], exported_at=record["exported_at"]),
                   encoding="utf-8", newline="\n")
    return _commit(tmp, path)


def write_codebook(out: Path, tables: dict, result: ExportResult, parquet_dir, record: dict) -> list[Path]:
    """codebook.csv (field names in result.lang), codebook.md (with the run record), run_record.json."""
    from etl.analysis.export_record import RECORD_FILE
    from etl.analysis.export_sheet import codebook_frame

    csv_path, md_path, record_path = out / "codebook.csv", out / "codebook.md", out / RECORD_FILE
    tmp = _tmp(csv_path)
    codebook_frame(tables, result.lang).write_csv(tmp, include_bom=True)
    _commit(tmp, csv_path)
    tmp = _tmp(md_path)
    tmp.write_text(codebook_markdown(tables, result, parquet_dir, record), encoding="utf-8")
    _commit(tmp, md_path)
    tmp = _tmp(record_path)
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _commit(tmp, record_path)
    return [md_path, csv_path, record_path]


def codebook_markdown(tables: dict, result: ExportResult, parquet_dir, record: dict | None = None) -> str:
    from etl import __version__
    from etl.analysis import default_parquet_dir
    from etl.analysis.export_schema import columns_markdown

    source = Path(parquet_dir) if parquet_dir is not None else default_parquet_dir()
    gate = ("every department-year (--all-quality)" if result.quality == "all"
            else "quality clean and warn (the default)")
    left = sum(g["department_years"] for g in result.left_out)
    left_text = "; ".join(f"{g['quality']} {g['quality_label']}: {g['department_years']}" for g in result.left_out)
    basis = {"printed": "printed (the printed 合计)", "parts": "parts (出国 + 用车 + 接待)"}.get(
        result.sangong_basis, result.sangong_basis)
    lines = [
        "# juesuan export: codebook",
        "",
        f"Generated by `juesuan export` (juesuan {__version__}) from the declared export schema "
        "(`etl/analysis/export_schema.py`); see docs/export.md.",
        "",
        f"- Source: `{source}`",
        f"- Quality gate: {gate}; department-years left out: {left}" + (f" ({left_text})" if left else ""),
        f"- 三公 basis of sangong_used_*: {basis}",
        f"- Formats: {', '.join(result.formats)}",
        f"- CSV/xlsx: {LANG_TEXT[result.lang]}",
        "",
        "| table | rows | files |",
        "|---|---|---|",
    ]
    for name in tables:
        files = ", ".join(f"`{name}.{fmt}`" for fmt in result.formats)
        lines.append(f"| `{name}` | {result.rows.get(name, 0)} | {files} |")
    lines += [
        "",
        "Amounts are in 万元: DECIMAL(18,2) in Parquet, 2 decimals in CSV, double in .dta and xlsx. CSV files "
        "are UTF-8 with a byte-order mark; an empty cell is a missing value. In .dta files a categorical "
        "column holds the codes listed under values, labelled in Chinese; booleans are 0/1 (否/是); a "
        "missing text is an empty string.",
        "",
        "Text comes from PDFs and manifests, so CSV and xlsx cells are made safe for spreadsheets: a text "
        "cell starting with a formula character (= + - @, a tab, or full-width ＝＋－＠) carries a leading "
        "`'` (e.g. `'=HYPERLINK(…)`, `'-2+3`), so Excel shows it as text; xlsx cells are never formulas or "
        "links. Control characters (NUL, escape sequences) are removed from text cells in CSV, xlsx and "
        ".dta. Numeric columns are unchanged (-2.5 stays a number). Parquet carries the text as read.",
        "",
        "## Columns",
        "",
        columns_markdown(tables, result.lang),
    ]
    if record is not None:
        from etl.analysis.export_record import record_markdown

        lines += [record_markdown(record)]
    return "\n".join(lines)


LANG_TEXT = {
    "zh": "--lang zh (default): headers are the Chinese labels (标签 below), category values and booleans their "
          "Chinese labels (是/否 …); the variable names are the column names of .dta and .parquet",
    "en": "--lang en: headers are the variable names, values as stored (true/false, clean/warn/fail …)",
}
