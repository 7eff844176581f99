-- department_year_metrics: the headline view — one wide row per department-year (chosen version,
-- see document_versions) with its 三公, cost, expenditure and budget-completion figures.
--
-- Amounts are DECIMAL(18,2) 万元 exactly as parsed; only ratios and percentages are DOUBLE.
-- A ratio whose denominator is zero or missing is NULL (never infinite).
--   total_expenditure      本年支出合计 (收入支出决算总表), else the 合计 row of 支出决算表
--   gpb_expenditure        合计 of 一般公共预算财政拨款支出决算表, else the narrative's gpb_total actual
--   basic_expenditure      基本支出 on that 合计 row, else personnel_cost + public_cost
--   gpb_completion_pct     100 * gpb_actual / gpb_initial_budget (决算 vs 年初预算)
-- Each figure is expected once per document (one 三公 row per item, one 合计 row …); should the
-- parser write a figure twice, max() picks the larger, deterministically.
-- Joins use dy_key (hash of region, department, year; see document_versions) for speed.
CREATE OR REPLACE VIEW department_year_metrics AS
WITH sg AS (
    SELECT
        dy_key,
        sum(budget) FILTER (WHERE item = 'total')             AS sangong_budget,
        sum(actual) FILTER (WHERE item = 'total')             AS sangong_actual,
        sum(budget) FILTER (WHERE item = 'overseas')          AS overseas_budget,
        sum(actual) FILTER (WHERE item = 'overseas')          AS overseas_actual,
        sum(budget) FILTER (WHERE item = 'vehicle_total')     AS vehicle_budget,
        sum(actual) FILTER (WHERE item = 'vehicle_total')     AS vehicle_actual,
        sum(budget) FILTER (WHERE item = 'vehicle_purchase')  AS vehicle_purchase_budget,
        sum(actual) FILTER (WHERE item = 'vehicle_purchase')  AS vehicle_purchase_actual,
        sum(budget) FILTER (WHERE item = 'vehicle_operation') AS vehicle_operation_budget,
        sum(actual) FILTER (WHERE item = 'vehicle_operation') AS vehicle_operation_actual,
        sum(budget) FILTER (WHERE item = 'reception')         AS reception_budget,
        sum(actual) FILTER (WHERE item = 'reception')         AS reception_actual
    FROM cur_sangong
    GROUP BY dy_key
),
ct AS (
    SELECT dy_key,
           max(personnel_cost) AS personnel_cost,
           max(public_cost)    AS public_cost
    FROM cur_cost_totals
    GROUP BY dy_key
),
si AS (
    SELECT
        dy_key,
        max(amount) FILTER (WHERE side = 'expenditure' AND item = 'expenditure_total')
            AS summary_expenditure_total,
        max(amount) FILTER (WHERE side = 'income' AND item = 'income_total')
            AS income_total,
        max(amount) FILTER (WHERE side = 'income' AND item = 'fiscal_appropriation_income')
            AS fiscal_appropriation_income
    FROM cur_summary_items
    GROUP BY dy_key
),
fe AS (
    SELECT
        dy_key,
        max(total) FILTER (WHERE table_key = 'expenditure' AND level = 'total')
            AS expenditure_table_total,
        max(total) FILTER (WHERE table_key = 'gpb_expenditure' AND level = 'total')
            AS gpb_table_total,
        max(basic) FILTER (WHERE table_key = 'gpb_expenditure' AND level = 'total')
            AS gpb_table_basic
    FROM cur_function_expenditure
    WHERE level = 'total'
    GROUP BY dy_key
),
be AS (
    SELECT dy_key,
           max(initial_budget)   AS gpb_initial_budget,
           max(full_year_budget) AS gpb_full_year_budget,
           max(actual)           AS gpb_actual,
           max(completion_pct)   AS gpb_completion_pct_printed
    FROM cur_budget_execution
    WHERE scope = 'gpb_total'
    GROUP BY dy_key
),
joined AS (
    SELECT
        dy.dy_key, dy.region, dy.department, dy.department_type, dy.year,
        dy.doc_id, dy.status, dy.versions, dy.is_duplicate,
        coalesce(si.summary_expenditure_total, fe.expenditure_table_total) AS total_expenditure,
        coalesce(fe.gpb_table_total, be.gpb_actual)                          AS gpb_expenditure,
        si.income_total,
        si.fiscal_appropriation_income,
        ct.personnel_cost,
        ct.public_cost,
        coalesce(fe.gpb_table_basic, ct.personnel_cost + ct.public_cost)     AS basic_expenditure,
        sg.* EXCLUDE (dy_key),
        be.gpb_initial_budget,
        be.gpb_full_year_budget,
        be.gpb_actual,
        be.gpb_completion_pct_printed
    FROM department_years AS dy
    LEFT JOIN sg USING (dy_key)
    LEFT JOIN ct USING (dy_key)
    LEFT JOIN si USING (dy_key)
    LEFT JOIN fe USING (dy_key)
    LEFT JOIN be USING (dy_key)
)
SELECT
    *,
    safe_ratio(personnel_cost, public_cost)          AS personnel_public_ratio,
    safe_pct(personnel_cost, basic_expenditure)      AS personnel_share_pct,
    safe_pct(sangong_actual, sangong_budget)         AS sangong_completion_pct,
    safe_pct(gpb_actual, gpb_initial_budget)         AS gpb_completion_pct,
    safe_pct(gpb_actual, gpb_full_year_budget)       AS gpb_completion_full_year_pct
FROM joined;
