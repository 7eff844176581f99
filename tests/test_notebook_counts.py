"""What notebooks 01, 02 and 05 count and say, executed on the hand-built corpus of
tests/selection_fixture.py. Expected figures come from the fixture's own dictionaries in plain
Python (or are written down by hand), never through the views."""

from __future__ import annotations

import json
import re

import pytest
import selection_fixture as fx
from test_report import NOTEBOOKS

from etl.reports.notebooks import execute_notebook


def _text(nb) -> str:
    """Every output of the executed notebook as plain text, Markdown escapes removed."""
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            data = o.get("data", {})
            parts.append(data.get("text/markdown") or data.get("text/html") or o.get("text", ""))
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    return fx.write(tmp_path_factory.mktemp("counts"))


def _run(stem, parquet, monkeypatch=None, **values):
    """Execute a notebook with its parameters cell's values set (REGION=, DEPARTMENT=, YEARS=)."""
    return _text(execute_notebook(NOTEBOOKS / f"{stem}.py", parquet, values=values))


def test_01_counts_files_and_reports_apart_missing_tables_and_serious_checks(parquet, monkeypatch):
    text = _run("01_overview", parquet, monkeypatch)
    # 33 reports: 25 district department-years, the narrative file, 4 central reports in 2 volume files,
    # the university, 丙区司法局, the province; the two volumes hold two reports each: 31 files
    assert "共 31 个 PDF 文件、33 份报告（合订的文件拆成各自的报告，多出 2 份）" in text
    assert "覆盖 3 个区县、1 个省级地区（另有中央部门，不计为地区）" in text
    # only 丙区司法局's 三公 table is owed and missing
    assert "缺失最多的标准表是「“三公”经费支出决算表」，1 份报告未找到" in text
    # the info rule fails in 6 reports, the error in 1: the headline names the error
    assert "未通过最多的校验（错误或警告）是「一般公共预算财政拨款支出决算表" in text
    assert "（错误，1 份报告）" in text


def test_02_leaves_units_out_and_uses_the_latest_adequate_year(parquet, monkeypatch):
    text = _run("02_sangong", parquet, monkeypatch)
    # 2022, not the thin 2023: the district departments (乙区财政局 2020 is gated out, not 2022) plus
    # 某部 and 某省财政厅; 某部直属中心 (a unit) is out
    rows = [(a, b) for (r, t, y), (a, b) in fx.SANGONG.items() if y == 2022] + [(100, 120), (80, 90)]
    actual, budget = sum(a for a, _ in rows), sum(b for _, b in rows)
    assert (actual, budget) == (288, 354)
    assert f"2022 年这 {len(rows)} 个部门的三公经费决算合计 {actual:.2f} 万元，预算合计 {budget:.2f} 万元" in text
    assert "2023 年只有少数部门-年度" in text and "覆盖充分的 2022 年" in text
    # no YoY high/low over regions holding fewer than 3 balanced departments
    assert "同比最高的是" not in text
    # 中央 is listed apart, never as a 地区 beside the districts
    assert "区县以外的地区" in text


def test_02_draws_the_trend_over_the_balanced_panel_and_says_its_n(parquet, monkeypatch):
    """Issue 21 point 4: the six district departments of 2019–2022 less 乙区财政局 (its 2020 is gated
    out): 5 departments every year, ending at the latest adequate year 2022 (not the thin 2023)."""
    text = _run("02_sangong", parquet, monkeypatch)
    keep = {(r, t) for (r, t, y) in fx.SANGONG if y == 2019 and (r, t) != (f"{fx.CITY}乙区", "财政局")}
    total = {y: sum(a for (r, t, yy), (a, _) in fx.SANGONG.items() if yy == y and (r, t) in keep)
             for y in (2019, 2022)}
    assert len(keep) == 5
    assert (f"平衡面板（2019–2022 年每年都有三公数据的同一批 5 个部门）的三公经费决算合计从 {total[2019]:.2f} 万元 "
            f"变为 {total[2022]:.2f} 万元") in text


def test_05_describes_the_peak_and_an_excluded_year(parquet, monkeypatch):
    text = _run("05_department_profile", parquet, monkeypatch, REGION="甲区", DEPARTMENT="财政局")
    # 甲区财政局 三公: 20, 40, 20, 20 (2019–2022)
    series = {y: fx.SANGONG[(f"{fx.CITY}甲区", "财政局", y)][0] for y in (2019, 2020, 2021, 2022)}
    peak = max(series, key=series.get)
    assert (f"三公经费决算从 2019 年的 {series[2019]:.2f} 万元 变为 2022 年的 {series[2022]:.2f} 万元，"
            f"其间 {peak} 年最高（{series[peak]:.2f} 万元）") in text
    text = _run("05_department_profile", parquet, monkeypatch, REGION="乙区", DEPARTMENT="财政局",
                YEARS="2019-2021")
    assert "2020 年：该年度数据未通过质量校验（原因：" in text
    assert "没有该部门的数据" not in text
    json.dumps(text)  # the page's text is plain


def test_05_stops_on_a_gated_year_with_the_reason(parquet, monkeypatch):
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError) as exc:
        _run("05_department_profile", parquet, monkeypatch, REGION="乙区", DEPARTMENT="财政局",
             YEARS="2020")
    assert "2020 年数据未通过质量校验（原因：校验未通过：各类合计与合计行不符）" in str(exc.value)


def test_04_sets_initial_and_full_year_completion_side_by_side(tmp_path):
    """Issue 21 point 3: 甲区财政局 prints 年初 100 and 全年 112.5 for 111.3 — over on 年初 (111.3 %),
    on target on 全年 (98.9 %); 甲区教育局 prints only 年初 100 for 95. Each basis says its own n."""
    from etl.analysis.synthetic import write_tables

    docs = [dict(doc_id=k, source_file=f"{k}.pdf", sha256=k * 4, region="某市甲区", department="某市甲区" + t,
                 department_type=t, year=2022, doc_kind="final_accounts", status="ok", report_scope="department")
            for k, t in (("a", "财政局"), ("b", "教育局"))]
    be = [dict(doc_id="a", scope="gpb_total", initial_budget="100", full_year_budget="112.5", actual="111.3", page=5),
          dict(doc_id="b", scope="gpb_total", initial_budget="100", actual="95", page=5)]
    text = _run("04_budget_completion", write_tables(tmp_path / "pq", {"documents": docs, "budget_execution": be}))
    assert ("1 个部门-年度同时印有年初预算和全年预算；改按全年预算计算，1 个的执行情况判断改变，"
            "其中 1 个不再超预算。") in text
    rows = re.findall(r"<tr><td class=\"txt\">部门整体</td><td class=\"txt\">([^<]+)</td><td class=\"num\">(\d+)</td>"
                      r"<td class=\"num\">([\d.]+)</td><td class=\"num\">(\d+)</td>", text)
    full_year = f"{100 * 111.3 / 112.5:.1f}"
    assert rows == [("年初预算", "2", f"{(111.3 + 95) / 2:.1f}", "1"), ("全年预算", "1", full_year, "0"),
                    ("两者都印：年初预算", "1", "111.3", "1"), ("两者都印：全年预算", "1", full_year, "0")]
