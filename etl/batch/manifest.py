"""The optional manifest CSV: `file,region,department,year,department_id`, overriding what the parser read.

`file` is the PDF's path relative to the raw folder ('/' or '\\' separated). The other columns
are optional, and an empty cell keeps what the parser read. A document with any override gets
`metadata_source = 'manifest'` and its `department_type` recomputed from the overridden names.
`department_id` is not read from PDFs at all: a non-empty cell becomes the document's
`manifest_department_id`, the stable department key the analysis layer uses instead of the one it
derives from region and department_type (e.g. to join a department across a rename).
A row whose override cells are all empty changes nothing (its document keeps `metadata_source = 'document'`).
The CSV may be UTF-8 (with or without BOM) or GB18030 (as Excel saves it on Chinese Windows).
Anything malformed raises `ManifestError` naming the line, which the CLI turns into exit 2; so does a manifest
past the bounds below (a file over `MAX_BYTES` or `MAX_ROWS`, a cell over `MAX_CELL` characters) and a control
character in a cell (NUL, a line break inside a quoted cell, an escape sequence), which would otherwise travel
into `documents`, the exports and the terminal.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIELDS = ("file", "region", "department", "year", "department_id")
YEAR_RANGE = range(1990, 2101)
#: Bounds of a manifest: far above any real one (a path or a department name is under 300 characters; a
#: province's collection is tens of thousands of files), low enough that a wrong file fails at once.
MAX_CELL = 1000
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000


class ManifestError(ValueError):
    """The manifest cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Override:
    region: str | None = None
    department: str | None = None
    year: int | None = None
    department_id: str | None = None


Manifest = dict[str, Override]


def normalise_file(name: str) -> str:
    """A manifest `file` cell as a source_file: NFC, '/'-separated, no leading './'."""
    name = unicodedata.normalize("NFC", name.strip()).replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def load_manifest(path: Path) -> Manifest:
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    try:
        _check_header(path, reader.fieldnames)
        return _read_rows(path, reader)
    except csv.Error as exc:  # e.g. a cell past the csv module's own field limit
        raise ManifestError(f"{path}, line {reader.line_num + 1}: not readable as CSV ({exc}); "
                            f"a cell may have at most {MAX_CELL:,} characters") from None


def _read_rows(path: Path, reader: csv.DictReader) -> Manifest:
    manifest: Manifest = {}
    for count, row in enumerate(reader, start=1):
        where = f"{path}, line {reader.line_num}"
        if count > MAX_ROWS:
            raise ManifestError(f"{path}: more than {MAX_ROWS:,} rows; split the collection or the manifest")
        _check_cells(where, row)
        file, override = _parse_row(where, row)
        if file in manifest:
            raise ManifestError(f"{where}: {file!r} is listed twice")
        manifest[file] = override
    return manifest


def _check_cells(where: str, row: dict[str | None, Any]) -> None:
    """Each cell bounded and free of control characters (a list: the cells past the header's columns)."""
    for column, value in row.items():
        for cell in value if isinstance(value, list) else [value]:
            if not isinstance(cell, str):
                continue
            name = column or "(beyond the header)"
            if len(cell) > MAX_CELL:
                raise ManifestError(f"{where}, column {name!r}: cell of {len(cell):,} characters "
                                    f"(at most {MAX_CELL:,})")
            bad = next((ch for ch in cell if unicodedata.category(ch) == "Cc"), None)
            if bad is not None:
                raise ManifestError(f"{where}, column {name!r}: control character {bad!r} in the cell; "
                                    "remove it (a line break inside a quoted cell counts)")


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ManifestError(f"manifest {path} is {size / 2**20:.0f} MB, more than {MAX_BYTES // 2**20} MB; "
                                "is it the right file?")
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot read manifest {path}: {exc.strerror or exc}") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"manifest {path} is neither UTF-8 nor GB18030 text")


def _check_header(path: Path, fieldnames: list[str] | None) -> None:
    if not fieldnames:
        raise ManifestError(f"manifest {path} is empty; expected a header line {','.join(FIELDS)}")
    names = [n.strip() for n in fieldnames]
    unknown = [n for n in names if n not in FIELDS]
    if unknown or "file" not in names or len(set(names)) != len(names):
        raise ManifestError(
            f"manifest {path}: header {','.join(names)!r} is not valid; expected the column 'file' "
            f"and any of region,department,year,department_id (each once), unknown: {','.join(unknown) or 'none'}"
        )


def _parse_row(where: str, row: dict[str | None, Any]) -> tuple[str, Override]:
    if None in row:
        raise ManifestError(f"{where}: more cells than header columns")
    cells = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
    file = normalise_file(cells.get("file", ""))
    if not file:
        raise ManifestError(f"{where}: 'file' is empty")
    region = unicodedata.normalize("NFC", cells.get("region", "")) or None
    department = unicodedata.normalize("NFC", cells.get("department", "")) or None
    department_id = unicodedata.normalize("NFC", cells.get("department_id", "")) or None
    return file, Override(region, department, _parse_year(where, cells.get("year", "")), department_id)


def _parse_year(where: str, cell: str) -> int | None:
    if not cell:
        return None
    if not cell.isdigit() or int(cell) not in YEAR_RANGE:
        raise ManifestError(f"{where}: year {cell!r} is not a year between 1990 and 2100")
    return int(cell)


def apply_override(
    document: dict[str, Any], override: Override, department_type: Callable[[str, str | None], str | None]
) -> dict[str, Any]:
    """The `documents` row with the manifest's non-empty cells taken instead of the parser's (unchanged when the
    manifest's row has none)."""
    row = dict(document)
    if override == Override():
        return row
    for name in ("region", "department", "year"):
        value = getattr(override, name)
        if value is not None:
            row[name] = value
    if row.get("department"):
        row["department_type"] = department_type(row["department"], row.get("region"))
    if override.department_id is not None:
        row["manifest_department_id"] = override.department_id
    row["metadata_source"] = "manifest"
    return row


def unused_entries(manifest: Manifest, source_files: set[str]) -> list[str]:
    """Manifest lines naming no PDF that was found (worth a warning, not an error)."""
    return sorted(f for f in manifest if f not in source_files)
