"""CPU time of a command and of every process it starts, however deep: `run_measured(cmd)`.

A batch run's worker processes are not its children: they are forked by multiprocessing's forkserver, which the
run starts but never waits for (it exits after the run, on its own). So neither `getrusage(RUSAGE_CHILDREN)` in
the run nor `os.wait4` of the run counts the workers' CPU. On Linux this process becomes a child subreaper
(prctl PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to it, it waits for each of them, and the
kernel adds each reaped process's CPU (and that of the processes it reaped: the forkserver's workers) to this
process's RUSAGE_CHILDREN. The difference of RUSAGE_CHILDREN around one command is then the whole tree's CPU.
Elsewhere (macOS) only the command and the processes it waited for are counted, and `Measured.complete` says so.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

PR_SET_CHILD_SUBREAPER = 36
#: Descendants still running this long after the command ended are left alone (and the figure marked incomplete).
REAP_SECONDS = 60.0
_subreaper = False  # set by become_subreaper()


@dataclass
class Measured:
    cpu: float  # user + system seconds of the command and its descendants
    wall: float  # seconds from start to the command's exit
    stdout: str
    complete: bool  # every descendant was reaped, so `cpu` counts them all


def become_subreaper() -> bool:
    """Make orphaned descendants this process's children (Linux); False where that is not possible."""
    global _subreaper
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    return _subreaper


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reap_descendants(seconds: float = REAP_SECONDS) -> bool:
    """Wait for every remaining child (orphans included, as subreaper); False if some outlive `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if pid == 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)


def run_measured(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Measured:
    """Run `cmd` to its end (raising on a non-zero exit) and measure it with all its descendants.

    Call `become_subreaper()` once first, and start no other child process while this runs."""
    reaped_before = reap_descendants(0)
    cpu_before = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    complete = reap_descendants() and reaped_before and _subreaper
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr[-4000:]}")
    return Measured(children_cpu() - cpu_before, wall, done.stdout, complete)
