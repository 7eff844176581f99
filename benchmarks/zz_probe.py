"""Stand-in for `juesuan etl --pages pdfium` while the batch has no `--pages` option (etl_throughput.py uses it
only when `BatchOptions` has no `pages` field; delete this file once the switch is merged everywhere).

    python benchmarks/pages_stub.py etl RAW_DIR --out DIR --jobs N      (the arguments of `juesuan etl`)

Runs `juesuan etl` with `etl.pagesource.load_pages` (what `read_pages` calls) replaced by
`pdfium_layer.load_pages`, in this process and in every worker: the module name is added to the forkserver's
preload list, so the forkserver imports it (with this process's sys.path) and its workers inherit the patch.
A worker that loads pages this way touches the file $JUESUAN_BENCH_PDFIUM_MARK, so the caller can tell that
the PDFium source really read the pages (the forkserver skips a preload module it cannot import, silently).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

MARK_ENV = "JUESUAN_BENCH_PDFIUM_MARK"


def _patch() -> None:
    import etl.pagesource as pagesource
    from etl.pagesource import pdfium_layer

    def load_pages(path):  # noqa: ANN001, ANN202 - the signature of text_layer.load_pages
        mark = os.environ.get(MARK_ENV)
        if mark:
            Path(mark).write_text(str(os.getpid()))
        return pdfium_layer.load_pages(path)

    pagesource.load_pages = load_pages


def _preload_too() -> None:
    import multiprocessing.forkserver as forkserver

    original = forkserver.set_forkserver_preload
    forkserver.set_forkserver_preload = lambda names: original([*names, __spec__.name if __spec__ else "zz_probe"])


if __name__ == "__main__":
    _patch()
    _preload_too()
    from etl.cli import main

    sys.exit(main(sys.argv[1:]))
else:  # imported by the forkserver
    _patch()
