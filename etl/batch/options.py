"""What a batch run is asked to do: folders, parallelism, limits, where documents are parsed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from etl.batch.limits import DEFAULT_MAX_MEMORY_MB
from etl.batch.manifest import Manifest

DEFAULT_TIMEOUT = 120.0
DEFAULT_EXECUTOR = "local"
EXECUTORS = ("local", "dask")


@dataclass
class BatchOptions:
    raw_dir: Path
    out_dir: Path
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float = DEFAULT_TIMEOUT
    manifest: Manifest = field(default_factory=dict)
    #: Re-parse every document even if a fragment of the current parser version exists.
    force: bool = False
    #: Show progress bars; None = only when stderr is a terminal.
    progress: bool | None = None
    #: Where documents are parsed: "local" (worker processes here) or "dask" (etl.batch.executors).
    executor: str = DEFAULT_EXECUTOR
    #: Address of a running Dask scheduler; None starts a local cluster of `jobs` workers.
    cluster: str | None = None
    #: Memory ceiling of each worker process in MiB beyond its start (etl.batch.limits); None: none.
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB
