"""juesuan: 部门决算公开 PDFs to analysis-ready Parquet."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("juesuan")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+src"
