-- pefa_balanced_departments: per region, the departments (department_id, in_region_aggregates) with a
-- PI-1 outturn in EVERY year the region has department-years in comparison_rows, so a region's
-- yearly figure compares the same departments throughout (n = departments in the set).
CREATE OR REPLACE VIEW pefa_balanced_departments AS
WITH span AS (
    SELECT region, min(year) AS first_year, max(year) AS last_year, count(DISTINCT year) AS years
    FROM comparison_rows WHERE in_region_aggregates GROUP BY region
)
SELECT p.region, p.department_id, s.first_year, s.last_year, s.years
FROM pefa_pi1_department AS p
JOIN span AS s USING (region)
WHERE p.in_region_aggregates AND p.pi1_outturn_pct IS NOT NULL
GROUP BY p.region, p.department_id, s.first_year, s.last_year, s.years
HAVING count(DISTINCT p.year) = s.years;
