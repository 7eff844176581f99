-- department_year_metrics: the department-years the comparisons use — department_year_metrics_all
-- behind the quality gate, figure by figure. A department-year enters when its status is not
-- failed and at least one figure group is not graded fail (included); the figures of every group
-- graded fail are set to NULL, so each comparison view (which reads only non-NULL figures) drops
-- only the figures in doubt:
--   sangong  sangong_*, overseas_*, vehicle_*, reception_*, sangong_parts_*, sangong_used_*,
--            sangong_completion_pct
--   cost     personnel_cost, public_cost, personnel_public_ratio, personnel_share_pct
--   gpb      gpb_*, budget_basis
--   totals   total_expenditure, income_total, fiscal_appropriation_income
--   items    not NULLed here (per-row views): item views keep a row only when items_quality is not
--            fail (figure_included(items_quality)).
-- A disclosure defect (disclosure_defects) drops nothing. With the switch juesuan_quality = 'all'
-- (connect(quality='all')) every department-year enters and nothing is NULLed. quality_gate says
-- what was dropped and why.
CREATE OR REPLACE VIEW department_year_metrics AS
SELECT * REPLACE (
    CASE WHEN figure_included(sangong_quality) THEN sangong_budget END AS sangong_budget,
    CASE WHEN figure_included(sangong_quality) THEN sangong_actual END AS sangong_actual,
    CASE WHEN figure_included(sangong_quality) THEN overseas_budget END AS overseas_budget,
    CASE WHEN figure_included(sangong_quality) THEN overseas_actual END AS overseas_actual,
    CASE WHEN figure_included(sangong_quality) THEN vehicle_budget END AS vehicle_budget,
    CASE WHEN figure_included(sangong_quality) THEN vehicle_actual END AS vehicle_actual,
    CASE WHEN figure_included(sangong_quality) THEN vehicle_purchase_budget END AS vehicle_purchase_budget,
    CASE WHEN figure_included(sangong_quality) THEN vehicle_purchase_actual END AS vehicle_purchase_actual,
    CASE WHEN figure_included(sangong_quality) THEN vehicle_operation_budget END AS vehicle_operation_budget,
    CASE WHEN figure_included(sangong_quality) THEN vehicle_operation_actual END AS vehicle_operation_actual,
    CASE WHEN figure_included(sangong_quality) THEN reception_budget END AS reception_budget,
    CASE WHEN figure_included(sangong_quality) THEN reception_actual END AS reception_actual,
    CASE WHEN figure_included(sangong_quality) THEN sangong_parts_budget END AS sangong_parts_budget,
    CASE WHEN figure_included(sangong_quality) THEN sangong_parts_actual END AS sangong_parts_actual,
    CASE WHEN figure_included(sangong_quality) THEN sangong_parts_mismatch END AS sangong_parts_mismatch,
    CASE WHEN figure_included(sangong_quality) THEN sangong_used_budget END AS sangong_used_budget,
    CASE WHEN figure_included(sangong_quality) THEN sangong_used_actual END AS sangong_used_actual,
    CASE WHEN figure_included(sangong_quality) THEN sangong_completion_pct END AS sangong_completion_pct,
    CASE WHEN figure_included(cost_quality) THEN personnel_cost END AS personnel_cost,
    CASE WHEN figure_included(cost_quality) THEN public_cost END AS public_cost,
    CASE WHEN figure_included(cost_quality) THEN personnel_public_ratio END AS personnel_public_ratio,
    CASE WHEN figure_included(cost_quality) THEN personnel_share_pct END AS personnel_share_pct,
    CASE WHEN figure_included(gpb_quality) THEN gpb_initial_budget END AS gpb_initial_budget,
    CASE WHEN figure_included(gpb_quality) THEN gpb_full_year_budget END AS gpb_full_year_budget,
    CASE WHEN figure_included(gpb_quality) THEN gpb_budget END AS gpb_budget,
    CASE WHEN figure_included(gpb_quality) THEN gpb_actual END AS gpb_actual,
    CASE WHEN figure_included(gpb_quality) THEN gpb_actual_source END AS gpb_actual_source,
    CASE WHEN figure_included(gpb_quality) THEN gpb_completion_pct_printed END AS gpb_completion_pct_printed,
    CASE WHEN figure_included(gpb_quality) THEN budget_basis END AS budget_basis,
    CASE WHEN figure_included(gpb_quality) THEN gpb_completion_pct END AS gpb_completion_pct,
    CASE WHEN figure_included(gpb_quality) THEN gpb_flag END AS gpb_flag,
    CASE WHEN figure_included(gpb_quality) THEN gpb_table_actual END AS gpb_table_actual,
    CASE WHEN figure_included(gpb_quality) THEN gpb_narrative_table_mismatch END AS gpb_narrative_table_mismatch,
    CASE WHEN figure_included(gpb_quality) THEN gpb_unbudgeted END AS gpb_unbudgeted,
    CASE WHEN figure_included(gpb_quality) THEN gpb_completion_full_year_pct END AS gpb_completion_full_year_pct,
    CASE WHEN figure_included(gpb_quality) THEN gpb_completion_initial_pct END AS gpb_completion_initial_pct,
    CASE WHEN figure_included(gpb_quality) THEN gpb_flag_initial END AS gpb_flag_initial,
    CASE WHEN figure_included(gpb_quality) THEN gpb_flag_full_year END AS gpb_flag_full_year,
    CASE WHEN figure_included(totals_quality) THEN total_expenditure END AS total_expenditure,
    CASE WHEN figure_included(totals_quality) THEN income_total END AS income_total,
    CASE WHEN figure_included(totals_quality) THEN fiscal_appropriation_income END AS fiscal_appropriation_income)
FROM department_year_metrics_all
WHERE included;
