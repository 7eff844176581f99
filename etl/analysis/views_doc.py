"""Write docs/views.md: every analytical view, its definition comment and its columns.

    uv run python -m etl.analysis.views_doc [docs/views.md]           # write it
    uv run python -m etl.analysis.views_doc --check [docs/views.md]   # exit 1 if it is out of date

Column types come from DuckDB (DESCRIBE on an empty Parquet set), descriptions from COLUMNS
below (a name means the same in every view; a column of an output table falls back to its
etl.schema description), view descriptions from each .sql file's header. `--check` (also run by
`juesuan dictionary --check`) fails when docs/views.md differs from what would be written or when
a column of an analytical view has no description.
"""

from __future__ import annotations

import argparse
import difflib
import re
import tempfile
from pathlib import Path

from etl.analysis import SQL_DIR, analytical_views, check_views, connect, view_files
from etl.schema import TABLES

COLUMNS = {
    "dy_key": "Integer key of the department-year: hash(region, department, year).",
    "region": "District/county, e.g. 广州市天河区 (documents.region).",
    "department": "Full department name (documents.department).",
    "department_type": (
        "Department name without the region prefix, aliases unified (documents.department"
        "_type)."
    ),
    "year": "Fiscal year.",
    "sangong_source": "Where the 三公 figures were read: table (the 三公 table) or narrative (only in the text).",
    "doc_id": (
        "Document key; in comparison views the chosen version (or, per table, the version"
        " the rows come from)."
    ),
    "status": "Parse status of the document: ok, partial, failed (dq views) / check status (checks).",
    "source_file": (
        "PDF path relative to the raw root; in metrics views the file name(s) whose figur"
        "es are used, ';'-joined."
    ),
    "n_tables": "Distinct standard tables found in the document.",
    "version_rank": "1 = the version comparison views use (rule in document_versions).",
    "versions": "How many documents arrived for the department-year.",
    "is_duplicate": "versions > 1.",
    "is_chosen": "version_rank = 1.",
    "all_doc_ids": "Every doc_id of the department-year, best version first.",
    "total_expenditure": "本年支出合计 (收入支出决算总表), else 合计 of 支出决算表; 万元 DECIMAL.",
    "income_total": "本年收入合计; 万元.",
    "fiscal_appropriation_income": "财政拨款收入; 万元.",
    "personnel_cost": "人员经费合计 (cost_totals); 万元.",
    "public_cost": "公用经费合计 (cost_totals); 万元.",
    "basic_expenditure": "基本支出 on the 05 合计 row, else personnel_cost + public_cost; 万元.",
    "sangong_budget": "三公经费合计 预算数 as printed; 万元.",
    "sangong_actual": "三公经费合计 决算数 as printed; 万元.",
    "overseas_budget": "因公出国（境）费 预算数; 万元.",
    "overseas_actual": "因公出国（境）费 决算数; 万元.",
    "vehicle_budget": "公务用车购置及运行费 预算数: the printed 小计, else 购置 + 运行; 万元.",
    "vehicle_actual": "公务用车购置及运行费 决算数: the printed 小计, else 购置 + 运行; 万元.",
    "vehicle_purchase_budget": "公务用车购置费 预算数; 万元.",
    "vehicle_purchase_actual": "公务用车购置费 决算数; 万元.",
    "vehicle_operation_budget": "公务用车运行维护费 预算数; 万元.",
    "vehicle_operation_actual": "公务用车运行维护费 决算数; 万元.",
    "reception_budget": "公务接待费 预算数; 万元.",
    "reception_actual": "公务接待费 决算数; 万元.",
    "gpb_initial_budget": "年初预算 of the narrative's gpb_total statement; 万元.",
    "gpb_full_year_budget": "全年预算/调整预算 of the narrative's gpb_total statement; 万元 (NULL if not printed).",
    "gpb_actual": ("一般公共预算财政拨款支出决算: the narrative's gpb_total 决算, else the 05 合计 "
                   "(gpb_actual_source); 万元."),
    "gpb_completion_pct_printed": "Completion % as printed in the narrative (gpb_total).",
    "personnel_public_ratio": "personnel_cost / public_cost (DOUBLE; NULL if public_cost is 0 or missing).",
    "personnel_share_pct": "100 × personnel_cost / basic_expenditure (NULL on zero/missing denominator).",
    "sangong_completion_pct": (
        "100 × sangong_used_actual / sangong_used_budget (NULL on zero/missing budget)."
    ),
    "gpb_completion_pct": (
        "Budget completion on budget_basis: 100 × gpb_actual / gpb_budget, or the printed"
        " % (printed_pct)."
    ),
    "gpb_completion_full_year_pct": "100 × gpb_actual / gpb_full_year_budget.",
    "departments": "Department-years aggregated into the row.",
    "completion_pct": (
        "Completion on budget_basis: 100 × actual / budget, or the printed %; NULL on bas"
        "is none."
    ),
    "completion_full_year_pct": "100 × actual / full_year_budget.",
    "completion_pct_printed": "Completion % as printed (NULL if absent).",
    "prev_year_actual": (
        "sangong_used_actual of the same region and type in year − 1, only when the same "
        "departments are there; 万元."
    ),
    "yoy_change": "sangong_used_actual − prev_year_actual; 万元 DECIMAL.",
    "yoy_pct": "100 × yoy_change / prev_year_actual.",
    "regions_in_type": "Regions with that department_type in that year.",
    "ratio": "personnel_cost / public_cost.",
    "robust_z": (
        "(ln ratio − ln peer_median) / (1.4826 × MAD of the peers' ln ratios); NULL (see "
        "z_note) with < 10 peers, < 3 departments or MAD 0."
    ),
    "is_outlier": "|robust_z| > 3.5.",
    "initial_budget": "年初预算; 万元.",
    "full_year_budget": "全年预算 / 调整预算; 万元.",
    "actual": "决算数 / 支出决算; 万元.",
    "budget": "The budget of the one rule (年初预算 if > 0, else 全年预算 if > 0); 万元.",
    "table_actual": (
        "The same figure read from a table (05, else 03 for a 项), independent of the narr"
        "ative; 万元."
    ),
    "budget_basis": (
        "initial (年初预算 > 0), full_year (全年预算 > 0), printed_pct (only a completion % print"
        "ed) or none."
    ),
    "difference": "actual − budget; 万元 DECIMAL.",
    "printed_differs": "|computed − printed completion %| > 0.5 points.",
    "flag": (
        "over (> 110 %), under (< 90 %), on_target, unbudgeted (budget 0, actual > 0), id"
        "le (0 and 0), no_budget — macro execution_flag."
    ),
    "reason": "The printed explanation (主要原因…).",
    "path": "类/款/项 names joined by '/' as printed.",
    "item_name": "Last segment of path (the 项).",
    "code": (
        "Function code: 7-digit 项 code in the budget views, 3/5-digit economic code in cu"
        "r_economic_expenditure."
    ),
    "linked": "code IS NOT NULL: the 项 was matched by name to the 05/03 table.",
    "function_name": "科目名称 of the linked 项 row in the 05 (else 03) table.",
    "item": (
        "三公 item key: total (on sangong_basis), overseas, vehicle_total, vehicle_purchase"
        ", vehicle_operation, reception."
    ),
    "item_label": "Chinese label of the 三公 item.",
    "page": "PDF page the figure was read from.",
    "doc_kind": "final_accounts, budget or other.",
    "documents": "Number of documents.",
    "error": "Why the document failed or is partial.",
    "table_key": "Standard table key (see etl.schema.TABLE_KEYS).",
    "table_no": "Number of the standard table (公开01–09).",
    "table_title": "Chinese title of the standard table.",
    "check_id": "Consistency check id.",
    "detail": "What the check compared and by how much it disagreed.",
    "tables_found": "Distinct standard tables found.",
    "tables_missing": "9 − tables_found (final accounts only).",
    "checks_run": "Checks run on the document.",
    "checks_failed": "Checks that failed (in metrics views: on the documents whose figures are used).",
    "checks_passed": "Checks that passed.",
    "legitimately_absent": (
        "08/09 table absent while the 01 table shows no such income: not counted as missi"
        "ng."
    ),
    "department_id": (
        "Stable department key surviving renames and spelling variants: the manifest's de"
        "partment_id, else region_key/name_key (view department_ids)."
    ),
    "region_key": (
        "Full region name: a short district name resolved to the one full name in the cor"
        "pus ending with it."
    ),
    "name_key": "department_type after the rename crosswalk (department_renames.csv plus the user's CSVs).",
    "renamed": "True when the crosswalk renamed the department.",
    "gpb_table_actual": "合计 of 一般公共预算财政拨款支出决算表 (05); 万元 — the table figure, never the narrative.",
    "gpb_budget": "The budget of the one rule: 年初预算 if > 0, else 全年预算 if > 0, else NULL; 万元.",
    "gpb_actual_source": "narrative or table: where gpb_actual was read.",
    "gpb_flag": (
        "execution_flag of the department total: over, under, on_target, unbudgeted, idle"
        ", no_budget (an actual but no budget and no %); NULL when no gpb figure is printed at all."
    ),
    "gpb_unbudgeted": "gpb_flag = 'unbudgeted': spending with a budget printed as 0.",
    "gpb_narrative_table_mismatch": (
        "The narrative's 决算 and the 05 合计 differ by more than 0.01 (NULL if either is mis"
        "sing)."
    ),
    "sangong_parts_budget": "因公出国（境） + 公务用车 + 公务接待 预算数; 万元.",
    "sangong_parts_actual": "因公出国（境） + 公务用车 + 公务接待 决算数; 万元.",
    "sangong_parts_mismatch": (
        "Printed 合计 and the sum of the parts differ beyond rounding (0.01 per summand) on"
        " budget or actual; NULL when neither can be compared (no 三公 printed)."
    ),
    "sangong_basis": (
        "Which 三公 total the *_used columns carry: printed (the printed 合计, default) or pa"
        "rts (switch)."
    ),
    "sangong_used_budget": "三公 预算数 on sangong_basis; 万元 (summed in aggregated views).",
    "sangong_used_actual": "三公 决算数 on sangong_basis; 万元 (summed in aggregated views).",
    "sangong_page": "Page, in sangong_file's own numbering, of the 三公 table the figures were read from.",
    "cost_page": "Page, in cost_file's own numbering, of the 人员经费/公用经费 合计 rows (06).",
    "gpb_page": "Page, in gpb_file's own numbering, of the narrative's gpb_total statement.",
    "sangong_file": "The PDF file the 三公 figures are printed in (its page: sangong_page).",
    "cost_file": "The PDF file of the 06 cost totals (its page: cost_page).",
    "gpb_file": "The PDF file of the narrative's gpb statement (its page: gpb_page).",
    "gpb_table_file": "The PDF file of the 05 合计 (its page: gpb_table_page).",
    "gpb_table_page": "Page, in gpb_table_file's own numbering, of the 05 合计 row.",
    "quality": (
        "clean, warn (partial document, a warning check failed, a mismatch) or fail (fail"
        "ed document or an error check failed)."
    ),
    "quality_label": "Chinese label of quality: 无问题 / 有警告 / 未通过.",
    "quality_reason": "Why the department-year is not clean, in Chinese ('；'-joined); NULL when clean.",
    "included": "Whether the quality gate lets these department-years into the comparisons now.",
    "reasons": "The distinct quality_reason texts of the grade.",
    "department_year_names": "region department year of each department-year of the grade.",
    "department_years": "Number of department-years.",
    "region_level": (
        "central (中央), province (…省/…自治区/a 直辖市 itself), district (…区/县/旗, a county-level 市) or city;"
        " macro region_level, from the region string (105_comparison_rows.sql)."
    ),
    "in_region_aggregates": "report_scope = 'department': a unit's report (inside its department's) is false.",
    "metric": "sangong, sangong_completion, personnel_public or gpb_completion: the figure counted.",
    "median_department_years": "Median of department_years over the years holding the metric.",
    "adequate": "department_years ≥ 80 % of median_department_years: the year may be a page's latest year.",
    "rank_note": "Why rank_across_regions is NULL (fewer than comparison_min_n() regions of the level).",
    "owed": "The document's template owes the table (families.MANDATORY), or 08/09 with such funds.",
    "in_companion": "The document is the narrative half of a two-file report (documents.companion_of).",
    "counted_missing": "owed AND NOT in_companion: counted as a missing table by the reports.",
    "median_completion_pct": (
        "Median of the rows' completion % (each on its own basis): never a sum of percent"
        "ages."
    ),
    "departments_under_90pct": "Departments whose 三公 completion is below 90 %.",
    "departments_balanced": (
        "n: departments (department_id) with 三公 figures in both the year and the year bef"
        "ore."
    ),
    "prev_actual": "三公 决算 of those departments in year − 1; 万元.",
    "change": "actual − prev_actual over the balanced departments; 万元.",
    "change_pct": "100 × change / prev_actual.",
    "median_department_change_pct": "Median of the balanced departments' own % changes.",
    "rank_across_regions": (
        "Rank of this region among the regions with the department_type that year (1 = hi"
        "ghest 三公 决算, 万元, not size-adjusted)."
    ),
    "log_ratio": "ln(ratio) (NULL when the ratio is NULL or 0).",
    "peer_n": "Department-years of the same department_type, pooled over the years, with a ratio.",
    "peer_departments": "Distinct departments among those peers.",
    "peer_median": "exp(median ln ratio) of the peers: their median ratio.",
    "z_note": "Why robust_z is NULL, in Chinese; NULL when it is computed.",
    "basis_label": "Chinese label of budget_basis: 年初预算 / 全年预算 / 公开完成率 / 无.",
    "flag_label": "Chinese label of flag: 超预算 / 执行不足 / 基本持平 / 无预算支出 / 无预算无支出 / 未公开预算.",
    "table_mismatch": (
        "The narrative's actual and table_actual differ by more than 0.01 (NULL without a"
        " table)."
    ),
    "table_source": "Which table table_actual comes from: 05 or 03.",
    "is_part": "True for the three parts of the 三公 total: overseas, vehicle_total, reception.",
    "statements": "n: narrative statements of the 项.",
    "with_completion": "Statements with a completion % on any basis.",
    "with_amounts": (
        "Statements with a budget amount (basis initial or full_year); budget and actual "
        "sum exactly these."
    ),
    "pooled_completion_pct": "100 × actual / budget over the statements with amounts.",
    "over": "Statements flagged over.",
    "under": "Statements flagged under.",
    "on_target": "Statements flagged on_target.",
    "unbudgeted": "Statements flagged unbudgeted.",
    "idle": "Statements flagged idle.",
    "no_budget": "Statements flagged no_budget.",
}


def _header(path: Path) -> str:
    lines = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        if not ln.startswith("--"):
            break
        lines.append(ln[2:].removeprefix(" "))
    return "\n".join(lines)


#: Per view: a column whose meaning in that view differs from COLUMNS (key "view.column").
VIEW_COLUMNS = {
    "prior_year_restatements.prior_year": "The year the statement is about (year − 1), whose own report is compared.",
    "prior_year_restatements.stated_prior": "The prior value year's report states or implies "
                                            "(prior_year_statements.prior_implied), 万元.",
    "prior_year_restatements.reported_prior": "The figure prior_year's own report prints for the same subject "
                                              "(its narrative's first by page), 万元.",
    "prior_year_restatements.difference": "reported_prior − stated_prior, 万元.",
    "prior_year_restatements.reported_from": "narrative (prior_year's own year-on-year statement of the subject) or "
                                             "tables (department_year_figures: gpb_actual, the 三公 actuals).",
    "prior_year_restatements.within_rounding": "reported_prior lies within [prior_low, prior_high] widened by its "
                                               "own half cent of rounding.",
    "prior_year_restatements.restated": "NOT within_rounding: the report restates (or misstates) its prior year; "
                                        "the panel keeps prior_year's own figure.",
    "prior_year_restatements.prior_doc_id": "doc_id of the prior year's report the reported_prior was read from.",
    "prior_year_restatements.doc_id": "doc_id of the report whose statement is compared.",
    "cur_summary_items.item": "",   # the summary_items column (etl.schema), not the 三公 item key
    "cur_budget_execution.completion_pct": "",   # the printed % (etl.schema budget_execution)
    "cur_budget_execution.budget_basis": "",   # the printed rate's basis (etl.schema), not the analysis rule's
    "cur_sangong.budget_basis": "",   # the narrative budget's kind (etl.schema sangong)
    "sangong_region_year.completion_pct": (
        "100 × Σ sangong_used_actual / Σ sangong_used_budget of the region-year (on the 三公 switch; NULL on a "
        "zero or missing budget)."),
    "sangong_region_year_type.completion_pct": (
        "100 × sangong_used_actual / sangong_used_budget of the group (on the 三公 switch; NULL on a zero or "
        "missing budget)."),
    "budget_completion_sangong.completion_pct": "100 × actual / budget of the 三公 item (NULL on a zero or missing "
                                                "budget).",
}

_GROUP_ZH = {"sangong": "三公", "cost": "人员经费/公用经费 (ratio, share)", "gpb": "一般公共预算财政拨款 total",
             "totals": "department totals (total_expenditure, income_total, fiscal_appropriation_income)",
             "items": "类/款/项 rows and per-项 statements"}
for _g, _zh in _GROUP_ZH.items():
    COLUMNS[f"{_g}_quality"] = (
        f"Grade of the {_zh} figures: fail (document failed, or a failed error check puts them in doubt), warn "
        "(document partial, a failed warning check doubts them" + (", or the mismatch flag" if _g in ("sangong", "gpb")
                                                                    else "") + "), else clean.")
    COLUMNS[f"{_g}_quality_reason"] = f"Why {_g}_quality is not clean, in Chinese; NULL when clean."
COLUMNS.update({
    "contradicting_errors": "Failed checks of severity error of the version that put figures in doubt (doubts "
                            "not ''); fewer ranks first.",
    "v_sangong_actual": "This version's printed 三公 合计 决算 (07 table).",
    "v_personnel_cost": "This version's printed 人员经费 (06 table).",
    "v_gpb_table_actual": "This version's printed 一般公共预算财政拨款支出 合计 (05 table).",
    "disagrees": "Another version of the department-year prints one of the headline figures (v_*) differing "
                 "beyond rounding (0.01).",
    "versions_disagree": "Versions of the department-year print different headline figures (三公 合计, 人员经费, 05 "
                         "合计) beyond rounding: see duplicate_department_years.",
    "disclosure_reason": "The disclosure defects in Chinese ('；'-joined, prefixed 披露缺陷：); NULL when none.",
    "figures_dropped": "Figure groups graded fail whose figures department_year_metrics sets to NULL "
                       "(comma-separated); NULL when none or under quality 'all'. In quality_gate_figures: how many "
                       "department-years have the group's figures dropped.",
    "included": "Whether the gate lets these department-years into the comparisons (status not failed and at "
                "least one figure group not fail; all under quality 'all'). In quality_gate: true when every "
                "department-year of the grade enters.",
    "department_years_included": "Department-years of the grade that enter the comparisons.",
    "department_years_left_out": "Department-years of the grade left out whole (status failed, or every figure "
                                 "group graded fail).",
    "department_years_figures_dropped": "Department-years of the grade that enter with some figure groups NULLed.",
    "kind": "contradiction (figures that contradict each other: dropped) or disclosure (a disclosure defect: "
            "figures stand).",
    "kind_label": "Chinese label of kind: 数字相互矛盾 / 披露缺陷.",
    "figure_group": "sangong, cost, gpb, totals or items (NULL on the disclosure row).",
})
# issue 21 (panel): both budget bases, provenance, peer type, balanced panel, per-scale measures
COLUMNS.update({
    "gpb_completion_initial_pct": "100 × gpb_actual / gpb_initial_budget; NULL unless a 年初预算 > 0 is printed.",
    "gpb_flag_initial": "execution_flag on 年初预算 alone; NULL unless a 年初预算 > 0 is printed.",
    "gpb_flag_full_year": "execution_flag on 全年预算 alone; NULL unless a 全年预算 > 0 is printed.",
    "completion_initial_pct": "100 × actual / 年初预算; NULL unless a 年初预算 > 0 is printed.",
    "flag_initial": "execution_flag on 年初预算 alone; NULL unless a 年初预算 > 0 is printed.",
    "flag_initial_label": "Chinese label of flag_initial.",
    "flag_full_year": "execution_flag on 全年预算 alone; NULL unless a 全年预算 > 0 is printed.",
    "flag_full_year_label": "Chinese label of flag_full_year.",
    "with_initial": "Statements with a completion on 年初预算 (the n of the 年初 columns).",
    "median_completion_initial_pct": "Median of completion_initial_pct over with_initial statements.",
    "over_initial": "Statements over budget (> 110 %) on 年初预算.",
    "with_full_year": "Statements with a completion on 全年预算 (the n of the 全年 columns).",
    "median_completion_full_year_pct": "Median of completion_full_year_pct over with_full_year statements.",
    "over_full_year": "Statements over budget (> 110 %) on 全年预算.",
    "text_source": "text / ocr / mixed: how the department-year's documents were read (NULL: a web page or text).",
    "ocr_min_confidence": "Lowest ocr_confidence of the department-year's figure rows; NULL when none was OCR'd.",
    "ocr_rows": "Figure rows carrying an OCR confidence (the n of ocr_min_confidence).",
    "peer_function": "The function type: the first peer_types.csv pattern matching name_key, else name_key.",
    "peer_type_matched": "Whether a peer_types.csv pattern matched (false: the type is the name itself).",
    "peer_type": "Peer group of the department-year: peer_function, followed by （单位） for a unit's own report.",
    "in_balanced_panel": "The department has a department-year in every year of the chosen span and this row is in "
                         "it; NULL when no span is chosen.",
    "balanced_span": "The chosen span 'first-last' (set_options(balanced=…)); NULL when none.",
    "vehicles_held": "公务用车保有量 (counts.kind vehicles_held), 辆; NULL when not printed.",
    "vehicles_held_page": "Page of vehicles_held in its file's numbering.",
    "staff": "实有人数 (staff_actual) where printed, else 编制人数 (staff_authorised).",
    "staff_kind": "staff_actual or staff_authorised: which count staff is.",
    "staff_label": "Chinese label of staff_kind: 实有人数 / 编制人数.",
    "staff_page": "Page of staff in its file's numbering.",
    "sangong_per_vehicle": "vehicle_actual / vehicles_held, 万元 per vehicle; NULL on a missing or zero "
                           "denominator.",
    "sangong_per_vehicle_note": "Why sangong_per_vehicle is NULL, in Chinese.",
    "sangong_per_staff": "sangong_used_actual / staff, 万元 per person; NULL on a missing or zero denominator.",
    "sangong_per_staff_note": "Why sangong_per_staff is NULL, in Chinese.",
    "public_cost_per_staff": "public_cost / staff, 万元 per person; NULL on a missing or zero denominator.",
    "public_cost_per_staff_note": "Why public_cost_per_staff is NULL, in Chinese.",
    "n_sangong_per_vehicle": "Department-years with sangong_per_vehicle (its n).",
    "median_sangong_per_vehicle": "Median of sangong_per_vehicle.",
    "no_vehicle_denominator": "Department-years without a usable 公务用车保有量 (absent or 0).",
    "n_sangong_per_staff": "Department-years with sangong_per_staff (its n).",
    "median_sangong_per_staff": "Median of sangong_per_staff.",
    "n_public_cost_per_staff": "Department-years with public_cost_per_staff (its n).",
    "median_public_cost_per_staff": "Median of public_cost_per_staff.",
    "no_staff_denominator": "Department-years without a usable staff count (absent or 0).",
    "staff_from_authorised": "Department-years whose staff is 编制人数 (no 实有人数 printed).",
})

# the statement's own columns, as prior_year_statements declares them (not budget_execution's meaning)
VIEW_COLUMNS.update({f"prior_year_restatements.{c.name}": c.description for c in TABLES["prior_year_statements"].columns
                     if c.name in ("scope", "path", "code", "sentence")})
# cur_counts: the counts table's own kind/scope/value/unit (COLUMNS' `kind` is a check's kind)
VIEW_COLUMNS.update({f"cur_counts.{c.name}": c.description for c in TABLES["counts"].columns
                     if c.name in ("kind", "scope", "value", "unit", "sentence")})


# Budget credibility (PEFA 2016 PI-1, PI-2; sql/160–165).
COLUMNS.update({
    "pi1_outturn_pct": "PEFA PI-1 aggregate outturn: 100 × 决算 / 年初预算 of 一般公共预算财政拨款支出 (the original "
                       "budget only; NULL without a 年初预算 > 0).",
    "pi1_band": "PEFA PI-1 band of the year: A 95–105 %, B 90–110 %, C 85–115 % (bounds included), else D.",
    "pi1_score_3y": "PEFA PI-1 score over this and the two previous years: the band met in at least two of the "
                    "three; NULL unless all three years have a PI-1.",
    "pi2_lines": "Budget heads PI-2 compares (项, or departments for a region; over 20: the largest making 75 % of "
                 "the budget plus one line for the rest).",
    "pi2_budget": "Σ 年初预算 of the PI-2 heads; 万元.",
    "pi2_actual": "Σ 决算 of the PI-2 heads; 万元.",
    "pi2_variance_pct": "PEFA PI-2.1 composition variance: 100 × Σ|actual_i − budget_i × Σactual/Σbudget| / "
                        "Σactual; NULL with fewer than 2 heads or a zero total.",
    "pi2_band": "PEFA PI-2.1 band of the year: A < 5 %, B < 10 %, C < 15 % (bounds excluded), else D.",
    "pi2_score_3y": "PEFA PI-2.1 score over this and the two previous years: the band met in at least two of the "
                    "three; NULL unless all three years have a PI-2.",
    "pi2_coverage_pct": "100 × pi2_actual / actual: the share of the 决算 the stated 项 cover.",
    "first_year": "First year of the region's department-years (the balanced set's span).",
    "last_year": "Last year of the region's department-years (the balanced set's span).",
    "line": "Budget head: the 项's function code (else its path) for a department, the department_id for a region.",
})
VIEW_COLUMNS.update({
    "pefa_balanced_departments.years": "Years the region has department-years; a department in the set has a "
                                       "PI-1 in each.",
    "pefa_lines.level": "department (heads are 项) or region (heads are the departments of the balanced set).",
    "pefa_pi2.level": "department (heads are 项) or region (heads are the departments of the balanced set).",
    "pefa_lines.budget": "年初预算 of the head; 万元.",
    "pefa_lines.actual": "决算 of the head; 万元.",
    "pefa_pi1_department.initial_budget": "年初预算 of 一般公共预算财政拨款支出 (narrative); 万元.",
    "pefa_pi1_department.actual": "决算 of 一般公共预算财政拨款支出 in the same statement; 万元.",
    "budget_credibility_department.initial_budget": "年初预算 of 一般公共预算财政拨款支出 (narrative); 万元.",
    "budget_credibility_department.actual": "决算 of 一般公共预算财政拨款支出 in the same statement; 万元.",
    "budget_credibility_region.initial_budget": "Σ 年初预算 of the balanced set's departments; 万元.",
    "budget_credibility_region.actual": "Σ 决算 of the balanced set's departments; 万元.",
    "budget_credibility_region.departments": "n: departments in the region's balanced set (pefa_balanced_departments).",
})


def describe(name: str, view: str | None = None) -> str:
    """The description of a view column: VIEW_COLUMNS, COLUMNS, else the output table column of that name
    (for a cur_* view, the column of its table first)."""
    key = f"{view}.{name}"
    desc = VIEW_COLUMNS.get(key, "") if key in VIEW_COLUMNS else COLUMNS.get(name, "")
    tables = list(TABLES.values())
    if view and view.startswith("cur_") and view[4:] in TABLES:
        tables.insert(0, TABLES[view[4:]])
    for table in tables:
        if desc:
            break
        desc = next((c.description for c in table.columns if c.name == name), "")
    return desc


def view_columns() -> dict[str, list[tuple[str, str]]]:
    """Every analytical view's (column, DuckDB type), over an empty Parquet folder."""
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(tmp)
        check_views(con)  # connect() leaves the views unbound: a broken one is named by its sql file
        return {v: [(name, type_) for name, type_, *_ in con.sql(f"DESCRIBE {v}").fetchall()]
                for v in analytical_views()}


def peer_types_section() -> list[str]:
    """The peer-type taxonomy (etl/analysis/peer_types.csv) as a Markdown table: what peer_type means."""
    import csv

    from etl.analysis import PEER_TYPES_CSV

    with open(PEER_TYPES_CSV, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = ["## Peer types (`etl/analysis/peer_types.csv`)", "",
           "`peer_type` pools departments doing the same job under different names (issue 21): the department's "
           "name after the rename crosswalk (`name_key`) is tried against these patterns (regular expressions) "
           "in order and takes the type of the first that matches; a name none matches keeps itself as its "
           "type. A unit's own report (`report_scope = unit`) gets the type followed by （单位）, so no peer "
           "group mixes a department with a unit. A user's CSV with the same columns (`connect(peer_types=…)` "
           "or `$JUESUAN_PEER_TYPES`) is read first, so its patterns win. Peer comparisons "
           "(`personnel_public_ratio`) group by `peer_type`.", "",
           "| # | pattern | peer_type | note |", "|---|---|---|---|"]
    for i, r in enumerate(rows, 1):
        pattern = r["pattern"].replace("|", "\\|")
        out.append(f"| {i} | `{pattern}` | {r['peer_type']} | {r.get('note') or ''} |")
    return [*out, ""]


def render(columns: dict[str, list[tuple[str, str]]] | None = None) -> str:
    columns = view_columns() if columns is None else columns
    out = ["# Analytical views", "",
           "Generated by `python -m etl.analysis.views_doc` from `etl/analysis/sql/*.sql` "
           "(one view per file, applied in file-name order by `etl.analysis.connect`).", "",
           "    from etl.analysis import connect",
           "    con = connect(\"data/parquet\")   # or: juesuan sql --query \"SELECT …\"", "",
           "Every table of the data dictionary (" + ", ".join(f"`{t}`" for t in TABLES)
           + ") is a view of the same name over `<table>.parquet` (or a folder of Parquet files) of the "
           "snapshot current when `connect()` ran (resolved once, so the connection reads one whole build "
           "while runs commit), and `runs` over `<dir>/runs/`; a table the directory lacks is an empty view "
           "with the declared schema.", "",
           "Conventions: amounts are `DECIMAL` 万元 exactly as parsed (sums widen to DECIMAL(38,2)); "
           "ratios and percentages are `DOUBLE`, computed by the macros `safe_ratio` / `safe_pct`, and "
           "are NULL when the denominator is zero or missing. `cur_*` views hold the rows of one table "
           "for the version of each department-year that the comparison views use. "
           "`connect()` creates the version layer and `department_year_figures` (files numbered below 100) "
           "as TEMP TABLEs by default (`materialize=False` keeps them views), so they are computed once per "
           "connection; the switches (quality gate, 三公 basis) act in the views above them.", ""]
    out += ["## Macros", "", "```sql", (SQL_DIR / "005_macros.sql").read_text(encoding="utf-8").strip(),
            "```", ""]
    out += peer_types_section()
    for path in view_files():
        sql = path.read_text(encoding="utf-8")
        for name in re.findall(r"CREATE OR REPLACE MACRO\s+(\w+\([^)]*\))\s+AS\s+TABLE", sql):
            out += [f"## `{name}` (table macro)", "", f"Source: `etl/analysis/sql/{path.name}`", "",
                    _header(path), ""]
    for path in view_files():
        names = [v for v in columns if f"VIEW {v} " in path.read_text(encoding="utf-8")]
        for v in names:
            out += [f"## `{v}`", "", f"Source: `etl/analysis/sql/{path.name}`", "", _header(path), "",
                    "| column | type | meaning |", "|---|---|---|"]
            for name, type_ in columns[v]:
                out.append(f"| `{name}` | {type_} | {describe(name, v).replace('|', '/')} |")
            out.append("")
    return "\n".join(out)


def missing_descriptions(columns: dict[str, list[tuple[str, str]]] | None = None) -> dict[str, list[str]]:
    """View -> its columns without a description (neither in COLUMNS nor in etl.schema)."""
    columns = view_columns() if columns is None else columns
    missing = {v: [name for name, _ in cols if not describe(name, v).strip()] for v, cols in columns.items()}
    return {v: names for v, names in missing.items() if names}


def diff(path: Path, expected: str, context: int = 1, limit: int = 40) -> str | None:
    """None when `path` holds exactly `expected`, else a unified diff (at most `limit` lines)."""
    try:
        actual = path.read_text(encoding="utf-8")
    except OSError:
        return f"{path} is missing"
    if actual == expected:
        return None
    lines = list(difflib.unified_diff(actual.splitlines(), expected.splitlines(), f"{path} (on disk)",
                                      f"{path} (generated)", n=context, lineterm=""))
    if len(lines) > limit:
        lines = [*lines[:limit], f"… {len(lines) - limit} more diff lines"]
    return "\n".join(lines)


def check(path: Path = Path("docs/views.md")) -> list[str]:
    """Problems with the views documentation: undescribed columns, and `path` differing from render()."""
    try:
        columns = view_columns()
    except Exception as exc:  # noqa: BLE001 - a view that does not build is a problem to report, not a crash
        return [f"the analytical views do not build, so {path} cannot be checked: {exc}"]
    problems = [f"{v}: no description for column(s) {', '.join(names)} (add them to COLUMNS in "
                "etl/analysis/views_doc.py)" for v, names in missing_descriptions(columns).items()]
    delta = diff(path, render(columns))
    if delta is not None:
        problems.append(f"{path} is out of date: run `uv run python -m etl.analysis.views_doc`\n{delta}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.analysis.views_doc", description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="docs/views.md", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the file differs from the SQL or a view column has no description")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(args.target)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    args.target.parent.mkdir(parents=True, exist_ok=True)
    args.target.write_text(render(), encoding="utf-8")
    print(f"wrote {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
