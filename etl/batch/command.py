"""The next command a message tells the user to type, written the way they started this one.

A researcher who typed `uv run juesuan etl` (no activated environment) gets "command not found" if told to
type `juesuan audit`; one who activated `.venv` needs no `uv run`. So the advice copies how this process was
started: under `uv run` (uv sets UV_RUN_RECURSION_DEPTH in the child) `uv run juesuan`, with `juesuan` on the
PATH (an activated environment, an installed tool) `juesuan`, else the path this process was started by.
Arguments are quoted for the system's shell and the whole line goes through terminal_text (paths come from
the user and from file names).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from etl.textsafety import terminal_text


def juesuan() -> str:
    """How to call juesuan from the shell this process was started from."""
    if os.environ.get("UV_RUN_RECURSION_DEPTH"):
        return "uv run juesuan"
    if shutil.which("juesuan"):
        return "juesuan"
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.stem == "juesuan":
        return _quote([str(started)])
    return "uv run juesuan"


def command_line(*args: str | Path) -> str:
    """`juesuan ARGS…` as the user should type it: one terminal-safe line, arguments quoted where needed."""
    return terminal_text(f"{juesuan()} {_quote([str(a) for a in args])}")


def _quote(args: list[str]) -> str:
    if os.name == "nt":
        return subprocess.list2cmdline(args)
    return shlex.join(args)
