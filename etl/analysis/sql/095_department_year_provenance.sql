-- department_year_provenance: how each department-year's words were read (issue 21 point 5).
--   text_source         text (every document it uses was read from the PDF's text layer), ocr (every
--                       one by OCR), mixed (some pages or documents by OCR); NULL when no document
--                       says (a web page or text file).
--   ocr_min_confidence  the lowest ocr_confidence of any figure row the department-year uses (the
--                       chosen version's rows of every figure table, and of the narrative's counts and
--                       prior-year statements: cur_counts, cur_prior_year_statements; per_scale_measures
--                       divides by those counts); NULL when no figure was read by OCR.
--   ocr_rows            how many of those figure rows carry an OCR confidence (the n of the minimum).
CREATE OR REPLACE VIEW department_year_provenance AS
WITH src AS (
    SELECT u.dy_key,
           count(d.text_source) AS documents_known,
           count(*) FILTER (WHERE d.text_source = 'text') AS documents_text,
           count(*) FILTER (WHERE d.text_source = 'ocr') AS documents_ocr
    FROM department_year_documents AS u JOIN documents AS d USING (doc_id)
    GROUP BY u.dy_key
),
conf AS (
    SELECT dy_key, min(ocr_confidence) AS ocr_min_confidence, count(ocr_confidence) AS ocr_rows
    FROM (SELECT dy_key, ocr_confidence FROM cur_sangong
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_cost_totals
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_budget_execution
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_summary_items
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_function_expenditure
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_economic_expenditure
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_related_costs
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_item_yoy
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_counts
          UNION ALL SELECT dy_key, ocr_confidence FROM cur_prior_year_statements)
    GROUP BY dy_key
)
SELECT
    s.dy_key,
    CASE WHEN s.documents_known = 0 THEN NULL
         WHEN s.documents_text = s.documents_known THEN 'text'
         WHEN s.documents_ocr = s.documents_known THEN 'ocr'
         ELSE 'mixed' END AS text_source,
    c.ocr_min_confidence,
    coalesce(c.ocr_rows, 0) AS ocr_rows
FROM src AS s
LEFT JOIN conf AS c USING (dy_key);
