"""The report stage of `juesuan run`: execute the notebooks into a staged folder, swap it in.

Reports are rebuilt only when the Parquet build or a notebook changed since the last complete
report (a stamp in `<reports>/.juesuan-report` records both), so an unchanged collection costs
no notebook execution. A stopped or failed report stage leaves the previous reports in place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import subprocess
import sys
import time
from pathlib import Path

from etl.batch.assemble import BUILD_FILE
from etl.batch.fragments import CACHE_DIR
from etl.batch.interrupt import child_options
from etl.batch.runlog import event
from etl.batch.runs import RunRecord
from etl.batch.writer import atomic_output

STAMP = ".juesuan-report"
#: Time the report process gets to shut its kernel down when the run is stopped.
CHILD_STOP_SECONDS = 5.0


def run_reports(out_dir: Path, reports_dir: Path, notebooks: Path, force: bool, record: RunRecord,
                logger: logging.Logger) -> int:
    """Build the reports unless up to date; return how many notebooks failed."""
    from etl.reports.notebooks import notebook_sources

    start = time.perf_counter()
    stamp = _stamp(out_dir, notebook_sources(notebooks))
    if not force and stamp is not None and _read(reports_dir / STAMP) == stamp:
        event(logger, logging.INFO, "report.skipped", f"reports in {reports_dir} are up to date")
        record.report_seconds, record.reports_failed = 0.0, 0
        return 0
    with atomic_output(reports_dir) as staged:
        entries, failed = _report_process(out_dir, staged.tmp_dir, notebooks, logger)
    if stamp is not None and entries and not failed:
        (reports_dir / STAMP).write_text(stamp)
    record.report_seconds, record.reports_failed = time.perf_counter() - start, failed
    _log_done(logger, reports_dir, entries, failed)
    return failed


def _report_process(out_dir: Path, staging: Path, notebooks: Path, logger: logging.Logger) -> tuple[int, int]:
    """Run `juesuan report` into `staging` as a child process; return (notebooks, failed).

    A child, because nbclient takes over SIGTERM/SIGINT while a notebook runs (it shuts its kernel
    down and carries on); here the run keeps its own handlers, and on a stop it terminates the
    child, which shuts its kernel down, and waits for it."""
    command = [sys.executable, "-m", "etl.cli", "report", "--parquet", str(out_dir.resolve()),
               "--out", str(staging), "--notebooks", str(notebooks)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             stdin=subprocess.DEVNULL, **child_options())
    notebooks_run = failed = 0
    try:
        for line in child.stdout or ():
            line = line.rstrip()
            if _NOTEBOOK_LINE.match(line):
                notebooks_run += 1
                failed += line.startswith("FAILED")
                event(logger, logging.INFO, "report.notebook", line)
            elif line:
                event(logger, logging.DEBUG, "report.output", line)
        code = child.wait()
    finally:
        _stop(child)
    if code not in (0, 1):
        raise RuntimeError(f"juesuan report exited with {code}")
    return notebooks_run, failed


_NOTEBOOK_LINE = re.compile(r"^(ok|FAILED) +\S+ -> ")


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=CHILD_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _log_done(logger: logging.Logger, reports_dir: Path, entries: int, failed: int) -> None:
    if not entries:
        event(logger, logging.WARNING, "report.none", "no notebooks found: no reports written")
        return
    level = logging.WARNING if failed else logging.INFO
    event(logger, level, "report.done", f"{entries - failed} of {entries} notebooks exported to "
          f"{reports_dir}/index.html", notebooks=entries, failed=failed)


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
