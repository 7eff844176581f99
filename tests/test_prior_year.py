"""Prior-year figures as data (issue 21 point 2): the narrative's year-on-year statements with the prior value
they imply, and the restatement check of a report's prior year against last year's own report."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from etl.analysis import connect
from etl.parsing.claims import extract
from etl.parsing.parse import parse_pdf
from etl.parsing.prior_year import prior_year_rows
from etl.sample import catalog as cat
from etl.sample.corpus import _write
from etl.sample.document import generate
from etl.sample.layout import choose_layout
from tests.prior_year_real_truth import REAL_PRIOR_YEAR
from tests.prior_year_scoring import prior_year_misses

REPO = Path(__file__).resolve().parents[1]
GZ = ("广州市", "天河区", "石牌街道")
DEPT = {d.key: d for d in cat.DEPT_TYPES}


def rows(text: str) -> list[dict]:
    return prior_year_rows(extract(text, [(0, 3)]), [])


def by_subject(text: str) -> dict:
    return {(r["scope"], r["path"]): r for r in rows(text)}


def test_sangong_items_after_qizhong_are_statements_of_last_year():
    got = by_subject("“三公”经费财政拨款支出决算为30.00万元。与上年相比，“三公”经费财政拨款支出决算数比2023年度"
                     "减少10.00万元，下降25.00%。其中：因公出国（境）费支出决算增加2.00万元，增长25.00%；"
                     "公务接待费支出决算持平。1．因公出国（境）费支出10.00万元。3．公务接待费支出5.00万元。")
    total = got[("sangong_total", None)]
    assert (total["actual"], total["change"], total["change_pct"]) == (Decimal("30.00"), Decimal("-10.00"),
                                                                       Decimal("-25.00"))
    assert total["prior_implied"] == Decimal("40.00") and total["implied_from"] == "change"
    overseas = got[("sangong_item", "overseas")]
    assert overseas["actual"] == Decimal("10.00") and overseas["prior_implied"] == Decimal("8.00")
    reception = got[("sangong_item", "reception")]
    assert reception["implied_from"] == "flat" and reception["prior_implied"] == Decimal("5.00")


def test_percent_only_statement_implies_prior_with_its_rounding_interval():
    got = by_subject("“三公”经费财政拨款支出决算为12.00万元。与上年相比，2024年度“三公”经费财政拨款支出决算数"
                     "较2023年决算数增长20.00%。")[("sangong_total", None)]
    assert got["change"] is None and got["change_pct"] == Decimal("20.00") and got["implied_from"] == "pct"
    assert got["prior_implied"] == Decimal("10.0000")
    # 12.00 ± 0.005 over 1.2 ± 0.00005: the prior lies in [9.9954, 10.0046]
    assert Decimal("9.995") < got["prior_low"] < Decimal("9.996")
    assert Decimal("10.004") < got["prior_high"] < Decimal("10.005")


def test_printed_prior_figure_is_the_stated_prior():
    got = by_subject("2024年度本部门机关运行经费支出120.50万元，上年决算数为100.00万元，比2023年度增加20.50万元，"
                     "增长20.50%。主要原因：人员增加。")[("admin_operation", None)]
    assert got["prior_stated"] == Decimal("100.00") and got["implied_from"] == "stated"


def test_template_printing_decline_with_a_negative_sign_is_an_increase():
    got = by_subject("“三公”经费财政拨款支出决算为50.00万元。与上年相比，2024年度“三公”经费财政拨款支出决算数比"
                     "2023年度减少-5.00万元，下降-11.11%。")[("sangong_total", None)]
    assert got["change"] == Decimal("5.00") and got["change_pct"] == Decimal("11.11")
    assert got["prior_implied"] == Decimal("45.00")


def test_comparison_with_the_budget_is_no_prior_year_statement():
    assert rows("一般公共预算财政拨款支出100.00万元，比年初预算增加10.00万元，增长11.11%。") == []


# -- end to end: one department over two years, restated; another clean ------------------------------


def _pair(raw: Path, key: str, years: tuple[int, int]) -> list[dict]:
    truths = []
    for year in years:
        lay = choose_layout(5, GZ[0], GZ[0] + GZ[1], year, key, {"inconsistency": None})
        g = generate(5, *GZ, DEPT[key], year, lay)
        _write(raw, g.file_name, g.pdf, g.truth)
        truths.append(g.truth)
    return truths


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    restated = _pair(raw, "人力资源和社会保障局", (2021, 2022))
    clean = _pair(raw, "财政局", (2020, 2021))
    run = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out)], capture_output=True,
                         text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return out, restated, clean


def test_generated_statements_score_one_against_truth(corpus):
    out, restated, clean = corpus
    assert all(t["prior_year_statements"] for t in restated + clean)
    assert prior_year_misses(out, restated + clean) == []


def test_restated_prior_year_is_flagged_and_a_clean_one_is_not(corpus):
    out, restated, clean = corpus
    assert "prior_year_restated" in restated[1] and "prior_year_restated" not in clean[1]
    con = connect(out)
    flagged = con.execute("SELECT department, year, scope, stated_prior, reported_prior FROM prior_year_restatements "
                          "WHERE restated").fetchall()
    assert flagged == [(restated[1]["department"], restated[1]["year"], t["scope"], pytest.approx(t["stated_prior"]),
                        pytest.approx(t["reported_prior"])) for t in restated[1]["prior_year_restated"]]
    compared = con.execute("SELECT count(*) FROM prior_year_restatements WHERE department = ? AND within_rounding",
                           [clean[1]["department"]]).fetchone()[0]
    assert compared >= 5  # grand, fiscal, gpb, 三公 and its items, 机关运行经费: each compared, none restated
    json.dumps(flagged)  # plain values: the export can list them


# -- the real reports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REAL_PRIOR_YEAR))
def test_real_reports_prior_year_statements_match_our_transcription(real_pdfs, name):
    parsed = parse_pdf(real_pdfs[name], name)
    got = {(r["scope"], r["path"]): (r["actual"], r["change"], r["change_pct"], r["page"])
           for r in parsed.rows["prior_year_statements"]}
    want = {k: (Decimal(a), Decimal(c), Decimal(p), page) for k, (a, c, p, page) in REAL_PRIOR_YEAR[name].items()}
    assert got == want


def test_prior_report_without_a_yoy_statement_is_compared_through_its_headline_figures(corpus):
    out, restated, _ = corpus
    con = connect(out)  # cur_prior_year_statements a temp table: the prior report's gpb statement as if not printed
    con.execute("DELETE FROM cur_prior_year_statements WHERE year = ? AND scope = 'gpb_total'", [restated[0]["year"]])
    row = con.execute("SELECT reported_from, reported_prior, restated FROM prior_year_restatements "
                      "WHERE year = ? AND scope = 'gpb_total'", [restated[1]["year"]]).fetchone()
    assert row == ("tables", pytest.approx(restated[0]["gpb_expenditure_total_row"]["total"]), True)


def test_subject_lookahead_admits_every_subject_first_character():
    """_SUBJECT's leading lookahead (a speed-up) must admit each subject's first character, or that subject is
    never found: a subject pattern is a literal, optionally led by one optional group (`(?:本年)?`)."""
    import re

    from etl.parsing.prior_year import _SUBJECT, SUBJECT_STARTS, SUBJECTS

    for _, _, pattern in SUBJECTS:
        optional = re.match(r"\(\?:([^()]+)\)\?", pattern)
        firsts = {pattern[optional.end()], optional.group(1)[0]} if optional else {pattern[0]}
        assert firsts <= set(SUBJECT_STARTS), pattern
        assert all(c not in "([\\.?*+" for c in firsts), pattern  # a literal first character, as assumed
    plain = re.compile("|".join(f"(?P<s{i}>{p})" for i, (_, _, p) in enumerate(SUBJECTS)))
    text = ("本年收入合计100万元，收入、支出总计，财政拨款收入和支出合计，一般公共预算财政拨款支出，"
            "“三公”经费、三公\"经费，公务用车购置及运行维护费、公务用车运行费、公务用车购置费、因公出国（境）费、公务接待费、机关运行经费，本年支出总额。")
    assert [(m.span(), m.lastgroup) for m in _SUBJECT.finditer(text)] == \
        [(m.span(), m.lastgroup) for m in plain.finditer(text)]
