-- sangong_region_yoy: year-on-year change of 三公 spending per region, like for like: only the
-- departments (department_id, so a renamed department counts as itself) with 三公 figures in both
-- the year and the year before, behind the quality gate, on the switch's 三公 basis. A year whose
-- previous year is absent has no row (a gap, never a change across two years).
--   departments_balanced      n: departments present in both years
--   prev_actual / actual      their 三公 in year−1 and in year
--   change / change_pct       actual − prev_actual, 100 × change / prev_actual
--   median_department_change_pct  the median of the departments' own changes (robust to one large
--                             department dominating the sum)
-- Rows from comparison_rows (units left out). A statement "highest / lowest YoY" needs
-- departments_balanced ≥ comparison_min_n() in each region compared.
CREATE OR REPLACE VIEW sangong_region_yoy AS
WITH per_dept AS (
    SELECT region, department_id, year, sum(sangong_used_actual) AS actual
    FROM comparison_rows
    WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates
    GROUP BY region, department_id, year
),
pairs AS (
    SELECT c.region, c.year, c.department_id, p.actual AS prev_actual, c.actual
    FROM per_dept AS c
    JOIN per_dept AS p ON p.department_id = c.department_id AND p.year = c.year - 1
)
SELECT
    region, region_level(region) AS region_level, year,
    count(*)                                  AS departments_balanced,
    sum(prev_actual)                          AS prev_actual,
    sum(actual)                               AS actual,
    sum(actual) - sum(prev_actual)            AS change,
    safe_pct(sum(actual) - sum(prev_actual), sum(prev_actual)) AS change_pct,
    median(safe_pct(actual - prev_actual, prev_actual))        AS median_department_change_pct
FROM pairs
GROUP BY region, year;
