"""Building `<out>/<table>.parquet` from the per-document fragments, one document at a time.

The `documents` row of each document gets its batch-level columns here (its current
`source_file`, manifest overrides), so moving a file or editing the manifest needs no re-parse.
Files that could not be read at all get a `failed` documents row. Every output table is written
in one pass over the documents, in `source_file` order, into a staged folder that replaces the
previous output only once complete (etl.writer.atomic_output).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from etl.discover import Unreadable
from etl.fragments import FragmentStore
from etl.manifest import Manifest, apply_override
from etl.quality import grade
from etl.schema import TABLES
from etl.writer import StreamingParquetWriter, atomic_output, to_arrow

BUILD_FILE = "build.json"
DOCUMENT_ROWS_PER_BATCH = 4096


@dataclass(frozen=True)
class Entry:
    """One document of the output: a fragment (`unreadable` None) or a file never read."""

    source_file: str
    doc_id: str
    unreadable: Unreadable | None = None


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
    if not all((out_dir / f"{name}.parquet").exists() for name in TABLES):
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
    with atomic_output(out_dir) as output:
        writers = {n: StreamingParquetWriter(output.path(f"{n}.parquet"), t.arrow_schema())
                   for n, t in TABLES.items()}
        documents: list[dict[str, Any]] = []
        for entry in entries:
            document = _document_row(store, entry, manifest, department_type)
            totals.count(document)
            documents.append(document)
            if len(documents) >= DOCUMENT_ROWS_PER_BATCH:
                writers["documents"].append(to_arrow("documents", documents))
                documents = []
            if entry.unreadable is None:
                _append_figures(store, entry.doc_id, writers, totals)
        writers["documents"].append(to_arrow("documents", documents))
        for writer in writers.values():
            writer.close()
    _save_build(store, fingerprint_, totals)
    return totals


def _document_row(
    store: FragmentStore, entry: Entry, manifest: Manifest,
    department_type: Callable[[str, str | None], str | None],
) -> dict[str, Any]:
    if entry.unreadable is not None:
        row = unreadable_document(entry.unreadable)
    else:
        row = store.read(entry.doc_id, "documents").to_pylist()[0]
        row["source_file"] = entry.source_file
    if row.get("quality") is None and row.get("status") == "failed":
        row.update(grade(row.get("status"), row.get("doc_kind"), None))  # failed before any check ran
    override = manifest.get(entry.source_file)
    return apply_override(row, override, department_type) if override else row


def unreadable_document(item: Unreadable) -> dict[str, Any]:
    """The documents row of a file that was not read (sha256 is empty: its bytes were never hashed)."""
    return {
        "doc_id": item.doc_id, "source_file": item.source_file, "sha256": "", "status": "failed",
        "error": item.error, "metadata_source": "document",
    }


def _append_figures(
    store: FragmentStore, doc_id: str, writers: dict[str, StreamingParquetWriter], totals: Totals
) -> None:
    for name in sorted(store.tables(doc_id)):
        if name == "documents" or name not in writers:
            continue
        table = store.read(doc_id, name)
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
