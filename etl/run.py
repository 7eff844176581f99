"""`juesuan run [RAW_DIR] [--out DIR] [--reports DIR | --no-reports] [--log FILE] …`: the ETL, then
the reports, for schedulers (cron, systemd timers). See docs/scheduling.md.

Logs go to `--log` (default `<out>/logs/juesuan.jsonl`) as JSON lines and to the terminal as
readable lines; no progress bar unless stderr is a terminal. Exit codes are those of
etl.batch.guarded: 0 ok; 1 documents failed with --strict, or a report notebook failed; 2 usage;
3 another run holds the lock; 4 output could not be written; 130 SIGINT; 143 SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from etl.batch import cli as batch_cli
from etl.batch.guarded import EXIT_FAILED, EXIT_OK, EXIT_OUTPUT, guarded
from etl.batch.pipeline import BatchOptions, BatchResult, run_batch
from etl.batch.runlog import close_log, event, open_log
from etl.batch.runs import RunRecord
from etl.reports.notebooks import DEFAULT_NOTEBOOKS
from etl.reports.stage import run_reports
from etl.textsafety import terminal_text

LOG_FILE = Path("logs") / "juesuan.jsonl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    batch_cli.add_arguments(parser)
    parser.add_argument("--reports", default="reports", metavar="DIR",
                        help="where the HTML reports go (default: %(default)s)")
    parser.add_argument("--no-reports", action="store_true", help="run the ETL only")
    parser.add_argument("--notebooks", default=str(DEFAULT_NOTEBOOKS), metavar="DIR",
                        help="notebooks executed for the reports (default: the project's notebooks/)")
    parser.add_argument("--log", metavar="FILE", help=f"JSON-lines log file (default: <out>/{LOG_FILE})")


def run(args: argparse.Namespace) -> int:
    options = batch_cli.checked_options(args, "run")
    if isinstance(options, int):
        return options
    log_file = Path(args.log) if args.log else options.out_dir / LOG_FILE
    try:
        logger = open_log(log_file)
    except OSError as exc:
        print(f"juesuan run: cannot write the log {terminal_text(log_file)}: {terminal_text(exc)} (exit {EXIT_OUTPUT})",
              file=sys.stderr)
        return EXIT_OUTPUT
    try:
        return guarded("run", options.out_dir, lambda record: _stages(args, options, record, logger), logger)
    finally:
        close_log(logger)


def _stages(args: argparse.Namespace, options: BatchOptions, record: RunRecord,
            logger: logging.Logger) -> int:
    folders = f"{terminal_text(options.raw_dir)} -> {terminal_text(options.out_dir)}"
    event(logger, logging.INFO, "run.start", f"run {record.run_id}: {folders}",
          run_id=record.run_id, raw_dir=str(options.raw_dir), out_dir=str(options.out_dir), jobs=options.jobs,
          ocr=options.ocr, pages=options.pages)
    record.batch = result = run_batch(options)
    _log_batch(logger, result)
    failed_reports = 0 if args.no_reports else run_reports(
        options.out_dir, Path(args.reports), Path(args.notebooks), args.force, record, logger)
    code = EXIT_FAILED if (args.strict and result.totals.failed) or failed_reports else EXIT_OK
    event(logger, logging.INFO, "run.done", f"run {record.run_id} done (exit {code})", exit_code=code)
    return code


def _log_batch(logger: logging.Logger, result: BatchResult) -> None:
    lines = batch_cli.summary(result).splitlines()
    t = result.totals
    event(logger, logging.INFO, "etl.done", "\n".join(lines[:2]), files=result.files, new=result.new,
          changed=result.changed, removed=result.removed, parsed=result.parsed, ok=t.ok, partial=t.partial,
          failed=t.failed, checks_failed=t.checks_failed, output_written=result.wrote_output,
          seconds=round(result.seconds, 3))
    for line in lines[2:]:
        event(logger, logging.WARNING, "etl.note", line)
