"""Time etl.analysis.connect(): fresh, warm and per sql file — this tree against a baseline, in one run.

    uv run python benchmarks/connect.py [--parquet DIR] [--runs 7] [--baseline main] [--files]

--parquet: an ETL output (default data/parquet, what `make demo` writes; when it holds no ETL
output a demo corpus is generated with `juesuan sample` + `juesuan etl` in a temp folder).
--baseline: a git ref whose etl/ is extracted (git archive, no checkout touched) to a temp folder
and timed the same way; '' times this tree only.

Each run starts one new Python process per tree (the trees alternate, so a load spike on the
shared machine hits both) that times
  fresh      its first connect() (modules imported; DuckDB's first connection in the process);
  warm       three more connect() calls;
  first use  binding every analytical view once (DESCRIBE each) on a fresh connection: the work a
             connect() that defers view binding leaves to the first query of each view.
Printed: the median over the runs (min-max), wall seconds and CPU seconds (process_time, all
threads; steadier than wall time when other processes share the cores).
--files adds each sql file's cost in connect()'s order (materialize=True), the culprit finder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run as `python -c CHILD tree mode parquet` with the tree to time first on sys.path; prints JSON.
CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import etl.analysis as A
mode, pq = sys.argv[2], sys.argv[3]

def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    fn()
    return [time.perf_counter() - w, time.process_time() - c]

if mode == "connect":
    out = {"fresh": timed(lambda: A.connect(pq)), "warm": [timed(lambda: A.connect(pq)) for _ in range(3)]}
    con = A.connect(pq)
    out["first use"] = timed(lambda: [con.execute(f"DESCRIBE {v}").fetchall() for v in A.analytical_views()])
    print(json.dumps(out))
else:  # files: connect() without its sql files, then each file run as connect() runs it
    files = A.view_files()
    A.view_files = lambda: []
    con = A.connect(pq)
    defer = A._can_defer_binding(con) if hasattr(A, "_can_defer_binding") else False
    costs = {}
    for path in files:
        t0 = time.perf_counter()
        if hasattr(A, "run_view_file"):
            A.run_view_file(con, path, materialize=True, defer=defer)
        else:  # before session 22 the loop body of connect() was inline
            sql = path.read_text(encoding="utf-8")
            if int(path.name[:3]) < A.MATERIALIZE_BELOW:
                sql = sql.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP TABLE")
            con.execute(sql)
        costs[path.name] = time.perf_counter() - t0
    print(json.dumps(costs))
"""


def _child(tree: Path, mode: str, parquet: Path):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(tree), mode, str(parquet)],
                         check=True, capture_output=True, text=True, env=env, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _baseline_tree(ref: str, dest: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "etl"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def _demo_parquet(tmp: Path) -> Path:
    cli = Path(sys.executable).with_name("juesuan")
    subprocess.run([str(cli), "sample", "--out", str(tmp / "raw")], check=True, capture_output=True)
    subprocess.run([str(cli), "etl", str(tmp / "raw"), "--out", str(tmp / "parquet")], check=True,
                   capture_output=True)
    return tmp / "parquet"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parquet", default="data/parquet")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--baseline", default="main", help="git ref to compare with ('' for none)")
    ap.add_argument("--files", action="store_true", help="also print each sql file's cost")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        parquet = Path(args.parquet).resolve()
        if not (parquet / "documents.parquet").exists() and not (parquet / "CURRENT").exists():
            print(f"{parquet} holds no ETL output: generating the demo corpus ...", flush=True)
            parquet = _demo_parquet(Path(tmp))
        trees = {"this tree": ROOT}
        if args.baseline:
            base = Path(tmp) / "baseline"
            base.mkdir()
            trees = {f"baseline {args.baseline}": _baseline_tree(args.baseline, base), **trees}
        samples: dict[str, dict[str, list[list[float]]]] = {t: {} for t in trees}
        for _ in range(args.runs):
            for label, tree in trees.items():
                out = _child(tree, "connect", parquet)
                for what, got in out.items():
                    samples[label].setdefault(what, []).extend(got if what == "warm" else [got])
        print(f"connect({parquet}), {args.runs} runs: median wall s (min-max) / median CPU s")
        for label in trees:
            print(f"  {label:16}" + "  ".join(f"{what} {_stat(xs)}" for what, xs in samples[label].items()))
        if args.files:
            _print_files({label: _child(tree, "files", parquet) for label, tree in trees.items()})
    return 0


def _stat(pairs: list[list[float]]) -> str:
    wall, cpu = [p[0] for p in pairs], [p[1] for p in pairs]
    return f"{statistics.median(wall):.3f} ({min(wall):.3f}-{max(wall):.3f}) / {statistics.median(cpu):.3f}"


def _print_files(costs: dict[str, dict[str, float]]) -> None:
    labels = list(costs)
    names = sorted({n for c in costs.values() for n in c})
    print("\nper sql file, wall seconds (one connect, materialize=True)")
    print(f"  {'file':40}" + "".join(f"{lab:>18}" for lab in labels))
    for name in names:
        print(f"  {name:40}" + "".join(f"{costs[lab].get(name, float('nan')):>18.3f}" for lab in labels))
    print(f"  {'total':40}" + "".join(f"{sum(costs[lab].values()):>18.3f}" for lab in labels))


if __name__ == "__main__":
    raise SystemExit(main())
