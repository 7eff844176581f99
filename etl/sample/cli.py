"""`juesuan sample`: write the sample corpus (PDF + truth JSON per department-year)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from etl.sample import catalog as cat


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="folder to write into (default data/raw)")
    parser.add_argument(
        "--regions", type=int, default=4, help=f"districts, interleaved across cities (max {len(cat.REGIONS)})"
    )
    parser.add_argument(
        "--departments", type=int, default=10, help=f"department types per district (max {len(cat.DEPT_TYPES)})"
    )
    parser.add_argument("--years", default="2019-2022", help="fiscal years, Y1-Y2 (default 2019-2022)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed: same seed, byte-identical corpus")
    parser.add_argument("--no-seed-report", action="store_true", help="leave out the re-rendered 2017 seed report")
    parser.add_argument(
        "--audit-errors",
        type=_rate,
        default=0.0,
        metavar="RATE",
        help="fraction of documents (0-1) that get one injected audit error, the kinds in turn, recorded in "
        "the truth's injected_errors (default 0: the standard corpus)",
    )
    parser.add_argument(
        "--families",
        type=_families,
        default=None,
        metavar="A,B,...",
        help="write documents of these report families (into OUT/<family>/) instead of the default corpus: "
        "district_legacy, central, university, sangong_narrative, budget, budget_tables_only, split_files, "
        "volume, blank_template, layouts, table_variants, report_forms, table_sets, bodies, artefacts, "
        "sangong_pages, wording_variants",
    )
    parser.add_argument("--per-family", type=int, default=2, help="documents per family with --families (default 2)")
    parser.add_argument(
        "--formats",
        type=_formats,
        default=("pdf",),
        metavar="F,...",
        help="forms to write each report in: pdf, html (a saved web page, GBK for some), txt (its text); each beside "
        "its own truth JSON (default pdf; of the --families, university, budget, budget_tables_only, split_files, "
        "volume and blank_template are written as PDF only)",
    )


def _rate(text: str) -> float:
    rate = float(text)
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError(f"--audit-errors must be between 0 and 1, not {text}")
    return rate


def _formats(text: str) -> tuple[str, ...]:
    from etl.sample.corpus import FORMATS

    names = tuple(t.strip().lower() for t in text.split(",") if t.strip())
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"unknown formats {bad}; known: {', '.join(FORMATS)}")
    return names


def _families(text: str) -> list[str]:
    from etl.sample.families import FAMILIES

    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in FAMILIES]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"unknown families {bad}; known: {', '.join(FAMILIES)}")
    return names


def parse_years(text: str) -> list[int]:
    a, _, b = text.partition("-")
    y1, y2 = int(a), int(b or a)
    if y2 < y1:
        raise ValueError(f"bad year range {text!r}")
    return list(range(y1, y2 + 1))


def run(args: argparse.Namespace) -> int:
    from etl.sample.corpus import write_corpus

    t0 = time.perf_counter()
    if getattr(args, "families", None):
        from etl.sample.families import write_family_corpus

        paths = write_family_corpus(args.out, args.families, seed=args.seed, per_family=args.per_family,
                                    formats=getattr(args, "formats", ("pdf",)))
        dt = time.perf_counter() - t0
        others = {ext: sum(1 for _ in args.out.rglob(f"*{ext}")) for ext in (".web.html", ".text.txt")}
        print(f"wrote {len(paths)} PDFs, {others['.web.html']} web pages and {others['.text.txt']} text files of "
              f"{len(args.families)} families to {args.out} in {dt:.1f} s")
        return 0
    n = write_corpus(
        args.out,
        regions=args.regions,
        departments=args.departments,
        years=parse_years(args.years),
        seed=args.seed,
        seed_report=not args.no_seed_report,
        audit_errors=args.audit_errors,
        formats=getattr(args, "formats", ("pdf",)),
    )
    dt = time.perf_counter() - t0
    print(f"wrote {n} documents to {args.out} in {dt:.1f} s ({n / dt:.1f} documents/s)")
    return 0
