-- dq_failing_checks: every consistency check that failed, with the document it failed on. Checks of
-- severity info are reported for review only and are never failures (left out here); doubts says
-- which figure groups the failure puts in doubt ('' = a disclosure defect: the figures stand).
CREATE OR REPLACE VIEW dq_failing_checks AS
SELECT d.region, d.department, d.year, c.doc_id, d.source_file, c.check_id, c.detail, c.severity, c.doubts
FROM checks AS c
LEFT JOIN documents AS d USING (doc_id)
WHERE c.status = 'fail' AND coalesce(c.severity, 'error') <> 'info';
