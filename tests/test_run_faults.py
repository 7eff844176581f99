"""`juesuan run` against faults, as real processes: another run holding the lock (exit 3), a
crashed holder (not stuck), a full disk (exit 4), a read-only output folder (exit 4) — each
leaving the previous output as it was. Plus what a run records: JSON-lines log, runs.parquet."""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from batch_fakes import fake_pdf
from run_procs import assert_output_complete, env, run, snapshot, source_files

from etl.batch import writer
from etl.batch.lock import OutputLock
from etl.batch.runs import read_runs
from etl.cli import main

#: Bytes a file may grow to under the "disk full" limit: fragments (~3.4 kB) fit, documents.parquet does not.
FILE_SIZE_LIMIT = 4096


@pytest.fixture
def done(tmp_path: Path) -> dict[str, Path]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    for name in ("a", "b", "c"):
        fake_pdf(raw / f"{name}.pdf")
    result = run(["run", str(raw), "--out", str(out), "--no-reports", "--jobs", "1"])
    assert result.returncode == 0, result.stderr
    fake_pdf(raw / "d.pdf")  # the next run has work to do
    return {"raw": raw, "out": out, "tmp": tmp_path}


def args(f: dict[str, Path], *extra: str) -> list[str]:
    return ["run", str(f["raw"]), "--out", str(f["out"]), "--no-reports", "--jobs", "1", *extra]


def test_second_run_exits_3_naming_the_holder(done) -> None:
    with OutputLock(done["out"], "juesuan run"):
        result = run(args(done))
        etl_result = run(["etl", str(done["raw"]), "--out", str(done["out"])])
    assert result.returncode == 3 and etl_result.returncode == 3
    assert f"pid {os.getpid()}" in result.stderr and "juesuan run since" in result.stderr
    assert source_files(done["out"]) == ["a.pdf", "b.pdf", "c.pdf"]


def test_lock_of_a_killed_run_is_not_stuck(done) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from etl.batch.lock import OutputLock; OutputLock(Path(sys.argv[1])).acquire(); "
                               "print('held', flush=True); time.sleep(600)", str(done["out"])],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert run(args(done)).returncode == 3
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert run(args(done)).returncode == 0
    assert source_files(done["out"]) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]


def _file_size_limit() -> None:
    """In the child: writes past FILE_SIZE_LIMIT bytes fail with EFBIG (SIGXFSZ ignored), as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_disk_full_exits_4_and_keeps_previous_output(done) -> None:
    """A real kernel write failure (RLIMIT_FSIZE: EFBIG) in the middle of staging documents.parquet."""
    before = snapshot(done["out"])
    result = run(args(done, "--log", str(done["tmp"] / "full.jsonl")), preexec_fn=_file_size_limit)
    assert result.returncode == 4, result.stderr
    assert "cannot write the output" in result.stderr and "File too large" in result.stderr
    assert "previous output left as it was" in result.stderr
    assert snapshot(done["out"]) == before
    assert_output_complete(done["out"])
    assert run(args(done)).returncode == 0  # space again: the next run finishes the job
    assert source_files(done["out"]) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]


def test_no_space_left_while_staging_exits_4_in_process(done, monkeypatch, capsys) -> None:
    """ENOSPC itself (which RLIMIT_FSIZE cannot produce) raised by the Parquet writer, in-process."""
    before = snapshot(done["out"])

    def full(self: writer.StreamingParquetWriter) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))

    monkeypatch.setattr(writer.StreamingParquetWriter, "close", full)
    monkeypatch.setattr("etl.batch.pipeline.run_batch.__defaults__", (__import__("batch_fakes").fake_parse,))
    assert main(args(done)) == 4
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(done["out"]) == before
    assert_output_complete(done["out"])
    assert read_runs(done["out"])[-1]["exit_code"] == 4


def _read_only(command: list[str], folder: Path) -> list[str]:
    """As root (chmod does not stop root) a read-only bind mount in a private mount namespace;
    otherwise the folder made read-only with chmod."""
    if os.geteuid() != 0:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
        return command
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", str(folder), *command]


def test_read_only_output_exits_4_and_keeps_previous_output(done) -> None:
    before = snapshot(done["out"])
    command = [sys.executable, str(Path(__file__).parent / "run_harness.py"),
               *args(done, "--log", str(done["tmp"] / "ro.jsonl"))]
    result = subprocess.run(_read_only(command, done["out"]), env=env(), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 4, result.stderr
    assert "Read-only file system" in result.stderr or "Permission denied" in result.stderr
    assert "cannot write the output" in result.stderr
    for path in [done["out"], *done["out"].rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    assert snapshot(done["out"]) == before


def test_run_logs_json_lines_and_records_the_run(done) -> None:
    result = run(args(done, "--strict"))
    assert result.returncode == 0
    assert "\r" not in result.stderr and "parsing:" not in result.stderr, "a progress bar without a terminal"
    lines = [json.loads(line) for line in (done["out"] / "logs/juesuan.jsonl").read_text().splitlines()]
    events = [line["event"] for line in lines]
    assert events[-3:] == ["run.start", "etl.done", "run.done"]
    etl_done = next(line for line in reversed(lines) if line["event"] == "etl.done")
    assert (etl_done["new"], etl_done["parsed"], etl_done["ok"]) == (1, 1, 4)
    assert "documents: 4 (4 ok, 0 partial, 0 failed)" in result.stderr  # readable on the terminal
    first, last = read_runs(done["out"])
    assert (first["files_new"], last["files_new"], last["files_seen"], last["documents_parsed"]) == (3, 1, 4, 1)
    assert (last["documents_ok"], last["checks_failed"], last["exit_code"], last["error"]) == (4, 4, 0, None)
    assert last["parser_version"] and last["juesuan_version"] and last["ended_at"] >= last["started_at"]
    assert last["parse_seconds"] >= 0 and last["assemble_seconds"] >= 0 and last["report_seconds"] is None


def test_strict_exits_1_when_a_document_failed(done) -> None:
    (done["raw"] / "empty.pdf").write_bytes(b"")
    assert run(args(done, "--strict")).returncode == 1
    assert read_runs(done["out"])[-1]["files_failed"] == 1


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert result.returncode == 2 and "does not exist" in result.stderr
