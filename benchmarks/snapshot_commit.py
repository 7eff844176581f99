"""What immutable snapshots cost: commit time and disk, against the old per-file rename commit.

    uv run python benchmarks/snapshot_commit.py [--dept-years 1000 10000 100000] [--commits 5]

For each size, a synthetic output (etl.analysis.synthetic, the ETL's arrow schemas) is staged and
committed `--commits` times both ways: the old commit (etl.batch.writer.AtomicOutput: fsync and
os.replace each file into `<out>/`) and the snapshot commit (etl.batch.snapshots: fsync, sha256 and
snapshot.json, rename, pointer switch, contract symlinks, pruning). Staging (writing the Parquet)
is the same both ways and not timed. Prints the median commit time, the size of one snapshot and
the disk the output folder holds after the commits (retention keeps the current snapshot, the 2
before it and any superseded within the grace period: here all of them).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from etl.analysis.synthetic import write_synthetic
from etl.batch.snapshots import SnapshotOutput, prune
from etl.batch.writer import AtomicOutput


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def stage(template: Path, folder: Path) -> None:
    for path in template.glob("*.parquet"):
        shutil.copyfile(path, folder / path.name)


def time_old(template: Path, out: Path, commits: int) -> list[float]:
    times = []
    for _ in range(commits):
        output = AtomicOutput(out)
        output.open()
        stage(template, output.tmp_dir)
        start = time.perf_counter()
        output.commit()
        times.append(time.perf_counter() - start)
    return times


def time_snapshots(template: Path, out: Path, commits: int) -> list[float]:
    times = []
    for _ in range(commits):
        output = SnapshotOutput(out, "bench")
        output.open()
        stage(template, output.staging)
        start = time.perf_counter()
        output.commit()
        times.append(time.perf_counter() - start)
    return times


def measure(dept_years: int, commits: int, root: Path) -> str:
    regions = max(1, round((dept_years / 10) ** 0.5))
    template = root / f"template-{dept_years}"
    write_synthetic(template, n_regions=regions, n_types=max(1, dept_years // (regions * 10)),
                    years=list(range(2014, 2024)))
    old, new = root / f"old-{dept_years}", root / f"new-{dept_years}"
    old_s = statistics.median(time_old(template, old, commits))
    new_s = statistics.median(time_snapshots(template, new, commits))
    one = folder_bytes(template)
    kept = folder_bytes(new)
    after_grace = prune(new, now=time.time() + 7200)
    return (f"{dept_years:>7} department-years  one build {one / 1e6:7.2f} MB  commit: old {old_s * 1000:7.1f} ms,"
            f" snapshot {new_s * 1000:7.1f} ms  disk after {commits} commits: old {folder_bytes(old) / 1e6:.2f} MB,"
            f" snapshots {kept / 1e6:.2f} MB ({commits} kept within the grace period; "
            f"{folder_bytes(new) / 1e6:.2f} MB once {len(after_grace)} are past it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dept-years", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--commits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="juesuan-snapbench-") as tmp:
        for size in args.dept_years:
            print(measure(size, args.commits, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
