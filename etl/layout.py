"""The output folder's layout, shared by the writer (etl.batch) and every reader (etl.analysis, etl.reports).

    <out>/snapshots/<id>/<table>.parquet   one complete build, never changed once written
    <out>/snapshots/<id>/snapshot.json     its id, creation time, parser version, row counts and sha256s
    <out>/CURRENT                          the id of the current snapshot (text): the commit point, the truth
    <out>/current -> snapshots/<id>        the same as a symlink, a convenience (where symlinks can be made)
    <out>/<table>.parquet -> current/<table>.parquet   the contract layout, for the scorer and casual use
                                           (without symlinks: a hard link or copy of the snapshot's file)
    <out>/runs/<time>-<run_id>.parquet     the run history, one immutable file per run
    <out>/.juesuan                         marker: this folder is a juesuan output

A reader resolves the snapshot once (`resolve_snapshot`) and reads only its absolute paths, so a
run committing meanwhile never mixes two builds into one read. `snapshot_dir` also takes a lease
on it (a shared flock held for the process's lifetime), which the writer's pruning respects. Without
fcntl (Windows), leases do not exist: the count and grace rules of pruning protect a snapshot being read.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from etl.portable import unix_module

SNAPSHOTS = "snapshots"
POINTER_FILE = "CURRENT"
POINTER_LINK = "current"
MANIFEST = "snapshot.json"
LEASE = ".lease"
MARKER = ".juesuan"
RUNS_DIR = "runs"
#: Tables kept beside the snapshots rather than in them: the run history outlives every build.
OUTSIDE_SNAPSHOT = frozenset({"runs"})
#: `20261205T143012.123456Z-1a2b3c4d`: sorts by creation time; a staged one ends in `.partial`.
SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}$")
PARTIAL = ".partial"

#: snapshot folder -> the descriptor holding its shared lease, for the lifetime of the process.
_LEASES: dict[Path, int] = {}
_LEASES_LOCK = threading.Lock()  # reader threads resolving at once take one lease, not one each


def current_id(out_dir: Path) -> str | None:
    """The current snapshot's id: `CURRENT` if it names a snapshot, else the `current` symlink's target."""
    try:
        ident = (out_dir / POINTER_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        ident = ""
    if SNAPSHOT_ID.match(ident) and (out_dir / SNAPSHOTS / ident).is_dir():
        return ident
    return link_id(out_dir)


def link_id(out_dir: Path) -> str | None:
    """The id the `current` symlink points to, if it is one of ours."""
    try:
        target = Path(os.readlink(out_dir / POINTER_LINK))
    except OSError:
        return None
    ident = target.name
    return ident if SNAPSHOT_ID.match(ident) and (out_dir / SNAPSHOTS / ident).is_dir() else None


def resolve_snapshot(out_dir: str | os.PathLike) -> Path:
    """The absolute folder of the current snapshot, resolved now; a folder juesuan did not write as
    snapshots (older output, hand-built Parquet) is its own snapshot."""
    out = Path(out_dir)
    ident = current_id(out)
    return (out / SNAPSHOTS / ident if ident else out).resolve()


def snapshot_dir(out_dir: str | os.PathLike) -> Path:
    """The current snapshot of `out_dir`, resolved once and leased: read `<it>/<table>.parquet` for a
    consistent view even while a run commits (e.g. `pl.read_parquet(snapshot_dir(out) / "documents.parquet")`)."""
    snap = resolve_snapshot(out_dir)
    take_lease(snap)
    return snap


def take_lease(snap: Path) -> None:
    """Hold a shared flock on the snapshot's lease file until the process exits, so that pruning
    (which needs an exclusive one) leaves it alone. No-op without fcntl or without a lease file."""
    fcntl = unix_module("fcntl")
    if fcntl is None:
        return
    with _LEASES_LOCK:
        if snap in _LEASES:
            return
        try:
            fd = os.open(snap / LEASE, os.O_RDONLY)
        except OSError:  # not a juesuan snapshot (plain layout), or an older one
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # never wait: held exclusively = being pruned
        except OSError:
            os.close(fd)
            return
        _LEASES[snap] = fd
