"""One run at a time per output folder: an exclusive lock on `<out>/.lock`, from filelock.

filelock takes the system's own lock (flock on Linux and macOS, LockFileEx/msvcrt on Windows), which the
system releases when the holding process exits, however it exits (killed, crashed, power loss), so a
crashed run never leaves it stuck. Who holds it (pid, host, command, start time) is written beside it in
`<out>/.lock.holder`, only so a refused run can say so: Windows locks are mandatory, so another process
could not read the lock file itself. The lock is the system's lock, never the holder file.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from etl.portable import replace

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_FILE = ".lock"
HOLDER_FILE = ".lock.holder"
#: The locks this process holds: a FileLock releases itself when garbage-collected, and a lock is the run's until
#: released or the process ends (as a bare flock on an open descriptor was), however the caller keeps its object.
_HELD: set[FileLock] = set()


class LockHeld(RuntimeError):
    """Another process holds the output folder's lock."""


class OutputLock:
    """`with OutputLock(out_dir):` holds `<out_dir>/.lock` or raises LockHeld at once (no waiting)."""

    def __init__(self, out_dir: Path, command: str = "juesuan") -> None:
        self.path = out_dir / LOCK_FILE
        self.holder = out_dir / HOLDER_FILE
        self.command = command
        self._lock: FileLock | None = None

    def acquire(self) -> None:
        from filelock import FileLock, Timeout  # here: ~0.1 s of imports only a locking command pays

        self.path.parent.mkdir(parents=True, exist_ok=True)
        # thread_local=False: the lock belongs to the run, whichever thread releases it
        lock = FileLock(self.path, thread_local=False)
        try:
            lock.acquire(blocking=False)
        except Timeout:
            raise LockHeld(f"another run holds {self.path}: {describe_holder(self.holder)}") from None
        self._lock = lock
        _HELD.add(lock)
        try:
            self._record_holder()
        except OSError:
            self.release()
            raise

    def _record_holder(self) -> None:
        """Replace the holder file (a temporary file moved over it: a refused run reads old or new, whole)."""
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                  "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        tmp = self.holder.with_name(f"{HOLDER_FILE}.{os.getpid()}")
        tmp.write_text(json.dumps(holder), encoding="utf-8")
        replace(tmp, self.holder)

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            _HELD.discard(self._lock)
            self._lock = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def describe_holder(path: Path) -> str:
    """`pid 123 on host, juesuan run since 2025-…` from the holder file, or what can be said without it."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {holder['pid']} on {holder['host']}, {holder['command']} since {holder['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown (the holder file records none yet)"
