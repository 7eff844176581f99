"""Page loading alone, in this process: pdfplumber's char floor, `text_layer.load_pages` (the reference page
source) and `pdfium_layer.load_pages` (with the compiled helper of `pdfium_native` and the array word builder
`char_words`, and again with their fallbacks: Python loops, pdfplumber's extract_words), on the same PDFs,
interleaved (`etl_throughput.py --loaders`).

    uv run python benchmarks/page_loaders.py PDF ... [--rounds R]

For each PDF and round the four loaders run one after another, in a turning order; each PDF's best CPU time
(time.process_time) over the rounds is kept, and the sums are printed as ms per document. The two page
sources' pages are compared too (words' text and boxes within 0.01 pt, rules, char and image counts): a page that
differs is counted and its PDF listed (file, pages, the first difference), because the parser sees only these pages.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

Loader = Callable[[Path], object]


def char_floor(path: Path) -> int:
    """pdfplumber loading every page's characters: the floor of any pdfplumber-based parser."""
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            n += len(page.chars)
            page.close()
    return n


def python_glyphs(path: Path) -> object:
    """`pdfium_layer.load_pages` with the compiled helper switched off: its pure-Python fallbacks (glyphs, drawings,
    dedupe_overlaid)."""
    from etl.pagesource import pdfium_layer
    from etl.pagesource.pdfium_native import NATIVE_ENV

    before = os.environ.get(NATIVE_ENV)
    os.environ[NATIVE_ENV] = "0"
    try:
        return pdfium_layer.load_pages(path)
    finally:
        if before is None:
            del os.environ[NATIVE_ENV]
        else:
            os.environ[NATIVE_ENV] = before


def loaders() -> dict[str, Loader]:
    from etl.pagesource import pdfium_layer, text_layer
    from etl.pagesource.pdfium_native import helper

    helper()  # the helper built (or loaded) before anything is timed
    return {"pdfplumber page.chars (floor)": char_floor, "text_layer.load_pages": text_layer.load_pages,
            "pdfium_layer.load_pages": pdfium_layer.load_pages, "pdfium_layer, Python glyphs": python_glyphs}


def cpu_of(load: Loader, path: Path) -> tuple[float, object]:
    start = time.process_time()
    result = load(path)
    return time.process_time() - start, result


#: Coordinates closer than this (pt) count as the same: pdfminer and the PDFium rebuild differ in the last bits.
TOLERANCE = 0.01


def near(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True))


def first_difference(a, b) -> str | None:  # noqa: ANN001 - two Pages
    """What first differs between two pages (None: nothing beyond TOLERANCE)."""
    for name in ("number", "char_count", "image_count"):
        if getattr(a, name) != getattr(b, name):
            return f"{name}: {getattr(a, name)} vs {getattr(b, name)}"
    if not near((a.width, a.height), (b.width, b.height)):
        return f"size: {a.width}×{a.height} vs {b.width}×{b.height}"
    if len(a.words) != len(b.words):
        return f"{len(a.words)} vs {len(b.words)} words"
    for i, (u, v) in enumerate(zip(a.words, b.words, strict=True)):
        if u.text != v.text or not near((u.x0, u.x1, u.top, u.bottom), (v.x0, v.x1, v.top, v.bottom)):
            return f"word {i}: {u} vs {v}"
    for name in ("hrules", "vrules"):
        ra, rb = getattr(a, name), getattr(b, name)
        if len(ra) != len(rb):
            return f"{len(ra)} vs {len(rb)} {name}"
        for i, (u, v) in enumerate(zip(ra, rb, strict=True)):
            if not near(u, v):
                return f"{name} {i}: {u} vs {v}"
    return None


def differences(path: Path, reference: list, other: list) -> str | None:
    """One line for a PDF whose two page lists differ: how many pages, and the first page's difference."""
    if len(reference) != len(other):
        return f"{path.name}: {len(reference)} pages vs {len(other)}"
    found = [(a.number, what) for a, b in zip(reference, other, strict=True) if (what := first_difference(a, b))]
    if not found:
        return None
    return f"{path.name}: {len(found)} of {len(reference)} pages differ; first p{found[0][0]}: {found[0][1]}"


def measure(pdfs: list[Path], rounds: int) -> tuple[dict[str, float], list[str], int]:
    """Best CPU seconds per loader summed over the PDFs, the PDFs whose pages differ, the number of pages."""
    table = loaders()
    best = {name: 0.0 for name in table}
    found: list[str] = []
    pages = 0
    for i, pdf in enumerate(pdfs):
        times: dict[str, list[float]] = {name: [] for name in table}
        results: dict[str, object] = {}
        for r in range(rounds):
            names = list(table)
            names = names[(i + r) % len(names):] + names[:(i + r) % len(names)]
            for name in names:
                seconds, results[name] = cpu_of(table[name], pdf)
                times[name].append(seconds)
        for name in table:
            best[name] += min(times[name])
        reference, other = results["text_layer.load_pages"], results["pdfium_layer.load_pages"]
        pages += len(reference)
        if what := differences(pdf, reference, other):
            found.append(what)
    return best, found, pages


def report(pdfs: list[Path], rounds: int) -> None:
    best, found, pages = measure(pdfs, rounds)
    n = len(pdfs)
    floor = best["pdfplumber page.chars (floor)"]
    print(f"page loading alone, in one process: {n} PDFs, {pages} pages, CPU (process_time), best of {rounds} "
          "rounds per PDF, loaders interleaved")
    print(f"{'':<34}{'ms/doc':>9}{'ms/page':>9}{'× floor':>9}")
    for name, seconds in best.items():
        print(f"{name:<34}{1000 * seconds / n:>9.1f}{1000 * seconds / max(pages, 1):>9.2f}{seconds / floor:>9.3f}")
    print(f"PDFs whose pages differ between text_layer and pdfium_layer (beyond {TOLERANCE} pt): {len(found)} of {n}")
    for line in found:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    report(args.pdfs, args.rounds)


if __name__ == "__main__":
    main()
