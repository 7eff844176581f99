"""Finding the reports under the raw folder and identifying each by the SHA-256 of its bytes.

A file is a candidate when its name ends in `.pdf`, `.html`, `.htm`, `.shtml`, `.xhtml` or `.txt` (any case;
etl.pagesource.formats): PDFs, saved web pages and text files. Anything else (a truth `.json`, a manifest
`.csv`, images, Office files) is not an input. Symbolic links to files inside
the raw folder are read; links pointing outside it, broken links, unreadable files and files that
change while being hashed are not read and come back as `Unreadable` (the batch records them as
failed documents). Linked folders are not descended into, so a link cannot make the walk loop.

Hashing streams each file; a `HashCache` remembers (size, mtime, ctime, inode) → sha256 per path so a
re-run does not re-read unchanged files. The trade-off: the cache trusts the file system's metadata instead
of reading every byte on every run (which would make a run with nothing new as slow as hashing the whole
collection). Size and mtime alone can be forged by ordinary tools — `cp -p`, `rsync -t`, `curl -R`, `wget -N`
or `touch -r` put other bytes under the old mtime — but none of them can set the ctime, which the kernel sets
on every write, rename or metadata change, and a replaced file usually has a new inode too. What still escapes
it: bytes changed by writing to the block device directly, or a clock set back to the old ctime. A run with
--force re-hashes nothing either; delete `<out>/.cache/files.parquet` to re-hash everything. The cost: a file
that is only renamed, `chmod`-ed or `touch`-ed is read once more (its doc_id, from its bytes, is unchanged,
so it is not re-parsed).
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from etl.pagesource.formats import format_of_name

CHUNK = 1 << 20
#: A PDF's header `%PDF-` may start anywhere in its first 1024 bytes.
HEADER_WINDOW = 1024


@dataclass(frozen=True)
class SourceFile:
    source_file: str  # relative to the raw root, '/'-separated
    path: Path
    size: int
    mtime_ns: int
    #: status change time and inode: a write (even with the mtime put back) or a replacement changes them
    ctime_ns: int = 0
    inode: int = 0


@dataclass(frozen=True)
class Unreadable:
    source_file: str
    error: str

    @property
    def doc_id(self) -> str:
        """A stable key for a file that could not be read: 16 hex digits of the hash of its path."""
        return hashlib.sha256(f"unreadable:{self.source_file}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Identified:
    source: SourceFile
    sha256: str
    #: Why the bytes cannot be the document its name says (empty; a `.pdf` without %PDF- header); None when they may be.
    sniff_error: str | None

    @property
    def doc_id(self) -> str:
        return doc_id_of(self.sha256)

    @property
    def source_file(self) -> str:
        return self.source.source_file


def doc_id_of(sha256: str) -> str:
    return sha256[:16]


def find_pdfs(raw_root: Path, exclude: Iterable[Path] = ()) -> tuple[list[SourceFile], list[Unreadable]]:
    """Every input file (`*.pdf`, saved web pages, `*.txt`) under `raw_root` (recursively), sorted by relative
    path; `raw_root` may also be one input file, read alone (named relative to its folder). (The name is kept
    from when PDFs were the only input.)"""
    found: list[SourceFile] = []
    unreadable: list[Unreadable] = []
    if raw_root.is_file():  # the user named this file: a link to it is followed wherever it points
        path = raw_root.resolve()
        _classify(path.parent, path, found, unreadable)
        return found, unreadable
    root = raw_root.resolve()
    for directory, name in _walk(root, exclude):
        if format_of_name(name):
            _classify(root, directory / name, found, unreadable)
    found.sort(key=lambda f: f.source_file)
    unreadable.sort(key=lambda u: u.source_file)
    return found, unreadable


def _walk(root: Path, exclude: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """(folder, file name) of every file under `root`, without descending into `exclude` or linked folders."""
    skipped = {p.resolve() for p in exclude}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if (Path(dirpath) / d).resolve() not in skipped)
        for name in filenames:
            yield Path(dirpath), name


def count_inputs(raw_root: Path, exclude: Iterable[Path] = (), enough: int = 1) -> tuple[int, int]:
    """(input files, other files not hidden) under `raw_root`, counting stopped at `enough` inputs: cheap enough
    to ask before a run whether there is anything to read (no hashing, no stat)."""
    if raw_root.is_file():
        return (1, 0) if format_of_name(raw_root.name) else (0, 1)
    inputs = others = 0
    for _, name in _walk(raw_root.resolve(), exclude):
        if format_of_name(name):
            inputs += 1
            if inputs >= enough:
                break
        elif not name.startswith("."):  # a .gitkeep or .DS_Store is no one's idea of a document
            others += 1
    return inputs, others


def _classify(root: Path, path: Path, found: list[SourceFile], unreadable: list[Unreadable]) -> None:
    rel = relative_name(root, path)
    error = _link_error(root, path) if path.is_symlink() else None
    if error:
        unreadable.append(Unreadable(rel, error))
        return
    try:
        st = path.stat()
    except OSError as exc:
        unreadable.append(Unreadable(rel, f"cannot read file: {exc.strerror or exc}"))
        return
    if not stat.S_ISREG(st.st_mode):
        unreadable.append(Unreadable(rel, "not a regular file; not read"))
        return
    found.append(SourceFile(rel, path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))


def _link_error(root: Path, link: Path) -> str | None:
    try:
        target = link.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop, 3.13 OSError
        return "symbolic link loop; not read"
    if not target.is_relative_to(root):
        return "symbolic link pointing outside the raw folder; not read"
    if not target.exists():
        return "broken symbolic link; not read"
    return None


def relative_name(root: Path, path: Path) -> str:
    """The path relative to the raw root, '/'-separated, NFC; names not in UTF-8 decoded as GB18030."""
    raw = os.fsencode(path.relative_to(root).as_posix())
    for encoding in ("utf-8", "gb18030"):
        try:
            return unicodedata.normalize("NFC", raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    return unicodedata.normalize("NFC", raw.decode("utf-8", errors="replace"))


def sha256_file(path: Path) -> tuple[str, bytes]:
    """SHA-256 (hex) of the file, streamed, and its first bytes."""
    digest = hashlib.sha256()
    head = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if not head:
                head = chunk[:HEADER_WINDOW]
            digest.update(chunk)
    return digest.hexdigest(), head


def sniff(head: bytes, name: str = "x.pdf") -> str | None:
    """Why these first bytes cannot start the document the file's name says (a PDF: its header; a web page or
    text file: any bytes), or None if they may."""
    if not head:
        return "empty file (0 bytes)"
    if format_of_name(name) not in (None, "pdf") or b"%PDF-" in head:
        return None
    preview = head[:24].decode("latin-1").encode("unicode_escape").decode("ascii")
    looks_like = ", an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else ""
    return f"not a PDF{looks_like}: no %PDF- header in its first {HEADER_WINDOW} bytes (starts '{preview}')"


_Entry = tuple[int, int, int, int, str, "str | None"]  # size, mtime_ns, ctime_ns, inode, sha256, sniff_error


class HashCache:
    """(source_file, size, mtime_ns, ctime_ns, inode) → (sha256, sniff_error), kept between runs in one Parquet
    file. A cache written before ctime and inode were kept has none: its files are hashed once more."""

    SCHEMA = pa.schema([
        ("source_file", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64()), ("ctime_ns", pa.int64()),
        ("inode", pa.int64()), ("sha256", pa.string()), ("sniff_error", pa.string()),
    ])

    def __init__(self, path: Path) -> None:
        self.path = path
        self.previous: dict[str, _Entry] = {}
        self.current: dict[str, _Entry] = {}
        if path.exists():
            self._load()

    def _load(self) -> None:
        try:
            table = pq.read_table(self.path)
        except (OSError, pa.ArrowException):  # a damaged cache only costs re-hashing
            return
        for row in table.to_pylist():
            entry = (row["size"], row["mtime_ns"], row.get("ctime_ns") or -1, row.get("inode") or -1,
                     row["sha256"], row["sniff_error"])
            self.previous[row["source_file"]] = entry

    def lookup(self, source: SourceFile) -> tuple[str, str | None] | None:
        entry = self.previous.get(source.source_file)
        if entry and entry[:4] == _key(source):
            return entry[4], entry[5]
        return None

    def remember(self, source: SourceFile, sha256: str, sniff_error: str | None) -> None:
        self.current[source.source_file] = (*_key(source), sha256, sniff_error)

    def previous_sha(self, source_file: str) -> str | None:
        entry = self.previous.get(source_file)
        return entry[4] if entry else None

    def save(self) -> None:
        names = sorted(self.current)
        width = len(self.SCHEMA) - 1
        columns = list(zip(*(self.current[n] for n in names), strict=True)) if names else [[]] * width
        table = pa.Table.from_arrays([pa.array(names, pa.string())] + [
            pa.array(col, type=f.type) for col, f in zip(columns, list(self.SCHEMA)[1:], strict=True)
        ], schema=self.SCHEMA)
        tmp = self.path.with_name(self.path.name + ".tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, self.path)


def _key(source: SourceFile) -> tuple[int, int, int, int]:
    return source.size, source.mtime_ns, source.ctime_ns, source.inode


def identify(source: SourceFile, cache: HashCache) -> Identified | Unreadable:
    """Hash one file (or take its hash from the cache if size, mtime, ctime and inode are unchanged)."""
    cached = cache.lookup(source)
    if cached is None:
        try:
            sha, head = sha256_file(source.path)
            st = source.path.stat()
        except OSError as exc:
            return Unreadable(source.source_file, f"cannot read file: {exc.strerror or exc}")
        if (st.st_size, st.st_mtime_ns, st.st_ctime_ns) != (source.size, source.mtime_ns, source.ctime_ns):
            return Unreadable(source.source_file, "file changed while being read; not parsed this run")
        cached = (sha, sniff(head, source.source_file))
    cache.remember(source, *cached)
    return Identified(source, cached[0], cached[1])
