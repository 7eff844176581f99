-- Macros shared by the views: every metric is defined here once and every view, notebook and
-- export uses these definitions.

-- safe_pct(num, den): 100 * num / den as DOUBLE; NULL when den is zero or NULL (never infinite).
CREATE OR REPLACE MACRO safe_pct(num, den) AS
    100 * CAST(num AS DOUBLE) / nullif(CAST(den AS DOUBLE), 0);

-- safe_ratio(num, den): num / den as DOUBLE; NULL when den is zero or NULL.
CREATE OR REPLACE MACRO safe_ratio(num, den) AS
    CAST(num AS DOUBLE) / nullif(CAST(den AS DOUBLE), 0);

-- Budget completion, one definition for the department total, each 项 and 三公:
--   budget      = 年初预算 when it is > 0, else 全年预算 (调整预算) when printed and > 0, else none;
--   basis       = initial | full_year | printed_pct (no usable budget amount, but a printed
--                 completion %) | none;
--   completion  = 100 * actual / budget on an amount basis, the printed % on printed_pct, else NULL.
-- A 年初预算 of 0 therefore falls through to the 全年预算 (a mid-year project).
CREATE OR REPLACE MACRO budget_amount(initial, full_year) AS
    CASE WHEN initial > 0 THEN initial WHEN full_year > 0 THEN full_year END;

CREATE OR REPLACE MACRO budget_basis(initial, full_year, printed_pct) AS
    CASE WHEN initial > 0 THEN 'initial'
         WHEN full_year > 0 THEN 'full_year'
         WHEN printed_pct IS NOT NULL THEN 'printed_pct'
         ELSE 'none' END;

CREATE OR REPLACE MACRO completion_pct(initial, full_year, actual, printed_pct) AS
    CASE WHEN initial > 0 OR full_year > 0 THEN safe_pct(actual, budget_amount(initial, full_year))
         ELSE CAST(printed_pct AS DOUBLE) END;

-- execution_flag(pct, initial, full_year, actual): classify one budget-versus-actual figure.
--   over        completion > 110 %
--   under       completion <  90 %
--   on_target   90–110 % inclusive
--   unbudgeted  a budget printed as 0 (or only zeros), yet actual > 0: spending without a budget
--   idle        a budget printed as 0 and actual 0: nothing budgeted, nothing spent
--   no_budget   no budget amount and no completion % printed
CREATE OR REPLACE MACRO execution_flag(pct, initial, full_year, actual) AS
    CASE WHEN pct IS NOT NULL THEN
              CASE WHEN pct > 110 THEN 'over' WHEN pct < 90 THEN 'under' ELSE 'on_target' END
         WHEN coalesce(initial, full_year) IS NULL THEN 'no_budget'
         WHEN actual > 0 THEN 'unbudgeted'
         ELSE 'idle' END;

-- Chinese labels of the flag and the basis, for charts, tables and exports.
CREATE OR REPLACE MACRO flag_label(flag) AS
    CASE flag WHEN 'over' THEN '超预算' WHEN 'under' THEN '执行不足' WHEN 'on_target' THEN '基本持平'
              WHEN 'unbudgeted' THEN '无预算支出' WHEN 'idle' THEN '无预算无支出'
              WHEN 'no_budget' THEN '未公开预算' END;

CREATE OR REPLACE MACRO basis_label(basis) AS
    CASE basis WHEN 'initial' THEN '年初预算' WHEN 'full_year' THEN '全年预算'
               WHEN 'printed_pct' THEN '公开完成率' WHEN 'none' THEN '无' END;

-- The switches (set by etl.analysis.connect / set_options; unset = the documented default):
--   juesuan_quality        'default' (figures a contradiction puts in doubt are dropped, group by
--                          group: figure_included) or 'all' (every figure)
--   juesuan_sangong_basis  'printed' (the printed 三公 合计, default) or 'parts' (出国 + 用车 + 接待)

-- figure_included(group_quality): a figure group is kept unless graded fail (or the switch is 'all').
CREATE OR REPLACE MACRO figure_included(group_quality) AS
    coalesce(getvariable('juesuan_quality'), 'default') = 'all' OR group_quality IS DISTINCT FROM 'fail';

CREATE OR REPLACE MACRO sangong_basis() AS
    coalesce(getvariable('juesuan_sangong_basis'), 'printed');

-- Printed rounding: a sum of n printed parts may differ from its printed total by 0.01 per part.
CREATE OR REPLACE MACRO differs_beyond_rounding(a, b, parts) AS
    abs(CAST(a AS DECIMAL(18, 2)) - CAST(b AS DECIMAL(18, 2))) > 0.01 * parts;

-- file_name(path): the last component of a stored source_file (what a reader finds in the raw folder).
CREATE OR REPLACE MACRO file_name(path) AS regexp_extract(path, '[^/]+$');

-- figures_dropped_zh(groups): the Chinese names of figure groups ('sangong,cost' → 三公经费、人员/公用经费).
CREATE OR REPLACE MACRO figures_dropped_zh(groups) AS
    array_to_string(list_transform(string_split(groups, ','), lambda g: CASE g
        WHEN 'sangong' THEN '三公经费' WHEN 'cost' THEN '人员/公用经费' WHEN 'gpb' THEN '一般公共预算财政拨款支出'
        WHEN 'totals' THEN '收支总计' WHEN 'items' THEN '分项支出' ELSE g END), '、');
