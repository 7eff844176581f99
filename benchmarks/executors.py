"""Documents per second of the parse executors, in one run on the same files.

    uv run python benchmarks/executors.py [PDF or folder ...] [--copies K]

Input (default: ../shared/real-pdfs) is copied K times with differing bytes (see
etl_throughput.make_raw); each configuration runs `juesuan etl --force` into a fresh output
folder: local --jobs 1, local with all cores, and --executor dask on a 2-worker LocalCluster
started beforehand (so cluster start-up is not counted; its workers' sandboxes are).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import dask
from distributed import LocalCluster
from etl_throughput import DEFAULT_INPUTS, collect, make_raw

from etl.batch.executors.dask import WORKER_CONFIG
from etl.cli import main


def timed(raw: Path, out: Path, extra: list[str]) -> float:
    start = time.perf_counter()
    code = main(["etl", str(raw), "--out", str(out), "--force", *extra])
    assert code == 0, code
    return time.perf_counter() - start


def run(inputs: list[Path], copies: int) -> None:
    pdfs = collect(inputs)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        files = make_raw(pdfs, copies, raw)
        cores = os.cpu_count() or 1
        results = {
            "local, 1 job": timed(raw, Path(tmp) / "l1", ["--jobs", "1"]),
            f"local, {cores} jobs": timed(raw, Path(tmp) / "ln", ["--jobs", str(cores)]),
        }
        with dask.config.set(WORKER_CONFIG), LocalCluster(n_workers=2, threads_per_worker=1,
                                                           dashboard_address=None) as cluster:
            results["dask, 2-worker LocalCluster"] = timed(
                raw, Path(tmp) / "d2", ["--executor", "dask", "--cluster", cluster.scheduler_address])
    print(f"\n{len(files)} documents ({len(pdfs)} PDFs × {copies})")
    print(f"{'executor':32} {'seconds':>8} {'documents/s':>12}")
    for name, seconds in results.items():
        print(f"{name:32} {seconds:8.1f} {len(files) / seconds:12.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT_INPUTS[:1])
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    run(args.inputs, args.copies)
