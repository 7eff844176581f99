-- dq_failing_checks: every consistency check that failed, with the document it failed on.
CREATE OR REPLACE VIEW dq_failing_checks AS
SELECT d.region, d.department, d.year, c.doc_id, d.source_file, c.check_id, c.detail
FROM checks AS c
LEFT JOIN documents AS d USING (doc_id)
WHERE c.status = 'fail';
