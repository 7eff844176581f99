"""Which figures a failed check puts in doubt (issue 17): each check that knows the item it compares narrows its
doubts to that item's group (etl/parsing/checks/base.py FIGURE_GROUPS); the false alarms of the issue (defects
1–3) and the disclosure slips leave every figure standing; the real reports have no figure in doubt; and on a
generated corpus every injected error or inconsistency puts in doubt exactly the groups it touches."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from etl.parsing.checks.base import DocFigures
from etl.parsing.checks.claims import claim_checks
from etl.parsing.claims import extract
from etl.parsing.parse import parse_pdf
from etl.parsing.quality import grade
from tests.pdf_fixtures import write_pdf
from tests.test_checks_document import ALL, ASSETS, SANGONG_095, YEAR, contents, cover, narrative, table_page


def _figures(**kw) -> DocFigures:
    base = {"summary": [], "fiscal_summary": [], "function_rows": [], "economic_rows": [], "cost_totals": None,
            "sangong": [], "statements": []}
    return DocFigures(**{**base, **kw})


def _claim_fails(text: str, figures: DocFigures, prefix: str = "claims.") -> list:
    out = claim_checks(figures, extract(re.sub(r"\s+", "", text), [(0, 7)]))
    return [c for c in out if c.status == "fail" and c.check_id.startswith(prefix)]


def _graded(checks) -> dict:
    return grade("ok", "final_accounts", checks)


# -- 1. doubts per result: the group of the item compared ----------------------------------------------------

ROWS = [{"table_key": "gpb_expenditure", "level": "total", "code": None, "name": "合计", "total": D("100.00"),
         "basic": D("80.00"), "project": D("20.00"), "page": 9},
        {"table_key": "gpb_expenditure", "level": "class", "code": "201", "name": "一般公共服务支出",
         "total": D("100.00"), "basic": D("80.00"), "project": D("20.00"), "page": 9},
        {"table_key": "expenditure", "level": "total", "code": None, "name": "合计", "total": D("130.00"),
         "basic": D("90.00"), "project": D("40.00"), "page": 5}]
SANGONG = [{"item": k, "budget": D(b), "actual": D(a), "page": 12} for k, b, a in (
    ("total", "3.00", "1.00"), ("overseas", "0", "0"), ("vehicle_total", "2.00", "1.00"),
    ("vehicle_purchase", "0", "0"), ("vehicle_operation", "2.00", "1.00"), ("reception", "1.00", "0"))]
SUMMARY = [{"side": "income", "item": "grand_total", "amount": D("2995.39"), "page": 1},
           {"side": "expenditure", "item": "grand_total", "amount": D("2995.39"), "page": 1},
           {"side": "expenditure", "item": "expenditure_total", "amount": D("2946.25"), "page": 1}]
FIGURES = dict(function_rows=ROWS, sangong=SANGONG, summary=SUMMARY,
               cost_totals={"personnel_cost": D("70.00"), "public_cost": D("10.00"), "page": 10})


@pytest.mark.parametrize(("text", "group", "page"), [
    ("本部门收入支出总计2990.00万元。", "totals", "1"),                                 # 01 收入/支出总计
    ("本年支出合计2900.00万元。", "totals", "1"),                                       # 01 本年支出合计
    ("一般公共预算财政拨款支出95.00万元。", "gpb", "9"),                                  # 05 合计
    ("一般公共预算财政拨款基本支出70.00万元。", "gpb", "9"),                              # 05 合计行基本支出
    ("一般公共预算财政拨款项目支出25.00万元。", "gpb", "9"),                              # 05 合计行项目支出
    ("主要用于以下方面：一般公共服务支出（类）90.00万元。", "items", "9"),                  # 05 类 row
    ("其中：人员经费60.00万元。", "cost", "10"),                                         # 06 人员经费
    ("其中：公用经费12.00万元。", "cost", "10"),                                         # 06 公用经费
    ("“三公”经费财政拨款支出年初预算为2.50万元。", "sangong", "12"),                       # 07 合计预算数
    ("公务用车购置及运行费支出决算为1.50万元。", "sangong", "12"),                         # 07 用车
])
def test_a_narrative_figure_against_a_table_doubts_the_group_of_the_item_it_names(text, group, page):
    [c] = _claim_fails(text, _figures(**FIGURES), "claims.total")
    assert (c.check_id, c.doubts) == ("claims.total_matches_table", group), c.message
    assert c.pages == f"7,{page}" if int(page) > 7 else c.pages == f"{page},7"  # the narrative's and the table's
    assert _graded([c])["figures_in_doubt"] == group


@pytest.mark.parametrize(("text", "group"), [
    ("一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的99.20%。", "gpb"),
    ("“三公”经费财政拨款支出年初预算为3.00万元，支出决算为1.00万元，完成预算的50.00%。", "sangong"),
    ("行政运行（项）年初预算为100.00万元，支出决算为80.00万元，完成年初预算的90.00%。", "items"),
])
def test_a_wrong_completion_rate_doubts_the_figure_it_is_of(text, group):
    [c] = _claim_fails(text, _figures(), "claims.completion_pct")
    assert c.doubts == group


def test_a_unit_mix_up_doubts_the_table_it_is_in(tmp_path):
    """The 三公 total printed in 元 digits under 万元: the 三公 figures are in doubt, not the report's other figures."""
    sangong = ["七、财政拨款“三公”经费支出决算情况说明", "“三公”经费财政拨款支出决算为13700.00万元。"]
    doc = _report(tmp_path, amounts={"sangong": "1.37"}, sangong=sangong)
    [c] = [c for c in doc.rows["checks"] if c["check_id"] == "metadata.unit_consistent"]
    assert (c["status"], c["doubts"]) == ("fail", "sangong")
    assert _doc_grade(doc)["figures_in_doubt"] == "sangong"


def test_a_blank_table_contradicted_by_the_narrative_doubts_that_tables_figures(tmp_path):
    """Decided (issue 17): a table printed blank reads as zero; a narrative stating non-zero figures for it
    contradicts that reading, so the blank table's group is in doubt (not every figure, and not a mere
    disclosure defect). A table not printed at all is a disclosure defect (test below)."""
    doc = _report(tmp_path, blank=("sangong",), sangong=SANGONG_095)
    [c] = [c for c in doc.rows["checks"] if c["check_id"] == "completeness.blank_table_with_narrative_figures"]
    assert (c["status"], c["doubts"]) == ("fail", "sangong")
    assert _doc_grade(doc)["figures_in_doubt"] == "sangong"


def test_an_unconfirmed_ocr_reading_doubts_its_rows_group():
    from etl.parsing.checks.readings import _cell_groups
    from etl.parsing.identities import Cell

    assert _cell_groups(Cell({"level": "total"}, "total", "gpb_expenditure")) == ("gpb",)
    assert _cell_groups(Cell({"level": "item"}, "basic", "gpb_expenditure")) == ("items",)
    assert _cell_groups(Cell({"item": "reception"}, "actual", "sangong")) == ("sangong",)
    assert _cell_groups(Cell({}, "personnel_cost", "gpb_basic_expenditure")) == ("cost",)
    assert _cell_groups(Cell({"item": "grand_total"}, "amount", "income_expenditure_summary")) == ("totals",)


# -- 2. the false alarms of issue 17 and the disclosure slips -------------------------------------------------


def _report(tmp_path: Path, *, dept: str = "上海市普陀区测试局", listed=None, body=None, blank=(),
            sangong=("七、财政拨款“三公”经费支出决算情况说明", "本部门无“三公”经费财政拨款支出。"), assets=ASSETS,
            part_year: int = YEAR, extra=(), amounts=None):
    """tests/test_checks_document.py's small report, returned parsed (document row and checks)."""
    body = ALL if body is None else body
    pages = [cover(dept), contents(ALL if listed is None else listed, dept)]
    for i, key in enumerate(body):
        pages.append(table_page(key, None if key in blank else (amounts or {}).get(key, "100.00"),
                                part=f"第二部分 {dept}{part_year}年度部门决算表" if i == 0 else None))
    paragraphs = ["一、收入支出决算总体情况说明",
                  f"{dept}{YEAR}年度收入支出总计100.00万元。与{YEAR - 1}年度相比，持平。", *extra, *sangong, *assets]
    pages.append(narrative(paragraphs, dept, part_year))
    return parse_pdf(write_pdf(tmp_path / "doc.pdf", pages), "t")


#: the table identities the one-column fixture tables break (合计 printed, 基本/项目 and the 三公 parts not): not
#: what these tests are about, left out of the grade they look at
_FIXTURE_IDENTITIES = ("expenditure.total_is_basic_plus_project", "gpb_expenditure.total_is_basic_plus_project",
                       "sangong.parts_sum_to_total")


def _failed(doc) -> dict[str, dict]:
    return {c["check_id"]: c for c in doc.rows["checks"] if c["status"] == "fail" and c["severity"] != "info"
            and not c["check_id"].startswith(_FIXTURE_IDENTITIES)}


def _doc_grade(doc) -> dict:
    """The document's grade (etl.parsing.quality.grade) over its checks but the fixture's broken identities."""
    return _graded([c for c in doc.rows["checks"] if not c["check_id"].startswith(_FIXTURE_IDENTITIES)])


def test_defect_1_a_department_total_beside_a_small_sangong_total_is_no_unit_mix_up(tmp_path):
    """"支出决算为13723.28万元" beside a 三公 total of 1.37 万元: 13723.28 ÷ 10000 rounds to 1.37, but the clause
    names no 三公 (the rule: the same item named in the same clause)."""
    sangong = ["七、财政拨款“三公”经费支出决算情况说明", "“三公”经费财政拨款支出决算为1.37万元。"]
    extra = ["二、一般公共预算财政拨款支出决算情况说明", "本部门本年度支出决算为13723.28万元。"]
    doc = _report(tmp_path, amounts={"sangong": "1.37"}, sangong=sangong, extra=extra)
    assert "metadata.unit_consistent" not in _failed(doc)
    graded = _doc_grade(doc)
    assert graded["figures_in_doubt"] == "" and graded["quality"] != "fail", _failed(doc)


@pytest.mark.parametrize("slip", ["placeholder", "heading_year", "dated_statement", "sangong_table_missing"])
def test_defect_2_a_disclosure_slip_leaves_every_figure_standing(tmp_path, slip):
    """XX in the name, last year in a part heading, 截至 last year's 12月31日, the 07 table neither printed nor listed
    while the narrative states the 三公: the report is defective, its printed figures are not contradicted."""
    kw = {"placeholder": {"dept": "上海市XX局"},
          "heading_year": {"part_year": YEAR - 1},
          "dated_statement": {"assets": ["十一、其他重要事项的情况说明",
                                         f"截至{YEAR - 1}年12月31日，本部门共有车辆0辆。"]},
          "sangong_table_missing": {"listed": [k for k in ALL if k != "sangong"],
                                    "body": [k for k in ALL if k != "sangong"], "sangong": SANGONG_095}}[slip]
    expected = {"placeholder": "metadata.placeholder", "heading_year": "metadata.year_consistent",
                "dated_statement": "metadata.dated_statement_year",
                "sangong_table_missing": "completeness.mandatory_table_missing"}[slip]
    doc = _report(tmp_path, **kw)
    failed = _failed(doc)
    assert expected in failed and failed[expected]["doubts"] == "", failed
    graded = _doc_grade(doc)
    assert doc.document["disclosure_defects"] >= 1 and graded["disclosure_defects"] >= 1
    assert graded["figures_in_doubt"] == "" and graded["quality"] != "fail", failed


def test_defect_2_the_all_funds_basic_expenditure_in_the_gpb_section_is_a_basis_slip():
    """The gpb section states 03's 基本支出 (all funds) where it names 05's: a warning with no figure in doubt, never
    a failed document; a figure of neither basis is a contradiction of the gpb figures."""
    figures = _figures(function_rows=ROWS)
    slip = _claim_fails("一般公共预算财政拨款基本支出90.00万元。", figures, "claims.total")
    assert [(c.check_id, c.doubts) for c in slip] == [("claims.total_matches_table.basis", "")]
    graded = _graded(claim_checks(figures, extract("一般公共预算财政拨款基本支出90.00万元。", [(0, 7)])))
    assert (graded["quality"], graded["figures_in_doubt"], graded["disclosure_defects"]) == ("clean", "", 1)
    wrong = _claim_fails("一般公共预算财政拨款基本支出95.00万元。", figures, "claims.total")
    assert [(c.check_id, c.doubts) for c in wrong] == [("claims.total_matches_table", "gpb")]


def test_defect_3_a_parenthesised_foreign_guests_figure_is_not_the_reception_figure():
    """"国内公务接待支出0.39万（含外宾接待支出0.00万元）" is never read as 公务接待 = 0.00."""
    sangong = [{"item": "reception", "budget": D("0.50"), "actual": D("0.39")}]
    text = "公务接待费支出0.39万元，其中：国内公务接待支出0.39万（含外宾接待支出0.00万元），国内公务接待3批次。"
    figures = _figures(sangong=sangong)
    assert not _claim_fails(text, figures)
    assert _graded(claim_checks(figures, extract(text, [(0, 7)])))["figures_in_doubt"] == ""


# -- 3. the real reports ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_parsed(real_pdfs):
    return {name: parse_pdf(path, name) for name, path in real_pdfs.items()}


@pytest.mark.parametrize("name", ["finance", "social", "template"])
def test_the_real_reports_have_no_figure_in_doubt(real_parsed, name):
    doc = real_parsed[name]
    d = doc.document
    if name == "template":  # the national blank form: not a department's report, not graded, no figure
        assert d["doc_kind"] == "template" and d["figures_in_doubt"] is None and d["quality"] is None
        return
    failed = [(c["check_id"], c["severity"], c["doubts"]) for c in doc.rows["checks"]
              if c["status"] == "fail" and c["severity"] != "info"]
    assert d["figures_in_doubt"] == "" and d["quality"] != "fail", failed
    # what they do fail is a disclosure defect (no figure in doubt) or a warning (a source the analysis chose)
    assert all(doubts == "" or severity == "warning" for _, severity, doubts in failed), failed
    print(name, failed)


# -- 4. a generated corpus: every injected kind doubts exactly the groups it touches ----------------------------

#: etl/sample/audit_errors.py: what each injected audit error alters, and so the groups its failed checks name
#: (their doubts, any severity).
INJECTED_ERRORS = {
    # a standard table the 目录 lists is left out of the body: nothing printed is contradicted (a disclosure defect)
    "contents_table_missing": "",
    # a mandatory table (02/04) neither printed nor listed: a disclosure defect
    "mandatory_table_missing": "",
    # the 三公 table printed blank (reads as zero) while the narrative gives its non-zero figures: the 三公 figures
    "blank_table_with_narrative_figures": "sangong",
    # last year in a part heading: a disclosure slip
    "heading_wrong_year": "",
    # 截至 last year's 12月31日 in the asset statement: a disclosure slip
    "dated_statement_wrong_year": "",
    # XX局 in the 第一部分 heading: a disclosure slip
    "placeholder_name": "",
    # 06's unit line gives the other unit than its figures (and the text) are in: every figure of 06 is read in that
    # unit, its 人员/公用经费 (cost) and its economic rows (items)
    "unit_inconsistent": "cost,items",
    # the narrative's 收入、支出总计 differs from 01's 总计: the department totals
    "narrative_total_mismatch": "totals",
    # the 机关运行经费 change fits neither figure: the narrative's own stated change
    "stated_change_wrong": "narrative",
    # 决算数 大于/小于/等于 预算数 contradicts the figures: the narrative's own wording
    "comparison_word_wrong": "narrative",
    # 基本支出 占 N% of 本年支出合计 is wrong: the narrative's own share
    "share_wrong": "narrative",
    # 一般公共预算财政拨款支出 完成年初预算的 Z% is wrong: the gpb total's completion
    "completion_pct_wrong": "gpb",
    # 收、支总计各是X,Y with X ≠ Y: the department totals
    "joined_totals_differ": "totals",
    # 06's classes a cent off 人员经费合计, bare or with a rounding note: within rounding, recorded at info only
    "items_off_by_cent": "",
    "items_off_by_cent_noted": "",
    # 01's 本年收入合计 = 收入总计 beside a carry-over / 收入总计 off its parts: the department totals
    "income_total_ignores_carryover": "totals",
    "income_total_not_sum": "totals",
    # `123.45. 万元`: read past, recorded at info only
    "stray_point": "",
    # two 三公 items' 占X% swapped / 增长1.25% for 125%: the narrative's own share or rate
    "share_swapped": "narrative",
    "rate_as_ratio": "narrative",
    # the 三公 completion % is last year's change: the 三公 completion it states
    "completion_is_decline": "sangong",
    # shares copying the rates (the narrative's own) with 运行维护费 printed 0 under its subtotal (a 三公 figure)
    "shares_copy_rates": "narrative,sangong",
    # 100% while 决算 exceeds 预算 (the document's gpb total here): the completion it states
    "full_completion_over_budget": "gpb",
    # 0/0 stated as 100% (a warning: no figure contradicted) and 团组0个 with travellers: disclosure defects
    "zero_budget_full_completion": "",
    "groups_without_trips": "",
}
#: Kinds recorded by an info check only: no figure in doubt and no disclosure defect (quality.grade).
INFO_ONLY = {"items_off_by_cent", "items_off_by_cent_noted", "stray_point"}
#: etl/sample/figures.py INCONSISTENCIES: printed figures made inconsistent, and the groups they touch.
INJECTED_INCONSISTENCIES = {
    # 03 合计 is 100.00 over its first 类 row: the 03 totals and its rows (classes_sum_to_total, basic + project)
    "expenditure_total_vs_class_rows": "items,totals",
    # 人员经费合计 + 5.00: 06's cost figures (06 = 05 基本支出, 人员经费 = Σ its 类 rows)
    "personnel_public_vs_basic": "cost",
    # 三公 决算 合计 1.00 over its parts: the 三公 figures
    "sangong_parts_vs_total": "sangong",
    # the narrative's gpb 支出决算 12.30 over 05 合计: the gpb total
    "narrative_gpb_actual_vs_table": "gpb",
}
#: Kinds whose check is a warning (etl/parsing/checks/tables.py): two sources disagree and the analysis takes one
#: of them (the 三公 basis it is told; 05's 合计 over the narrative), so no figure is in doubt (figures_in_doubt
#: lists the groups of failed error checks only); their groups are named on the check.
WARNINGS_ONLY = {"sangong_parts_vs_total", "narrative_gpb_actual_vs_table"}
DISCLOSURE_ONLY = {k for k, v in INJECTED_ERRORS.items() if v == "" and k not in INFO_ONLY}
SEED = 9


def write_every_audit_error(out, seed: int = SEED) -> None:
    """One generated report per audit error kind (etl/sample/audit_errors.py), each kind once."""
    from etl.sample.audit_errors import KINDS
    from etl.sample.corpus import plan, write_forms
    from etl.sample.document import generate
    from etl.sample.layout import choose_layout

    docs = list(plan(4, 6, [2021, 2022]))
    assert len(docs) >= len(KINDS)
    for kind, (city, district, street, dept, year) in zip(KINDS, docs, strict=False):
        lay = choose_layout(seed, city, city + district, year, dept.key, {"inconsistency": None})
        write_forms(out / (city + district), generate(seed, city, district, street, dept, year, lay,
                                                      audit_error=kind), ("pdf",))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[tuple[str, dict, object]]:
    """(kind or '', truth, parsed) of a small generated corpus: every audit error kind once, every inconsistency
    once (forced, one document each), and three documents with neither. ~1 min on one core."""
    from etl.sample.corpus import write_corpus

    root = tmp_path_factory.mktemp("generated")
    write_every_audit_error(root / "errors")
    for kind in INJECTED_INCONSISTENCIES:
        write_corpus(root / kind, 1, 1, [2022], seed=SEED, seed_report=False, force={"inconsistency": kind})
    write_corpus(root / "clean", 1, 3, [2022], seed=SEED, seed_report=False, force={"inconsistency": None})
    out = []
    for js in sorted(root.rglob("*.json")):
        truth = json.loads(js.read_text(encoding="utf-8"))
        kinds = [e["kind"] for e in truth.get("injected_errors") or []]
        if truth.get("injected_inconsistency"):
            kinds.append(truth["injected_inconsistency"])
        assert len(kinds) <= 1, js
        out.append((kinds[0] if kinds else "", truth, parse_pdf(js.with_suffix(".pdf"), js.stem[:16])))
    return out


def _contradicting(doc) -> list[tuple[str, str, str]]:
    return [(c["check_id"], c["severity"], c["doubts"]) for c in doc.rows["checks"]
            if c["status"] == "fail" and c["severity"] != "info"]


def test_the_generated_corpus_carries_every_kind(generated):
    kinds = {kind for kind, _, _ in generated}
    assert kinds >= set(INJECTED_ERRORS) | set(INJECTED_INCONSISTENCIES) | {""}


def test_a_generated_report_without_injection_has_no_figure_in_doubt(generated):
    clean = [(truth["source_file"], doc) for kind, truth, doc in generated if not kind]
    assert len(clean) >= 3
    for name, doc in clean:
        assert doc.document["figures_in_doubt"] == "" and doc.document["quality"] != "fail", (name, _contradicting(doc))


def test_each_injected_kind_doubts_exactly_the_groups_it_touches(generated):
    expected = {**INJECTED_ERRORS, **INJECTED_INCONSISTENCIES}
    for kind, truth, doc in generated:
        if not kind:
            continue
        failed = _contradicting(doc)
        named = ",".join(sorted({g for _, _, d in failed for g in d.split(",") if g}))
        assert named == expected[kind], (kind, truth["source_file"], failed)
        in_doubt = "" if kind in WARNINGS_ONLY else expected[kind]
        assert doc.document["figures_in_doubt"] == in_doubt, (kind, failed)
        if kind in DISCLOSURE_ONLY:
            assert doc.document["disclosure_defects"] >= 1 and doc.document["quality"] != "fail", (kind, failed)
