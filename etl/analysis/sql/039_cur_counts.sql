-- cur_counts: the counts rows of each department-year's chosen version, keyed by department-year.
-- Per table, rows come from the best-ranked version (document_versions.version_rank) that has
-- rows in counts, so a department-year split across two PDFs still contributes all its figures,
-- and a re-published department-year is counted once.
CREATE OR REPLACE VIEW cur_counts AS
WITH ranked AS (
    SELECT
        v.dy_key, v.region, v.department, v.department_type, v.year, v.version_rank,
        min(v.version_rank) OVER (PARTITION BY v.dy_key) AS best_rank,
        t.*
    FROM counts AS t
    JOIN document_versions AS v USING (doc_id)
)
SELECT * EXCLUDE (version_rank, best_rank)
FROM ranked
WHERE version_rank = best_rank;
