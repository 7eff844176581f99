-- department_years: one row per department-year, naming the version the comparison views use
-- (the rule is in document_versions) and every doc_id that arrived for it.
CREATE OR REPLACE VIEW department_years AS
SELECT
    region,
    department,
    any_value(department_type ORDER BY version_rank) AS department_type,
    year,
    any_value(doc_id ORDER BY version_rank) AS doc_id,          -- the chosen version
    any_value(status ORDER BY version_rank) AS status,          -- status of the chosen version
    any_value(source_file ORDER BY version_rank) AS source_file,
    count(*) AS versions,
    count(*) > 1 AS is_duplicate,
    list(doc_id ORDER BY version_rank) AS all_doc_ids          -- best first
FROM document_versions
GROUP BY region, department, year;
