-- pefa_pi1_department: one row per department-year of comparison_rows (behind the quality gate) with
-- the narrative's 一般公共预算财政拨款支出 statement; pi1_outturn_pct NULL without a 年初预算 > 0.
--
-- Macros of the budget-credibility views (bands per PEFA 2016; see budget_credibility_department):
--   pefa_pi1_band(pct)  A 95–105 %, B 90–110 %, C 85–115 % inclusive, D otherwise (rounded to 1e-6 first);
--   pefa_pi2_band(pct)  A < 5 %, B < 10 %, C < 15 % strictly, D otherwise;
--   pefa_score_2of3(b1, b2, b3)  the band met in at least two of three years = the second best of
--                       the three; NULL unless all three are set;
-- PI-1 band: A 95–105 %, B 90–110 %, C 85–115 % (inclusive: "between"), D otherwise. Rounded to
-- 1e-6 first so 100 × 95 / 100 computed in floating point is exactly 95.
CREATE OR REPLACE MACRO pefa_pi1_band(pct) AS
    CASE WHEN pct IS NULL THEN NULL
         WHEN round(pct, 6) BETWEEN 95 AND 105 THEN 'A'
         WHEN round(pct, 6) BETWEEN 90 AND 110 THEN 'B'
         WHEN round(pct, 6) BETWEEN 85 AND 115 THEN 'C'
         ELSE 'D' END;

-- PI-2 band: A < 5 %, B < 10 %, C < 15 % (strictly "less than"), D otherwise.
CREATE OR REPLACE MACRO pefa_pi2_band(pct) AS
    CASE WHEN pct IS NULL THEN NULL
         WHEN round(pct, 6) < 5 THEN 'A'
         WHEN round(pct, 6) < 10 THEN 'B'
         WHEN round(pct, 6) < 15 THEN 'C'
         ELSE 'D' END;

-- The score over three years: a band is met "in at least two of the last three years" exactly when
-- the second best of the three yearly bands is that band or better ('A' < 'B' < 'C' < 'D').
CREATE OR REPLACE MACRO pefa_score_2of3(b1, b2, b3) AS
    CASE WHEN b1 IS NOT NULL AND b2 IS NOT NULL AND b3 IS NOT NULL THEN list_sort([b1, b2, b3])[2] END;

CREATE OR REPLACE VIEW pefa_pi1_department AS
SELECT m.region, m.region_level, m.department, m.department_id, m.department_type, m.report_scope,
       m.in_region_aggregates, m.year, m.dy_key,
       CASE WHEN m.gpb_actual_source = 'narrative' THEN m.gpb_initial_budget END AS initial_budget,
       CASE WHEN m.gpb_actual_source = 'narrative' THEN m.gpb_actual END AS actual,
       CASE WHEN m.gpb_actual_source = 'narrative' AND m.gpb_initial_budget > 0
            THEN safe_pct(m.gpb_actual, m.gpb_initial_budget) END AS pi1_outturn_pct,
       m.gpb_file AS source_file, m.gpb_page AS page
FROM comparison_rows AS m;
