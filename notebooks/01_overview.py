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
# # 01 语料概览 · Corpus overview
#
# **What this shows:** which regions and fiscal years the Parquet output covers, how many
# documents parsed `ok` / `partial` / `failed`, which standard tables went missing, which
# consistency checks fail, and which department-years arrived more than once (and which version
# the comparison views use). Data: `$JUESUAN_PARQUET` (default `data/parquet`), aggregated in DuckDB.

# %%
import altair as alt

from etl.analysis.notebook import frame, say, setup

con = setup()

# %% [markdown]
# ## 覆盖范围：地区 × 年度
# Department-years per region and year (one version per department-year).

# %%
coverage = frame(con, """
    SELECT region AS 地区, year AS 年度, count(*) AS 部门数,
           count(*) FILTER (WHERE is_duplicate) AS 重复发布
    FROM department_years GROUP BY ALL ORDER BY ALL""")
alt.Chart(coverage, title="各地区各年度部门决算覆盖数").mark_rect().encode(
    x=alt.X("年度:O", title="年度"),
    y=alt.Y("地区:N", title="地区"),
    color=alt.Color("部门数:Q", title="部门数", scale=alt.Scale(scheme="blues")),
    tooltip=["地区", "年度", "部门数", "重复发布"],
) + alt.Chart(coverage).mark_text(baseline="middle").encode(
    x="年度:O", y="地区:N", text="部门数:Q")

# %% [markdown]
# ## 解析状态
# All documents, by year and status (click a status in the legend to highlight it).

# %%
status = frame(con, """
    SELECT coalesce(CAST(year AS VARCHAR), '未知') AS 年度,
           CASE status WHEN 'ok' THEN '成功' WHEN 'partial' THEN '部分' ELSE '失败' END AS 状态,
           sum(documents) AS 文件数
    FROM dq_documents_by_status GROUP BY ALL ORDER BY ALL""")
pick = alt.selection_point(fields=["状态"], bind="legend")
alt.Chart(status, title="各年度文件解析状态").mark_bar().encode(
    x=alt.X("年度:O", title="年度"),
    y=alt.Y("文件数:Q", title="文件数"),
    color=alt.Color("状态:N", title="状态", scale=alt.Scale(domain=["成功", "部分", "失败"],
                                                        range=["#4c78a8", "#f58518", "#e45756"])),
    opacity=alt.condition(pick, alt.value(1), alt.value(0.25)),
    tooltip=["年度", "状态", "文件数"],
).add_params(pick)

# %% [markdown]
# ## 缺失的标准表、未通过的校验

# %%
missing = frame(con, """
    SELECT table_no AS 序号, table_title AS 表, count(*) AS 缺失文件数
    FROM dq_tables_missing WHERE status <> 'failed' GROUP BY ALL ORDER BY 序号""")
checks = frame(con, """
    SELECT check_id AS 校验, count(*) AS 未通过数 FROM dq_failing_checks GROUP BY ALL ORDER BY 未通过数 DESC""")
(alt.Chart(missing, title="缺失的标准表（不含解析失败的文件）").mark_bar(color="#f58518").encode(
    y=alt.Y("表:N", sort=alt.SortField("序号"), title=None),
    x=alt.X("缺失文件数:Q", title="缺失文件数"),
    tooltip=["序号", "表", "缺失文件数"],
) | alt.Chart(checks, title="未通过的一致性校验").mark_bar(color="#e45756").encode(
    y=alt.Y("校验:N", sort="-x", title=None),
    x=alt.X("未通过数:Q", title="文件数"),
    tooltip=["校验", "未通过数"],
))

# %% [markdown]
# ## 重复发布
# Department-years that arrived more than once; `is_chosen` marks the version the comparison
# views use (rule: status ok > partial > failed, then more tables, then the later file name).

# %%
dups = frame(con, "SELECT * FROM duplicate_department_years")
dups  # noqa: B018  (notebook display)

# %% [markdown]
# ## Findings

# %%
n_docs, n_ok, n_partial, n_failed = con.execute("""
    SELECT count(*), count(*) FILTER (WHERE status = 'ok'), count(*) FILTER (WHERE status = 'partial'),
           count(*) FILTER (WHERE status = 'failed') FROM documents""").fetchall()[0]
n_dy, n_regions, y0, y1, n_dup = con.execute("""
    SELECT count(*), count(DISTINCT region), min(year), max(year), count(*) FILTER (WHERE is_duplicate)
    FROM department_years""").fetchall()[0]
worst_table = missing.sort("缺失文件数", descending=True).head(1).rows()
worst_check = checks.head(1).rows()
say(
    f"语料共 {n_docs} 个文件，覆盖 {n_regions} 个地区、{y0}–{y1} 年度的 {n_dy} 个部门-年度。" if n_docs
    else "Parquet 目录中没有文件。",
    f"解析成功 {n_ok} 个（{100 * n_ok / n_docs:.1f}%），部分成功 {n_partial} 个，失败 {n_failed} 个。"
    if n_docs else "",
    f"缺失最多的标准表是「{worst_table[0][1]}」，{worst_table[0][2]} 个文件未找到。" if worst_table
    else "所有文件都找到了全部九张标准表。",
    f"未通过最多的校验是 {worst_check[0][0]}（{worst_check[0][1]} 个文件）。" if worst_check
    else "没有未通过的一致性校验。",
    f"{n_dup} 个部门-年度重复发布，比较视图各取一个版本。" if n_dup else "没有重复发布的部门-年度。",
)
