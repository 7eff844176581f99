"""The parse of one document on a cluster worker, in a child process of that worker.

A Dask worker runs tasks in threads, which can be neither stopped at a time limit nor held to a
memory ceiling. So each worker process keeps a small pebble pool (one process per worker
thread, forked from a clean server, restarted after a number of documents) that runs
etl.batch.worker.process under the per-document time limit and etl.batch.limits' memory ceiling, exactly as
the local executor does. The document's tables come back to the driver, which stores them.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from dataclasses import dataclass, field

import pyarrow as pa
from pebble import ProcessExpired, ProcessPool

from etl.batch.pool import MAX_TASKS_PER_WORKER, expired_failure, pool_context, start_worker
from etl.batch.retry import TIMEOUT, RetryRecord
from etl.batch.worker import Outcome, Parser, Task, process

_pools: dict[int | None, ProcessPool] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Parsed:
    """A document parsed on the cluster: its outcome and its tables (its fragment)."""

    outcome: Outcome
    tables: dict[str, pa.Table] = field(default_factory=dict)
    retry: RetryRecord | None = None


@dataclass(frozen=True)
class Failed:
    """A document whose sandbox process was stopped or died; the driver records the failure."""

    error: str
    #: the retry kind (etl.batch.retry) of the failure; None: not retried
    retry: str | None = None


class _Collector:
    """Stands in for the FragmentStore: keeps the tables instead of writing them."""

    def __init__(self) -> None:
        self.tables: dict[str, pa.Table] = {}
        self.retry: RetryRecord | None = None

    def write(self, doc_id: str, tables: dict[str, pa.Table], retry: RetryRecord | None = None) -> None:
        self.tables, self.retry = tables, retry


def parse_collect(task: Task, parser: Parser) -> Parsed:
    collector = _Collector()
    outcome = process(task, collector, parser)  # type: ignore[arg-type]
    return Parsed(outcome, collector.tables, collector.retry)


def parse_in_sandbox(task: Task, parser: Parser, timeout: float, max_memory_mb: int | None) -> Parsed | Failed:
    """Run on a Dask worker: parse one document in this worker's sandbox pool."""
    future = _pool(max_memory_mb).schedule(parse_collect, args=(task, parser), timeout=timeout)
    try:
        return future.result()
    except TimeoutError:
        return Failed(f"timed out after {timeout:g} s; its worker was stopped", TIMEOUT)
    except ProcessExpired as exc:
        return Failed(*expired_failure(exc.exitcode, max_memory_mb))
    except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
        return Failed(f"worker error: {type(exc).__name__}: {exc}")


def close_sandboxes() -> int:
    """Stop this worker's sandbox processes (run on every worker when the driver is done)."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.stop()
        pool.join()
    return len(pools)


def is_daemonic() -> bool:
    """A daemonic process (Dask's default for workers under a nanny) may not start children."""
    return bool(multiprocessing.current_process().daemon)


def _pool(max_memory_mb: int | None) -> ProcessPool:
    with _lock:
        pool = _pools.get(max_memory_mb)
        if pool is None or not pool.active:
            pool = ProcessPool(max_workers=_threads(), max_tasks=MAX_TASKS_PER_WORKER, initializer=start_worker,
                               initargs=(max_memory_mb,), context=pool_context())
            _pools[max_memory_mb] = pool
        return pool


def _threads() -> int:
    try:
        from distributed import get_worker

        return max(1, get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        return os.cpu_count() or 1
