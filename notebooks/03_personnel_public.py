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
# # 03 人员经费与公用经费 · Personnel versus public cost
#
# **What this shows:** the ratio 人员经费 / 公用经费 (from the 基本支出决算表) per department-year —
# its distribution in each district, a scatter of personnel against public cost by department,
# and the departments furthest from the median of their department type (robust z-score, median
# and MAD; |z| > 3.5 is called an outlier). Ratios with a zero public cost are NULL and left out.

# %%
import altair as alt
import polars as pl

from etl.analysis.notebook import frame, say, setup

con = setup()

# %% [markdown]
# ## 各区分布

# %%
ratios = frame(con, """
    SELECT region AS 地区, department AS 部门, department_type AS 部门类型, year AS 年度,
           personnel_cost AS 人员经费, public_cost AS 公用经费, ratio AS 人员公用比,
           personnel_share_pct AS 人员经费占基本支出, robust_z AS 稳健z值, is_outlier AS 异常
    FROM personnel_public_ratio WHERE ratio IS NOT NULL""")
alt.Chart(ratios, title="人员经费/公用经费 比值分布（按地区）").mark_boxplot(extent=1.5).encode(
    x=alt.X("人员公用比:Q", title="人员经费 ÷ 公用经费", scale=alt.Scale(type="log")),
    y=alt.Y("地区:N", title=None),
    color=alt.Color("地区:N", legend=None),
    tooltip=["地区"],
)

# %% [markdown]
# ## 按部门散点
# Each point a department-year; brush a region in the legend; outliers are drawn as crosses.

# %%
pick = alt.selection_point(fields=["地区"], bind="legend")
alt.Chart(ratios, title="人员经费 vs 公用经费（万元）").mark_point(filled=True).encode(
    x=alt.X("公用经费:Q", title="公用经费（万元）", scale=alt.Scale(type="symlog")),
    y=alt.Y("人员经费:Q", title="人员经费（万元）", scale=alt.Scale(type="symlog")),
    color=alt.Color("地区:N", title="地区"),
    shape=alt.Shape("异常:N", title="异常值", scale=alt.Scale(domain=[False, True], range=["circle", "cross"])),
    size=alt.condition("datum['异常']", alt.value(120), alt.value(40)),
    opacity=alt.condition(pick, alt.value(0.85), alt.value(0.1)),
    tooltip=["部门", "年度", alt.Tooltip("人员经费:Q", format=",.2f"), alt.Tooltip("公用经费:Q", format=",.2f"),
             alt.Tooltip("人员公用比:Q", format=".2f"), alt.Tooltip("稳健z值:Q", format=".2f")],
).add_params(pick).interactive()

# %% [markdown]
# ## 异常值（与同类部门中位数相比）

# %%
outliers = frame(con, """
    SELECT department AS 部门, year AS 年度, department_type AS 部门类型, round(ratio, 2) AS 人员公用比,
           round(type_median, 2) AS 同类中位数, round(robust_z, 2) AS 稳健z值
    FROM personnel_public_ratio WHERE is_outlier ORDER BY abs(robust_z) DESC""")
alt.Chart(outliers.head(30), title="偏离同类部门最远的部门-年度").mark_bar().encode(
    x=alt.X("稳健z值:Q", title="稳健 z 值"),
    y=alt.Y("部门:N", sort=alt.EncodingSortField("稳健z值", op="max", order="descending"), title=None),
    color=alt.condition("datum['稳健z值'] > 0", alt.value("#e45756"), alt.value("#4c78a8")),
    tooltip=["部门", "年度", "部门类型", "人员公用比", "同类中位数", "稳健z值"],
) if outliers.height else outliers

# %%
outliers  # noqa: B018  (notebook display)

# %% [markdown]
# ## Findings

# %%
med_by_region = ratios.group_by("地区").agg(pl.col("人员公用比").median().alias("m")).sort("m", descending=True)
n_null = con.execute("""SELECT count(*) FROM personnel_public_ratio WHERE ratio IS NULL""").fetchall()[0][0]
hi, lo = (med_by_region.head(1).rows(), med_by_region.tail(1).rows())
top = outliers.head(3).rows()
say(
    f"共 {ratios.height} 个部门-年度有可比的人员/公用经费比值，整体中位数 {ratios['人员公用比'].median():.2f}。"
    if ratios.height else "没有可比的人员/公用经费数据。",
    f"中位比值最高的地区是{hi[0][0]}（{hi[0][1]:.2f}），最低的是{lo[0][0]}（{lo[0][1]:.2f}）。" if hi else "",
    f"{n_null} 个部门-年度公用经费为零或缺失，比值记为空。" if n_null else "",
    f"{outliers.height} 个部门-年度偏离同类中位数超过 3.5 个稳健标准差；最突出的是"
    + "、".join(f"{r[0]}（{r[1]} 年，z={r[5]}）" for r in top) + "。" if top else "没有发现异常值。",
)
