"""Per-document results kept between runs:
`<out>/.cache/fragments/<parser version>[+ocr-<mode>][+pages-<source>]/<doc_id>/`.

Each document's folder holds one Arrow IPC file per output table it has rows for (`documents.arrow` always). A
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
import uuid
from pathlib import Path

import pyarrow as pa

import etl
from etl.batch.options import DEFAULT_OCR
from etl.batch.retry import TIMEOUT, RetryRecord, read_record
from etl.batch.writer import read_ipc, write_ipc
from etl.pagesource import DEFAULT_PAGES

CACHE_DIR = ".cache"
FRAGMENTS = "fragments"
SUFFIX = ".arrow"
#: Where the time limits of timed-out documents were kept before retry records (read once, then removed).
LEGACY_TIMEOUTS = "timeouts.json"
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
        for name, table in tables.items():
            write_ipc(staging / f"{name}{SUFFIX}", table)
        if retry is not None:
            retry.write(staging)
        final = self.dir / doc_id
        if final.exists():
            shutil.rmtree(final)
        os.rename(staging, final)

    def tables(self, doc_id: str) -> dict[str, Path]:
        """Files of one document's fragment, by table name."""
        folder = self.dir / doc_id
        return {p.name[: -len(SUFFIX)]: p for p in folder.iterdir() if p.name.endswith(SUFFIX)}

    def read(self, doc_id: str, table: str) -> pa.Table:
        return read_ipc(self.dir / doc_id / f"{table}{SUFFIX}")

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
        for doc_id in self.cached_ids() - keep:
            shutil.rmtree(self.dir / doc_id, ignore_errors=True)
            removed += 1
        for version_dir in self.root.iterdir():
            if version_dir != self.dir:
                shutil.rmtree(version_dir, ignore_errors=True)
        return removed
