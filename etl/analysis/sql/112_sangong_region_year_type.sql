-- sangong_region_year_type: 三公 spending by region × year × department_type (rows from
-- comparison_rows: behind the quality gate, units left out, switch's 三公 basis), the change
-- against the same departments (department_id) one year earlier (NULL when not all of them are
-- there), and the rank of this region's departments of the type among the regions OF THE SAME
-- region_level that have the type that year (1 = highest 三公 决算, in 万元 — not adjusted for
-- size; regions_in_type is the n of the rank). Below comparison_min_n() regions the rank is NULL
-- and rank_note says why (no "rank 1 of 1").
CREATE OR REPLACE VIEW sangong_region_year_type AS
WITH agg AS (
    SELECT
        region, any_value(region_level) AS region_level, year, department_type,
        count(*)                  AS departments,
        list(department_id ORDER BY department_id) AS department_ids,
        sum(sangong_used_budget)  AS sangong_used_budget,
        sum(sangong_used_actual)  AS sangong_used_actual,
        sum(overseas_actual)      AS overseas_actual,
        sum(vehicle_actual)       AS vehicle_actual,
        sum(reception_actual)     AS reception_actual
    FROM comparison_rows
    WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates
    GROUP BY region, year, department_type
),
ranked AS (
    SELECT
        a.* EXCLUDE (department_ids),
        safe_pct(a.sangong_used_actual, a.sangong_used_budget) AS completion_pct,
        p.sangong_used_actual                                  AS prev_year_actual,
        a.sangong_used_actual - p.sangong_used_actual          AS yoy_change,
        safe_pct(a.sangong_used_actual - p.sangong_used_actual, p.sangong_used_actual) AS yoy_pct,
        rank() OVER (PARTITION BY a.region_level, a.department_type, a.year
                     ORDER BY a.sangong_used_actual DESC NULLS LAST)             AS raw_rank,
        count(*) OVER (PARTITION BY a.region_level, a.department_type, a.year)   AS regions_in_type
    FROM agg AS a
    LEFT JOIN agg AS p
      ON p.region = a.region AND p.department_type IS NOT DISTINCT FROM a.department_type
     AND p.year = a.year - 1 AND p.department_ids = a.department_ids
)
SELECT
    * EXCLUDE (raw_rank),
    CASE WHEN regions_in_type >= comparison_min_n() THEN raw_rank END AS rank_across_regions,
    CASE WHEN regions_in_type < comparison_min_n()
         THEN '仅 ' || regions_in_type || ' 个同级地区有此类部门（少于 ' || comparison_min_n() || ' 个），不排名' END
                                                                       AS rank_note
FROM ranked;
