"""Snapshots behind one pointer (etl.batch.snapshots, etl.layout): what a commit leaves, which old
snapshots pruning keeps (count, grace, lease), what a killed run leaves and the next run removes,
an old output migrated, and an output folder that is not juesuan's refused and never touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_fakes import fake_pdf

from etl import layout
from etl.analysis import connect, snapshot_dir
from etl.batch import runs, snapshots
from etl.batch.snapshots import SnapshotOutput, prune, snapshot_output
from etl.schema import RUNS, TABLES

TESTS = Path(__file__).parent


def commit(out: Path, value: int, tables: tuple[str, ...] = ("documents", "checks")) -> str:
    """A snapshot whose tables hold one row `value` each; returns its id."""
    with snapshot_output(out, "test+1") as output:
        for name in tables:
            pq.write_table(pa.table({"value": [value]}), output.path(f"{name}.parquet"))
    return output.id


def values(path: Path) -> list[int]:
    return pq.read_table(path).column("value").to_pylist()


def snapshot_folders(out: Path) -> list[str]:
    return sorted(p.name for p in (out / layout.SNAPSHOTS).iterdir())


def set_sealed(out: Path, ident: str, when: float) -> None:
    os.utime(out / layout.SNAPSHOTS / ident / layout.MANIFEST, (when, when))


def test_a_commit_writes_a_sealed_snapshot_and_points_at_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = commit(out, 1)
    second = commit(out, 2)
    assert (out / layout.POINTER_FILE).read_text().strip() == second
    assert os.readlink(out / layout.POINTER_LINK) == f"{layout.SNAPSHOTS}/{second}"
    assert os.readlink(out / "documents.parquet") == "current/documents.parquet"
    assert values(out / "documents.parquet") == [2], "the contract path follows the current snapshot"
    assert values(snapshot_dir(out) / "checks.parquet") == [2]
    assert values(out / layout.SNAPSHOTS / first / "documents.parquet") == [1], "the previous one is intact"
    manifest = json.loads((out / layout.SNAPSHOTS / second / layout.MANIFEST).read_text())
    assert manifest["id"] == second and manifest["parser_version"] == "test+1"
    assert manifest["tables"]["documents"]["rows"] == 1
    assert manifest["tables"]["documents"]["sha256"] == snapshots.sha256_file(out / "documents.parquet")
    assert (out / layout.MARKER).is_file()
    assert not list(out.glob(".juesuan-tmp-*"))


def test_a_reader_keeps_the_snapshot_it_resolved_while_runs_commit(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit(out, 1)
    held = snapshot_dir(out)
    commit(out, 2)
    assert values(held / "documents.parquet") == [1]
    assert snapshot_dir(out) != held and values(snapshot_dir(out) / "documents.parquet") == [2]


def test_pruning_keeps_the_current_snapshot_and_the_two_before_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ids = [commit(out, i) for i in range(6)]
    assert snapshot_folders(out) == ids, "all superseded within the grace period: none removed yet"
    assert prune(out, now=time.time() + 2 * snapshots.GRACE_SECONDS) == ids[:3]
    assert snapshot_folders(out) == ids[3:]
    assert values(out / "documents.parquet") == [5]


def test_pruning_keeps_a_snapshot_superseded_within_the_grace_period(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ids = [commit(out, i) for i in range(6)]
    now = time.time()
    for ident, hours_ago in zip(ids, (5, 4, 3, 2, 1, 0), strict=True):
        set_sealed(out, ident, now - hours_ago * 3600)
    set_sealed(out, ids[3], now - 600)  # ids[2] was superseded 10 minutes ago
    assert prune(out, now=now) == ids[:2]
    assert snapshot_folders(out) == ids[2:]


def test_pruning_skips_a_snapshot_a_reader_holds_a_lease_on(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = commit(out, 0)
    holder = subprocess.Popen([sys.executable, "-c", LEASE_HOLDER, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == first
        ids = [first] + [commit(out, i) for i in range(1, 6)]
        removed = prune(out, now=time.time() + 2 * snapshots.GRACE_SECONDS)
    finally:
        holder.kill()
        holder.wait()
    assert removed == ids[1:3], "the leased snapshot was removed"
    assert snapshot_folders(out) == [first, *ids[3:]]
    assert prune(out, now=time.time() + 2 * snapshots.GRACE_SECONDS) == [first], "lease released on exit"


#: A reader process: connect() leases the current snapshot, says which, and waits.
LEASE_HOLDER = """
import sys, time
from etl.analysis import snapshot_dir
print(snapshot_dir(sys.argv[1]).name, flush=True)
time.sleep(600)
"""


def test_connect_reads_one_snapshot_and_leases_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with snapshot_output(out, "test+1") as output:
        for name, table in TABLES.items():
            pq.write_table(table.arrow_schema().empty_table(), output.path(f"{name}.parquet"))
    con = connect(out, quality="all")
    sql = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'documents'").fetchone()[0]
    assert f"{layout.SNAPSHOTS}/{output.id}/documents.parquet" in sql, sql
    assert (out / layout.SNAPSHOTS / output.id).resolve() in layout._LEASES
    commit(out, 9)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_a_killed_commit_leaves_partial_snapshots_that_the_next_run_removes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = commit(out, 1)
    staged = out / layout.SNAPSHOTS / f"{snapshots.new_id()}{layout.PARTIAL}"
    staged.mkdir()
    (staged / "documents.parquet").write_bytes(b"PAR1 half")
    unsealed = out / layout.SNAPSHOTS / snapshots.new_id()
    unsealed.mkdir()
    never_switched = SnapshotOutput(out, "test+1")
    never_switched.staging.mkdir()
    pq.write_table(pa.table({"value": [7]}), never_switched.path("documents.parquet"))
    snapshots.seal(never_switched.staging, never_switched.id, "test+1")  # killed before the switch
    foreign = [out / layout.SNAPSHOTS / "notes.txt", out / layout.SNAPSHOTS / "mine"]
    foreign[0].write_text("mine")
    foreign[1].mkdir()
    assert snapshot_dir(out).name == good and values(out / "documents.parquet") == [1]
    latest = commit(out, 2)
    assert snapshot_folders(out) == sorted([good, latest, "mine", "notes.txt"])


def test_an_old_output_is_migrated_on_its_first_commit(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    pq.write_table(pa.table({"value": [1]}), out / "documents.parquet")  # juesuan before snapshots
    old_run = {"run_id": "a" * 12, "command": "etl", "started_at": 1, "ended_at": 2, "juesuan_version": "0",
               "parser_version": "0", "exit_code": 0}
    pq.write_table(pa.Table.from_pylist([old_run], schema=RUNS.arrow_schema()), out / runs.LEGACY_FILE)
    commit(out, 2)
    assert (out / "documents.parquet").is_symlink() and values(out / "documents.parquet") == [2]
    runs.append_run(out, {**old_run, "run_id": "b" * 12, "started_at": 3, "ended_at": 4})
    assert not (out / runs.LEGACY_FILE).exists()
    assert [r["run_id"] for r in runs.read_runs(out)] == ["a" * 12, "b" * 12]
    con = connect(out)
    assert con.execute("SELECT list(run_id ORDER BY ended_at) FROM runs").fetchone()[0] == ["a" * 12, "b" * 12]


def juesuan_etl(raw: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TESTS / "run_harness.py"), "etl", str(raw), "--out", str(out),
                           "--jobs", "1"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(TESTS)})


def test_an_output_folder_that_is_not_juesuans_is_refused_and_left_alone(tmp_path: Path) -> None:
    raw, home = tmp_path / "raw", tmp_path / "home"
    fake_pdf(raw / "a.pdf")
    (home / ".cache/tmp/important").mkdir(parents=True)
    (home / ".cache/tmp/important/file").write_text("keep")
    (home / ".tmp-editor-swap").mkdir()
    done = juesuan_etl(raw, home)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "not a juesuan output" in done.stderr
    assert sorted(p.name for p in home.iterdir()) == [".cache", ".tmp-editor-swap"], "the folder was touched"


@pytest.mark.parametrize("contents", ["nothing", "gitkeep", "old_output"])
def test_new_empty_and_old_juesuan_folders_are_accepted(tmp_path: Path, contents: str) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    if contents != "nothing":
        out.mkdir()
        (out / ".gitkeep").touch()
    if contents == "old_output":
        pq.write_table(TABLES["documents"].arrow_schema().empty_table(), out / "documents.parquet")
    done = juesuan_etl(raw, out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / layout.MARKER).is_file() and (out / "documents.parquet").is_symlink()


def test_juesuan_removes_only_what_it_named_in_its_own_output(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    assert juesuan_etl(raw, out).returncode == 0
    (out / ".cache/tmp/important").mkdir(parents=True)  # someone else's files, put there later
    (out / ".tmp-editor-swap").mkdir()
    (out / ".juesuan-tmp-leftover").mkdir()  # what a killed juesuan run leaves
    fake_pdf(raw / "b.pdf")
    assert juesuan_etl(raw, out).returncode == 0
    assert (out / ".cache/tmp/important").is_dir() and (out / ".tmp-editor-swap").is_dir()
    assert not (out / ".juesuan-tmp-leftover").exists()


@pytest.mark.fidelity
def test_the_scorer_reads_the_contract_layout_after_several_commits(tmp_path: Path, shared: Path) -> None:
    """`<out>/<table>.parquet` (symlinks into the current snapshot) is what the shared scorer reads."""
    raw, out, parked = tmp_path / "raw", tmp_path / "out", tmp_path / "parked"
    subprocess.run([sys.executable, "-m", "etl.cli", "sample", "--out", str(raw), "--regions", "1",
                    "--departments", "1", "--years", "2021-2022", "--no-seed-report"], check=True, timeout=300)
    pdfs = sorted(raw.rglob("*.pdf"))
    assert len(pdfs) == 2
    for step in ("both", "one"):
        if step == "one":
            parked.mkdir()
            for path in (pdfs[0], pdfs[0].with_suffix(".json")):
                path.rename(parked / path.name)
        done = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "1"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    assert (out / "documents.parquet").is_symlink() and len(snapshots.snapshot_ids(out)) == 2
    score = subprocess.run([sys.executable, str(shared / "tools" / "score_fidelity.py"), "--parquet", str(out),
                            "--truth", str(pdfs[1].parent), "--json"], capture_output=True, text=True, timeout=300)
    assert score.returncode == 0, score.stderr
    result = json.loads(score.stdout)
    assert result["ratio"] == 1.0 and result["total"] > 100, result.get("misses", [])[:20]
    removed = subprocess.run([sys.executable, str(shared / "tools" / "score_fidelity.py"), "--parquet", str(out),
                              "--truth", str(parked), "--json"], capture_output=True, text=True, timeout=300)
    assert json.loads(removed.stdout)["matched"] == 0, "the contract paths still show the first commit"
