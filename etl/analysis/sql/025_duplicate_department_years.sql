-- duplicate_department_years: the department-years that arrived more than once, one row per
-- version, with the one the comparison views use marked (is_chosen), why it ranks where it does
-- (status, contradicting_errors, n_tables, source_file; the rule is in document_versions), each
-- version's headline figures and whether it disagrees with another version beyond rounding.
CREATE OR REPLACE VIEW duplicate_department_years AS
SELECT
    region, department, department_type, year,
    versions, version_rank, is_chosen,
    doc_id, status, contradicting_errors, n_tables, source_file,
    v_sangong_actual, v_personnel_cost, v_gpb_table_actual, disagrees
FROM document_versions
WHERE is_duplicate
ORDER BY region, department, year, version_rank;
