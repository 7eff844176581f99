-- personnel_public_ratio: 人员经费 / 公用经费 per department-year, and how far it lies from the
-- other departments of the same department_type in the same year, as a robust z-score:
--     robust_z = (ratio - median) / (1.4826 * MAD)
-- (MAD = median absolute deviation; 1.4826 makes it comparable with a standard deviation for
-- normal data). NULL when the group has fewer than 3 ratios or MAD is 0. is_outlier: |z| > 3.5
-- (Iglewicz & Hoaglin's cut-off).
CREATE OR REPLACE VIEW personnel_public_ratio AS
WITH r AS (
    SELECT region, department, department_type, year, doc_id,
           personnel_cost, public_cost, personnel_public_ratio AS ratio, personnel_share_pct
    FROM department_year_metrics
    WHERE personnel_cost IS NOT NULL OR public_cost IS NOT NULL
),
med AS (
    SELECT department_type, year, median(ratio) AS type_median, count(ratio) AS type_n
    FROM r
    GROUP BY department_type, year
),
mad AS (
    SELECT r.department_type, r.year, median(abs(r.ratio - m.type_median)) AS type_mad
    FROM r JOIN med AS m
      ON m.department_type IS NOT DISTINCT FROM r.department_type AND m.year = r.year
    GROUP BY r.department_type, r.year
)
SELECT
    r.*,
    m.type_median,
    d.type_mad,
    m.type_n,
    CASE WHEN m.type_n >= 3 THEN (r.ratio - m.type_median) / nullif(1.4826 * d.type_mad, 0) END AS robust_z,
    coalesce(abs(CASE WHEN m.type_n >= 3 THEN (r.ratio - m.type_median) / nullif(1.4826 * d.type_mad, 0) END)
             > 3.5, false) AS is_outlier
FROM r
JOIN med AS m ON m.department_type IS NOT DISTINCT FROM r.department_type AND m.year = r.year
JOIN mad AS d ON d.department_type IS NOT DISTINCT FROM r.department_type AND d.year = r.year;
