"""A memory ceiling for each worker process, so one PDF bomb fails its document, not the machine.

The ceiling is an address-space limit (RLIMIT_AS) set in the worker when it starts: what the
worker already holds (the imported libraries reserve over a gigabyte of virtual memory before
any PDF is opened) plus `max_memory_mb`. An allocation past it raises MemoryError in Python
(or kills the worker in C code); either way only the document being parsed fails.
"""

from __future__ import annotations

import os
import resource

DEFAULT_MAX_MEMORY_MB = 2048
MIB = 1 << 20
MEMORY_LIMIT_ERROR = "memory limit exceeded"


def memory_limit_message(max_memory_mb: int | None = None) -> str:
    limit = current_limit_mb() if max_memory_mb is None else max_memory_mb
    detail = f" (--max-memory {limit} MB per worker)" if limit else ""
    return f"{MEMORY_LIMIT_ERROR}{detail}; the document was abandoned"


def limit_memory(max_memory_mb: int | None) -> None:
    """Cap this process's address space at its present size plus `max_memory_mb` MiB (None or
    0: no cap). The cap never rises above a hard limit set from outside."""
    if not max_memory_mb:
        return
    limit = address_space_bytes() + max_memory_mb * MIB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    os.environ["JUESUAN_MAX_MEMORY_MB"] = str(max_memory_mb)


def current_limit_mb() -> int | None:
    """The --max-memory this worker was started with (None when not limited)."""
    value = os.environ.get("JUESUAN_MAX_MEMORY_MB")
    return int(value) if value and value.isdigit() else None


def address_space_bytes() -> int:
    """Virtual memory size of this process (Linux /proc; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0
