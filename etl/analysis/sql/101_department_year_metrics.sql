-- department_year_metrics: the department-years the comparisons use — department_year_metrics_all
-- behind the quality gate: quality clean or warn by default; every department-year when the
-- switch juesuan_quality is 'all' (connect(quality='all')). quality_gate says what was left out.
CREATE OR REPLACE VIEW department_year_metrics AS
SELECT *
FROM department_year_metrics_all
WHERE quality_included(quality);
