"""Building the output tables from the per-document fragments, one document at a time.

The `documents` row of each document gets its batch-level columns here (its current
`source_file`, manifest overrides), so moving a file or editing the manifest needs no re-parse.
Files that could not be read at all get a `failed` documents row. Every output table is written
in one pass over the documents, in `source_file` order, into a new snapshot that becomes current
only once complete (etl.batch.snapshots).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from etl.batch.companions import NARRATIVE_FILE
from etl.batch.discover import Unreadable
from etl.batch.fragments import Fragment, FragmentStore
from etl.batch.manifest import Manifest, apply_override
from etl.batch.snapshots import snapshot_output
from etl.batch.writer import StreamingParquetWriter, to_arrow
from etl.layout import resolve_snapshot
from etl.parsing.quality import grade
from etl.schema import TABLES

BUILD_FILE = "build.json"
DOCUMENT_ROWS_PER_BATCH = 4096


@dataclass(frozen=True)
class Entry:
    """One document of the output: a fragment (`unreadable` None) or a file never read."""

    source_file: str
    doc_id: str
    unreadable: Unreadable | None = None
    #: fragment key of a companion pair (etl.batch.companions) whose documents row and figures replace this
    #: tables file's own
    figures_from: str | None = None
    #: doc_id of the tables file this narrative file is the companion of: its row is kept, its figures not
    companion_of: str | None = None
    #: (doc_id, department, region, department_type) of reports whose name the collection resolved
    #: (etl.batch.collection_names)
    renames: tuple[tuple[str, str, str | None, str | None], ...] = ()


@dataclass
class Totals:
    documents: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0
    tables_found: int = 0
    checks_failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def count(self, document: dict[str, Any]) -> None:
        self.documents += 1
        status = document["status"]
        setattr(self, status, getattr(self, status) + 1)
        if status == "failed":
            self.failures.append((document["source_file"], document.get("error") or ""))


def fingerprint(version: str, entries: Iterable[Entry], manifest: Manifest) -> str:
    """Everything the output depends on besides the fragments' contents (which `version` pins)."""
    digest = hashlib.sha256(version.encode())
    for e in entries:
        digest.update(f"\n{e.source_file}\0{e.doc_id}\0{e.unreadable.error if e.unreadable else ''}".encode())
        digest.update(f"\0{e.figures_from}\0{e.companion_of}\0{e.renames}".encode())
    for file in sorted(manifest):
        digest.update(f"\nmanifest\0{file}\0{asdict(manifest[file])}".encode())
    digest.update(json.dumps({n: str(t.arrow_schema()) for n, t in TABLES.items()}).encode())
    return digest.hexdigest()


def previous_build(store: FragmentStore, out_dir: Path, fingerprint_: str) -> Totals | None:
    """The totals of the last build if it had this fingerprint and its output files are all there."""
    path = store.cache_dir / BUILD_FILE
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if saved.get("fingerprint") != fingerprint_:
        return None
    current = resolve_snapshot(out_dir)
    if not all((current / f"{name}.parquet").exists() for name in TABLES):
        return None
    totals = saved["totals"]
    totals["failures"] = [tuple(f) for f in totals["failures"]]
    return Totals(**totals)


def build(
    store: FragmentStore, out_dir: Path, entries: list[Entry], manifest: Manifest, fingerprint_: str,
    department_type: Callable[[str, str | None], str | None],
) -> Totals:
    """Write every output table from the fragments, atomically; remember the build's fingerprint."""
    totals = Totals()
    (store.cache_dir / BUILD_FILE).unlink(missing_ok=True)  # a build killed half-committed is redone
    with snapshot_output(out_dir, store.version) as output:
        writers = {n: StreamingParquetWriter(output.path(f"{n}.parquet"), t.arrow_schema())
                   for n, t in TABLES.items()}
        documents: list[dict[str, Any]] = []
        files = {e.doc_id: e.source_file for e in entries}
        for entry in entries:
            # one read of its fragment serves its documents rows and (but for a companion's) its figures
            fragment = None if entry.unreadable is not None else store.open(entry.figures_from or entry.doc_id)
            for document in _document_rows(fragment, entry, manifest, department_type):
                totals.count(document)
                documents.append(document)
            if len(documents) >= DOCUMENT_ROWS_PER_BATCH:
                writers["documents"].append(to_arrow("documents", documents))
                documents = []
            if fragment is not None and entry.companion_of is None:
                _append_figures(fragment, writers, totals, _page_files(entry, files))
            elif fragment is not None:  # a companion's figures are its tables file's; its pages are its own
                own = fragment if entry.figures_from is None else store.open(entry.doc_id)
                _append_figures(own, writers, totals, _page_files(entry, files), only=("document_pages",))
        writers["documents"].append(to_arrow("documents", documents))
        for writer in writers.values():
            writer.close()
    _save_build(store, fingerprint_, totals)
    return totals


def _document_rows(
    fragment: Fragment | None, entry: Entry, manifest: Manifest,
    department_type: Callable[[str, str | None], str | None],
) -> list[dict[str, Any]]:
    """The documents rows of one file (its fragment's; None for a file never read): one per report it holds, names
    resolved, manifest applied to each."""
    if fragment is None:
        rows = [unreadable_document(entry.unreadable)] if entry.unreadable is not None else []
    else:
        rows = fragment.table("documents").to_pylist()
    renames = {doc_id: names for doc_id, *names in entry.renames}
    override = manifest.get(entry.source_file)
    out = []
    for row in rows:
        row["source_file"] = entry.source_file
        if row["doc_id"] in renames:
            row["department"], row["region"], row["department_type"] = renames[row["doc_id"]]
        if entry.companion_of is not None:
            _as_companion(row, entry.companion_of)
        if row.get("quality") is None and row.get("status") == "failed":
            row.update(grade(row.get("status"), row.get("doc_kind"), None))  # failed before any check ran
        out.append(apply_override(row, override, department_type) if override else row)
    return out


def _as_companion(row: dict[str, Any], tables_doc_id: str) -> None:
    """A narrative file whose statements and checks belong to its tables file's document: it points there,
    and its own grade (tables missing) does not stand."""
    row.update(companion_of=tables_doc_id, status="ok", error=None, quality=None, checks_errors=None,
               checks_warnings=None, disclosure_defects=None, figures_in_doubt=None, unit=None, layout=None)


def unreadable_document(item: Unreadable) -> dict[str, Any]:
    """The documents row of a file that was not read (sha256 is empty: its bytes were never hashed)."""
    return {
        "doc_id": item.doc_id, "source_file": item.source_file, "sha256": "", "status": "failed",
        "error": item.error, "metadata_source": "document",
    }


def _page_files(entry: Entry, files: dict[str, str]) -> dict[str, str]:
    """What document_pages.source_file of a fragment stands for: the document's own file, and for a companion
    pair (fragment `<tables>+<narrative>`) the narrative file."""
    out = {"": entry.source_file}  # etl.parsing.parse.OWN_FILE (not imported: assembling needs no parser)
    if entry.figures_from and "+" in entry.figures_from:
        narrative = entry.figures_from.split("+", 1)[1]
        out[NARRATIVE_FILE] = files.get(narrative, narrative)
    return out


def _with_files(table: pa.Table, files: dict[str, str]) -> pa.Table:
    """document_pages with each page's file named as in documents.source_file (a fragment does not know it)."""
    column = table.schema.get_field_index("source_file")
    names = [files.get(v, v) for v in table.column("source_file").to_pylist()]
    return table.set_column(column, table.schema.field(column), pa.array(names, pa.string()))


def _append_figures(
    fragment: Fragment, writers: dict[str, StreamingParquetWriter], totals: Totals,
    files: dict[str, str] | None = None, only: tuple[str, ...] | None = None,
) -> None:
    for name in sorted(fragment.names):
        if name == "documents" or name not in writers or (only is not None and name not in only):
            continue
        table = fragment.table(name)
        if name == "document_pages":
            table = _with_files(table, files or {})
        writers[name].append(table)
        if name == "tables_found":
            totals.tables_found += table.num_rows
        elif name == "checks":
            totals.checks_failed += _count_failed_checks(table)


def _count_failed_checks(table: pa.Table) -> int:
    return sum(1 for status in table.column("status").to_pylist() if status == "fail")


def _save_build(store: FragmentStore, fingerprint_: str, totals: Totals) -> None:
    path = store.cache_dir / BUILD_FILE
    tmp = path.with_name(BUILD_FILE + ".tmp")
    tmp.write_text(json.dumps({"fingerprint": fingerprint_, "totals": asdict(totals)}, ensure_ascii=False))
    tmp.replace(path)
