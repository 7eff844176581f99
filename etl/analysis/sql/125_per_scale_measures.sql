-- per_scale_measures: 三公 and 公用经费 per unit of scale, per department-year (behind the quality
-- gate; rows from comparison_rows), over the counts table (the counts and scales the report
-- prints, issue 21 point 1; when the output has no counts, every measure is NULL and says why).
--   vehicles_held            公务用车保有量 (counts.kind vehicles_held, 辆); its page
--   sangong_per_vehicle      vehicle_actual (公务用车购置及运行费 决算, 万元) ÷ vehicles_held: 万元 per vehicle
--   staff                    实有人数 (staff_actual) where printed, else 编制人数 (staff_authorised);
--                            staff_kind says which, staff_page where
--   sangong_per_staff        sangong_used_actual (the switch's 三公 basis) ÷ staff, 万元 per person
--   public_cost_per_staff    public_cost (公用经费) ÷ staff, 万元 per person
-- Never a division by an absent or zero denominator: the measure is NULL and its *_note says why
-- (未读到…: the report prints none or none was read; …为 0; no numerator). A count is taken from the department-year's best-ranked
-- version printing it (then the first by page); a count split by scope (国内 / 外事) uses the total
-- row (scope NULL). Pages are in the numbering of the file printing them (document_pages).
CREATE OR REPLACE VIEW per_scale_measures AS
WITH c AS (
    SELECT v.dy_key, k.kind, k.value, k.doc_id,
           coalesce(p.file_page, k.page) AS page
    FROM counts AS k
    JOIN document_versions AS v USING (doc_id)
    LEFT JOIN document_pages AS p ON p.doc_id = k.doc_id AND p.page = k.page
    WHERE k.scope IS NULL AND k.value IS NOT NULL
      AND k.kind IN ('vehicles_held', 'staff_actual', 'staff_authorised')
    QUALIFY row_number() OVER (PARTITION BY v.dy_key, k.kind ORDER BY v.version_rank, k.page) = 1
),
d AS (
    SELECT dy_key,
           max(value) FILTER (WHERE kind = 'vehicles_held')    AS vehicles_held,
           max(page) FILTER (WHERE kind = 'vehicles_held')     AS vehicles_held_page,
           max(value) FILTER (WHERE kind = 'staff_actual')     AS staff_actual,
           max(page) FILTER (WHERE kind = 'staff_actual')      AS staff_actual_page,
           max(value) FILTER (WHERE kind = 'staff_authorised') AS staff_authorised,
           max(page) FILTER (WHERE kind = 'staff_authorised')  AS staff_authorised_page
    FROM c GROUP BY dy_key
),
m AS (
    SELECT r.dy_key, r.region, r.region_level, r.report_scope, r.in_region_aggregates, r.department,
           r.department_id, r.department_type, r.peer_type, r.year, r.doc_id, r.quality,
           r.vehicle_actual, r.sangong_used_actual, r.public_cost,
           d.vehicles_held, d.vehicles_held_page,
           coalesce(d.staff_actual, d.staff_authorised) AS staff,
           CASE WHEN d.staff_actual IS NOT NULL THEN 'staff_actual'
                WHEN d.staff_authorised IS NOT NULL THEN 'staff_authorised' END AS staff_kind,
           CASE WHEN d.staff_actual IS NOT NULL THEN d.staff_actual_page ELSE d.staff_authorised_page END
               AS staff_page
    FROM comparison_rows AS r LEFT JOIN d USING (dy_key)
)
SELECT
    m.* EXCLUDE (staff_label_zero),
    CASE WHEN m.staff_kind = 'staff_actual' THEN '实有人数' WHEN m.staff_kind = 'staff_authorised' THEN '编制人数' END
        AS staff_label,
    safe_ratio(m.vehicle_actual, m.vehicles_held) AS sangong_per_vehicle,
    CASE WHEN m.vehicles_held IS NULL THEN '未读到公务用车保有量'
         WHEN m.vehicles_held = 0 THEN '公务用车保有量为 0'
         WHEN m.vehicle_actual IS NULL THEN '无公务用车购置及运行费决算数' END AS sangong_per_vehicle_note,
    safe_ratio(m.sangong_used_actual, m.staff) AS sangong_per_staff,
    CASE WHEN m.staff IS NULL THEN '未读到实有人数或编制人数'
         WHEN m.staff = 0 THEN m.staff_label_zero
         WHEN m.sangong_used_actual IS NULL THEN '无三公经费决算数' END AS sangong_per_staff_note,
    safe_ratio(m.public_cost, m.staff) AS public_cost_per_staff,
    CASE WHEN m.staff IS NULL THEN '未读到实有人数或编制人数'
         WHEN m.staff = 0 THEN m.staff_label_zero
         WHEN m.public_cost IS NULL THEN '无公用经费数' END AS public_cost_per_staff_note
FROM (SELECT *, CASE staff_kind WHEN 'staff_actual' THEN '实有人数为 0' ELSE '编制人数为 0' END AS staff_label_zero
      FROM m) AS m;
