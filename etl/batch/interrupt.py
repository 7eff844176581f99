"""SIGTERM and SIGINT (Ctrl-C) turned into an exception in the main thread, so a run stops the
way it stops on any error: the worker pool is stopped, staged output is discarded, the lock is
released. A second signal while stopping gets the default action (the process ends at once; the
output is safe against that too, as against SIGKILL).

Portable: SIGINT and SIGTERM exist on Windows too (Ctrl-C is SIGINT there). A worker's watch on its run is
a pidfd on Linux and a poll of psutil elsewhere (Windows' os.kill(pid, 0) would terminate the run); the
kernel's parent-death signal (prctl) is Linux's alone, and only asked for there.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from etl.portable import linux_only

#: Exit status of a worker that ended because its run is gone (nobody reads it: the run is gone).
ORPHAN_EXIT_CODE = 87

#: Exit status of a run stopped by a signal, shell convention 128 + signal number.
EXIT_SIGINT, EXIT_SIGTERM = 128 + signal.SIGINT, 128 + signal.SIGTERM
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error of the run
    """The run was asked to stop. A BaseException, so `except Exception` blocks do not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum: int, frame: FrameType | None) -> None:
    for sig in SIGNALS:  # a second signal ends the process the default way
        signal.signal(sig, signal.SIG_DFL)
    raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block SIGINT/SIGTERM raise Interrupted; the previous handlers are restored after."""
    previous = {sig: signal.signal(sig, _raise) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def ignore_interrupts() -> None:
    """For worker processes: Ctrl-C reaches the whole process group, but only the main process
    decides to stop (it then stops the workers), so a worker never records a spurious failure."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def exit_with(pid: int) -> None:
    """For worker processes: end this process as soon as process `pid` (the run) is gone.

    A worker's parent is the forkserver, not the run, and a worker busy in a hanging document
    would not notice a SIGKILLed run for as long as the document takes; a daemon thread waits
    on a pidfd of the run (polling where pidfds are missing) and ends this process."""
    threading.Thread(target=_wait_then_exit, args=(pid,), daemon=True, name="exit-with-run").start()


def _wait_then_exit(pid: int, interval: float = 1.0) -> None:
    fd = _pidfd(pid)
    if fd is not None:
        select.select([fd], [], [])
    else:
        while _alive(pid):
            time.sleep(interval)
    os._exit(ORPHAN_EXIT_CODE)  # at once, whatever the main thread is in (no SIGKILL on Windows)


def _pidfd(pid: int) -> int | None:
    if not linux_only():
        return None
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (psutil: portable, and it never signals the process)."""
    import psutil  # here: only where there is no pidfd

    return psutil.pid_exists(pid)


def child_options() -> dict[str, Callable[[], None]]:
    """subprocess.Popen keywords for a child that should end with the run: `preexec_fn=end_with_parent` on Linux,
    none elsewhere (Windows refuses any preexec_fn, and elsewhere the kernel has no parent-death signal)."""
    return {"preexec_fn": end_with_parent} if linux_only() else {}


def end_with_parent(signum: int = signal.SIGTERM) -> None:
    """For a child started with `preexec_fn`: the kernel sends it `signum` when its parent (the run)
    dies, SIGKILL included (Linux prctl PR_SET_PDEATHSIG; a no-op elsewhere)."""
    if not linux_only():
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):
        pass


PR_SET_PDEATHSIG = 1
