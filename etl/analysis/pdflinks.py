"""Links that open a cited page in its PDF: `<relative path>/<source_file>#page=N`.

documents.source_file is relative to the raw folder juesuan etl read: `$JUESUAN_RAW`, else
`data/raw` (etl's default RAW_DIR) from the working directory. A link is relative from the page
that holds it, so a folder holding reports/, audit/ and data/raw/ can be moved or handed on whole;
it is written only when the PDF is there (every link resolves), otherwise the page cites the
file and page as text. PDF viewers (browsers, Acrobat, JupyterLab's) open `#page=N` at that page.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def pdf_root() -> Path:
    return Path(os.environ.get("JUESUAN_RAW") or "data/raw")


def relative_href(target: Path, page_dir: Path) -> str:
    """A link from a page in page_dir to target, '/'-separated."""
    return Path(os.path.relpath(target.resolve(), page_dir.resolve())).as_posix()


def pdf_href(source_file: str | None, page: int | None, page_dir: Path, root: Path | None = None) -> str | None:
    """`<relative path to the PDF>#page=N` from a page in page_dir, or None when the file is not there."""
    if not source_file or ".." in Path(source_file).parts:
        return None
    target = (root if root is not None else pdf_root()) / source_file
    if not target.is_file():
        return None
    href = quote(relative_href(target, page_dir), safe="/")
    return f"{href}#page={int(page)}" if page else href
