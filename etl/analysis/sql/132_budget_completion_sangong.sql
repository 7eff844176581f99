-- budget_completion_sangong: 三公 决算 vs 预算 per item per department-year (from the 三公 table),
-- with the narrative's sangong_total completion % and reason on the total row where printed.
--   item            total, overseas, vehicle_total, vehicle_purchase, vehicle_operation, reception
--   item_label      Chinese label of item.
--   completion_pct  100 * actual / budget (NULL when budget is 0 or missing).
--   flag            execution_flag(completion_pct).
CREATE OR REPLACE VIEW budget_completion_sangong AS
WITH nar AS (
    SELECT dy_key,
           max(completion_pct) AS completion_pct_printed,   -- one sangong_total statement expected
           max(reason)         AS reason
    FROM cur_budget_execution
    WHERE scope = 'sangong_total'
    GROUP BY dy_key
)
SELECT
    s.region, s.department, s.department_type, s.year, s.doc_id,
    s.item,
    CASE s.item WHEN 'total' THEN '三公经费合计' WHEN 'overseas' THEN '因公出国（境）费'
                WHEN 'vehicle_total' THEN '公务用车购置及运行费' WHEN 'vehicle_purchase' THEN '公务用车购置费'
                WHEN 'vehicle_operation' THEN '公务用车运行维护费' WHEN 'reception' THEN '公务接待费'
                ELSE s.item END AS item_label,
    s.budget, s.actual,
    s.actual - s.budget AS difference,
    safe_pct(s.actual, s.budget) AS completion_pct,
    CASE WHEN s.item = 'total' THEN nar.completion_pct_printed END AS completion_pct_printed,
    execution_flag(safe_pct(s.actual, s.budget)) AS flag,
    CASE WHEN s.item = 'total' THEN nar.reason END AS reason
FROM cur_sangong AS s
LEFT JOIN nar USING (dy_key);
