"""What differs between Linux, macOS and Windows, decided in one place.

Each Unix-only facility juesuan uses has a portable path beside it: the output lock is a library lock
(filelock) everywhere; a worker's memory ceiling is the RSS watchdog (etl.batch.limits), with RLIMIT_AS
only as Linux's backstop; workers start by spawn where there is no forkserver; the `current` symlink is a
convenience and the `CURRENT` file the truth; a worker polls for its run where pidfds (and signals) are
missing. `JUESUAN_PLATFORM_FALLBACKS=1` makes Linux take every portable path, so the tests (and anyone
debugging a Windows report) can run them here.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import ModuleType

FALLBACKS_ENV = "JUESUAN_PLATFORM_FALLBACKS"
LINUX, WINDOWS = sys.platform.startswith("linux"), sys.platform == "win32"
#: How often a replace refused on Windows is tried (0.05 s, 0.1 s … apart: 1.5 s in all).
REPLACE_ATTEMPTS = 6


def forced() -> bool:
    """Whether the portable paths are forced (read each time: a test sets it for one run)."""
    return os.environ.get(FALLBACKS_ENV) == "1"


def unix_module(name: str) -> ModuleType | None:
    """`fcntl` or `resource` where the system has it and fallbacks are not forced; None otherwise."""
    if forced():
        return None
    try:
        return __import__(name)
    except ImportError:  # Windows
        return None


def linux_only() -> bool:
    """Linux-only calls (pidfd_open, prctl, /proc) are usable: on Linux, fallbacks not forced."""
    return LINUX and not forced()


def symlinks_allowed() -> bool:
    """Whether juesuan tries to make symlinks (Windows refuses them without a privilege; tried anyway)."""
    return not forced()


def fsync_open_flags() -> int:
    """Flags to open a file for fsync: Windows flushes only a handle open for writing (FlushFileBuffers)."""
    return os.O_RDWR | getattr(os, "O_BINARY", 0) if WINDOWS else os.O_RDONLY


def replace(source: Path, target: Path, attempts: int = REPLACE_ATTEMPTS) -> None:
    """os.replace, tried again for a moment on Windows, which refuses to replace a file another process has open
    (a reader of CURRENT for the microseconds it reads it, a virus scanner); elsewhere it never waits."""
    for attempt in range(1, attempts + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not WINDOWS or attempt == attempts:
                raise
            time.sleep(0.05 * attempt)
