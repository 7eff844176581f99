-- budget_completion_department: 一般公共预算财政拨款支出 completion per department-year (behind
-- the quality gate), from the narrative's gpb_total statement, by the one budget rule
-- (005_macros.sql): budget = 年初预算 if > 0, else 全年预算 if printed, else the printed %.
--   completion_pct          the completion on budget_basis (the headline);
--   completion_initial_pct / flag_initial        on 年初预算 alone (NULL unless it is printed and > 0);
--   completion_full_year_pct / flag_full_year    on 全年预算 alone (NULL unless printed and > 0):
--                           both bases side by side, each with its own n (count its non-NULL rows).
--   completion_pct_printed  as printed (NULL if absent); printed_differs: |computed − printed| > 0.5
--                           points where both are amounts-based.
--   table_actual            合计 of 一般公共预算财政拨款支出决算表 (05) — an independent source, never
--                           the narrative itself; table_mismatch when it differs beyond 0.01.
--   flag / flag_label       over / under / on_target / unbudgeted / idle / no_budget.
-- Rows from comparison_rows (region_level, report_scope: a region comparison keeps one level, no units).
CREATE OR REPLACE VIEW budget_completion_department AS
SELECT
    m.region, m.region_level, m.report_scope, m.department, m.department_id, m.department_type, m.year,
    b.doc_id,                      -- the document the statement was read from
    m.quality,
    gpb_initial_budget AS initial_budget,
    gpb_full_year_budget AS full_year_budget,
    gpb_budget AS budget,
    gpb_actual AS actual,
    gpb_table_actual AS table_actual,
    gpb_narrative_table_mismatch AS table_mismatch,
    budget_basis,
    basis_label(budget_basis) AS basis_label,
    gpb_actual - gpb_budget AS difference,
    gpb_completion_pct AS completion_pct,
    gpb_completion_initial_pct AS completion_initial_pct,
    gpb_flag_initial AS flag_initial,
    flag_label(gpb_flag_initial) AS flag_initial_label,
    gpb_completion_full_year_pct AS completion_full_year_pct,
    gpb_flag_full_year AS flag_full_year,
    flag_label(gpb_flag_full_year) AS flag_full_year_label,
    gpb_completion_pct_printed AS completion_pct_printed,
    CASE WHEN budget_basis IN ('initial', 'full_year') AND gpb_completion_pct_printed IS NOT NULL
         THEN abs(gpb_completion_pct - CAST(gpb_completion_pct_printed AS DOUBLE)) > 0.5 END AS printed_differs,
    gpb_flag AS flag,
    flag_label(gpb_flag) AS flag_label,
    b.reason,
    m.source_file,
    m.gpb_page AS page
FROM comparison_rows AS m
LEFT JOIN (SELECT dy_key, doc_id, reason FROM cur_budget_execution WHERE scope = 'gpb_total'
           QUALIFY row_number() OVER (PARTITION BY dy_key ORDER BY page, initial_budget, actual) = 1) AS b
       ON b.dy_key = m.dy_key
WHERE gpb_actual_source = 'narrative';
