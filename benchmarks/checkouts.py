"""Parse speed of two checkouts side by side, on the same files, in one interleaved run.

    uv run python benchmarks/checkouts.py OTHER_CHECKOUT [PDF or folder ...] [--rounds R]

OTHER_CHECKOUT is another clone or worktree of juesuan with its own .venv (e.g. `git worktree add
../base <rev>` then `uv sync` there). Each round runs `juesuan etl --jobs 1 --ocr off` of this
checkout and of the other on the same inputs, alternating which goes first, each into a fresh output
folder; it prints the wall seconds per document for each round and the median, and the ratio
this/other (wall time, as the worker processes' CPU is not all reaped by the command: run it on a
quiet machine). --ocr off keeps OCR, which neither parser's text path uses, out of
the figure; --jobs 1 keeps it one core's work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INPUT_SUFFIXES = {".pdf", ".html", ".htm", ".txt"}


def collect(inputs: list[Path], raw: Path) -> int:
    """Copy the inputs into one raw folder (hard links where possible); the number of files."""
    n = 0
    for item in inputs:
        files = sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
        for f in files:
            if f.suffix.lower() in INPUT_SUFFIXES:
                target = raw / f"{n:04d}{f.suffix.lower()}"
                try:
                    os.link(f, target)
                except OSError:
                    target.write_bytes(f.read_bytes())
                n += 1
    return n


def etl_seconds(checkout: Path, raw: Path, out: Path) -> float:
    """Wall seconds of one `juesuan etl` run."""
    start = time.perf_counter()
    subprocess.run([str(checkout / ".venv" / "bin" / "juesuan"), "etl", str(raw), "--out", str(out), "--jobs", "1",
                    "--ocr", "off"], cwd=checkout, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (with its .venv)")
    parser.add_argument("inputs", nargs="*", type=Path, default=[REPO.parent / "shared" / "real-pdfs"])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        n = collect(args.inputs, raw)
        if not n:
            print("no input files", file=sys.stderr)
            return 2
        times: dict[str, list[float]] = {"this": [], "other": []}
        for r in range(args.rounds):
            order = [("this", REPO), ("other", args.other)]
            for name, checkout in order if r % 2 == 0 else reversed(order):
                times[name].append(etl_seconds(checkout, raw, Path(tmp) / f"out-{name}-{r}") / n)
            print(f"round {r + 1}: this {times['this'][-1]:.3f} s/doc · other {times['other'][-1]:.3f} s/doc")
    this, other = statistics.median(times["this"]), statistics.median(times["other"])
    print(f"{n} files, wall seconds per document (median of {args.rounds}): this {this:.3f} s · other {other:.3f} s · "
          f"this/other = {this / other:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
