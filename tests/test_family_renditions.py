"""The table-set variants published as web pages and as text (catalogue 2026-12-05 §1–§3 in every publication
form): each variant of `table_variants` and `table_sets` written as a saved web page and as its text (no PDF),
read by the ETL and scored 1.00 by the shared scorer and on the families' own truth keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.sample.families import write_family_corpus
from etl.sample.table_sets import VARIANTS as SETS
from etl.sample.table_variants import VARIANTS
from tests.family_truth import extra_misses, run_etl, score_with_shared_scorer


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    for family, n in (("table_variants", len(VARIANTS)), ("table_sets", len(SETS))):
        write_family_corpus(raw, [family], seed=7, per_family=n, formats=("html", "txt"))
    for pdf in raw.rglob("*.pdf"):  # the renditions only, each beside its own truth
        pdf.unlink()
        pdf.with_suffix(".json").unlink()
    run_etl(raw, out)
    return raw, out


def test_every_variant_is_written_as_a_web_page_and_as_text(corpus):
    raw, _ = corpus
    n = len(VARIANTS) + len(SETS)
    assert len(list(raw.rglob("*.web.html"))) == len(list(raw.rglob("*.text.txt"))) == n
    assert not list(raw.rglob("*.pdf"))


@pytest.mark.fidelity
def test_every_variant_as_web_page_and_text_scores_one_with_the_shared_scorer(corpus, shared, tmp_path):
    raw, out = corpus
    ratio, output = score_with_shared_scorer(out, raw, shared, tmp_path)
    assert ratio == 1.0, "\n".join(line for line in output.splitlines() if line.startswith("MISS"))[:4000]


@pytest.mark.fidelity
def test_every_variant_as_web_page_and_text_matches_its_own_truth_keys(corpus):
    """other tables by title (a table inside the narrative is not one of them, as from the PDF), related_costs,
    the report form, the 三公 items' statements."""
    raw, out = corpus
    assert extra_misses(out, raw) == []
