-- budget_completion_item: completion per 项 as stated in the narrative (scope = item), behind the
-- quality gate, by the one budget rule (budget = 年初预算 if > 0, else 全年预算, else the printed %),
-- linked to the function code where the parser matched the 项 name to a table row.
--   item_name       last segment of path (类/款/项 joined by '/').
--   linked          true when code is set; function_name / table_actual come from the 05 row
--                   with that code, else the 03 row (table_source says which) — a table figure,
--                   independent of the narrative's actual.
--   flag            over / under / on_target / unbudgeted / idle / no_budget.
--   completion_initial_pct / flag_initial, completion_full_year_pct / flag_full_year: the same 项 on
--                   年初预算 alone and on 全年预算 alone (NULL where that budget is not printed or not
--                   > 0), so the two bases are compared over the statements printing both.
CREATE OR REPLACE VIEW budget_completion_item AS
WITH fx AS (
    SELECT dy_key, code,
           -- the 05 table (gpb_expenditure) before 03 (expenditure): gpb_expenditure sorts last
           arg_max(name, table_key)      AS function_name,
           arg_max(total, table_key)     AS table_actual,
           max(table_key)                AS table_source
    FROM cur_function_expenditure
    WHERE level = 'item' AND code IS NOT NULL
    GROUP BY dy_key, code
)
SELECT
    m.region, m.department, m.department_id, m.department_type, m.year, b.doc_id, m.quality,
    b.path,
    regexp_extract(b.path, '([^/]+)$', 1) AS item_name,
    b.code,
    b.code IS NOT NULL AS linked,
    fx.function_name,
    b.initial_budget, b.full_year_budget,
    budget_amount(b.initial_budget, b.full_year_budget) AS budget,
    b.actual,
    fx.table_actual,
    CASE fx.table_source WHEN 'gpb_expenditure' THEN '05' WHEN 'expenditure' THEN '03' END AS table_source,
    budget_basis(b.initial_budget, b.full_year_budget, b.completion_pct) AS budget_basis,
    basis_label(budget_basis(b.initial_budget, b.full_year_budget, b.completion_pct)) AS basis_label,
    b.actual - budget_amount(b.initial_budget, b.full_year_budget) AS difference,
    completion_pct(b.initial_budget, b.full_year_budget, b.actual, b.completion_pct) AS completion_pct,
    b.completion_pct AS completion_pct_printed,
    CASE WHEN b.initial_budget > 0 THEN safe_pct(b.actual, b.initial_budget) END AS completion_initial_pct,
    CASE WHEN b.initial_budget > 0 THEN execution_flag(safe_pct(b.actual, b.initial_budget),
                                                       b.initial_budget, NULL, b.actual) END AS flag_initial,
    CASE WHEN b.full_year_budget > 0 THEN safe_pct(b.actual, b.full_year_budget) END AS completion_full_year_pct,
    CASE WHEN b.full_year_budget > 0 THEN execution_flag(safe_pct(b.actual, b.full_year_budget),
                                                         b.full_year_budget, NULL, b.actual) END
        AS flag_full_year,
    execution_flag(completion_pct(b.initial_budget, b.full_year_budget, b.actual, b.completion_pct),
                   b.initial_budget, b.full_year_budget, b.actual) AS flag,
    flag_label(execution_flag(completion_pct(b.initial_budget, b.full_year_budget, b.actual, b.completion_pct),
                              b.initial_budget, b.full_year_budget, b.actual)) AS flag_label,
    b.reason,
    m.source_file,
    b.page
FROM cur_budget_execution AS b
JOIN department_year_metrics AS m USING (dy_key)
LEFT JOIN fx ON fx.dy_key = b.dy_key AND fx.code = b.code
WHERE b.scope = 'item'
  AND figure_included(m.items_quality);   -- items a contradiction puts in doubt are left out
