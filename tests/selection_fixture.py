"""A hand-built corpus for the row-selection and notebook-count tests (tests/test_row_selection.py,
tests/test_notebook_counts.py). Every expected figure is written down here by hand, never
computed through the views.

- 三 districts 甲区/乙区/丙区 of 某市 (district level) with 教育局 and 财政局 in 2019–2022: 6 department-
  years a year; in 2023 only 甲区教育局 (a thin tail: 1 against a median of 6).
- 中央: 某部 (department scope) and its unit 某部直属中心 (report_scope unit) in 2022 and 2023.
- 某省 (province level) 某省财政厅 2022.
- 甲区财政局 2021 has 三公 in a two-file publication: the narrative file (companion_of) lacks every table.
- 某大学 (template university, a unit of 某部) prints tables 01–03 and fiscal_expenditure only.
- 丙区司法局 2022 (district template) prints no 三公 table: the only table counted missing.
- an info check fails in 6 reports, an error check in 1 (乙区财政局 2020: left out by the gate).
"""

from __future__ import annotations

from pathlib import Path

from etl.analysis.synthetic import write_tables

CITY = "某市"
DISTRICTS = [f"{CITY}甲区", f"{CITY}乙区", f"{CITY}丙区"]
DISTRICT_TABLES = ("income_expenditure_summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure",
                   "gpb_basic_expenditure", "sangong")

#: 三公 决算 (actual) and 预算 (budget) of each department-year, by hand
SANGONG = {}
for i, region in enumerate(DISTRICTS):
    for year in (2019, 2020, 2021, 2022):
        SANGONG[(region, "教育局", year)] = (10 + i + year - 2019, 12 + i + year - 2019)
        SANGONG[(region, "财政局", year)] = (20 + 2 * i, 30 + 2 * i)
SANGONG[(f"{CITY}甲区", "教育局", 2023)] = (50, 60)
# 丙区教育局: 10+2=12 (2019), 13, 14, 15 — a peak for 05 is built on 甲区财政局 below
SANGONG[(f"{CITY}甲区", "财政局", 2020)] = (40, 30)   # peak between 20 (2019) and 20 (2021/2022)


def _doc(doc_id, region, department, dtype, year, **kw):
    return dict(doc_id=doc_id, source_file=kw.pop("source_file", f"{doc_id}.pdf"), sha256=doc_id * 4,
                region=region, department=department, department_type=dtype, year=year,
                doc_kind="final_accounts", status="ok", pages=20, **kw)


def write(out: Path) -> Path:
    docs, sg, found, checks = [], [], [], []
    for n, ((region, dtype, year), (actual, budget)) in enumerate(sorted(SANGONG.items()), start=1):
        did = f"d{n:03d}"
        docs.append(_doc(did, region, region + dtype, dtype, year, template="district", report_scope="department"))
        sg.append(dict(doc_id=did, item="total", budget=f"{budget:.2f}", actual=f"{actual:.2f}", page=14))
        found += [dict(doc_id=did, table_key=k) for k in DISTRICT_TABLES]
        if n <= 6:   # an info rule (reported only) fails in 6 reports
            checks.append(dict(doc_id=did, check_id="completeness.unknown_table", status="fail", severity="info",
                               message="非标准表"))
        if (region, dtype, year) == (f"{CITY}乙区", "财政局", 2020):
            checks.append(dict(doc_id=did, check_id="gpb_expenditure.classes_sum_to_total.total", status="fail",
                               severity="error", message="各类合计与合计行不符",
                               doubts="sangong,cost,gpb,totals,items"))  # every group in doubt: gated out
            docs[-1]["quality"] = "fail"
    # the narrative half of 甲区财政局 2021 (two files: its tables are read with the companion)
    tables_doc = next(d for d in docs if d["region"] == f"{CITY}甲区" and d["department_type"] == "财政局"
                      and d["year"] == 2021)
    docs.append(_doc("n001", f"{CITY}甲区", f"{CITY}甲区财政局", "财政局", 2021, template="district",
                     report_scope="department", companion_of=tables_doc["doc_id"],
                     source_file="n001（说明）.pdf"))
    # 中央: a ministry and its unit (2022, 2023), a university (unit, university template) in 2022
    for year, (dept_actual, unit_actual) in {2022: (100, 7), 2023: (110, 8)}.items():
        docs.append(_doc(f"c{year}", "中央", "某部", "某部", year, template="central", report_scope="department",
                         source_file=f"vol{year}.pdf"))
        docs.append(_doc(f"u{year}", "中央", "某部直属中心", "直属中心", year, template="central", report_scope="unit",
                         source_file=f"vol{year}.pdf", report_part=2))   # same file: a volume of two reports
        sg += [dict(doc_id=f"c{year}", item="total", budget="120.00", actual=f"{dept_actual:.2f}"),
               dict(doc_id=f"u{year}", item="total", budget="10.00", actual=f"{unit_actual:.2f}")]
        found += [dict(doc_id=f"c{year}", table_key=k) for k in DISTRICT_TABLES[:6]]
        found += [dict(doc_id=f"u{year}", table_key=k) for k in DISTRICT_TABLES[:6]]
    docs.append(_doc("univ", "中央", "某大学", "高等学校", 2022, template="university", report_scope="unit"))
    found += [dict(doc_id="univ", table_key=k) for k in ("income_expenditure_summary", "income", "expenditure")]
    # 丙区司法局 2022 prints no 三公 table though its district template owes one: the one missing table
    docs.append(_doc("j2022", f"{CITY}丙区", f"{CITY}丙区司法局", "司法局", 2022, template="district",
                     report_scope="department"))
    found += [dict(doc_id="j2022", table_key=k) for k in DISTRICT_TABLES[:6]]
    # a province
    docs.append(_doc("p2022", "某省", "某省财政厅", "财政厅", 2022, template="district", report_scope="department"))
    sg.append(dict(doc_id="p2022", item="total", budget="90.00", actual="80.00"))
    found += [dict(doc_id="p2022", table_key=k) for k in DISTRICT_TABLES]
    return write_tables(out, {"documents": docs, "sangong": sg, "tables_found": found, "checks": checks})
