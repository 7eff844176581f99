"""DuckDB analysis layer over the ETL's Parquet output.

    from etl.analysis import connect
    con = connect("data/parquet")
    con.sql("SELECT * FROM department_year_metrics LIMIT 5").show()

`connect` resolves the output's current snapshot once (etl.layout: `CURRENT`, else the `current`
symlink; a folder not written as snapshots is read as it is) and registers every table of
`etl.schema.TABLES` as a view over that snapshot's `<table>.parquet` (or a folder `<table>/` of
Parquet files, hive partitions allowed), by absolute path: the connection sees one complete build
however many runs commit meanwhile. `runs` is read from `<dir>/runs/`, beside the snapshots. A
table the directory does not hold becomes an empty view with the declared schema, and a declared
column an older output lacks reads as NULL, so the analytical views always exist. The analytical
views are defined in `etl/analysis/sql/*.sql`, one view per file, applied in file-name order
(created unbound: a view is bound when first read; `check_views` binds them all);
`docs/views.md` documents them.

Two switches change what the views compute (see sql/005_macros.sql), set at connect time or
later with `set_options`:
  quality        "default": department-years of quality clean or warn; "all": every one.
  sangong_basis  "printed": the printed 三公 合计 (default); "parts": 出国 + 用车 + 接待.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.layout import OUTSIDE_SNAPSHOT, snapshot_dir
from etl.schema import RUN_TABLES, TABLES

SQL_DIR = Path(__file__).with_name("sql")
DEFAULT_PARQUET = "data/parquet"

#: The views a researcher starts from (the benchmark times these).
HEADLINE_VIEWS = (
    "department_year_metrics",
    "quality_gate",
    "sangong_region_year",
    "sangong_region_yoy",
    "sangong_region_year_type",
    "personnel_public_ratio",
    "budget_completion_department",
    "budget_completion_item",
    "budget_completion_item_summary",
    "budget_completion_sangong",
    "department_years_export",
    "dq_document_summary",
)


#: The rename crosswalk shipped with juesuan (users add their own CSV with the same columns).
RENAMES_CSV = Path(__file__).with_name("department_renames.csv")
RENAME_COLUMNS = ("old_name", "new_name", "region", "note")
QUALITY_CHOICES = ("default", "all")
SANGONG_BASES = ("printed", "parts")

#: The peer-type taxonomy shipped with juesuan (docs/views.md; users add their own CSV, read first).
PEER_TYPES_CSV = Path(__file__).with_name("peer_types.csv")
PEER_TYPE_COLUMNS = ("pattern", "peer_type", "note")

#: The counts table's agreed columns (counts engineer's etl/schema.py declaration replaces this).
COUNTS_COLUMNS = (("doc_id", "VARCHAR"), ("kind", "VARCHAR"), ("value", "DOUBLE"), ("unit", "VARCHAR"),
                  ("scope", "VARCHAR"), ("sentence", "VARCHAR"), ("page", "INTEGER"),
                  ("ocr_confidence", "DOUBLE"))

#: sql files numbered below this (the version layer) become temp tables with materialize=True.
MATERIALIZE_BELOW = 100

#: A view's head in the sql files, where `WITH (DEFER_BINDING)` goes (see _can_defer_binding).
_VIEW_HEAD = re.compile(r"(CREATE OR REPLACE VIEW\s+\w+)\s+AS\b")


def default_parquet_dir() -> Path:
    return Path(os.environ.get("JUESUAN_PARQUET", DEFAULT_PARQUET))


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_decimal(t):
        return f"DECIMAL({t.precision},{t.scale})"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "VARCHAR"
    if pa.types.is_int32(t):
        return "INTEGER"
    if pa.types.is_int64(t):
        return "BIGINT"
    if pa.types.is_floating(t):
        return "DOUBLE"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ" if t.tz else "TIMESTAMP"
    raise TypeError(f"no DuckDB type for {t}")


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _source(parquet_dir: Path, table: str) -> str | None:
    """FROM-clause source for a table, or None when the directory holds no file for it."""
    single = parquet_dir / f"{table}.parquet"
    if single.is_file():
        return f"read_parquet({_sql_str(single.as_posix())})"
    folder = parquet_dir / table
    if folder.is_dir() and any(folder.rglob("*.parquet")):
        pattern = (folder / "**" / "*.parquet").as_posix()
        return f"read_parquet({_sql_str(pattern)}, hive_partitioning = true, union_by_name = true)"
    return None


def base_view_sql(parquet_dir: Path, table: str, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """The view over a table's Parquet; declared columns the files lack (older output) read as NULL."""
    declared = {**TABLES, **RUN_TABLES}[table].columns
    src = _source(parquet_dir, table)
    if src is None:
        cols = ", ".join(f"CAST(NULL AS {_duck_type(c.type)}) AS {c.name}" for c in declared)
        return f"CREATE OR REPLACE VIEW {table} AS SELECT {cols} WHERE false"
    present = set() if con is None else {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    missing = [c for c in declared if con is not None and c.name not in present]
    extra = "".join(f", CAST(NULL AS {_duck_type(c.type)}) AS {c.name}" for c in missing)
    return f"CREATE OR REPLACE VIEW {table} AS SELECT *{extra} FROM {src}"


def _csv_rows(path: Path, required: tuple[str, ...], what: str, columns) -> list[dict[str, str]]:
    """A user's CSV (UTF-8, a BOM allowed) as rows of stripped cells, refused when a required column is missing."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not set(required) <= set(reader.fieldnames or ()):
            raise ValueError(f"{path}: {what} needs the columns {', '.join(columns)}")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def load_renames(paths: list[Path]) -> list[tuple[str, str, str | None]]:
    """(old_name, new_name, region or None) from crosswalk CSVs, chains resolved (A→B, B→C gives A→C)."""
    rows: dict[tuple[str, str | None], str] = {}
    for path in paths:
        for row in _csv_rows(path, ("old_name", "new_name"), "a rename crosswalk", RENAME_COLUMNS):
            old, new = row["old_name"], row["new_name"]
            if old and new and old != new:
                rows[(old, row.get("region") or None)] = new
    resolved = []
    for (old, region), new in rows.items():
        seen = {old}
        while (new, region) in rows or (new, None) in rows:
            if new in seen:
                raise ValueError(f"rename crosswalk loops at {new!r}")
            seen.add(new)
            new = rows.get((new, region)) or rows[(new, None)]
        resolved.append((old, new, region))
    return resolved


def load_peer_types(paths: list[Path]) -> list[tuple[int, str, str]]:
    """(position, pattern, peer_type) from peer-type CSVs (columns pattern, peer_type, note), in
    order: the first pattern (a regular expression) matching a department's name decides its type,
    so a user's CSV, read first, overrides the shipped one."""
    import re

    rows: list[tuple[int, str, str]] = []
    for path in paths:
        for row in _csv_rows(path, ("pattern", "peer_type"), "a peer-type CSV", PEER_TYPE_COLUMNS):
            pattern, peer = row["pattern"], row["peer_type"]
            if pattern and peer:
                re.compile(pattern)   # a bad pattern fails here, naming the file, not in SQL
                rows.append((len(rows) + 1, pattern, peer))
    return rows


def _register_peer_types(con: duckdb.DuckDBPyConnection, peer_types: str | os.PathLike | None) -> None:
    extra = peer_types if peer_types is not None else os.environ.get("JUESUAN_PEER_TYPES")
    paths = [*(Path(p) for p in str(extra or "").split(os.pathsep) if p), PEER_TYPES_CSV]
    con.execute("CREATE OR REPLACE TEMP TABLE peer_type_patterns "
                "(position INTEGER, pattern VARCHAR, peer_type VARCHAR)")
    _insert_rows(con, "peer_type_patterns", load_peer_types(paths))


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Rows into a table in one statement, column by column (executemany runs one INSERT per row,
    ~20 ms for the shipped CSVs, paid by every connect())."""
    if rows:
        columns = list(zip(*rows, strict=True))
        picks = ", ".join(f"unnest(${i + 1})" for i in range(len(columns)))
        con.execute(f"INSERT INTO {table} SELECT {picks}", [list(c) for c in columns])


def _register_counts(con: duckdb.DuckDBPyConnection, snap: Path) -> None:
    """The `counts` table (issue 21 point 1) until etl/schema.py declares it: a view over
    counts.parquet when the output has one, else empty with the agreed columns, so the per-scale
    views always exist. Once declared in TABLES, the ordinary base view is used instead."""
    if "counts" in TABLES:
        return
    src = _source(snap, "counts")
    cols = ", ".join(f"CAST({'NULL' if src is None else name} AS {typ}) AS {name}" for name, typ in COUNTS_COLUMNS)
    con.execute(f"CREATE OR REPLACE VIEW counts AS SELECT {cols} "
                + ("WHERE false" if src is None else f"FROM {src}"))


def _crosswalk_paths(crosswalk: str | os.PathLike | list | None) -> list[Path]:
    extra = crosswalk if crosswalk is not None else os.environ.get("JUESUAN_CROSSWALK") or []
    if isinstance(extra, (str, os.PathLike)):
        extra = [p for p in str(extra).split(os.pathsep) if p]
    return [RENAMES_CSV, *(Path(p) for p in extra)]


def _register_renames(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE department_renames "
                "(old_name VARCHAR, new_name VARCHAR, region VARCHAR)")
    _insert_rows(con, "department_renames", load_renames(paths))


def set_options(con: duckdb.DuckDBPyConnection, *, quality: str | None = None,
                sangong_basis: str | None = None, balanced: tuple[int, int] | None = None) -> None:
    """Switch the quality gate ('default' | 'all') or the 三公 basis ('printed' | 'parts'), or choose
    the balanced-panel span (first_year, last_year) department_years_export flags."""
    if balanced is not None:
        first, last = (int(y) for y in balanced)
        if first > last:
            raise ValueError(f"balanced panel span {first}-{last}: the first year comes after the last")
        con.execute("SET VARIABLE juesuan_balanced_first = ?", [first])
        con.execute("SET VARIABLE juesuan_balanced_last = ?", [last])
    if quality is not None:
        if quality not in QUALITY_CHOICES:
            raise ValueError(f"quality must be one of {QUALITY_CHOICES}, not {quality!r}")
        con.execute("SET VARIABLE juesuan_quality = ?", [quality])
    if sangong_basis is not None:
        if sangong_basis not in SANGONG_BASES:
            raise ValueError(f"sangong_basis must be one of {SANGONG_BASES}, not {sangong_basis!r}")
        con.execute("SET VARIABLE juesuan_sangong_basis = ?", [sangong_basis])


def view_files() -> list[Path]:
    return sorted(SQL_DIR.glob("*.sql"))


def connect(
    parquet_dir: str | os.PathLike | None = None,
    *,
    database: str = ":memory:",
    threads: int | None = None,
    materialize: bool = True,
    quality: str | None = None,
    sangong_basis: str | None = None,
    crosswalk: str | os.PathLike | list | None = None,
    peer_types: str | os.PathLike | None = None,
    region: str | None = None,
    years=None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with every Parquet table and every analytical view defined.

    parquet_dir defaults to $JUESUAN_PARQUET, else data/parquet. A missing directory is an error;
    a missing table inside it is an empty view.

    materialize: the version layer and the per-department-year figures (sql files numbered below
    100: document_versions, department_ids, department_years, the cur_* views,
    department_year_figures) are created as TEMP TABLEs from the same SQL, so they are computed
    once per connection instead of once per query (the Parquet is read at connect time); nothing
    there depends on the switches. materialize=False keeps everything a view.
    Every view is created unbound (DuckDB's DEFER_BINDING, where the DuckDB has it): a view's query
    is bound when a query first reads it, not here, so connect() costs the temp tables, not the
    ~40 views a caller mostly never reads; check_views(con) binds them all (a broken view is then
    reported naming its file, as connect() did before).

    quality / sangong_basis: the switches (default $JUESUAN_QUALITY / $JUESUAN_SANGONG_BASIS, else
    'default' / 'printed'); crosswalk: extra rename CSV(s) (default $JUESUAN_CROSSWALK, paths
    separated by os.pathsep) applied on top of the shipped department_renames.csv; peer_types:
    a peer-type CSV (default $JUESUAN_PEER_TYPES) read before the shipped peer_types.csv.

    region / years: only the documents of that region (loosely matched: 天河区 for 广州市天河区)
    and those years ('2020-2022', [2020, 2022]) enter every table and view (restrict); a
    selection matching no document raises etl.analysis.select.SelectionError.
    """
    pdir = Path(parquet_dir) if parquet_dir is not None else default_parquet_dir()
    if not pdir.is_dir():
        raise FileNotFoundError(f"Parquet directory not found: {pdir}")
    snap = snapshot_dir(pdir)  # resolved (and leased) once: every view reads this one build
    con = duckdb.connect(database)
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    defer = _can_defer_binding(con)
    for table in [*TABLES, *RUN_TABLES]:
        sql = base_view_sql(pdir.resolve() if table in OUTSIDE_SNAPSHOT else snap, table, con)
        con.execute(_VIEW_HEAD.sub(r"\1 WITH (DEFER_BINDING) AS", sql) if defer else sql)
    _register_counts(con, snap)
    restrict(con, region, years)
    _register_renames(con, _crosswalk_paths(crosswalk))
    _register_peer_types(con, peer_types)
    set_options(con, quality=quality or os.environ.get("JUESUAN_QUALITY") or "default",
                sangong_basis=sangong_basis or os.environ.get("JUESUAN_SANGONG_BASIS") or "printed")
    for path in view_files():
        run_view_file(con, path, materialize=materialize, defer=defer)
    return con


def run_view_file(con: duckdb.DuckDBPyConnection, path: Path, *, materialize: bool, defer: bool) -> None:
    """Run one sql file as connect() does: below MATERIALIZE_BELOW its views become temp tables
    (materialize), other views are created unbound (defer); an error names the file."""
    sql = path.read_text(encoding="utf-8")
    if materialize and path.name[:3].isdigit() and int(path.name[:3]) < MATERIALIZE_BELOW:
        sql = sql.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP TABLE")
    elif defer:
        sql = _VIEW_HEAD.sub(r"\1 WITH (DEFER_BINDING) AS", sql)
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        raise RuntimeError(f"{path.name}: {exc}") from exc


def _can_defer_binding(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this DuckDB (>= 1.5) creates a view WITH (DEFER_BINDING): without binding its query
    then, only when a query reads it (which binds the view again anyway). Why: DuckDB binds a view's
    whole stack wherever it is referenced, so binding all ~40 views at connect() (the budget-
    credibility ones bind comparison_rows' stack a dozen times each) cost most of connect()'s time
    (issue 21) — paid by every notebook, report and export, for views most of them never read.
    An older DuckDB binds at creation, as before: slower, same results."""
    try:
        con.execute("CREATE OR REPLACE TEMP VIEW juesuan_defer_probe WITH (DEFER_BINDING) AS SELECT 1")
    except duckdb.Error:  # the syntax unknown (a parser or binder error, by version): bind as before
        return False
    con.execute("DROP VIEW juesuan_defer_probe")
    return True


def check_views(con: duckdb.DuckDBPyConnection) -> None:
    """Bind every analytical view (connect() defers that to a view's first use), raising
    RuntimeError naming the sql file of the first that does not build."""
    for path in view_files():
        for name in _VIEW_HEAD.findall(path.read_text(encoding="utf-8")):
            try:
                con.execute(f"DESCRIBE {name.split()[-1]}").fetchall()
            except duckdb.Error as exc:
                raise RuntimeError(f"{path.name}: {exc}") from exc


def restrict(con: duckdb.DuckDBPyConnection, region: str | None = None, years=None) -> None:
    """Narrow the base views to the documents of a region and years, before any view is built on them."""
    from etl.analysis.select import documents_where

    where = documents_where(con, region, years)
    if where is None:
        return
    con.execute("ALTER VIEW documents RENAME TO documents_unrestricted")
    con.execute(f"CREATE VIEW documents AS SELECT * FROM documents_unrestricted WHERE {where}")
    for table in TABLES:
        if table != "documents":
            con.execute(f"ALTER VIEW {table} RENAME TO {table}_unrestricted")
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM {table}_unrestricted "
                        "WHERE doc_id IN (SELECT doc_id FROM documents)")


def analytical_views() -> list[str]:
    """Names of the views defined in sql/*.sql, in definition order."""
    import re

    names = []
    for path in view_files():
        names += re.findall(r"CREATE OR REPLACE VIEW\s+(\w+)", path.read_text(encoding="utf-8"))
    return names
