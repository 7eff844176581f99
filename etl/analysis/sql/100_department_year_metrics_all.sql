-- department_year_metrics_all: one row per department-year, every quality: department_year_figures
-- plus the columns that follow the 三公 switch (sangong_basis(): 'printed' by default, or 'parts'):
--   sangong_used_budget / sangong_used_actual  the printed 合计, or 出国 + 用车 + 接待
--   sangong_completion_pct                     100 × used actual / used budget
-- The comparison views read department_year_metrics, the same rows behind the quality gate.
CREATE OR REPLACE VIEW department_year_metrics_all AS
SELECT
    *,
    sangong_basis() AS sangong_basis,
    CASE sangong_basis() WHEN 'parts' THEN sangong_parts_budget ELSE sangong_budget END AS sangong_used_budget,
    CASE sangong_basis() WHEN 'parts' THEN sangong_parts_actual ELSE sangong_actual END AS sangong_used_actual,
    safe_pct(CASE sangong_basis() WHEN 'parts' THEN sangong_parts_actual ELSE sangong_actual END,
             CASE sangong_basis() WHEN 'parts' THEN sangong_parts_budget ELSE sangong_budget END)
        AS sangong_completion_pct
FROM department_year_figures;
