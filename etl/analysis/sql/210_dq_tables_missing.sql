-- dq_tables_missing: for every final-accounts document, each of the nine standard tables
-- (公开01–09) that was not found in it. One row per (document, missing table).
--   legitimately_absent  the table is 政府性基金 (08) or 国有资本经营 (09) and the document's 收入支出
--                        决算总表 shows no such income (the row absent or 0): a department without
--                        such funds need not publish the table (older templates have no 09 at all),
--                        so it is not counted as missing in the reports.
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
)
SELECT d.doc_id, d.region, d.department, d.year, d.status, d.source_file,
       e.table_key, e.table_no, e.table_title,
       e.income_item IS NOT NULL AND coalesce((SELECT max(s.amount) FROM summary_items AS s
                                               WHERE s.doc_id = d.doc_id AND s.item = e.income_item), 0) = 0
           AS legitimately_absent
FROM documents AS d
CROSS JOIN expected AS e
WHERE coalesce(d.doc_kind, 'final_accounts') = 'final_accounts'
  AND NOT EXISTS (SELECT 1 FROM tables_found AS t WHERE t.doc_id = d.doc_id AND t.table_key = e.table_key);
