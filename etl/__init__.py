"""juesuan: 部门决算公开 PDFs to analysis-ready Parquet."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("juesuan")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+src"

#: Version of what the parser writes. The batch re-parses every cached document whose
#: `documents.parser_version` differs; it appends a fingerprint of the parser's source files
#: (see etl.batch.fragments.parser_version), so an edited parser never serves stale cached rows.
PARSER_VERSION = __version__
