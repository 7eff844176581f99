-- per_scale_summary: per year, each per-scale measure's n (department-years it could be computed
-- for, departments only: units are inside their department's figures), median and the n left out
-- for want of a denominator. A ratio is never summed.
CREATE OR REPLACE VIEW per_scale_summary AS
SELECT
    year,
    count(*)                                  AS department_years,
    count(sangong_per_vehicle)                AS n_sangong_per_vehicle,
    median(sangong_per_vehicle)               AS median_sangong_per_vehicle,
    count(*) FILTER (WHERE vehicles_held IS NULL OR vehicles_held = 0) AS no_vehicle_denominator,
    count(sangong_per_staff)                  AS n_sangong_per_staff,
    median(sangong_per_staff)                 AS median_sangong_per_staff,
    count(public_cost_per_staff)              AS n_public_cost_per_staff,
    median(public_cost_per_staff)             AS median_public_cost_per_staff,
    count(*) FILTER (WHERE staff IS NULL OR staff = 0) AS no_staff_denominator,
    count(*) FILTER (WHERE staff_kind = 'staff_authorised') AS staff_from_authorised
FROM per_scale_measures
WHERE in_region_aggregates
GROUP BY year;
