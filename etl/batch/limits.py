"""A memory ceiling for each worker process, so one PDF bomb fails its document, not the machine.

The ceiling is on memory *used*: a watchdog thread in the worker samples its resident set size (RSS) every
`SAMPLE_SECONDS` and, once RSS exceeds its baseline (taken after the warm-up imports) by more than
`--max-memory`, ends the worker with `MEMORY_EXIT_CODE`; the parent reports the document as "memory limit
exceeded" (etl.batch.pool.expired_failure), a transient failure tried once more in a fresh worker
(etl.batch.retry). RSS is read from /proc/self/statm on Linux, from psutil elsewhere (macOS, Windows): the
watchdog is the ceiling on every system.

Why not an address-space limit alone (RLIMIT_AS, as before): it counts reservations, not use. Arrow's mimalloc
arena reserves 1 GiB at its first allocation, the OCR stack another 0.5 GB, and a scan that used 620 MB grew its
address space by 1.9 GB, so a 2 GB ceiling on address space failed ordinary scans at random.

A backstop stays: RLIMIT_AS at the worker's address space plus `BACKSTOP_FACTOR` × the ceiling. The watchdog is
a Python thread; C code that holds the GIL (or one huge allocation) can outrun it, and the backstop makes such an
allocation fail at once (MemoryError in Python, std::bad_alloc in onnxruntime, both reported as the memory
limit) instead of taking the machine's memory. It is far above what the reservations above add, so it does not
fail ordinary documents. The backstop is set on Linux only: macOS does not enforce RLIMIT_AS, Windows has no
`resource`; there (and with etl.portable's fallbacks forced) the watchdog alone acts.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from etl.portable import linux_only, unix_module

DEFAULT_MAX_MEMORY_MB = 2048
MIB = 1 << 20
MEMORY_LIMIT_ERROR = "memory limit exceeded"
#: How often the watchdog looks at RSS: a fast allocator (zlib inflating a bomb at ~1 GB/s) gets ~50–100 MB past
#: the ceiling before it is stopped.
SAMPLE_SECONDS = 0.05
#: The exit status of a worker the watchdog stopped (not a signal, so it differs from a kill or a crash).
MEMORY_EXIT_CODE = 86
#: The address-space backstop, in multiples of the ceiling above the worker's address space at start.
BACKSTOP_FACTOR = 4


def memory_limit_message(max_memory_mb: int | None = None) -> str:
    limit = current_limit_mb() if max_memory_mb is None else max_memory_mb
    detail = f" (--max-memory {limit} MB per worker)" if limit else ""
    return f"{MEMORY_LIMIT_ERROR}{detail}; the document was abandoned"


def limit_memory(max_memory_mb: int | None) -> None:
    """Hold this process to `max_memory_mb` MiB of resident memory above what it uses now (None or 0: no
    ceiling): the watchdog thread, and the address-space backstop."""
    if not max_memory_mb:
        return
    os.environ["JUESUAN_MAX_MEMORY_MB"] = str(max_memory_mb)
    _set_backstop(max_memory_mb)
    baseline = resident_bytes()
    if baseline is not None:
        threading.Thread(target=_watch, args=(baseline + max_memory_mb * MIB,), name="memory-watchdog",
                         daemon=True).start()


def _watch(ceiling: int, interval: float = SAMPLE_SECONDS) -> None:
    """Stop the process once its RSS passes `ceiling` bytes. os._exit, not an exception: the main thread may be
    deep in C code (zlib, pdfium, onnxruntime) that no exception would interrupt."""
    while True:
        time.sleep(interval)
        used = resident_bytes()
        if used is not None and used > ceiling:
            os._exit(MEMORY_EXIT_CODE)


def _set_backstop(max_memory_mb: int) -> None:
    """RLIMIT_AS at the present address space + BACKSTOP_FACTOR × the ceiling, never above a hard limit set from
    outside; skipped where it cannot be set."""
    resource = unix_module("resource")
    if resource is None or not linux_only() or not address_space_bytes():
        return
    try:
        limit = address_space_bytes() + BACKSTOP_FACTOR * max_memory_mb * MIB
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError, AttributeError):  # macOS may refuse it; the watchdog still acts
        return


def current_limit_mb() -> int | None:
    """The --max-memory this worker was started with (None when not limited)."""
    value = os.environ.get("JUESUAN_MAX_MEMORY_MB")
    return int(value) if value and value.isdigit() else None


def resident_bytes() -> int | None:
    """Resident memory of this process now: /proc on Linux (cheap: sampled 20 times a second), psutil elsewhere;
    None when it cannot be read."""
    if linux_only():
        try:
            with open("/proc/self/statm") as fh:
                return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    process = _this_process()
    try:
        return process.memory_info().rss if process is not None else None
    except Exception:  # noqa: BLE001 - psutil.Error or an OSError: unmeasurable, no watchdog
        return None


def peak_resident_mb() -> float | None:
    """Peak resident memory of this process so far, MiB: getrusage where `resource` exists (KiB on Linux, bytes on
    macOS), the peak working set on Windows; None when neither says."""
    resource = unix_module("resource")
    if resource is not None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / MIB if sys.platform == "darwin" else peak / 1024
    process = _this_process()
    try:
        info = process.memory_info() if process is not None else None
    except Exception:  # noqa: BLE001 - psutil.Error or an OSError
        return None
    peak = getattr(info, "peak_wset", None) or getattr(info, "rss", None)
    return peak / MIB if peak else None


_PROCESS: list = []  # psutil.Process of this process, made once (per process: a spawned worker makes its own)


def _this_process():  # noqa: ANN202 - psutil.Process, imported only where /proc is not read
    if not _PROCESS or _PROCESS[0].pid != os.getpid():
        try:
            import psutil
        except ImportError:
            return None
        _PROCESS[:] = [psutil.Process()]
    return _PROCESS[0]


def address_space_bytes() -> int:
    """Virtual memory size of this process (Linux /proc; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
