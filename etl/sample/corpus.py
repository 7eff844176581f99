"""Which documents a corpus holds, and writing them (PDF + truth JSON side by side)."""

from __future__ import annotations

from pathlib import Path

from etl.sample import catalog as cat
from etl.sample.layout import choose_layout
from etl.sample.truth import dumps


def plan(regions: int, departments: int, years: list[int]):
    for city, district, street in cat.REGIONS[:regions]:
        for dept in cat.DEPT_TYPES[:departments]:
            for year in years:
                yield city, district, street, dept, year


def write_corpus(
    out: Path,
    regions: int,
    departments: int,
    years: list[int],
    seed: int,
    seed_report: bool = True,
    force: dict | None = None,
    audit_errors: float = 0.0,
) -> int:
    """Write the corpus; `audit_errors` is the fraction of documents that get one audit error
    (audit_errors.assign: the kinds in turn). A document with one carries no other inconsistency."""
    from etl.sample.audit_errors import assign
    from etl.sample.document import generate

    docs = list(plan(regions, departments, years))
    errors = assign(seed, [(city + district, year, dept.key) for city, district, _, dept, year in docs], audit_errors)
    n = 0
    for city, district, street, dept, year in docs:
        lay = choose_layout(seed, city, city + district, year, dept.key, force)
        error = errors.get((city + district, year, dept.key))
        if error:
            lay.inconsistency = None
        g = generate(seed, city, district, street, dept, year, lay, audit_error=error)
        _write(out / (city + district), g.file_name, g.pdf, g.truth)
        n += 1
    if seed_report:
        from etl.sample.seed_report import generate_seed

        g = generate_seed()
        _write(out / "广州市天河区", g.file_name, g.pdf, g.truth)
        n += 1
    return n


def _write(folder: Path, name: str, pdf: bytes, truth: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(pdf)
    (folder / name).with_suffix(".json").write_text(dumps(truth), encoding="utf-8")
