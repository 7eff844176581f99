"""The worker processes documents are parsed in: how they start (memory ceiling, warm-up imports), how
many documents each takes, and how a dead one's exit is explained."""

from __future__ import annotations

import multiprocessing
import os
import signal

from etl.batch.limits import limit_memory
from etl.batch.worker import warm_up

#: A worker is replaced after this many documents, so a slow leak in a library cannot accumulate.
MAX_TASKS_PER_WORKER = 50


def start_worker(max_memory_mb: int | None, run_pid: int | None = None) -> None:
    """Initializer of a worker process: the memory ceiling first, then the warm-up imports (and,
    given `run_pid`, ending with the run however it ends)."""
    limit_memory(max_memory_mb)
    warm_up(run_pid)


def pool_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean single-threaded server that has the parser imported already.

    Plain fork from this process could copy a lock held by one of its threads (pyarrow's, the
    pool's) into a new worker and hang it; a spawned worker would import everything again.
    """
    # glibc gives every thread its own malloc arena of 64 MiB of address space; OCR's native thread pools
    # (onnxruntime, OpenCV) then hit the address-space ceiling of --max-memory without using the memory.
    # Two arenas keep the ceiling a measure of memory. Read at process start: set before the server starts.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # pandas: pyarrow imports it on its first conversion when it is installed (slow, seconds).
    context.set_forkserver_preload(["etl.batch.worker", "etl.parsing.parse", "pandas"])  # missing ones are skipped
    return context


def exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}" + (", perhaps out of memory" if name == "SIGKILL" else "")
    return f"exit code {exitcode}"
