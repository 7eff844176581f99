"""Where the parse step runs. `local` (the default) is the worker-process pool of etl.batch.pipeline on this
machine; `dask` sends each document to a Dask distributed cluster (etl.batch.executors.dask), whose
workers parse it in a sandbox process under the same time and memory limits and send its rows
back, so the driver stores the fragments and assembles the same Parquet as a local run.

An executor is a function `(tasks, store, parser, options) -> iterator of Outcome` that stores
one fragment per task before yielding its outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from etl.batch.executors.errors import ExecutorError
from etl.batch.options import DEFAULT_EXECUTOR, EXECUTORS

if TYPE_CHECKING:
    from etl.batch.fragments import FragmentStore
    from etl.batch.options import BatchOptions
    from etl.batch.worker import Outcome, Parser, Task

__all__ = ["DEFAULT_EXECUTOR", "EXECUTORS", "Executor", "ExecutorError", "remote_executor"]

Executor = Callable[[list["Task"], "FragmentStore", "Parser", "BatchOptions"], Iterator["Outcome"]]


def remote_executor(name: str) -> Executor:
    """The executor for a name other than `local`, imported only when asked for."""
    if name == "dask":
        try:
            from etl.batch.executors.dask import run_dask
        except ModuleNotFoundError as exc:
            raise ExecutorError(f"--executor dask needs Dask distributed ({exc.name} is not installed): "
                                "pip install 'juesuan[distributed]'") from exc
        return run_dask
    raise ExecutorError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
