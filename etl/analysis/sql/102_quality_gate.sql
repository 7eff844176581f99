-- quality_gate: how many department-years each quality grade holds, whether the gate lets them
-- into the comparisons (included), and the reasons of those it leaves out — for the sentence
-- "N 个部门-年度因…未计入" every page and export prints.
CREATE OR REPLACE VIEW quality_gate AS
SELECT
    quality,
    CASE quality WHEN 'clean' THEN '无问题' WHEN 'warn' THEN '有警告' WHEN 'fail' THEN '未通过' END AS quality_label,
    count(*) AS department_years,
    quality_included(quality) AS included,
    list(DISTINCT quality_reason ORDER BY quality_reason) FILTER (WHERE quality_reason IS NOT NULL) AS reasons,
    list(region || ' ' || department || ' ' || year ORDER BY region, department, year) AS department_year_names
FROM department_year_metrics_all
GROUP BY quality
ORDER BY CASE quality WHEN 'clean' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END;
