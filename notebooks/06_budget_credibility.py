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
# # 06 预算可信度（PEFA PI-1、PI-2）
#
# **本页内容：** 按 PEFA 2016 框架（公共支出与财政问责框架，支柱一“预算可靠性”）衡量预算可信度。
#
# - **PI-1 总支出执行偏差** = 一般公共预算财政拨款支出决算 ÷ 年初预算 × 100%（只用年初批准的预算，
#   不用全年/调整预算；没有年初预算的不计算）。
#   评级：95%–105% 为 A，90%–110% 为 B，85%–115% 为 C，其余为 D（含端点）。
# - **PI-2 支出结构偏差** = Σ|决算ᵢ − 调整后预算ᵢ| ÷ Σ调整后预算ᵢ × 100%，
#   调整后预算ᵢ = 年初预算ᵢ × 决算合计 ÷ 年初预算合计（先剔除总量偏差，只看结构）。
#   部门按情况说明中逐项（功能分类“项”）的年初预算和决算计算，至少 2 项；
#   超过 20 项时取预算最大、合计占 75% 的项，其余合为一行。地区按部门（行政分类）计算。
#   评级：低于 5% 为 A，低于 10% 为 B，低于 15% 为 C，其余为 D（不含端点）。
# - **三年评分**：连续三个年度中至少两年达到的等级。
#   PI-2 的应急储备（2.3）和按经济分类（2.2）无法计算：部门决算不列预备费，也不按经济分类公布年初预算。
# - 地区汇总只用**平衡样本**：该地区每个有数据的年度都有 PI-1 的部门，n 为部门数。

# %% [markdown] tags=["analyst"]
# **参数：** 在下面的参数单元格中填写地区、年度、质量筛选和三公经费口径，然后“全部运行”（不必改 SQL）。
# 命令行 `juesuan report --region … --years … [--all-quality]` 以同样的参数生成报告。
# 数据来自 Parquet 目录（默认是项目下的 `data/parquet`，可用环境变量 `JUESUAN_PARQUET` 指定）。
# 这一段只在 JupyterLab 中显示，不出现在导出的报告中。

# %% tags=["parameters"]
REGION = None  # 地区，如 "天河区"（简称或全称）；None：全部地区
YEARS = None  # 年度，如 "2020-2022"、"2020–2022" 或 "2020,2022"；None：全部年度
ALL_QUALITY = False  # True：关闭质量筛选，未通过校验的部门-年度也计入
SANGONG_BASIS = None  # 三公经费合计口径（本页不用，保留以便与其他报告同参数）

# %%
import altair as alt
import polars as pl

from etl.analysis.notebook import (
    coverage_sentence,
    fmt_n,
    fmt_pct,
    frame,
    n_title,
    note,
    quality_sentence,
    say,
    setup,
    show,
)
from etl.analysis.select import format_years

con = setup(region=REGION, years=YEARS, all_quality=ALL_QUALITY, sangong_basis=SANGONG_BASIS)
note(coverage_sentence(con), quality_sentence(con))
BANDS = ["A", "B", "C", "D"]
band_scale = alt.Scale(domain=BANDS, range=["#54a24b", "#4c78a8", "#f58518", "#e45756"])

# %% [markdown]
# ## PI-1：部门总支出执行偏差（每条短线一个部门-年度）
# 浅绿色区间为 A 级（95%–105%）。只计部门决算，不计所属单位的单独决算。

# %%
pi1 = frame(con, """
    SELECT region AS 地区, department AS 部门, year AS 年度, initial_budget AS 年初预算, actual AS 决算,
           pi1_outturn_pct AS 执行率, pi1_band AS 等级, pi1_score_3y AS 三年评分
    FROM budget_credibility_department
    WHERE report_scope = 'department' AND pi1_outturn_pct IS NOT NULL
    ORDER BY 地区, 部门, 年度""")
lo = min(80.0, float(pi1["执行率"].min()) - 2) if pi1.height else 80
hi = max(120.0, float(pi1["执行率"].max()) + 2) if pi1.height else 120
ticks = alt.Chart(pi1, title=n_title("PI-1 总支出执行率（决算 ÷ 年初预算）", pi1.height)).mark_tick(
    thickness=2, size=22).encode(
    x=alt.X("执行率:Q", title="执行率（%）", scale=alt.Scale(domain=[lo, hi], zero=False, nice=False)),
    y=alt.Y("地区:N", title=None),
    color=alt.Color("等级:N", scale=band_scale, title="PEFA 等级"),
    tooltip=["地区", "部门", alt.Tooltip("年度:O"),
             alt.Tooltip("年初预算:Q", format=",.2f", title="年初预算（万元）"),
             alt.Tooltip("决算:Q", format=",.2f", title="决算（万元）"),
             alt.Tooltip("执行率:Q", format=".1f", title="执行率（%）"), "等级", "三年评分"])
a_band = alt.Chart(pl.DataFrame({"x": [95], "x2": [105]})).mark_rect(color="#54a24b", opacity=0.08).encode(
    x="x:Q", x2="x2:Q")
(a_band + ticks).properties(height=alt.Step(44))

# %% [markdown]
# ## 各年度的等级分布
# 每个年度每个等级的部门数（n）；PI-2 只计有至少 2 个逐项说明的部门-年度。

# %%
bands = frame(con, """
    SELECT year AS 年度,
           count(pi1_band)::INTEGER AS "PI-1 部门数",
           count(*) FILTER (WHERE pi1_band = 'A')::INTEGER AS "PI-1 A",
           count(*) FILTER (WHERE pi1_band = 'B')::INTEGER AS "PI-1 B",
           count(*) FILTER (WHERE pi1_band = 'C')::INTEGER AS "PI-1 C",
           count(*) FILTER (WHERE pi1_band = 'D')::INTEGER AS "PI-1 D",
           count(pi2_band)::INTEGER AS "PI-2 部门数",
           count(*) FILTER (WHERE pi2_band = 'A')::INTEGER AS "PI-2 A",
           count(*) FILTER (WHERE pi2_band = 'B')::INTEGER AS "PI-2 B",
           count(*) FILTER (WHERE pi2_band = 'C')::INTEGER AS "PI-2 C",
           count(*) FILTER (WHERE pi2_band = 'D')::INTEGER AS "PI-2 D",
           median(pi2_variance_pct) AS "PI-2 中位数"
    FROM budget_credibility_department WHERE report_scope = 'department'
    GROUP BY year HAVING count(pi1_band) + count(pi2_band) > 0 ORDER BY year""")
show(bands, pct=["PI-2 中位数"], n="PI-1 部门数", caption="各年度 PEFA 等级的部门数（n = 各列部门数）",
     empty="没有可计算 PEFA 指标的部门-年度（需要情况说明中的年初预算和决算）。")

# %% [markdown]
# ## PI-2：支出结构偏差（部门-年度）
# 结构偏差最大的 20 个部门-年度；“覆盖率”为所列各项决算占一般公共预算财政拨款支出决算的比例，覆盖率低时结论要谨慎。

# %%
pi2 = frame(con, """
    SELECT department AS 部门, year AS 年度, pi2_lines AS 项数, pi2_coverage_pct AS 覆盖率,
           pi2_variance_pct AS 结构偏差, pi2_band AS 等级, pi2_score_3y AS 三年评分
    FROM budget_credibility_department
    WHERE report_scope = 'department' AND pi2_variance_pct IS NOT NULL
    ORDER BY 结构偏差 DESC, 部门, 年度 LIMIT 20""")
show(pi2, pct=["覆盖率", "结构偏差"], n="项数", caption="PI-2 结构偏差最大的部门-年度（n = 项数）",
     empty="没有至少 2 个逐项说明（有年初预算和决算）的部门-年度，无法计算 PI-2。")

# %% [markdown]
# ## 地区（平衡样本）
# 每个地区只用在其全部年度都有 PI-1 的部门，年度之间比较的是同一组部门；部门数即 n。PI-2 以部门为行计算。

# %%
region = frame(con, """
    SELECT region AS 地区, year AS 年度, departments AS 部门数, initial_budget AS 年初预算, actual AS 决算,
           pi1_outturn_pct AS "PI-1 执行率", pi1_band AS "PI-1 等级", pi1_score_3y AS "PI-1 三年评分",
           pi2_variance_pct AS "PI-2 结构偏差", pi2_band AS "PI-2 等级", pi2_score_3y AS "PI-2 三年评分"
    FROM budget_credibility_region ORDER BY 地区, 年度""")
show(region, money=["年初预算", "决算"], pct=["PI-1 执行率", "PI-2 结构偏差"], n="部门数",
     caption="地区-年度的预算可信度（平衡样本，n = 部门数）", empty="没有可组成平衡样本的地区。")

# %% [markdown]
# ## 主要发现

# %%
n1, a1, d1, med1 = con.execute("""
    SELECT count(pi1_outturn_pct), count(*) FILTER (WHERE pi1_band = 'A'), count(*) FILTER (WHERE pi1_band = 'D'),
           median(pi1_outturn_pct)
    FROM budget_credibility_department WHERE report_scope = 'department'""").fetchall()[0]
n2, a2, med2 = con.execute("""
    SELECT count(pi2_variance_pct), count(*) FILTER (WHERE pi2_band = 'A'), median(pi2_variance_pct)
    FROM budget_credibility_department WHERE report_scope = 'department'""").fetchall()[0]
s1, s1a = con.execute("""
    SELECT count(pi1_score_3y), count(*) FILTER (WHERE pi1_score_3y = 'A')
    FROM budget_credibility_department WHERE report_scope = 'department'""").fetchall()[0]
no_initial = con.execute("""
    SELECT count(*) FROM budget_credibility_department
    WHERE report_scope = 'department' AND actual IS NOT NULL AND pi1_outturn_pct IS NULL""").fetchall()[0][0]
worst = pi1.with_columns((pl.col("执行率") - 100).abs().alias("偏离")).sort(
    ["偏离", "部门", "年度"], descending=[True, False, False]).head(1).to_dicts()
regions = region.group_by("地区").agg(pl.col("部门数").first(), pl.col("年度").sort()).sort("地区").to_dicts()
say(
    f"{fmt_n(n1)} 个部门-年度有 PI-1（决算 ÷ 年初预算），中位数 {fmt_pct(med1)}；"
    f"{fmt_n(a1)} 个在 95%–105% 之间（A 级），{fmt_n(d1)} 个超出 85%–115%（D 级）。"
    if n1 else "没有部门-年度同时公开年初预算和决算，无法计算 PI-1。",
    f"另有 {fmt_n(no_initial)} 个部门-年度只公开全年（调整）预算或未公开年初预算，不计算 PI-1。"
    if no_initial else "",
    f"偏离年初预算最大的是{worst[0]['部门']}（{worst[0]['年度']} 年，{fmt_pct(worst[0]['执行率'])}）。"
    if worst else "",
    f"{fmt_n(n2)} 个部门-年度有 PI-2（至少 2 项），结构偏差中位数 {fmt_pct(med2)}，"
    f"其中 {fmt_n(a2)} 个低于 5%（A 级）。"
    if n2 else "没有部门-年度有至少 2 个逐项说明，无法计算 PI-2。",
    f"连续三年都有 PI-1 的部门-年度 {fmt_n(s1)} 个，三年评分为 A 的 {fmt_n(s1a)} 个。" if s1 else "",
    "地区平衡样本：" + "；".join(f"{r['地区']} {r['部门数']} 个部门（{format_years(r['年度'])} 年度）"
                               for r in regions) + "。" if regions else "",
)
