-- quality_gate: how many department-years each quality grade holds, whether the gate lets them
-- into the comparisons (included: every department-year of the grade enters, at least with its
-- sound figures; see department_year_metrics), how many enter and how many are left out whole
-- (status failed, or every figure group graded fail), and the reasons — for the sentence
-- "N 个部门-年度因…未计入" every page and export prints. Which figures of the entering
-- department-years are dropped, and the disclosure defects that drop nothing: quality_gate_figures.
CREATE OR REPLACE VIEW quality_gate AS
SELECT
    quality,
    CASE quality WHEN 'clean' THEN '无问题' WHEN 'warn' THEN '有警告' WHEN 'fail' THEN '未通过' END AS quality_label,
    count(*) AS department_years,
    bool_and(included) AS included,
    list(DISTINCT quality_reason ORDER BY quality_reason) FILTER (WHERE quality_reason IS NOT NULL) AS reasons,
    list(region || ' ' || department || ' ' || year ORDER BY region, department, year) AS department_year_names,
    count(*) FILTER (WHERE included) AS department_years_included,
    count(*) FILTER (WHERE NOT included) AS department_years_left_out,
    count(*) FILTER (WHERE included AND figures_dropped IS NOT NULL) AS department_years_figures_dropped
FROM department_year_metrics_all
GROUP BY quality
ORDER BY CASE quality WHEN 'clean' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END;
