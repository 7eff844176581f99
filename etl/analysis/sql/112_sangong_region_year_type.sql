-- sangong_region_year_type: 三公 spending by region × year × department_type (behind the quality
-- gate, switch's 三公 basis), the change against the same departments (department_id) one year
-- earlier (NULL when not all of them are there), and the rank of this region's departments of
-- the type among the regions that have the type that year (1 = highest 三公 决算, in 万元 —
-- not adjusted for size; regions_in_type is the n of the rank).
CREATE OR REPLACE VIEW sangong_region_year_type AS
WITH agg AS (
    SELECT
        region, year, department_type,
        count(*)                  AS departments,
        list(department_id ORDER BY department_id) AS department_ids,
        sum(sangong_used_budget)  AS sangong_used_budget,
        sum(sangong_used_actual)  AS sangong_used_actual,
        sum(overseas_actual)      AS overseas_actual,
        sum(vehicle_actual)       AS vehicle_actual,
        sum(reception_actual)     AS reception_actual
    FROM department_year_metrics
    WHERE sangong_used_actual IS NOT NULL AND report_scope = 'department'  -- a unit is inside its department
    GROUP BY region, year, department_type
)
SELECT
    a.* EXCLUDE (department_ids),
    safe_pct(a.sangong_used_actual, a.sangong_used_budget) AS completion_pct,
    p.sangong_used_actual                                  AS prev_year_actual,
    a.sangong_used_actual - p.sangong_used_actual          AS yoy_change,
    safe_pct(a.sangong_used_actual - p.sangong_used_actual, p.sangong_used_actual) AS yoy_pct,
    rank() OVER (PARTITION BY a.department_type, a.year ORDER BY a.sangong_used_actual DESC NULLS LAST)
                                                           AS rank_across_regions,
    count(*) OVER (PARTITION BY a.department_type, a.year) AS regions_in_type
FROM agg AS a
LEFT JOIN agg AS p
  ON p.region = a.region AND p.department_type IS NOT DISTINCT FROM a.department_type
 AND p.year = a.year - 1 AND p.department_ids = a.department_ids;
