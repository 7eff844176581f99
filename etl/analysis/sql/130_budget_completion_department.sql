-- budget_completion_department: 一般公共预算财政拨款支出 completion per department-year, from the
-- narrative's gpb_total statement (年初预算 / 全年预算 vs 决算).
--   completion_pct          100 * actual / budget, where budget = initial_budget (年初预算) when
--                           printed, else full_year_budget; budget_basis says which.
--   completion_pct_printed  as printed in the narrative (NULL if absent).
--   printed_differs         |computed - printed| > 0.5 percentage points.
--   table_actual            合计 of 一般公共预算财政拨款支出决算表 (05), to cross-check the narrative.
--   flag                    execution_flag(completion_pct): over / under / on_target / no_budget.
CREATE OR REPLACE VIEW budget_completion_department AS
WITH b AS (
    SELECT dy_key, region, department, department_type, year, doc_id,
           initial_budget, full_year_budget, actual,
           completion_pct AS completion_pct_printed, reason,
           row_number() OVER (PARTITION BY dy_key ORDER BY page) AS k
    FROM cur_budget_execution
    WHERE scope = 'gpb_total'
)
SELECT
    b.region, b.department, b.department_type, b.year, b.doc_id,
    b.initial_budget, b.full_year_budget, b.actual,
    m.gpb_expenditure AS table_actual,
    CASE WHEN b.initial_budget IS NOT NULL THEN 'initial'
         WHEN b.full_year_budget IS NOT NULL THEN 'full_year' END AS budget_basis,
    b.actual - coalesce(b.initial_budget, b.full_year_budget) AS difference,
    safe_pct(b.actual, coalesce(b.initial_budget, b.full_year_budget)) AS completion_pct,
    safe_pct(b.actual, b.full_year_budget) AS completion_full_year_pct,
    b.completion_pct_printed,
    abs(safe_pct(b.actual, coalesce(b.initial_budget, b.full_year_budget))
        - CAST(b.completion_pct_printed AS DOUBLE)) > 0.5 AS printed_differs,
    execution_flag(safe_pct(b.actual, coalesce(b.initial_budget, b.full_year_budget))) AS flag,
    b.reason
FROM b
LEFT JOIN department_year_metrics AS m USING (dy_key)
WHERE b.k = 1;
