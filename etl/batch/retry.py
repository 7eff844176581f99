"""Which failures are the document's own and which may pass, and when the latter are tried again.

A failure is *deterministic* when the same bytes would fail the same way again (not a PDF, encrypted, not a
final-accounts report, a parser error): its fragment is cached like any result and the document is not parsed
again until its bytes, the parser or the --ocr mode change (or --force).

A failure is *transient* when it says more about the run than about the document:

* `worker_died`: the worker process was killed (the OOM killer, an admin's `kill`) or crashed;
* `memory`: the worker passed its --max-memory ceiling (etl.batch.limits) — a flake of a busy worker, or a bomb;
* `os_error`: the system failed a read (EIO, EMFILE, a permission changed under us);
* `file_changed`: the file vanished or changed while it was parsed (moved into another folder, still being
  copied): its rows belong to no known bytes;
* `timeout`: the document outlived its time limit.

One rule for all of them: the failure is stored with a `RetryRecord` (its kind, how many runs it failed on, and
the limit it hit) beside its fragment, and a later run parses it again while it has failed on fewer than
`RUNS_RETRIED[kind]` runs, or when the limit it hit was raised (--timeout, --max-memory). Within the run, the
kinds in `RETRIED_IN_RUN` get one more try at once in a fresh worker process. A timeout is retried only under a
longer limit: it already held a worker for its whole time limit, and would do so again on every run. A changed
file is not retried within the run: its bytes are no longer the ones its doc_id names (the next run hashes them).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

TIMEOUT = "timeout"
MEMORY = "memory"
WORKER_DIED = "worker_died"
OS_ERROR = "os_error"
FILE_CHANGED = "file_changed"

#: Runs a transient failure may fail on before it is kept like a deterministic one (a worker that segfaults on
#: a document every time would otherwise cost every nightly run its parse).
RUNS_RETRIED = {TIMEOUT: 0, MEMORY: 3, WORKER_DIED: 3, OS_ERROR: 3, FILE_CHANGED: 3}
#: Kinds tried once more within the run, in a fresh worker.
RETRIED_IN_RUN = frozenset({MEMORY, WORKER_DIED, OS_ERROR})
RECORD_FILE = "retry.json"


@dataclass(frozen=True)
class RetryRecord:
    """A transient failure kept in a fragment: what kind, on how many runs, under which limit (seconds for a
    timeout, MiB for the memory ceiling; None for the other kinds or no ceiling)."""

    kind: str
    runs: int = 1
    limit: float | None = None

    def due(self, time_limit: float, max_memory_mb: int | None) -> bool:
        """Whether a run under these limits parses the document again."""
        if self.runs < RUNS_RETRIED.get(self.kind, 0):
            return True
        if self.kind == TIMEOUT:
            return self.limit is not None and self.limit < time_limit
        if self.kind == MEMORY:  # no ceiling now, or a higher one
            return self.limit is not None and (max_memory_mb is None or self.limit < max_memory_mb)
        return False

    def write(self, folder: Path) -> None:
        (folder / RECORD_FILE).write_text(json.dumps(asdict(self), sort_keys=True))


def read_record(folder: Path) -> RetryRecord | None:
    """The fragment's retry record; None for a result to keep (or a record that cannot be read)."""
    try:
        data = json.loads((folder / RECORD_FILE).read_text())
        return RetryRecord(str(data["kind"]), int(data["runs"]), data.get("limit"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_for(kind: str | None, runs_before: int, limit: float | None = None) -> RetryRecord | None:
    """The record a failure of `kind` is stored with (None: deterministic, or no failure)."""
    if kind is None:
        return None
    return RetryRecord(kind, runs_before + 1, limit)
