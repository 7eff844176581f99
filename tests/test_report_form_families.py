"""Province report forms as generated reports (catalogue 2026-12-05 §4, §1 "no table list"): 云南 (第三部分 of 4
items, 第四部分 其他重要事项及相关口径, one with 纳入财政专户), 广西, 江西 (no heading of its own), 重庆 决算公开说明
(no 目录, numbered paragraphs, （本级）), 陕西/湖北 headings (专业名词解释, 名称解释, 会议费/培训费 in the 三公 text,
部门绩效管理, 政府购买服务, 第四部分 专项转移支付) and 四川 with 13/14 items. One document per form, seeded; each
is read by the ETL and scored 1.00 by the shared scorer and on the families' own keys (report_form); four of
them also as a web page or a text file (their pages are not the PDF's: the form is still recognised)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.pagesource.page import Page, Word
from etl.parsing.metadata import read_metadata
from etl.sample.corpus import write_forms
from etl.sample.families import write_family_corpus
from etl.sample.report_forms import FORMS, report_forms
from tests.family_truth import extra_misses, read, run_etl, score_with_shared_scorer, truths

#: forms also written as a web page or a text file (the forms whose recognition rests on their structure)
RENDITIONS = {"sichuan14": "html", "chongqing": "html", "yunnan": "txt", "guangxi": "txt"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    write_family_corpus(raw, ["report_forms"], seed=7, per_family=len(FORMS))
    (raw / "renditions").mkdir()
    for g in report_forms(7, len(FORMS)):
        if g.truth["form_variant"] in RENDITIONS:
            write_forms(raw / "renditions", g, (RENDITIONS[g.truth["form_variant"]],))
    run_etl(raw, out)
    return raw, out


def _by_form(raw: Path, out: Path) -> dict[str, tuple[dict, dict]]:
    """form name -> (truth, documents row) of its PDF."""
    docs = {d["sha256"]: d for d in read(out, "documents")}
    by = {r["form_variant"]: (r, docs[r["sha256"]]) for r in truths(raw).values() if r["source_file"].endswith(".pdf")}
    assert set(by) == {f.name for f in FORMS}
    return by


@pytest.mark.fidelity
def test_every_province_form_scores_one_with_the_shared_scorer(corpus, shared, tmp_path):
    raw, out = corpus
    ratio, output = score_with_shared_scorer(out, raw, shared, tmp_path)
    assert ratio == 1.0, "\n".join(line for line in output.splitlines() if line.startswith("MISS"))[:4000]


@pytest.mark.fidelity
def test_every_province_form_matches_its_own_truth_keys(corpus):
    """report_form (None for 江西, 陕西, 湖北: no heading of their own), other tables, related_costs."""
    raw, out = corpus
    assert extra_misses(out, raw) == []


def test_province_forms_are_recognised_and_jiangxi_is_not_guessed(corpus):
    raw, out = corpus
    forms = {name: doc["report_form"] for name, (_, doc) in _by_form(raw, out).items()}
    assert forms == {"yunnan": "yunnan", "yunnan_special_account": "yunnan", "guangxi": "guangxi", "jiangxi": None,
                     "chongqing": "chongqing", "shaanxi": None, "hubei": None, "sichuan14": "sichuan",
                     "sichuan13": "sichuan"}


def test_forms_published_as_web_page_or_text_are_recognised_as_their_pdf(corpus):
    """A web page's or text file's pages are not the PDF's (a 目录 runs on into the 概况): 四川's glossary
    before the tables and the national forms' 目录 entry 名词解释 are still told apart."""
    raw, out = corpus
    docs = {d["sha256"]: d for d in read(out, "documents")}
    seen = {}
    for truth in truths(raw / "renditions").values():
        doc = docs[truth["sha256"]]
        seen[truth["form_variant"]] = doc["source_format"]
        assert doc["report_form"] == truth["report_form"], truth["source_file"]
    assert seen == {name: ("text" if fmt == "txt" else fmt) for name, fmt in RENDITIONS.items()}


def test_own_level_scope_word_is_recorded_not_kept_in_the_department_name(corpus):
    """云南 and 重庆 print （本级） after the name: scope_printed own_level, the department its name alone."""
    raw, out = corpus
    for name, (truth, doc) in _by_form(raw, out).items():
        assert doc["department"] == truth["department"], name
        assert doc["scope_printed"] == truth["scope_printed"], name
    assert sum(t["scope_printed"] == "own_level" for t, _ in _by_form(raw, out).values()) == 2


def test_sangong_statements_read_in_every_form_whatever_part_or_numbering_holds_them(corpus):
    """云南 (三公 the last of 4 items, 第四部分 after it), 重庆 (`（五）` with paragraphs `1.总体情况。`), 广西 (三公
    after 国有资本), 陕西 (会议费/培训费 stated after the 三公 paragraphs, never taken for 三公)."""
    raw, out = corpus
    statements = read(out, "budget_execution")
    for name, (truth, doc) in _by_form(raw, out).items():
        mine = {r["scope"]: r for r in statements if r["doc_id"] == doc["doc_id"]}
        want = truth["sangong_narrative"]
        assert float(mine["sangong_total"]["actual"]) == pytest.approx(want["actual_total"]), name
        gpb = truth["gpb_budget_execution"]
        assert float(mine["gpb_total"]["actual"]) == pytest.approx(gpb["actual"]), name


def test_meeting_and_training_costs_in_the_sangong_text_stay_out_of_sangong(corpus):
    raw, out = corpus
    truth, doc = _by_form(raw, out)["shaanxi"]
    related = {r["item"]: float(r["actual"]) for r in read(out, "related_costs") if r["doc_id"] == doc["doc_id"]}
    assert set(related) == {"meeting", "training"}
    sangong = {r["item"]: float(r["actual"]) for r in read(out, "sangong") if r["doc_id"] == doc["doc_id"]}
    assert sangong["total"] == pytest.approx(truth["sangong"]["actual"]["total"])
    assert not set(related.values()) & set(sangong.values())


def test_reports_without_a_table_list_or_with_a_one_line_list_find_every_table(corpus):
    """重庆 prints no 目录 and its tables after the text; 江西 lists them in one line (…决算表)."""
    raw, out = corpus
    found = read(out, "tables_found")
    for name in ("chongqing", "jiangxi"):
        truth, doc = _by_form(raw, out)[name]
        keys = {t["table_key"] for t in found if t["doc_id"] == doc["doc_id"]}
        assert keys == {k for k, present in truth["tables_present"].items() if present}, name


@pytest.mark.parametrize("printed", ["昆明市五华区财政局（本级）2023年度部门决算",
                                     "昆明市五华区财政局(本级)2023年度部门决算",
                                     "昆明市五华区财政局（ 本级 ）2023年度部门决算"])
def test_own_level_suffix_is_not_part_of_the_department_name(printed):
    meta = read_metadata([Page(1, 595.0, 842.0, [Word(printed, 100.0, 400.0, 300.0, 320.0)])])
    assert (meta.department, meta.region, meta.year) == ("昆明市五华区财政局", "昆明市五华区", 2023)
