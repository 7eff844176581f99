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
# # 04 预算完成情况 · Budget completion
#
# **What this shows:** how far each department's 一般公共预算财政拨款支出决算 departs from its
# 年初预算 (completion % = 决算 ÷ 预算 × 100), the same per 项 as stated in the narrative (linked to
# function codes where the names match), which are over-executed (> 110%) or under-executed
# (< 90%), and the reasons the documents print for it.

# %%
import altair as alt

from etl.analysis.notebook import fmt_pct, frame, say, setup

con = setup()

# %% [markdown]
# ## 部门整体完成率

# %%
dept = frame(con, """
    SELECT region AS 地区, department AS 部门, year AS 年度, initial_budget AS 年初预算, actual AS 决算,
           completion_pct AS 完成率, completion_pct_printed AS 公开完成率,
           CASE flag WHEN 'over' THEN '超预算' WHEN 'under' THEN '执行不足' WHEN 'on_target' THEN '基本持平'
                ELSE '无预算数' END AS 执行情况, reason AS 原因
    FROM budget_completion_department""")
flag_scale = alt.Scale(domain=["超预算", "基本持平", "执行不足", "无预算数"],
                       range=["#e45756", "#54a24b", "#4c78a8", "#bab0ac"])
pick = alt.selection_point(fields=["执行情况"], bind="legend")
alt.Chart(dept, title="一般公共预算财政拨款支出完成率（决算 ÷ 年初预算）").mark_tick(thickness=2).encode(
    x=alt.X("完成率:Q", title="完成率（%）"),
    y=alt.Y("地区:N", title=None),
    color=alt.Color("执行情况:N", scale=flag_scale, title="执行情况"),
    opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
    tooltip=["部门", "年度", alt.Tooltip("年初预算:Q", format=",.2f"), alt.Tooltip("决算:Q", format=",.2f"),
             alt.Tooltip("完成率:Q", format=".1f"), "原因"],
).add_params(pick)

# %%
flags = frame(con, """
    SELECT year AS 年度, CASE flag WHEN 'over' THEN '超预算' WHEN 'under' THEN '执行不足'
                              WHEN 'on_target' THEN '基本持平' ELSE '无预算数' END AS 执行情况, count(*) AS 部门数
    FROM budget_completion_department GROUP BY ALL ORDER BY ALL""")
alt.Chart(flags, title="各年度执行情况分布").mark_bar().encode(
    x=alt.X("年度:O", title="年度"), y=alt.Y("部门数:Q", stack="normalize", title="占比"),
    color=alt.Color("执行情况:N", scale=flag_scale, title="执行情况"),
    tooltip=["年度", "执行情况", "部门数"],
)

# %% [markdown]
# ## 按项（叙述中的预决算说明）

# %%
items = frame(con, """
    SELECT item_name AS 项, coalesce(code, '未关联') AS 功能科目编码, count(*) AS 条数,
           sum(coalesce(initial_budget, full_year_budget)) AS 预算, sum(actual) AS 决算,
           100 * sum(actual) / nullif(sum(coalesce(initial_budget, full_year_budget)), 0) AS 完成率,
           count(*) FILTER (WHERE flag = 'over') AS 超预算, count(*) FILTER (WHERE flag = 'under') AS 执行不足
    FROM budget_completion_item GROUP BY ALL ORDER BY 条数 DESC LIMIT 25""")
alt.Chart(items, title="各项支出完成率（合并所有部门）").mark_bar().encode(
    y=alt.Y("项:N", sort="-x", title=None),
    x=alt.X("完成率:Q", title="完成率（%）"),
    color=alt.Color("完成率:Q", scale=alt.Scale(scheme="redblue", domainMid=100, reverse=True), legend=None),
    tooltip=["项", "功能科目编码", "条数", alt.Tooltip("预算:Q", format=",.2f"), alt.Tooltip("决算:Q", format=",.2f"),
             alt.Tooltip("完成率:Q", format=".1f"), "超预算", "执行不足"],
)

# %% [markdown]
# ## 公开的原因
# The reasons printed for the largest departures.

# %%
reasons = frame(con, """
    SELECT department AS 部门, year AS 年度, coalesce(item_name, '部门整体') AS 范围,
           round(completion_pct, 1) AS 完成率, reason AS 原因
    FROM (SELECT department, year, NULL AS item_name, completion_pct, reason FROM budget_completion_department
          UNION ALL
          SELECT department, year, item_name, completion_pct, reason FROM budget_completion_item)
    WHERE reason IS NOT NULL AND completion_pct IS NOT NULL
    ORDER BY abs(completion_pct - 100) DESC LIMIT 20""")
reasons  # noqa: B018  (notebook display)

# %% [markdown]
# ## Findings

# %%
n, n_over, n_under, med = con.execute("""
    SELECT count(*), count(*) FILTER (WHERE flag = 'over'), count(*) FILTER (WHERE flag = 'under'),
           median(completion_pct) FROM budget_completion_department""").fetchall()[0]
worst = dept.drop_nulls("完成率").sort("完成率").head(1).rows()
best = dept.drop_nulls("完成率").sort("完成率", descending=True).head(1).rows()
common = con.execute("""SELECT reason, count(*) c FROM budget_completion_item WHERE reason IS NOT NULL
                        GROUP BY 1 ORDER BY c DESC LIMIT 1""").fetchall()
linked = con.execute("SELECT count(*) FILTER (WHERE linked), count(*) FROM budget_completion_item").fetchall()[0]
say(
    f"{n} 个部门-年度公开了一般公共预算整体执行情况，完成率中位数 {fmt_pct(med)}。" if n else "没有预算执行数据。",
    f"其中 {n_over} 个超预算（> 110%），{n_under} 个执行不足（< 90%）。" if n else "",
    f"完成率最低的是{worst[0][1]}（{worst[0][2]} 年，{fmt_pct(worst[0][5])}）；"
    f"最高的是{best[0][1]}（{best[0][2]} 年，{fmt_pct(best[0][5])}）。" if worst else "",
    f"按项的说明共 {linked[1]} 条，其中 {linked[0]} 条关联到功能科目编码。" if linked[1] else "",
    f"最常见的原因表述：「{common[0][0]}」（{common[0][1]} 条）。" if common else "",
)
