-- department_year_documents: the documents each department-year's figures come from — the
-- chosen version plus, per figure table, the best-ranked version that has rows in it (see the
-- cur_* views). One row per (dy_key, doc_id); their checks and file names belong to the
-- department-year.
CREATE OR REPLACE VIEW department_year_documents AS
SELECT dy_key, doc_id FROM cur_sangong
UNION SELECT dy_key, doc_id FROM cur_cost_totals
UNION SELECT dy_key, doc_id FROM cur_budget_execution
UNION SELECT dy_key, doc_id FROM cur_summary_items
UNION SELECT dy_key, doc_id FROM cur_function_expenditure
UNION SELECT dy_key, doc_id FROM cur_economic_expenditure
UNION SELECT dy_key, doc_id FROM cur_related_costs
UNION SELECT dy_key, doc_id FROM department_years;
