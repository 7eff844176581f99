"""The narrative's claims (etl/parsing/claims.py) and the checks on them (etl/parsing/checks/claims.py): extraction on
real wordings, one firing and one silent fixture per rule, the real reports and a generated corpus."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from etl.parsing.checks import rule_for
from etl.parsing.checks.base import DocFigures
from etl.parsing.checks.claims import claim_checks
from etl.parsing.claims import extract, topic_of
from etl.parsing.parse import parse_pdf

REPO = Path(__file__).resolve().parents[1]


def _claims(text: str):
    return extract(re.sub(r"\s+", "", text), [(0, 7)])


def _figures(**kw) -> DocFigures:
    base = {"summary": [], "fiscal_summary": [], "function_rows": [], "economic_rows": [], "cost_totals": None,
            "sangong": [], "statements": []}
    base.update(kw)
    return DocFigures(**base)


def _fails(text: str, figures: DocFigures | None = None, prefix: str = "claims.") -> list:
    out = claim_checks(figures or _figures(), _claims(text))
    for c in out:
        assert c.severity == rule_for(c.check_id).severity and "\n" not in c.message
    return [c for c in out if c.status == "fail" and c.check_id.startswith(prefix)]


# -- extraction -------------------------------------------------------------------------------------

SEED = """广州市天河区人民政府政务管理办公室 2017 年度总收入
3,468.16 万元，其中本年收入 3,463.96 万元。具体情况如下：
1．财政拨款收入 3,457.23 万元， 比上年决算数增加
1,377.57万元，增长 66.24%，主要变动情况：一是新增项目。
5．其他收入 6.74 万元， 比上年决算数增加 3.82万元，增
长 131.16%，主要变动情况：一是上级返拨的党员活动经费增加。
广州市天河区人民政府政务管理办公室 2017 年度“三公”
经费财政拨款支出决算为 1.65 万元，完成预算 6.00 万元的
27.50% 。其中：因公出国（境）费支出决算为 0 万元，完成预
算 0 万元的 0.00% ；公务用车购置及运行费支出决算为 1.65
万元，完成预算 3.00 万元的 55.00% 。
2017 年度“三公”经费支出决算 小于 预算数的主要情况：认真贯彻落实。
与上年相比， 2017 年度“三公”经费财政拨款支出决算数
比上年 减少 4.32 万元， 下降 72.30% 。其中：公务用车购置及运行费支
出决算 减少 4.25万元，下降 72.03% 。"""


def test_the_seed_wordings_are_read_with_their_figures() -> None:
    c = _claims(SEED)
    topics = {(a.topic, a.role): a.value for a in c.amounts if not a.change}
    assert topics[("总收入", None)] == D("3468.16") and topics[("本年收入", None)] == D("3463.96")
    assert topics[("三公经费财政拨款支出", "actual")] == D("1.65")
    changes = {(x.topic, x.direction): x for x in c.changes if x.amount is not None}
    other = changes[("其他收入", "增加")]
    assert (other.amount.value, other.pct_word, other.pct, other.current.value) == (D("3.82"), "增长", D("131.16"),
                                                                                  D("6.74"))
    sg = changes[("三公经费财政拨款支出", "减少")]
    assert (sg.current.value, sg.pct) == (D("1.65"), D("72.30"))  # the figure from an earlier sentence
    vehicle = changes[("公务用车购置及运行费支出", "减少")]  # a 其中 sentence continues the year-on-year base
    assert (vehicle.current.value, vehicle.base) == (D("1.65"), "prior_year")
    done = [(x.actual.value, [b.value for b in x.budgets], x.pct) for x in c.completions]
    assert (D("1.65"), [D("6.00")], D("27.50")) in done and (D("1.65"), [D("3.00")], D("55.00")) in done
    word = c.comparisons[0]
    assert (word.word, word.actual.value, word.budgets[0].value) == ("小于", D("1.65"), D("6.00"))
    assert all(s.page == 7 for s in c.sentences)


def test_thousands_separators_full_width_digits_yuan_and_page_marks() -> None:
    first = "本年支出合计１２,３４５.６７万元，其中：基本支出12,000,000元，占97.20%；项目支出345.67万元，占2.80%。"
    c = extract(first + "机关运行经费支出1.00万元。", [(0, 3), (len(first), 4)])
    amounts = [(a.topic, a.value) for a in c.amounts]
    assert ("本年支出合计", D("12345.67")) in amounts and ("基本支出", D("1200")) in amounts
    assert [s.page for s in c.sentences] == [3, 4]
    assert [(s.figure.topic, s.pct, s.total.value) for s in c.shares] == [
        ("基本支出", D("97.20"), D("12345.67")), ("项目支出", D("2.80"), D("12345.67"))]


def test_subjects_lose_headings_years_and_role_words() -> None:
    assert topic_of("七、财政拨款“三公”经费支出决算情况说明（一）“三公”经费财政拨款支出年初预算为") == (
        "三公经费财政拨款支出", "initial_budget")
    assert topic_of("上海市普陀区教育局2021年度收入、支出总计均为") == ("收入支出总计", None)
    assert topic_of("全年预算为") == ("", "full_year_budget")


# -- one firing and one silent fixture per rule -------------------------------------------------------

SUMMARY = [{"side": "income", "item": "grand_total", "amount": D("2995.39")},
           {"side": "expenditure", "item": "grand_total", "amount": D("2995.39")},
           {"side": "income", "item": "income_total", "amount": D("2946.25")}]
TOTAL = "XX局2024年度收入支出总计{}万元。本年收入合计2946.25万元。"


def test_total_matches_table() -> None:
    figures = _figures(summary=SUMMARY)
    assert not _fails(TOTAL.format("2995.39"), figures)
    bad = _fails(TOTAL.format("0"), figures)
    assert [(c.check_id, c.severity, c.value_a, c.value_b, c.source_b) for c in bad] == [
        ("claims.total_matches_table", "error", D("0.00"), D("2995.39"), "收入支出决算总表 收入总计")]
    assert "第7页" in bad[0].message and bad[0].pages == "7" and bad[0].source_a == "情况说明第7页"
    near = _fails(TOTAL.format("2995.38"), figures)
    assert [(c.check_id, c.severity) for c in near] == [("claims.total_matches_table.rounding", "warning")]


def test_total_matches_table_classes_costs_and_sangong() -> None:
    rows = [{"table_key": "gpb_expenditure", "level": "total", "code": None, "name": "合计", "total": D("100.00"),
             "basic": D("80.00"), "project": D("20.00")},
            {"table_key": "gpb_expenditure", "level": "class", "code": "201", "name": "一般公共服务支出",
             "total": D("100.00"), "basic": D("80.00"), "project": D("20.00")}]
    sangong = [{"item": k, "budget": D(b), "actual": D(a)} for k, b, a in (
        ("total", "3.00", "1.00"), ("overseas", "0", "0"), ("vehicle_total", "2.00", "1.00"),
        ("vehicle_purchase", "0", "0"), ("vehicle_operation", "2.00", "1.00"), ("reception", "1.00", "0"))]
    figures = _figures(function_rows=rows, sangong=sangong,
                       cost_totals={"personnel_cost": D("70.00"), "public_cost": D("10.00")})
    text = ("主要用于以下方面：一般公共服务支出（类）{}万元，占100.00%。其中：人员经费70.00万元，公用经费{}万元。"
            "“三公”经费财政拨款支出年初预算为{}万元，支出决算为1.00万元。")
    assert not _fails(text.format("100.00", "10.00", "3.00"), figures, "claims.total")
    bad = _fails(text.format("90.00", "12.00", "0.95"), figures, "claims.total")
    assert sorted(c.value_b for c in bad) == [D("3.00"), D("10.00"), D("100.00")]
    assert {c.severity for c in bad} == {"error"}
    # a blank 三公 table is the completeness checks' finding, not this one's
    figures.empty_tables = {"sangong"}
    assert len(_fails(text.format("90.00", "12.00", "0.95"), figures, "claims.total")) == 2


def test_the_fiscal_total_is_a_warning() -> None:
    figures = _figures(fiscal_summary=[{"side": "income", "item": "grand_total", "amount": D("2961.68")}])
    assert not _fails("XX局2024年度财政拨款收入支出总计2961.68万元。", figures)
    bad = _fails("XX局2024年度财政拨款收入支出总计0.3万元。", figures)
    assert [(c.check_id, c.severity) for c in bad] == [("claims.total_matches_table.fiscal_total", "warning")]


CHANGE = "XX局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计{}。"


@pytest.mark.parametrize(("words", "expected"), [
    ("减少56.95万元，下降1.87%", None),
    ("减少56.95万元，下降2.87%", ("claims.stated_change", "error")),
    ("减少56.95万元，增长1.87%", ("claims.stated_change", "error")),
    ("增加56.95万元，增长1.87%", ("claims.stated_change", "error")),   # 2995.39 − 56.95 gives 1.94%
    ("减少56.95万元，下降1.85%", ("claims.stated_change.rounding", "warning")),  # 1.86 truncates: fine
    ("持平", None),
    ("增加0万元，增长0%，与上年持平", None),
    ("增加0万元，增长3.00%", ("claims.stated_change", "error")),
])
def test_stated_change(words: str, expected) -> None:
    bad = _fails(CHANGE.format(words), prefix="claims.stated_change")
    assert [(c.check_id, c.severity) for c in bad] == ([expected] if expected else [])


def test_stated_change_of_the_seed_passes_within_the_rounding_of_its_figures() -> None:
    # 3.82 / (6.74 − 3.82) = 130.82%, printed 131.16%: inside what 6.74 ± 0.005 and 3.82 ± 0.005 allow
    assert not _fails(SEED)


@pytest.mark.parametrize(("text", "fires"), [
    ("年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员变动。", False),
    ("年初预算为1560.05万元，支出决算为1511.89万元。决算数大于预算数的主要原因：人员变动。", True),
    ("年初预算为10.00万元，支出决算为10.00万元。决算数与预算数基本持平。", False),
    ("年初预算为10.00万元，支出决算为12.00万元。决算数与预算数持平。", True),
    ("年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元。决算数小于预算数。", False),
    ("年初预算为300.00万元，支出决算为307.82万元。决算数未达到预算数。", True),
    ("一般公共预算财政拨款支出年初预算3,063.51万元。一般公共预算财政拨款支出3,457.23万元，比年初预算数减少393.72万元，"
     "下降12.85%。", True),
])
def test_comparison_word(text: str, fires: bool) -> None:
    bad = _fails(text, prefix="claims.comparison_word")
    assert bool(bad) == fires and all(c.severity == "error" for c in bad)


SHARES = "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占{}%；其他收入6.2万元，占{}%。"


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("99.79", "0.21", set()),
    ("89.79", "0.21", {("claims.share", "error")}),
    ("99.84", "0.21", {("claims.share.rounding", "warning")}),   # 0.05 off, list sums to 100.05
])
def test_share(a: str, b: str, expected) -> None:
    bad = _fails(SHARES.format(a, b), prefix="claims.share")
    assert {(c.check_id, c.severity) for c in bad} == expected


def test_a_truncated_share_is_not_a_finding() -> None:
    text = "其中本年支出3,457.26万元。一般公共预算财政拨款支出3,457.23万元，占本年支出合计的99.99%。"
    assert not _fails(text)


@pytest.mark.parametrize(("pct", "expected"), [
    ("98.20", None), ("99.20", ("claims.completion_pct", "error")),
    ("98.19", ("claims.completion_pct.rounding", "warning")),
])
def test_completion_pct(pct: str, expected) -> None:
    text = f"一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的{pct}%。"
    bad = _fails(text, prefix="claims.completion")
    assert [(c.check_id, c.severity) for c in bad] == ([expected] if expected else [])


def test_completion_against_the_full_year_budget_when_the_initial_one_is_zero() -> None:
    text = "一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。"
    assert not _fails(text)
    assert _fails(text.replace("95.89", "85.89"))


def test_a_completion_of_a_part_never_borrows_the_total_budget() -> None:
    text = ("“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费决算为"
            "0.50万元，完成预算的50%。")
    assert not _fails(text, prefix="claims.completion")


# -- real and generated documents ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_checks(real_pdfs) -> dict:
    return {k: [c for c in parse_pdf(p, k).rows.get("checks", []) if c["check_id"].startswith("claims.")]
            for k, p in real_pdfs.items() if k != "template"}


def test_the_real_reports_give_no_error_and_their_genuine_slips_as_warnings(real_checks) -> None:
    for name, checks in real_checks.items():
        assert not [c for c in checks if c["status"] == "fail" and c["severity"] == "error"], name
        assert {c["check_id"] for c in checks if c["status"] == "pass"} >= {
            "claims.total_matches_table", "claims.stated_change", "claims.comparison_word", "claims.share",
            "claims.completion_pct"}, name
    # the genuine report's own slips (its ground truth notes them): 0.3 for 2,961.68 and 71.73% for 71.65%
    warned = {(c["check_id"], c["value_a"]) for c in real_checks["finance"] if c["status"] == "fail"}
    assert ("claims.total_matches_table.fiscal_total", D("0.30")) in warned
    assert ("claims.share.rounding", D("71.73")) in warned
    assert not [c for c in real_checks["social"] if c["status"] == "fail"]


def test_a_generated_corpus_gives_no_claims_error(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    for args in (["sample", "--out", str(raw), "--regions", "2", "--departments", "3", "--years", "2021-2022",
                  "--seed", "5"], ["etl", str(raw), "--out", str(out)]):
        run = subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, cwd=REPO,
                             timeout=900)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    con = duckdb.connect()
    rows = con.execute(f"SELECT check_id, status, severity, message FROM '{out}/checks.parquet' "
                       "WHERE check_id LIKE 'claims.%'").fetchall()
    assert {r[0] for r in rows if r[1] == "pass"} >= {"claims.total_matches_table", "claims.stated_change",
                                                      "claims.share", "claims.completion_pct"}
    assert not [r for r in rows if r[1] == "fail" and r[2] == "error"], rows


def test_a_sentence_does_not_run_on_across_the_table_pages_between_two_narrative_parts():
    """Page 5 ends without 。 and the narrative resumes on page 21 (tables in between): two sentences."""
    from etl.parsing.claims import split_sentences

    text = "本部门由本级组成，并入本级收入支出总计2995.39万元。"
    cut = text.index("收入")
    sentences = split_sentences(text, [(0, 5), (cut, 21)])
    assert [(s.text, s.page) for s in sentences] == [(text[:cut], 5), (text[cut:], 21)]


def test_a_parenthesised_sub_amount_is_not_the_items_own_figure() -> None:
    """Real wording (issue 17, defect 3): "国内公务接待支出0.39万（含外宾接待支出0.00万元）" — the 0.00 inside the
    parentheses is 外宾接待's; it is not read as 公务接待 = 0.00 against the table's 0.39."""
    sangong = [{"item": "reception", "budget": D("0.50"), "actual": D("0.39")}]
    text = "公务接待费支出0.39万元，其中：国内公务接待支出0.39万（含外宾接待支出0.00万元），国内公务接待3批次。"
    assert not _fails(text, _figures(sangong=sangong), "claims.total")
    # the twin that fires: the item's own figure outside the parentheses is still checked
    wrong = "公务接待费支出0.29万元（含外宾接待支出0.00万元）。"
    assert [c.value_b for c in _fails(wrong, _figures(sangong=sangong), "claims.total")] == [D("0.39")]


def test_a_figure_of_the_other_basis_is_a_disclosure_slip_not_a_contradiction() -> None:
    """A real misprint (issue 17, defect 2): the gpb section states the all-funds 基本支出 (03's) where it names
    the gpb one (05's). The tables are right, so it is a warning naming the other basis, not an error; a figure of
    neither basis still fails as an error."""
    rows = [{"table_key": "gpb_expenditure", "level": "total", "code": None, "name": "合计", "total": D("100.00"),
             "basic": D("80.00"), "project": D("20.00")},
            {"table_key": "expenditure", "level": "total", "code": None, "name": "合计", "total": D("130.00"),
             "basic": D("90.00"), "project": D("40.00")}]
    text = "一般公共预算财政拨款基本支出{}万元。"
    slip = _fails(text.format("90.00"), _figures(function_rows=rows), "claims.total")
    assert [(c.check_id, c.severity, c.value_a, c.value_b) for c in slip] == [
        ("claims.total_matches_table.basis", "warning", D("90.00"), D("90.00"))]
    assert "口径" in slip[0].message and "支出决算表 合计行基本支出" in slip[0].source_b
    wrong = _fails(text.format("95.00"), _figures(function_rows=rows), "claims.total")
    assert [(c.check_id, c.severity) for c in wrong] == [("claims.total_matches_table", "error")]
    assert not _fails(text.format("80.00"), _figures(function_rows=rows), "claims.total")


@pytest.mark.parametrize("text", [
    "“三公”经费财政拨款支出预算为123,456.00万元，支出决算为11.23万元，完成预算的90.97%。",
    "一般公共预算财政拨款支出年初预算为2,000.00万元，支出决算为1,900.00元，完成年初预算的95.00%。",
])
def test_a_unit_slip_the_completion_rate_proves_is_reported_and_the_figures_kept_as_printed(text):
    (fail,) = _fails(text, prefix="claims.completion_pct")
    assert "单位误标" in fail.message and "数字按原文记录" in fail.message


def test_a_wrong_rate_is_not_called_a_unit_slip():
    (fail,) = _fails("“三公”经费财政拨款支出预算为20.00万元，支出决算为11.23万元，完成预算的90.97%。",
                     prefix="claims.completion_pct")
    assert "单位误标" not in fail.message
