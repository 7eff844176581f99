-- document_versions: every final-accounts document, ranked against the other versions of the
-- same department-year.
--
-- A department-year (region, department, year) can arrive more than once: a corrected
-- re-publication, or the narrative and the tables published as separate PDFs. Every version is
-- kept; comparison views use ONE version per department-year by this rule (version_rank = 1 wins):
--   1. status: ok before partial before failed;
--   2. fewer contradicting checks failed (contradicting_errors: failed checks of severity error
--      whose doubts name a figure group, or are NULL in output older than the doubts contract);
--      a disclosure defect (doubts '') does not count against a version;
--   3. more standard tables found (n_tables: distinct table_key of tables_found other than
--      'other', so a non-standard table such as 国有资产占用情况表 never wins a version);
--   4. the later source_file (greatest path: re-publications carry a later date or suffix);
--   5. doc_id, to make the order total.
-- Versions that disagree: each version's headline figures (v_sangong_actual = the 07 三公 合计
-- 决算, v_personnel_cost = the 06 人员经费, v_gpb_table_actual = the 05 合计) are compared with
-- every other version's; disagrees is true when another version prints one of them differing by
-- more than 0.01 (printed rounding). A figure one version does not print is not a disagreement.
-- Figure tables go one step further (see the cur_* views): for each table, rows come from the
-- best-ranked version that HAS rows in that table, so a narrative-only PDF still supplies
-- budget_execution when the tables PDF wins.
-- Documents without region, department or year cannot be keyed and are left out (they show up
-- in the dq_* views). A file whose figures were read together with its companion (documents.
-- companion_of: the narrative and the tables of one department-year as two files) is not a version
-- of its own: the companion's document carries both.
CREATE OR REPLACE VIEW document_versions AS
WITH n_tables AS (
    SELECT doc_id, count(DISTINCT table_key) FILTER (WHERE table_key <> 'other') AS n_tables
    FROM tables_found
    GROUP BY doc_id
),
contradicting AS (
    SELECT doc_id, count(*) AS contradicting_errors
    FROM checks
    WHERE status = 'fail' AND coalesce(severity, 'error') = 'error' AND (doubts IS NULL OR doubts <> '')
    GROUP BY doc_id
),
headline AS (
    SELECT doc_id,
           max(sangong_actual) AS v_sangong_actual,
           max(personnel_cost) AS v_personnel_cost,
           max(gpb_table_actual) AS v_gpb_table_actual
    FROM (SELECT doc_id, actual AS sangong_actual, NULL::DECIMAL(18, 2) AS personnel_cost,
                 NULL::DECIMAL(18, 2) AS gpb_table_actual
          FROM sangong WHERE item = 'total'
          UNION ALL
          SELECT doc_id, NULL, personnel_cost, NULL FROM cost_totals
          UNION ALL
          SELECT doc_id, NULL, NULL, total FROM function_expenditure
          WHERE table_key = 'gpb_expenditure' AND level = 'total')
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
        d.report_form, d.body_kind, d.source_format, d.publication,
        coalesce(t.n_tables, 0) AS n_tables,
        coalesce(c.contradicting_errors, 0) AS contradicting_errors,
        h.v_sangong_actual, h.v_personnel_cost, h.v_gpb_table_actual
    FROM documents AS d
    LEFT JOIN n_tables AS t USING (doc_id)
    LEFT JOIN contradicting AS c USING (doc_id)
    LEFT JOIN headline AS h USING (doc_id)
    WHERE coalesce(d.doc_kind, 'final_accounts') = 'final_accounts'
      AND d.region IS NOT NULL AND d.department IS NOT NULL AND d.year IS NOT NULL
      AND d.companion_of IS NULL
)
SELECT
    *,
    hash(region, department, year) AS dy_key,   -- integer key of the department-year (joins, windows)
    row_number() OVER w AS version_rank,
    count(*) OVER p AS versions,
    count(*) OVER p > 1 AS is_duplicate,
    row_number() OVER w = 1 AS is_chosen,
    coalesce(differs_beyond_rounding(v_sangong_actual, min(v_sangong_actual) OVER p, 1)
             OR differs_beyond_rounding(v_sangong_actual, max(v_sangong_actual) OVER p, 1), false)
    OR coalesce(differs_beyond_rounding(v_personnel_cost, min(v_personnel_cost) OVER p, 1)
                OR differs_beyond_rounding(v_personnel_cost, max(v_personnel_cost) OVER p, 1), false)
    OR coalesce(differs_beyond_rounding(v_gpb_table_actual, min(v_gpb_table_actual) OVER p, 1)
                OR differs_beyond_rounding(v_gpb_table_actual, max(v_gpb_table_actual) OVER p, 1), false)
        AS disagrees
FROM keyed
WINDOW p AS (PARTITION BY region, department, year),
       w AS (
    PARTITION BY region, department, year
    ORDER BY CASE status WHEN 'ok' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END,
             contradicting_errors, n_tables DESC, source_file DESC, doc_id
);
