"""`juesuan <args>` in a real process with the stand-in parser of batch_fakes.py, for tests that
signal or kill it. PAUSE_AT=assemble makes it wait (touching MARKER) once three output tables are
staged and none moved into place; the parse stage is paused by a `%SLEEP` file, the report stage
by a notebook that sleeps."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from batch_fakes import fake_parse

from etl.batch import pipeline, writer
from etl.cli import main


def pause_while_staging(marker: Path) -> None:
    close = writer.StreamingParquetWriter.close
    closed = [0]

    def close_then_wait(self: writer.StreamingParquetWriter) -> None:
        close(self)
        closed[0] += 1
        if closed[0] == 3:
            marker.touch()
            time.sleep(600)

    writer.StreamingParquetWriter.close = close_then_wait


if __name__ == "__main__":
    pipeline.run_batch.__defaults__ = (fake_parse,)
    if os.environ.get("PAUSE_AT") == "assemble":
        pause_while_staging(Path(os.environ["MARKER"]))
    sys.exit(main(sys.argv[1:]))
