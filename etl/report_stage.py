"""The report stage of `juesuan run`: execute the notebooks into a staged folder, swap it in.

Reports are rebuilt only when the Parquet build or a notebook changed since the last complete
report (a stamp in `<reports>/.juesuan-report` records both), so an unchanged collection costs
no notebook execution. A stopped or failed report stage leaves the previous reports in place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path

from etl.assemble import BUILD_FILE
from etl.fragments import CACHE_DIR
from etl.runlog import event
from etl.runs import RunRecord
from etl.writer import atomic_output

STAMP = ".juesuan-report"


def run_reports(out_dir: Path, reports_dir: Path, notebooks: Path, force: bool, record: RunRecord,
                logger: logging.Logger) -> int:
    """Build the reports unless up to date; return how many notebooks failed."""
    from etl.report import build_reports, notebook_sources

    start = time.perf_counter()
    stamp = _stamp(out_dir, notebook_sources(notebooks))
    if not force and stamp is not None and _read(reports_dir / STAMP) == stamp:
        event(logger, logging.INFO, "report.skipped", f"reports in {reports_dir} are up to date")
        record.report_seconds, record.reports_failed = 0.0, 0
        return 0
    with atomic_output(reports_dir) as staged:
        entries = build_reports(out_dir.resolve(), staged.tmp_dir, notebooks,
                                log=lambda line: event(logger, logging.INFO, "report.notebook", line))
    failed = [e for e in entries if e["error"]]
    if stamp is not None and entries and not failed:
        (reports_dir / STAMP).write_text(stamp)
    record.report_seconds, record.reports_failed = time.perf_counter() - start, len(failed)
    _log_done(logger, reports_dir, entries, len(failed))
    return len(failed)


def _log_done(logger: logging.Logger, reports_dir: Path, entries: list[dict], failed: int) -> None:
    if not entries:
        event(logger, logging.WARNING, "report.none", "no notebooks found: no reports written")
        return
    level = logging.WARNING if failed else logging.INFO
    event(logger, level, "report.done", f"{len(entries) - failed} of {len(entries)} notebooks exported to "
          f"{reports_dir}/index.html", notebooks=len(entries), failed=failed)


def _stamp(out_dir: Path, sources: list[Path]) -> str | None:
    """Fingerprint of the Parquet build and the notebooks, or None if the build is unknown."""
    try:
        build = json.loads((out_dir / CACHE_DIR / BUILD_FILE).read_text())["fingerprint"]
    except (OSError, ValueError, KeyError):
        return None
    digest = hashlib.sha256(build.encode())
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None
