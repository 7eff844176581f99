"""The `runs` table: one row per run, appended to `<out>/runs.parquet` atomically.

The new file (old rows + this run's) is written beside the old one and moved over it with
`os.replace`, so a run killed while recording leaves the previous history, never a torn file.
A history file that cannot be read (damaged by hand) is set aside as `runs.parquet.unreadable-*`
rather than overwritten.
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
from etl.batch.writer import fsync_file
from etl.schema import RUNS

RUNS_FILE = "runs.parquet"
TMP_GLOB = f".{RUNS_FILE}.tmp-*"


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


def append_run(out_dir: Path, row: dict[str, Any]) -> None:
    """Add one row to `<out_dir>/runs.parquet`, replacing the file atomically."""
    schema = RUNS.arrow_schema()
    new = pa.Table.from_pylist([{name: row.get(name) for name in schema.names}], schema=schema)
    path = out_dir / RUNS_FILE
    previous = _previous(path)
    table = pa.concat_tables([previous, new]) if previous is not None else new
    for stale in out_dir.glob(TMP_GLOB):
        stale.unlink(missing_ok=True)
    tmp = out_dir / f".{RUNS_FILE}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        pq.write_table(table, tmp, compression="zstd")
        fsync_file(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _previous(path: Path) -> pa.Table | None:
    if not path.exists():
        return None
    try:
        return pq.read_table(path).cast(RUNS.arrow_schema())
    except (pa.ArrowException, OSError, ValueError):
        path.rename(path.with_name(f"{RUNS_FILE}.unreadable-{uuid.uuid4().hex[:8]}"))
        return None


def read_runs(out_dir: Path) -> list[dict[str, Any]]:
    path = out_dir / RUNS_FILE
    return pq.read_table(path).to_pylist() if path.exists() else []
