-- personnel_public_ratio: 人员经费 / 公用经费 per department-year (behind the quality gate), and
-- how far it lies from its peers: the department-years of the same peer_type (014: the function
-- taxonomy pooling renamed and equivalent bodies, units typed apart from departments), pooled over
-- the years (a ratio is stable from year to year; one year of one type holds a handful of
-- districts, too few for a spread). The score is a robust z of the log ratio (a ratio is skewed;
-- its log is not):
--     robust_z = (ln ratio − median) / (1.4826 × MAD)      (MAD over the peers' ln ratios)
-- It is computed only when the peers hold at least 10 department-years from at least 3
-- departments, and the MAD is not 0; otherwise NULL and z_note says why. is_outlier: |z| > 3.5
-- (Iglewicz & Hoaglin's cut-off). Rows from comparison_rows: region_level and report_scope let a
-- region comparison keep one level and leave units out.
CREATE OR REPLACE VIEW personnel_public_ratio AS
WITH r AS (
    SELECT region, region_level, report_scope, department, department_id, department_type, peer_type, year, doc_id, quality,
           personnel_cost, public_cost, personnel_public_ratio AS ratio, personnel_share_pct,
           ln(CASE WHEN personnel_public_ratio > 0 THEN personnel_public_ratio END) AS log_ratio
    FROM comparison_rows
    WHERE personnel_cost IS NOT NULL OR public_cost IS NOT NULL
),
peers AS (
    SELECT peer_type, median(log_ratio) AS peer_log_median, count(log_ratio) AS peer_n,
           count(DISTINCT department_id) FILTER (WHERE log_ratio IS NOT NULL) AS peer_departments
    FROM r GROUP BY peer_type
),
spread AS (
    SELECT r.peer_type, median(abs(r.log_ratio - p.peer_log_median)) AS peer_log_mad
    FROM r JOIN peers AS p ON p.peer_type IS NOT DISTINCT FROM r.peer_type
    GROUP BY r.peer_type
),
scored AS (
    SELECT r.*, p.peer_n, p.peer_departments, exp(p.peer_log_median) AS peer_median, s.peer_log_mad,
           CASE WHEN r.log_ratio IS NULL THEN '比值为空（公用经费为零或缺失）'
                WHEN p.peer_n < 10 OR p.peer_departments < 3
                    THEN '同类部门样本不足（' || p.peer_n || ' 个部门-年度，' || p.peer_departments
                         || ' 个部门；需要至少 10 个部门-年度、3 个部门）'
                WHEN s.peer_log_mad = 0 THEN '同类部门比值无离散（MAD 为 0）' END AS z_note
    FROM r
    JOIN peers AS p ON p.peer_type IS NOT DISTINCT FROM r.peer_type
    JOIN spread AS s ON s.peer_type IS NOT DISTINCT FROM r.peer_type
)
SELECT
    * EXCLUDE (z_note, peer_log_mad),
    CASE WHEN z_note IS NULL THEN (log_ratio - ln(peer_median)) / (1.4826 * peer_log_mad) END AS robust_z,
    coalesce(abs(CASE WHEN z_note IS NULL THEN (log_ratio - ln(peer_median)) / (1.4826 * peer_log_mad) END)
             > 3.5, false) AS is_outlier,
    z_note
FROM scored;
