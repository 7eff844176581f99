"""`juesuan` command line: one sub-command per capability, each living in its own module.

A module named here provides `add_arguments(parser)` and `run(args) -> int`; it is imported only
when its sub-command runs, so `juesuan etl` never pays for notebook, DuckDB or PDF-writing imports.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import re
import sys
from typing import NoReturn

#: sub-command -> (module, one-line help), in the order a researcher uses them
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("etl.demo", "the demo without make: the sample corpus (if RAW_DIR holds no report), etl, report"),
    "etl": ("etl.batch.cli", "parse a folder of 部门决算 PDFs (or one PDF) into Parquet"),
    "audit": ("etl.reports.audit", "write a review page (审核报告) per document and a corpus summary, offline HTML"),
    "report": ("etl.reports.notebooks", "execute the notebooks and export offline HTML reports"),
    "export": ("etl.analysis.export", "write department_years and the long tables as CSV, xlsx, Stata .dta and "
               "Parquet, with a codebook"),
    "sql": ("etl.analysis.cli", "query the Parquet output with DuckDB (views included)"),
    "sample": ("etl.sample.cli", "write a realistic sample corpus of PDFs with ground truth"),
    "run": ("etl.run", "ETL then reports, for schedulers: lock, JSON-lines log, runs.parquet, exit codes"),
    "dictionary": ("etl.dictionary", "write docs/data-dictionary.md from the declared schema"),
}

DESCRIPTION = ("Turn 部门决算 disclosures (PDFs, saved web pages, text files) into Parquet, then audit, report on "
               "and export them.")
EPILOG = "Usual order: etl, then audit, report, export. Options of a command: juesuan COMMAND --help."

#: sub-commands whose process never needs pandas: pyarrow is told so before its first conversion
#: (etl.batch.writer.arrow_without_pandas), instead of importing it (about 2 s of CPU)
WITHOUT_PANDAS = {"etl"}

EXIT_USAGE = 2

#: argparse's message for a value outside `choices` (3.11: quoted choices; 3.12.8+: unquoted)
_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<value>[^']*)' \(choose from (?P<choices>.*)\)$")


class SuggestingParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors suggest what was probably meant ("did you mean --jobs?"): argparse only
    does so from Python 3.14 (suggest_on_error). Sub-commands are made of this class too, so a sub-command's
    mistake prints that sub-command's usage."""

    def error(self, message: str) -> NoReturn:
        match = _INVALID_CHOICE.search(message)
        if match:
            choices = [c.strip().strip("'") for c in match["choices"].split(",")]
            message += _did_you_mean(match["value"], choices)
        super().error(message)

    def unknown(self, extras: list[str]) -> NoReturn:
        """Stop on arguments this (sub-)command does not take, suggesting its nearest options."""
        options = self.long_options()
        hints = [(a, close[0]) for a in extras if a.startswith("-") and (close := _nearest_options(a, options))]
        message = f"unrecognized arguments: {' '.join(extras)}"
        if len(hints) == 1:
            message += f"; did you mean {hints[0][1]}?"
        elif hints:
            message += "; did you mean " + ", ".join(f"{near} (for {typed})" for typed, near in hints) + "?"
        self.error(message)

    def long_options(self) -> list[str]:
        return [o for action in self._actions for o in action.option_strings if o.startswith("--")]


def _nearest_options(typed: str, options: list[str]) -> list[str]:
    """The option nearest to `typed` (compared without their dashes, which would make every pair look alike)."""
    by_name = {o.lstrip("-"): o for o in options}
    close = difflib.get_close_matches(typed.split("=")[0].lstrip("-"), list(by_name), n=1, cutoff=0.6)
    return [by_name[c] for c in close]


def _did_you_mean(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every sub-command; given `only`, the arguments of that one alone are declared (its module imported),
    the others listed by name and help."""
    parser = SuggestingParser(prog="juesuan", description=DESCRIPTION, epilog=EPILOG)
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
        p.set_defaults(_module=mod, _parser=p)
    return parser


def _version() -> str:
    from etl import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = _command(argv)
    parser = build_parser(only=command or "")  # no command (help, a typo): no sub-command's module imported
    args, extras = parser.parse_known_args(argv)
    if extras:  # the sub-command's usage and nearest options, not the top-level usage
        getattr(args, "_parser", parser).unknown(extras)
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
