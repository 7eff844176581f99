"""Readers see whole runs only (issue 16): real `juesuan etl` processes commit again and again, each
writing a different set of documents, and some are SIGKILLed at random moments or inside their commit,
while reader threads poll through `connect()`, plain DuckDB and Polars over `snapshot_dir()`. Every read
must be one complete build — the documents of exactly one known version, with checks, tables_found and
summary_items covering exactly its final-accounts documents — never a mix, never an error.

The runs use tests/run_harness.py (the real command line with the stand-in parser of batch_fakes.py),
so that a run takes seconds and the test sees many commits."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest
from batch_fakes import fake_pdf

from etl import layout
from etl.analysis import connect, snapshot_dir
from etl.batch import snapshots

TESTS = Path(__file__).parent
FIGURE_TABLES = ("checks", "tables_found", "summary_items")
RUNS = 10
#: reads each kind of reader must make while runs commit
MIN_READS_EACH = 10
READERS = ("polars", "duckdb", "connect")
KILLED = {1, 3, 5, 7}
#: Of the killed runs, those killed inside their commit; the others at a random moment of the run.
KILLED_IN_COMMIT = {3, 7}
#: No new run after this long, whatever was reached (the test's time budget).
WRITER_SECONDS = 55.0



@dataclass
class Read:
    documents: set[str]
    #: documents of kind final_accounts that did not fail: those the figure tables must cover
    final: set[str]
    figures: dict[str, set[str]]
    counts: dict[str, int]


def doc_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def juesuan_etl(raw: Path, out: Path) -> subprocess.Popen:
    """A run in its own process group, so that SIGKILL reaches its workers too."""
    return subprocess.Popen([sys.executable, str(TESTS / "run_harness.py"), "etl", str(raw), "--out", str(out),
                             "--jobs", "1"], env={**os.environ, "PYTHONPATH": str(TESTS)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


class Corpus:
    """RAW holds the base documents plus one of two toggled groups: versions A and B."""

    def __init__(self, root: Path) -> None:
        self.raw, self.parked = root / "raw", root / "parked"
        base = [fake_pdf(self.raw / f"base{i}.pdf") for i in range(4)]
        self.groups = [[fake_pdf(self.parked / f"{g}{i}.pdf") for i in range(2)] for g in "xy"]
        self.versions = [frozenset(map(doc_id, base + group)) for group in self.groups]
        self.shown = 0
        self._move(self.groups[0], self.raw)

    def show_other_than(self, out: Path) -> None:
        """RAW as the version the current snapshot is not, so that the next run must commit a new one
        (a killed run may or may not have committed, and may have left the other group's fragments)."""
        current = self.versions.index(frozenset(read_polars(out).documents))
        if self.shown == current:
            self._move(self.groups[self.shown], self.parked)
            self.shown = 1 - self.shown
            self._move(self.groups[self.shown], self.raw)

    def _move(self, group: list[Path], folder: Path) -> None:
        for i, path in enumerate(group):
            target = folder / path.name
            (path.parent / path.name).rename(target)
            group[i] = target


def check(read: Read, versions: list[frozenset[str]]) -> str | None:
    """What is wrong with one read, or None: one version's documents, the figure tables covering exactly
    its final-accounts documents that did not fail, and no row counted twice."""
    if frozenset(read.documents) not in versions:
        return f"documents {sorted(read.documents)} is no version"
    if read.counts["documents"] != len(read.documents):
        return f"{read.counts['documents']} documents rows for {len(read.documents)} doc_ids"
    for name, ids in read.figures.items():
        if ids != read.final:
            return f"{name} covers {len(ids)} documents, {len(read.final)} final-accounts documents"
    expected = {"checks": 2, "tables_found": 1, "summary_items": 1}  # the stand-in parser's rows per document
    for name, per_document in expected.items():
        if read.counts[name] != per_document * len(read.final):
            return f"{read.counts[name]} {name} rows for {len(read.final)} documents"
    return None


FINAL_DOCS = "SELECT doc_id FROM documents WHERE doc_kind = 'final_accounts' AND status <> 'failed'"


def read_connect(out: Path) -> Read:
    con = connect(out, quality="all")
    try:
        con.execute("SELECT count(*) FROM department_year_metrics").fetchall()  # the analytical views work
        return _read_duckdb(con, {name: name for name in ("documents", *FIGURE_TABLES)})
    finally:
        con.close()


def read_duckdb(out: Path) -> Read:
    snap = snapshot_dir(out)
    con = duckdb.connect()
    try:
        sources = {name: f"read_parquet('{snap / name}.parquet')" for name in ("documents", *FIGURE_TABLES)}
        read = _read_duckdb(con, sources)
    finally:
        con.close()
    manifest = json.loads((snap / layout.MANIFEST).read_text())
    for name, count in read.counts.items():
        assert manifest["tables"][name]["rows"] == count, f"{name}: snapshot.json disagrees with its file"
    return read


def _read_duckdb(con: duckdb.DuckDBPyConnection, sources: dict[str, str]) -> Read:
    """One query over every table (DuckDB opens each file more than once within it)."""
    parts = [f"(SELECT list(DISTINCT doc_id) FROM {src}), (SELECT count(*) FROM {src})" for src in sources.values()]
    final = FINAL_DOCS.replace("FROM documents", f"FROM {sources['documents']}")
    row = con.execute(f"SELECT {', '.join(parts)}, ({final.replace('SELECT doc_id', 'SELECT list(doc_id)')})"
                      ).fetchone()
    names = list(sources)
    ids = {name: set(row[2 * i] or []) for i, name in enumerate(names)}
    counts = {name: row[2 * i + 1] for i, name in enumerate(names)}
    return Read(ids["documents"], set(row[-1] or []), {n: ids[n] for n in FIGURE_TABLES}, counts)


def read_polars(out: Path) -> Read:
    snap = snapshot_dir(out)
    frames = {name: pl.read_parquet(snap / f"{name}.parquet") for name in ("documents", *FIGURE_TABLES)}
    documents = frames["documents"]
    final = documents.filter((pl.col("doc_kind") == "final_accounts") & (pl.col("status") != "failed"))
    return Read(set(documents["doc_id"]), set(final["doc_id"]), {n: set(frames[n]["doc_id"]) for n in FIGURE_TABLES},
                {n: f.height for n, f in frames.items()})


class Readers:
    """Threads polling with one reader each until stopped; every read checked, every error kept."""

    def __init__(self, out: Path, versions: list[frozenset[str]]) -> None:
        self.out, self.versions = out, versions
        self.stop = threading.Event()
        self.reads: Counter[str] = Counter()
        self.seen: set[frozenset[str]] = set()
        self.bad: list[str] = []
        self.threads = [threading.Thread(target=self._poll, args=(name, reader), daemon=True)
                        for name, reader in (("connect", read_connect), ("duckdb", read_duckdb),
                                             ("polars", read_polars))]

    def _poll(self, name: str, reader: Callable[[Path], Read]) -> None:
        while not self.stop.is_set():
            try:
                read = reader(self.out)
                problem = check(read, self.versions)
                self.seen.add(frozenset(read.documents))
            except Exception as exc:  # noqa: BLE001 - any error is a failed read, reported below
                problem = f"{type(exc).__name__}: {exc}"
            self.reads[name] += 1
            if problem:
                self.bad.append(f"{name}: {problem}")

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def run_to_the_end(run: subprocess.Popen) -> int:
    _, err = run.communicate(timeout=120)
    assert run.returncode == 0, err[-2000:]
    return 0


def timed_run(run: subprocess.Popen) -> float:
    """Seconds from now until the run ends, which it must do with status 0."""
    begun = time.monotonic()
    run_to_the_end(run)
    return time.monotonic() - begun


def kill_at_random(run: subprocess.Popen, out: Path, rng: random.Random, in_commit: bool, run_seconds: float) -> int:
    """SIGKILL the run's process group at a random moment within `run_seconds` (how long the last whole run took:
    a fixed window let faster runs finish first), or (in_commit) once its snapshot is being written, a moment
    later; returns its exit status (0 if it finished first)."""
    if in_commit:
        deadline = time.monotonic() + 60
        while run.poll() is None and time.monotonic() < deadline and not list(
                (out / layout.SNAPSHOTS).glob(f"*{layout.PARTIAL}")):
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.03))
    else:
        time.sleep(rng.uniform(0.1, 0.9) * run_seconds)
    if run.poll() is None:
        os.killpg(run.pid, signal.SIGKILL)
    run.communicate(timeout=60)
    return run.returncode


@pytest.mark.slow
def test_readers_see_one_complete_snapshot_while_runs_commit_and_die(tmp_path: Path) -> None:
    rng = random.Random(16)
    corpus, out = Corpus(tmp_path), tmp_path / "out"
    run_seconds = timed_run(juesuan_etl(corpus.raw, out))
    start = time.monotonic()
    outcomes: Counter[str] = Counter()
    with Readers(out, corpus.versions) as readers:
        # at least RUNS runs, and more while the slowest reader (connect() builds every view) has read fewer than
        # 10 times: its reads must span commits too, however long it takes to build the views on this machine
        for i in itertools.count():
            if time.monotonic() - start > WRITER_SECONDS or (
                    i >= RUNS and min(readers.reads[k] for k in READERS) >= MIN_READS_EACH):
                break
            corpus.show_other_than(out)
            run = juesuan_etl(corpus.raw, out)
            if i in KILLED:
                code = kill_at_random(run, out, rng, in_commit=i in KILLED_IN_COMMIT, run_seconds=run_seconds)
                outcomes["killed" if code == -signal.SIGKILL else "finished before the kill"] += 1
            else:
                run_seconds = timed_run(run)
                outcomes["committed"] += 1
        time.sleep(0.5)  # a last round of reads on the final snapshot
    seconds = time.monotonic() - start

    total = sum(readers.reads.values())
    print(f"\n{total} reads {dict(readers.reads)} in {seconds:.0f} s; runs {dict(outcomes)}; "
          f"{len(list((out / layout.SNAPSHOTS).iterdir()))} snapshots")
    assert not readers.bad, f"{len(readers.bad)} bad reads of {total}:\n" + "\n".join(readers.bad[:20])
    # enough reads of each kind to span commits (connect() builds every view: the slowest reader, ~1 a second)
    assert total >= 300 and min(readers.reads[k] for k in READERS) >= MIN_READS_EACH, readers.reads
    assert readers.seen == set(corpus.versions), "the reads did not span both versions"
    assert outcomes["killed"] >= 2 and outcomes["committed"] >= 4, outcomes
    assert len(snapshots.snapshot_ids(out)) > outcomes["committed"], "a snapshot within the grace hour was pruned"

    run_to_the_end(juesuan_etl(corpus.raw, out))  # after the kills, the next run finishes the job
    final = read_duckdb(out)
    assert check(final, corpus.versions) is None and frozenset(final.documents) == corpus.versions[corpus.shown]
    assert not list((out / layout.SNAPSHOTS).glob(f"*{layout.PARTIAL}")), "a killed run's snapshot was left"
    assert not list(out.glob(".juesuan-tmp-*"))


def test_the_read_check_flags_a_mixed_or_partial_read() -> None:
    a, b = frozenset({"base", "x"}), frozenset({"base", "y"})
    whole = Read(set(a), set(a), {n: set(a) for n in FIGURE_TABLES},
                 {"documents": 2, "checks": 4, "tables_found": 2, "summary_items": 2})
    assert check(whole, [a, b]) is None
    mixed = Read(set(a), set(a), {**whole.figures, "checks": set(b)}, whole.counts)
    assert "checks covers" in (check(mixed, [a, b]) or "")
    neither = Read(a | b, a | b, {n: a | b for n in FIGURE_TABLES}, {**whole.counts, "documents": 3})
    assert "is no version" in (check(neither, [a, b]) or "")
    torn = Read(set(a), set(a), whole.figures, {**whole.counts, "checks": 62})
    assert "62 checks rows" in (check(torn, [a, b]) or "")
