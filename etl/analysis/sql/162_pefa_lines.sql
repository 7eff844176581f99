-- pefa_lines: the budget heads PI-2 compares. level department: one line per 项 (code, else path)
-- the narrative states with 年初预算 (0 included: spending without a budget is a deviation) and 决算;
-- level region: one line per department of the balanced set, its 年初预算 and 决算.
CREATE OR REPLACE VIEW pefa_lines AS
SELECT 'department' AS level, region, department_id, year,
       coalesce(code, path) AS line, arg_min(initial_budget, page) AS budget, arg_min(actual, page) AS actual
FROM budget_completion_item
WHERE initial_budget IS NOT NULL AND actual IS NOT NULL
GROUP BY region, department_id, year, coalesce(code, path)
UNION ALL
SELECT 'region', p.region, NULL, p.year, p.department_id, sum(p.initial_budget), sum(p.actual)
FROM pefa_pi1_department AS p
JOIN pefa_balanced_departments AS b USING (region, department_id)
WHERE p.in_region_aggregates AND p.pi1_outturn_pct IS NOT NULL
GROUP BY p.region, p.year, p.department_id;
