"""Every check carries the severity of its one declared rule and a one-line Chinese message, and
both reach checks.parquet; a cache written by an older parser is re-parsed, never reused."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_fakes import calls, calls_log, fake_parse, fake_pdf

import etl
from etl.batch import pipeline
from etl.batch.fragments import TABLES_FILE, Fragment, parser_fingerprint, write_tables
from etl.batch.pipeline import BatchOptions, run_batch
from etl.batch.writer import to_arrow
from etl.dictionary import render as render_dictionary
from etl.parsing.checks import RULES, SEVERITIES, DocFigures, rule_for, run_checks
from etl.schema import CHECKS

CJK = re.compile(r"[\u4e00-\u9fff]")


def _fn(table_key: str, level: str, total: str, basic: str = "0", project: str = "0", code: str | None = None):
    return {"table_key": table_key, "level": level, "code": code, "total": D(total), "basic": D(basic),
            "project": D(project)}


def _figures(**changes) -> DocFigures:
    """A consistent document: 05 = 03 = 04 = 112.30, 06 = 05 基本, 三公 adds up, narrative agrees."""
    functions = [
        *(_fn(k, "total", "112.30", "100.00", "12.30") for k in ("expenditure", "gpb_expenditure")),
        *(_fn(k, "class", "112.30", "100.00", "12.30", "201") for k in ("expenditure", "gpb_expenditure")),
    ]
    sangong = [{"item": k, "budget": D(b), "actual": D(a)} for k, b, a in (
        ("total", "3.00", "2.50"), ("overseas", "1.00", "0.50"), ("vehicle_total", "1.00", "1.00"),
        ("vehicle_purchase", "0.00", "0.00"), ("vehicle_operation", "1.00", "1.00"), ("reception", "1.00", "1.00"))]
    figures = {
        "summary": [{"side": "income", "item": "grand_total", "amount": D("112.30")},
                    {"side": "expenditure", "item": "grand_total", "amount": D("112.30")}],
        "fiscal_summary": [{"side": "expenditure", "item": "expenditure_total", "amount": D("112.30"),
                            "values": {"gpb": D("112.30")}}],
        "function_rows": functions,
        "economic_rows": [{"level": "class", "cost_group": "personnel", "amount": D("80.00")},
                          {"level": "class", "cost_group": "public", "amount": D("20.00")}],
        "cost_totals": {"personnel_cost": D("80.00"), "public_cost": D("20.00")},
        "sangong": sangong,
        "statements": [SimpleNamespace(scope="gpb_total", actual=D("112.30")),
                       SimpleNamespace(scope="sangong_total", actual=D("2.50"))],
    }
    figures.update(changes)
    return DocFigures(**figures)


def _by_id(figures: DocFigures) -> dict:
    return {c.check_id: c for c in run_checks(figures)}


def test_rules_are_declared_once_with_a_known_severity() -> None:
    prefixes = [r.prefix for r in RULES]
    assert len(prefixes) == len(set(prefixes))
    assert {r.severity for r in RULES} <= set(SEVERITIES) == {"error", "warning", "info"}
    assert all(CJK.search(r.label) and r.rationale for r in RULES)
    with pytest.raises(KeyError, match="no rule"):
        rule_for("summary.grand_totals_balance_typo")
    assert rule_for("expenditure.classes_sum_to_total.basic").prefix == "expenditure.classes_sum_to_total"


@pytest.mark.parametrize("figures", [_figures(), DocFigures([], [], [], [], None, [], [])],
                         ids=["consistent", "nothing printed"])
def test_every_result_has_a_rule_severity_and_a_one_line_chinese_message(figures: DocFigures) -> None:
    results = run_checks(figures)
    assert results
    for c in results:
        assert c.severity == rule_for(c.check_id).severity
        assert CJK.search(c.message) and "\n" not in c.message, c
        assert c.status in ("pass", "skipped")
        assert ("相符" in c.message) if c.status == "pass" else ("未校验" in c.message)


def test_class_rows_not_adding_up_is_an_error_with_both_figures_and_the_gap() -> None:
    gpb = [_fn("gpb_expenditure", "total", "112.30", "100.00", "12.30"),
           _fn("gpb_expenditure", "class", "12.30", "0.00", "12.30", "201")]
    rows = [r for r in _figures().function_rows if r["table_key"] == "expenditure"] + gpb
    c = _by_id(_figures(function_rows=rows))["gpb_expenditure.classes_sum_to_total.total"]
    assert (c.status, c.severity) == ("fail", "error")
    assert "各类合计 12.30 与合计行 112.30 不符（差 100.00" in c.message
    assert c.message.startswith("一般公共预算财政拨款支出决算表（合计列）：")


@pytest.mark.parametrize(("change", "check_id", "severity", "words"), [
    ({"summary": [{"side": "income", "item": "grand_total", "amount": D("112.30")},
                  {"side": "expenditure", "item": "grand_total", "amount": D("110.00")}]},
     "summary.grand_totals_balance", "error", ["收入总计 112.30", "支出总计 110.00", "差 2.30"]),
    ({"fiscal_summary": [{"side": "expenditure", "item": "expenditure_total", "amount": D("100.00"),
                          "values": {"gpb": D("100.00")}}]},
     "gpb_expenditure.total_equals_fiscal_summary", "error", ["112.30", "100.00", "差 12.30"]),
    ({"cost_totals": {"personnel_cost": D("70.00"), "public_cost": D("20.00")}},
     "gpb_basic_expenditure.costs_equal_basic", "error", ["人员经费 + 公用经费 90.00", "基本支出 100.00"]),
    ({"cost_totals": {"personnel_cost": D("70.00"), "public_cost": D("30.00")}},
     "gpb_basic_expenditure.personnel_classes_sum", "error", ["人员经费各类之和 80.00", "人员经费合计 70.00"]),
    ({"function_rows": [*_figures().function_rows, _fn("expenditure", "item", "5.00", "1.00", "1.00", "2010101")]},
     "expenditure.total_is_basic_plus_project", "error", ["1 行", "2010101 1.00 + 1.00 ≠ 5.00"]),
    ({"statements": [SimpleNamespace(scope="gpb_total", actual=D("110.00"))]},
     "narrative.gpb_actual_matches_table", "warning", ["情况说明", "110.00", "112.30", "不符"]),
    ({"statements": [SimpleNamespace(scope="sangong_total", actual=D("9.00"))]},
     "narrative.sangong_matches_table", "warning", ["9.00", "2.50", "不符"]),
    ({"summary": [{"side": "income", "item": "income_total", "amount": D("100.00")},
                  {"side": "income", "item": "carryover_begin", "amount": D("10.00")},
                  {"side": "income", "item": "grand_total", "amount": D("112.30")}]},
     "summary.income_side_adds_up", "error", ["110.00", "112.30", "差 2.30"]),
    ({"summary": [{"side": "income", "item": "income_total", "amount": D("112.30")},
                  {"side": "income", "item": "carryover_begin", "amount": D("10.00")},
                  {"side": "income", "item": "grand_total", "amount": D("112.30")}]},
     "summary.income_total_includes_carryover", "error", ["本年收入合计与收入总计同为 112.30", "10.00"]),
    ({"summary": [{"side": "expenditure", "item": "expenditure_total", "amount": D("100.00")},
                  {"side": "expenditure", "item": "carryover_end", "amount": D("10.00")},
                  {"side": "expenditure", "item": "grand_total", "amount": D("112.30")}]},
     "summary.expenditure_side_adds_up", "error", ["110.00", "112.30", "差 2.30"]),
    ({"summary": [{"side": "income", "item": "fiscal_appropriation_income", "amount": D("100.00"),
                   "label": "财政拨款收入"},
                  {"side": "income", "item": "other_income", "amount": D("5.00")},
                  {"side": "income", "item": "income_total", "amount": D("110.00")}]},
     "summary.income_items_sum", "error", ["105.00", "110.00", "差 5.00"]),
    ({"function_rows": [_fn("expenditure", "total", "112.30", "100.00", "12.30"),
                        _fn("expenditure", "class", "100.00", "100.00", "0.00", "201"),
                        *(_fn("gpb_expenditure", lv, "112.30", "100.00", "12.30", c)
                          for lv, c in (("total", None), ("class", "201")))]},
     "expenditure.classes_sum_to_total.total", "error", ["100.00", "112.30", "差 12.30"]),
    ({"economic_rows": [{"level": "class", "cost_group": "personnel", "amount": D("80.00")},
                        {"level": "class", "cost_group": "public", "amount": D("25.00")}]},
     "gpb_basic_expenditure.public_classes_sum", "error", ["25.00", "20.00", "差 5.00"]),
    ({"sangong": [{"item": k, "budget": D(b), "actual": D(a)} for k, b, a in (
        ("total", "3.00", "2.50"), ("overseas", "1.00", "0.50"), ("vehicle_total", "1.00", "1.00"),
        ("vehicle_purchase", "0.00", "0.50"), ("vehicle_operation", "1.00", "1.00"), ("reception", "1.00", "1.00"))]},
     "sangong.vehicle_parts_sum.actual", "warning", ["1.50", "1.00", "差 0.50"]),
    ({"function_rows": [*_figures().function_rows, _fn("gpb_expenditure", "item", "5.00", "5.00", "0.00", "2010101")],
      "statements": [SimpleNamespace(scope="item", actual=D("6.00"), code="2010101", path="类/款/行政运行", page=9)]},
     "narrative.items_match_table", "warning", ["行政运行", "6.00", "5.00", "不符"]),
    ({"function_rows": [*_figures().function_rows, _fn("gpb_expenditure", "item", "5.00", "1.00", "1.00",
                                                       "2010101")]},
     "gpb_expenditure.total_is_basic_plus_project", "error", ["1 行", "2010101 1.00 + 1.00 ≠ 5.00"]),
    *(({"function_rows": [*_figures().function_rows, _fn(key, "class", "0.00", code="201"),
                          _fn(key, "class", "0.00", code="201")]},
       f"{key}.codes_unique", "error", ["201", "出现不止一次"])
      for key in ("expenditure", "gpb_expenditure", "fiscal_expenditure")),
    ({"economic_rows": [{"level": "class", "code": "302", "cost_group": "public", "amount": D("20.00")},
                        {"level": "class", "code": "302", "cost_group": "public", "amount": D("0.00")}]},
     "gpb_basic_expenditure.codes_unique", "error", ["302", "出现不止一次"]),
])
def test_each_kind_of_disagreement_has_its_severity(change, check_id, severity, words) -> None:
    c = _by_id(_figures(**change))[check_id]
    assert (c.status, c.severity) == ("fail", severity), c
    assert all(w in c.message for w in words), c.message


def test_sangong_parts_against_the_printed_total_is_a_warning() -> None:
    sangong = [dict(r) for r in _figures().sangong]
    next(r for r in sangong if r["item"] == "total")["actual"] = D("3.50")  # parts: 0.50 + 1.00 + 1.00
    c = _by_id(_figures(sangong=sangong))["sangong.parts_sum_to_total.actual"]
    assert (c.status, c.severity) == ("fail", "warning")
    assert c.message == ("“三公”经费支出决算表（决算数）：因公出国（境）+ 公务用车 + 公务接待 2.50 与合计 3.50 不符"
                         "（差 1.00，允许 0.03）")


def test_severity_and_message_are_declared_columns_and_survive_to_arrow() -> None:
    assert {"severity", "message"} <= set(CHECKS.column_names)
    assert all(c.nullable for c in CHECKS.columns if c.name in ("severity", "message"))
    rows = [{"doc_id": "d", **vars(c)} for c in run_checks(_figures())]
    table = to_arrow("checks", rows)
    assert table.column("severity").null_count == 0 and table.column("message").null_count == 0


def test_the_data_dictionary_lists_every_rule_with_its_severity() -> None:
    text = render_dictionary()
    for rule in RULES:
        assert re.search(rf"\| {re.escape(rule.prefix)}(\.\{{[a-z,]+\}})? \| {rule.severity} \| "
                         rf"{re.escape(rule.label)} \|", text), rule.prefix


def test_the_real_pipeline_writes_severity_and_message_to_parquet(tmp_path: Path, real_pdfs) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(real_pdfs["finance"], raw / "finance.pdf")
    run_batch(BatchOptions(raw, tmp_path / "out", progress=False, jobs=1, timeout=120))
    checks = pq.read_table(tmp_path / "out/checks.parquet").to_pylist()
    assert len(checks) > 15
    for c in checks:
        assert c["severity"] == rule_for(c["check_id"]).severity and CJK.search(c["message"])
    by_id = {c["check_id"]: c for c in checks}
    assert by_id["sangong.parts_sum_to_total.actual"]["severity"] == "warning"
    assert by_id["gpb_expenditure.classes_sum_to_total.total"]["message"] == (
        "一般公共预算财政拨款支出决算表（合计列）：各类合计 2940.06 与合计行 2940.05 相符"
        "（差 0.01，在四舍五入允许的 0.04 以内）")


# -- the cache: a fragment of an older parser (checks without severity/message) ----------------


@pytest.mark.parametrize("changed", ["parsing/checks/tables.py", "parsing/checks/base.py", "schema.py",
                                     "pagesource/text_layer.py", "parsing/locate.py"])
def test_checks_and_schema_are_part_of_the_parser_fingerprint(tmp_path: Path, changed: str) -> None:
    copy = tmp_path / "etl"
    shutil.copytree(Path(etl.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = parser_fingerprint(copy)
    with open(copy / changed, "a", encoding="utf-8") as fh:
        fh.write("\n# a change\n")
    assert parser_fingerprint(copy) != before


@pytest.mark.parametrize("unchanged", ["batch/pipeline.py", "reports/audit.py", "analysis/__init__.py",
                                       "sample/catalog.py"])
def test_the_batch_reports_analysis_and_sample_are_not_part_of_the_parser_fingerprint(tmp_path, unchanged):
    copy = tmp_path / "etl"
    shutil.copytree(Path(etl.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = parser_fingerprint(copy)
    with open(copy / unchanged, "a", encoding="utf-8") as fh:
        fh.write("\n# a change\n")
    assert parser_fingerprint(copy) == before


def test_a_cache_of_an_older_parser_is_reparsed_not_reused(tmp_path: Path, monkeypatch) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    monkeypatch.setattr(pipeline, "parser_version", lambda: "old+1")
    run_batch(BatchOptions(raw, out, progress=False, jobs=1, timeout=30), parser=fake_parse)
    # make the old fragment look like one written before the severity and message columns existed
    path = next(p for p in (out / ".cache/fragments/old+1").iterdir() if p.is_dir()) / TABLES_FILE
    fragment = Fragment.read(path)
    old = pa.table({"doc_id": ["x"], "check_id": ["summary.grand_totals_balance"], "status": ["fail"],
                    "detail": ["01 总计 income vs expenditure: 1.00 vs 2.00"]})
    write_tables(path, {**{name: fragment.table(name) for name in fragment.names}, "checks": old})

    monkeypatch.setattr(pipeline, "parser_version", lambda: "new+2")
    result = run_batch(BatchOptions(raw, out, progress=False, jobs=1, timeout=30), parser=fake_parse)
    assert result.reparsed_for_new_parser == 1 and len(calls(calls_log(raw))) == 2
    table = pq.read_table(out / "checks.parquet")
    assert {"severity", "message"} <= set(table.column_names)
    assert "x" not in table.column("doc_id").to_pylist()
    assert not (out / ".cache/fragments/old+1").exists()


def test_every_table_rule_has_a_case_that_fires_and_the_consistent_document_passes_it() -> None:
    """Each rule of etl/parsing/checks/tables.py fails in a case above, and passes on the consistent document."""
    from etl.parsing.checks.tables import RULES as TABLE_RULES

    cases = test_each_kind_of_disagreement_has_its_severity.pytestmark[0].args[1]
    # the two cases tested on their own above
    fired = {rule_for(check_id).prefix for _, check_id, _, _ in cases} | {"sangong.parts_sum_to_total",
                                                                          "gpb_expenditure.classes_sum_to_total"}
    assert {r.prefix for r in TABLE_RULES} <= fired
    consistent = [c for c in run_checks(_figures()) if rule_for(c.check_id) in TABLE_RULES]
    assert consistent and all(c.status in ("pass", "skipped") for c in consistent), [
        c for c in consistent if c.status == "fail"]
