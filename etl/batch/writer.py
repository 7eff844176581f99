"""Writing rows as Arrow/Parquet: the schema of etl.schema enforced, output replaced atomically.

* `to_arrow` turns a parser's rows (dicts) into an Arrow table of the declared schema: Decimal
  amounts rounded half-up to the column's scale, text NFC-normalised, unknown or missing
  required columns rejected.
* `AtomicOutput` writes files into a temporary folder inside a folder (same file system) and moves
  each finished file into place with `os.replace` (the reports; the Parquet output is committed as
  a whole snapshot by etl.batch.snapshots).
* `StreamingParquetWriter` appends small tables and writes them as row groups of bounded size,
  so the memory needed does not grow with the corpus.
"""

from __future__ import annotations

import importlib.abc
import os
import shutil
import sys
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from etl.portable import fsync_open_flags
from etl.schema import TABLES

#: Rows buffered before a Parquet row group is written.
ROW_GROUP_ROWS = 65_536
#: Small tables buffered at most before they are written (each has a fixed overhead).
MAX_BUFFERED_TABLES = 256
#: Temporary names juesuan creates, and the only ones it removes (never another program's `.tmp-*`).
TMP_PREFIX = ".juesuan-tmp-"


S = TypeVar("S", bound="Staged")


class SchemaViolation(ValueError):
    """Rows that do not fit the declared schema of their table."""


class _PandasHidden(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas":
            raise ModuleNotFoundError("pandas hidden from pyarrow's probe", name=name)


def arrow_without_pandas() -> None:
    """Answer pyarrow's question "is pandas installed?" with no, without importing pandas.

    pyarrow asks once per process, on its first conversion of a Python list, and imports pandas to answer:
    some 2 s of CPU per process (the run's and each worker's) for a library the ETL never uses. Asked here with
    pandas hidden, the answer is kept for the process; pandas stays importable, and pyarrow's own pandas
    conversions (to_pandas, from_pandas) still import it when called. Every column `to_arrow` builds is typed,
    and a typed conversion never imports pandas either."""
    if "pandas" in sys.modules:
        return  # imported already: nothing to save
    hidden = _PandasHidden()
    sys.meta_path.insert(0, hidden)
    try:
        pa.array([], pa.null())
    finally:
        sys.meta_path.remove(hidden)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def to_arrow(table_name: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Rows of one output table as an Arrow table of its declared schema."""
    if table_name not in TABLES:
        raise SchemaViolation(f"unknown output table {table_name!r} (not declared in etl.schema)")
    schema = _schema(table_name)
    rows = list(rows)
    _reject_unknown_columns(table_name, schema, rows)
    arrays = [_column(table_name, f, _values(rows, f.name)) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _values(rows: list[dict[str, Any]], name: str) -> list[Any]:
    """One column's values: its name taken once (Field.name builds a new str each time it is read)."""
    return [row.get(name) for row in rows]


@cache
def _schema(table_name: str) -> pa.Schema:
    """A table's declared Arrow schema, built once per process (to_arrow runs for every table of every document)."""
    return TABLES[table_name].arrow_schema()


def _reject_unknown_columns(table_name: str, schema: pa.Schema, rows: list[dict]) -> None:
    declared = set(schema.names)
    unknown = sorted(set().union(*rows) - declared)  # the rows' keys gathered in C, not key by key in Python
    if unknown:
        raise SchemaViolation(f"{table_name}: column(s) {', '.join(unknown)} not declared in etl.schema")


def _column(table_name: str, field: pa.Field, values: list[Any]) -> pa.Array:
    if not field.nullable and any(v is None for v in values):
        raise SchemaViolation(f"{table_name}.{field.name} is required but missing in a row")
    coerce = _coercion(field.type)
    try:
        if coerce is not None:
            values = coerce(values)
        return pa.array(values, type=field.type)
    except (pa.ArrowException, InvalidOperation, TypeError, ValueError) as exc:
        raise SchemaViolation(f"{table_name}.{field.name}: {exc}") from exc


@cache
def _coercion(type_: pa.DataType) -> Callable[[list[Any]], list[Any]] | None:
    """What a column's values go through, chosen once per type (to_arrow builds some 130 columns per document):
    amounts rounded to the column's scale, text checked and NFC; None for other types, whose values Arrow takes
    as they are."""
    if pa.types.is_decimal(type_):
        quantum = Decimal(1).scaleb(-type_.scale)  # once per type: building it was a third of each amount's cost
        return lambda values: _decimals(values, quantum)
    if pa.types.is_string(type_):
        return _texts
    return None


def _decimals(values: list[Any], quantum: Decimal) -> list[Decimal | None]:
    """Amounts rounded half-up to `quantum`: a finite Decimal (what the parser gives) rounded in the loop itself,
    without the two calls per value `_decimal` costs (`Decimal(value)` would copy it exactly, to the same result)."""
    return [v.quantize(quantum, rounding=ROUND_HALF_UP) if type(v) is Decimal and v.is_finite()
            else None if v is None else _decimal(v, quantum) for v in values]


def _texts(values: list[Any]) -> list[str | None]:
    """Text values in NFC: as they are when all are NFC already (`_all_nfc_text`), else each through `_text`."""
    if _all_nfc_text(values):
        return values
    return [None if v is None else _text(v) for v in values]


def _all_nfc_text(values: list[Any]) -> bool:
    """Whether every value of a text column is None or text already in NFC, so `_text` would return each as it is.

    Checked in one C call on the values joined by NUL, instead of two Python calls per value (a fifth of the
    worker's own cost per document): NUL is a starter that composes with nothing and has no decomposition, so the
    joined text is NFC exactly when every value is. False (then each value goes through `_text`, which raises
    for what is not text) when a value is not text or not in NFC."""
    try:
        joined = "\0".join([v for v in values if v is not None])
    except TypeError:
        return False
    return unicodedata.is_normalized("NFC", joined)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__} {value!r}")
    return nfc(value)


def _decimal(value: Any, quantum: Decimal) -> Decimal:
    """`value` rounded half-up to `quantum` (10 ** -scale of its column)."""
    if isinstance(value, bool):
        raise TypeError(f"expected an amount, got {value!r}")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"amount {value!r} is not a finite number")
    return number.quantize(quantum, rounding=ROUND_HALF_UP)


class StreamingParquetWriter:
    """Appends Arrow tables to one Parquet file, in row groups of about `row_group_rows` rows."""

    def __init__(self, path: Path, schema: pa.Schema, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.path = path
        self.schema = schema
        self.rows_written = 0
        self._row_group_rows = row_group_rows
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._writer = pq.ParquetWriter(str(path), schema, compression="zstd")

    def append(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        self._buffer.append(table.cast(self.schema) if table.schema != self.schema else table)
        self._buffered += table.num_rows
        if self._buffered >= self._row_group_rows or len(self._buffer) >= MAX_BUFFERED_TABLES:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write_table(pa.concat_tables(self._buffer), row_group_size=self._row_group_rows)
            self.rows_written += self._buffered
        self._buffer, self._buffered = [], 0

    def close(self) -> None:
        self._flush()
        self._writer.close()


class AtomicOutput:
    """Files written under a temporary folder in `out_dir`, moved into place only by `commit`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.tmp_dir = out_dir / f"{TMP_PREFIX}{uuid.uuid4().hex[:12]}"

    def open(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out_dir)
        self.tmp_dir.mkdir()

    def path(self, filename: str) -> Path:
        return self.tmp_dir / filename

    def commit(self) -> None:
        """Move every finished file into the output folder, each replacing its predecessor at once."""
        for staged in sorted(self.tmp_dir.iterdir()):
            fsync_file(staged)
            os.replace(staged, self.out_dir / staged.name)
        fsync_dir(self.out_dir)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.tmp_dir, ignore_errors=True)


class Staged(Protocol):
    """Output staged out of readers' sight: opened, then committed whole or discarded."""

    def open(self) -> None: ...
    def commit(self) -> None: ...
    def discard(self) -> None: ...


@contextmanager
def committed(output: S) -> Iterator[S]:
    """Open `output`; commit it if the block finishes, discard it if the block raises."""
    output.open()
    try:
        yield output
    except BaseException:
        output.discard()
        raise
    output.commit()


def atomic_output(out_dir: Path) -> AbstractContextManager[AtomicOutput]:
    """Stage output files; commit them if the block finishes, discard them if it raises."""
    return committed(AtomicOutput(out_dir))


def remove_stale_temporaries(out_dir: Path) -> None:
    """Remove the temporary folders, files and symlinks a killed run left behind (juesuan's names only)."""
    for entry in out_dir.glob(f"{TMP_PREFIX}*"):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def fsync_file(path: Path) -> None:
    """Flush a written file to disk (before it replaces the last good output)."""
    fd = os.open(path, fsync_open_flags())
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    with suppress(OSError):  # some file systems cannot fsync a directory; the rename is still atomic
        fsync_file(path)
