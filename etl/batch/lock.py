"""One run at a time per output folder: an exclusive `flock` on `<out>/.lock`.

The kernel releases the lock when the holding process exits, however it exits (SIGKILL, crash,
power loss), so a crashed run never leaves it stuck. The file records who holds it (pid, host,
start time) only so a refused run can say so; the lock itself is the flock, not the file.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType

LOCK_FILE = ".lock"


class LockHeld(RuntimeError):
    """Another process holds the output folder's lock."""


class OutputLock:
    """`with OutputLock(out_dir):` holds `<out_dir>/.lock` or raises LockHeld at once (no waiting)."""

    def __init__(self, out_dir: Path, command: str = "juesuan") -> None:
        self.path = out_dir / LOCK_FILE
        self.command = command
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockHeld(f"another run holds {self.path}: {describe_holder(self.path)}") from None
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        self._record_holder(fd)

    def _record_holder(self, fd: int) -> None:
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                  "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def describe_holder(path: Path) -> str:
    """`pid 123 on host, juesuan run since 2025-…` from the lock file, or what can be said without it."""
    try:
        holder = json.loads(path.read_text())
        return f"pid {holder['pid']} on {holder['host']}, {holder['command']} since {holder['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown (the lock file records none yet)"
