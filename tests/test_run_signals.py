"""`juesuan run` as a real process, killed (SIGKILL) or stopped (SIGTERM, SIGINT) during parse,
while staging its output, and during the report stage: the previous output stays readable and
complete, nothing partial is written, no process is left behind, and the next run finishes."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from batch_fakes import fake_pdf
from run_procs import (
    SLOW_NOTEBOOK,
    assert_output_complete,
    env,
    processes_with_token,
    run,
    snapshot,
    source_files,
    start,
    wait_for,
)

from etl.batch.lock import OutputLock
from etl.batch.runs import read_runs

STOP_WITHIN = 10.0  # seconds from the signal to the process's exit


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    """raw/ with a, b, c already run into out/ (no reports), and a notebooks/ folder."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    for name in ("a", "b", "c"):
        fake_pdf(raw / f"{name}.pdf")
    done = run(["run", str(raw), "--out", str(out), "--no-reports", "--jobs", "1"])
    assert done.returncode == 0, done.stderr
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks/slow.py").write_text(SLOW_NOTEBOOK)
    return {"raw": raw, "out": out, "tmp": tmp_path, "notebooks": tmp_path / "notebooks",
            "reports": tmp_path / "reports"}


def run_args(f: dict[str, Path], reports: bool = False) -> list[str]:
    args = ["run", str(f["raw"]), "--out", str(f["out"]), "--jobs", "1"]
    return args + (["--reports", str(f["reports"]), "--notebooks", str(f["notebooks"])] if reports
                   else ["--no-reports"])


def start_paused(f: dict[str, Path], stage: str) -> tuple:
    """A run of a, b, c + d paused in `stage`; returns (process, environment)."""
    fake_pdf(f["raw"] / "d.pdf")
    marker = f["tmp"] / f"at-{stage}"
    extra = {"parse": {}, "assemble": {"PAUSE_AT": "assemble", "MARKER": str(marker)},
             "report": {"SLOW_MARKER": str(marker)}}[stage]
    if stage == "parse":
        fake_pdf(f["raw"] / "slow.pdf", "SLEEP")
    environment = env(**extra)
    proc = start(run_args(f, reports=stage == "report"), environment, f["tmp"] / f"{stage}.log")
    calls = f["tmp"] / "calls.log"
    if stage == "parse":
        wait_for(lambda: calls.exists() and "slow.pdf" in calls.read_text(), "the parse of slow.pdf")
    else:
        wait_for(marker.exists, f"the {stage} stage")
    time.sleep(0.3)
    return proc, environment


def stop(proc, sig: int) -> tuple[int, float]:
    t0 = time.monotonic()
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    return code, time.monotonic() - t0


def assert_nothing_left(f: dict[str, Path], environment: dict[str, str]) -> None:
    token = environment["JUESUAN_TEST_TOKEN"]
    wait_for(lambda: not processes_with_token(token), "the run's workers and kernels to exit", timeout=15)
    with OutputLock(f["out"]):  # the lock is free again
        pass


def finish(f: dict[str, Path], reports: bool = False) -> None:
    """The next, undisturbed run completes the job."""
    (f["raw"] / "slow.pdf").unlink(missing_ok=True)
    done = run(run_args(f, reports))
    assert done.returncode == 0, done.stderr
    assert source_files(f["out"]) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]
    assert_output_complete(f["out"])
    assert read_runs(f["out"])[-1]["exit_code"] == 0


@pytest.mark.parametrize("stage", ["parse", "assemble"])
def test_sigkill_before_commit_keeps_previous_output_and_next_run_finishes(folders, stage: str) -> None:
    before = snapshot(folders["out"])
    proc, environment = start_paused(folders, stage)
    assert stop(proc, signal.SIGKILL)[0] == -signal.SIGKILL
    assert snapshot(folders["out"]) == before
    assert_output_complete(folders["out"]) if stage == "parse" else None  # staging of a SIGKILL stays…
    assert_nothing_left(folders, environment)
    finish(folders)  # …until the next run removes it
    assert not list(folders["out"].glob(".tmp-*"))


def test_sigkill_during_report_keeps_committed_output_and_next_run_builds_reports(folders) -> None:
    proc, environment = start_paused(folders, "report")
    assert stop(proc, signal.SIGKILL)[0] == -signal.SIGKILL
    assert source_files(folders["out"]) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]  # the ETL had committed
    assert_output_complete(folders["out"])
    assert not (folders["reports"] / "index.html").exists(), "a half-built report was put in place"
    assert_nothing_left(folders, environment)
    finish(folders, reports=True)
    assert (folders["reports"] / "index.html").exists() and (folders["reports"] / "slow.html").exists()
    assert not list(folders["reports"].glob(".tmp-*"))


@pytest.mark.parametrize("stage, sig", [("parse", signal.SIGTERM), ("assemble", signal.SIGINT),
                                        ("report", signal.SIGTERM)])
def test_sigterm_or_ctrl_c_stops_cleanly_within_seconds(folders, stage: str, sig: int) -> None:
    before = snapshot(folders["out"])
    proc, environment = start_paused(folders, stage)
    code, seconds = stop(proc, sig)
    assert code == 128 + sig, (folders["tmp"] / f"{stage}.log").read_text()
    assert seconds < STOP_WITHIN, f"took {seconds:.1f} s to stop"
    if stage != "report":
        assert snapshot(folders["out"]) == before
    assert_output_complete(folders["out"])  # no staged output left behind, every table readable
    assert not list(folders["reports"].glob("*")) if folders["reports"].exists() else True
    assert_nothing_left(folders, environment)
    last = read_runs(folders["out"])[-1]
    assert (last["exit_code"], last["error"]) == (128 + sig, f"stopped by {signal.Signals(sig).name}")
    log = (folders["tmp"] / f"{stage}.log").read_text()
    assert "previous output left as it was" in log
    finish(folders)
