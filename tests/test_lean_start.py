"""Start-up and parser leanness that must not silently regress: `juesuan etl` never imports pandas (2 s of CPU a
process, in the run and in every worker), only the sub-command run is imported, and a text line's cached text
cannot go stale."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.pagesource.page import Line, Word, group_lines
from tests.pdf_fixtures import cover, write_pdf


@pytest.fixture(scope="module")
def one_report_run(tmp_path_factory) -> tuple[Path, str]:
    """`juesuan etl` on one small PDF, every process of it (run, forkserver, worker) reporting its imports."""
    tmp = tmp_path_factory.mktemp("lean")
    raw = tmp / "raw"
    raw.mkdir()
    write_pdf(raw / "cover.pdf", [cover("某某区财政局", 2023)])
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(tmp / "out"), "--jobs", "1"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return tmp / "out", proc.stderr


def test_etl_run_and_its_workers_never_import_pandas(one_report_run) -> None:
    out, imports = one_report_run
    [doc] = pq.read_table(out / "documents.parquet").to_pylist()
    assert (doc["doc_kind"], doc["pages"]) == ("final_accounts", 1)  # really parsed, in a worker
    assert _imported("etl.parsing.parse", imports)  # the worker's imports are in the log too
    assert not _imported("pandas.core", imports)


def test_etl_run_does_not_import_other_sub_commands(one_report_run) -> None:
    _, imports = one_report_run
    assert _imported("etl.batch.guarded", imports)  # etl.batch.cli's (import_module's own line is not logged)
    assert not _imported("duckdb", imports)
    assert not re.search(r"\|\s+etl\.(analysis|reports|sample)\.", imports)


def _imported(module: str, importtime_log: str) -> bool:
    """Whether -X importtime's log (`import time: self | cumulative |   name`) shows the module imported."""
    return re.search(rf"\|\s+{re.escape(module)}$", importtime_log, re.MULTILINE) is not None


def test_pandas_still_importable_after_pyarrow_was_told_it_is_not_needed() -> None:
    code = ("from etl.batch.writer import arrow_without_pandas, to_arrow; arrow_without_pandas();"
            "import sys; t = to_arrow('documents', [{'doc_id': 'a', 'source_file': '', 'sha256': '', 'status': 'ok'}]);"
            "assert 'pandas' not in sys.modules; import pandas;"
            "assert t.to_pandas()['doc_id'].tolist() == ['a']")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_a_line_s_words_cannot_change_under_its_cached_text() -> None:
    line = group_lines([Word("因", 10, 20, 0, 10), Word("公", 21, 31, 0, 10)])[0]
    assert line.text == "因公" and line.key == "因公"
    assert isinstance(line.words, tuple)  # no append, sort or extend can reach it
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.words = (Word("X", 0, 1, 0, 1),)  # type: ignore[misc]
    assert (line.top, line.bottom, line.x0) == (0, 10, 10)


def test_lines_grouped_from_a_list_keep_their_order_by_position() -> None:
    words = [Word("b", 30, 40, 0.2, 10), Word("下", 10, 20, 20, 30), Word("a", 10, 20, 0, 10)]
    assert [ln.text for ln in group_lines(words)] == ["a b", "下"]
    assert Line([words[0]]).words == (words[0],)


def _reference_group_lines(words: list[Word]) -> list[tuple[tuple[Word, ...], float, float, float]]:
    """The grouping rule written plainly (as group_lines was before it was inlined): each word, top to bottom,
    joins the newest line whose band it overlaps by ≥ 40 % of the smaller height, searching back while lines
    are within 30 pt above; a line is its words by x0 and its extent recomputed from them."""
    groups: list[list[Word]] = []
    bands: list[list[float]] = []

    def joins(w: Word) -> int | None:
        for i in range(len(bands) - 1, -1, -1):
            band = bands[i]
            if band[1] < w.top - 30:
                return None
            if min(band[1], w.bottom) - max(band[0], w.top) >= 0.4 * min(band[1] - band[0], w.bottom - w.top):
                return i
        return None

    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        i = joins(w)
        if i is None:
            groups.append([w])
            bands.append([w.top, w.bottom])
        else:
            groups[i].append(w)
            bands[i][:] = [min(bands[i][0], w.top), max(bands[i][1], w.bottom)]
    lines = [sorted(g, key=lambda w: w.x0) for g in groups]
    lines.sort(key=lambda g: (min(w.top for w in g) + max(w.bottom for w in g)) / 2)
    return [(tuple(g), min(w.top for w in g), max(w.bottom for w in g), min(w.x0 for w in g)) for g in lines]


@pytest.mark.parametrize("seed", range(40))
def test_group_lines_groups_as_the_plain_rule_does(seed: int) -> None:
    """The inlined grouping and the lines it makes without rescanning their words equal the plain rule's, on
    random pages: crowded lines, words off the baseline, tall and zero-height words, equal coordinates."""
    import random

    rng = random.Random(seed)
    words = []
    for n in range(rng.randint(1, 120)):
        top = rng.choice([rng.uniform(0, 800), round(rng.uniform(0, 40)) * 20.0])  # many on shared baselines
        height = rng.choice([0.0, 8.0, 10.0, rng.uniform(1, 40)])
        x0 = rng.choice([rng.uniform(0, 500), 100.0])
        words.append(Word(f"w{n}", x0, x0 + rng.uniform(0, 60), top + rng.uniform(-3, 3), top + height))
    got = [(ln.words, ln.top, ln.bottom, ln.x0) for ln in group_lines(words)]
    assert got == _reference_group_lines(words)
    assert all(ln == Line(list(ln.words)) for ln in group_lines(words))  # as if made from its words


def test_the_version_is_read_when_asked_not_on_import() -> None:
    """`import etl` (the forkserver's and every worker's) does not look up the package metadata; asking for the
    version does, and both names give the installed package's version."""
    code = ("import sys, etl; assert 'importlib.metadata' not in sys.modules, 'looked up on import';"
            "from importlib.metadata import version;"
            "assert etl.__version__ == etl.PARSER_VERSION == version('juesuan');"
            "from etl import __version__; assert __version__ == version('juesuan');"
            "assert not hasattr(etl, 'no_such_name')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_a_new_worker_imports_nothing_the_forkserver_did_not_preload(tmp_path: Path) -> None:
    """Workers are replaced every MAX_TASKS_PER_WORKER documents, each forked from the forkserver that imported
    PRELOAD: a module the parser imports on its first PDF (numpy.ma through np.unique, the text-quality check)
    would be imported again by every new worker (~40 ms each). Codecs aside (microseconds)."""
    from etl.sample.corpus import write_corpus

    write_corpus(tmp_path, regions=1, departments=1, years=[2022], seed=2024, seed_report=False)
    [pdf] = sorted(tmp_path.rglob("*.pdf"))
    script = (
        "import importlib, sys\n"
        "from etl.batch.pool import PRELOAD\n"
        "for module in PRELOAD: importlib.import_module(module)\n"
        "before = set(sys.modules)\n"
        "from etl.batch.worker import parse_pdf\n"
        f"parsed = parse_pdf({str(pdf)!r}, 'd')\n"
        "assert len(parsed.rows['function_expenditure']) > 10, parsed.rows\n"
        "print(sorted(m for m in set(sys.modules) - before if not m.startswith('encodings.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
