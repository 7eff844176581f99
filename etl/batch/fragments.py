"""Per-document results kept between runs:
`<out>/.cache/fragments/<parser version>[+ocr-<mode>][+pages-<source>]/<doc_id>/`.

Each document's folder holds one file, `tables.arrows`, with every output table it has rows for (`documents`
always): a JSON index of the tables' names and sizes, then each table as an Arrow IPC stream. One file per document,
not one per table, because opening files and Arrow readers was most of what the run's main process did per document
(a folder of the older one-file-per-table layout is no fragment: its document is parsed again). A
folder appears by a rename only once complete, so a killed worker or run never leaves a half-written fragment
behind, only a stray temporary folder that the next run removes. Documents parsed by another parser version
live under another version folder and are re-parsed, and so are those parsed under another --ocr mode or
--pages source; folders of documents no longer in the raw folder are pruned. A failure that may pass
(etl.batch.retry) carries a `retry.json` in its folder, written with the fragment, so a killed run cannot
leave it looking like a result to keep.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

import etl
from etl.batch.options import DEFAULT_OCR
from etl.batch.retry import TIMEOUT, RetryRecord, read_record
from etl.pagesource import DEFAULT_PAGES

CACHE_DIR = ".cache"
FRAGMENTS = "fragments"
#: The one file of a fragment, with all its tables.
TABLES_FILE = "tables.arrows"
#: The index's length at the start of the file: 4 bytes, little-endian.
INDEX_LENGTH = struct.Struct("<I")
#: Where the time limits of timed-out documents were kept before retry records (read once, then removed).
LEGACY_TIMEOUTS = "timeouts.json"
#: A fragment's tables are small (one document's rows): encoded and decoded on the calling thread, not handed to
#: Arrow's thread pool, which cost a quarter of each table's read (~7 of ~30 µs; the assembly reads some 14 per
#: document) and a fifth of its write (same bytes).
READ_OPTIONS = ipc.IpcReadOptions(use_threads=False)
WRITE_OPTIONS = ipc.IpcWriteOptions(use_threads=False)
#: What a document parses to depends on these parts of etl/ only (the page sources, the parser and the
#: contracts they share); the batch machinery, the reports, the analysis and the sample do not.
PARSER_PARTS = frozenset({"pagesource", "parsing", "normalise.py", "document.py", "schema.py", "__init__.py"})


def parser_version() -> str:
    """`PARSER_VERSION` plus a fingerprint of the parser's source files, e.g. `0.1.0+3f2a9c1b`."""
    return f"{etl.PARSER_VERSION}+{parser_fingerprint()}"


def parser_fingerprint(package_dir: Path | None = None) -> str:
    root = package_dir or Path(etl.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] not in PARSER_PARTS or "__pycache__" in rel.parts:
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:8]


def fragment_version(version: str, ocr: str, pages: str = DEFAULT_PAGES) -> str:
    """The folder fragments are kept under: the parser version, and the --ocr mode and --pages source unless
    they are the defaults (what a document parses to depends on which pages OCR read, and documents.page_source
    on the source, so another mode's or source's fragments are stale)."""
    folder = version if ocr == DEFAULT_OCR else f"{version}+ocr-{ocr}"
    return folder if pages == DEFAULT_PAGES else f"{folder}+pages-{pages}"


class FragmentStore:
    """Cached per-document tables of one parser version under `<out>/.cache/`."""

    def __init__(self, out_dir: Path, version: str) -> None:
        self.cache_dir = out_dir / CACHE_DIR
        self.version = version
        self.root = self.cache_dir / FRAGMENTS
        self.dir = self.root / version
        self.tmp = self.cache_dir / "juesuan-tmp"

    def prepare(self) -> None:
        # A name of juesuan's own: what a killed worker staged is removed, never another program's .cache/tmp.
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def cached_ids(self) -> set[str]:
        """Keys of the fragments kept (folders holding the tables file; another layout's are parsed again)."""
        return {name for name in self._folders() if os.path.exists(os.path.join(self.dir, name, TABLES_FILE))}

    def _folders(self) -> set[str]:
        with os.scandir(self.dir) as entries:
            return {e.name for e in entries if e.is_dir()}

    def ids_of_other_versions(self) -> set[str]:
        ids: set[str] = set()
        for version_dir in self.root.iterdir():
            if version_dir.is_dir() and version_dir != self.dir:
                ids.update(e.name for e in os.scandir(version_dir) if e.is_dir())
        return ids

    def write(self, doc_id: str, tables: dict[str, pa.Table], retry: RetryRecord | None = None) -> None:
        """Store one document's tables (and, for a transient failure, its retry record) as one folder."""
        staging = self.tmp / f"{doc_id}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        write_tables(staging / TABLES_FILE, tables)
        if retry is not None:
            retry.write(staging)
        final = self.dir / doc_id
        if final.exists():
            shutil.rmtree(final)
        os.rename(staging, final)

    def open(self, doc_id: str) -> Fragment:
        """One document's fragment, read from disk at once (its tables decoded when asked for)."""
        return Fragment.read(self.dir / doc_id / TABLES_FILE)

    def read(self, doc_id: str, table: str) -> pa.Table:
        return self.open(doc_id).table(table)

    def retries(self) -> dict[str, RetryRecord]:
        """doc_id -> the retry record of each cached transient failure."""
        self._migrate_timeouts()
        found = {}
        for doc_id in self.cached_ids():
            record = read_record(self.dir / doc_id)
            if record is not None:
                found[doc_id] = record
        return found

    def _migrate_timeouts(self) -> None:
        """Caches written before retry records kept timeouts in one JSON file: give each its record."""
        legacy = self.dir / LEGACY_TIMEOUTS
        try:
            limits = json.loads(legacy.read_text())
        except (OSError, ValueError):
            return
        for doc_id, limit in limits.items() if isinstance(limits, dict) else ():
            if (self.dir / doc_id).is_dir():
                RetryRecord(TIMEOUT, 1, float(limit)).write(self.dir / doc_id)
        legacy.unlink(missing_ok=True)

    def prune(self, keep: set[str]) -> int:
        """Remove fragments not in `keep` and every other parser version's; return how many."""
        removed = 0
        for doc_id in self._folders() - keep:
            shutil.rmtree(self.dir / doc_id, ignore_errors=True)
            removed += 1
        for version_dir in self.root.iterdir():
            if version_dir != self.dir:
                shutil.rmtree(version_dir, ignore_errors=True)
        return removed


class Fragment:
    """The tables of one fragment file: its index read, each table decoded from the file's bytes when asked for."""

    def __init__(self, data: pa.Buffer) -> None:
        if data.size < INDEX_LENGTH.size:
            raise ValueError("fragment file too short for its index")
        (length,) = INDEX_LENGTH.unpack(data[: INDEX_LENGTH.size].to_pybytes())
        start = INDEX_LENGTH.size + length
        index = json.loads(data[INDEX_LENGTH.size : start].to_pybytes())
        self._data = data
        self._spans: dict[str, tuple[int, int]] = {}
        for name, size in index:
            self._spans[name] = (start, size)
            start += size
        if start != data.size:
            raise ValueError(f"fragment file holds {data.size} bytes, its index {start}")

    @classmethod
    def read(cls, path: Path) -> Fragment:
        with pa.OSFile(str(path), "rb") as source:
            return cls(source.read_buffer())

    @property
    def names(self) -> list[str]:
        """The tables it holds, in the order written."""
        return list(self._spans)

    def __contains__(self, name: str) -> bool:
        return name in self._spans

    def table(self, name: str) -> pa.Table:
        """One table (KeyError when the fragment has none of that name)."""
        start, size = self._spans[name]
        return ipc.open_stream(self._data.slice(start, size), options=READ_OPTIONS).read_all()


def write_tables(path: Path, tables: dict[str, pa.Table]) -> None:
    """Tables as one fragment file: the JSON index of (name, bytes), then each table as an Arrow IPC stream."""
    streams = [(name, _stream(table)) for name, table in tables.items()]
    index = json.dumps([[name, stream.size] for name, stream in streams]).encode()
    with pa.OSFile(str(path), "wb") as sink:
        sink.write(INDEX_LENGTH.pack(len(index)))
        sink.write(index)
        for _, stream in streams:
            sink.write(stream)


def _stream(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema, options=WRITE_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue()
