"""What `juesuan etl` and `juesuan run` share around their work: one run per output folder (the
lock), SIGTERM/Ctrl-C stopping cleanly, an unwritable output mapped to its exit code, and the run
recorded in `<out>/runs/`.

Exit codes: 0 done; 1 documents failed and --strict was given (or, for `run`, a report failed);
2 usage; 3 another run holds the output folder's lock; 4 the output could not be written (the
previous output is left as it was); 130 stopped by SIGINT (Ctrl-C); 143 stopped by SIGTERM.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from etl.batch.interrupt import Interrupted, stop_on_signals
from etl.batch.lock import LockHeld, OutputLock
from etl.batch.ownership import mark_output
from etl.batch.runlog import event
from etl.batch.runs import RunRecord, append_run

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_OUTPUT = 0, 1, 2, 3, 4

Body = Callable[[RunRecord], int]


def guarded(command: str, out_dir: Path, body: Body, logger: logging.Logger) -> int:
    """Run `body` holding the output folder's lock, with signals stopping it cleanly; record the run."""
    record = RunRecord(command)
    try:
        with stop_on_signals(), OutputLock(out_dir, f"juesuan {command}"):
            mark_output(out_dir)  # first use: from now on the folder is known to be juesuan's
            code, error = _run_body(body, record, out_dir, logger)
            _record(out_dir, record, code, error, logger)
            return code
    except LockHeld as exc:
        event(logger, logging.ERROR, "run.locked", f"{exc}; not starting (exit {EXIT_LOCKED})")
        return EXIT_LOCKED
    except Interrupted as exc:  # while taking the lock or recording the run: nothing to undo
        event(logger, logging.WARNING, "run.stopped", f"stopped by {exc}")
        return exc.exit_code
    except OSError as exc:  # the lock file itself cannot be created
        return _unwritable(logger, out_dir, exc)


def _run_body(body: Body, record: RunRecord, out_dir: Path, logger: logging.Logger) -> tuple[int, str | None]:
    try:
        return body(record), None
    except Interrupted as exc:
        event(logger, logging.WARNING, "run.stopped",
              f"stopped by {exc}: workers stopped, staged files removed, previous output left as it was "
              f"(exit {exc.exit_code})", signal=str(exc))
        return exc.exit_code, f"stopped by {exc}"
    except OSError as exc:
        return _unwritable(logger, out_dir, exc), f"output not written: {exc}"


def _unwritable(logger: logging.Logger, out_dir: Path, exc: OSError) -> int:
    event(logger, logging.ERROR, "run.unwritable",
          f"cannot write the output in {out_dir}: {exc}; previous output left as it was (exit {EXIT_OUTPUT})",
          errno=exc.errno, filename=exc.filename)
    return EXIT_OUTPUT


def _record(out_dir: Path, record: RunRecord, code: int, error: str | None, logger: logging.Logger) -> None:
    try:
        append_run(out_dir, record.row(code, error))
    except OSError as exc:  # e.g. the disk is still full: the run's outcome stands, only its record is lost
        event(logger, logging.WARNING, "run.unrecorded", f"could not record the run in {out_dir}/runs/: {exc}")
