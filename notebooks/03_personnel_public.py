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
# # 03 人员经费与公用经费
#
# **本页内容：** 每个部门-年度的人员经费与公用经费之比（取自一般公共预算财政拨款基本支出决算表）：
# 各区的分布、人员经费与公用经费的散点，以及与同类部门相比偏离最远的部门-年度。
# 偏离程度用比值对数的稳健 z 值衡量：同类部门（同一 peer_type：职能相同、名称不同的部门合为一类，
# 单位另成一类；各年度合并）的中位数和绝对中位差（MAD），
# |z| > 3.5 视为异常。同类部门不足 10 个部门-年度或不足 3 个部门时不计算 z 值，并注明原因。
# 公用经费为零或缺失时比值为空，不参与比较。

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
    coverage_sentence,
    fmt_n,
    frame,
    log_ticks,
    n_title,
    note,
    quality_sentence,
    say,
    setup,
    show,
)

con = setup(region=REGION, years=YEARS, all_quality=ALL_QUALITY, sangong_basis=SANGONG_BASIS)
note(coverage_sentence(con), quality_sentence(con))

# %% [markdown]
# ## 各区分布
# 箱体为四分位区间，中间的白线为中位数，细线延伸到最小值和最大值（各年度、各类部门合并）。
# 只比较区县级地区的部门（所属单位和中央部门不列入），少于 3 个部门-年度的区县不画。

# %%
ratios = frame(con, """
    SELECT region AS 地区, department AS 部门, department_type AS 部门类型, year AS 年度,
           personnel_cost AS 人员经费, public_cost AS 公用经费, ratio AS 人员公用比,
           personnel_share_pct AS 人员经费占基本支出, robust_z AS 稳健z值, is_outlier AS 异常,
           peer_n AS 同类部门年度数, z_note AS 未计算z值的原因
    FROM personnel_public_ratio WHERE ratio IS NOT NULL""")
dist = frame(con, """
    SELECT region AS 地区, count(*)::INTEGER AS 部门年度数, min(ratio) AS 最小值,
           quantile_cont(ratio, 0.25) AS 下四分位, median(ratio) AS 中位数,
           quantile_cont(ratio, 0.75) AS 上四分位, max(ratio) AS 最大值
    FROM personnel_public_ratio
    WHERE ratio IS NOT NULL AND report_scope = 'department' AND region_level = 'district'
    GROUP BY ALL HAVING count(*) >= comparison_min_n() ORDER BY 中位数 DESC
""").rename({"部门年度数": "部门-年度数"})
lo, hi = ((float(ratios["人员公用比"].min()) * 0.9, float(ratios["人员公用比"].max()) * 1.1) if ratios.height
          else (1, 10))
x_scale = alt.Scale(type="log", domain=[lo, hi], nice=False)
x_ticks = [v for v in range(1, 100) if lo <= v <= hi]
box_tip = ["地区", alt.Tooltip("部门-年度数:Q", title="部门-年度数（n）"),
           *[alt.Tooltip(f"{c}:Q", format=".2f") for c in ("最小值", "下四分位", "中位数", "上四分位", "最大值")]]
box = alt.Chart(dist, title="人员经费 ÷ 公用经费：各区分布").encode(
    y=alt.Y("地区:N", title=None, sort=alt.SortField("中位数", order="descending")), tooltip=box_tip)
(box.mark_rule(color="#666").encode(x=alt.X("最小值:Q", scale=x_scale, title="人员经费 ÷ 公用经费（对数刻度）",
                                             axis=alt.Axis(format="d", values=x_ticks)), x2="最大值:Q")
 + box.mark_bar(size=22, color="#4c78a8").encode(x="下四分位:Q", x2="上四分位:Q")
 + box.mark_tick(color="white", size=22, thickness=2).encode(x="中位数:Q")).properties(height=alt.Step(40))

# %%
show(dist, ratio=["最小值", "下四分位", "中位数", "上四分位", "最大值"], n="部门-年度数",
     caption="各区人员经费/公用经费比值（各年度、各类部门合并）", empty="没有可比的人员经费和公用经费。")

# %% [markdown]
# ## 人员经费与公用经费（每点一个部门-年度）
# 两轴为对数刻度；点击图例可突出一个地区；异常值画成叉。

# %%
pick = alt.selection_point(fields=["地区"], bind="legend")
pos = ratios.filter((pl.col("人员经费") > 0) & (pl.col("公用经费") > 0)).with_columns(
    pl.when(pl.col("异常")).then(pl.lit("是")).otherwise(pl.lit("否")).alias("是否异常"))


def fitted_log(col: str) -> tuple[alt.Scale, list[float]]:
    if pos.is_empty():  # nothing to draw: the chart below is skipped
        return alt.Scale(type="log"), []
    lo, hi = float(pos[col].min()) * 0.85, float(pos[col].max()) * 1.15
    return alt.Scale(type="log", domain=[lo, hi], nice=False), log_ticks(lo, hi)


(x_scale_pub, x_ticks_pub), (y_scale_per, y_ticks_per) = fitted_log("公用经费"), fitted_log("人员经费")


alt.Chart(pos, title=n_title("人员经费与公用经费", pos.height)).mark_point(filled=True).encode(
    x=alt.X("公用经费:Q", title="公用经费（万元，对数刻度）", scale=x_scale_pub,
            axis=alt.Axis(format=",.0f", values=x_ticks_pub)),
    y=alt.Y("人员经费:Q", title="人员经费（万元，对数刻度）", scale=y_scale_per,
            axis=alt.Axis(format=",.0f", values=y_ticks_per)),
    color=alt.Color("地区:N", title="地区"),
    shape=alt.Shape("是否异常:N", title="是否异常", scale=alt.Scale(domain=["否", "是"], range=["circle", "cross"])),
    size=alt.condition("datum['是否异常'] === '是'", alt.value(140), alt.value(45)),
    opacity=alt.condition(pick, alt.value(0.85), alt.value(0.1)),
    tooltip=["地区", "部门", alt.Tooltip("年度:O"), alt.Tooltip("人员经费:Q", format=",.2f", title="人员经费（万元）"),
             alt.Tooltip("公用经费:Q", format=",.2f", title="公用经费（万元）"),
             alt.Tooltip("人员公用比:Q", format=".2f"), alt.Tooltip("稳健z值:Q", format=".2f", title="稳健 z 值"),
             alt.Tooltip("同类部门年度数:Q", title="同类部门-年度数（n）")],
).add_params(pick).properties(height=420) if pos.height else None

# %% [markdown]
# ## 与同类部门相比的异常值
# 每行一个部门-年度（部门和年度一起标注，同一部门不同年度分开显示）。

# %%
outliers = frame(con, """
    SELECT department AS 部门, year AS 年度, peer_type AS 同类部门类型, ratio AS 人员公用比,
           peer_median AS 同类中位数, peer_n AS 同类部门年度数, peer_departments AS 同类部门数, robust_z AS 稳健z值
    FROM personnel_public_ratio WHERE is_outlier ORDER BY abs(robust_z) DESC
""").rename({"同类部门年度数": "同类部门-年度数"})
if outliers.height:
    alt.Chart(outliers.with_columns(pl.format("{}（{}）", "部门", "年度").alias("部门-年度")),
              title=n_title("偏离同类部门最远的部门-年度", outliers.height)).mark_bar().encode(
        x=alt.X("稳健z值:Q", title="稳健 z 值"),
        y=alt.Y("部门-年度:N", sort=alt.EncodingSortField("稳健z值", order="descending"), title=None),
        color=alt.condition("datum['稳健z值'] > 0", alt.value("#e45756"), alt.value("#4c78a8")),
        tooltip=["部门", alt.Tooltip("年度:O"), "同类部门类型", alt.Tooltip("人员公用比:Q", format=".2f"),
                 alt.Tooltip("同类中位数:Q", format=".2f"),
                 alt.Tooltip("同类部门-年度数:Q", title="同类部门-年度数（n）"),
                 alt.Tooltip("稳健z值:Q", format=".2f", title="稳健 z 值")],
    ).properties(height=alt.Step(26)).display()
show(outliers, ratio=["人员公用比", "同类中位数", "稳健z值"], n="同类部门-年度数",
     caption="异常值（|z| > 3.5）", empty="没有 |z| > 3.5 的部门-年度：各部门的比值都在同类部门的正常范围内。")

# %%
no_z = frame(con, """
    SELECT peer_type AS 同类部门类型, count(*)::INTEGER AS 部门年度数,
           count(DISTINCT department_id)::INTEGER AS 部门数, any_value(z_note) AS 原因
    FROM personnel_public_ratio WHERE z_note IS NOT NULL
    GROUP BY peer_type, z_note ORDER BY 部门年度数 DESC, 同类部门类型""").rename({"部门年度数": "部门-年度数"})
show(no_z, n="部门-年度数", caption="未计算稳健 z 值的部门-年度", empty="每个部门-年度都计算了稳健 z 值。")

# %% [markdown]
# ## 主要发现

# %%
overall = ratios["人员公用比"].median() if ratios.height else None
n_null = con.execute("SELECT count(*) FROM personnel_public_ratio WHERE ratio IS NULL").fetchall()[0][0]
n_scored = ratios.filter(pl.col("稳健z值").is_not_null()).height
hi_r, lo_r = (dist.head(1).to_dicts()[0], dist.tail(1).to_dicts()[0]) if dist.height >= 2 else (None, None)
overlap = hi_r is not None and hi_r["下四分位"] <= lo_r["上四分位"]
top = outliers.head(3).to_dicts()
say(
    f"共 {fmt_n(ratios.height)} 个部门-年度有人员经费/公用经费比值，中位数 {overall:.2f}（人员经费约为公用经费的 "
    f"{overall:.1f} 倍）。" if ratios.height else "没有可比的人员经费和公用经费数据。",
    f"各区中位数在 {lo_r['中位数']:.2f}（{lo_r['地区']}，n = {lo_r['部门-年度数']}）到 {hi_r['中位数']:.2f}"
    f"（{hi_r['地区']}，n = {hi_r['部门-年度数']}）之间；"
    + ("中位数最高和最低两区的四分位区间重叠，地区之间的差别小于区内部门之间的差别，不宜据此排序。" if overlap
       else "中位数最高和最低两区的四分位区间不重叠。") if hi_r else "",
    f"{fmt_n(n_null)} 个部门-年度公用经费为零或缺失，比值记为空。" if n_null else "",
    f"{fmt_n(n_scored)} 个部门-年度计算了稳健 z 值；{fmt_n(int(no_z['部门-年度数'].sum()))} 个因同类部门"
    "样本不足等原因未计算。"
    if no_z.height else f"{fmt_n(n_scored)} 个部门-年度都计算了稳健 z 值。",
    f"{outliers.height} 个部门-年度偏离同类部门中位数超过 3.5 个稳健标准差；最突出的是"
    + "、".join(f"{r['部门']}（{r['年度']} 年，比值 {r['人员公用比']:.2f}，同类中位数 {r['同类中位数']:.2f}，"
               f"z = {r['稳健z值']:.1f}，n = {r['同类部门-年度数']}）" for r in top) + "。"
    if top else "没有部门-年度偏离同类部门中位数超过 3.5 个稳健标准差。",
)
