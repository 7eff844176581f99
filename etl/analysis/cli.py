"""`juesuan sql`: query the Parquet output with DuckDB, every table and analytical view defined.

    juesuan sql --query "SELECT * FROM department_year_metrics LIMIT 5"
    juesuan sql --query "..." --format csv > out.csv
    juesuan sql --all-quality --sangong-basis parts --query "..."   # the two switches of the views
    juesuan sql                      # interactive: one statement per line (or ending in ';'),
                                     # .views lists the views, .quit leaves

The table format is for a terminal: no control character of the data reaches it. CSV and JSON are
data for other programs and carry the values as stored (JSON escapes control characters itself).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import Decimal

EXIT_ERROR = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="Parquet directory (default: $JUESUAN_PARQUET or data/parquet)")
    parser.add_argument("--query", "-q", metavar="SQL", help="run this SQL and exit (else: interactive)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="output format (default: table)")
    parser.add_argument("--max-rows", type=int, default=200, help="rows shown in table format (default 200)")
    parser.add_argument("--all-quality", action="store_true",
                        help="include every figure, also those a failed check puts in doubt (default: left empty)")
    parser.add_argument("--sangong-basis", choices=("printed", "parts"), default=None,
                        help="三公 total the views use: the printed 合计 (default) or 出国 + 用车 + 接待")


def _json_default(o):
    if isinstance(o, Decimal):
        return str(o)  # exact: amounts are DECIMAL
    return str(o)


def emit(con, sql: str, fmt: str, out=None, max_rows: int = 200) -> None:
    out = out or sys.stdout
    rel = con.sql(sql)
    if rel is None:  # a statement without a result (SET, CREATE …)
        return
    if fmt == "table":   # for a person: DuckDB shows \n and ESC escaped; terminal_lines catches the rest
        from etl.textsafety import terminal_lines

        out.write(terminal_lines(rel.__str__() if max_rows is None else _table(rel, max_rows)))
        return
    cols = rel.columns
    rows = rel.fetchall()
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)
    else:
        json.dump([dict(zip(cols, r, strict=True)) for r in rows], out, ensure_ascii=False,
                  default=_json_default, indent=1)
        out.write("\n")


def _table(rel, max_rows: int) -> str:
    import io
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        rel.show(max_rows=max_rows, max_width=10_000)
    return buf.getvalue()


def run(args: argparse.Namespace) -> int:
    import duckdb

    from etl.analysis import analytical_views, connect

    try:
        con = connect(args.parquet, quality="all" if args.all_quality else None,
                      sangong_basis=args.sangong_basis)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"juesuan sql: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.query:
        try:
            emit(con, args.query, args.format, max_rows=args.max_rows)
        except duckdb.Error as exc:
            print(f"juesuan sql: {exc}", file=sys.stderr)
            return EXIT_ERROR
        return 0
    return _repl(con, args, analytical_views())


def _repl(con, args, views: list[str]) -> int:
    import duckdb

    interactive = sys.stdin.isatty()
    if interactive:
        print("juesuan sql — DuckDB over the Parquet output. .views lists views, .quit leaves.")
    buf: list[str] = []
    while True:
        try:
            line = input("juesuan> " if not buf else "     ...> ") if interactive else sys.stdin.readline()
        except EOFError:
            break
        if not interactive and line == "":
            break
        line = line.rstrip("\n")
        stripped = line.strip()
        if not buf and stripped in (".quit", ".exit", "\\q"):
            break
        if not buf and stripped == ".views":
            print("\n".join(views))
            continue
        if not stripped and not buf:
            continue
        buf.append(line)
        text = "\n".join(buf).strip()
        # a statement ends at ';' or, on a single line, at the line's end
        if not text.endswith(";") and interactive and len(buf) > 1:
            continue
        if not text.endswith(";") and not interactive:
            continue
        buf = []
        try:
            emit(con, text.rstrip(";"), args.format, max_rows=args.max_rows)
        except duckdb.Error as exc:
            print(f"error: {exc}", file=sys.stderr)
    if buf:  # a trailing statement without ';'
        try:
            emit(con, "\n".join(buf).rstrip(";"), args.format, max_rows=args.max_rows)
        except duckdb.Error as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERROR
    return 0
