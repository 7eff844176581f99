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
    formats: tuple[str, ...] = ("pdf",),
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
        write_forms(out / (city + district), g, formats)
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


#: the forms a generated report can be written in (juesuan sample --formats)
FORMATS = ("pdf", "html", "txt")


def write_forms(folder: Path, g, formats: tuple[str, ...]) -> None:
    """The report in each of `formats`, each beside its own truth JSON: the PDF as `<title>.pdf`, its web page
    as `<title>.web.html` (GBK-encoded for about half, chosen by the name) and its text as `<title>.text.txt`."""
    from etl.sample.webpage import text_file, web_page, web_truth

    if "pdf" in formats:
        _write(folder, g.file_name, g.pdf, g.truth)
    stem = Path(g.file_name).stem
    if "html" in formats and g.content is not None:
        encoding = "gbk" if sum(stem.encode("utf-8")) % 2 else "utf-8"
        data = web_page(g.content, stem, encoding)
        _write(folder, f"{stem}.web.html", data, web_truth(g.truth, f"{stem}.web.html", data))
    if "txt" in formats and g.content is not None:
        data = text_file(g.content)
        _write(folder, f"{stem}.text.txt", data, web_truth(g.truth, f"{stem}.text.txt", data))
