"""Which page source reads a file: by its bytes where they say PDF, else by its name's extension.

    source_format(path) -> "pdf" | "html" | "text"        (documents.source_format)
"""

from __future__ import annotations

from pathlib import Path

#: name endings read as inputs (any case), and the format each means
EXTENSIONS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".txt": "text"}


def format_of_name(name: str) -> str | None:
    """The format a file name's extension means, None when it is not an input (e.g. a truth .json)."""
    return EXTENSIONS.get(Path(name).suffix.lower())


def source_format(path: str | Path) -> str:
    """pdf for a `.pdf` file or any file whose first KB holds a PDF header (a PDF saved under another name),
    else what its extension says; pdf when the extension says nothing."""
    kind = format_of_name(str(path)) or "pdf"
    if kind == "pdf":
        return kind
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return kind  # the reader raises the clear error
    return "pdf" if head.lstrip().startswith(b"%PDF-") else kind
