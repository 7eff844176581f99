"""What a batch run is asked to do: folders, parallelism, limits, where documents are parsed, which library reads
the text layer, when OCR reads pages."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from etl.batch.limits import DEFAULT_MAX_MEMORY_MB
from etl.batch.manifest import Manifest
from etl.pagesource import DEFAULT_PAGES, PAGE_SOURCES

DEFAULT_TIMEOUT = 120.0
DEFAULT_EXECUTOR = "local"
EXECUTORS = ("local", "dask")
#: --ocr: auto reads by OCR the pages whose text layer is missing or unusable, off never, force every page.
#: The same as etl.pagesource.select.MODES (not imported here: it loads OpenCV, and the CLI needs only the names).
OCR_MODES = ("auto", "off", "force")
DEFAULT_OCR = "auto"
#: Time allowed per page a document may have read by OCR, beyond --timeout: ~2 s per page were measured on
#: one core, with margin for slower or busier machines.
OCR_SECONDS_PER_PAGE = 6.0
#: The page allowance stops here, so a PDF of thousands of empty pages still meets a time limit.
MAX_OCR_PAGES = 600


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
    #: Which pages OCR reads (OCR_MODES); a change of mode re-parses every document.
    ocr: str = DEFAULT_OCR
    #: Which library reads the PDFs' text layer (PAGE_SOURCES); a change of source re-parses every document.
    pages: str = DEFAULT_PAGES

    def __post_init__(self) -> None:
        if self.pages not in PAGE_SOURCES:
            raise ValueError(f"page source {self.pages!r}: one of {', '.join(PAGE_SOURCES)}")

    def time_limit(self, ocr_pages: int) -> float:
        """The time limit of a document of which up to `ocr_pages` pages may be read by OCR: --timeout, plus
        OCR_SECONDS_PER_PAGE for each of them (at most MAX_OCR_PAGES) unless OCR is off."""
        if self.ocr == "off":
            return self.timeout
        return self.timeout + OCR_SECONDS_PER_PAGE * min(max(ocr_pages, 0), MAX_OCR_PAGES)
