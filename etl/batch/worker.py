"""What a worker process does with one PDF: parse it, check the rows against the schema, and
store them as the document's fragment. Every failure becomes a `failed` documents row; only a
small `Outcome` travels back to the main process. A failure that may pass (out of memory, a system
read error, the file changed under the parser) is stored with its retry record (etl.batch.retry).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from etl.batch.fragments import FragmentStore
from etl.batch.interrupt import exit_with, ignore_interrupts
from etl.batch.limits import current_limit_mb, memory_limit_message, peak_resident_mb
from etl.batch.retry import FILE_CHANGED, MEMORY, OS_ERROR, TIMEOUT, record_for
from etl.batch.writer import SchemaViolation, to_arrow
from etl.document import DocumentError, ParsedDocument
from etl.pagesource import DEFAULT_PAGES
from etl.pagesource.formats import source_format

#: parser(path, doc_id) or parser(path, doc_id, ocr=mode, pages=source): a parser taking `ocr` is given the run's
#: --ocr mode, one taking `pages` its --pages source.
Parser = Callable[..., ParsedDocument]
FINAL_ACCOUNTS = "final_accounts"
#: How native libraries (onnxruntime under OCR, C++) say an allocation failed at the memory ceiling.
NATIVE_OUT_OF_MEMORY = ("std::bad_alloc", "Failed to allocate memory")


@dataclass(frozen=True)
class Task:
    doc_id: str
    path: Path
    source_file: str
    sha256: str
    file_bytes: int
    parser_version: str
    #: Set when the bytes cannot be a PDF (empty, no header): the document fails without parsing.
    sniff_error: str | None = None
    #: Modification time when hashed; a file whose size or mtime differs after parsing fails.
    mtime_ns: int | None = None
    #: The narrative file parsed together with this tables file as one report (etl.batch.companions); the task's
    #: doc_id is then the pair's fragment key and `rows_doc_id` the tables file's doc_id.
    companion: Path | None = None
    rows_doc_id: str | None = None
    #: --ocr: which pages OCR reads (etl.batch.options.OCR_MODES)
    ocr: str = "auto"
    #: --pages: which library reads the text layer (etl.pagesource.PAGE_SOURCES)
    pages: str = DEFAULT_PAGES
    #: Pages PDFium can open (etl.batch.pagecount; both files' for a pair): the OCR time allowance and the
    #: progress bar's steps. 0 when it cannot open the file.
    pdf_pages: int = 0
    #: Runs this document already failed on transiently (its retry record's count; 0 when none).
    failed_runs: int = 0

    @property
    def report_id(self) -> str:
        """The doc_id the parsed rows carry: the file's, or for a companion pair the tables file's."""
        return self.rows_doc_id or self.doc_id

    @property
    def steps(self) -> int:
        """How far the progress bar (in pages) moves when the task is done: its pages, at least one."""
        return max(1, self.pdf_pages)


@dataclass(frozen=True)
class Outcome:
    doc_id: str
    status: str
    error: str | None
    pages: int | None
    seconds: float
    #: Peak resident memory of the worker process so far, MiB (None when not measured in a worker).
    worker_peak_mb: float | None = None
    #: The kind of a transient failure (etl.batch.retry), None for a result to keep.
    retry: str | None = None

    @property
    def timed_out(self) -> bool:
        return self.retry == TIMEOUT


def warm_up(run_pid: int | None = None) -> None:
    """Run once in each new worker before it takes a document, so lazy work (pyarrow's first conversion)
    does not count against the first document's time limit; pyarrow is told pandas is not needed
    (arrow_without_pandas), or it would import it (seconds). Ctrl-C is left to the main process, which
    stops the workers; a worker ends when the run `run_pid` ends, however it ends (SIGKILL included)."""
    from etl.batch.writer import arrow_without_pandas  # here: warm_up is the only user

    ignore_interrupts()
    if run_pid is not None:
        exit_with(run_pid)
    arrow_without_pandas()
    to_arrow("documents", [{"doc_id": "0", "source_file": "", "sha256": "", "status": "ok"}])


def parse_pdf(path: Path, doc_id: str, ocr: str = "auto", pages: str = DEFAULT_PAGES) -> ParsedDocument:
    """The real parser, imported only in the worker that needs it; `ocr` says which pages OCR reads, `pages`
    which library reads the text layer."""
    from etl.parsing.parse import parse_pdf as real_parse_pdf

    return real_parse_pdf(path, doc_id, ocr=ocr, pages=pages)


class _Changed(DocumentError):
    """The file is not the one hashed any more (gone, or other bytes)."""


def process(task: Task, store: FragmentStore, parser: Parser = parse_pdf) -> Outcome:
    """Parse one document and store its fragment; never raises for a problem of the document."""
    start = time.perf_counter()
    kind = None
    try:
        document, tables = _parse(task, parser, start)
    except Exception as exc:  # noqa: BLE001 - a parser bug fails its document, not the batch
        error, kind = _failure(task, exc)
        document, tables = _failed(task, error, start)
    limit = current_limit_mb() if kind == MEMORY else None  # a ceiling raised later retries it
    store.write(task.doc_id, tables, retry=record_for(kind, task.failed_runs, limit))
    return Outcome(task.doc_id, document["status"], document.get("error"), document.get("pages"),
                   document["parse_seconds"], peak_resident_mb(), retry=kind)


def _failure(task: Task, exc: Exception) -> tuple[str, str | None]:
    """documents.error of a failed parse, and its retry kind (None: the document's own failure, kept)."""
    if not isinstance(exc, _Changed):
        try:  # a file moved or rewritten under the parser explains whatever it raised
            _check_unchanged(task)
        except _Changed as changed:
            exc = changed
    if isinstance(exc, _Changed):
        return str(exc), FILE_CHANGED
    if _out_of_memory(exc):
        return memory_limit_message(), MEMORY
    if isinstance(exc, DocumentError):
        return str(exc) or type(exc).__name__, OS_ERROR if _system_error(exc) else None
    if isinstance(exc, SchemaViolation):
        return f"parser output does not fit etl.schema: {exc}", None
    return f"parser error: {type(exc).__name__}: {exc}", OS_ERROR if _system_error(exc) else None


def _parse(task: Task, parser: Parser, start: float) -> tuple[dict[str, Any], dict[str, pa.Table]]:
    parsed = _run_parser(task, parser)
    _check_unchanged(task)
    reports = [parsed, *parsed.parts]
    ids = report_ids(task.report_id, len(reports))
    documents, rows = [], {}
    for doc_id, report in zip(ids, reports, strict=True):
        document = _document(task, report, doc_id, start)
        documents.append(document)
        if "documents" in report.rows:
            raise SchemaViolation("rows['documents'] is not allowed: the document row is ParsedDocument.document")
        if _keeps_figures(document) or document.get("status") != "failed":
            for name, table_rows in report.rows.items():
                if not _keeps_figures(document) and name != "document_pages":
                    continue  # every document read has its pages written (citations); figures only final accounts
                rows.setdefault(name, []).extend(_with_doc_id(doc_id, table_rows))
    tables = {name: to_arrow(name, r) for name, r in rows.items() if r}
    return documents[0], {"documents": to_arrow("documents", documents), **tables}


def _run_parser(task: Task, parser: Parser) -> ParsedDocument:
    """The file's reports; a companion task (etl.batch.companions) parses its narrative file's pages too."""
    if task.companion is None:
        modes = {name: value for name, value in (("ocr", task.ocr), ("pages", task.pages)) if takes(parser, name)}
        return parser(task.path, task.report_id, **modes)
    from etl.batch.companions import parse_pair

    return parse_pair(task.path, task.companion, task.report_id, ocr=task.ocr, pages=task.pages)


def takes(parser: Parser, name: str) -> bool:
    """Whether the parser accepts the keyword argument `name` (ocr, pages): the real one does; stand-ins taking
    (path, doc_id) need not."""
    try:
        parameters = inspect.signature(parser).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def report_ids(doc_id: str, count: int) -> list[str]:
    """The doc_id of each report of a file: the file's own, then `<doc_id>-2`, `<doc_id>-3` …"""
    return [doc_id, *(f"{doc_id}-{n}" for n in range(2, count + 1))]


def _document(task: Task, report: ParsedDocument, doc_id: str, start: float) -> dict[str, Any]:
    """One report's documents row: what the parser read plus the file's batch columns under its own doc_id."""
    return {"status": "ok", "metadata_source": "document", "report_part": 1, **report.document,
            **_batch_columns(task, start), "doc_id": doc_id}


def _out_of_memory(exc: BaseException | None, depth: int = 0) -> bool:
    """Whether a MemoryError is behind `exc` (the parser and pdfplumber wrap what pdfminer raised), or a native
    library's failed allocation (OCR's onnxruntime raises its own error naming std::bad_alloc)."""
    if exc is None or depth > 5:
        return False
    if isinstance(exc, MemoryError) or any(sign in str(exc) for sign in NATIVE_OUT_OF_MEMORY):
        return True
    wrapped = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return _out_of_memory(exc.__cause__ or wrapped, depth + 1)


def _system_error(exc: BaseException | None, depth: int = 0) -> bool:
    """Whether an OSError the system raised (it has an errno: EIO, EMFILE, EACCES …) is behind `exc`. OSErrors
    without one are a library's verdict on the bytes (Pillow's "cannot identify image file"), not the system's."""
    if exc is None or depth > 5:
        return False
    if isinstance(exc, OSError) and exc.errno is not None:
        return True
    wrapped = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return _system_error(exc.__cause__ or wrapped, depth + 1)


def _check_unchanged(task: Task) -> None:
    """A file moved or rewritten while it was parsed gives rows that belong to no known bytes."""
    if task.mtime_ns is None:
        return
    try:
        st = task.path.stat()
    except OSError as exc:
        raise _Changed(f"file disappeared while being parsed: {exc.strerror or exc}; "
                       "the next run reads it where it is now") from exc
    if (st.st_size, st.st_mtime_ns) != (task.file_bytes, task.mtime_ns):
        raise _Changed("file changed while being parsed; not parsed this run (the next run reads it anew)")


def _keeps_figures(document: dict[str, Any]) -> bool:
    """Only a final-accounts document that did not fail contributes rows beyond `documents`."""
    return document.get("doc_kind") == FINAL_ACCOUNTS and document.get("status") != "failed"


def _with_doc_id(doc_id: str, rows: list[dict]) -> list[dict]:
    return [{**row, "doc_id": doc_id} for row in rows]


def _batch_columns(task: Task, start: float) -> dict[str, Any]:
    return {
        "doc_id": task.report_id, "source_file": task.source_file, "sha256": task.sha256,
        "file_bytes": task.file_bytes, "parser_version": task.parser_version,
        "parse_seconds": round(time.perf_counter() - start, 4),
    }


def page_source(task: Task) -> str | None:
    """documents.page_source of a failed document: the run's --pages for a PDF handed to a page source (whatever
    failed: the source, the parser, the time limit, the memory ceiling); None for a web page or text file, and for
    a file refused before parsing (not a PDF at all). A parsed document's comes from the parser."""
    if task.sniff_error or source_format(task.path) != "pdf":
        return None
    return task.pages


def _failed(task: Task, error: str, start: float) -> tuple[dict[str, Any], dict[str, pa.Table]]:
    document = failed_document(task, error, seconds=time.perf_counter() - start)
    return document, {"documents": to_arrow("documents", [document])}


def failed_document(task: Task, error: str, seconds: float = 0.0) -> dict[str, Any]:
    """The documents row of a document that yielded nothing."""
    return {
        "doc_id": task.report_id, "source_file": task.source_file, "sha256": task.sha256,
        "file_bytes": task.file_bytes, "parser_version": task.parser_version,
        "parse_seconds": round(seconds, 4), "status": "failed", "error": error,
        "metadata_source": "document", "page_source": page_source(task),
    }


def store_failure(
    task: Task, store: FragmentStore, error: str, seconds: float = 0.0, retry: str | None = None,
    limit: float | None = None,
) -> Outcome:
    """Record a document that failed outside the parser (not a PDF; or transiently, as `retry` says: timed out
    under the time limit `limit`, its worker died or was stopped at the memory ceiling `limit`)."""
    document = failed_document(task, error, seconds)
    store.write(task.doc_id, {"documents": to_arrow("documents", [document])},
                retry=record_for(retry, task.failed_runs, limit))
    return Outcome(task.doc_id, "failed", error, None, round(seconds, 4), retry=retry)
