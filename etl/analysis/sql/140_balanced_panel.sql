-- balanced_panel(first_year, last_year): a table macro — the department-year metrics (behind the
-- quality gate) of the departments (department_id) present in EVERY year from first_year to
-- last_year, so a panel compares the same departments throughout. A department merged from two
-- predecessors has two rows in a year; its department_id is present that year all the same.
--     SELECT * FROM balanced_panel(2020, 2022)
CREATE OR REPLACE MACRO balanced_panel(first_year, last_year) AS TABLE
SELECT m.*
FROM department_year_metrics AS m
WHERE m.year BETWEEN first_year AND last_year
  AND m.department_id IN (
      SELECT department_id FROM department_year_metrics
      WHERE year BETWEEN first_year AND last_year
      GROUP BY department_id
      HAVING count(DISTINCT year) = last_year - first_year + 1);
