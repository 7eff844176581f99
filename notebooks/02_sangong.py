# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
# ---

# %% [markdown]
# # 02 “三公”经费 · Three public expenses
#
# **What this shows:** 三公经费 (因公出国（境）费、公务用车购置及运行费、公务接待费) totals and
# composition by district and year; the same department type compared across districts (with
# its rank); budget versus actual; and year-on-year change. One version per department-year
# (see `document_versions`). Amounts in 万元.

# %%
import altair as alt

from etl.analysis.notebook import fmt_pct, fmt_wan, frame, say, setup

con = setup()

# %% [markdown]
# ## 各区历年三公经费构成
# Stacked by item; the dropdown picks a year.

# %%
comp = frame(con, """
    SELECT region AS 地区, year AS 年度, item_label AS 项目, sum(actual) AS 决算数, sum(budget) AS 预算数
    FROM budget_completion_sangong
    WHERE item IN ('overseas', 'vehicle_purchase', 'vehicle_operation', 'reception')
    GROUP BY ALL ORDER BY ALL""")
years = sorted(comp["年度"].unique().to_list())
year_pick = alt.selection_point(fields=["年度"], value=years[-1] if years else None,
                                bind=alt.binding_select(options=years, name="年度 "))
alt.Chart(comp, title="三公经费决算构成（按地区）").mark_bar().encode(
    y=alt.Y("地区:N", title=None, sort="-x"),
    x=alt.X("sum(决算数):Q", title="决算数（万元）"),
    color=alt.Color("项目:N", title="项目"),
    tooltip=["地区", "年度", "项目", alt.Tooltip("决算数:Q", format=",.2f"), alt.Tooltip("预算数:Q", format=",.2f")],
).add_params(year_pick).transform_filter(year_pick)

# %%
trend = frame(con, """
    SELECT region AS 地区, year AS 年度, sum(sangong_actual) AS 决算数, sum(sangong_budget) AS 预算数
    FROM sangong_region_year_type GROUP BY ALL ORDER BY ALL""")
hover = alt.selection_point(fields=["地区"], on="pointerover", bind="legend")
alt.Chart(trend, title="各区三公经费决算合计走势").mark_line(point=True).encode(
    x=alt.X("年度:O", title="年度"),
    y=alt.Y("决算数:Q", title="决算数（万元）"),
    color=alt.Color("地区:N", title="地区"),
    opacity=alt.condition(hover, alt.value(1), alt.value(0.2)),
    tooltip=["地区", "年度", alt.Tooltip("决算数:Q", format=",.2f"), alt.Tooltip("预算数:Q", format=",.2f")],
).add_params(hover)

# %% [markdown]
# ## 同类部门跨区比较
# Each department type's 三公 actual in each district in the latest year, with its rank among
# districts (1 = highest). Pick a department type from the dropdown.

# %%
latest = con.execute("SELECT max(year) FROM sangong_region_year_type").fetchall()[0][0]
by_type = frame(con, """
    SELECT department_type AS 部门类型, region AS 地区, sangong_actual AS 决算数, sangong_budget AS 预算数,
           rank_in_type AS 排名, regions_in_type AS 地区数, yoy_pct AS 同比
    FROM sangong_region_year_type WHERE year = ? ORDER BY ALL""", [latest])
types = sorted(by_type["部门类型"].unique().to_list())
type_pick = alt.selection_point(fields=["部门类型"], value=types[0] if types else None,
                                bind=alt.binding_select(options=types, name="部门类型 "))
alt.Chart(by_type, title=f"{latest} 年同类部门三公经费跨区比较").mark_bar().encode(
    x=alt.X("决算数:Q", title="决算数（万元）"),
    y=alt.Y("地区:N", sort="-x", title=None),
    color=alt.Color("排名:O", title="区内排名", scale=alt.Scale(scheme="orangered", reverse=True)),
    tooltip=["部门类型", "地区", alt.Tooltip("决算数:Q", format=",.2f"), alt.Tooltip("预算数:Q", format=",.2f"),
             "排名", "地区数", alt.Tooltip("同比:Q", format=".1f", title="同比（%）")],
).add_params(type_pick).transform_filter(type_pick)

# %% [markdown]
# ## 预算与决算；同比变化

# %%
bva = frame(con, """
    SELECT region AS 地区, department AS 部门, year AS 年度, sangong_budget AS 预算数, sangong_actual AS 决算数,
           sangong_completion_pct AS 完成率
    FROM department_year_metrics WHERE sangong_budget IS NOT NULL""")
diag = alt.Chart(bva).mark_line(color="gray", strokeDash=[4, 4]).encode(x="预算数:Q", y="预算数:Q")
pts = alt.Chart(bva, title="三公经费：预算数 vs 决算数（每点一个部门-年度）").mark_circle(opacity=0.6).encode(
    x=alt.X("预算数:Q", title="预算数（万元）"),
    y=alt.Y("决算数:Q", title="决算数（万元）"),
    color=alt.Color("地区:N", title="地区"),
    tooltip=["部门", "年度", alt.Tooltip("预算数:Q", format=",.2f"), alt.Tooltip("决算数:Q", format=",.2f"),
             alt.Tooltip("完成率:Q", format=".1f", title="完成率（%）")],
)
(diag + pts).interactive()

# %%
yoy = frame(con, """
    SELECT region AS 地区, year AS 年度, sum(sangong_actual) AS 决算数, sum(prev_year_actual) AS 上年决算数,
           100 * (sum(sangong_actual) FILTER (WHERE prev_year_actual IS NOT NULL) - sum(prev_year_actual))
               / nullif(sum(prev_year_actual), 0) AS 同比
    FROM sangong_region_year_type GROUP BY ALL HAVING sum(prev_year_actual) IS NOT NULL ORDER BY ALL""")
alt.Chart(yoy, title="三公经费同比变化（同类部门可比口径）").mark_bar().encode(
    x=alt.X("年度:O", title="年度"),
    xOffset="地区:N",
    y=alt.Y("同比:Q", title="同比（%）"),
    color=alt.Color("地区:N", title="地区"),
    tooltip=["地区", "年度", alt.Tooltip("同比:Q", format=".1f", title="同比（%）"),
             alt.Tooltip("决算数:Q", format=",.2f")],
)

# %% [markdown]
# ## Findings

# %%
tot = con.execute("""SELECT sum(sangong_actual), sum(sangong_budget) FROM department_year_metrics
                     WHERE year = ?""", [latest]).fetchall()[0]
top_region = trend.filter(trend["年度"] == latest).sort("决算数", descending=True).head(1).rows()
top_item = con.execute("""SELECT item_label, sum(actual) AS a FROM budget_completion_sangong
    WHERE year = ? AND item IN ('overseas', 'vehicle_purchase', 'vehicle_operation', 'reception')
    GROUP BY 1 ORDER BY a DESC LIMIT 1""", [latest]).fetchall()
biggest_rise = yoy.filter(yoy["年度"] == latest).sort("同比", descending=True).head(1).rows()
over = con.execute("""SELECT count(*) FILTER (WHERE flag = 'over'), count(*) FROM budget_completion_sangong
                      WHERE item = 'total' AND year = ?""", [latest]).fetchall()[0]
say(
    f"{latest} 年三公经费决算合计 {fmt_wan(tot[0])}，预算 {fmt_wan(tot[1])}。" if latest else "没有三公数据。",
    f"决算最高的地区是{top_region[0][0]}（{fmt_wan(top_region[0][2])}）。" if top_region else "",
    f"构成中占比最大的是{top_item[0][0]}（{fmt_wan(top_item[0][1])}）。" if top_item else "",
    f"同比增幅最大的是{biggest_rise[0][0]}（{fmt_pct(biggest_rise[0][4])}）。" if biggest_rise else "",
    f"{over[0]} / {over[1]} 个部门的三公决算超过预算 10% 以上。" if over and over[1] else "",
)
