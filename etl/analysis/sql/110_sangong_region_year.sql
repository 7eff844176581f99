-- sangong_region_year: 三公 spending by region × year (department-years behind the quality gate,
-- on the 三公 basis of the switch: sangong_basis). departments is the n behind every sum: a
-- region "total" is the sum over the departments the corpus holds, not the whole district, so
-- compare years with sangong_region_yoy (same departments in both years), not with these sums.
-- Rows from comparison_rows (the selection layer): units' own reports are left out (their figures
-- are inside their department's report); region_level says which regions compare with which.
CREATE OR REPLACE VIEW sangong_region_year AS
SELECT
    region, any_value(region_level) AS region_level, year,
    count(*)                   AS departments,
    any_value(sangong_basis)   AS sangong_basis,
    sum(sangong_used_budget)   AS sangong_used_budget,
    sum(sangong_used_actual)   AS sangong_used_actual,
    sum(overseas_actual)       AS overseas_actual,
    sum(vehicle_actual)        AS vehicle_actual,
    sum(reception_actual)      AS reception_actual,
    safe_pct(sum(sangong_used_actual), sum(sangong_used_budget)) AS completion_pct,
    median(sangong_completion_pct) AS median_completion_pct,
    count(*) FILTER (WHERE sangong_completion_pct < 90) AS departments_under_90pct
FROM comparison_rows
WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates
GROUP BY region, year;
