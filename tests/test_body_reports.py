"""Hospital, school and 乡镇/街道 reports (catalogue 2026-12-05 §4 last line, §7, §10) generated with exact truth,
read by the ETL and scored 1.00 by the shared scorer and on the families' own keys (body_kind, report_scope,
scope_printed). One document per body case (etl.sample.bodies.BODIES), seeded."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from etl.sample.bodies import BODIES, generate_body
from etl.sample.corpus import write_forms
from etl.sample.families import write_family_corpus
from tests.doc_scoring import score
from tests.family_truth import extra_misses, read, run_etl, truths

#: body cases also published as a web page and as saved text (their forms in etl.sample.corpus.write_forms)
RENDITIONS = {"hospital": "html", "maternal_county": "txt"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    write_family_corpus(raw, ["bodies"], seed=7, per_family=len(BODIES))
    for k, b in enumerate(BODIES):
        if b.case in RENDITIONS:
            write_forms(raw / "renditions", generate_body(7, k), (RENDITIONS[b.case],))
    run_etl(raw, out)
    return raw, out


def _by_case(raw: Path, out: Path) -> dict[str, tuple[dict, dict]]:
    """body case -> (truth, documents row)."""
    docs = {d["sha256"]: d for d in read(out, "documents")}
    by = {t["body_case"]: (t, docs[t["sha256"]]) for t in truths(raw / "bodies").values()}
    assert set(by) == {b.case for b in BODIES}
    return by


def _wan(x) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"))


@pytest.mark.fidelity
def test_every_body_report_and_its_web_and_text_forms_score_one_with_the_shared_scorer(corpus, shared):
    """One scorer run per folder: each body report is a file of its own (no volume shares a sha256)."""
    raw, out = corpus
    for folder, n in (("bodies", len(BODIES)), ("renditions", len(RENDITIONS))):
        assert len(truths(raw / folder)) == n
        proc = score(shared, out, raw / folder, minimum=1.0)
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
        assert proc.stdout.rstrip().endswith(f"= 1.0000 over {n} documents"), proc.stdout[-500:]


@pytest.mark.fidelity
def test_every_body_report_matches_its_own_truth_keys(corpus):
    """body_kind, report_scope (单位决算, 部门（单位）, 部单位), scope_printed (（本级）, 部门汇总数) as generated."""
    raw, out = corpus
    assert extra_misses(out, raw) == []


def test_hospital_and_school_income_read_as_they_book_it(corpus):
    """财政补助收入 is the fiscal income, 事业收入 and 上级补助收入 their own keys, 医疗收入 kept with its label
    and no key (a part of 事业收入, never added to the total)."""
    raw, out = corpus
    items = read(out, "summary_items")
    for case, (truth, doc) in _by_case(raw, out).items():
        if "body_income" not in truth:
            continue
        want = truth["body_income"]
        mine = [r for r in items if r["doc_id"] == doc["doc_id"] and r["side"] == "income"]
        got = {r["item"]: r["amount"] for r in mine if r["item"]}
        assert got["fiscal_appropriation_income"] == _wan(want["fiscal"]), case
        assert got["business_income"] == _wan(want["business"]), case
        assert got["superior_subsidy_income"] == _wan(want["superior"]), case
        assert got["other_income"] == _wan(want["other"]), case
        medical = [r for r in mine if "医疗收入" in r["label"]]
        if want["medical"]:
            assert [(r["item"], r["amount"]) for r in medical] == [(None, _wan(want["medical"]))], case
        else:
            assert medical == [], case


def test_county_and_district_bodies_belong_to_their_county_or_district(corpus):
    """A 县/区属 hospital, school or 乡镇 takes its region from its name (the city from its text where the name
    starts at the county), never 中央 and never its province."""
    raw, out = corpus
    for case, (truth, doc) in _by_case(raw, out).items():
        assert doc["region"] == truth["region"], case
        assert doc["department"] == truth["department"], case  # （本级） and 部门（单位） are no part of the name
    truth, doc = _by_case(raw, out)["township_county"]
    assert doc["department"] == "城口县青龙乡人民政府" and doc["region"] == "重庆市城口县"  # the city from the text


def test_town_consolidated_report_spends_on_many_functions_with_sangong_in_the_text(corpus):
    raw, out = corpus
    truth, doc = _by_case(raw, out)["town"]
    classes = {r["code"] for r in read(out, "function_expenditure")
               if r["doc_id"] == doc["doc_id"] and r["table_key"] == "expenditure" and r["level"] == "class"}
    assert {"201", "208", "210", "212", "213"} <= classes
    sangong = [r for r in read(out, "sangong") if r["doc_id"] == doc["doc_id"]]
    assert sangong and {r["source"] for r in sangong} == {"narrative"}
    total = next(r for r in sangong if r["item"] == "total")
    assert total["actual"] == _wan(truth["sangong"]["actual"]["total"])
    assert doc["scope_printed"] == "consolidated" and doc["report_scope"] == "department"


def test_short_hospital_and_school_reports_are_read_whole(corpus):
    """The short style (no 目录, no 概况, four sections) is a complete report: every standard table found, the
    三公 read, the document ok; it states no 一般公共预算 budget execution and none is invented."""
    raw, out = corpus
    by = _by_case(raw, out)
    found = read(out, "tables_found")
    execution = read(out, "budget_execution")
    for case in ("health_centre_short", "primary_short"):
        truth, doc = by[case]
        assert doc["status"] == "ok", (case, doc["error"])
        keys = {t["table_key"] for t in found if t["doc_id"] == doc["doc_id"]}
        assert keys == {k for k, present in truth["tables_present"].items() if present}, case
        assert not [r for r in execution if r["doc_id"] == doc["doc_id"] and r["scope"] == "gpb_total"], case
