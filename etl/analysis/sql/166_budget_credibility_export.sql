-- budget_credibility_export: the rows of `juesuan export`'s budget_credibility table (declared in
-- etl/analysis/export_schema.py): one row per department-year of comparison_rows (behind the quality
-- gate), its PEFA PI-1 and PI-2.1 figures, bands and three-year scores from budget_credibility_department
-- (NULL where not computable: no 年初预算, fewer than 2 项, fewer than 3 consecutive years).
CREATE OR REPLACE VIEW budget_credibility_export AS
SELECT m.region, m.department, m.department_id, m.year, m.source_file, b.report_scope,
       b.initial_budget, b.actual, b.pi1_outturn_pct, b.pi1_band, b.pi1_score_3y,
       CAST(b.pi2_lines AS BIGINT) AS pi2_lines,
       CAST(b.pi2_budget AS DECIMAL(18, 2)) AS pi2_budget, CAST(b.pi2_actual AS DECIMAL(18, 2)) AS pi2_actual,
       b.pi2_coverage_pct, b.pi2_variance_pct, b.pi2_band, b.pi2_score_3y,
       CAST(b.page AS INTEGER) AS gpb_page
FROM budget_credibility_department AS b
JOIN comparison_rows AS m ON m.dy_key = b.dy_key;
