"""The `runs` table: one row per run, each run a new file `<out>/runs/<UTC time>-<run_id>.parquet`.

A file is written under a temporary name outside the folder and renamed to a name no file had
before: no path is ever replaced, so a reader globbing `runs/*.parquet` (DuckDB lists the files
once per query) never sees a torn or swapped file, and a run killed while recording leaves the
history as it was. The `runs.parquet` of an older juesuan is moved into the folder by the next run.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import etl
from etl.batch.fragments import parser_version
from etl.batch.pipeline import BatchResult
from etl.batch.writer import TMP_PREFIX, fsync_dir, fsync_file
from etl.layout import RUNS_DIR
from etl.schema import RUNS

#: Written by juesuan before the runs folder (migrated into it by the next run).
LEGACY_FILE = "runs.parquet"
#: The name an older runs.parquet gets in the runs folder: sorts before every timestamp.
MIGRATED = "0-migrated-runs.parquet"


@dataclass
class RunRecord:
    """What a run knows about itself; filled in stage by stage, written once at its end."""

    command: str
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    batch: BatchResult | None = None
    report_seconds: float | None = None
    reports_failed: int | None = None

    def row(self, exit_code: int, error: str | None) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "command": self.command, "started_at": self.started_at,
            "ended_at": datetime.now(UTC), "host": socket.gethostname(), "pid": os.getpid(),
            **_batch_columns(self.batch),
            "reports_failed": self.reports_failed, "report_seconds": self.report_seconds,
            "juesuan_version": etl.__version__, "parser_version": parser_version(),
            "exit_code": exit_code, "error": error,
        }


def _batch_columns(batch: BatchResult | None) -> dict[str, Any]:
    if batch is None:
        return {}
    t = batch.totals
    return {
        "files_seen": batch.files, "files_new": batch.new, "files_changed": batch.changed,
        "files_removed": batch.removed, "files_failed": batch.files_failed, "documents_parsed": batch.parsed,
        "documents_ok": t.ok, "documents_partial": t.partial, "documents_failed": t.failed,
        "checks_failed": t.checks_failed, "output_written": batch.wrote_output,
        "discover_seconds": batch.discover_seconds, "parse_seconds": batch.parse_seconds,
        "assemble_seconds": batch.assemble_seconds,
    }


def append_run(out_dir: Path, row: dict[str, Any]) -> Path:
    """Record one run as a new one-row file `<out_dir>/runs/<time>-<run_id>.parquet`; return its path."""
    folder = out_dir / RUNS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    migrate_history(out_dir)
    schema = RUNS.arrow_schema()
    table = pa.Table.from_pylist([{name: row.get(name) for name in schema.names}], schema=schema)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return _write_new(table, folder / f"{stamp}-{row.get('run_id') or uuid.uuid4().hex[:12]}.parquet")


def _write_new(table: pa.Table, path: Path) -> Path:
    """Write `table` to a temporary file outside the runs folder (a reader's glob never sees it half
    written), then rename it to `path`, a name no file had before."""
    tmp = path.parent.parent / f"{TMP_PREFIX}{RUNS_DIR}-{uuid.uuid4().hex[:8]}.parquet"
    try:
        pq.write_table(table, tmp, compression="zstd")
        fsync_file(tmp)
        os.rename(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    return path


def migrate_history(out_dir: Path) -> None:
    """Move an older juesuan's `runs.parquet` (every run in one file) into the runs folder, once; a file
    that cannot be read (damaged by hand) is set aside as `runs.parquet.unreadable-*`."""
    legacy = out_dir / LEGACY_FILE
    if not legacy.is_file() or legacy.is_symlink():
        return
    try:
        table = pq.read_table(legacy).cast(RUNS.arrow_schema())
    except (pa.ArrowException, OSError, ValueError):
        legacy.rename(legacy.with_name(f"{LEGACY_FILE}.unreadable-{uuid.uuid4().hex[:8]}"))
        return
    target = out_dir / RUNS_DIR / MIGRATED
    if not target.exists():  # a run killed after the copy and before the unlink copied it already
        _write_new(table, target)
    legacy.unlink()


def read_runs(out_dir: Path) -> list[dict[str, Any]]:
    """Every recorded run, oldest first (an older juesuan's runs.parquet included)."""
    paths = sorted((out_dir / RUNS_DIR).glob("*.parquet"))
    if (out_dir / LEGACY_FILE).is_file():
        paths.insert(0, out_dir / LEGACY_FILE)
    rows = [row for path in paths for row in pq.read_table(path).to_pylist()]
    return sorted(rows, key=lambda row: row["ended_at"])
