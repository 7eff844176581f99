-- cur_related_costs: the related_costs rows (会议费, 培训费, 机关运行经费, other funds' 三公, printed beside
-- the 三公 table) of each department-year's chosen version, keyed by department-year. Rows come from the
-- best-ranked version that has rows in related_costs, as in the other cur_* views.
CREATE OR REPLACE VIEW cur_related_costs AS
WITH ranked AS (
    SELECT
        v.dy_key, v.region, v.department, v.department_type, v.year, v.version_rank,
        min(v.version_rank) OVER (PARTITION BY v.dy_key) AS best_rank,
        t.*
    FROM related_costs AS t
    JOIN document_versions AS v USING (doc_id)
)
SELECT * EXCLUDE (version_rank, best_rank)
FROM ranked
WHERE version_rank = best_rank;
