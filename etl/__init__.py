"""juesuan: 部门决算公开 PDFs to analysis-ready Parquet."""

from __future__ import annotations

#: `__version__` (the installed package's) and `PARSER_VERSION`, version of what the parser writes: the batch
#: re-parses every cached document whose `documents.parser_version` differs; it appends a fingerprint of the
#: parser's source files (see etl.batch.fragments.parser_version), so an edited parser never serves stale cached
#: rows. Both are read when first asked (module __getattr__): importing importlib.metadata and finding the
#: package's metadata costs about 0.1 s of CPU, which the forkserver and the workers, importing etl, never need.
_VERSION_NAMES = ("__version__", "PARSER_VERSION")


def __getattr__(name: str) -> str:
    if name not in _VERSION_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("juesuan")
    except PackageNotFoundError:  # running from a source tree without install
        value = "0.0.0+src"
    globals().update(dict.fromkeys(_VERSION_NAMES, value))
    return value
