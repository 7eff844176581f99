"""`juesuan` command line: one sub-command per capability, each living in its own module.

A module named here provides `add_arguments(parser)` and `run(args) -> int`; it is imported only
when its sub-command runs, so `juesuan etl` never pays for notebook, DuckDB or PDF-writing imports.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: sub-command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "etl": ("etl.batch.cli", "parse a folder of 部门决算 PDFs into Parquet"),
    "run": ("etl.run", "ETL then reports, for schedulers: lock, JSON-lines log, runs.parquet, exit codes"),
    "sample": ("etl.sample.cli", "write a realistic sample corpus of PDFs with ground truth"),
    "report": ("etl.reports.notebooks", "execute the notebooks and export offline HTML reports"),
    "sql": ("etl.analysis.cli", "query the Parquet output with DuckDB (views included)"),
    "export": ("etl.analysis.export", "write department_years and the long tables as CSV, xlsx, Stata .dta and "
               "Parquet, with a codebook"),
    "audit": ("etl.reports.audit", "write a review page (审核报告) per document and a corpus summary, offline HTML"),
    "dictionary": ("etl.dictionary", "write docs/data-dictionary.md from the declared schema"),
}

#: sub-commands whose process never needs pandas: pyarrow is told so before its first conversion
#: (etl.batch.writer.arrow_without_pandas), instead of importing it (about 2 s of CPU)
WITHOUT_PANDAS = {"etl"}

EXIT_USAGE = 2


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every sub-command; given `only`, the arguments of that one alone are declared (its module imported),
    the others listed by name and help."""
    parser = argparse.ArgumentParser(prog="juesuan", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"juesuan {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        if only is not None and name != only:
            continue
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a capability not installed in this build
            if exc.name and exc.name.startswith("etl"):
                continue
            raise
        mod.add_arguments(p)
        p.set_defaults(_module=mod)
    return parser


def _version() -> str:
    from etl import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = _command(argv)
    parser = build_parser(only=command)
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if command in WITHOUT_PANDAS:
        from etl.batch.writer import arrow_without_pandas

        arrow_without_pandas()
    return int(args._module.run(args) or 0)


def _command(argv: list[str]) -> str | None:
    """The sub-command argv names (its first word that is not an option), if it is one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


if __name__ == "__main__":
    sys.exit(main())
