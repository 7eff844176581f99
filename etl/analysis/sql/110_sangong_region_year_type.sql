-- sangong_region_year_type: 三公 spending by region × year × department_type (chosen versions),
-- with year-on-year change against the same region and type one year earlier (NULL when that
-- year is absent) and the rank of this region among all regions with the same department_type
-- in the same year (1 = highest 三公 actual).
CREATE OR REPLACE VIEW sangong_region_year_type AS
WITH agg AS (
    SELECT
        region, year, department_type,
        count(*)                          AS departments,
        sum(sangong_budget)               AS sangong_budget,
        sum(sangong_actual)               AS sangong_actual,
        sum(overseas_actual)              AS overseas_actual,
        sum(vehicle_actual)               AS vehicle_actual,
        sum(reception_actual)             AS reception_actual
    FROM department_year_metrics
    WHERE sangong_actual IS NOT NULL OR sangong_budget IS NOT NULL
    GROUP BY region, year, department_type
)
SELECT
    a.*,
    safe_pct(a.sangong_actual, a.sangong_budget) AS completion_pct,
    p.sangong_actual                                              AS prev_year_actual,
    a.sangong_actual - p.sangong_actual                           AS yoy_change,
    safe_pct(a.sangong_actual - p.sangong_actual, p.sangong_actual)
                                                                  AS yoy_pct,
    rank() OVER (PARTITION BY a.department_type, a.year ORDER BY a.sangong_actual DESC NULLS LAST)
                                                                  AS rank_in_type,
    count(*) OVER (PARTITION BY a.department_type, a.year)        AS regions_in_type
FROM agg AS a
LEFT JOIN agg AS p
  ON p.region = a.region AND p.department_type IS NOT DISTINCT FROM a.department_type AND p.year = a.year - 1;
