-- dq_tables_missing: for every final-accounts document, each of the nine standard tables
-- (公开01–09) that was not found in it. One row per (document, missing table). Whether the absence
-- is a defect (counted_missing) is decided here once, for every page:
--   legitimately_absent  the table is 政府性基金 (08) or 国有资本经营 (09) and the document's 收入支出
--                        决算总表 shows no such income (the row absent or 0): a department without
--                        such funds need not publish the table (older templates have no 09 at all).
--   owed                 the document's template owes the table (etl/parsing/families.py MANDATORY,
--                        mirrored below: a 高等学校 report prints no 04–07, an older district form or a
--                        central report may state 三公 in its narrative instead of table 07), or it
--                        is 08/09 and not legitimately_absent. A stand-alone 三公 disclosure
--                        (documents.publication = 'sangong_only') owes no table: it publishes the 三公 only.
--   in_companion         the file is the narrative half of a department-year published as two files
--                        (documents.companion_of): its tables are in the companion, read as one report.
--   counted_missing      owed AND NOT in_companion: what the reports count as a missing table.
CREATE OR REPLACE VIEW dq_tables_missing AS
WITH expected(table_key, table_no, table_title, income_item) AS (
    VALUES ('income_expenditure_summary', 1, '收入支出决算总表', NULL),
           ('income', 2, '收入决算表', NULL),
           ('expenditure', 3, '支出决算表', NULL),
           ('fiscal_summary', 4, '财政拨款收入支出决算总表', NULL),
           ('gpb_expenditure', 5, '一般公共预算财政拨款支出决算表', NULL),
           ('gpb_basic_expenditure', 6, '一般公共预算财政拨款基本支出决算表', NULL),
           ('sangong', 7, '“三公”经费支出决算表', NULL),
           ('gov_fund', 8, '政府性基金预算财政拨款收入支出决算表', 'gov_fund_income'),
           ('state_capital', 9, '国有资本经营预算财政拨款收入支出决算表', 'state_capital_income')
),
-- etl.parsing.families.MANDATORY (tests/test_row_selection.py keeps the two equal)
mandatory(template, table_key) AS (
    VALUES ('district', 'income_expenditure_summary'), ('district', 'income'), ('district', 'expenditure'),
           ('district', 'fiscal_summary'), ('district', 'gpb_expenditure'),
           ('district', 'gpb_basic_expenditure'), ('district', 'sangong'),
           ('district_legacy', 'income_expenditure_summary'), ('district_legacy', 'income'),
           ('district_legacy', 'expenditure'), ('district_legacy', 'fiscal_summary'),
           ('district_legacy', 'gpb_expenditure'), ('district_legacy', 'gpb_basic_expenditure'),
           ('central', 'income_expenditure_summary'), ('central', 'income'), ('central', 'expenditure'),
           ('central', 'fiscal_summary'), ('central', 'gpb_expenditure'), ('central', 'gpb_basic_expenditure'),
           ('university', 'income_expenditure_summary'), ('university', 'income'),
           ('university', 'expenditure'), ('university', 'fiscal_expenditure')
),
rows AS (
    SELECT d.doc_id, d.region, d.department, d.year, d.status, d.source_file,
           e.table_key, e.table_no, e.table_title,
           e.income_item IS NOT NULL AND coalesce((SELECT max(s.amount) FROM summary_items AS s
                                                   WHERE s.doc_id = d.doc_id AND s.item = e.income_item), 0) = 0
               AS legitimately_absent,
           CASE WHEN e.income_item IS NOT NULL THEN NULL
                ELSE EXISTS (SELECT 1 FROM mandatory AS m
                             WHERE m.template = coalesce(d.template, 'district') AND m.table_key = e.table_key)
           END AS owed_by_template,
           d.companion_of IS NOT NULL AS in_companion,
           coalesce(d.publication = 'sangong_only', false) AS sangong_only
    FROM documents AS d
    CROSS JOIN expected AS e
    WHERE coalesce(d.doc_kind, 'final_accounts') = 'final_accounts'
      AND NOT EXISTS (SELECT 1 FROM tables_found AS t WHERE t.doc_id = d.doc_id AND t.table_key = e.table_key)
)
SELECT * EXCLUDE (owed_by_template, sangong_only),
       coalesce(owed_by_template, NOT legitimately_absent) AND NOT sangong_only AS owed,
       coalesce(owed_by_template, NOT legitimately_absent) AND NOT sangong_only AND NOT in_companion
           AS counted_missing
FROM rows;
