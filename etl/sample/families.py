"""`write_family_corpus`: documents of the report families beyond the default district corpus.

Each family name maps to a generator of `per_family` documents (PDF + truth JSON of the same stem;
a multi-report volume has one `<stem>.part<n>.json` per report). The default corpus
(`corpus.write_corpus`) is untouched: families come only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from etl.sample.corpus import write_forms
from etl.sample.document import Generated
from etl.sample.truth import dumps

FAMILIES = (
    "district_legacy",
    "central",
    "university",
    "sangong_narrative",
    "budget",
    "budget_tables_only",
    "split_files",
    "volume",
    "blank_template",
    "layouts",
    "table_variants",
    "report_forms",
    "table_sets",
    "bodies",
    "artefacts",
    "sangong_pages",
    "wording_variants",
)


def _university(seed: int, n: int) -> Iterator[Generated]:
    from etl.sample.university import generate_university

    for k in range(n):
        yield generate_university(seed, k, 2024 - k // 4, other=k % 2 == 1)


def _report_forms(seed: int, n: int) -> Iterator[Generated]:
    from etl.sample.report_forms import report_forms

    return report_forms(seed, n)


def _table_sets(seed: int, n: int) -> Iterator[Generated]:
    from etl.sample.table_sets import table_sets

    return table_sets(seed, n)


def _bodies(seed: int, n: int) -> Iterator[Generated]:
    from etl.sample.bodies import generate_body

    for k in range(n):
        yield generate_body(seed, k)


def _generators() -> dict[str, Callable[[int, int], Iterator]]:
    from etl.sample import family_docs as col

    return {
        "university": _university,
        "district_legacy": col.district_legacy,
        "sangong_narrative": col.sangong_narrative,
        "layouts": col.layouts,
        "table_variants": col.table_variants,
        "central": col.central,
        "budget": col.budget,
        "budget_tables_only": col.budget_tables_only,
        "split_files": col.split_files,
        "volume": col.volume,
        "blank_template": col.blank_template,
        "report_forms": _report_forms,
        "table_sets": _table_sets,
        "bodies": _bodies,
        "artefacts": col.artefacts,
        "sangong_pages": col.sangong_pages,
        "wording_variants": col.wording_variants,
    }


def write_family_corpus(out: Path, families: list[str], seed: int = 0, per_family: int = 2,
                        formats: tuple[str, ...] = ("pdf",)) -> list[Path]:
    """Write `per_family` documents of each family under out/<family>/; returns the PDF paths. `formats` beyond
    pdf: each report that records what it prints (Generated.content) also as its web page and/or text file, each
    beside its own truth (etl.sample.corpus.write_forms); the others as PDF only."""
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        raise ValueError(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
    gens = _generators()
    paths = []
    for fam in families:
        folder = out / fam
        folder.mkdir(parents=True, exist_ok=True)
        for g in gens[fam](seed, per_family):
            if folder / g.file_name in paths:  # never overwrite a document of this corpus
                raise RuntimeError(f"{fam}: two documents named {g.file_name}")
            paths.append(_write(folder, g))
            renditions = tuple(f for f in formats if f != "pdf")
            if renditions and g.file_name.endswith(".pdf") and g.content is not None and not isinstance(g.truth, list):
                write_forms(folder, g, renditions)
    return paths


def _write(folder: Path, g: Generated) -> Path:
    """The PDF and its truth: `<stem>.json`, or for a volume (truth is a list) `<stem>.part<n>.json`."""
    pdf = folder / g.file_name
    pdf.write_bytes(g.pdf)
    if isinstance(g.truth, list):
        for n, rec in enumerate(g.truth, 1):
            pdf.with_name(f"{pdf.stem}.part{n}.json").write_text(dumps(rec), encoding="utf-8")
    else:
        pdf.with_suffix(".json").write_text(dumps(g.truth), encoding="utf-8")
    return pdf
