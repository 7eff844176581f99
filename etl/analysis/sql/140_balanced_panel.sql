-- balanced_panel(first_year, last_year): a table macro — the department-year metrics (behind the
-- quality gate) of the departments (department_id) present in EVERY year from first_year to
-- last_year, so a panel compares the same departments throughout. A department merged from two
-- predecessors has two rows in a year; its department_id is present that year all the same.
--     SELECT * FROM balanced_panel(2020, 2022)
-- balanced_flags(first_year, last_year): per department-year (dy_key) of department_year_metrics,
-- in_balanced_panel = its department (department_id) has an included department-year in EVERY
-- year first_year … last_year and this row lies in the span; false otherwise (a year outside the
-- span, or a department missing a year); NULL when no span is given. department_years_export
-- carries it for the span of set_options(balanced=(2019, 2022)) / `juesuan export --balanced 2019-2022`
-- (balanced_span() names it).
CREATE OR REPLACE MACRO balanced_panel(first_year, last_year) AS TABLE
SELECT m.*
FROM department_year_metrics AS m
WHERE m.year BETWEEN first_year AND last_year
  AND m.department_id IN (
      SELECT department_id FROM department_year_metrics
      WHERE year BETWEEN first_year AND last_year
      GROUP BY department_id
      HAVING count(DISTINCT year) = last_year - first_year + 1);

CREATE OR REPLACE MACRO balanced_flags(first_year, last_year) AS TABLE
SELECT m.dy_key,
       CASE WHEN first_year IS NOT NULL AND last_year IS NOT NULL
            THEN m.year BETWEEN first_year AND last_year AND m.department_id IN (
                SELECT department_id FROM department_year_metrics
                WHERE year BETWEEN first_year AND last_year
                GROUP BY department_id
                HAVING count(DISTINCT year) = last_year - first_year + 1) END AS in_balanced_panel
FROM department_year_metrics AS m;

-- balanced_span(): the span chosen with set_options(balanced=…) as 'first-last', NULL when none.
CREATE OR REPLACE MACRO balanced_span() AS
    CAST(getvariable('juesuan_balanced_first') AS VARCHAR) || '-' || CAST(getvariable('juesuan_balanced_last') AS VARCHAR);
