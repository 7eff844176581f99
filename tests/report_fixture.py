"""A small hand-built corpus for the report tests, and the figures its Findings must state,
computed here in plain Python from the same rows (never through the SQL views).

Two districts, the years 2019, 2020 and 2022 (no 2021: a gap the pages must show), and:
- 教育局 in both districts every year;
- 天河区卫生和计划生育局 (2019), renamed 卫生健康局 (2020, 2022): one department across the
  2018–19 rename (type 卫生和计划生育局 → 卫生健康委员会 by the shipped crosswalk);
- 海珠区财政局 2020 whose 05 table does not add up (an error check failed): the quality gate
  leaves it out of every page;
- 海珠区司法局 2022 with 公用经费 0 (its ratio is NULL);
- for 天河区卫生健康局 2022, one narrative 项 statement of every kind: over on 年初预算, under on a
  printed % only, on target, no budget printed, budget 0 with spending, budget 0 without.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from etl.analysis.synthetic import write_tables

TIANHE, HAIZHU = "广州市天河区", "广州市海珠区"
YEARS = (2019, 2020, 2022)

#: (region, department, department_type, year) -> figures
#: sangong: (budget, actual) per item; costs: (personnel, public); gpb: (initial, actual)
_DEPTS = [
    (TIANHE, "广州市天河区教育局", "教育局"),
    (HAIZHU, "广州市海珠区教育局", "教育局"),
    (HAIZHU, "广州市海珠区司法局", "司法局"),
    (HAIZHU, "广州市海珠区财政局", "财政局"),
]


def _sangong(i: int) -> dict[str, tuple[str, str]]:
    """Budget and actual of each 三公 item; actual/budget varies with i (some under 90 %)."""
    share = [0.5, 0.7, 0.85, 0.95, 1.0, 1.2][i % 6]
    ob, pb, ob2, rb = 2 + i % 3, 4 + i % 5, 10 + i, 3 + i % 4
    parts = {"overseas": ob, "vehicle_purchase": pb, "vehicle_operation": ob2, "reception": rb}
    act = {k: round(v * share, 2) for k, v in parts.items()}
    rows = {k: (f"{v:.2f}", f"{act[k]:.2f}") for k, v in parts.items()}
    rows["vehicle_total"] = (f"{pb + ob2:.2f}", f"{act['vehicle_purchase'] + act['vehicle_operation']:.2f}")
    rows["total"] = (f"{ob + pb + ob2 + rb:.2f}", f"{sum(act.values()):.2f}")
    return rows


def department_years() -> list[dict]:
    out = []
    i = 0
    for year in YEARS:
        for region, dept, dtype in _DEPTS:
            out.append(dict(region=region, department=dept, department_type=dtype, year=year, i=i))
            i += 1
        name, dtype = (("广州市天河区卫生和计划生育局", "卫生和计划生育局") if year == 2019
                       else ("广州市天河区卫生健康局", "卫生健康委员会"))
        out.append(dict(region=TIANHE, department=name, department_type=dtype, year=year, i=i))
        i += 1
    for d in out:
        d["doc_id"] = f"d{d['i']:03d}"
        d["sangong"] = _sangong(d["i"])
        d["personnel"] = 500 + 37 * d["i"]
        d["public"] = 0 if (d["department"].endswith("司法局") and d["year"] == 2022) else 60 + 5 * (d["i"] % 7)
        d["gpb"] = (1000 + 10 * d["i"], 1000 + 10 * d["i"] + [-150, 20, 0, 130, -30][d["i"] % 5])
        d["failed_check"] = d["department"].endswith("财政局") and d["year"] == 2020
    return out


#: 天河区卫生健康局 2022: (path, initial, full_year, actual, printed %, expected flag)
ITEMS = [
    ("卫生健康支出/公立医院/综合医院", "100.00", None, "120.00", None, "over"),
    ("卫生健康支出/公共卫生/疾病预防控制机构", None, None, "80.00", "80.00", "under"),
    ("卫生健康支出/卫生健康管理事务/行政运行", "200.00", None, "196.00", None, "on_target"),
    ("卫生健康支出/卫生健康管理事务/一般行政管理事务", None, None, "15.00", None, "no_budget"),
    ("卫生健康支出/公共卫生/突发公共卫生事件应急处理", "0.00", None, "35.00", None, "unbudgeted"),
    ("卫生健康支出/计划生育事务/计划生育服务", "0.00", None, "0.00", None, "idle"),
]


def write(out: Path) -> Path:
    docs, sg, costs, be, checks, found = [], [], [], [], [], []
    for d in department_years():
        docs.append(dict(doc_id=d["doc_id"], source_file=f"{d['region']}/{d['department']}{d['year']}年度部门决算.pdf",
                         sha256=d["doc_id"] * 8, region=d["region"], department=d["department"],
                         department_type=d["department_type"], year=d["year"], doc_kind="final_accounts",
                         status="ok", pages=20))
        sg += [dict(doc_id=d["doc_id"], item=k, budget=b, actual=a, page=14) for k, (b, a) in d["sangong"].items()]
        costs.append(dict(doc_id=d["doc_id"], personnel_cost=str(d["personnel"]), public_cost=str(d["public"]),
                          page=12))
        be.append(dict(doc_id=d["doc_id"], scope="gpb_total", initial_budget=str(d["gpb"][0]),
                       actual=str(d["gpb"][1]), page=5))
        found += [dict(doc_id=d["doc_id"], table_key=k, title=k, first_page=3, last_page=3, rows=5, empty=False)
                  for k in ("income_expenditure_summary", "income", "expenditure", "fiscal_summary",
                            "gpb_expenditure", "gpb_basic_expenditure", "sangong", "gov_fund", "state_capital")]
        checks.append(dict(doc_id=d["doc_id"], check_id="gpb_expenditure.classes_sum_to_total.total",
                           status="fail" if d["failed_check"] else "pass", severity="error",
                           detail="05 classes vs total", pages="5" if d["failed_check"] else None, message=(
                               "一般公共预算财政拨款支出决算表（合计列）："
                               "各类合计 90.00 与合计行 100.00 不符（差 10.00）"
                               if d["failed_check"] else None)))
        if d["department"] == "广州市天河区卫生健康局" and d["year"] == 2022:
            be += [dict(doc_id=d["doc_id"], scope="item", path=path, initial_budget=ini, full_year_budget=fy,
                        actual=act, completion_pct=pct, reason="年中追加经费" if flag == "over" else None, page=6)
                   for path, ini, fy, act, pct, flag in ITEMS]
    return write_tables(out, {"documents": docs, "sangong": sg, "cost_totals": costs, "budget_execution": be,
                              "checks": checks, "tables_found": found})


# ------------------------------------------------------------------ the expected Findings figures

def included() -> list[dict]:
    """The department-years the quality gate lets in: every one but the one with a failed error check."""
    return [d for d in department_years() if not d["failed_check"]]


def expected() -> dict:
    rows = included()
    pcts = [100 * float(d["sangong"]["total"][1]) / float(d["sangong"]["total"][0]) for d in rows]
    latest = [d for d in rows if d["year"] == max(YEARS)]
    latest_pcts = [100 * float(d["sangong"]["total"][1]) / float(d["sangong"]["total"][0]) for d in latest]
    item_totals = {k: sum(float(d["sangong"][k][1]) for d in latest)
                   for k in ("overseas", "vehicle_purchase", "vehicle_operation", "reception")}
    top_item = max(item_totals, key=item_totals.get)
    ratios = [d["personnel"] / d["public"] for d in rows if d["public"]]
    gpb = [100 * d["gpb"][1] / d["gpb"][0] for d in rows]
    flags = [f for *_, f in ITEMS]
    return {
        "documents": len(department_years()),
        "department_years": len(department_years()),
        "excluded": [f"{d['department']} {d['year']} 年" for d in department_years() if d["failed_check"]],
        "sangong_n": len(pcts),
        "sangong_under": sum(p < 90 for p in pcts),
        "sangong_median": statistics.median(pcts),
        "sangong_latest_n": len(latest_pcts),
        "sangong_latest_under": sum(p < 90 for p in latest_pcts),
        "top_item": {"overseas": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
                     "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}[top_item],
        "top_item_share": 100 * item_totals[top_item] / sum(float(d["sangong"]["total"][1]) for d in latest),
        "ratio_n": len(ratios),
        "ratio_median": statistics.median(ratios),
        "ratio_null": sum(1 for d in rows if not d["public"]),
        "gpb_n": len(gpb),
        "gpb_over": sum(p > 110 for p in gpb),
        "gpb_under": sum(p < 90 for p in gpb),
        "gpb_median": statistics.median(gpb),
        "items": len(ITEMS),
        "items_with_pct": sum(f in ("over", "under", "on_target") for f in flags),
        "items_over": flags.count("over"),
        "items_under": flags.count("under"),
        "items_on_target": flags.count("on_target"),
        "items_unbudgeted": flags.count("unbudgeted"),
        "items_idle": flags.count("idle"),
        "items_no_budget": flags.count("no_budget"),
    }
