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
# # 04 预算完成情况
#
# **本页内容：** 各部门一般公共预算财政拨款支出的完成率，以及情况说明中逐项（功能分类“项”）的完成率，
# 哪些超预算（> 110%）、哪些执行不足（< 90%），以及文件给出的原因。
# 完成率 = 决算 ÷ 预算 × 100%；预算取年初预算（大于零时），否则取全年（调整）预算；
# 两者都没有而文件印有完成率时，采用公开的完成率。每个数字都注明所用的预算依据。
# 预算为零而有支出（无预算支出）、预算为零且无支出（无预算无支出）和未公开预算的，不计算完成率，单独计数。
# 百分比从不相加或堆叠：按项汇总时用各条说明完成率的中位数。

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
FLAGS = ["超预算", "基本持平", "执行不足", "无预算支出", "无预算无支出", "未公开预算"]
flag_scale = alt.Scale(domain=FLAGS, range=["#e45756", "#54a24b", "#4c78a8", "#b279a2", "#d8d8d8", "#bab0ac"])

# %% [markdown]
# ## 部门整体完成率（每条短线一个部门-年度）

# %%
# one row per region; 中央 and other levels are labelled as such (not districts), units' own reports
# are left out (their figures are inside their department's report)
dept = frame(con, """
    SELECT CASE region_level WHEN 'district' THEN region
                ELSE region || '（' || CASE region_level WHEN 'central' THEN '中央部门' WHEN 'province' THEN '省级'
                                                         ELSE '地市级' END || '，非区县）' END AS 地区,
           department AS 部门, year AS 年度, basis_label AS 预算依据, budget AS 预算,
           actual AS 决算, completion_pct AS 完成率, flag_label AS 执行情况, reason AS 原因
    FROM budget_completion_department WHERE report_scope = 'department'
    ORDER BY region_level <> 'district', year, region, department""")
rated = dept.drop_nulls("完成率")
pick = alt.selection_point(fields=["执行情况"], bind="legend")
lo = min(85.0, float(rated["完成率"].min()) - 2) if rated.height else 85
hi = max(115.0, float(rated["完成率"].max()) + 2) if rated.height else 115
ticks = alt.Chart(rated, title=n_title("一般公共预算财政拨款支出完成率", rated.height)).mark_tick(
    thickness=2, size=22).encode(
    x=alt.X("完成率:Q", title="完成率（%）", scale=alt.Scale(domain=[lo, hi], zero=False, nice=False)),
    y=alt.Y("地区:N", title=None),
    color=alt.Color("执行情况:N", scale=flag_scale, title="执行情况"),
    opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
    tooltip=["地区", "部门", alt.Tooltip("年度:O"), "预算依据",
             alt.Tooltip("预算:Q", format=",.2f", title="预算（万元）"),
             alt.Tooltip("决算:Q", format=",.2f", title="决算（万元）"),
             alt.Tooltip("完成率:Q", format=".1f", title="完成率（%）"),
             "执行情况", "原因"],
).add_params(pick)
band = alt.Chart(pl.DataFrame({"x": [90], "x2": [110]})).mark_rect(color="#54a24b", opacity=0.08).encode(
    x="x:Q", x2="x2:Q")
(band + ticks).properties(height=alt.Step(44))

# %% [markdown]
# ## 各年度执行情况分布
# 每根柱子是一个年度的全部部门（= 100%），柱下标出部门数 n；少于 3 个部门的年度画成浅色并标“过少”，
# 比例不宜解读。

# %%
flags = frame(con, """
    SELECT year AS 年度, flag_label AS 执行情况, count(*)::INTEGER AS 部门数
    FROM budget_completion_department GROUP BY ALL ORDER BY ALL""")
per_year = flags.group_by("年度").agg(pl.col("部门数").sum().alias("年度部门数")).sort("年度")
years = per_year["年度"].to_list()
span = list(range(min(years), max(years) + 1)) if years else []
MIN_N = con.execute("SELECT comparison_min_n()").fetchall()[0][0]
labels = ({y: f"{y}（n = {n}{'，过少' if n < MIN_N else ''}）" for y, n in per_year.iter_rows()}
          | {y: f"{y}（无数据）" for y in span if y not in years})
flags = flags.join(per_year, on="年度").with_columns(
    pl.col("年度").replace_strict(labels, return_dtype=pl.String).alias("年度（部门数）"),
    (100 * pl.col("部门数") / pl.col("年度部门数")).alias("占比"),
    (pl.col("年度部门数") >= MIN_N).alias("样本充分"))
alt.Chart(flags, title="各年度执行情况的构成").mark_bar().encode(
    x=alt.X("年度（部门数）:N", title=None, scale=alt.Scale(domain=[labels[y] for y in span]),
            axis=alt.Axis(labelAngle=-40, labelLimit=200)),
    y=alt.Y("部门数:Q", stack="normalize", title="占该年度部门的比例", axis=alt.Axis(format="%")),
    color=alt.Color("执行情况:N", scale=flag_scale, title="执行情况", sort=FLAGS),
    order=alt.Order("序:Q"),
    opacity=alt.condition("datum['样本充分']", alt.value(1), alt.value(0.3)),
    tooltip=[alt.Tooltip("年度:O"), "执行情况", alt.Tooltip("部门数:Q", title="部门数（n）"),
             alt.Tooltip("年度部门数:Q", title="该年度部门数"), alt.Tooltip("占比:Q", format=".1f", title="占比（%）")],
).transform_calculate(序=f"indexof({FLAGS}, datum['执行情况'])").properties(height=280)

# %% [markdown]
# ## 两种预算口径并列：年初预算与全年预算
# 同一决算数分别除以年初预算和全年（调整）预算。各口径只计印有该预算（大于零）的部门-年度或说明，
# n 各自不同；“两者都印”一行只比较同时印有两种预算的，看超预算的判断是否随口径改变。
# 上面的图和下面的“主要发现”以年初预算为主口径（budget_basis）。

# %%
both_sql = """
    SELECT '{what}' AS 范围, '{basis}' AS 口径, count({pct})::INTEGER AS n, median({pct}) AS 完成率中位数,
           count(*) FILTER (WHERE {flag} = 'over')::INTEGER AS 超预算,
           count(*) FILTER (WHERE {flag} = 'under')::INTEGER AS 执行不足
    FROM {view} WHERE {pct} IS NOT NULL {extra}"""
parts = []
for what, view, extra in (("部门整体", "budget_completion_department", "AND report_scope = 'department'"),
                          ("逐项说明", "budget_completion_item", "")):
    for basis, pct, flag, cond in (
            ("年初预算", "completion_initial_pct", "flag_initial", ""),
            ("全年预算", "completion_full_year_pct", "flag_full_year", ""),
            ("两者都印：年初预算", "completion_initial_pct", "flag_initial",
             "AND completion_full_year_pct IS NOT NULL"),
            ("两者都印：全年预算", "completion_full_year_pct", "flag_full_year",
             "AND completion_initial_pct IS NOT NULL")):
        parts.append(both_sql.format(what=what, basis=basis, pct=pct, flag=flag, view=view,
                                     extra=f"{extra} {cond}"))
both = frame(con, " UNION ALL ".join(parts))
changed = con.execute("""
    SELECT count(*) FILTER (WHERE flag_initial IS DISTINCT FROM flag_full_year),
           count(*) FILTER (WHERE flag_initial = 'over' AND flag_full_year <> 'over'),
           count(*)
    FROM budget_completion_department
    WHERE report_scope = 'department' AND completion_initial_pct IS NOT NULL
      AND completion_full_year_pct IS NOT NULL""").fetchall()[0]
show(both, pct=["完成率中位数"], n="n",
     caption="年初预算与全年预算口径的完成率（n：该口径下有完成率的部门-年度或说明条数）",
     empty="没有可按年初预算或全年预算计算的完成率。")

# %% [markdown]
# ## 按项：各条说明完成率的中位数
# 情况说明逐项给出的预算与决算（或完成率）。同名的项（如各类下的“行政运行”）合为一行；圆点为各条
# 说明完成率的中位数，横线为四分位区间，n 为有完成率的说明条数。只列说明条数最多的 25 项。

# %%
items = frame(con, """
    SELECT item_name AS 项, count(*)::INTEGER AS 说明条数, count(completion_pct)::INTEGER AS 条数,
           count(DISTINCT department_id)::INTEGER AS 部门数,
           median(completion_pct) AS 完成率中位数,
           quantile_cont(completion_pct, 0.25) AS 下四分位, quantile_cont(completion_pct, 0.75) AS 上四分位,
           count(*) FILTER (WHERE budget_basis = 'printed_pct')::INTEGER AS 采用公开完成率,
           count(*) FILTER (WHERE flag = 'over')::INTEGER AS 超预算,
           count(*) FILTER (WHERE flag = 'under')::INTEGER AS 执行不足,
           count(*) FILTER (WHERE flag IN ('unbudgeted', 'idle', 'no_budget'))::INTEGER AS 无完成率
    FROM budget_completion_item GROUP BY item_name
    ORDER BY 说明条数 DESC, 项 LIMIT 25""")
shown_items = items.filter(pl.col("条数") > 0)
item_lo = min(80.0, float(shown_items["下四分位"].min()) - 3) if shown_items.height else 80
item_hi = max(120.0, float(shown_items["上四分位"].max()) + 3) if shown_items.height else 120
item_scale = alt.Scale(domain=[item_lo, item_hi], zero=False, nice=False)
item_tip = ["项", alt.Tooltip("条数:Q", title="有完成率的说明条数（n）"), "说明条数", "部门数",
            alt.Tooltip("完成率中位数:Q", format=".1f", title="完成率中位数（%）"),
            alt.Tooltip("下四分位:Q", format=".1f", title="下四分位（%）"),
            alt.Tooltip("上四分位:Q", format=".1f", title="上四分位（%）"),
            "采用公开完成率", "超预算", "执行不足", alt.Tooltip("无完成率:Q", title="无完成率的条数")]
ib = alt.Chart(shown_items, title="各项支出完成率（各条说明的中位数与四分位区间）").encode(
    y=alt.Y("项:N", sort=alt.SortField("条数", order="descending"), title=None), tooltip=item_tip)
(alt.Chart(pl.DataFrame({"x": [100]})).mark_rule(color="#888", strokeDash=[4, 4]).encode(x="x:Q")
 + ib.mark_rule(color="#4c78a8", strokeWidth=2).encode(
     x=alt.X("下四分位:Q", scale=item_scale, title="完成率（%）"), x2="上四分位:Q")
 + ib.mark_circle(size=70, color="#e45756", opacity=1).encode(x="完成率中位数:Q")
 ).properties(height=alt.Step(24))

# %%
show(items, pct=["完成率中位数", "下四分位", "上四分位"], n="条数",
     caption="各项完成率（条数 = 有完成率的说明条数；说明条数最多的 25 项）",
     empty="情况说明中没有逐项的预算执行说明。")

# %%
item_flags = frame(con, """
    SELECT flag_label AS 执行情况, basis_label AS 预算依据, count(*)::INTEGER AS 条数
    FROM budget_completion_item GROUP BY flag_label, basis_label
    ORDER BY list_position(['超预算', '基本持平', '执行不足', '无预算支出', '无预算无支出', '未公开预算'], flag_label),
             basis_label""")
show(item_flags, n="条数", caption="逐项说明按执行情况和预算依据计数", empty="没有逐项说明。")

# %% [markdown]
# ## 文件给出的原因
# 偏离预算最大的 20 条（部门整体或逐项），附文件中的原因说明。

# %%
reasons = frame(con, """
    SELECT department AS 部门, year AS 年度, coalesce(item_name, '部门整体') AS 范围, basis_label AS 预算依据,
           completion_pct AS 完成率, reason AS 原因
    FROM (SELECT department, year, NULL AS item_name, basis_label, completion_pct, flag, reason
          FROM budget_completion_department
          UNION ALL
          SELECT department, year, item_name, basis_label, completion_pct, flag, reason FROM budget_completion_item)
    WHERE reason IS NOT NULL AND flag IN ('over', 'under')
    ORDER BY abs(completion_pct - 100) DESC, 部门, 年度, 范围 LIMIT 20""")
n_reasons = con.execute("""
    SELECT count(*) FROM (SELECT flag, reason FROM budget_completion_department
                          UNION ALL SELECT flag, reason FROM budget_completion_item)
    WHERE reason IS NOT NULL AND flag IN ('over', 'under')""").fetchall()[0][0]
show(reasons, pct=["完成率"], caption=f"偏离预算最大的 {reasons.height} 条（共 {n_reasons} 条偏离 10% 以上并附原因）",
     unit="条", empty="没有偏离预算 10% 以上并附原因的说明。")

# %% [markdown]
# ## 主要发现

# %%
n, n_over, n_under, med = con.execute("""
    SELECT count(completion_pct), count(*) FILTER (WHERE flag = 'over'), count(*) FILTER (WHERE flag = 'under'),
           median(completion_pct) FROM budget_completion_department""").fetchall()[0]
bases = con.execute("""SELECT basis_label, count(*) FROM budget_completion_department
                       WHERE completion_pct IS NOT NULL GROUP BY 1 ORDER BY 2 DESC""").fetchall()
worst = rated.sort("完成率").head(1).to_dicts()
best = rated.sort("完成率", descending=True).head(1).to_dicts()
it = con.execute("""
    SELECT count(*), count(completion_pct), median(completion_pct),
           count(*) FILTER (WHERE flag = 'over'), count(*) FILTER (WHERE flag = 'under'),
           count(*) FILTER (WHERE flag = 'unbudgeted'), count(*) FILTER (WHERE flag = 'idle'),
           count(*) FILTER (WHERE flag = 'no_budget'), count(*) FILTER (WHERE budget_basis = 'printed_pct')
    FROM budget_completion_item""").fetchall()[0]
common = con.execute("""SELECT reason, count(*) c FROM budget_completion_item WHERE reason IS NOT NULL
                        GROUP BY 1 ORDER BY c DESC, reason LIMIT 1""").fetchall()
say(
    f"{fmt_n(n)} 个部门-年度（{format_years(years)} 年度）有一般公共预算财政拨款支出完成率，中位数 {fmt_pct(med)}"
    f"（预算依据：{'、'.join(f'{b} {c} 个' for b, c in bases)}）。" if n else "没有部门整体的预算执行数据。",
    f"其中 {n_over} 个超预算（> 110%），{n_under} 个执行不足（< 90%），其余 {n - n_over - n_under} 个在 90%–110% 之间。"
    if n else "",
    f"完成率最低的是{worst[0]['部门']}（{worst[0]['年度']} 年，{fmt_pct(worst[0]['完成率'])}），"
    f"最高的是{best[0]['部门']}（{best[0]['年度']} 年，{fmt_pct(best[0]['完成率'])}）。" if worst else "",
    f"逐项说明共 {fmt_n(it[0])} 条，{fmt_n(it[1])} 条有完成率（其中 {fmt_n(it[8])} 条采用文件公开的完成率），"
    f"中位数 {fmt_pct(it[2])}；偏离预算 10% 以上的 {fmt_n(it[3] + it[4])} 条（超预算 {fmt_n(it[3])} 条、"
    f"执行不足 {fmt_n(it[4])} 条）。" if it[0] else "情况说明中没有逐项的预算执行说明。",
    f"另有 {fmt_n(it[5] + it[6] + it[7])} 条没有完成率，不计入偏离："
    + "、".join(f"{label} {fmt_n(k)} 条"
               for label, k in zip(("无预算支出", "无预算无支出", "未公开预算"), it[5:8], strict=True) if k)
    + "。" if it[0] and it[5] + it[6] + it[7] else "",
    f"最常见的原因表述：「{common[0][0]}」（{common[0][1]} 条）。" if common else "",
    f"{fmt_n(changed[2])} 个部门-年度同时印有年初预算和全年预算；改按全年预算计算，{fmt_n(changed[0])} 个的执行情况"
    f"判断改变，其中 {fmt_n(changed[1])} 个不再超预算。" if changed[2]
    else "没有同时印有年初预算和全年预算的部门-年度。",
)
