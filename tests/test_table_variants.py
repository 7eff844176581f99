"""Every table-set and title variant of real reports (catalogue 2026-12-05 §1–§3, §10) generated with exact
truth, read by the ETL and scored 1.00 by the shared scorer and on the families' own keys (other tables by
title, related_costs). One document per variant, seeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.sample.families import write_family_corpus
from etl.sample.table_variants import VARIANTS
from tests.family_truth import by_truth_key, extra_misses, read, run_etl, score_with_shared_scorer


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    write_family_corpus(raw, ["table_variants"], seed=7, per_family=len(VARIANTS))
    run_etl(raw, out)
    return raw, out


def _by_variant(raw: Path, out: Path) -> dict[str, tuple[dict, dict]]:
    """variant name -> (truth, documents row), documents generated in VARIANTS order."""
    return by_truth_key(raw, out, "table_variant", {v.name for v in VARIANTS})


@pytest.mark.fidelity
def test_every_table_variant_scores_one_with_the_shared_scorer(corpus, shared, tmp_path):
    raw, out = corpus
    ratio, output = score_with_shared_scorer(out, raw, shared, tmp_path)
    assert ratio == 1.0, "\n".join(line for line in output.splitlines() if line.startswith("MISS"))[:4000]


@pytest.mark.fidelity
def test_every_table_variant_matches_its_own_truth_keys(corpus):
    """other tables by title and related_costs (item, fund, budget, actual) exactly as generated."""
    raw, out = corpus
    assert extra_misses(out, raw) == []


def test_sangong_extras_never_in_sangong_and_related_costs_written(corpus):
    raw, out = corpus
    related = read(out, "related_costs")
    found = read(out, "tables_found")
    by = _by_variant(raw, out)
    for name, (truth, doc) in by.items():
        mine = [r for r in related if r["doc_id"] == doc["doc_id"]]
        assert len(mine) == len(truth["related_costs"]), name
        keys = [t["table_key"] for t in found if t["doc_id"] == doc["doc_id"]]
        assert keys.count("sangong") == (0 if name == "eight_no_sangong" else 1), (name, keys)
    items = {name: {(r["item"], r["fund"]) for r in t["related_costs"]} for name, (t, _) in by.items()}
    assert items["biao_cn"] == {("meeting", None), ("training", None)}
    assert items["biao_num"] == {("admin_operation", "gpb")}
    assert ("total", "gov_fund") in items["paren"] and ("total", "gov_fund") in items["sichuan"]
    assert ("admin_operation", "all") in items["yunnan"] and ("total", "all") in items["yunnan"]


def test_table_sets_of_11_and_14_and_tables_after_the_glossary(corpus):
    raw, out = corpus
    found = read(out, "tables_found")
    pages = {}
    by = _by_variant(raw, out)
    for name, (_, doc) in by.items():
        mine = sorted((t for t in found if t["doc_id"] == doc["doc_id"]), key=lambda t: t["first_page"])
        pages[name] = mine
    assert len(pages["suffix"]) == 11 and pages["suffix"][-1]["table_key"] == "sangong"  # 07 listed last
    assert len(pages["sichuan"]) == 14 and len(pages["sichuan13"]) == 13
    assert len(pages["eight_no_sangong"]) == 8 and "sangong" not in {t["table_key"] for t in pages["eight_no_sangong"]}
    assert [t["table_key"] for t in pages["yunnan"]].index("sangong_related") < [
        t["table_key"] for t in pages["yunnan"]].index("sangong")
    # 四川: the tables come after the 情况说明 and 名词解释 (the narrative was read before them)
    sichuan = by["sichuan"][1]
    statements = [r for r in read(out, "budget_execution") if r["doc_id"] == sichuan["doc_id"]]
    assert statements and max(r["page"] for r in statements) < pages["sichuan"][0]["first_page"]
