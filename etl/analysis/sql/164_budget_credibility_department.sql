-- Budget credibility after the PEFA 2016 framework (Pillar I, budget reliability: PEFA Secretariat,
-- "Framework for assessing public financial management", 2016, PI-1 and PI-2; the scoring tables at
-- https://www.pefa.org/node/4762 (PI-1) and https://www.pefa.org/node/4627 (PI-2)).
--   PI-1 (1.1)  aggregate outturn = 100 × 决算 / 年初预算 of 一般公共预算财政拨款支出, from the narrative's
--               statement: the ORIGINALLY approved budget only (a 全年预算/调整预算 is never used; no
--               年初预算 > 0: NULL). Band per year: A 95–105 %, B 90–110 %, C 85–115 % (inclusive), D.
--   PI-2 (2.1)  composition variance = 100 × Σ|actual_i − adjusted_i| / Σ adjusted_i, where
--               adjusted_i = budget_i × (Σ actual / Σ budget) removes the aggregate deviation. Heads: the
--               项 the narrative states with a 年初预算 and a 决算 (budget_completion_item, 0 budgets
--               included). Why 项 and not 类: a department spends almost all in one or two 类, so by 类
--               there is no composition to vary; the framework admits program or administrative heads, and
--               the 项 is the only head a 决算 prints its 年初预算 for. More than 20 heads: the largest
--               that make up 75 % of the budget, the rest one line. Needs 2 heads. Band: A < 5 %,
--               B < 10 %, C < 15 % (strictly), D. pi2_coverage_pct says how much of the 决算 the heads cover.
--   PI-2 (2.2)  by economic type: not computable (a 决算 prints no 年初预算 by economic class).
--   PI-2 (2.3)  contingency: not computable (departments hold no contingency vote; 预备费 is the
--               government's, not in a department's 决算).
--   Score over three consecutive years (y−2, y−1, y): the band met in at least two of the three = the
--   second best of the three yearly bands (pefa_score_2of3); NULL unless all three years have a value.
--
-- budget_credibility_department: PI-1 and PI-2 per department-year, their bands and the three-year
-- scores (years y−2, y−1, y of the same department_id).
CREATE OR REPLACE VIEW budget_credibility_department AS
WITH yearly AS (
    SELECT p.*, q.pi2_lines, q.pi2_budget, q.pi2_actual, q.pi2_variance_pct,
           safe_pct(q.pi2_actual, p.actual) AS pi2_coverage_pct,
           pefa_pi1_band(p.pi1_outturn_pct) AS pi1_band,
           pefa_pi2_band(q.pi2_variance_pct) AS pi2_band
    FROM pefa_pi1_department AS p
    LEFT JOIN pefa_pi2 AS q
           ON q.level = 'department' AND q.region = p.region AND q.department_id = p.department_id
          AND q.year = p.year
)
SELECT y.region, y.region_level, y.department, y.department_id, y.department_type, y.report_scope, y.year, y.dy_key,
       y.initial_budget, y.actual, y.pi1_outturn_pct, y.pi1_band,
       pefa_score_2of3(y.pi1_band, y1.pi1_band, y2.pi1_band) AS pi1_score_3y,
       y.pi2_lines, y.pi2_budget, y.pi2_actual, y.pi2_coverage_pct, y.pi2_variance_pct, y.pi2_band,
       pefa_score_2of3(y.pi2_band, y1.pi2_band, y2.pi2_band) AS pi2_score_3y,
       y.source_file, y.page
FROM yearly AS y
LEFT JOIN yearly AS y1 ON y1.dy_key <> y.dy_key AND y1.region = y.region AND y1.department_id = y.department_id
                      AND y1.year = y.year - 1
LEFT JOIN yearly AS y2 ON y2.region = y.region AND y2.department_id = y.department_id AND y2.year = y.year - 2
QUALIFY row_number() OVER (PARTITION BY y.dy_key ORDER BY y1.dy_key, y2.dy_key) = 1;
