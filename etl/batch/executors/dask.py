"""`--executor dask`: the parse step on a Dask distributed cluster.

The driver (this process) submits one task per document to the cluster — at most two per
worker thread in flight — and, as each finishes, stores the fragment it sent back; assembling
the Parquet stays on the driver, so the output is the one a local run writes. Workers read the
PDFs by the paths the driver found them under: the raw folder must be mounted at the same path on
every worker (docs/distributed.md). Without `--cluster`, a LocalCluster of `--jobs` worker
processes is started on this machine for the run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING

import dask
from distributed import Client, Future, LocalCluster, as_completed

from etl.batch.executors.errors import ExecutorError
from etl.batch.executors.sandbox import Failed, close_sandboxes, is_daemonic, parse_in_sandbox
from etl.batch.fragments import FragmentStore
from etl.batch.retry import MEMORY, TIMEOUT, WORKER_DIED
from etl.batch.worker import Outcome, Parser, Task, store_failure

if TYPE_CHECKING:
    from etl.batch.options import BatchOptions

CONNECT_TIMEOUT = "10s"
#: Workers must be allowed children (the sandbox processes); Dask makes them daemonic by default.
WORKER_CONFIG = {"distributed.worker.daemon": False}


def run_dask(tasks: list[Task], store: FragmentStore, parser: Parser, options: BatchOptions) -> Iterator[Outcome]:
    with _client(options) as client:
        threads = _check_workers(client)
        queue = iter(tasks)
        pending: dict[Future, Task] = {}
        done = as_completed()

        def submit(count: int) -> None:
            for task in islice(queue, count):
                future = client.submit(parse_in_sandbox, task, parser, options.time_limit(task.pdf_pages),
                                       options.max_memory_mb, key=f"parse-{task.doc_id}", pure=False, retries=0)
                pending[future] = task
                done.add(future)

        try:
            submit(2 * threads)
            for future in done:
                task = pending.pop(future)
                yield _outcome(future, task, store, options)
                submit(1)
        finally:
            client.cancel(list(pending))
            client.run(close_sandboxes)


@contextmanager
def _client(options: BatchOptions) -> Iterator[Client]:
    if options.cluster:
        try:
            client = Client(options.cluster, timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {options.cluster}: {exc}") from exc
        with client:
            yield client
        return
    with dask.config.set(WORKER_CONFIG), \
            LocalCluster(n_workers=options.jobs, threads_per_worker=1, processes=True,
                         dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def _check_workers(client: Client) -> int:
    """The number of worker threads; an ExecutorError when the cluster cannot run the sandbox."""
    daemonic = client.run(is_daemonic)
    if not daemonic:
        raise ExecutorError("the Dask cluster has no workers")
    if any(daemonic.values()):
        raise ExecutorError("Dask workers are daemonic processes and cannot start the parsing sandbox: "
                            "start them with DASK_DISTRIBUTED__WORKER__DAEMON=False (see docs/distributed.md)")
    return sum(client.nthreads().values())


def _outcome(future: Future, task: Task, store: FragmentStore, options: BatchOptions) -> Outcome:
    timeout = options.time_limit(task.pdf_pages)
    try:
        result = future.result()
    except Exception as exc:  # noqa: BLE001 - e.g. the worker was lost (KilledWorker): the document fails
        return store_failure(task, store, f"cluster error: {type(exc).__name__}: {exc}", retry=WORKER_DIED)
    finally:
        future.release()
    if isinstance(result, Failed):
        timed_out = result.retry == TIMEOUT
        limit = timeout if timed_out else options.max_memory_mb if result.retry == MEMORY else None
        return store_failure(task, store, result.error, timeout if timed_out else 0.0, result.retry, limit)
    store.write(task.doc_id, result.tables, retry=result.retry)
    return result.outcome
