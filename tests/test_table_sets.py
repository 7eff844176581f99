"""The table sets still missing from `table_variants` (catalogue 2026-12-05 §1–§3): 6, 7, 10 and 21 tables, the
三公 table with 会议费/培训费 printed across, other provinces' titles, an empty table printed as one line, contents
with page numbers, tables after 名词解释 and a 附件, tables listed （一）…（九） "见附件1" — generated with exact
truth, read by the ETL and scored 1.00 by the shared scorer and on the families' own keys.
One document per variant, seeded, one corpus for the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.sample.families import write_family_corpus
from etl.sample.table_sets import VARIANTS
from tests.family_truth import by_truth_key, extra_misses, read, run_etl, score_with_shared_scorer


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    write_family_corpus(raw, ["table_sets"], seed=7, per_family=len(VARIANTS))
    run_etl(raw, out)
    return raw, out


def _by_variant(raw: Path, out: Path) -> dict[str, tuple[dict, dict]]:
    """variant name -> (truth, documents row)."""
    return by_truth_key(raw, out, "table_variant", {v.name for v in VARIANTS})


def _found(out: Path, doc: dict) -> list[dict]:
    mine = (t for t in read(out, "tables_found") if t["doc_id"] == doc["doc_id"])
    return sorted(mine, key=lambda t: t["first_page"])


def _checks(out: Path, doc: dict) -> dict[str, dict]:
    return {c["check_id"]: c for c in read(out, "checks") if c["doc_id"] == doc["doc_id"]}


@pytest.mark.fidelity
def test_every_table_set_scores_one_with_the_shared_scorer(corpus, shared, tmp_path):
    raw, out = corpus
    ratio, output = score_with_shared_scorer(out, raw, shared, tmp_path)
    assert ratio == 1.0, "\n".join(line for line in output.splitlines() if line.startswith("MISS"))[:4000]


@pytest.mark.fidelity
def test_every_table_set_matches_its_own_truth_keys(corpus):
    """other tables by title, related_costs (the 会议费/培训费 printed across), report_form."""
    raw, out = corpus
    assert extra_misses(out, raw) == []


def test_table_sets_of_6_7_10_and_21_tables_are_counted_as_printed(corpus):
    raw, out = corpus
    by = _by_variant(raw, out)
    counts = {name: len(_found(out, doc)) for name, (_, doc) in by.items()}
    assert counts == {"six_tables": 6, "seven_tables": 7, "ten_tables": 10, "xinjiang_21": 21, "attachment_list": 9}
    xinjiang = [t["table_key"] for t in _found(out, by["xinjiang_21"][1])]
    # every standard table of the 新疆 set recognised among its 12 others, none absorbed
    assert sorted(k for k in xinjiang if k != "other") == sorted(
        k for k, present in by["xinjiang_21"][0]["tables_present"].items() if present)
    assert xinjiang.count("other") == 12


def test_second_state_capital_table_is_other_and_empty_tables_invent_no_figures(corpus):
    """四川: 国有资本经营 收入支出 and 支出 tables — the first is 09, the second `other`; a table printed as
    "本部门没有相关数据，故本表无数据" (08, 09) is present and empty, gives no row, and the blank-table check passes."""
    raw, out = corpus
    by = _by_variant(raw, out)
    ten = by["ten_tables"][1]
    found = _found(out, ten)
    capital = [t for t in found if "国有资本经营" in t["title"]]
    assert [t["table_key"] for t in capital] == ["state_capital", "other"]
    assert all(t["empty"] for t in capital)
    assert not [r for r in read(out, "function_expenditure")
                if r["doc_id"] == ten["doc_id"] and r["table_key"] in ("gov_fund", "state_capital")]
    assert {t["table_key"] for t in found if t["empty"]} == {"gov_fund", "state_capital", "other"}
    blank = _checks(out, ten)["completeness.blank_table_with_narrative_figures"]
    assert blank["status"] == "pass" and "gov_fund" in blank["detail"]


def test_contents_with_page_numbers_or_field_codes_lists_every_table(corpus):
    raw, out = corpus
    by = _by_variant(raw, out)
    for name in ("six_tables", "seven_tables"):
        check = _checks(out, by[name][1])["completeness.contents_lists_missing_table"]
        assert check["status"] == "pass", (name, check["detail"])


def test_tables_after_glossary_and_annex_come_after_the_narrative(corpus):
    raw, out = corpus
    doc = _by_variant(raw, out)["ten_tables"][1]
    statements = [r for r in read(out, "budget_execution") if r["doc_id"] == doc["doc_id"]]
    assert doc["report_form"] == "sichuan"
    assert statements and max(r["page"] for r in statements) < _found(out, doc)[0]["first_page"]


def test_tables_listed_as_see_attachment_1_are_read_from_the_attachment_after_the_text(corpus):
    """（一）…（九） listed under "…决算表（见附件1）": the 目录's nine entries are the tables, found in the 附件1 after
    the narrative, every one listed and printed."""
    raw, out = corpus
    doc = _by_variant(raw, out)["attachment_list"][1]
    listed = _checks(out, doc)["completeness.contents_lists_missing_table"]
    assert (listed["status"], listed["detail"]) == ("pass", "9 listed tables all printed")
    statements = [r for r in read(out, "budget_execution") if r["doc_id"] == doc["doc_id"]]
    assert statements and max(r["page"] for r in statements) < _found(out, doc)[0]["first_page"]


def test_all_fund_expenditure_table_printed_instead_of_05_is_read_and_owes_no_05(corpus):
    """江苏 2015: 财政拨款支出决算表 (every fund) and 财政拨款基本支出决算表 instead of 05 and 06: the first is read
    as fiscal_expenditure (its figures scored by the truth keys), the second as 06; no 05 is reported missing."""
    raw, out = corpus
    doc = _by_variant(raw, out)["seven_tables"][1]
    keys = {t["table_key"] for t in _found(out, doc)}
    assert {"fiscal_expenditure", "gpb_basic_expenditure"} <= keys and "gpb_expenditure" not in keys
    assert doc["status"] == "ok"
    assert _checks(out, doc)["completeness.mandatory_table_missing"]["status"] == "pass"


def test_yunnan_single_sangong_and_admin_operation_table_keeps_admin_costs_out_of_sangong(corpus):
    raw, out = corpus
    truth, doc = _by_variant(raw, out)["six_tables"]
    related = [(r["item"], r["fund"]) for r in read(out, "related_costs") if r["doc_id"] == doc["doc_id"]]
    assert related == [("admin_operation", None)] == [(r["item"], r["fund"]) for r in truth["related_costs"]]
