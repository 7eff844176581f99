-- budget_completion_sangong: 三公 决算 vs 预算 per item per department-year (三公 table, behind
-- the quality gate), with the narrative's sangong_total completion % and reason on the total row.
-- The total row follows the switch's 三公 basis (printed 合计, or 出国 + 用车 + 接待): item 'total'
-- carries the figures the department_year_metrics.sangong_used_* columns carry.
--   item            total, overseas, vehicle_total, vehicle_purchase, vehicle_operation, reception
--   is_part         true for the three parts of the total: overseas, vehicle_total, reception
--   completion_pct  100 * actual / budget (NULL when the budget is 0 or missing);
--   flag            over / under / on_target / unbudgeted (budget 0, actual > 0) / idle / no_budget.
CREATE OR REPLACE VIEW budget_completion_sangong AS
WITH nar AS (
    SELECT dy_key,
           first(completion_pct ORDER BY page) AS completion_pct_printed,
           first(reason ORDER BY page)         AS reason
    FROM cur_budget_execution
    WHERE scope = 'sangong_total'
    GROUP BY dy_key
),
items AS (
    SELECT dy_key, item, budget, actual, page FROM cur_sangong WHERE item <> 'total'
    UNION ALL
    SELECT dy_key, 'total', sangong_used_budget, sangong_used_actual, sangong_page
    FROM department_year_metrics WHERE sangong_used_actual IS NOT NULL OR sangong_used_budget IS NOT NULL
)
SELECT
    m.region, m.department, m.department_id, m.department_type, m.year, m.doc_id, m.quality,
    s.item,
    CASE s.item WHEN 'total' THEN '三公经费合计' WHEN 'overseas' THEN '因公出国（境）费'
                WHEN 'vehicle_total' THEN '公务用车购置及运行费' WHEN 'vehicle_purchase' THEN '公务用车购置费'
                WHEN 'vehicle_operation' THEN '公务用车运行维护费' WHEN 'reception' THEN '公务接待费'
                ELSE s.item END AS item_label,
    s.item IN ('overseas', 'vehicle_total', 'reception') AS is_part,
    m.sangong_basis,
    s.budget, s.actual,
    s.actual - s.budget AS difference,
    safe_pct(s.actual, s.budget) AS completion_pct,
    CASE WHEN s.item = 'total' THEN nar.completion_pct_printed END AS completion_pct_printed,
    execution_flag(safe_pct(s.actual, s.budget), s.budget, NULL, s.actual) AS flag,
    flag_label(execution_flag(safe_pct(s.actual, s.budget), s.budget, NULL, s.actual)) AS flag_label,
    CASE WHEN s.item = 'total' THEN nar.reason END AS reason,
    m.source_file,
    s.page
FROM items AS s
JOIN department_year_metrics AS m USING (dy_key)
LEFT JOIN nar USING (dy_key)
WHERE figure_included(m.sangong_quality);   -- 三公 figures a contradiction puts in doubt are left out
