"""ETL throughput and memory, in one run on the same files.

    uv run python benchmarks/etl_throughput.py [PDF or folder ...] [--copies K] [--scale M]

Input (default: ../shared/real-pdfs and data/raw) is copied K times into a temporary raw folder,
each copy with a PDF comment appended so its sha256 differs (the ETL would otherwise treat copies
as one document). On those files it prints seconds per document and pages per second for
  (a) loading every page's characters with pdfplumber (`len(page.chars)`), the floor for a
      pdfplumber parser, in this process on one core;
  (b) the full ETL with --jobs 1;  (c) the full ETL with all cores;
and the peak resident memory of the main process and of a worker for N documents and for M×N
(the ETL streams documents, so this should stay flat). Each ETL run is a fresh process with a
fresh output folder, so nothing comes from the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = [REPO.parent / "shared" / "real-pdfs", REPO / "data" / "raw"]


def collect(inputs: list[Path]) -> list[Path]:
    pdfs: list[Path] = []
    for item in inputs:
        if item.is_dir():
            pdfs += sorted(p for p in item.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
        elif item.is_file():
            pdfs.append(item)
    return pdfs


def make_raw(pdfs: list[Path], copies: int, raw: Path) -> list[Path]:
    """`copies` copies of each PDF, each with different bytes (a trailing PDF comment)."""
    raw.mkdir(parents=True)
    made = []
    for k in range(copies):
        for i, pdf in enumerate(pdfs):
            target = raw / f"copy{k:03d}" / f"{i:03d}-{pdf.name}"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(pdf, target)
            with open(target, "ab") as fh:
                fh.write(f"\n% benchmark copy {k}\n".encode())
            made.append(target)
    return made


def floor(pdfs: list[Path]) -> tuple[float, int]:
    """Seconds to load every page's characters with pdfplumber, and the number of pages."""
    import pdfplumber

    pages = 0
    start = time.perf_counter()
    for pdf in pdfs:
        try:
            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    len(page.chars)
                    pages += 1
                    page.close()
        except Exception as exc:  # noqa: BLE001 - a bad file costs what it costs; counted, not fatal
            print(f"  (floor) {pdf.name}: {type(exc).__name__}", file=sys.stderr)
    return time.perf_counter() - start, pages


def etl_in_subprocess(raw: Path, out: Path, jobs: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--run-etl", str(raw), str(out), str(jobs)],
                          capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"ETL run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_etl(raw: Path, out: Path, jobs: int) -> None:
    """Child mode: one ETL run; print its figures as one JSON line."""
    import pyarrow.parquet as pq

    from etl.batch.pipeline import BatchOptions, run_batch

    start = time.perf_counter()
    result = run_batch(BatchOptions(raw, out, jobs=jobs, progress=False))
    seconds = time.perf_counter() - start
    parser_seconds = sum(s or 0 for s in pq.read_table(out / "documents.parquet").column("parse_seconds").to_pylist())
    print(json.dumps({
        "parser_seconds": parser_seconds,
        "seconds": seconds, "parse_seconds": result.parse_seconds, "documents": result.totals.documents,
        "ok": result.totals.ok, "partial": result.totals.partial, "failed": result.totals.failed,
        "main_peak_mb": result.main_peak_mb, "worker_peak_mb": result.worker_peak_mb,
    }))


def row(label: str, seconds: float, docs: int, pages: int, note: str = "") -> str:
    return f"{label:<34}{seconds / docs:>8.3f}{pages / seconds:>10.1f}{seconds:>9.1f}   {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, help="PDFs or folders (default: %(default)s)",
                        default=DEFAULT_INPUTS)
    parser.add_argument("--copies", type=int, default=4, help="copies of each input PDF for N (default 4)")
    parser.add_argument("--scale", type=int, default=10, help="M of the M×N memory run (default 10)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cores for (c)")
    parser.add_argument("--run-etl", nargs=3, metavar=("RAW", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_etl:
        raw, out, jobs = args.run_etl
        run_etl(Path(raw), Path(out), int(jobs))
        return
    pdfs = collect(args.inputs)
    if not pdfs:
        raise SystemExit(f"no PDFs in {', '.join(map(str, args.inputs))}")
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as tmp:
        report(Path(tmp), pdfs, args)


def report(tmp: Path, pdfs: list[Path], args: argparse.Namespace) -> None:
    files = make_raw(pdfs, args.copies, tmp / "raw")
    n = len(files)
    print(f"juesuan ETL throughput: {n} documents ({len(pdfs)} PDFs × {args.copies} copies), "
          f"{args.jobs} cores for (c), parser {parser_version()}")
    floor_s, pages = floor(files)
    one = etl_in_subprocess(tmp / "raw", tmp / "out1", 1)
    many = etl_in_subprocess(tmp / "raw", tmp / "outN", args.jobs)
    print(f"{n} documents, {pages} pages; ETL outcome: {one['ok']} ok, {one['partial']} partial, "
          f"{one['failed']} failed")
    print(f"{'':<34}{'s/doc':>8}{'pages/s':>10}{'wall s':>9}")
    print(row("(a) pdfplumber page.chars (floor)", floor_s, n, pages))
    print(row("(b) juesuan etl --jobs 1", one["seconds"], n, pages,
              f"(b)/(a) = {one['seconds'] / floor_s:.2f}×  (target ≤ 1.3×)"))
    print(row("    of which inside parse_pdf", one["parser_seconds"], n, pages,
              f"batch overhead {one['seconds'] - one['parser_seconds']:.1f} s"))
    print(row(f"(c) juesuan etl --jobs {args.jobs}", many["seconds"], n, pages,
              f"speed-up (b)/(c) = {one['seconds'] / many['seconds']:.2f}×  (target ≥ 1.8× on 2 cores)"))
    shutil.rmtree(tmp / "out1")
    shutil.rmtree(tmp / "outN")
    big_raw = tmp / "raw-big"
    make_raw(pdfs, args.copies * args.scale, big_raw)
    big = etl_in_subprocess(big_raw, tmp / "out-big", args.jobs)
    print(f"{'peak memory (RSS, MiB)':<34}{'main':>8}{'worker':>10}")
    for label, figures in ((f"N = {n} documents", many), (f"{args.scale}×N = {big['documents']} documents", big)):
        print(f"{label:<34}{figures['main_peak_mb']:>8.0f}{figures['worker_peak_mb'] or 0:>10.0f}")


def parser_version() -> str:
    from etl.batch.fragments import parser_version as version

    return version()


if __name__ == "__main__":
    main()
