-- comparison_rows: THE row-selection layer. Every region view (110–140) and every notebook reads
-- the department-years it compares from here, so the rules are declared once:
--   * quality: the rows of department_year_metrics (behind the quality gate). A figure a failed
--     check puts in doubt may be NULL on an included row: a comparison of a figure always filters
--     on that figure being NOT NULL.
--   * region_level (region_level macro, from the region string alone, no list of districts):
--       central   the region is 中央;
--       province  it ends in 省 or 自治区, or it is a 直辖市 itself (北京市/上海市/天津市/重庆市 with no
--                 district after it);
--       district  it ends in 区, 县 or 旗, or it is a county-level 市 under a 市/州/盟 (…市…市);
--       city      anything else (a 地级市 such as 广州市).
--     Comparisons across regions compare one level only; 中央 is never counted as a 地区 beside
--     the districts.
--   * report_scope: units' own reports (report_scope = 'unit') are inside their department's
--     report; in_region_aggregates is false for them, and every region aggregate keeps only
--     in_region_aggregates rows (unit_rows lists the units on their own).
--   * minimum n: comparison_min_n() = 3 — no rank (across regions, of YoY) and no "highest/lowest"
--     statement over fewer than 3 departments or regions; the rank is NULL and rank_note says why.
--   * latest year: the latest year with adequate coverage (coverage_years, latest_adequate_year),
--     never a thin tail year.
--   * trends: over a balanced set (balanced_panel, sangong_region_yoy) or labelled as affected by
--     the changing set of departments.
CREATE OR REPLACE MACRO region_level(region) AS
    CASE WHEN region = '中央' THEN 'central'
         WHEN region LIKE '%自治区' OR region LIKE '%省' OR regexp_full_match(region, '(北京|上海|天津|重庆)市')
              THEN 'province'
         WHEN regexp_matches(region, '(区|县|旗)$') OR regexp_full_match(region, '.+(市|州|盟).+市') THEN 'district'
         ELSE 'city' END;

CREATE OR REPLACE MACRO region_level_label(level) AS
    CASE level WHEN 'central' THEN '中央' WHEN 'province' THEN '省级' WHEN 'district' THEN '区县'
               WHEN 'city' THEN '地市' END;

CREATE OR REPLACE MACRO comparison_min_n() AS 3;

CREATE OR REPLACE VIEW comparison_rows AS
SELECT m.*,
       region_level(m.region)        AS region_level,
       m.report_scope = 'department' AS in_region_aggregates
FROM department_year_metrics AS m;
