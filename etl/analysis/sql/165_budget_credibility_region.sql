-- budget_credibility_region: PI-1 and PI-2 per region-year over the balanced set of departments
-- (pefa_balanced_departments; n = departments): PI-1 of the summed 决算 and 年初预算, PI-2 by
-- department (administrative classification); the three-year scores as above.
CREATE OR REPLACE VIEW budget_credibility_region AS
WITH yearly AS (
    SELECT region, year, count(*) AS departments,
           sum(budget) AS initial_budget, sum(actual) AS actual
    FROM pefa_lines WHERE level = 'region'
    GROUP BY region, year
),
scored AS (
    SELECT y.region, y.year, y.departments, b.first_year, b.last_year,
           y.initial_budget, y.actual, safe_pct(y.actual, y.initial_budget) AS pi1_outturn_pct,
           pefa_pi1_band(safe_pct(y.actual, y.initial_budget)) AS pi1_band,
           q.pi2_lines, q.pi2_variance_pct, pefa_pi2_band(q.pi2_variance_pct) AS pi2_band
    FROM yearly AS y
    JOIN (SELECT DISTINCT region, first_year, last_year FROM pefa_balanced_departments) AS b USING (region)
    LEFT JOIN pefa_pi2 AS q ON q.level = 'region' AND q.region = y.region AND q.year = y.year
)
SELECT s.*,
       pefa_score_2of3(s.pi1_band, s1.pi1_band, s2.pi1_band) AS pi1_score_3y,
       pefa_score_2of3(s.pi2_band, s1.pi2_band, s2.pi2_band) AS pi2_score_3y
FROM scored AS s
LEFT JOIN scored AS s1 ON s1.region = s.region AND s1.year = s.year - 1
LEFT JOIN scored AS s2 ON s2.region = s.region AND s2.year = s.year - 2;
