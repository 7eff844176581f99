"""`juesuan demo`: the demo job of `make demo` without make (Windows): the sample corpus when RAW_DIR holds
no report yet, then the ETL, then the reports.

    juesuan demo [--raw data/raw] [--out data/parquet] [--reports reports]

Each step is the sub-command itself, run as its own process (`python -m etl.cli STEP …`), so the demo does
exactly what the three commands typed one after the other do (etl's lean start included), and stops at the
first step that fails, with that step's exit code.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from etl.batch.command import command_line
from etl.textsafety import terminal_text

#: what makes RAW_DIR "already holds reports": the sample is not written over a researcher's own files
_INPUT_SUFFIXES = {".pdf", ".html", ".htm", ".shtml", ".xhtml", ".txt"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", metavar="RAW_DIR", default="data/raw",
                        help="input folder; the sample corpus is written there when it holds no report "
                             "(default data/raw)")
    parser.add_argument("--out", metavar="DIR", default="data/parquet", help="Parquet output (default data/parquet)")
    parser.add_argument("--reports", metavar="DIR", default="reports", help="HTML reports (default reports/)")


def demo_steps(raw: Path, out: Path, reports: Path) -> list[list[str]]:
    """The sub-command lines the demo runs, in order."""
    steps = [] if holds_inputs(raw) else [["sample", "--out", str(raw)]]
    steps.append(["etl", str(raw), "--out", str(out)])
    steps.append(["report", "--parquet", str(out), "--out", str(reports)])
    return steps


def holds_inputs(raw: Path) -> bool:
    return raw.is_dir() and any(p.suffix.lower() in _INPUT_SUFFIXES for p in raw.rglob("*") if p.is_file())


def run(args: argparse.Namespace) -> int:
    raw, out, reports = Path(args.raw), Path(args.out), Path(args.reports)
    if holds_inputs(raw):
        print(f"{terminal_text(raw)} already holds reports: not writing the sample corpus", flush=True)
    for step in demo_steps(raw, out, reports):
        print(terminal_text("juesuan " + " ".join(step)), flush=True)
        code = subprocess.run([sys.executable, "-m", "etl.cli", *step], check=False).returncode
        if code:
            print(terminal_text(f"juesuan demo: stopped, `juesuan {step[0]}` exited with {code}"), file=sys.stderr)
            return code
    print(terminal_text(f"demo done: Parquet in {out}, reports in {reports / 'index.html'}"))
    print(f"next: {command_line('audit', '--parquet', out)}   or   {command_line('export', '--parquet', out)}")
    return 0
