"""Write docs/views.md: every analytical view, its definition comment and its columns.

    uv run python -m etl.analysis.views_doc [docs/views.md]

Column types come from DuckDB (DESCRIBE on an empty Parquet set), descriptions from COLUMNS
below (a name means the same in every view), view descriptions from each .sql file's header.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from etl.analysis import SQL_DIR, analytical_views, connect, view_files
from etl.schema import TABLES

COLUMNS = {
    "dy_key": "Integer key of the department-year: hash(region, department, year).",
    "region": "District/county, e.g. 广州市天河区 (documents.region).",
    "department": "Full department name (documents.department).",
    "department_type": "Department name without the region prefix, aliases unified (documents.department_type).",
    "year": "Fiscal year.",
    "doc_id": "Document key; in comparison views the chosen version (or, per table, the version the rows come from).",
    "status": "Parse status of the document: ok, partial, failed (dq views) / check status (checks).",
    "source_file": "PDF path relative to the raw root.",
    "n_tables": "Distinct standard tables found in the document.",
    "version_rank": "1 = the version comparison views use (rule in document_versions).",
    "versions": "How many documents arrived for the department-year.",
    "is_duplicate": "versions > 1.",
    "is_chosen": "version_rank = 1.",
    "all_doc_ids": "Every doc_id of the department-year, best version first.",
    "total_expenditure": "本年支出合计 (收入支出决算总表), else 合计 of 支出决算表; 万元 DECIMAL.",
    "gpb_expenditure": "一般公共预算财政拨款支出 合计 (05 table), else the narrative's gpb_total actual; 万元.",
    "income_total": "本年收入合计; 万元.",
    "fiscal_appropriation_income": "财政拨款收入; 万元.",
    "personnel_cost": "人员经费合计 (cost_totals); 万元.",
    "public_cost": "公用经费合计 (cost_totals); 万元.",
    "basic_expenditure": "基本支出 on the 05 合计 row, else personnel_cost + public_cost; 万元.",
    "sangong_budget": "三公经费合计 预算数; 万元 (summed over departments in aggregated views).",
    "sangong_actual": "三公经费合计 决算数; 万元 (summed over departments in aggregated views).",
    "overseas_budget": "因公出国（境）费 预算数; 万元.", "overseas_actual": "因公出国（境）费 决算数; 万元.",
    "vehicle_budget": "公务用车购置及运行费 预算数; 万元.", "vehicle_actual": "公务用车购置及运行费 决算数; 万元.",
    "vehicle_purchase_budget": "公务用车购置费 预算数; 万元.",
    "vehicle_purchase_actual": "公务用车购置费 决算数; 万元.",
    "vehicle_operation_budget": "公务用车运行维护费 预算数; 万元.",
    "vehicle_operation_actual": "公务用车运行维护费 决算数; 万元.",
    "reception_budget": "公务接待费 预算数; 万元.", "reception_actual": "公务接待费 决算数; 万元.",
    "gpb_initial_budget": "Narrative gpb_total 年初预算; 万元.",
    "gpb_full_year_budget": "Narrative gpb_total 全年预算/调整预算; 万元 (NULL if not printed).",
    "gpb_actual": "Narrative gpb_total 支出决算; 万元.",
    "gpb_completion_pct_printed": "Completion % as printed in the narrative (gpb_total).",
    "personnel_public_ratio": "personnel_cost / public_cost (DOUBLE; NULL if public_cost is 0 or missing).",
    "personnel_share_pct": "100 × personnel_cost / basic_expenditure (NULL on zero/missing denominator).",
    "sangong_completion_pct": "100 × sangong_actual / sangong_budget (NULL on zero/missing budget).",
    "gpb_completion_pct": "100 × gpb_actual / gpb_initial_budget.",
    "gpb_completion_full_year_pct": "100 × gpb_actual / gpb_full_year_budget.",
    "departments": "Department-years aggregated into the row.",
    "completion_pct": "100 × actual / budget (DOUBLE); budget per budget_basis; NULL on zero/missing budget.",
    "completion_full_year_pct": "100 × actual / full_year_budget.",
    "completion_pct_printed": "Completion % as printed (NULL if absent).",
    "prev_year_actual": "sangong_actual of the same region and department_type in year − 1 (NULL if absent).",
    "yoy_change": "sangong_actual − prev_year_actual; 万元 DECIMAL.",
    "yoy_pct": "100 × yoy_change / prev_year_actual.",
    "rank_in_type": "Rank of the region among regions with the same department_type and year (1 = highest 三公).",
    "regions_in_type": "Regions with that department_type in that year.",
    "ratio": "personnel_cost / public_cost.",
    "type_median": "Median ratio of the department_type in the year.",
    "type_mad": "Median absolute deviation of the ratio within the department_type and year.",
    "type_n": "Ratios in the department_type and year.",
    "robust_z": "(ratio − type_median) / (1.4826 × type_mad); NULL when type_n < 3 or MAD = 0.",
    "is_outlier": "|robust_z| > 3.5.",
    "initial_budget": "年初预算; 万元.", "full_year_budget": "全年预算 / 调整预算; 万元.",
    "actual": "决算数 / 支出决算; 万元.", "budget": "预算数; 万元.",
    "table_actual": "The same figure read from the 05 (else 03) table, for cross-checking the narrative; 万元.",
    "budget_basis": "initial (年初预算) or full_year (全年预算, used when no 年初预算 is printed).",
    "difference": "actual − budget; 万元 DECIMAL.",
    "printed_differs": "|computed − printed completion %| > 0.5 points.",
    "flag": "over (> 110 %), under (< 90 %), on_target, no_budget — macro execution_flag.",
    "reason": "The printed explanation (主要原因…).",
    "path": "类/款/项 names joined by '/' as printed.",
    "item_name": "Last segment of path (the 项).",
    "code": "Function code (7-digit 项 code in budget views).",
    "linked": "code IS NOT NULL: the 项 was matched by name to the 05/03 table.",
    "function_name": "科目名称 of the linked 项 row in the 05 (else 03) table.",
    "item": "三公 item key: total, overseas, vehicle_total, vehicle_purchase, vehicle_operation, reception.",
    "item_label": "Chinese label of the 三公 item.",
    "page": "PDF page the figure was read from.",
    "doc_kind": "final_accounts, budget or other.",
    "documents": "Number of documents.",
    "error": "Why the document failed or is partial.",
    "table_key": "Standard table key (see etl.schema.TABLE_KEYS).",
    "table_no": "Number of the standard table (公开01–09).",
    "table_title": "Chinese title of the standard table.",
    "check_id": "Consistency check id.", "detail": "What the check compared and by how much it disagreed.",
    "tables_found": "Distinct standard tables found.",
    "tables_missing": "9 − tables_found (final accounts only).",
    "checks_run": "Checks run on the document.", "checks_failed": "Checks that failed.",
    "checks_passed": "Checks that passed.",
}


def _header(path: Path) -> str:
    lines = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        if not ln.startswith("--"):
            break
        lines.append(ln[2:].removeprefix(" "))
    return "\n".join(lines)


def render() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(tmp)
        out = ["# Analytical views", "",
               "Generated by `python -m etl.analysis.views_doc` from `etl/analysis/sql/*.sql` "
               "(one view per file, applied in file-name order by `etl.analysis.connect`).", "",
               "    from etl.analysis import connect",
               "    con = connect(\"data/parquet\")   # or: juesuan sql --query \"SELECT …\"", "",
               "Every table of the data dictionary (" + ", ".join(f"`{t}`" for t in TABLES)
               + ") is a view of the same name over `<dir>/<table>.parquet` (or a folder of Parquet files); "
               "a table the directory lacks is an empty view with the declared schema.", "",
               "Conventions: amounts are `DECIMAL` 万元 exactly as parsed (sums widen to DECIMAL(38,2)); "
               "ratios and percentages are `DOUBLE`, computed by the macros `safe_ratio` / `safe_pct`, and "
               "are NULL when the denominator is zero or missing. `cur_*` views hold the rows of one table "
               "for the version of each department-year that the comparison views use. "
               "`connect()` creates the version layer (files numbered below 100) as TEMP TABLEs by default "
               "(`materialize=False` keeps them views), so the version choice is computed once per connection.", ""]
        out += ["## Macros", "", "```sql", (SQL_DIR / "005_macros.sql").read_text(encoding="utf-8").strip(),
                "```", ""]
        for path in view_files():
            names = [v for v in analytical_views() if f"VIEW {v} " in path.read_text(encoding="utf-8")]
            for v in names:
                out += [f"## `{v}`", "", f"Source: `etl/analysis/sql/{path.name}`", "", _header(path), "",
                        "| column | type | meaning |", "|---|---|---|"]
                for name, type_, *_ in con.sql(f"DESCRIBE {v}").fetchall():
                    desc = COLUMNS.get(name, "")
                    if not desc:
                        for t in TABLES.values():
                            desc = next((c.description for c in t.columns if c.name == name), "")
                            if desc:
                                break
                    out.append(f"| `{name}` | {type_} | {desc.replace('|', '/')} |")
                out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else Path("docs/views.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
