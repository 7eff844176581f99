"""What the collection steps add to a run: finding report starts in a file, and resolving the collection.

    uv run python benchmarks/collections_overhead.py [--documents N]

Prints (a) milliseconds of `split_reports` per real PDF next to the seconds its pages take to load,
and (b) seconds to read N documents' fragment summaries, resolve names (half of them
city-level names a district one completes, the worst case) and find two-file pairs — the work every run
does after parsing, even when nothing changed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from etl.batch.collection_names import resolve
from etl.batch.companions import find_pairs, read_summaries
from etl.batch.fragments import FragmentStore
from etl.batch.writer import to_arrow
from etl.pagesource import load_pages
from etl.parsing.split import split_reports

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-pdfs"


def split_cost() -> None:
    for pdf in sorted(REAL.glob("*.pdf")):
        start = time.perf_counter()
        pages = load_pages(pdf)
        loaded = time.perf_counter()
        reports = split_reports(pages)
        done = time.perf_counter()
        print(f"{pdf.name[:30]:32s} load {loaded - start:6.2f} s  split {1000 * (done - loaded):6.2f} ms "
              f"({len(reports)} report(s), {len(pages)} pages)")


def collection_cost(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = FragmentStore(Path(tmp), "bench")
        store.prepare()
        for i in range(n):
            doc = {"doc_id": f"{i:016x}", "source_file": f"{i}.pdf", "sha256": "0", "status": "ok",
                   "department": f"上海市第{i}局" if i % 2 else f"上海市普陀区第{i - 1}局", "region": "上海市",
                   "year": 2024, "doc_kind": "final_accounts"}
            store.write(doc["doc_id"], {"documents": to_arrow("documents", [doc])})
        start = time.perf_counter()
        summaries = read_summaries(store, [f"{i:016x}" for i in range(n)])
        renames = resolve(d for s in summaries for d in s.documents)
        pairs = find_pairs(summaries, renames)
        seconds = time.perf_counter() - start
        print(f"collection of {n} documents: {seconds:.2f} s ({1000 * seconds / n:.2f} ms/document, "
              f"{len(renames)} renames, {len(pairs)} pairs)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=2000)
    args = ap.parse_args()
    split_cost()
    collection_cost(args.documents)


if __name__ == "__main__":
    main()
