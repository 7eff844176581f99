"""The worker processes documents are parsed in: how they start (warm-up imports, memory ceiling), how
many documents each takes, and how a dead one's exit is explained."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal

from etl.batch.limits import MEMORY_EXIT_CODE, limit_memory, memory_limit_message
from etl.batch.retry import MEMORY, WORKER_DIED
from etl.batch.worker import warm_up
from etl.portable import WINDOWS, forced

#: Exit status of a process that called abort(): killed by SIGABRT on Unix, status 3 on Windows (the C runtime's).
ABORTED = (3,) if WINDOWS else (-signal.SIGABRT,)
#: What a worker imports to parse: preloaded by the forkserver (spawned workers import it in their warm-up).
#: Also what the parser imports on its first PDF, which a worker would import again each time one is replaced:
#: etl.pagesource.text_quality (it judges every page's text layer) and numpy.ma (numpy's unique() imports it).
PRELOAD = ("etl.batch.worker", "etl.parsing.parse", "etl.pagesource.pdfium_layer", "etl.pagesource.text_quality",
           "numpy.ma")
#: A worker is replaced after this many documents, so a slow leak in a library cannot accumulate (the memory
#: ceiling stops a fast one). Each replacement costs ~40 ms of CPU (the fork, the warm-up, the first pages'
#: caches built again): at 50 that was ~0.8 ms per document, at 200 it is ~0.2.
MAX_TASKS_PER_WORKER = 200
#: The worker's generation-0 collection threshold (Python's default 700). A document allocates some 10^5
#: container objects that mostly die with it; at 700 the collector ran ~9 times per document (~1.4–1.8 ms), at
#: 5000 about once (~1.0–1.2 ms), measured with gc.callbacks on the parse of 32 documents. Older generations
#: keep their default thresholds.
GC_THRESHOLD = 5000


def start_worker(max_memory_mb: int | None, run_pid: int | None = None) -> None:
    """Initializer of a worker process: the warm-up imports (and, given `run_pid`, ending with the run
    however it ends), then the memory ceiling, measured from what the warmed-up worker uses."""
    warm_up(run_pid)
    # What the worker inherited (the parser and its libraries, imported by the forkserver) lives as long as it:
    # frozen, no collection traverses it again. Else the first full collection of every new worker walks some
    # 10^5 inherited objects (~20 ms) and writes to their pages, copying them from the forkserver.
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    limit_memory(max_memory_mb)


def pool_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean single-threaded server that has the parser imported already.

    Plain fork from this process could copy a lock held by one of its threads (pyarrow's, the
    pool's) into a new worker and hang it; a spawned worker would import everything again. Spawn it is
    where there is no forkserver (Windows) or the platform fallbacks are forced (etl.portable): the worker
    then imports the parser itself (its warm-up), and a task reaches it pickled either way.
    """
    # glibc gives every thread its own malloc arena of 64 MiB of address space; OCR's native thread pools
    # (onnxruntime, OpenCV) would reserve a lot of it. Two arenas keep the address space (and so the RLIMIT_AS
    # backstop of etl.batch.limits) close to the memory used. Read at process start: set before the server starts.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    if forced() or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # not pandas: pyarrow would import it on its first conversion (seconds), but warm_up tells it not to. The page
    # sources (PDFium, and pdfplumber whose word builder both use: half a second) once here, not in every worker.
    context.set_forkserver_preload(list(PRELOAD))
    return context


def expired_failure(exitcode: int | None, max_memory_mb: int | None) -> tuple[str, str]:
    """(documents.error, retry kind) of a document whose worker process ended while parsing it: stopped by the
    memory watchdog (etl.batch.limits), aborted under the memory ceiling, or killed or crashed."""
    if exitcode == MEMORY_EXIT_CODE or (exitcode in ABORTED and max_memory_mb):
        # Native code aborts when an allocation fails (PDFium inflating a decompression bomb hits the RLIMIT_AS
        # backstop and calls abort()): under a ceiling that is the ceiling, as a MemoryError would be.
        return memory_limit_message(max_memory_mb), MEMORY
    return f"worker process died while parsing ({exit_reason(exitcode)})", WORKER_DIED


def exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}" + (", perhaps out of memory" if name == "SIGKILL" else "")
    return f"exit code {exitcode}"
