-- department_year_metrics_all: one row per department-year, every quality: department_year_figures
-- plus the columns that follow the switches (sangong_basis(): 'printed' by default, or 'parts';
-- juesuan_quality: 'default' or 'all'):
--   sangong_used_budget / sangong_used_actual  the printed 合计, or 出国 + 用车 + 接待
--   sangong_completion_pct                     100 × used actual / used budget
--   included         the department-year enters the comparisons (department_year_metrics): its
--                    status is not failed and at least one figure group is not graded fail; every
--                    department-year under the switch 'all'
--   figures_dropped  the figure groups (sangong, cost, gpb, totals, items) graded fail, whose
--                    figures department_year_metrics sets to NULL; NULL when none or under 'all'
-- Figures are never NULLed here: this view shows what was printed.
CREATE OR REPLACE VIEW department_year_metrics_all AS
SELECT
    *,
    sangong_basis() AS sangong_basis,
    CASE sangong_basis() WHEN 'parts' THEN sangong_parts_budget ELSE sangong_budget END AS sangong_used_budget,
    CASE sangong_basis() WHEN 'parts' THEN sangong_parts_actual ELSE sangong_actual END AS sangong_used_actual,
    safe_pct(CASE sangong_basis() WHEN 'parts' THEN sangong_parts_actual ELSE sangong_actual END,
             CASE sangong_basis() WHEN 'parts' THEN sangong_parts_budget ELSE sangong_budget END)
        AS sangong_completion_pct,
    coalesce(getvariable('juesuan_quality'), 'default') = 'all'
        OR (status <> 'failed'
            AND (figure_included(sangong_quality) OR figure_included(cost_quality) OR figure_included(gpb_quality)
                 OR figure_included(totals_quality) OR figure_included(items_quality))) AS included,
    nullif(concat_ws(',',
        CASE WHEN NOT figure_included(sangong_quality) THEN 'sangong' END,
        CASE WHEN NOT figure_included(cost_quality) THEN 'cost' END,
        CASE WHEN NOT figure_included(gpb_quality) THEN 'gpb' END,
        CASE WHEN NOT figure_included(totals_quality) THEN 'totals' END,
        CASE WHEN NOT figure_included(items_quality) THEN 'items' END), '') AS figures_dropped
FROM department_year_figures;
