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
) -> int:
    from etl.sample.document import generate

    n = 0
    for city, district, street, dept, year in plan(regions, departments, years):
        lay = choose_layout(seed, city, city + district, year, dept.key, force)
        g = generate(seed, city, district, street, dept, year, lay)
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
