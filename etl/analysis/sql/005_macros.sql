-- Macros shared by the views (defined once so every view flags the same way).

-- safe_pct(num, den): 100 * num / den as DOUBLE; NULL when den is zero or NULL (never infinite).
CREATE OR REPLACE MACRO safe_pct(num, den) AS
    100 * CAST(num AS DOUBLE) / nullif(CAST(den AS DOUBLE), 0);

-- safe_ratio(num, den): num / den as DOUBLE; NULL when den is zero or NULL.
CREATE OR REPLACE MACRO safe_ratio(num, den) AS
    CAST(num AS DOUBLE) / nullif(CAST(den AS DOUBLE), 0);

-- execution_flag(pct): classify a completion percentage (actual / budget * 100).
--   over    > 110 %  spent more than a tenth above budget
--   under   <  90 %  spent less than nine tenths of budget
--   on_target        in between (90–110 %, inclusive)
--   no_budget        pct is NULL (budget not printed, or zero)
CREATE OR REPLACE MACRO execution_flag(pct) AS
    CASE WHEN pct IS NULL THEN 'no_budget'
         WHEN pct > 110 THEN 'over'
         WHEN pct < 90 THEN 'under'
         ELSE 'on_target' END;
