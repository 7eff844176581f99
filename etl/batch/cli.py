"""`juesuan etl [RAW_DIR] [--out DIR] [--jobs N] [--manifest CSV] [--strict] [--timeout S] [--force]
[--max-memory MB] [--ocr auto|off|force] [--pages pdfium|pdfplumber] [--executor local|dask] [--cluster ADDRESS]`.

RAW_DIR is a folder (searched recursively) or one input file. Exit codes: 0 done (documents may have failed;
see the summary and `documents.error`), 1 some document failed and --strict was given, 2 usage error (missing
RAW_DIR, no input file in it, bad option or manifest: nothing is written, the output is left as it was),
3 another run holds the output folder's lock, 4 the output could not be written (the previous output is left
as it was), 130/143 stopped by SIGINT/SIGTERM (etl.batch.guarded). Each run is recorded in `<out>/runs/`.
An --out that is not empty and not a juesuan output is refused (2).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from etl.batch.command import command_line
from etl.batch.discover import HashCache, count_inputs
from etl.batch.executors import ExecutorError
from etl.batch.fragments import CACHE_DIR
from etl.batch.guarded import EXIT_FAILED as EXIT_FAILED_DOCUMENTS
from etl.batch.guarded import EXIT_OK, EXIT_USAGE, guarded
from etl.batch.limits import DEFAULT_MAX_MEMORY_MB
from etl.batch.manifest import ManifestError, load_manifest
from etl.batch.options import (
    DEFAULT_EXECUTOR,
    DEFAULT_OCR,
    DEFAULT_TIMEOUT,
    EXECUTORS,
    OCR_MODES,
    OCR_SECONDS_PER_PAGE,
    BatchOptions,
)
from etl.batch.ownership import ownership_problem
from etl.batch.pipeline import HASH_CACHE, BatchResult, run_batch
from etl.batch.runlog import close_log, terminal_log
from etl.batch.runs import RunRecord
from etl.pagesource import DEFAULT_PAGES, PAGE_SOURCES
from etl.pagesource.formats import EXTENSIONS, format_of_name
from etl.textsafety import terminal_text

FAILURES_SHOWN = 20


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("raw_dir", nargs="?", default="data/raw", metavar="RAW_DIR",
                        help=f"folder searched recursively for {_patterns()}, or one such file (the output then "
                             "holds that file alone); default: data/raw")
    parser.add_argument("--out", default="data/parquet", metavar="DIR",
                        help="output folder for <table>.parquet (default: data/parquet)")
    parser.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                        help="documents parsed in parallel (default: all cores, %(default)s here)")
    parser.add_argument("--timeout", type=_positive_seconds, default=DEFAULT_TIMEOUT, metavar="S",
                        help="time limit per document in seconds; past it the document fails "
                             "(default: %(default)g)")
    parser.add_argument("--manifest", metavar="CSV",
                        help="CSV file,region,department,year[,department_id] overriding the metadata read "
                             "from the PDFs")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any document failed")
    parser.add_argument("--force", action="store_true",
                        help="re-parse every document, ignoring the per-document cache")
    parser.add_argument("--max-memory", type=_memory_mb, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
                        help="memory ceiling of each worker process in MiB; past it the document fails "
                             "(0: none; default: %(default)s)")
    parser.add_argument("--ocr", choices=OCR_MODES, default=DEFAULT_OCR,
                        help="which pages are read by OCR: auto, only those whose text layer is missing or "
                             "unusable (garbled fonts, a few stray characters over a scan); off, never; force, "
                             "every page. Unless off, the time limit grows by "
                             f"{OCR_SECONDS_PER_PAGE:g} s per page; changing it re-parses every document "
                             "(default: %(default)s)")
    parser.add_argument("--pages", choices=PAGE_SOURCES, default=DEFAULT_PAGES,
                        help="which library reads the PDFs' text layer: pdfium, the fast default, or pdfplumber, "
                             "the reference it is tested against (tests require the same rows; documents.page_source "
                             "records it); changing it re-parses every document (default: %(default)s)")
    parser.add_argument("--executor", choices=EXECUTORS, default=DEFAULT_EXECUTOR,
                        help="where documents are parsed: worker processes here, or a Dask cluster "
                             "(needs the 'distributed' extra; default: %(default)s)")
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786, for --executor dask "
                             "(default: a local cluster of --jobs workers)")


def _memory_mb(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of MiB") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (no ceiling) or more, got {value}")
    return value or None


def run(args: argparse.Namespace) -> int:
    options = checked_options(args, "etl")
    if isinstance(options, int):
        return options
    logger = terminal_log()
    try:
        return guarded("etl", options.out_dir, lambda record: _etl(args, options, record), logger)
    finally:
        close_log(logger)


def _etl(args: argparse.Namespace, options: BatchOptions, record: RunRecord) -> int:
    try:
        record.batch = result = run_batch(options)
    except ExecutorError as exc:
        return _usage_error("etl", str(exc))
    print(summary(result))
    print(next_steps(result, options.out_dir))
    return EXIT_FAILED_DOCUMENTS if args.strict and result.totals.failed else EXIT_OK


def options_from_args(args: argparse.Namespace, command: str) -> BatchOptions | int:
    """The batch options the arguments ask for, or EXIT_USAGE after saying what is wrong."""
    raw_dir, out_dir = Path(args.raw_dir), Path(args.out)
    problem = _usage_problem(raw_dir, out_dir)
    if problem:
        return _usage_error(command, problem)
    try:
        manifest = load_manifest(Path(args.manifest)) if args.manifest else {}
    except ManifestError as exc:
        return _usage_error(command, str(exc))
    if args.cluster and args.executor == DEFAULT_EXECUTOR:
        return _usage_error(command, "--cluster needs --executor dask")
    return BatchOptions(raw_dir, out_dir, jobs=args.jobs, timeout=args.timeout, manifest=manifest,
                        force=args.force, executor=args.executor, cluster=args.cluster,
                        max_memory_mb=args.max_memory, ocr=args.ocr, pages=args.pages)


def checked_options(args: argparse.Namespace, command: str) -> BatchOptions | int:
    """options_from_args, then EXIT_USAGE if RAW_DIR holds no input file: a run over nothing would write empty
    tables over the last good output (a folder emptied by a failed download or an unmounted share)."""
    options = options_from_args(args, command)
    if isinstance(options, int):
        return options
    if options.raw_dir.is_file():
        return _one_file_problem(options, command) or options
    inputs, others = count_inputs(options.raw_dir, exclude=[options.out_dir])
    if inputs:
        return options
    found = f"; it holds {others:,} other file(s), none of them an input" if others else "; it is empty"
    return _usage_error(command, f"no input files in RAW_DIR {options.raw_dir}: looked for {_patterns()} in it "
                                 f"and every sub-folder{found}. Nothing was written; {options.out_dir} is left as "
                                 f"it was. To try juesuan without reports of your own: "
                                 f"`{command_line('sample', '--out', options.raw_dir)}` writes a sample corpus there")


def _one_file_problem(options: BatchOptions, command: str) -> int | None:
    """EXIT_USAGE if --out holds a collection's output: one file parsed into it would replace the collection's
    tables and drop its cached parses (a re-run of the collection would parse everything again)."""
    previous = HashCache(options.out_dir / CACHE_DIR / HASH_CACHE).previous
    others = sorted(name for name in previous if name != options.raw_dir.name)
    if not others:
        return None
    return _usage_error(command, f"--out {options.out_dir} holds the output of a collection ({len(previous):,} "
                                 f"file(s), e.g. {others[0]}); parsing {options.raw_dir.name} alone would replace "
                                 "it. Give a new --out for the one file, e.g. --out data/one")


def _patterns() -> str:
    return ", ".join(f"*{ext}" for ext in EXTENSIONS)


def _usage_problem(raw_dir: Path, out_dir: Path) -> str | None:
    if not raw_dir.exists():
        return (f"RAW_DIR {raw_dir} does not exist: give the folder holding the reports ({_patterns()}), "
                "or one such file")
    if not raw_dir.is_dir() and not format_of_name(raw_dir.name):
        return f"RAW_DIR {raw_dir} is neither a folder nor an input file ({_patterns()})"
    if out_dir.exists() and not out_dir.is_dir():
        return f"--out {out_dir} exists and is not a folder"
    if out_dir.resolve() == raw_dir.resolve():
        return "--out must not be RAW_DIR itself"
    return ownership_problem(out_dir)


def _usage_error(command: str, message: str) -> int:
    print(f"juesuan {command}: error: {terminal_text(message)}", file=sys.stderr)
    return EXIT_USAGE


def _capped(lines: list[str], what: str) -> list[str]:
    """The first FAILURES_SHOWN lines, then how many more (a manifest of another collection names thousands)."""
    if len(lines) <= FAILURES_SHOWN:
        return lines
    return [*lines[:FAILURES_SHOWN], f"… and {len(lines) - FAILURES_SHOWN:,} more {what}"]


def summary(result: BatchResult) -> str:
    t = result.totals
    lines = [
        f"documents: {t.documents} ({t.ok} ok, {t.partial} partial, {t.failed} failed) · "
        f"tables found: {t.tables_found} · checks failed: {t.checks_failed} · {result.seconds:.1f} s",
        f"files: {result.files} ({result.new} new, {result.changed} changed, {result.removed} removed) · "
        f"parsed: {result.parsed}" + (f" ({result.reparsed_for_new_parser} for a new parser version, --ocr mode "
                                      "or --pages source)" if result.reparsed_for_new_parser else "")
        + ("" if result.wrote_output else " · output unchanged"),
    ]
    if result.companions or result.renamed:
        lines.append(f"collection: {result.companions} department-year(s) read from a narrative file and a "
                     f"tables file together · {result.renamed} department name(s) completed from the collection")
    # file names and errors come from outside: one line each, whatever they hold (terminal_text)
    name = terminal_text
    lines += [f"duplicate: {name(dup)} has the same bytes as {name(kept)}; only {name(kept)} is kept"
              for dup, kept in result.duplicates]
    lines += _capped([f"manifest: {name(file)} matches no PDF" for file in result.unused_manifest],
                     "manifest line(s) match no PDF")
    lines += [f"failed: {name(source)}: {name(error)}" for source, error in t.failures[:FAILURES_SHOWN]]
    if len(t.failures) > FAILURES_SHOWN:
        more = len(t.failures) - FAILURES_SHOWN
        lines.append(f"… and {more} more failed (see documents.parquet, status = 'failed')")
    return "\n".join(lines)


def next_steps(result: BatchResult, out_dir: Path) -> str:
    """Where the output is and the command to type next: the audit first when checks or documents failed."""
    t = result.totals
    lines = [f"output: {terminal_text(out_dir)} (documents.parquet and the other tables; "
             f"`{command_line('sql', '--parquet', out_dir)}` to query them)"]
    readers = (f"`{command_line('report', '--parquet', out_dir)}` for the HTML reports, "
               f"`{command_line('export', '--parquet', out_dir)}` for CSV, xlsx and Stata files")
    if not (t.checks_failed or t.failed or t.partial):
        return "\n".join([*lines, f"next: {readers}"])
    lines.append(f"next: {t.checks_failed:,} check(s) failed, {t.failed:,} document(s) failed, {t.partial:,} partly "
                 f"read: see which and why, document by document, with `{command_line('audit', '--parquet', out_dir)}` "
                 "(writes audit/index.html)")
    return "\n".join([*lines, f"then: {readers}"])
