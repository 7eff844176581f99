-- department_years_export: the researcher export's department_years table (juesuan export): one row
-- per department-year behind the quality gate (the figures of a group graded fail left empty), the
-- headline metrics by the definitions above, with where each figure was printed. Column meanings: docs/export.md and the codebook.
CREATE OR REPLACE VIEW department_years_export AS
SELECT
    source_file, region, department, department_id, year, quality,
    sangong_budget, sangong_actual, sangong_parts_actual,
    overseas_actual, vehicle_actual, reception_actual,
    personnel_cost, public_cost, personnel_public_ratio,
    gpb_budget, gpb_actual, gpb_completion_pct, budget_basis,
    department_type, report_scope, template, report_form, body_kind, source_format, publication, sangong_source, quality_reason, checks_failed,
    sangong_quality, sangong_quality_reason, cost_quality, cost_quality_reason, gpb_quality, gpb_quality_reason,
    totals_quality, totals_quality_reason, items_quality, items_quality_reason,
    figures_dropped, disclosure_defects, disclosure_reason, versions_disagree,
    sangong_parts_budget, sangong_parts_mismatch, sangong_basis, sangong_used_budget, sangong_used_actual,
    overseas_budget, vehicle_budget, reception_budget,
    gpb_initial_budget, gpb_full_year_budget, gpb_completion_pct_printed, gpb_flag, gpb_actual_source,
    gpb_table_actual, gpb_narrative_table_mismatch,
    total_expenditure, basic_expenditure,
    doc_id, sangong_file, sangong_page, cost_file, cost_page, gpb_file, gpb_page, gpb_table_file,
    gpb_table_page
FROM department_year_metrics
ORDER BY region, department_id, year;
