"""Stand-in for `juesuan etl --pages pdfium` while the batch has no `--pages` option (etl_throughput.py uses it
only when `BatchOptions` has no `pages` field; delete this file once the switch is merged everywhere).

    python benchmarks/pages_stub.py etl RAW_DIR --out DIR --jobs N      (the arguments of `juesuan etl`)

Runs `juesuan etl` with `etl.pagesource.load_pages` (what `read_pages` calls) replaced by
`pdfium_layer.load_pages`, in this process and in every worker: multiprocessing imports this script in each
worker it starts (as `__mp_main__`), and that import applies the patch. A worker that loads pages this way
touches the file $JUESUAN_BENCH_PDFIUM_MARK, so the caller can tell that the PDFium source really read them.
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
            Path(mark).touch()
        return pdfium_layer.load_pages(path)

    pagesource.load_pages = load_pages


if __name__ == "__main__":
    _patch()
    from etl.cli import main

    sys.exit(main(sys.argv[1:]))
else:  # imported as __mp_main__ by a worker process
    _patch()
