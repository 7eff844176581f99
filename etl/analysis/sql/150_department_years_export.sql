-- department_years_export: the researcher export's department_years table (juesuan export): one row
-- per department-year behind the quality gate (the figures of a group graded fail left empty), the
-- headline metrics by the definitions above, with where each figure was printed, both budget bases,
-- OCR provenance (095), peer type (014), the balanced-panel flag of the span set_options(balanced=)
-- chose (140; NULL when none) and the per-scale measures (125). Column meanings: docs/export.md and the codebook.
CREATE OR REPLACE VIEW department_years_export AS
SELECT
    source_file, region, department, department_id, year, quality,
    sangong_budget, sangong_actual, sangong_parts_actual,
    overseas_actual, vehicle_actual, reception_actual,
    personnel_cost, public_cost, personnel_public_ratio,
    gpb_budget, gpb_actual, gpb_completion_pct, budget_basis,
    department_type, report_scope, template, report_form, body_kind, source_format, publication, sangong_source, quality_reason, checks_failed,
    sangong_quality, sangong_quality_reason, cost_quality, cost_quality_reason, gpb_quality, gpb_quality_reason,
    totals_quality, totals_quality_reason, items_quality, items_quality_reason,
    figures_dropped, disclosure_defects, disclosure_reason, versions_disagree,
    sangong_parts_budget, sangong_parts_mismatch, sangong_basis, sangong_used_budget, sangong_used_actual,
    overseas_budget, vehicle_budget, reception_budget,
    gpb_initial_budget, gpb_full_year_budget, gpb_completion_pct_printed, gpb_flag, gpb_actual_source,
    gpb_table_actual, gpb_narrative_table_mismatch,
    total_expenditure, basic_expenditure,
    doc_id, sangong_file, sangong_page, cost_file, cost_page, gpb_file, gpb_page, gpb_table_file,
    gpb_table_page,
    -- issue 21: both budget bases, OCR provenance, peer type, the balanced panel, per-scale measures
    gpb_completion_initial_pct, gpb_flag_initial, gpb_completion_full_year_pct, gpb_flag_full_year,
    p.text_source, p.ocr_min_confidence,
    peer_type,
    b.in_balanced_panel, CASE WHEN b.in_balanced_panel IS NOT NULL THEN balanced_span() END AS balanced_span,
    s.vehicles_held, s.vehicles_held_page, s.sangong_per_vehicle, s.sangong_per_vehicle_note,
    s.staff, s.staff_kind, s.staff_page, s.sangong_per_staff, s.sangong_per_staff_note,
    s.public_cost_per_staff, s.public_cost_per_staff_note
FROM department_year_metrics
LEFT JOIN department_year_provenance AS p USING (dy_key)
LEFT JOIN balanced_flags(CAST(getvariable('juesuan_balanced_first') AS INTEGER),
                         CAST(getvariable('juesuan_balanced_last') AS INTEGER)) AS b USING (dy_key)
LEFT JOIN (SELECT dy_key, vehicles_held, vehicles_held_page, sangong_per_vehicle, sangong_per_vehicle_note, staff,
                  staff_kind, staff_page, sangong_per_staff, sangong_per_staff_note, public_cost_per_staff,
                  public_cost_per_staff_note
           FROM per_scale_measures) AS s USING (dy_key)
ORDER BY region, department_id, year;
