"""Immutable snapshots behind one atomic pointer: how a build reaches its readers whole.

A build writes every table into `<out>/snapshots/<id>.partial/`. `commit` fsyncs each file, writes
`snapshot.json` (row counts and sha256 of each file), renames the folder to `<id>`, then switches
the pointers: the `current` symlink (a fresh symlink moved over it with `os.replace`) and `CURRENT`
(the id, written to a temporary file, fsynced, moved over it) — the commit point. No path a reader
uses is ever rewritten, so a reader that resolved a snapshot (etl.layout) reads it whole, and a run
killed at any moment leaves the last good snapshot current. `<out>/<table>.parquet` are relative
symlinks to `current/<table>.parquet`, made once (they follow `current`).

Retention, after each switch: the current snapshot, the KEEP_PREVIOUS before it and any superseded
less than GRACE_SECONDS ago are kept; so is one whose lease a reader holds (etl.layout.take_lease),
where fcntl exists. Without symlinks (Windows without the privilege) `CURRENT` alone points, and the
contract files are hard links (etl.layout). Everything removed is a folder juesuan named under `<out>/snapshots/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from contextlib import AbstractContextManager, suppress
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

import etl
from etl.batch.ownership import mark_output
from etl.batch.writer import TMP_PREFIX, committed, fsync_dir, fsync_file, remove_stale_temporaries
from etl.layout import (
    LEASE,
    MANIFEST,
    PARTIAL,
    POINTER_FILE,
    POINTER_LINK,
    SNAPSHOT_ID,
    SNAPSHOTS,
    current_id,
    link_id,
)
from etl.portable import replace, symlinks_allowed, unix_module

#: Snapshots kept before the current one, however old (a reader may still be on one).
KEEP_PREVIOUS = 2
#: A snapshot superseded less than this long ago is kept (a query started on it may still run).
GRACE_SECONDS = 3600.0


def new_id(now: datetime | None = None) -> str:
    """A snapshot id that sorts by creation time: UTC timestamp + 8 random hex digits."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


class SnapshotOutput:
    """Files written into a new snapshot folder, made current only by `commit`."""

    def __init__(self, out_dir: Path, parser_version: str) -> None:
        self.out_dir = out_dir
        self.parser_version = parser_version
        self.id = new_id()
        self.staging = out_dir / SNAPSHOTS / f"{self.id}{PARTIAL}"

    def open(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        mark_output(self.out_dir)
        remove_stale_temporaries(self.out_dir)
        remove_unfinished(self.out_dir)
        self.staging.mkdir(parents=True)

    def path(self, filename: str) -> Path:
        return self.staging / filename

    def commit(self) -> None:
        snapshot = seal(self.staging, self.id, self.parser_version)
        symlinks = switch(self.out_dir, self.id)
        link_contract(self.out_dir, snapshot, symlinks)
        with suppress(OSError):  # a snapshot left over costs disk only; the build itself is committed
            prune(self.out_dir)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def snapshot_output(out_dir: Path, parser_version: str) -> AbstractContextManager[SnapshotOutput]:
    """Stage a snapshot; make it current if the block finishes, discard it if the block raises."""
    return committed(SnapshotOutput(out_dir, parser_version))


def seal(staging: Path, ident: str, parser_version: str) -> Path:
    """Fsync the staged files, describe them in snapshot.json, and rename the folder to its id."""
    tables = {}
    for path in sorted(staging.glob("*.parquet")):
        fsync_file(path)  # every file durable before anything points at it
        tables[path.stem] = {"file": path.name, "rows": pq.ParquetFile(path).metadata.num_rows,
                             "bytes": path.stat().st_size, "sha256": sha256_file(path)}
    manifest = {"id": ident, "created": datetime.now(UTC).isoformat(), "juesuan_version": etl.__version__,
                "parser_version": parser_version, "tables": tables}
    write_durably(staging / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
    (staging / LEASE).touch()  # readers open it read-only to take their lease
    fsync_dir(staging)
    final = staging.with_name(ident)
    os.rename(staging, final)
    fsync_dir(final.parent)
    return final


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_durably(path: Path, text: str) -> None:
    """Replace `path` by `text` atomically: a temporary file, fsynced, moved over it."""
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}-{uuid.uuid4().hex[:8]}")
    try:
        tmp.write_text(text, encoding="utf-8")
        fsync_file(tmp)
        replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def switch(out_dir: Path, ident: str) -> bool:
    """Point `current` and then `CURRENT` (the commit point) at the snapshot; True if symlinks work here."""
    symlinks = replace_symlink(out_dir / POINTER_LINK, Path(SNAPSHOTS) / ident)
    write_durably(out_dir / POINTER_FILE, ident + "\n")
    if not symlinks and (out_dir / POINTER_LINK).is_symlink():
        with suppress(OSError):  # a link an earlier run made would point at an old snapshot
            (out_dir / POINTER_LINK).unlink()
    fsync_dir(out_dir)
    return symlinks


def replace_symlink(link: Path, target: Path) -> bool:
    """Make `link` a symlink to `target` in one rename (a reader sees the old link or the new, never none);
    False where the system cannot make symlinks (Windows without the privilege, or fallbacks forced)."""
    if not symlinks_allowed():
        return False
    tmp = link.with_name(f"{TMP_PREFIX}{link.name}-{uuid.uuid4().hex[:8]}")
    try:
        os.symlink(target, tmp)
    except (OSError, NotImplementedError):
        return False
    try:
        os.replace(tmp, link)
    finally:
        tmp.unlink(missing_ok=True)
    return True


def link_contract(out_dir: Path, snapshot: Path, symlinks: bool) -> None:
    """`<out>/<table>.parquet` for each table of the snapshot: a relative symlink to `current/<table>.parquet`,
    made once (an old output's regular file replaced atomically). Without symlinks, a hard link to (or a copy
    of) the snapshot's file, replaced at each commit (consistent reads there need etl.layout.snapshot_dir)."""
    for path in sorted(snapshot.glob("*.parquet")):
        contract = out_dir / path.name
        target = Path(POINTER_LINK) / path.name
        if symlinks:
            if not (contract.is_symlink() and Path(os.readlink(contract)) == target):
                replace_symlink(contract, target)
        else:
            _replace_hardlink(contract, path)
    fsync_dir(out_dir)


def _replace_hardlink(contract: Path, source: Path) -> None:
    """A hard link where the file system has them, else a copy (FAT/exFAT drives), moved over the old one.
    Windows refuses to replace a file a reader has open: the old one then stays until the next commit, and
    CURRENT (the commit point, already switched) is what juesuan's own readers follow."""
    tmp = contract.with_name(f"{TMP_PREFIX}{contract.name}-{uuid.uuid4().hex[:8]}")
    try:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        with suppress(PermissionError):
            os.replace(tmp, contract)
    finally:
        tmp.unlink(missing_ok=True)


def snapshot_ids(out_dir: Path) -> list[str]:
    """Ids of the sealed snapshots (folders juesuan named, holding snapshot.json), oldest first."""
    folder = out_dir / SNAPSHOTS
    if not folder.is_dir():
        return []
    return sorted(e.name for e in folder.iterdir() if SNAPSHOT_ID.match(e.name) and (e / MANIFEST).is_file())


def pointed_to(out_dir: Path) -> set[str]:
    """Snapshots a pointer names (`CURRENT` and `current` differ only if a run was killed between them)."""
    return {i for i in (current_id(out_dir), link_id(out_dir)) if i}


def remove_unfinished(out_dir: Path) -> list[str]:
    """Remove what killed runs left in `<out>/snapshots/`: staged `<id>.partial` folders, folders with a
    snapshot id but no snapshot.json, and sealed snapshots newer than every pointer (never switched to)."""
    folder = out_dir / SNAPSHOTS
    if not folder.is_dir():
        return []
    pointers = pointed_to(out_dir)
    newest = max(pointers, default=None)
    removed = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        staged = name.endswith(PARTIAL) and SNAPSHOT_ID.match(name[: -len(PARTIAL)])
        unsealed = SNAPSHOT_ID.match(name) and not (entry / MANIFEST).is_file() and name not in pointers
        unswitched = SNAPSHOT_ID.match(name) and newest is not None and name > newest
        if staged or unsealed or unswitched:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(name)
    return removed


def prune(out_dir: Path, now: float | None = None, keep_previous: int = KEEP_PREVIOUS,
          grace: float = GRACE_SECONDS) -> list[str]:
    """Remove old snapshots but the current one, the `keep_previous` before it, those superseded less
    than `grace` seconds ago and those a reader holds a lease on; return the ids removed."""
    pointers = pointed_to(out_dir)
    if not pointers:  # without a known current snapshot nothing is old
        return []
    ids = snapshot_ids(out_dir)
    older = [i for i in ids if i < min(pointers)]
    keep = set(older[-keep_previous:]) if keep_previous else set()
    now = time.time() if now is None else now
    removed = []
    for ident, successor in zip(older, ids[1:], strict=False):
        if ident in keep or now - _sealed_at(out_dir, successor) < grace:
            continue
        if remove_unleased(out_dir / SNAPSHOTS / ident):
            removed.append(ident)
    return removed


def _sealed_at(out_dir: Path, ident: str) -> float:
    """When a snapshot was sealed, i.e. about when it superseded its predecessor."""
    return (out_dir / SNAPSHOTS / ident / MANIFEST).stat().st_mtime


def remove_unleased(snapshot: Path) -> bool:
    """Remove a snapshot unless a reader holds its lease; renamed away first, so a kill mid-removal leaves
    a `.partial` folder (removed by the next run) rather than a sealed snapshot missing files."""
    fd = _exclusive_lease(snapshot)
    if fd is False:
        return False
    try:
        doomed = snapshot.with_name(snapshot.name + PARTIAL)
        os.rename(snapshot, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
    finally:
        if isinstance(fd, int):
            os.close(fd)
    return True


def _exclusive_lease(snapshot: Path) -> int | bool | None:
    """The lease held exclusively (its descriptor), None where leases do not exist, False if a reader holds it."""
    fcntl = unix_module("fcntl")
    if fcntl is None:
        return None
    try:
        fd = os.open(snapshot / LEASE, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    return fd
