-- pefa_pi2: per level and group (department-year or region-year) the composition variance.
CREATE OR REPLACE VIEW pefa_pi2 AS
WITH ranked AS (
    SELECT *,
           count(*) OVER g AS heads,
           row_number() OVER (PARTITION BY level, region, department_id, year ORDER BY budget DESC, line) AS head_rank,
           coalesce(sum(budget) OVER (PARTITION BY level, region, department_id, year ORDER BY budget DESC, line
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS budget_before,
           sum(budget) OVER g AS group_budget
    FROM pefa_lines
    WINDOW g AS (PARTITION BY level, region, department_id, year)
),
kept AS (   -- more than 20 heads: the largest making up 75 % of the budget (≥ 20 departments), rest one line
    SELECT level, region, department_id, year,
           CASE WHEN heads <= 20 OR budget_before < 0.75 * group_budget OR (level = 'region' AND head_rank <= 20)
                THEN line ELSE '(其余合并)' END AS line,
           budget, actual
    FROM ranked
),
lines AS (
    SELECT level, region, department_id, year, line, sum(budget) AS budget, sum(actual) AS actual
    FROM kept GROUP BY ALL
),
totals AS (
    SELECT *, sum(budget) OVER g AS total_budget, sum(actual) OVER g AS total_actual, count(*) OVER g AS n_lines
    FROM lines
    WINDOW g AS (PARTITION BY level, region, department_id, year)
)
SELECT level, region, department_id, year,
       any_value(n_lines) AS pi2_lines,
       CAST(any_value(total_budget) AS DOUBLE) AS pi2_budget,
       CAST(any_value(total_actual) AS DOUBLE) AS pi2_actual,
       CASE WHEN any_value(n_lines) >= 2 AND any_value(total_budget) > 0 AND any_value(total_actual) > 0
            THEN 100 * sum(abs(CAST(actual AS DOUBLE)
                               - CAST(budget AS DOUBLE) * total_actual / total_budget))
                 / any_value(CAST(total_actual AS DOUBLE)) END AS pi2_variance_pct
FROM totals
GROUP BY level, region, department_id, year;
