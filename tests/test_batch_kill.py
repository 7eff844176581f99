"""A real `juesuan etl` process killed with SIGKILL while writing its output: while staging, after
sealing its snapshot and between the two pointers, the previous Parquet stays current, complete and
byte-identical for readers, and the next run removes what was left and finishes the job."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from batch_fakes import fake_pdf

from etl.layout import PARTIAL, SNAPSHOTS, resolve_snapshot
from etl.schema import TABLES

TESTS = Path(__file__).parent

#: Runs the batch with the stand-in parser; MODE decides where the process kills itself.
SCRIPT = """
import os, signal, sys
from pathlib import Path
from batch_fakes import fake_parse
from etl.batch import snapshots, writer
from etl.batch.pipeline import BatchOptions, run_batch

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def close_then_die(self, _close=writer.StreamingParquetWriter.close, _n=[0]):
    _close(self)
    _n[0] += 1
    if _n[0] == 3:
        die()  # some tables staged, none moved into place

def seal_then_die(*args, _seal=snapshots.seal):
    _seal(*args)
    die()  # the snapshot complete and renamed, no pointer switched yet

def link_then_die(link, target, _replace=snapshots.replace_symlink):
    _replace(link, target)
    if link.name == "current":
        die()  # the current symlink switched, CURRENT not yet

if __name__ == "__main__":
    raw, out, mode = sys.argv[1:]
    if mode == "staging":
        writer.StreamingParquetWriter.close = close_then_die
    elif mode == "seal":
        snapshots.seal = seal_then_die
    elif mode == "switch":
        snapshots.replace_symlink = link_then_die
    run_batch(BatchOptions(Path(raw), Path(out), jobs=1, progress=False), parser=fake_parse)
"""


def run_etl(raw: Path, out: Path, mode: str) -> int:
    env = {"PYTHONPATH": str(TESTS), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(raw), str(out), mode], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, -signal.SIGKILL), done.stderr
    return done.returncode


def snapshot(out: Path) -> dict[str, bytes]:
    """What a reader of the current snapshot gets."""
    snap = resolve_snapshot(out)
    return {p.name: p.read_bytes() for p in snap.glob("*.parquet")}


def test_killed_run_leaves_previous_output_and_next_run_finishes(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    for name in ("a", "b", "c"):
        fake_pdf(raw / f"{name}.pdf")
    assert run_etl(raw, out, "normal") == 0
    before = snapshot(out)
    assert len(before) == len(TABLES)

    fake_pdf(raw / "d.pdf")
    assert run_etl(raw, out, "staging") == -signal.SIGKILL
    assert snapshot(out) == before, "a run killed while staging changed the output"
    assert list((out / SNAPSHOTS).glob(f"*{PARTIAL}")), "the kill was meant to land while staging"

    assert run_etl(raw, out, "seal") == -signal.SIGKILL
    assert snapshot(out) == before, "a run killed before its pointer switch changed the output"
    assert {p.read_bytes() for p in out.glob("*.parquet")} == set(before.values()), "contract paths moved"
    assert len(list((out / SNAPSHOTS).iterdir())) == 2, "the staged snapshot was not removed"

    assert run_etl(raw, out, "switch") == -signal.SIGKILL
    assert snapshot(out) == before, "CURRENT is the commit point"
    for name in TABLES:
        pq.read_table(out / f"{name}.parquet")  # the contract paths: every file complete and readable

    assert run_etl(raw, out, "normal") == 0
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    assert sorted(d["source_file"] for d in documents) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]
    ids = {d["doc_id"] for d in documents}
    for name in ("summary_items", "tables_found", "checks"):
        assert set(pq.read_table(out / f"{name}.parquet").column("doc_id").to_pylist()) == ids, name
    assert snapshot(out) == {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    assert not list((out / SNAPSHOTS).glob(f"*{PARTIAL}")) and not list(out.glob(".juesuan-tmp-*"))
