"""Where the parse step runs. `local` (the default) is the worker-process pool of etl.batch on this
machine; `dask` sends each document to a Dask distributed cluster (etl.executors.dask), whose
workers parse it in a sandbox process under the same time and memory limits and send its rows
back, so the driver stores the fragments and assembles the same Parquet as a local run.

An executor is a function `(tasks, store, parser, options) -> iterator of Outcome` that stores
one fragment per task before yielding its outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from etl.batch import BatchOptions
    from etl.fragments import FragmentStore
    from etl.worker import Outcome, Parser, Task

DEFAULT_EXECUTOR = "local"
EXECUTORS = ("local", "dask")

Executor = Callable[[list["Task"], "FragmentStore", "Parser", "BatchOptions"], Iterator["Outcome"]]


class ExecutorError(Exception):
    """The executor cannot run at all (engine not installed, cluster unreachable or unfit)."""


def remote_executor(name: str) -> Executor:
    """The executor for a name other than `local`, imported only when asked for."""
    if name == "dask":
        try:
            from etl.executors.dask import run_dask
        except ModuleNotFoundError as exc:
            raise ExecutorError(f"--executor dask needs Dask distributed ({exc.name} is not installed): "
                                "pip install 'juesuan[distributed]'") from exc
        return run_dask
    raise ExecutorError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
