-- quality_gate_figures: what the quality gate drops, figure group by figure group, kept apart from
-- the disclosure defects that drop nothing. One row per kind and figure group:
--   kind 'contradiction' (数字相互矛盾), one row per figure group (sangong, cost, gpb, totals,
--        items): department_years graded fail on that group (a failed error check puts it in doubt,
--        or the document failed), how many of them have the group's figures dropped (0 under the
--        switch juesuan_quality = 'all'), and the reasons (the group's *_quality_reason);
--   kind 'disclosure' (披露缺陷), figure_group NULL: department-years with a disclosure defect (a
--        placeholder, a heading or 截至 year, a table not printed): their figures stand.
CREATE OR REPLACE VIEW quality_gate_figures AS
WITH g(figure_group, n) AS (
    VALUES ('sangong', 1), ('cost', 2), ('gpb', 3), ('totals', 4), ('items', 5)
),
per AS (
    SELECT m.region, m.department, m.year, g.figure_group, g.n,
           CASE g.figure_group WHEN 'sangong' THEN m.sangong_quality WHEN 'cost' THEN m.cost_quality
                               WHEN 'gpb' THEN m.gpb_quality WHEN 'totals' THEN m.totals_quality
                               ELSE m.items_quality END AS grade,
           CASE g.figure_group WHEN 'sangong' THEN m.sangong_quality_reason WHEN 'cost' THEN m.cost_quality_reason
                               WHEN 'gpb' THEN m.gpb_quality_reason WHEN 'totals' THEN m.totals_quality_reason
                               ELSE m.items_quality_reason END AS reason,
           m.included
    FROM department_year_metrics_all AS m CROSS JOIN g
)
SELECT * EXCLUDE (n) FROM (
    SELECT
        'contradiction' AS kind,
        '数字相互矛盾' AS kind_label,
        figure_group,
        count(*) FILTER (WHERE grade = 'fail') AS department_years,
        count(*) FILTER (WHERE grade = 'fail' AND NOT figure_included(grade)) AS figures_dropped,
        coalesce(list(DISTINCT reason ORDER BY reason) FILTER (WHERE grade = 'fail' AND reason IS NOT NULL),
                 []) AS reasons,
        coalesce(list(region || ' ' || department || ' ' || year ORDER BY region, department, year)
                     FILTER (WHERE grade = 'fail'), []) AS department_year_names,
        min(n) AS n
    FROM per
    GROUP BY figure_group
    UNION ALL
    SELECT
        'disclosure', '披露缺陷', NULL,
        count(*) FILTER (WHERE disclosure_defects > 0),
        0,
        coalesce(list(DISTINCT disclosure_reason ORDER BY disclosure_reason)
                     FILTER (WHERE disclosure_reason IS NOT NULL), []),
        coalesce(list(region || ' ' || department || ' ' || year ORDER BY region, department, year)
                     FILTER (WHERE disclosure_defects > 0), []),
        6
    FROM department_year_metrics_all
    HAVING count(*) > 0
)
ORDER BY n;
