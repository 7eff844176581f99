-- budget_completion_item_summary: per 项 name (item_name; 行政运行 under any 类 is one row), how the
-- departments executed it, behind the quality gate. A percentage is never summed or stacked:
--   statements               n: every narrative statement of the 项
--   with_completion          statements with a completion % (on any basis)
--   median_completion_pct    median of their completion % (each on its own budget_basis)
--   with_amounts             statements with a budget amount (basis initial or full_year)
--   budget / actual          sums over exactly those statements (numerator and denominator from
--                            the same rows); pooled_completion_pct = 100 × actual / budget
--   over / under / on_target / unbudgeted / idle / no_budget   statements per flag
--   with_initial / median_completion_initial_pct / over_initial            on 年初预算 alone (its n)
--   with_full_year / median_completion_full_year_pct / over_full_year      on 全年预算 alone (its n)
CREATE OR REPLACE VIEW budget_completion_item_summary AS
SELECT
    item_name,
    count(*)                                              AS statements,
    count(DISTINCT department_id)                         AS departments,
    count(completion_pct)                                 AS with_completion,
    median(completion_pct)                                AS median_completion_pct,
    count(*) FILTER (WHERE budget_basis IN ('initial', 'full_year')) AS with_amounts,
    sum(budget) FILTER (WHERE budget_basis IN ('initial', 'full_year')) AS budget,
    sum(actual) FILTER (WHERE budget_basis IN ('initial', 'full_year')) AS actual,
    safe_pct(sum(actual) FILTER (WHERE budget_basis IN ('initial', 'full_year')),
             sum(budget) FILTER (WHERE budget_basis IN ('initial', 'full_year'))) AS pooled_completion_pct,
    count(*) FILTER (WHERE flag = 'over')       AS over,
    count(*) FILTER (WHERE flag = 'under')      AS under,
    count(*) FILTER (WHERE flag = 'on_target')  AS on_target,
    count(*) FILTER (WHERE flag = 'unbudgeted') AS unbudgeted,
    count(*) FILTER (WHERE flag = 'idle')       AS idle,
    count(*) FILTER (WHERE flag = 'no_budget')  AS no_budget,
    count(completion_initial_pct)                     AS with_initial,
    median(completion_initial_pct)                    AS median_completion_initial_pct,
    count(*) FILTER (WHERE flag_initial = 'over')     AS over_initial,
    count(completion_full_year_pct)                   AS with_full_year,
    median(completion_full_year_pct)                  AS median_completion_full_year_pct,
    count(*) FILTER (WHERE flag_full_year = 'over')   AS over_full_year
FROM budget_completion_item
GROUP BY item_name;
