-- duplicate_department_years: the department-years that arrived more than once, one row per
-- version, with the one the comparison views use marked (is_chosen) and why it ranks where it does.
CREATE OR REPLACE VIEW duplicate_department_years AS
SELECT
    region, department, department_type, year,
    versions, version_rank, is_chosen,
    doc_id, status, n_tables, source_file
FROM document_versions
WHERE is_duplicate
ORDER BY region, department, year, version_rank;
