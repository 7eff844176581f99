-- department_years: one row per department-year, naming the version the comparison views use
-- (the rule is in document_versions) and every doc_id that arrived for it.
CREATE OR REPLACE VIEW department_years AS
SELECT
    dy_key,
    region,
    department,
    arg_min(department_type, version_rank) AS department_type,
    year,
    arg_min(doc_id, version_rank) AS doc_id,          -- the chosen version
    arg_min(status, version_rank) AS status,          -- status of the chosen version
    arg_min(source_file, version_rank) AS source_file,
    count(*) AS versions,
    count(*) > 1 AS is_duplicate,
    list(doc_id ORDER BY version_rank) AS all_doc_ids          -- best first
FROM document_versions
GROUP BY dy_key, region, department, year;
