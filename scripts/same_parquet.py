"""Proof that a change left the output alone: compare every Parquet table of two `juesuan etl --out` folders.

    python scripts/same_parquet.py BEFORE_DIR AFTER_DIR

Rows are compared as sets after sorting (a run's row order follows its workers), every column but the
volatile ones: parse time and the parser's version (a fingerprint of its source, so it changes with any
edit). Exit 1 and name each table that differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.parquet as pq

VOLATILE = {"parse_seconds", "parser_version"}


def rows(path: Path) -> tuple[list[str], list[tuple]]:
    table = pq.read_table(path)
    columns = [c for c in table.column_names if c not in VOLATILE]
    data = table.select(columns).to_pylist()
    return columns, sorted(tuple(repr(r[c]) for c in columns) for r in data)


def main(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.parquet")} | {p.name for p in after.glob("*.parquet")})
    differ = 0
    for name in names:
        if not (before / name).exists() or not (after / name).exists():
            print(f"{name}: only in {'after' if not (before / name).exists() else 'before'}")
            differ += 1
            continue
        (cols_b, rows_b), (cols_a, rows_a) = rows(before / name), rows(after / name)
        if cols_b != cols_a or rows_b != rows_a:
            only_b, only_a = set(rows_b) - set(rows_a), set(rows_a) - set(rows_b)
            print(f"{name}: DIFFERS ({len(rows_b)} vs {len(rows_a)} rows; {len(only_b)} only before, "
                  f"{len(only_a)} only after; columns equal: {cols_b == cols_a})")
            for r in sorted(only_b)[:3]:
                print("   before:", dict(zip(cols_b, r, strict=True)))
            for r in sorted(only_a)[:3]:
                print("   after: ", dict(zip(cols_a, r, strict=True)))
            differ += 1
        else:
            print(f"{name}: identical ({len(rows_a)} rows, {len(cols_a)} columns)")
    print("IDENTICAL" if not differ else f"{differ} table(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
