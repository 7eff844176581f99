-- dq_document_summary: one row per document with its quality in numbers: status, how many of the
-- nine standard tables were found / missing, checks run / failed, and whether it is the version
-- of its department-year that the comparison views use. checks_failed leaves out checks of severity
-- info (reported for review only, never failures).
CREATE OR REPLACE VIEW dq_document_summary AS
WITH tf AS (SELECT doc_id, count(DISTINCT table_key) AS tables_found FROM tables_found GROUP BY doc_id),
ck AS (
    SELECT doc_id,
           count(*) AS checks_run,
           count(*) FILTER (WHERE status = 'fail' AND coalesce(severity, 'error') <> 'info') AS checks_failed,
           count(*) FILTER (WHERE status = 'pass') AS checks_passed
    FROM checks GROUP BY doc_id
)
SELECT
    d.doc_id, d.source_file, d.region, d.department, d.department_type, d.year, d.doc_kind,
    d.status, d.error,
    coalesce(tf.tables_found, 0) AS tables_found,
    CASE WHEN coalesce(d.doc_kind, 'final_accounts') = 'final_accounts'
         THEN 9 - coalesce(tf.tables_found, 0) END AS tables_missing,
    coalesce(ck.checks_run, 0) AS checks_run,
    coalesce(ck.checks_failed, 0) AS checks_failed,
    coalesce(ck.checks_passed, 0) AS checks_passed,
    coalesce(v.is_duplicate, false) AS is_duplicate,
    coalesce(v.is_chosen, false) AS is_chosen,
    v.version_rank
FROM documents AS d
LEFT JOIN tf USING (doc_id)
LEFT JOIN ck USING (doc_id)
LEFT JOIN document_versions AS v USING (doc_id);
