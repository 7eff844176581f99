"""A real `juesuan etl` process killed with SIGKILL while writing its output: the previous Parquet
stays readable (and, before the first file is moved into place, byte-identical), and the next
run finishes the job."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from batch_fakes import fake_pdf

from etl.schema import TABLES

TESTS = Path(__file__).parent

#: Runs the batch with the stand-in parser; MODE decides where the process kills itself.
SCRIPT = """
import os, signal, sys
from pathlib import Path
from batch_fakes import fake_parse
from etl.batch import writer
from etl.batch.pipeline import BatchOptions, run_batch

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def close_then_die(self, _close=writer.StreamingParquetWriter.close, _n=[0]):
    _close(self)
    _n[0] += 1
    if _n[0] == 3:
        die()  # some tables staged, none moved into place

def commit_then_die(self):
    for i, staged in enumerate(sorted(self.tmp_dir.iterdir())):
        os.replace(staged, self.out_dir / staged.name)
        if i == 1:
            die()  # two tables replaced, the others not yet

if __name__ == "__main__":
    raw, out, mode = sys.argv[1:]
    if mode == "staging":
        writer.StreamingParquetWriter.close = close_then_die
    elif mode == "commit":
        writer.AtomicOutput.commit = commit_then_die
    run_batch(BatchOptions(Path(raw), Path(out), jobs=1, progress=False), parser=fake_parse)
"""


def run_etl(raw: Path, out: Path, mode: str) -> int:
    env = {"PYTHONPATH": str(TESTS), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(raw), str(out), mode], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, -signal.SIGKILL), done.stderr
    return done.returncode


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.glob("*.parquet")}


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

    assert run_etl(raw, out, "commit") == -signal.SIGKILL
    after_kill = snapshot(out)
    assert after_kill != before, "the kill was meant to land between two replacements"
    for name in TABLES:
        pq.read_table(out / f"{name}.parquet")  # every file complete and readable

    assert run_etl(raw, out, "normal") == 0
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    assert sorted(d["source_file"] for d in documents) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]
    ids = {d["doc_id"] for d in documents}
    for name in ("summary_items", "tables_found", "checks"):
        assert set(pq.read_table(out / f"{name}.parquet").column("doc_id").to_pylist()) == ids, name
    assert not list(out.glob(".tmp-*"))
