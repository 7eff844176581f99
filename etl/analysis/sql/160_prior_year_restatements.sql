-- prior_year_restatements: a report's statement of last year (prior_year_statements: the prior figure it
-- prints or implies) against last year's own report, where both department-years are in the corpus.
-- One row per statement of year Y whose subject (scope, path) the Y−1 report also states a figure for.
--   department_id      department_ids (manifest id, else region + name after the rename crosswalk), so a
--                      renamed department is followed across years.
--   stated_prior       prior_year_statements.prior_implied of Y's report (implied_from says how: stated,
--                      change, pct or flat), with prior_low / prior_high the interval its rounding allows.
--   reported_prior     the figure Y−1's own narrative prints for the same subject (its first by page); where
--                      it states none, for gpb_total and the 三公 the headline figure of department_year_figures
--                      (gpb_actual, sangong_actual and the items' *_actual). reported_from says which.
--   within_rounding    reported_prior lies in [prior_low, prior_high] widened by half a cent (its own
--                      rounding); restated = NOT within_rounding: the report restates its prior year (or
--                      misstates it). Never mixed: a panel takes Y−1's own figure, this view says where
--                      Y's statement disagrees with it.
--   A restated row also fires where the Y−1 report misprints its own figure and Y states the right one
--   (a 三公 合计 that is not the sum of its parts, corrected the next year): the view cannot tell which
--   report is right, only that they disagree.
CREATE OR REPLACE VIEW prior_year_restatements AS
WITH s AS (
    SELECT i.department_id, c.*
    FROM cur_prior_year_statements AS c
    JOIN department_ids AS i USING (region, department)
    WHERE c.prior_implied IS NOT NULL
),
own AS (
    SELECT department_id, year, scope, coalesce(path, '') AS path_key,
           arg_min(actual, page) AS reported_prior, arg_min(doc_id, page) AS prior_doc_id
    FROM s
    GROUP BY department_id, year, scope, coalesce(path, '')
),
tabled AS (  -- the headline figures of Y−1 where its narrative states no year-on-year figure of the subject
    SELECT department_id, year, f.scope, f.path_key, CAST(f.value AS DECIMAL(18, 2)) AS reported_prior,
           doc_id AS prior_doc_id
    FROM (
        SELECT department_id, year, doc_id,
               unnest([{'scope': 'gpb_total', 'path_key': '', 'value': gpb_actual},
                       {'scope': 'sangong_total', 'path_key': '', 'value': sangong_actual},
                       {'scope': 'sangong_item', 'path_key': 'overseas', 'value': overseas_actual},
                       {'scope': 'sangong_item', 'path_key': 'vehicle_total', 'value': vehicle_actual},
                       {'scope': 'sangong_item', 'path_key': 'vehicle_purchase', 'value': vehicle_purchase_actual},
                       {'scope': 'sangong_item', 'path_key': 'vehicle_operation', 'value': vehicle_operation_actual},
                       {'scope': 'sangong_item', 'path_key': 'reception', 'value': reception_actual}]) AS f
        FROM department_year_figures
    )
    WHERE f.value IS NOT NULL
),
reported AS (
    SELECT *, 'narrative' AS reported_from FROM own
    UNION ALL BY NAME
    SELECT t.*, 'tables' AS reported_from FROM tabled AS t
    WHERE NOT EXISTS (SELECT 1 FROM own AS o WHERE o.department_id = t.department_id AND o.year = t.year
                                              AND o.scope = t.scope AND o.path_key = t.path_key)
),
compared AS (
    SELECT s.department_id, s.region, s.department, s.year, s.year - 1 AS prior_year, s.scope, s.path, s.code,
           CAST(s.prior_implied AS DOUBLE) AS stated_prior, s.implied_from,
           CAST(s.prior_low AS DOUBLE) AS prior_low, CAST(s.prior_high AS DOUBLE) AS prior_high,
           CAST(o.reported_prior AS DOUBLE) AS reported_prior, o.reported_from,
           round(CAST(o.reported_prior AS DOUBLE) - CAST(s.prior_implied AS DOUBLE), 4) AS difference,
           CAST(o.reported_prior AS DOUBLE) >= coalesce(CAST(s.prior_low AS DOUBLE), '-inf'::DOUBLE) - 0.005
               AND CAST(o.reported_prior AS DOUBLE) <= coalesce(CAST(s.prior_high AS DOUBLE), 'inf'::DOUBLE) + 0.005
               AS within_rounding,
           s.doc_id, o.prior_doc_id, s.sentence, s.page
    FROM s
    JOIN reported AS o
      ON o.department_id = s.department_id AND o.year = s.year - 1 AND o.scope = s.scope
     AND o.path_key = coalesce(s.path, '')
)
SELECT *, NOT within_rounding AS restated
FROM compared
ORDER BY department_id, year, scope, path;
