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
# # 01 语料概览
#
# **本页内容：** 数据覆盖了哪些地区和年度；各文件的解析结果（成功、部分成功、失败）；缺失的标准表；
# 未通过的一致性校验；质量筛选排除了哪些部门-年度及原因；重复发布的部门-年度以及比较时采用的版本。

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
    fmt_n,
    frame,
    note,
    pdf_link,
    quality_sentence,
    say,
    setup,
    show,
)
from etl.analysis.select import format_years

con = setup(region=REGION, years=YEARS, all_quality=ALL_QUALITY, sangong_basis=SANGONG_BASIS)
n_documents = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
note(coverage_sentence(con), quality_sentence(con))

# %% [markdown]
# ## 覆盖范围：地区 × 年度
# 每格是一个地区一个年度的部门-年度数（同一部门-年度重复发布时只计一次；含质量未通过的，见悬停提示）；
# 空白的年度没有任何文件。

# %%
coverage = frame(con, """
    SELECT region AS 地区, year AS 年度, count(*) AS 部门数,
           count(*) FILTER (WHERE is_duplicate) AS 重复发布数,
           count(*) FILTER (WHERE quality = 'fail') AS 质量未通过数
    FROM department_year_metrics_all WHERE year IS NOT NULL GROUP BY ALL ORDER BY ALL""")
years_present = sorted(coverage["年度"].unique().to_list())
year_span = list(range(min(years_present), max(years_present) + 1)) if years_present else []
heat = alt.Chart(coverage, title="各地区各年度的部门-年度数").mark_rect().encode(
    x=alt.X("年度:O", title="年度", scale=alt.Scale(domain=year_span), axis=alt.Axis(labelAngle=0)),
    y=alt.Y("地区:N", title=None),
    color=alt.Color("部门数:Q", title="部门数", scale=alt.Scale(scheme="blues"), legend=alt.Legend(format="d")),
    tooltip=["地区", alt.Tooltip("年度:O"), alt.Tooltip("部门数:Q", title="部门数（n）"), "重复发布数", "质量未通过数"],
)
(heat + heat.mark_text(baseline="middle", fontSize=13).encode(
    text="部门数:Q", color=alt.value("black"))).properties(height=alt.Step(40))

# %%
missing_years = [y for y in year_span if y not in years_present]
note(f"数据中有 {format_years(years_present)} 年度；其间缺 {format_years(missing_years)} 年。" if missing_years
     else f"数据中有 {format_years(years_present)} 年度，中间没有缺年。" if years_present else "数据中没有年度。")

# %% [markdown]
# ## 解析状态
# 所有报告（含重复发布的版本）按年度和解析结果计数；点击图例可突出某一状态。一个 PDF 文件可含多份报告
# （部门和所属单位的报告合订一册时拆开计），所以报告数可以多于文件数。

# %%
status = frame(con, """
    SELECT coalesce(CAST(year AS VARCHAR), '未知') AS 年度,
           CASE status WHEN 'ok' THEN '成功' WHEN 'partial' THEN '部分成功' ELSE '失败' END AS 状态,
           sum(documents)::INTEGER AS 报告数
    FROM dq_documents_by_status GROUP BY ALL ORDER BY ALL""")
pick = alt.selection_point(fields=["状态"], bind="legend")
top = status.group_by("年度").agg(pl.col("报告数").sum())["报告数"].max() or 1
alt.Chart(status, title="各年度报告解析状态").mark_bar().encode(
    x=alt.X("年度:O", title="年度", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("报告数:Q", axis=count_axis("报告数", top), scale=count_scale(top)),
    color=alt.Color("状态:N", title="状态", scale=alt.Scale(domain=["成功", "部分成功", "失败"],
                                                        range=["#4c78a8", "#f58518", "#e45756"])),
    opacity=alt.condition(pick, alt.value(1), alt.value(0.25)),
    tooltip=["年度", "状态", alt.Tooltip("报告数:Q", title="报告数（n）")],
).add_params(pick).properties(height=260)

# %% [markdown]
# ## 质量筛选
# 每个部门-年度按文件状态和校验结果评为“无问题”“有警告”或“未通过”。评级按数字分组（三公经费、人员/公用经费、
# 一般公共预算财政拨款支出、收支总计、分项支出）：校验显示相互矛盾的那组数字不进入比较，其余数字照常计入；
# 只有解析失败或所有数字都相互矛盾的部门-年度整体不计入。披露缺陷（占位符、年度写错、缺表等）不影响数字，单独列出。

# %%
gate = frame(con, """
    SELECT quality_label AS 质量, department_years AS 部门年度数, department_years_included AS 纳入,
           department_years_left_out AS 整体未计入, department_years_figures_dropped AS 部分数字剔除
    FROM quality_gate""").rename({"部门年度数": "部门-年度数"})
show(gate, n="部门-年度数", caption="质量筛选", empty="没有部门-年度。")
flagged = frame(con, """
    SELECT region AS 地区, department AS 部门, year AS 年度,
           CASE quality WHEN 'warn' THEN '有警告' ELSE '未通过' END AS 质量,
           included AS 是否纳入分析, coalesce(figures_dropped_zh(figures_dropped), '') AS 剔除的数字,
           quality_reason AS 原因
    FROM department_year_metrics_all WHERE quality <> 'clean'
    ORDER BY quality DESC, region, department, year""")
show(flagged, caption="数字相互矛盾：有警告或未通过的部门-年度（剔除的数字不进入比较，其余照常）", unit="个部门-年度",
     empty="所有部门-年度的数字都没有相互矛盾。")
defects = frame(con, """
    SELECT region AS 地区, department AS 部门, year AS 年度, disclosure_defects AS 披露缺陷数,
           disclosure_reason AS 缺陷
    FROM department_year_metrics_all WHERE disclosure_defects > 0
    ORDER BY region, department, year""")
show(defects, caption="披露缺陷（数字不受影响，照常计入比较）", unit="个部门-年度",
     empty="没有发现披露缺陷。")

# %% [markdown]
# ## 缺失的标准表
# 每份决算应公开的标准表因模板而异（视图 dq_tables_missing 的 owed）：区县模板 01–07，较早的区县模板和
# 中央部门可在情况说明中说明三公经费而不列 07 表，高等学校模板不列 04–07 表。解析失败的报告不计在内。
# 情况说明与表格分成两个文件发布时，说明文件的表在另一个文件中，按同一份报告读取，不算缺失。
# 部门没有政府性基金或国有资本经营预算资金时（收入支出决算总表中该项收入为零或没有这一行），
# 可以不公开相应的表，这种情况不算缺失，单独计数。

# %%
tables = frame(con, """
    SELECT table_no AS 序号, table_title AS 标准表,
           count(*) FILTER (WHERE counted_missing)::INTEGER AS 报告数,
           count(*) FILTER (WHERE legitimately_absent AND NOT in_companion)::INTEGER AS 无此项资金未公开
    FROM dq_tables_missing WHERE status <> 'failed' GROUP BY ALL ORDER BY 序号""")
missing = tables.filter(pl.col("报告数") > 0).select("序号", "标准表", "报告数")
not_needed = int(tables["无此项资金未公开"].sum()) if tables.height else 0
if missing.height:
    alt.Chart(missing, title="各标准表缺失的报告数（不含解析失败的报告）").mark_bar(color="#f58518").encode(
        y=alt.Y("标准表:N", sort=alt.SortField("序号"), title=None),
        x=alt.X("报告数:Q", axis=count_axis("缺失该表的报告数", missing["报告数"].max()),
                scale=count_scale(missing["报告数"].max())),
        tooltip=["序号", "标准表", alt.Tooltip("报告数:Q", title="报告数（n）")],
    ).properties(height=alt.Step(28)).display()
show(missing, n="报告数", caption="缺失的标准表", empty="所有报告都找到了应公开的标准表。")
note(f"另有 {not_needed} 处因部门没有相应资金而未公开政府性基金或国有资本经营预算表，"
     "不计为缺失。" if not_needed else "")

# %% [markdown]
# ## 未通过的一致性校验
# 解析后逐份核对表内与表间关系（合计 = 各项之和、总表收支平衡、三公分项与合计等），允许每个加数 0.01 万元的舍入差。
# “错误”说明表中某个数字不可能都对，该部门-年度不进入比较；“警告”说明两个来源不一致、分析取其一。

# %%
from etl.parsing.checks import rule_for  # noqa: E402  (the Chinese label of each check)


def check_label(check_id: str, message: str | None) -> str:
    try:
        return rule_for(check_id).label
    except KeyError:
        return message or "未登记的校验"


SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
# the first page a check cites, in its own file's numbering (document_pages), linked to the PDF page
failing = frame(con, """
    SELECT d.region AS 地区, d.department AS 部门, d.year AS 年度, c.check_id, c.message AS 说明, c.severity,
           coalesce(p.source_file, d.source_file) AS 文件,
           coalesce(p.file_page, TRY_CAST(split_part(c.pages, ',', 1) AS INTEGER)) AS 页, d.doc_id
    FROM checks AS c JOIN documents AS d USING (doc_id)
    LEFT JOIN document_pages AS p ON p.doc_id = c.doc_id AND p.page = TRY_CAST(split_part(c.pages, ',', 1) AS INTEGER)
    WHERE c.status = 'fail' ORDER BY 地区, 部门, 年度, c.check_id""").with_columns(
    pl.struct("check_id", "说明").map_elements(lambda r: check_label(r["check_id"], r["说明"]),
                                               return_dtype=pl.String).alias("校验"),
    pl.col("severity").replace_strict(SEVERITY, default="未分级").alias("严重程度"))
checks = (failing.group_by("校验", "严重程度", "severity")
          .agg(pl.col("doc_id").n_unique().cast(pl.Int32).alias("报告数"))
          .sort(["报告数", "校验"], descending=[True, False]))
# the headline names a contradiction (error or warning), never an info rule (reported only)
serious = checks.filter(pl.col("severity").is_in(["error", "warning"])).drop("severity")
checks = checks.drop("severity")
if checks.height:
    alt.Chart(checks, title="未通过各项校验的报告数").mark_bar().encode(
        y=alt.Y("校验:N", sort="-x", title=None, axis=alt.Axis(labelLimit=520)),
        x=alt.X("报告数:Q", axis=count_axis("报告数", checks["报告数"].max()),
                scale=count_scale(checks["报告数"].max())),
        color=alt.Color("严重程度:N", title="严重程度", scale=alt.Scale(domain=["错误", "警告", "提示", "未分级"],
                                                                  range=["#e45756", "#f58518", "#72b7b2", "#bab0ac"])),
        tooltip=["校验", "严重程度", alt.Tooltip("报告数:Q", title="报告数（n）")],
    ).properties(width=360, height=alt.Step(30)).display()
failing = failing.with_columns(
    pl.Series("出处", [f"{f} 第 {p} 页" if p else f for f, p in zip(failing["文件"], failing["页"], strict=True)],
              dtype=pl.String),
    pl.Series("链接", [pdf_link(f, p) for f, p in zip(failing["文件"], failing["页"], strict=True)], dtype=pl.String))
show(failing.select("地区", "部门", "年度", "严重程度", "说明", "出处", "链接"), links={"出处": "链接"},
     caption="未通过的校验（每行一次；出处链接到 PDF 的那一页）", unit="次",
     empty="所有文件都通过了一致性校验。" if n_documents else "没有文件。")

# %% [markdown]
# ## 重复发布
# 同一部门-年度出现多份文件时，比较视图只取一份：先看解析状态（成功 > 部分成功 > 失败），再看找到的表多少，
# 最后取文件名靠后的（通常是更正版）。

# %%
dups = frame(con, """
    SELECT region AS 地区, department AS 部门, year AS 年度, version_rank AS 版本排序, is_chosen AS 是否采用,
           CASE status WHEN 'ok' THEN '成功' WHEN 'partial' THEN '部分成功' ELSE '失败' END AS 解析状态,
           n_tables AS 找到的表数, source_file AS 文件
    FROM duplicate_department_years""")
show(dups, caption="重复发布的部门-年度（每行一份文件）", unit="份文件", empty="没有重复发布的部门-年度。")

# %% [markdown]
# ## 主要发现

# %%
n_files, n_docs, n_ok, n_partial, n_failed = con.execute("""
    SELECT count(DISTINCT source_file), count(*), count(*) FILTER (WHERE status = 'ok'),
           count(*) FILTER (WHERE status = 'partial'), count(*) FILTER (WHERE status = 'failed')
    FROM documents""").fetchall()[0]
n_dy, n_dup = con.execute("""
    SELECT count(*), count(*) FILTER (WHERE is_duplicate) FROM department_year_metrics_all""").fetchall()[0]
core_missing = missing.sort("报告数", descending=True).head(1).rows()
worst_check = serious.head(1).rows()
left_out = flagged.filter(~pl.col("是否纳入分析"))
partly = flagged.filter(pl.col("是否纳入分析") & (pl.col("剔除的数字") != ""))
say(
    f"共 {fmt_n(n_files)} 个 PDF 文件、{fmt_n(n_docs)} 份报告"
    + (f"（合订的文件拆成各自的报告，多出 {fmt_n(n_docs - n_files)} 份）" if n_docs != n_files else "")
    + "，" + coverage_sentence(con, "department_year_metrics_all") if n_docs
    else "Parquet 目录中没有文件。",
    f"报告解析成功 {fmt_n(n_ok)} 份（{100 * n_ok / n_docs:.1f}%），部分成功 {fmt_n(n_partial)} 份，"
    f"失败 {fmt_n(n_failed)} 份。"
    if n_docs else "",
    f"质量筛选整体排除了 {fmt_n(left_out.height)} 个部门-年度（"
    + "、".join(f"{r['部门']} {r['年度']} 年" for r in left_out.head(5).to_dicts())
    + (" 等" if left_out.height > 5 else "") + "），其余分析页都不含它们。" if left_out.height
    else "质量筛选没有整体排除任何部门-年度。",
    f"另有 {fmt_n(partly.height)} 个部门-年度只剔除了相互矛盾的那组数字，其余数字照常计入（见上表“剔除的数字”）。"
    if partly.height else "",
    f"{fmt_n(defects.height)} 个部门-年度有披露缺陷，数字不受影响。" if defects.height else "",
    f"缺失最多的标准表是「{core_missing[0][1]}」，{fmt_n(core_missing[0][2])} 份报告未找到"
    "（不含按模板不必列示的表和另一文件中已列示的表）。" if core_missing
    else "所有报告都找到了按其模板应公开的标准表。" if n_ok + n_partial
    else "没有解析成功的报告，无法判断是否缺少标准表。",
    f"{fmt_n(not_needed)} 处政府性基金或国有资本经营预算表因部门没有相应资金而未公开，"
    "不计为缺失。" if not_needed else "",
    f"未通过最多的校验（错误或警告）是「{worst_check[0][0]}」"
    f"（{worst_check[0][1]}，{fmt_n(worst_check[0][2])} 份报告）。" if worst_check
    else "没有未通过的错误或警告级一致性校验（提示级的记录见上表）。" if n_ok + n_partial
    else "没有解析成功的报告，一致性校验无从进行。",
    f"{fmt_n(n_dup)} 个部门-年度重复发布，比较时各取一个版本。" if n_dup else "没有重复发布的部门-年度。",
)
