"""Helpers for tests that run `juesuan` as a real process (tests/run_harness.py) and signal it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from etl.layout import PARTIAL, SNAPSHOTS
from etl.schema import TABLES

TESTS = Path(__file__).parent
HARNESS = TESTS / "run_harness.py"
#: A notebook that, when SLOW_MARKER is set, touches it and sleeps (the report stage in progress).
SLOW_NOTEBOOK = """# %% [markdown]
# # slow
# waits when asked to

# %%
import os, pathlib, time
if os.environ.get("SLOW_MARKER"):
    pathlib.Path(os.environ["SLOW_MARKER"]).touch()
    time.sleep(600)
"""


def env(**extra: str) -> dict[str, str]:
    """The child's environment, tagged with a token so that its descendants can be found."""
    return {**os.environ, "PYTHONPATH": str(TESTS), "JUESUAN_TEST_TOKEN": uuid.uuid4().hex, **extra}


def start(args: list[str], environment: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, str(HARNESS), *args], env=environment, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def run(args: list[str], environment: dict[str, str] | None = None, timeout: float = 120,
        **popen: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HARNESS), *args], env=environment or env(), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL, **popen)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def processes_with_token(token: str) -> list[int]:
    """Live processes whose environment carries `token` (the run and every process it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"JUESUAN_TEST_TOKEN={token}".encode() in (entry / "environ").read_bytes():
                    status = (entry / "status").read_text()
                    if "\nState:\tZ" not in status:
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


def snapshot(out: Path) -> dict[str, bytes]:
    """The output tables' bytes, read through the contract paths `<out>/<table>.parquet`."""
    return {p.name: p.read_bytes() for p in out.glob("*.parquet")}


def assert_output_complete(out: Path) -> None:
    for name in TABLES:
        pq.read_table(out / f"{name}.parquet")
    assert not list(out.glob(".juesuan-tmp-*")), "staged output left behind"
    assert not list(out.glob(f"{SNAPSHOTS}/*{PARTIAL}")), "a staged snapshot left behind"


def source_files(out: Path) -> list[str]:
    return sorted(pq.read_table(out / "documents.parquet").column("source_file").to_pylist())
