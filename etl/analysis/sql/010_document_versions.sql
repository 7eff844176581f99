-- document_versions: every final-accounts document, ranked against the other versions of the
-- same department-year.
--
-- A department-year (region, department, year) can arrive more than once: a corrected
-- re-publication, or the narrative and the tables published as separate PDFs. Every version is
-- kept; comparison views use ONE version per department-year by this rule (version_rank = 1 wins):
--   1. status: ok before partial before failed;
--   2. more standard tables found (tables_found rows) first;
--   3. the later source_file (greatest path: re-publications carry a later date or suffix);
--   4. doc_id, to make the order total.
-- Figure tables go one step further (see the cur_* views): for each table, rows come from the
-- best-ranked version that HAS rows in that table, so a narrative-only PDF still supplies
-- budget_execution when the tables PDF wins.
-- Documents without region, department or year cannot be keyed and are left out (they show up
-- in the dq_* views). A file whose figures were read together with its companion (documents.
-- companion_of: the narrative and the tables of one department-year as two files) is not a version
-- of its own: the companion's document carries both.
CREATE OR REPLACE VIEW document_versions AS
WITH n_tables AS (
    SELECT doc_id, count(DISTINCT table_key) AS n_tables
    FROM tables_found
    GROUP BY doc_id
),
keyed AS (
    SELECT
        d.doc_id,
        d.region,
        d.department,
        d.department_type,
        d.year,
        d.status,
        d.source_file,
        coalesce(d.report_scope, 'department') AS report_scope,
        d.template,
        coalesce(t.n_tables, 0) AS n_tables
    FROM documents AS d
    LEFT JOIN n_tables AS t USING (doc_id)
    WHERE coalesce(d.doc_kind, 'final_accounts') = 'final_accounts'
      AND d.region IS NOT NULL AND d.department IS NOT NULL AND d.year IS NOT NULL
      AND d.companion_of IS NULL
)
SELECT
    *,
    hash(region, department, year) AS dy_key,   -- integer key of the department-year (joins, windows)
    row_number() OVER w AS version_rank,
    count(*) OVER (PARTITION BY region, department, year) AS versions,
    count(*) OVER (PARTITION BY region, department, year) > 1 AS is_duplicate,
    row_number() OVER w = 1 AS is_chosen
FROM keyed
WINDOW w AS (
    PARTITION BY region, department, year
    ORDER BY CASE status WHEN 'ok' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END,
             n_tables DESC, source_file DESC, doc_id
);
