-- budget_completion_item: completion per 项 as stated in the narrative (scope = item), linked to
-- the function code where the parser matched the 项 name to the 05/03 table (code NOT NULL).
--   item_name       last segment of path (类/款/项 joined by '/').
--   linked          true when code is set; function_name / table_actual come from the 05
--                   (else 03) table's 项 row with that code in the same version.
--   completion_pct  100 * actual / budget, budget = initial_budget else full_year_budget.
--   flag            execution_flag(completion_pct).
CREATE OR REPLACE VIEW budget_completion_item AS
WITH fx AS (
    SELECT dy_key, code,
           -- prefer the 05 table (gpb_expenditure) over 03: its table_key sorts last
           arg_max(name, table_key)  AS function_name,
           arg_max(total, table_key) AS table_actual
    FROM cur_function_expenditure
    WHERE level = 'item' AND code IS NOT NULL
    GROUP BY dy_key, code
)
SELECT
    b.region, b.department, b.department_type, b.year, b.doc_id,
    b.path,
    regexp_extract(b.path, '([^/]+)$', 1) AS item_name,
    b.code,
    b.code IS NOT NULL AS linked,
    fx.function_name,
    b.initial_budget, b.full_year_budget, b.actual,
    fx.table_actual,
    CASE WHEN b.initial_budget IS NOT NULL THEN 'initial'
         WHEN b.full_year_budget IS NOT NULL THEN 'full_year' END AS budget_basis,
    b.actual - coalesce(b.initial_budget, b.full_year_budget) AS difference,
    safe_pct(b.actual, coalesce(b.initial_budget, b.full_year_budget)) AS completion_pct,
    b.completion_pct AS completion_pct_printed,
    execution_flag(safe_pct(b.actual, coalesce(b.initial_budget, b.full_year_budget))) AS flag,
    b.reason,
    b.page
FROM cur_budget_execution AS b
LEFT JOIN fx ON fx.dy_key = b.dy_key AND fx.code = b.code
WHERE b.scope = 'item';
