"""`juesuan …` run as its own process from the repository root, as a researcher runs it; the tests that build a
generated corpus (sample → etl → export) share it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_juesuan(*argv: str) -> str:
    """The command's stdout; a non-zero exit fails the test with the end of its output."""
    proc = subprocess.run([sys.executable, "-m", "etl.cli", *argv], capture_output=True, text=True, cwd=REPO,
                          timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout
