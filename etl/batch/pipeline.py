"""The batch: find the PDFs, parse the new and changed ones in parallel, rebuild the output.

* Each document is parsed in a worker process (pebble.ProcessPool) under a time limit; a
  document that exceeds it, or whose worker dies, fails alone (the worker is killed and
  replaced) and the batch goes on. Unless --ocr is off, the limit grows with the document's pages
  (BatchOptions.time_limit), since OCR may read each of them; the progress bar counts pages.
* Incremental: a document is parsed only if no fragment of the current parser version, --ocr
  mode and --pages source exists for its doc_id (the first 16 hex digits of its sha256); fragments of files no longer
  present are pruned. When nothing that the output depends on changed, the output is not rewritten.
* Transient failures (a killed worker, the memory ceiling, a system read error, a file changed while read, a
  timeout) are not results: those that may pass at once are tried again in a fresh worker within the run, and
  their fragments carry a retry record that makes later runs try again (etl.batch.retry).
* Memory: at most `2 × jobs` documents are in flight, results travel through fragment files
  on disk, and the output is assembled by streaming those fragments.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from itertools import islice

from pebble import ProcessExpired, ProcessPool
from tqdm import tqdm

from etl.batch import assemble, collection_names, companions
from etl.batch.discover import HashCache, Identified, Unreadable, find_pdfs, identify
from etl.batch.executors import remote_executor
from etl.batch.fragments import FragmentStore, fragment_version, parser_version
from etl.batch.limits import peak_resident_mb
from etl.batch.manifest import Manifest, unused_entries
from etl.batch.options import DEFAULT_EXECUTOR, BatchOptions
from etl.batch.pagecount import pdf_pages
from etl.batch.pool import MAX_TASKS_PER_WORKER, expired_failure, pool_context, start_worker
from etl.batch.retry import MEMORY, RETRIED_IN_RUN, TIMEOUT, RetryRecord
from etl.batch.worker import Outcome, Parser, Task, parse_pdf, process, store_failure
from etl.pagesource import DEFAULT_PAGES

HASH_CACHE = "files.parquet"


@dataclass
class BatchResult:
    totals: assemble.Totals
    files: int = 0
    new: int = 0
    changed: int = 0
    removed: int = 0
    parsed: int = 0
    reparsed_for_new_parser: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    unused_manifest: list[str] = field(default_factory=list)
    wrote_output: bool = False
    seconds: float = 0.0
    discover_seconds: float = 0.0
    parse_seconds: float = 0.0
    assemble_seconds: float = 0.0
    #: Files that failed in this run: unreadable, or parsed now with status failed.
    files_failed: int = 0
    worker_peak_mb: float | None = None
    main_peak_mb: float = 0.0
    #: department-years whose tables and narrative are two files, parsed together (etl.batch.companions)
    companions: int = 0
    #: reports whose department was completed from the collection's names (etl.batch.collection_names)
    renamed: int = 0


@dataclass
class _Inventory:
    documents: list[Identified]
    unreadable: list[Unreadable]
    duplicates: list[tuple[str, str]]


def run_batch(options: BatchOptions, parser: Parser = parse_pdf) -> BatchResult:
    start = time.perf_counter()
    progress = _stderr_is_tty() if options.progress is None else options.progress
    version = parser_version()
    store = FragmentStore(options.out_dir, fragment_version(version, options.ocr, options.pages))
    store.prepare()
    hashes = HashCache(store.cache_dir / HASH_CACHE)
    inventory = _take_inventory(options, hashes, progress)
    batch = BatchResult(assemble.Totals(), files=len(_all_source_files(inventory)),
                        duplicates=inventory.duplicates)
    _count_file_changes(batch, inventory, hashes)
    batch.files_failed = len(inventory.unreadable)

    todo = _documents_to_parse(options, store, inventory.documents, version)
    batch.parsed = len(todo)
    if todo:
        batch.reparsed_for_new_parser = len({d.doc_id for d in todo} & store.ids_of_other_versions())
    parse_start = time.perf_counter()
    batch.discover_seconds = parse_start - start
    for outcome in _parse_all(todo, store, parser, options, progress):
        _record(batch, outcome)
    collection = _resolve_collection(options, store, inventory, progress, version)
    batch.companions, batch.renamed = len(collection.pairs), len(collection.renames)
    batch.parse_seconds = time.perf_counter() - parse_start

    hashes.save()
    present = {d.doc_id for d in inventory.documents}
    store.prune(present | {p.key for p in collection.pairs})
    assemble_start = time.perf_counter()
    batch.totals, batch.wrote_output = _assemble(options, store, inventory, collection,
                                                 parsed_any=bool(todo) or collection.parsed)
    batch.assemble_seconds = time.perf_counter() - assemble_start
    batch.unused_manifest = unused_entries(options.manifest, _all_source_files(inventory))
    batch.seconds = time.perf_counter() - start
    batch.main_peak_mb = peak_resident_mb() or 0.0
    return batch


@dataclass
class _Collection:
    """What the collection as a whole decides: completed names, and department-years parsed from two files."""

    renames: list[collection_names.Rename] = field(default_factory=list)
    pairs: list[companions.Pair] = field(default_factory=list)
    #: pairs whose joint parse succeeded (the others keep their two files' own results)
    joined: set[str] = field(default_factory=set)
    parsed: bool = False


def _resolve_collection(
    options: BatchOptions, store: FragmentStore, inventory: _Inventory, progress: bool, version: str
) -> _Collection:
    """Resolve names against the collection, find two-file department-years and parse each pair once
    (through the workers, under the time limit), unless its fragment is cached."""
    by_id = {d.doc_id: d for d in inventory.documents}
    summaries = companions.read_summaries(store, by_id)
    documents = [doc for s in summaries for doc in s.documents]
    coverless = {doc["doc_id"] for s in summaries if companions.is_tables_file(s) for doc in s.documents}
    found = _Collection(collection_names.resolve(documents, coverless))
    found.pairs = companions.find_pairs(summaries, found.renames)
    cached, retries = _cache(store, options)
    tasks = [task for p in found.pairs if (task := _if_due(
        p.key, cached, retries, options,
        lambda runs, p=p: _pair_task(by_id[p.tables], by_id[p.narrative], p, version, options.ocr, runs,
                                     options.pages)))]
    found.parsed = bool(tasks)
    for _ in _parse_all(tasks, store, parse_pdf, options, progress):
        pass
    for pair in found.pairs:
        rows = companions.read_summaries(store, [pair.key])
        if rows and rows[0].documents and rows[0].documents[0].get("status") != "failed":
            found.joined.add(pair.key)
    return found


def _pair_task(tables: Identified, narrative: Identified, pair: companions.Pair, version: str, ocr: str,
               failed_runs: int = 0, pages: str = DEFAULT_PAGES) -> Task:
    """The tables file's task, parsed with its narrative file under the pair's fragment key (pages: both files')."""
    return Task(pair.key, tables.source.path, tables.source_file, tables.sha256, tables.source.size, version,
                mtime_ns=tables.source.mtime_ns, companion=narrative.source.path, rows_doc_id=tables.doc_id,
                ocr=ocr, pages=pages, pdf_pages=pdf_pages(tables.source.path) + pdf_pages(narrative.source.path),
                failed_runs=failed_runs)


def _stderr_is_tty() -> bool:
    try:
        return os.isatty(2)
    except OSError:
        return False


def _take_inventory(options: BatchOptions, hashes: HashCache, progress: bool) -> _Inventory:
    found, unreadable = find_pdfs(options.raw_dir, exclude=[options.out_dir])
    documents: dict[str, Identified] = {}
    duplicates: list[tuple[str, str]] = []
    for source in tqdm(found, desc="hashing", unit="file", disable=not progress, leave=False):
        item = identify(source, hashes)
        if isinstance(item, Unreadable):
            unreadable.append(item)
        elif item.doc_id in documents:
            duplicates.append((item.source_file, documents[item.doc_id].source_file))
        else:
            documents[item.doc_id] = item
    return _Inventory(list(documents.values()), sorted(unreadable, key=lambda u: u.source_file), duplicates)


def _count_file_changes(batch: BatchResult, inventory: _Inventory, hashes: HashCache) -> None:
    present = _all_source_files(inventory)
    batch.removed = sum(1 for name in hashes.previous if name not in present)
    for item in inventory.documents:
        before = hashes.previous_sha(item.source_file)
        if before is None:
            batch.new += 1
        elif before != item.sha256:
            batch.changed += 1


def _all_source_files(inventory: _Inventory) -> set[str]:
    return ({d.source_file for d in inventory.documents} | {u.source_file for u in inventory.unreadable}
            | {dup for dup, _ in inventory.duplicates})


def _documents_to_parse(
    options: BatchOptions, store: FragmentStore, documents: list[Identified], version: str
) -> list[Task]:
    """New documents, documents of another parser version or --ocr mode, and transient failures due for another
    try under this run's limits (etl.batch.retry; a timeout's limit scaled by its pages)."""
    cached, retries = _cache(store, options)
    return [task for item in documents if (task := _if_due(
        item.doc_id, cached, retries, options,
        lambda runs, item=item: _task(item, version, options.ocr, runs, options.pages)))]


def _cache(store: FragmentStore, options: BatchOptions) -> tuple[set[str], dict[str, RetryRecord]]:
    """The cached fragments' keys and the retry records among them (none with --force: all is parsed)."""
    if options.force:
        return set(), {}
    return store.cached_ids(), store.retries()


def _if_due(key: str, cached: set[str], retries: dict[str, RetryRecord], options: BatchOptions,
            make: Callable[[int], Task]) -> Task | None:
    """The task of `key` (made by `make(failed_runs)`) if it must be parsed: not cached, or a transient failure
    due for another try; None when its cached result stands."""
    record = retries.get(key)
    if key in cached and record is None:
        return None
    task = make(record.runs if record else 0)
    if key not in cached or record.due(options.time_limit(task.pdf_pages), options.max_memory_mb):
        return task
    return None


def _record(batch: BatchResult, outcome: Outcome) -> None:
    batch.files_failed += outcome.status == "failed"
    if outcome.worker_peak_mb is not None:
        batch.worker_peak_mb = max(batch.worker_peak_mb or 0.0, outcome.worker_peak_mb)


def _task(item: Identified, version: str, ocr: str, failed_runs: int = 0, pages: str = DEFAULT_PAGES) -> Task:
    """The document's task; its pages are counted unless it is not a PDF at all."""
    count = 0 if item.sniff_error else pdf_pages(item.source.path)
    return Task(item.doc_id, item.source.path, item.source_file, item.sha256, item.source.size, version,
                sniff_error=item.sniff_error, mtime_ns=item.source.mtime_ns, ocr=ocr, pages=pages,
                pdf_pages=count,
                failed_runs=failed_runs)


def _parse_all(
    tasks: list[Task], store: FragmentStore, parser: Parser, options: BatchOptions, progress: bool
) -> Iterator[Outcome]:
    """Outcomes of all tasks: files that are not PDFs at once, the rest through the worker pool. The progress
    bar counts pages (a document moves it by its page count), as OCR makes time follow pages."""
    steps = {t.doc_id: t.steps for t in tasks}
    # no bar without tasks: the collection stage's call usually has none and drew a stray `parsing: 0page`
    with tqdm(total=sum(steps.values()), desc="parsing", unit="page", disable=not progress or not tasks) as bar:
        for task in tasks:
            if task.sniff_error:
                bar.update(task.steps)
                yield store_failure(task, store, task.sniff_error)
        pdfs = [t for t in tasks if not t.sniff_error]
        again = []
        for outcome in _execute(pdfs, store, parser, options):
            if outcome.retry in RETRIED_IN_RUN:  # held back: its second try decides
                again.extend(t for t in pdfs if t.doc_id == outcome.doc_id)
                continue
            bar.update(steps.get(outcome.doc_id, 1))
            yield outcome
        for outcome in _execute(again, store, parser, options):  # a new pool: fresh workers
            bar.update(steps.get(outcome.doc_id, 1))
            yield outcome


def _execute(tasks: list[Task], store: FragmentStore, parser: Parser, options: BatchOptions) -> Iterator[Outcome]:
    if not tasks:
        return iter(())
    run = _run_pool if options.executor == DEFAULT_EXECUTOR else remote_executor(options.executor)
    return run(tasks, store, parser, options)


def _run_pool(tasks: list[Task], store: FragmentStore, parser: Parser, options: BatchOptions
              ) -> Iterator[Outcome]:
    """Run tasks on `options.jobs` worker processes (no more than tasks), at most 2 × jobs queued, each under
    its own time limit (BatchOptions.time_limit)."""
    queue = iter(tasks)
    jobs = max(1, min(options.jobs, len(tasks)))
    pool = ProcessPool(max_workers=jobs, max_tasks=MAX_TASKS_PER_WORKER, initializer=start_worker,
                       initargs=(options.max_memory_mb, os.getpid()),
                       context=pool_context())
    pending: dict[Future, Task] = {}

    def submit(batch: Iterable[Task]) -> None:
        for task in batch:
            limit = options.time_limit(task.pdf_pages)
            pending[pool.schedule(process, args=(task, store, parser), timeout=limit)] = task

    try:
        submit(islice(queue, 2 * jobs))
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                task = pending.pop(future)
                yield _outcome(future, task, store, options)
            submit(islice(queue, len(done)))
        pool.close()
    finally:
        pool.stop()
        pool.join()


def _outcome(future: Future, task: Task, store: FragmentStore, options: BatchOptions) -> Outcome:
    timeout = options.time_limit(task.pdf_pages)
    try:
        return future.result()
    except TimeoutError:
        return store_failure(task, store, f"timed out after {timeout:g} s; its worker was stopped", timeout,
                             TIMEOUT, timeout)
    except ProcessExpired as exc:
        error, kind = expired_failure(exc.exitcode, options.max_memory_mb)
        return store_failure(task, store, error, retry=kind,
                             limit=options.max_memory_mb if kind == MEMORY else None)
    except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
        return store_failure(task, store, f"worker error: {type(exc).__name__}: {exc}")


def _assemble(
    options: BatchOptions, store: FragmentStore, inventory: _Inventory, collection: _Collection, parsed_any: bool
) -> tuple[assemble.Totals, bool]:
    """Rebuild the output unless nothing was parsed and its inputs are those of the last build."""
    figures = {p.tables: p.key for p in collection.pairs if p.key in collection.joined}
    tables_of = {p.narrative: p.tables for p in collection.pairs if p.key in collection.joined}
    renames: dict[str, list] = {}
    for r in collection.renames:
        renames.setdefault(r.doc_id.split("-")[0], []).append((r.doc_id, r.department, r.region, r.department_type))
    entries = sorted(
        [assemble.Entry(d.source_file, d.doc_id, figures_from=figures.get(d.doc_id),
                        companion_of=tables_of.get(d.doc_id), renames=tuple(renames.get(d.doc_id, ())))
         for d in inventory.documents]
        + [assemble.Entry(u.source_file, u.doc_id, u) for u in inventory.unreadable],
        key=lambda e: e.source_file,
    )
    fingerprint = assemble.fingerprint(store.version, entries, options.manifest)
    previous = None if parsed_any else assemble.previous_build(store, options.out_dir, fingerprint)
    if previous is not None:
        return previous, False
    totals = assemble.build(store, options.out_dir, entries, options.manifest, fingerprint,
                            _department_type_function(options.manifest))
    return totals, True


def _department_type_function(manifest: Manifest) -> Callable[[str, str | None], str | None]:
    if not manifest:
        return lambda department, region: None
    from etl.parsing.metadata import department_type

    return department_type
