-- department_year_figures: the headline figures of every department-year (chosen version, see
-- document_versions), whatever its quality, with where each figure was printed: computed once per
-- connection (a TEMP TABLE, like the version layer). department_year_metrics_all adds the columns
-- that follow the 三公 switch; the comparison views read department_year_metrics, the same rows
-- behind the quality gate.
--
-- Amounts are DECIMAL(18,2) 万元 exactly as parsed; only ratios and percentages are DOUBLE; a
-- ratio with a zero or missing denominator is NULL. Definitions (macros in 005_macros.sql):
--   三公        sangong_actual is the printed 合计; sangong_parts_actual = 出国 + 用车 + 接待, where 用车
--               is the printed 公务用车购置及运行费 小计, else 购置 + 运行; sangong_parts_mismatch when
--               they differ beyond printed rounding (0.01 per summand) on budget or actual.
--               The switch's sangong_used_* columns are added by department_year_metrics_all.
--   gpb         一般公共预算财政拨款支出 from the narrative's gpb_total statement (the first by page):
--               gpb_budget / budget_basis / gpb_completion_pct by the one budget rule; gpb_actual is the
--               narrative's 决算, else the 05 合计 (gpb_actual_source says which). gpb_table_actual is
--               always the 05 合计, so gpb_narrative_table_mismatch compares two independent sources.
--               sangong_parts_mismatch is NULL when neither pair can be compared (no 三公 printed).
--   gpb_flag    execution_flag of the gpb_total statement; 'no_budget' when only the 05 合计 is
--               printed (an actual, no budget); NULL when there is no gpb figure at all.
--   quality per figure group (sangong, cost, gpb, totals, items; checks.doubts names the groups a
--               failed check puts in doubt, NULL doubts = every group): <group>_quality is fail when
--               the document failed or a failed check of severity error doubts the group; warn when
--               the document is partial, a failed warning check doubts it, or (sangong / gpb) the
--               mismatch above; else clean. <group>_quality_reason says why in Chinese.
--   quality     the worst of the five groups; quality_reason the status and every contradicting message.
--   checks_failed       failed error/warning checks that put one of the five groups in doubt (info
--               checks, disclosure defects and narrative-only checks never count).
--   disclosure_defects  failed error/warning checks whose doubts is '' (a placeholder, a heading or
--               截至 year, a table not printed): the figures stand; disclosure_reason lists them.
--   versions_disagree   another version prints a headline figure differing beyond rounding.
-- Citations: source_file (the PDFs whose rows are used) and, for each headline figure, the file it
-- is printed in (sangong_file, cost_file, gpb_file, gpb_table_file) and its page in that file's own
-- numbering (*_page, through document_pages: a narrative published apart from its tables, or a part
-- of a volume, is cited in the file a reader opens).
CREATE OR REPLACE VIEW department_year_figures AS
WITH files AS (
    SELECT u.dy_key,
           string_agg(DISTINCT regexp_extract(v.source_file, '[^/]+$'), ';'
                      ORDER BY regexp_extract(v.source_file, '[^/]+$')) AS source_file,
           list(DISTINCT u.doc_id) AS used_doc_ids
    FROM department_year_documents AS u JOIN document_versions AS v USING (doc_id)
    GROUP BY u.dy_key
),
cks AS (   -- the failed checks of the used documents, with the figure groups each puts in doubt
    SELECT f.dy_key, c.check_id, c.message, coalesce(c.severity, 'error') AS sev, c.doubts,
           -- contradicts: a failed error/warning check that puts one of the five figure groups in doubt
           -- (doubts NULL = output older than the doubts contract: every group)
           c.status = 'fail' AND coalesce(c.severity, 'error') IN ('error', 'warning')
               AND (c.doubts IS NULL OR len(list_intersect(string_split(c.doubts, ','),
                                                           ['sangong', 'cost', 'gpb', 'totals', 'items'])) > 0)
               AS contradicts,
           -- disclosure: a failed error/warning check that contradicts no figure (doubts '')
           c.status = 'fail' AND coalesce(c.severity, 'error') IN ('error', 'warning') AND c.doubts = ''
               AS disclosure,
           c.doubts IS NULL OR list_contains(string_split(c.doubts, ','), 'sangong') AS in_sangong,
           c.doubts IS NULL OR list_contains(string_split(c.doubts, ','), 'cost') AS in_cost,
           c.doubts IS NULL OR list_contains(string_split(c.doubts, ','), 'gpb') AS in_gpb,
           c.doubts IS NULL OR list_contains(string_split(c.doubts, ','), 'totals') AS in_totals,
           c.doubts IS NULL OR list_contains(string_split(c.doubts, ','), 'items') AS in_items
    FROM files AS f, unnest(f.used_doc_ids) AS u(doc_id)
    JOIN checks AS c ON c.doc_id = u.doc_id
),
ck AS (
    SELECT c.dy_key,
           count(*) FILTER (WHERE c.contradicts) AS checks_failed,
           count(*) FILTER (WHERE c.disclosure) AS disclosure_defects,
           string_agg(coalesce(c.message, c.check_id), '；' ORDER BY c.check_id) FILTER (WHERE c.disclosure)
               AS disclosure_messages,
           string_agg(coalesce(c.message, c.check_id), '；' ORDER BY c.check_id) FILTER (WHERE c.contradicts)
               AS failed_messages,
           bool_or(c.contradicts AND c.sev = 'error' AND c.in_sangong) AS sangong_error,
           bool_or(c.contradicts AND c.sev = 'warning' AND c.in_sangong) AS sangong_warning,
           string_agg(coalesce(c.message, c.check_id), '；' ORDER BY c.check_id)
               FILTER (WHERE c.contradicts AND c.in_sangong) AS sangong_messages,
           bool_or(c.contradicts AND c.sev = 'error' AND c.in_cost) AS cost_error,
           bool_or(c.contradicts AND c.sev = 'warning' AND c.in_cost) AS cost_warning,
           string_agg(coalesce(c.message, c.check_id), '；' ORDER BY c.check_id)
               FILTER (WHERE c.contradicts AND c.in_cost) AS cost_messages,
           bool_or(c.contradicts AND c.sev = 'error' AND c.in_gpb) AS gpb_error,
           bool_or(c.contradicts AND c.sev = 'warning' AND c.in_gpb) AS gpb_warning,
           string_agg(coalesce(c.message, c.check_id), '；' ORDER BY c.check_id)
               FILTER (WHERE c.contradicts AND c.in_gpb) AS gpb_messages,
           bool_or(c.contradicts AND c.sev = 'error' AND c.in_totals) AS totals_error,
           bool_or(c.contradicts AND c.sev = 'warning' AND c.in_totals) AS totals_warning,
           string_agg(coalesce(c.message, c.check_id), '；' ORDER BY c.check_id)
               FILTER (WHERE c.contradicts AND c.in_totals) AS totals_messages,
           bool_or(c.contradicts AND c.sev = 'error' AND c.in_items) AS items_error,
           bool_or(c.contradicts AND c.sev = 'warning' AND c.in_items) AS items_warning,
           string_agg(coalesce(c.message, c.check_id), '；' ORDER BY c.check_id)
               FILTER (WHERE c.contradicts AND c.in_items) AS items_messages,
           bool_or(c.contradicts AND c.check_id LIKE 'sangong.parts%') AS sangong_check_failed,
           bool_or(c.contradicts AND c.check_id LIKE 'narrative.gpb%') AS gpb_check_failed
    FROM cks AS c
    GROUP BY c.dy_key
),
sg AS (
    SELECT
        dy_key,
        max(budget) FILTER (WHERE item = 'total')             AS sangong_budget,
        max(actual) FILTER (WHERE item = 'total')             AS sangong_actual,
        max(budget) FILTER (WHERE item = 'overseas')          AS overseas_budget,
        max(actual) FILTER (WHERE item = 'overseas')          AS overseas_actual,
        CAST(coalesce(max(budget) FILTER (WHERE item = 'vehicle_total'),
                      max(budget) FILTER (WHERE item = 'vehicle_purchase')
                      + max(budget) FILTER (WHERE item = 'vehicle_operation')) AS DECIMAL(18, 2)) AS vehicle_budget,
        CAST(coalesce(max(actual) FILTER (WHERE item = 'vehicle_total'),
                      max(actual) FILTER (WHERE item = 'vehicle_purchase')
                      + max(actual) FILTER (WHERE item = 'vehicle_operation')) AS DECIMAL(18, 2)) AS vehicle_actual,
        max(budget) FILTER (WHERE item = 'vehicle_purchase')  AS vehicle_purchase_budget,
        max(actual) FILTER (WHERE item = 'vehicle_purchase')  AS vehicle_purchase_actual,
        max(budget) FILTER (WHERE item = 'vehicle_operation') AS vehicle_operation_budget,
        max(actual) FILTER (WHERE item = 'vehicle_operation') AS vehicle_operation_actual,
        max(budget) FILTER (WHERE item = 'reception')         AS reception_budget,
        max(actual) FILTER (WHERE item = 'reception')         AS reception_actual,
        min(source)                                           AS sangong_source,
        min(page)                                             AS sangong_page,
        arg_min(doc_id, page)                                 AS sangong_doc
    FROM cur_sangong
    GROUP BY dy_key
),
ct AS (
    SELECT dy_key, max(personnel_cost) AS personnel_cost, max(public_cost) AS public_cost,
           min(page) AS cost_page, arg_min(doc_id, page) AS cost_doc
    FROM cur_cost_totals
    GROUP BY dy_key
),
si AS (
    SELECT
        dy_key,
        max(amount) FILTER (WHERE side = 'expenditure' AND item = 'expenditure_total') AS summary_expenditure_total,
        max(amount) FILTER (WHERE side = 'income' AND item = 'income_total')           AS income_total,
        max(amount) FILTER (WHERE side = 'income' AND item = 'fiscal_appropriation_income')
            AS fiscal_appropriation_income
    FROM cur_summary_items
    GROUP BY dy_key
),
fe AS (
    SELECT
        dy_key,
        max(total) FILTER (WHERE table_key = 'expenditure')     AS expenditure_table_total,
        max(total) FILTER (WHERE table_key = 'gpb_expenditure') AS gpb_table_actual,
        max(basic) FILTER (WHERE table_key = 'gpb_expenditure') AS gpb_table_basic,
        min(page) FILTER (WHERE table_key = 'gpb_expenditure')  AS gpb_table_page,
        arg_min(doc_id, page) FILTER (WHERE table_key = 'gpb_expenditure') AS gpb_table_doc
    FROM cur_function_expenditure
    WHERE level = 'total'
    GROUP BY dy_key
),
be AS (   -- the first gpb_total statement by page, all its figures from that one statement
    SELECT dy_key, initial_budget, full_year_budget, actual, completion_pct, page, doc_id AS gpb_doc
    FROM cur_budget_execution
    WHERE scope = 'gpb_total'
    QUALIFY row_number() OVER (PARTITION BY dy_key ORDER BY page, initial_budget, actual) = 1
),
joined AS (
    SELECT
        dy.dy_key, dy.department_id, dy.region, dy.department, dy.department_type, dy.peer_type, dy.year,
        dy.report_scope, dy.template, dy.report_form, dy.body_kind, dy.source_format, dy.publication,
        dy.doc_id, dy.status, d.error AS status_error, dy.versions, dy.is_duplicate, dy.versions_disagree,
        coalesce(f.source_file, regexp_extract(dy.source_file, '[^/]+$')) AS source_file,
        coalesce(si.summary_expenditure_total, fe.expenditure_table_total) AS total_expenditure,
        si.income_total,
        si.fiscal_appropriation_income,
        ct.personnel_cost,
        ct.public_cost,
        CAST(coalesce(fe.gpb_table_basic, ct.personnel_cost + ct.public_cost) AS DECIMAL(18, 2)) AS basic_expenditure,
        sg.* EXCLUDE (dy_key, sangong_page, sangong_doc),
        CAST(sg.overseas_budget + sg.vehicle_budget + sg.reception_budget AS DECIMAL(18, 2)) AS sangong_parts_budget,
        CAST(sg.overseas_actual + sg.vehicle_actual + sg.reception_actual AS DECIMAL(18, 2)) AS sangong_parts_actual,
        be.initial_budget AS gpb_initial_budget,
        be.full_year_budget AS gpb_full_year_budget,
        budget_amount(be.initial_budget, be.full_year_budget) AS gpb_budget,
        coalesce(be.actual, fe.gpb_table_actual) AS gpb_actual,
        CASE WHEN be.actual IS NOT NULL THEN 'narrative' WHEN fe.gpb_table_actual IS NOT NULL THEN 'table' END
            AS gpb_actual_source,
        be.completion_pct AS gpb_completion_pct_printed,
        budget_basis(be.initial_budget, be.full_year_budget, be.completion_pct) AS budget_basis,
        completion_pct(be.initial_budget, be.full_year_budget, be.actual, be.completion_pct) AS gpb_completion_pct,
        CASE WHEN be.dy_key IS NOT NULL THEN execution_flag(
                 completion_pct(be.initial_budget, be.full_year_budget, be.actual, be.completion_pct),
                 be.initial_budget, be.full_year_budget, be.actual)
             WHEN fe.gpb_table_actual IS NOT NULL THEN 'no_budget' END AS gpb_flag,
        fe.gpb_table_actual,
        differs_beyond_rounding(be.actual, fe.gpb_table_actual, 1) AS gpb_narrative_table_mismatch,
        coalesce(ck.checks_failed, 0) AS checks_failed,
        coalesce(ck.disclosure_defects, 0) AS disclosure_defects,
        ck.* EXCLUDE (dy_key, checks_failed, disclosure_defects),
        -- each figure's page in the numbering of the file it is printed in, and that file
        -- (document_pages: a narrative filed apart from its tables has pages of its own)
        coalesce(psg.file_page, sg.sangong_page) AS sangong_page,
        coalesce(pct.file_page, ct.cost_page) AS cost_page,
        coalesce(pbe.file_page, be.page) AS gpb_page,
        coalesce(pfe.file_page, fe.gpb_table_page) AS gpb_table_page,
        CASE WHEN sg.sangong_page IS NOT NULL THEN file_name(coalesce(psg.source_file, dsg.source_file)) END
            AS sangong_file,
        CASE WHEN ct.cost_page IS NOT NULL THEN file_name(coalesce(pct.source_file, dct.source_file)) END
            AS cost_file,
        CASE WHEN be.page IS NOT NULL THEN file_name(coalesce(pbe.source_file, dbe.source_file)) END AS gpb_file,
        CASE WHEN fe.gpb_table_page IS NOT NULL THEN file_name(coalesce(pfe.source_file, dfe.source_file)) END
            AS gpb_table_file
    FROM department_years AS dy
    JOIN documents AS d USING (doc_id)
    LEFT JOIN files AS f USING (dy_key)
    LEFT JOIN ck USING (dy_key)
    LEFT JOIN sg USING (dy_key)
    LEFT JOIN ct USING (dy_key)
    LEFT JOIN si USING (dy_key)
    LEFT JOIN fe USING (dy_key)
    LEFT JOIN be USING (dy_key)
    LEFT JOIN document_pages AS psg ON psg.doc_id = sg.sangong_doc AND psg.page = sg.sangong_page
    LEFT JOIN document_pages AS pct ON pct.doc_id = ct.cost_doc AND pct.page = ct.cost_page
    LEFT JOIN document_pages AS pbe ON pbe.doc_id = be.gpb_doc AND pbe.page = be.page
    LEFT JOIN document_pages AS pfe ON pfe.doc_id = fe.gpb_table_doc AND pfe.page = fe.gpb_table_page
    LEFT JOIN documents AS dsg ON dsg.doc_id = sg.sangong_doc
    LEFT JOIN documents AS dct ON dct.doc_id = ct.cost_doc
    LEFT JOIN documents AS dbe ON dbe.doc_id = be.gpb_doc
    LEFT JOIN documents AS dfe ON dfe.doc_id = fe.gpb_table_doc
),
flagged AS (
    SELECT *,
           -- NULL when neither the 合计 nor the parts can be compared (no 三公 figures printed)
           CASE WHEN differs_beyond_rounding(sangong_actual, sangong_parts_actual, 3) IS NULL
                     AND differs_beyond_rounding(sangong_budget, sangong_parts_budget, 3) IS NULL THEN NULL
                ELSE coalesce(differs_beyond_rounding(sangong_actual, sangong_parts_actual, 3), false)
                     OR coalesce(differs_beyond_rounding(sangong_budget, sangong_parts_budget, 3), false)
           END AS sangong_parts_mismatch,
           CASE status WHEN 'failed' THEN '解析失败：' || coalesce(status_error, '原因未记录')
                       WHEN 'partial' THEN '部分解析：' || coalesce(status_error, '原因未记录') END AS status_text
    FROM joined
),
grouped AS (
    SELECT *,
           CASE WHEN status = 'failed' OR coalesce(sangong_error, false) THEN 'fail'
                WHEN status = 'partial' OR coalesce(sangong_warning, false) OR coalesce(sangong_parts_mismatch, false) THEN 'warn'
                ELSE 'clean' END AS sangong_quality,
           CASE WHEN status = 'failed' OR coalesce(cost_error, false) THEN 'fail'
                WHEN status = 'partial' OR coalesce(cost_warning, false) THEN 'warn'
                ELSE 'clean' END AS cost_quality,
           CASE WHEN status = 'failed' OR coalesce(gpb_error, false) THEN 'fail'
                WHEN status = 'partial' OR coalesce(gpb_warning, false) OR coalesce(gpb_narrative_table_mismatch, false) THEN 'warn'
                ELSE 'clean' END AS gpb_quality,
           CASE WHEN status = 'failed' OR coalesce(totals_error, false) THEN 'fail'
                WHEN status = 'partial' OR coalesce(totals_warning, false) THEN 'warn'
                ELSE 'clean' END AS totals_quality,
           CASE WHEN status = 'failed' OR coalesce(items_error, false) THEN 'fail'
                WHEN status = 'partial' OR coalesce(items_warning, false) THEN 'warn'
                ELSE 'clean' END AS items_quality,
           nullif(concat_ws('；', status_text,
               CASE WHEN sangong_messages IS NOT NULL THEN '校验未通过：' || sangong_messages END,
               CASE WHEN sangong_parts_mismatch AND NOT coalesce(sangong_check_failed, false) THEN '三公经费合计与出国、用车、接待之和不符' END), '')
               AS sangong_quality_reason,
           nullif(concat_ws('；', status_text,
               CASE WHEN cost_messages IS NOT NULL THEN '校验未通过：' || cost_messages END), '')
               AS cost_quality_reason,
           nullif(concat_ws('；', status_text,
               CASE WHEN gpb_messages IS NOT NULL THEN '校验未通过：' || gpb_messages END,
               CASE WHEN gpb_narrative_table_mismatch AND NOT coalesce(gpb_check_failed, false) THEN '说明中的一般公共预算财政拨款支出决算数与支出决算表合计不符' END), '')
               AS gpb_quality_reason,
           nullif(concat_ws('；', status_text,
               CASE WHEN totals_messages IS NOT NULL THEN '校验未通过：' || totals_messages END), '')
               AS totals_quality_reason,
           nullif(concat_ws('；', status_text,
               CASE WHEN items_messages IS NOT NULL THEN '校验未通过：' || items_messages END), '')
               AS items_quality_reason,
    FROM flagged
),
graded AS (
    SELECT *,
           CASE WHEN 'fail' IN (sangong_quality, cost_quality, gpb_quality, totals_quality, items_quality) THEN 'fail'
                WHEN 'warn' IN (sangong_quality, cost_quality, gpb_quality, totals_quality, items_quality) THEN 'warn'
                ELSE 'clean' END AS quality,
           nullif(concat_ws('；', status_text,
               CASE WHEN failed_messages IS NOT NULL THEN '校验未通过：' || failed_messages END,
               CASE WHEN sangong_parts_mismatch AND NOT coalesce(sangong_check_failed, false)
                    THEN '三公经费合计与出国、用车、接待之和不符' END,
               CASE WHEN gpb_narrative_table_mismatch AND NOT coalesce(gpb_check_failed, false)
                    THEN '说明中的一般公共预算财政拨款支出决算数与支出决算表合计不符' END), '') AS quality_reason,
           CASE WHEN disclosure_messages IS NOT NULL THEN '披露缺陷：' || disclosure_messages END
               AS disclosure_reason
    FROM grouped
)
SELECT
    * EXCLUDE (status_error, status_text, failed_messages, disclosure_messages, sangong_check_failed,
               gpb_check_failed,
               sangong_error, sangong_warning, sangong_messages, cost_error, cost_warning, cost_messages, gpb_error, gpb_warning, gpb_messages, totals_error, totals_warning, totals_messages, items_error, items_warning, items_messages),
    safe_ratio(personnel_cost, public_cost)     AS personnel_public_ratio,
    safe_pct(personnel_cost, basic_expenditure) AS personnel_share_pct,
    gpb_flag = 'unbudgeted'                     AS gpb_unbudgeted,
    safe_pct(gpb_actual, gpb_full_year_budget)  AS gpb_completion_full_year_pct,
    -- both budget bases side by side (issue 21 point 3): each completion on its own basis only, its
    -- flag by the same thresholds; NULL where that budget is not printed or not > 0
    CASE WHEN gpb_initial_budget > 0 THEN safe_pct(gpb_actual, gpb_initial_budget) END AS gpb_completion_initial_pct,
    CASE WHEN gpb_initial_budget > 0 THEN execution_flag(safe_pct(gpb_actual, gpb_initial_budget),
                                                         gpb_initial_budget, NULL, gpb_actual) END
        AS gpb_flag_initial,
    CASE WHEN gpb_full_year_budget > 0 THEN execution_flag(safe_pct(gpb_actual, gpb_full_year_budget),
                                                           gpb_full_year_budget, NULL, gpb_actual) END
        AS gpb_flag_full_year
FROM graded;
