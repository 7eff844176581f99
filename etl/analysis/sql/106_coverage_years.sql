-- coverage_years: per metric and year, how many comparable department-years hold the figure
-- (comparison_rows: department scope, district level, the figure NOT NULL), and whether the year's
-- coverage is adequate: at least 80 % of the median over the years holding the metric. The
-- "latest year" of every page and Findings is latest_adequate_year(metric): the latest adequate
-- year, never a thin tail (a last year holding a handful of department-years while the earlier
-- years hold dozens). metric is one of sangong (三公 决算), sangong_completion (三公 完成率),
-- personnel_public (人员经费/公用经费), gpb_completion (财政拨款完成率).
CREATE OR REPLACE VIEW coverage_years AS
WITH per_year AS (
    SELECT metric, year, count(*) FILTER (WHERE has_figure) AS department_years
    FROM comparison_rows,
         LATERAL (VALUES ('sangong', sangong_used_actual IS NOT NULL),
                         ('sangong_completion', sangong_completion_pct IS NOT NULL),
                         ('personnel_public', personnel_public_ratio IS NOT NULL),
                         ('gpb_completion', gpb_completion_pct IS NOT NULL)) AS t(metric, has_figure)
    WHERE in_region_aggregates AND region_level = 'district' AND year IS NOT NULL
    GROUP BY metric, year
    HAVING count(*) FILTER (WHERE has_figure) > 0
)
SELECT metric, year, department_years,
       median(department_years) OVER (PARTITION BY metric) AS median_department_years,
       department_years >= 0.8 * median(department_years) OVER (PARTITION BY metric) AS adequate
FROM per_year;

-- latest_adequate_year(metric): the latest year of coverage_years whose coverage is adequate
-- (NULL when the metric has no district department-year at all).
CREATE OR REPLACE MACRO latest_adequate_year(m) AS
    (SELECT max(year) FROM coverage_years WHERE metric = m AND adequate);
