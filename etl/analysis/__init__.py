"""DuckDB analysis layer over the ETL's Parquet output.

    from etl.analysis import connect
    con = connect("data/parquet")
    con.sql("SELECT * FROM department_year_metrics LIMIT 5").show()

`connect` registers every table of `etl.schema.TABLES` as a view over `<dir>/<table>.parquet`
(or a folder `<dir>/<table>/` of Parquet files, hive partitions allowed). A table the directory
does not hold becomes an empty view with the declared schema, so the analytical views always
exist. The analytical views are defined in `etl/analysis/sql/*.sql`, one view per file, applied
in file-name order; `docs/views.md` documents them.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.schema import TABLES

SQL_DIR = Path(__file__).with_name("sql")
DEFAULT_PARQUET = "data/parquet"

#: The views a researcher starts from (the benchmark times these).
HEADLINE_VIEWS = (
    "department_year_metrics",
    "sangong_region_year_type",
    "personnel_public_ratio",
    "budget_completion_department",
    "budget_completion_item",
    "budget_completion_sangong",
    "dq_document_summary",
)


#: sql files numbered below this (the version layer) become temp tables with materialize=True.
MATERIALIZE_BELOW = 100


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


def base_view_sql(parquet_dir: Path, table: str) -> str:
    src = _source(parquet_dir, table)
    if src is not None:
        return f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM {src}"
    cols = ", ".join(
        f"CAST(NULL AS {_duck_type(c.type)}) AS {c.name}" for c in TABLES[table].columns
    )
    return f"CREATE OR REPLACE VIEW {table} AS SELECT {cols} WHERE false"


def view_files() -> list[Path]:
    return sorted(SQL_DIR.glob("*.sql"))


def connect(
    parquet_dir: str | os.PathLike | None = None,
    *,
    database: str = ":memory:",
    threads: int | None = None,
    materialize: bool = True,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with every Parquet table and every analytical view defined.

    parquet_dir defaults to $JUESUAN_PARQUET, else data/parquet. A missing directory is an error;
    a missing table inside it is an empty view.

    materialize: the version layer (sql files numbered below 100: document_versions,
    department_years, duplicate_department_years and the cur_* views) is created as TEMP TABLEs
    from the same SQL, so the choice of version is computed once per connection instead of once
    per query (the Parquet is read at connect time). materialize=False keeps everything a view.
    """
    pdir = Path(parquet_dir) if parquet_dir is not None else default_parquet_dir()
    if not pdir.is_dir():
        raise FileNotFoundError(f"Parquet directory not found: {pdir}")
    con = duckdb.connect(database)
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for table in TABLES:
        con.execute(base_view_sql(pdir.resolve(), table))
    for path in view_files():
        sql = path.read_text(encoding="utf-8")
        if materialize and path.name[:3].isdigit() and int(path.name[:3]) < MATERIALIZE_BELOW:
            sql = sql.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP TABLE")
        try:
            con.execute(sql)
        except duckdb.Error as exc:
            raise RuntimeError(f"{path.name}: {exc}") from exc
    return con


def analytical_views() -> list[str]:
    """Names of the views defined in sql/*.sql, in definition order."""
    import re

    names = []
    for path in view_files():
        names += re.findall(r"CREATE OR REPLACE VIEW\s+(\w+)", path.read_text(encoding="utf-8"))
    return names
