"""benchmarks/etl_throughput.py's arithmetic and its CPU accounting (benchmarks/tree_cpu.py): cheap, no ETL run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import etl_throughput  # noqa: E402 - benchmarks/ is no package: on sys.path just above
import page_loaders  # noqa: E402

#: A command like a batch run: it starts a process that forks the real worker and exits without waiting for it
#: (the forkserver), so the worker's CPU is no child's of the command.
ORPHANED_WORKER = textwrap.dedent("""
    import os, time
    if os.fork() == 0:
        if os.fork() == 0:
            start = time.process_time()
            while time.process_time() - start < 0.4:
                pass
            os._exit(0)
        os._exit(0)
    os.wait()
""")

#: Run in a process of its own: becoming a subreaper would change pytest's own process for the tests after this.
MEASURE = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    import tree_cpu
    subreaper = tree_cpu.become_subreaper()
    done = tree_cpu.run_measured([sys.executable, "-c", sys.argv[2]])
    print(subreaper, done.cpu, done.complete)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="child subreapers are Linux's (prctl)")
def test_cpu_of_workers_orphaned_by_their_forkserver_is_counted():
    done = subprocess.run([sys.executable, "-c", MEASURE, str(BENCHMARKS), ORPHANED_WORKER],
                          capture_output=True, text=True, check=True)
    subreaper, cpu, complete = done.stdout.split()
    assert subreaper == "True" and complete == "True"
    assert float(cpu) >= 0.35  # the grandchild's 0.4 s of CPU: without the subreaper it would be lost (~0.02 s)


def test_fixed_cost_does_not_swallow_the_one_documents_own_work():
    fixed, per_doc = etl_throughput.fixed_and_per_doc(cpu_n=3.0 + 15 * 0.1, cpu_1=3.0 + 0.1, n=15)
    assert fixed == pytest.approx(3.0)
    assert per_doc == pytest.approx(0.1)


@pytest.mark.parametrize("docs", [2, 20, 72, 73, 500, 504, 505])
def test_set_b_is_at_least_the_documents_asked_for_from_the_standard_corpus(docs):
    args = etl_throughput.b_sample_args(docs)
    regions, departments = int(args[args.index("--regions") + 1]), int(args[args.index("--departments") + 1])
    first, last = map(int, args[args.index("--years") + 1].split("-"))
    made = regions * departments * (last - first + 1)
    assert docs <= made < docs + regions * (last - first + 1)  # no more than one department type too many
    assert departments <= etl_throughput.MAX_DEPARTMENTS and regions <= 6


def _page(top: float, text: str = "收入支出决算总表", hrules: list | None = None):
    from etl.pagesource.page import Page, Word

    return Page(1, 595.0, 842.0, [Word(text, 72.0, 200.0, top, top + 12.0)], hrules=hrules or [])


def test_page_sources_differing_by_rounding_noise_are_not_reported():
    assert page_loaders.first_difference(_page(100.0), _page(100.004)) is None


def test_a_word_box_moved_by_a_descent_difference_is_reported():
    assert page_loaders.first_difference(_page(100.0), _page(100.4)).startswith("word 0:")


def test_a_missing_rule_is_reported():
    assert page_loaders.first_difference(_page(100.0, hrules=[(300.0, 72.0, 500.0)]), _page(100.0)) == \
        "1 vs 0 hrules"
