"""The 三公 wordings of real reports the seed never draws (catalogue 2026-12-05 §5: 完成预算Z% without 的, a rate
with no budget figure, a difference with its percent, budget and actual compared in words; year on year as a
percent only, from a 0 prior year beside a 疫情前 base, with a negative after 下降), one generated district report
each, as PDF, web page and text: read by the ETL exactly as the truth records them, scored 1.00."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from etl.sample.families import write_family_corpus
from etl.sample.wording_variants import VARIANTS
from tests.family_truth import document_of, extra_misses, read, run_etl, truths

FORMATS = ("pdf", "html", "txt")
_BUDGET = {"initial": "initial_budget", "full_year": "full_year_budget", "unqualified": "unqualified_budget"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    write_family_corpus(raw, ["wording_variants"], seed=7, per_family=len(VARIANTS), formats=FORMATS)
    run_etl(raw, out)
    return raw, out


def _amount(x) -> Decimal | None:
    return None if x is None else Decimal(str(x)).quantize(Decimal("0.01"))


def _text_of(raw: Path, truth_name: str) -> str:
    """The text rendition of the report a truth JSON describes (what every form prints)."""
    stem = truth_name.removesuffix(".json").removesuffix(".text").removesuffix(".web")
    return next(raw.rglob(f"{stem}.text.txt")).read_text(encoding="utf-8")


@pytest.mark.fidelity
def test_every_wording_variant_scores_one_with_the_shared_scorer_in_every_form(corpus, shared):
    """One run of the shared scorer over the corpus (one report per file, so no per-report copies are needed)."""
    raw, out = corpus
    n = len(VARIANTS) * len(FORMATS)
    assert len(truths(raw)) == n
    proc = subprocess.run([sys.executable, str(shared / "tools" / "score_fidelity.py"), "--parquet", str(out),
                           "--truth", str(raw / "wording_variants")], capture_output=True, text=True, timeout=300)
    last = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(rf"fidelity: (\d+)/\1 = 1\.0000 over {n} documents", last), (
        "\n".join(line for line in proc.stdout.splitlines() if line.startswith("MISS"))[:4000] or proc.stderr[-2000:])


@pytest.mark.fidelity
def test_every_wording_variant_matches_its_own_truth_keys(corpus):
    raw, out = corpus
    assert extra_misses(out, raw) == []


def test_sangong_total_statement_read_as_the_sentence_states_it(corpus):
    """budget (of the kind printed), actual, rate and difference of the 三公 total: a difference never taken from
    the year-on-year sentence, a budget compared in words never given a rate, no budget invented for a rate."""
    raw, out = corpus
    docs, rows = read(out, "documents"), read(out, "budget_execution")
    seen = set()
    for name, truth in truths(raw).items():
        want, doc = truth["sangong_narrative"], document_of(read(out, "documents"), truth)
        assert doc is not None, name
        got = [r for r in rows if r["doc_id"] == doc["doc_id"] and r["scope"] == "sangong_total"]
        assert len(got) == 1, (name, got)
        kind = want.get("budget_kind") or want["budget_basis"] or "initial"
        budgets = {k: _amount(got[0][c]) for k, c in _BUDGET.items() if got[0][c] is not None}
        assert budgets == ({kind: _amount(want["budget_total"])} if want["budget_total"] is not None else {}), name
        for col, key in (("actual", "actual_total"), ("completion_pct", "completion_pct"),
                         ("budget_difference", "budget_difference")):
            assert _amount(got[0][col]) == _amount(want[key]), (name, col, got[0][col], want[key])
        assert got[0]["budget_basis"] == want["budget_basis"], name
        seen.add(truth["wording_variant"])
    assert len(docs) == len(VARIANTS) * len(FORMATS) and seen == {v.name for v in VARIANTS}


def test_each_variant_prints_its_catalogue_form_and_the_truth_records_what_it_states(corpus):
    """The forms are printed (so the reads above exercise them); the year-on-year truth keeps what the sentence
    states: no change where only a rate is printed, no rate against a 0 prior year (the 疫情前 base is not last
    year), a positive change where 下降 carries a negative."""
    raw, _ = corpus
    by = {t["wording_variant"]: (name, t) for name, t in truths(raw).items() if name.endswith(".text.json")}
    forms = {
        "rate_no_de": r"预算为[\d,.]+万元，支出决算为[\d,.]+万元，完成预算\d+\.\d{2}%",
        "rate_no_budget": r"决算为[\d,.]+万元，完成年初预算的\d+\.\d{2}%，其中",
        "difference_pct": r"比年初预算数(?:减少|增加)[\d,.]+万元，(?:下降|增长)\d+\.\d{2}%",
        "word_comparison": r"预算为[\d,.]+万元，实际支出“三公经费”决算为[\d,.]+万元，决算数(?:未)?超过预算数",
    }
    for variant, form in forms.items():
        name, _ = by[variant]
        assert re.search(form, _text_of(raw, name)), variant
    yoy = {v: by[v][1]["sangong_narrative"] for v in by}
    assert re.search(r"较\d{4}年决算数(?:下降|增长)\d+\.\d{2}%。", _text_of(raw, by["rate_no_de"][0]))
    assert yoy["rate_no_de"]["change_vs_last_year"] is None and yoy["rate_no_de"]["change_pct_vs_last_year"] is not None
    zero = _text_of(raw, by["rate_no_budget"][0])
    assert "增长--（基数为0，不可比）；比2019年（疫情前）" in zero
    assert yoy["rate_no_budget"]["change_pct_vs_last_year"] is None
    assert yoy["rate_no_budget"]["change_vs_last_year"] == yoy["rate_no_budget"]["actual_total"]
    assert re.search(r"减少-[\d,.]+万元，下降-\d+\.\d{2}%", _text_of(raw, by["difference_pct"][0]))
    assert yoy["difference_pct"]["change_vs_last_year"] > 0 and yoy["difference_pct"]["change_pct_vs_last_year"] > 0


def test_gpb_total_statement_read_as_the_sentence_states_it(corpus):
    """§6: 决算数为Y，完成预算Z% (no budget: unqualified, none invented), 按规定程序调整后的全年预算数 (full year),
    a bare 财政拨款支出 under the 一般公共预算 heading with a whole-万元 年初预算数: every field and its basis."""
    raw, out = corpus
    docs, rows = read(out, "documents"), read(out, "budget_execution")
    forms = {"rate_no_de": r"一般公共预算财政拨款支出决算数为[\d,.]+万元，完成预算\d+\.\d{2}%",
             "rate_no_budget": r"按规定程序调整后的全年预算数为[\d,.]+万元，支出决算为[\d,.]+万元，完成全年预算的",
             "difference_pct": r"（三）一般公共预算财政拨款支出决算具体情况\s*财政拨款支出年初预算数为[\d,]+万元，"}
    for name, truth in truths(raw).items():
        want, doc = truth["gpb_budget_execution"], document_of(docs, truth)
        got = next(r for r in rows if r["doc_id"] == doc["doc_id"] and r["scope"] == "gpb_total")
        for col in ("initial_budget", "full_year_budget", "unqualified_budget", "actual", "completion_pct",
                    "budget_difference"):
            assert _amount(got[col]) == _amount(want[col]), (name, col, got[col], want[col])
        assert got["budget_basis"] == want["budget_basis"], name
        if name.endswith(".text.json") and truth["wording_variant"] in forms:
            assert re.search(forms[truth["wording_variant"]], _text_of(raw, name)), name


def test_item_rates_without_a_budget_figure_are_read_with_no_budget_invented(corpus):
    """§6 per 项: 支出决算为X万元，完成预算Z%，决算数与预算数持平/大于/小于 — the rate and the actual, no budget."""
    raw, out = corpus
    docs, rows = read(out, "documents"), read(out, "budget_execution")
    checked = 0
    for name, truth in truths(raw).items():
        if truth["wording_variant"] != "word_comparison":
            continue
        doc = document_of(docs, truth)
        got = {r["path"]: r for r in rows if r["doc_id"] == doc["doc_id"] and r["scope"] == "item"}
        assert sorted(got) == sorted(r["path"] for r in truth["item_budget_execution"]), name
        for want in truth["item_budget_execution"]:
            row = got[want["path"]]
            assert want["initial_budget"] is None and want["completion_pct"] is not None
            assert (row["initial_budget"], row["full_year_budget"], row["unqualified_budget"]) == (None, None, None)
            assert _amount(row["completion_pct"]) == _amount(want["completion_pct"]), (name, want["path"])
            assert _amount(row["actual"]) == _amount(want["actual"]), (name, want["path"])
            checked += 1
        if name.endswith(".text.json"):
            form = r"（项）。主要用于：[^。]*。支出决算为[\d,.]+万元，完成预算\d+\.\d{2}%，决算数"
            assert re.search(form, _text_of(raw, name)), name
    assert checked >= len(FORMATS) * 2
