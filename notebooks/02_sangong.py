# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 “三公”经费
#
# **本页内容：** “三公”经费（因公出国（境）费、公务用车购置及运行费、公务接待费）的预算执行情况：
# 多少部门的决算低于预算的 90%；各区的构成；部门三公经费的中位数走势；同一批部门的同比变化；
# 同类部门的跨区比较。金额单位为万元。
# 地区“合计”只是语料中这些部门之和，不是全区数字；比较年度时只用两年都有数据的同一批部门。
# 行的选取统一来自视图 comparison_rows：所属单位自己的报告（其数字已含在所在部门的报告中）不计入任何合计；
# 跨地区比较只比同级地区（区县与区县），中央部门单列；排名和“最高/最低”至少需要 3 个部门或地区；
# “最近年度”是覆盖充分的最近年度（部门-年度数不少于各年中位数的 80%），不是只剩几个部门的年度。

# %% [markdown] tags=["analyst"]
# **参数：** 在下面的参数单元格中填写地区、年度、质量筛选和三公经费口径，然后“全部运行”（不必改 SQL）。
# 命令行 `juesuan report --region … --years … [--all-quality] [--sangong-basis parts]` 以同样的参数生成报告。
# 数据来自 Parquet 目录（默认是项目下的 `data/parquet`，可用环境变量 `JUESUAN_PARQUET` 指定）。
# 这一段只在 JupyterLab 中显示，不出现在导出的报告中。

# %% tags=["parameters"]
REGION = None  # 地区，如 "天河区"（简称或全称）；None：全部地区
YEARS = None  # 年度，如 "2020-2022"、"2020–2022" 或 "2020,2022"；None：全部年度
ALL_QUALITY = False  # True：关闭质量筛选，未通过校验的部门-年度也计入
SANGONG_BASIS = None  # 三公经费合计："printed" 公开的合计数（默认）或 "parts" 三项之和

# %%
import altair as alt
import polars as pl

from etl.analysis.notebook import (
    count_axis,
    count_scale,
    coverage_sentence,
    fill_years,
    fmt_n,
    fmt_pct,
    fmt_wan,
    frame,
    md,
    n_title,
    note,
    quality_sentence,
    say,
    setup,
    show,
    year_axis,
    year_scale,
)
from etl.analysis.select import format_years

con = setup(region=REGION, years=YEARS, all_quality=ALL_QUALITY, sangong_basis=SANGONG_BASIS)
basis = con.execute("SELECT sangong_basis()").fetchall()[0][0]
BASIS_TEXT = {"printed": "三公经费表公开的合计数", "parts": "因公出国（境）、公务用车、公务接待三项之和"}[basis]
MIN_N = con.execute("SELECT comparison_min_n()").fetchall()[0][0]
n_mismatch = con.execute("""SELECT count(*) FILTER (WHERE sangong_parts_mismatch) FROM comparison_rows
                            WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates""").fetchall()[0][0]
note(coverage_sentence(con), quality_sentence(con),
     md("三公经费合计的口径：**{}**。{}", BASIS_TEXT,
        f"有 {n_mismatch} 个部门-年度公开的合计与三项之和不一致（超出舍入误差），"
        "本页的构成、合计和结论都用上述同一口径；"
        "构成图中两者之差单列为“合计与分项之差”。" if n_mismatch else "所有部门-年度公开的合计与三项之和一致。"))

# %% [markdown]
# ## 预算执行：多少部门花了不到预算的 90%
# 每个部门-年度的完成率 = 三公决算 ÷ 三公预算 × 100%。虚线为 90% 和 110%。

# %%
dy = frame(con, """
    SELECT region AS 地区, department AS 部门, year AS 年度, sangong_used_budget AS 预算数,
           sangong_used_actual AS 决算数, sangong_completion_pct AS 完成率
    FROM comparison_rows WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates
    ORDER BY year, region, department""")
rated = dy.drop_nulls("完成率")
bins = frame(con, """
    SELECT least(floor(sangong_completion_pct / 10) * 10, 150) AS 区间下限, count(*)::INTEGER AS 部门年度数
    FROM comparison_rows WHERE sangong_completion_pct IS NOT NULL AND in_region_aggregates GROUP BY ALL ORDER BY ALL
""").with_columns(
    pl.when(pl.col("区间下限") >= 150).then(pl.lit("150% 以上"))
    .otherwise(pl.format("{}–{}%", pl.col("区间下限").cast(pl.Int64), (pl.col("区间下限") + 10).cast(pl.Int64)))
    .alias("完成率区间")).rename({"部门年度数": "部门-年度数"})
hist = alt.Chart(bins, title=n_title("三公经费完成率分布", rated.height)).mark_bar(color="#4c78a8").encode(
    x=alt.X("区间下限:Q", bin="binned", title="完成率（%，每 10% 一组）", scale=alt.Scale(domain=[0, 160]),
            axis=alt.Axis(format="d", values=list(range(0, 170, 10)))),
    x2="区间上限:Q",
    y=alt.Y("部门-年度数:Q", axis=count_axis("部门-年度数", bins["部门-年度数"].max() or 1),
            scale=count_scale(bins["部门-年度数"].max() or 1)),
    tooltip=["完成率区间", alt.Tooltip("部门-年度数:Q", title="部门-年度数（n）")],
).transform_calculate(区间上限="datum['区间下限'] + 10")
rules = alt.Chart(pl.DataFrame({"x": [90, 110]})).mark_rule(strokeDash=[4, 4], color="#555").encode(x="x:Q")
(hist + rules).properties(height=260)

# %%
by_year = frame(con, """
    SELECT year AS 年度, count(*)::INTEGER AS 部门数,
           count(*) FILTER (WHERE sangong_completion_pct < 90)::INTEGER AS 低于90,
           count(*) FILTER (WHERE sangong_completion_pct > 110)::INTEGER AS 超过110,
           median(sangong_completion_pct) AS 完成率中位数,
           sum(sangong_used_budget) AS 预算合计, sum(sangong_used_actual) AS 决算合计
    FROM comparison_rows WHERE sangong_completion_pct IS NOT NULL AND in_region_aggregates
    GROUP BY ALL ORDER BY ALL
""").rename({"低于90": "低于 90% 的部门数", "超过110": "超过 110% 的部门数"})
show(by_year, money=["预算合计", "决算合计"], pct=["完成率中位数"], n="部门数",
     caption="各年度三公经费预算执行（不含所属单位；每年度的部门数不同，合计只在同一年度内可比）")

# %% [markdown]
# ## 各区三公经费构成
# 按项目堆叠的各区县决算（下拉框选择年度，默认覆盖充分的最近年度）；条长即该区县所含部门的三公经费合计
# （本页口径；分项与合计之间舍入误差以内的差额不单列）。只画区县级地区，所属单位不计；
# 中央部门和其他级别的地区不与区县并列，见图下说明。

# %%
comp = frame(con, """
    WITH m AS (SELECT * FROM comparison_rows
               WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates AND region_level = 'district'),
    agg AS (
        SELECT region, year, count(*) AS n, sum(sangong_used_actual) AS total,
               sum(coalesce(overseas_actual, 0)) AS overseas, sum(coalesce(vehicle_purchase_actual, 0)) AS purchase,
               sum(coalesce(vehicle_operation_actual, 0)) AS operation, sum(coalesce(reception_actual, 0)) AS reception,
               -- printed 合计 ≠ parts beyond printed rounding: the difference is its own segment
               sum(CASE WHEN sangong_parts_mismatch THEN sangong_used_actual - coalesce(overseas_actual, 0)
                        - coalesce(vehicle_purchase_actual, 0) - coalesce(vehicle_operation_actual, 0)
                        - coalesce(reception_actual, 0) ELSE 0 END) AS mismatch
        FROM m GROUP BY region, year)
    SELECT region AS 地区, year AS 年度, n::INTEGER AS 部门数, total AS 合计, item AS 项目, amount AS 决算数,
           100 * amount / nullif(total, 0) AS 占比
    FROM agg, LATERAL (VALUES ('因公出国（境）费', overseas), ('公务用车购置费', purchase),
                              ('公务用车运行维护费', operation), ('公务接待费', reception),
                              ('合计与分项之差', mismatch)) AS t(item, amount)
    WHERE item <> '合计与分项之差' OR mismatch <> 0
    ORDER BY ALL""")
years = sorted(comp["年度"].unique().to_list())
latest = con.execute("SELECT latest_adequate_year('sangong')").fetchall()[0][0]
thin = con.execute("""SELECT list(year ORDER BY year) FROM coverage_years
                       WHERE metric = 'sangong' AND NOT adequate AND year > ?""", [latest]).fetchall()[0][0] or []
ITEM_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#bab0ac"]
ITEMS = [i for i in ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "合计与分项之差"]
         if i in comp["项目"].to_list()]
year_pick = alt.selection_point(fields=["年度"], value=latest if latest in years else (years[-1] if years else None),
                                bind=alt.binding_select(options=years, name="年度 "))
alt.Chart(comp, title="各区县三公经费决算构成（所含部门之和）").mark_bar().encode(
    y=alt.Y("地区:N", title=None, sort="-x"),
    x=alt.X("sum(决算数):Q", title="决算数（万元）"),
    color=alt.Color("项目:N", title="项目", sort=ITEMS,
                    scale=alt.Scale(domain=ITEMS, range=ITEM_COLOURS[:len(ITEMS)])),
    order=alt.Order("项目序:Q"),
    tooltip=["地区", alt.Tooltip("年度:O"), "项目", alt.Tooltip("决算数:Q", format=",.2f", title="决算数（万元）"),
             alt.Tooltip("占比:Q", format=".1f", title="占该区合计（%）"),
             alt.Tooltip("合计:Q", format=",.2f", title="该区合计（万元）"),
             alt.Tooltip("部门数:Q", title="部门数（n）")],
).transform_calculate(项目序=f"indexof({ITEMS}, datum['项目'])").add_params(year_pick).transform_filter(
    year_pick).properties(height=alt.Step(36))

# %%
others = frame(con, """
    SELECT region_level_label(region_level) AS 级别, region AS 地区, year AS 年度, count(*)::INTEGER AS 部门数,
           sum(sangong_used_actual) AS 决算合计
    FROM comparison_rows
    WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates AND region_level <> 'district'
    GROUP BY ALL ORDER BY ALL""")
show(others, money=["决算合计"], n="部门数", caption="区县以外的地区（中央部门等，不与区县并列比较）",
     empty="没有区县以外的地区。")
note(f"{format_years(thin)} 年只有少数部门-年度（不到各年中位数的 80%），"
     f"本页的“最近年度”取覆盖充分的 {latest} 年。" if thin and latest else "")

# %% [markdown]
# ## 部门三公经费的中位数走势
# 各区县部门三公经费决算的中位数：不受个别大部门左右，但**各年的部门不尽相同，走势受部门构成变化的影响**
# （同一批部门的变化见下节同比）。少于 3 个部门的年度不画点，缺数据的年度留空，线在此断开。

# %%
med = frame(con, """
    SELECT region AS 地区, year AS 年度, count(*)::INTEGER AS 部门数, median(sangong_used_actual::DOUBLE) AS 中位数,
           quantile_cont(sangong_used_actual::DOUBLE, 0.25) AS 下四分位,
           quantile_cont(sangong_used_actual::DOUBLE, 0.75) AS 上四分位
    FROM comparison_rows
    WHERE sangong_used_actual IS NOT NULL AND in_region_aggregates AND region_level = 'district'
    GROUP BY ALL HAVING count(*) >= comparison_min_n() ORDER BY ALL""")
med_full = fill_years(med, by="地区")
hover = alt.selection_point(fields=["地区"], bind="legend")
alt.Chart(med_full, title="各区县部门三公经费决算中位数（受各年部门构成影响）").mark_line(
    point=True, invalid="break-paths-show-domains").encode(
    x=alt.X("年度:Q", axis=year_axis(years), scale=year_scale(years)),
    y=alt.Y("中位数:Q", title="部门三公经费中位数（万元）", scale=alt.Scale(zero=False)),
    color=alt.Color("地区:N", title="地区"),
    opacity=alt.condition(hover, alt.value(1), alt.value(0.2)),
    tooltip=["地区", alt.Tooltip("年度:Q", format="d"), alt.Tooltip("部门数:Q", title="部门数（n）"),
             alt.Tooltip("中位数:Q", format=",.2f", title="中位数（万元）"),
             alt.Tooltip("下四分位:Q", format=",.2f", title="下四分位（万元）"),
             alt.Tooltip("上四分位:Q", format=",.2f", title="上四分位（万元）")],
).add_params(hover)

# %% [markdown]
# ## 平衡面板上的走势（每年同一批部门）
# 只取在所选年份范围内**每一年**都有三公数据的区县部门（balanced_panel；改名的部门按同一部门计），
# 走势因此不受部门进出的影响。年份范围取以覆盖充分的最近年度结束、平衡部门不少于 3 个的最长区间；n 为这批部门数。

# %%
def balanced_trend(first: int, last: int) -> pl.DataFrame:
    return frame(con, """
        WITH r AS (SELECT department_id, year, sangong_used_actual FROM balanced_panel(?, ?)
                   WHERE report_scope = 'department' AND region_level(region) = 'district'
                     AND sangong_used_actual IS NOT NULL),
        keep AS (SELECT department_id FROM r GROUP BY department_id HAVING count(DISTINCT year) = ? - ? + 1)
        SELECT year AS 年度, count(*)::INTEGER AS 部门数, sum(sangong_used_actual) AS 决算合计,
               median(sangong_used_actual::DOUBLE) AS 中位数
        FROM r WHERE department_id IN (SELECT department_id FROM keep) GROUP BY year ORDER BY year""",
        [first, last, last, first])


first_year = con.execute("""SELECT min(year) FROM comparison_rows
                             WHERE sangong_used_actual IS NOT NULL AND region_level = 'district'""").fetchall()[0][0]
panel, panel_span = pl.DataFrame(), None
if first_year is not None and latest is not None:
    for first in range(first_year, latest):   # the longest span ending at the latest adequate year first
        trend = balanced_trend(first, latest)
        if trend.height and trend["部门数"].min() >= MIN_N:
            panel, panel_span = trend, (first, latest)
            break
panel_chart = None if not panel.height else alt.Chart(panel, title=n_title(
    f"平衡面板 {panel_span[0]}–{panel_span[1]} 年三公经费决算合计（同一批部门）", int(panel["部门数"][0]), "个部门"
)).mark_line(point=True).encode(
    x=alt.X("年度:O", title="年度", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("决算合计:Q", title="决算合计（万元）", scale=alt.Scale(zero=False)),
    tooltip=[alt.Tooltip("年度:O"), alt.Tooltip("部门数:Q", title="部门数（n）"),
             alt.Tooltip("决算合计:Q", format=",.2f", title="决算合计（万元）"),
             alt.Tooltip("中位数:Q", format=",.2f", title="部门中位数（万元）")]).properties(height=260)
panel_chart

# %%
show(panel, money=["决算合计", "中位数"], n="部门数",
     caption=(f"平衡面板 {panel_span[0]}–{panel_span[1]} 年：每年同一批 {panel['部门数'][0]} 个部门"
              if panel.height else None),
     empty=f"没有连续两年以上、每年都有三公数据且不少于 {MIN_N} 个部门的平衡面板。")

# %% [markdown]
# ## 同比变化（同一批部门）
# 每个区只比较上一年和当年都有三公数据的部门（改名的部门按同一部门计）；上一年没有数据的年度没有同比。
# 条形为这批部门合计的变化，点为部门各自变化的中位数。

# %%
yoy = frame(con, """
    SELECT region AS 地区, year AS 年度, departments_balanced::INTEGER AS 部门数, prev_actual AS 上年决算,
           actual AS 本年决算, change_pct AS 合计同比, median_department_change_pct AS 部门同比中位数
    FROM sangong_region_yoy WHERE region_level = 'district' ORDER BY ALL""")
yoy_tip = ["地区", alt.Tooltip("年度:O"), alt.Tooltip("部门数:Q", title="两年都有数据的部门数（n）"),
           alt.Tooltip("上年决算:Q", format=",.2f", title="上年决算（万元）"),
           alt.Tooltip("本年决算:Q", format=",.2f", title="本年决算（万元）"),
           alt.Tooltip("合计同比:Q", format="+.1f", title="合计同比（%）"),
           alt.Tooltip("部门同比中位数:Q", format="+.1f", title="部门同比中位数（%）")]
base = alt.Chart(yoy, title="三公经费同比变化（同一批部门）").encode(
    x=alt.X("年度:O", title="年度", axis=alt.Axis(labelAngle=0)), xOffset="地区:N",
    color=alt.Color("地区:N", title="地区"), tooltip=yoy_tip)
(base.mark_bar(opacity=0.8).encode(y=alt.Y("合计同比:Q", title="同比（%）"))
 + base.mark_point(shape="diamond", filled=True, size=80).encode(y="部门同比中位数:Q", color=alt.value("black"))
 + alt.Chart(pl.DataFrame({"y": [0]})).mark_rule(color="#333").encode(y="y:Q")).properties(height=300)

# %%
show(yoy, money=["上年决算", "本年决算"], pct=["合计同比", "部门同比中位数"], n="部门数",
     caption="各区三公经费同比（两年都有数据的同一批部门）", empty="没有连续两年都有数据的部门，无法计算同比。")

# %% [markdown]
# ## 同类部门跨区比较
# 覆盖充分的最近年度各区县同类部门的三公经费决算，以及在有该类部门的各区县中的排名（1 = 决算最高；
# 按金额排名，未按部门规模调整；少于 3 个区县有此类部门时不排名）。下拉框选择部门类型。

# %%
by_type = frame(con, """
    SELECT department_type AS 部门类型, region AS 地区, departments::INTEGER AS 部门数,
           sangong_used_actual AS 决算数, sangong_used_budget AS 预算数, completion_pct AS 完成率,
           rank_across_regions AS 跨区排名, regions_in_type::INTEGER AS 地区数, yoy_pct AS 同比,
           coalesce(rank_note, '') AS 排名说明
    FROM sangong_region_year_type WHERE year = ? AND region_level = 'district' ORDER BY ALL""", [latest])
types = sorted(by_type["部门类型"].unique().to_list())
type_pick = alt.selection_point(fields=["部门类型"], value=types[0] if types else None,
                                bind=alt.binding_select(options=types, name="部门类型 "))
alt.Chart(by_type, title=f"{latest} 年同类部门三公经费跨区比较").mark_bar().encode(
    x=alt.X("决算数:Q", title="决算数（万元）"),
    y=alt.Y("地区:N", sort="-x", title=None),
    color=alt.Color("跨区排名:O", title="跨区排名（1 = 最高）", scale=alt.Scale(scheme="orangered", reverse=True)),
    tooltip=["部门类型", "地区", alt.Tooltip("部门数:Q", title="部门数（n）"),
             alt.Tooltip("决算数:Q", format=",.2f", title="决算数（万元）"),
             alt.Tooltip("预算数:Q", format=",.2f", title="预算数（万元）"),
             alt.Tooltip("完成率:Q", format=".1f", title="完成率（%）"),
             "跨区排名", alt.Tooltip("地区数:Q", title="有此类部门的区县数（n）"), "排名说明",
             alt.Tooltip("同比:Q", format="+.1f", title="同比（%，同一部门）")],
).add_params(type_pick).transform_filter(type_pick).properties(height=alt.Step(36))

# %% [markdown]
# ## 预算数与决算数（每点一个部门-年度）
# 对角虚线为决算 = 预算；线下方的点花得比预算少。两轴为对数刻度。

# %%
pos = dy.filter((pl.col("预算数") > 0) & (pl.col("决算数") > 0))
lo = float(min(pos["预算数"].min(), pos["决算数"].min())) * 0.8 if pos.height else 0.1
hi = float(max(pos["预算数"].max(), pos["决算数"].max())) * 1.25 if pos.height else 1
log_scale = alt.Scale(type="log", domain=[lo, hi], nice=False)
diag = alt.Chart(pl.DataFrame({"x": [lo, hi]})).mark_line(color="gray", strokeDash=[4, 4], clip=True).encode(
    x=alt.X("x:Q", scale=log_scale), y=alt.Y("x:Q", scale=log_scale))
pts = alt.Chart(pos, title=n_title("三公经费：预算数与决算数", pos.height)).mark_circle(opacity=0.65, size=50).encode(
    x=alt.X("预算数:Q", title="预算数（万元，对数刻度）", scale=log_scale, axis=alt.Axis(format="~g")),
    y=alt.Y("决算数:Q", title="决算数（万元，对数刻度）", scale=log_scale, axis=alt.Axis(format="~g")),
    color=alt.Color("地区:N", title="地区"),
    tooltip=["地区", "部门", alt.Tooltip("年度:O"), alt.Tooltip("预算数:Q", format=",.2f", title="预算数（万元）"),
             alt.Tooltip("决算数:Q", format=",.2f", title="决算数（万元）"),
             alt.Tooltip("完成率:Q", format=".1f", title="完成率（%）")],
)
(diag + pts).properties(height=420)

# %% [markdown]
# ## 主要发现

# %%
n_all, n_under, med_all = con.execute("""
    SELECT count(*), count(*) FILTER (WHERE sangong_completion_pct < 90), median(sangong_completion_pct)
    FROM comparison_rows WHERE sangong_completion_pct IS NOT NULL AND in_region_aggregates""").fetchall()[0]
last = by_year.filter(pl.col("年度") == latest).to_dicts()
last = last[0] if last else None
top_item = (comp.filter((pl.col("年度") == latest) & (pl.col("项目") != "合计与分项之差"))
            .group_by("项目").agg(pl.col("决算数").sum()).sort("决算数", descending=True).head(1).rows())
latest_comp = (comp.filter(pl.col("年度") == latest).group_by("地区")
               .agg(pl.col("合计").first(), pl.col("部门数").first()))
latest_total, comp_n = latest_comp["合计"].sum(), latest_comp["部门数"].sum()
yoy_last = yoy.filter((pl.col("年度") == latest) & (pl.col("部门数") >= MIN_N)).drop_nulls("合计同比").sort("合计同比")
n_over = con.execute("""SELECT count(*) FILTER (WHERE sangong_completion_pct > 110) FROM comparison_rows
                        WHERE in_region_aggregates AND year = ?""", [latest]).fetchall()[0][0]
say(
    f"{fmt_n(n_under)} / {fmt_n(n_all)} 个部门-年度的三公经费决算不到预算的 90%，完成率中位数 {fmt_pct(med_all)}"
    f"（{format_years(years)} 年度合计）。" if n_all else "没有同时公开三公经费预算和决算的部门-年度。",
    f"{latest} 年 {last['低于 90% 的部门数']} / {last['部门数']} 个部门不到预算的 90%，"
    + (f"{n_over} 个超过预算 10% 以上" if n_over else "没有部门超过预算 10% 以上")
    + f"，完成率中位数 {fmt_pct(last['完成率中位数'])}。" if last else "",
    f"{latest} 年这 {last['部门数']} 个部门的三公经费决算合计 {fmt_wan(last['决算合计'])}，预算合计 "
    f"{fmt_wan(last['预算合计'])}（口径：{BASIS_TEXT}）。" if last else "",
    f"{latest} 年构成中占比最大的是{top_item[0][0]}，占 {fmt_pct(100 * top_item[0][1] / latest_total)}"
    f"（{fmt_wan(top_item[0][1])}，{comp_n} 个区县部门）。" if top_item and top_item[0][1] and latest_total
    else "",
    f"{latest} 年与上年相比（同一批部门），同比最高的是{yoy_last[-1, '地区']}（合计 {yoy_last[-1, '合计同比']:+.1f}%，"
    f"部门同比中位数 {yoy_last[-1, '部门同比中位数']:+.1f}%，n = {yoy_last[-1, '部门数']} 个部门），"
    f"最低的是{yoy_last[0, '地区']}（合计 {yoy_last[0, '合计同比']:+.1f}%，n = {yoy_last[0, '部门数']}）。"
    if yoy_last.height >= 2 else
    f"{latest} 年两年都有数据的部门不少于 {MIN_N} 个的区县不足两个，不比较各区县同比高低。" if latest else "",
    f"平衡面板（{panel_span[0]}–{panel_span[1]} 年每年都有三公数据的同一批 {panel['部门数'][0]} 个部门）的三公经费决算"
    f"合计从 {fmt_wan(panel['决算合计'][0])} 变为 {fmt_wan(panel['决算合计'][-1])}。" if panel.height else "",
)
