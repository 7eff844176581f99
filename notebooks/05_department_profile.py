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
# # 05 部门画像
#
# **本页内容：** 一个部门历年的情况：三公经费分项、人员经费与公用经费、一般公共预算完成率（整体和逐项），
# 以及与其他地区同类部门的比较。部门按稳定编号跟踪，机构改革中改名的部门（如政务管理办公室 → 政务服务数据管理局）
# 视为同一部门。

# %% [markdown] tags=["analyst"]
# **参数：** 在下面的参数单元格中填写地区、部门、年度、质量筛选和三公经费口径，然后“全部运行”（不必改 SQL）。
# 命令行 `juesuan report --region … --years … --department … [--all-quality] [--sangong-basis parts]` 以同样的参数生成报告。
# 数据来自 Parquet 目录（默认是项目下的 `data/parquet`，可用环境变量 `JUESUAN_PARQUET` 指定）。
# 这一段只在 JupyterLab 中显示，不出现在导出的报告中。
# 地区和部门可以写简称或部分名称（如“天河区”“卫生健康局”），匹配到多个部门时会列出候选并停止，请选定一个；
# 年度写成 `2020-2022`、`2020–2022` 或 `2020,2022`。都不填时选年度最多（其次三公经费最大）的部门。

# %% tags=["parameters"]
REGION = None  # 地区，如 "天河区"（简称或全称）；None：全部地区
DEPARTMENT = None  # 部门，如 "卫生健康局" 或候选列表中的编号；None：自动选定
YEARS = None  # 年度，如 "2020-2022"、"2020–2022" 或 "2020,2022"；None：全部年度
ALL_QUALITY = False  # True：关闭质量筛选，未通过校验的部门-年度也计入
SANGONG_BASIS = None  # 三公经费合计："printed" 公开的合计数（默认）或 "parts" 三项之和

# %%
import altair as alt
import polars as pl

from etl.analysis.notebook import (
    describe_series,
    fmt_pct,
    fmt_wan,
    frame,
    md,
    n_title,
    note,
    pdf_link,
    quality_sentence,
    say,
    setup,
    show,
)
from etl.analysis.select import SelectionError, candidates_from, choose_department, format_years, parse_years

# region and years choose the department and its years below; the peers stay in the data (no restriction)
con = setup(all_quality=ALL_QUALITY, sangong_basis=SANGONG_BASIS)
dept = choose_department(candidates_from(con), REGION, DEPARTMENT)
asked = parse_years(YEARS)
chosen = [y for y in dept.years if asked is None or y in asked]
# a year the quality gate left out is not a year without data: say so, with the reason
gated = {y: r for y, r in con.execute("""
    SELECT year, string_agg(DISTINCT coalesce(quality_reason, '未说明'), '；') FROM department_year_metrics_all
    WHERE department_id = ? AND NOT included GROUP BY year""", [dept.department_id]).fetchall()}
# a year that enters with some figures dropped (a contradiction puts them in doubt): name them
partial = con.execute("""
    SELECT year, figures_dropped_zh(figures_dropped), quality_reason FROM department_year_metrics_all
    WHERE department_id = ? AND included AND figures_dropped IS NOT NULL ORDER BY year""",
    [dept.department_id]).fetchall()
lacking = [y for y in (asked or []) if y not in dept.years]
gated_lacking = [y for y in lacking if y in gated]
lacking = [y for y in lacking if y not in gated]
if not chosen:
    raise SelectionError(f"{dept.name}在所选年度（{format_years(asked)}）没有可用的数据"
                         + "".join(f"；{y} 年数据未通过质量校验（原因：{gated[y]}）" for y in gated_lacking)
                         + f"；有数据的年度：{format_years(dept.years)}。")
con.execute("CREATE OR REPLACE TEMP TABLE sel AS SELECT * FROM department_year_metrics "
            "WHERE department_id = ? AND list_contains(?, year)", [dept.department_id, chosen])
NAME = dept.name
note(md("**{}**（{}；部门编号 {}）", NAME, dept.region, dept.department_id),
     f"曾用名：{'、'.join(dept.names[1:])}。" if len(dept.names) > 1 else "",
     f"本页年度：{format_years(chosen)}" + (f"（所选的 {format_years(lacking)} 年没有该部门的数据）" if lacking else "")
     + f"；该部门有数据的年度：{format_years(dept.years)}。",
     *[f"{y} 年：该年度数据未通过质量校验（原因：{gated[y]}），未计入本页。" for y in gated_lacking],
     *[f"{y} 年：{groups}相互矛盾，这些数字未计入本页，其余照常（原因：{reason}）。"
       for y, groups, reason in partial if y in chosen],
     "未指定部门，按“年度最多、其次三公经费最大”选定。" if not (REGION or DEPARTMENT) else "",
     quality_sentence(con))

# %% [markdown]
# ## 核心指标
# 金额单位万元；三公经费合计按本页口径（见下）；预算完成率注明预算依据。

# %%
basis = con.execute("SELECT sangong_basis()").fetchall()[0][0]
BASIS_TEXT = {"printed": "三公经费表公开的合计数", "parts": "因公出国（境）、公务用车、公务接待三项之和"}[basis]
core = frame(con, """
    SELECT year AS 年度, total_expenditure AS 支出合计, gpb_actual AS 一般公共预算支出,
           personnel_cost AS 人员经费, public_cost AS 公用经费, personnel_public_ratio AS 人员公用比,
           sangong_used_budget AS 三公预算, sangong_used_actual AS 三公决算, sangong_completion_pct AS 三公完成率,
           gpb_completion_pct AS 预算完成率, CASE budget_basis WHEN 'initial' THEN '年初预算'
               WHEN 'full_year' THEN '全年预算' WHEN 'printed_pct' THEN '公开完成率' ELSE '无' END AS 预算依据,
           CASE quality WHEN 'clean' THEN '无问题' WHEN 'warn' THEN '有警告' ELSE '未通过' END AS 质量
    FROM sel ORDER BY year""")
show(core.select("年度", "支出合计", "一般公共预算支出", "人员经费", "公用经费", "人员公用比"),
     money=["支出合计", "一般公共预算支出", "人员经费", "公用经费"], ratio=["人员公用比"],
     caption=f"{NAME} 支出与经费", unit="个年度")
show(core.select("年度", "三公预算", "三公决算", "三公完成率", "预算完成率", "预算依据", "质量"),
     money=["三公预算", "三公决算"], pct=["三公完成率", "预算完成率"],
     caption=f"{NAME} 三公经费与预算完成率（三公口径：{BASIS_TEXT}）", unit="个年度")

# %%
sources = frame(con, """
    SELECT year AS 年度, department AS 部门名称, source_file AS 来源文件, sangong_page AS 三公经费页,
           cost_page AS 人员公用经费页,
           gpb_page AS 情况说明页, gpb_table_page AS 支出决算表页, quality_reason AS 质量说明
    FROM sel ORDER BY year""")
# each page number opens that page of its PDF (when the PDF is where etl read it): the file each figure is
# printed in, by its path under the raw folder (documents.source_file; the metrics name the file alone)
PAGE_COLUMNS = {"三公经费页": "sangong_file", "人员公用经费页": "cost_file", "情况说明页": "gpb_file",
                "支出决算表页": "gpb_table_file"}


def file_path(column: str) -> str:
    return (f"(SELECT min(d.source_file) FROM documents AS d WHERE d.year = sel.year "
            f"AND regexp_extract(d.source_file, '[^/]+$') = sel.{column})")


paths = frame(con, "SELECT " + ", ".join(f'{file_path(f)} AS "{c}"' for c, f in PAGE_COLUMNS.items())
              + " FROM sel ORDER BY year")
sources = sources.with_columns(
    pl.Series(f"{c}链接", [pdf_link(f, p) for f, p in zip(paths[c], sources[c], strict=True)],
              dtype=pl.String) for c in PAGE_COLUMNS)
show(sources, plain=list(PAGE_COLUMNS), links={c: f"{c}链接" for c in PAGE_COLUMNS},
     caption="数据来源（文件与页码；页码链接到 PDF 的那一页）", unit="个年度")

# %% [markdown]
# ## 三公经费分项
# 每根柱子是一个年度；缺数据的年度留空。

# %%
all_years = list(range(min(chosen), max(chosen) + 1))
sg = frame(con, """
    SELECT year AS 年度, item AS 项目, amount AS 决算数, sangong_used_actual AS 合计
    FROM sel, LATERAL (VALUES ('因公出国（境）费', coalesce(overseas_actual, 0)),
                              ('公务用车购置费', coalesce(vehicle_purchase_actual, 0)),
                              ('公务用车运行维护费', coalesce(vehicle_operation_actual, 0)),
                              ('公务接待费', coalesce(reception_actual, 0)),
                              -- printed 合计 ≠ parts beyond printed rounding: the difference is its own segment
                              ('合计与分项之差', CASE WHEN sangong_parts_mismatch THEN sangong_used_actual
                                  - coalesce(overseas_actual, 0) - coalesce(vehicle_purchase_actual, 0)
                                  - coalesce(vehicle_operation_actual, 0) - coalesce(reception_actual, 0) END))
                              AS t(item, amount)
    WHERE sangong_used_actual IS NOT NULL AND (item <> '合计与分项之差' OR amount IS NOT NULL)
    ORDER BY year""")
ITEM_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#bab0ac"]
ITEMS = [i for i in ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "合计与分项之差"]
         if i in sg["项目"].to_list()]
n_sg_years = sg["年度"].n_unique()
alt.Chart(sg, title=n_title(f"{NAME} 三公经费分项决算", n_sg_years, "个年度")).mark_bar().encode(
    x=alt.X("年度:O", title="年度", scale=alt.Scale(domain=all_years), axis=alt.Axis(labelAngle=0)),
    y=alt.Y("决算数:Q", title="决算数（万元）"),
    color=alt.Color("项目:N", title="项目", sort=ITEMS,
                    scale=alt.Scale(domain=ITEMS, range=ITEM_COLOURS[:len(ITEMS)])),
    order=alt.Order("项目序:Q"),
    tooltip=[alt.Tooltip("年度:O"), "项目", alt.Tooltip("决算数:Q", format=",.2f", title="决算数（万元）"),
             alt.Tooltip("合计:Q", format=",.2f", title="合计（万元）")],
).transform_calculate(项目序=f"indexof({ITEMS}, datum['项目'])").properties(height=280, width=560)

# %% [markdown]
# ## 与同类部门比较：人员经费 ÷ 公用经费
# 同类部门（同一 peer_type：职能相同、名称不同的部门合为一类，单位决算另成一类）在各地区、所选年度的比值；
# 红点为本部门。

# %%
# peers: the same peer_type (the function taxonomy pooling renamed and equivalent bodies, units apart)
dept_type = con.execute("SELECT arg_max(peer_type, year) FROM sel").fetchall()[0][0]
peers = frame(con, """
    SELECT p.region AS 地区, p.department AS 部门, p.year AS 年度, p.ratio AS 人员公用比, p.robust_z AS 稳健z值,
           p.peer_n AS 同类部门年度数, p.z_note AS 说明,
           CASE WHEN p.department_id = ? THEN '本部门' ELSE '其他地区同类部门' END AS 部门归属
    FROM personnel_public_ratio AS p
    WHERE p.peer_type = ? AND list_contains(?, p.year) AND p.ratio IS NOT NULL
    ORDER BY p.year, p.region""", [dept.department_id, dept_type, chosen])
ratio_lo = float(peers["人员公用比"].min()) * 0.9 if peers.height else 0
ratio_hi = float(peers["人员公用比"].max()) * 1.1 if peers.height else 1
alt.Chart(peers, title=n_title(f"{dept_type}：人员经费 ÷ 公用经费", peers.height)).mark_circle(size=110).encode(
    x=alt.X("年度:O", title="年度", scale=alt.Scale(domain=all_years), axis=alt.Axis(labelAngle=0)),
    y=alt.Y("人员公用比:Q", title="人员经费 ÷ 公用经费", scale=alt.Scale(domain=[ratio_lo, ratio_hi], zero=False)),
    color=alt.Color("部门归属:N", title=None, scale=alt.Scale(domain=["本部门", "其他地区同类部门"],
                                                             range=["#e45756", "#9d9d9d"])),
    tooltip=["地区", "部门", alt.Tooltip("年度:O"), alt.Tooltip("人员公用比:Q", format=".2f"),
             alt.Tooltip("稳健z值:Q", format=".2f", title="稳健 z 值"),
             alt.Tooltip("同类部门年度数:Q", title="同类部门-年度数（n）"), "说明"],
).properties(height=300, width=560) if peers.height else None

# %% [markdown]
# ## 预算执行：逐项
# 情况说明逐项给出的完成率（预算依据见悬停提示）；没有完成率的项（无预算支出、无预算无支出、未公开预算）
# 不画点，在下表中列出。

# %%
items = frame(con, """
    SELECT i.year AS 年度, i.item_name AS 项, i.code AS 功能科目编码, i.basis_label AS 预算依据, i.budget AS 预算,
           i.actual AS 决算, i.completion_pct AS 完成率, i.flag, i.flag_label AS 执行情况, i.reason AS 原因
    FROM budget_completion_item AS i
    WHERE i.department_id = ? AND list_contains(?, i.year)
    ORDER BY i.year, i.item_name""", [dept.department_id, chosen])
rated = items.drop_nulls("完成率")
FLAGS = ["超预算", "基本持平", "执行不足"]
if rated.height:
    item_lo = min(85.0, float(rated["完成率"].min()) - 3)
    item_hi = max(115.0, float(rated["完成率"].max()) + 3)
    band = alt.Chart(pl.DataFrame({"x": [90], "x2": [110]})).mark_rect(color="#54a24b", opacity=0.08).encode(
        x="x:Q", x2="x2:Q")
    (band
     + alt.Chart(rated, title=n_title("逐项完成率", rated.height, "条说明")).mark_point(filled=True, size=80).encode(
         x=alt.X("完成率:Q", title="完成率（%）", scale=alt.Scale(domain=[item_lo, item_hi], zero=False, nice=False)),
         y=alt.Y("项:N", title=None),
         color=alt.Color("执行情况:N", title="执行情况", scale=alt.Scale(domain=FLAGS,
                                                                     range=["#e45756", "#54a24b", "#4c78a8"])),
         shape=alt.Shape("年度:N", title="年度"),
         tooltip=[alt.Tooltip("年度:O"), "项", "功能科目编码", "预算依据",
                  alt.Tooltip("预算:Q", format=",.2f", title="预算（万元）"),
                  alt.Tooltip("决算:Q", format=",.2f", title="决算（万元）"),
                  alt.Tooltip("完成率:Q", format=".1f", title="完成率（%）"), "执行情况", "原因"],
     )).properties(height=alt.Step(26), width=560).display()
show(items.drop("flag"), money=["预算", "决算"], pct=["完成率"], caption="逐项预算执行说明", unit="条",
     empty="该部门所选年度的情况说明中没有逐项的预算执行说明。")

# %% [markdown]
# ## 主要发现

# %%
m = frame(con, "SELECT * FROM sel ORDER BY year")
first, last = m.head(1).to_dicts()[0], m.tail(1).to_dicts()[0]
sangong_trend = describe_series(list(zip(m["year"], m["sangong_used_actual"], strict=True)), fmt_wan)
ratio_trend = describe_series(list(zip(m["year"], m["personnel_public_ratio"], strict=True)))
rank = con.execute("""SELECT rank_across_regions, regions_in_type FROM sangong_region_year_type
                      WHERE region = ? AND department_type = ? AND year = ?""",
                   [last["region"], last["department_type"], last["year"]]).fetchall()
counts = dict(items.group_by("flag").len().iter_rows())
deviating = counts.get("over", 0) + counts.get("under", 0)
without = {k: counts.get(k, 0) for k in ("unbudgeted", "idle", "no_budget")}
say(
    f"{NAME}：{m.height} 个年度（{format_years(m['year'].to_list())}）。",
    f"{last['year']} 年三公经费决算 {fmt_wan(last['sangong_used_actual'])}，预算 {fmt_wan(last['sangong_used_budget'])}"
    f"（完成 {fmt_pct(last['sangong_completion_pct'])}；口径：{BASIS_TEXT}）。"
    if last["sangong_used_actual"] is not None
    else f"{last['year']} 年没有三公经费数据。",
    f"{last['year']} 年三公经费决算在有{last['department_type']}的 {rank[0][1]} 个同级地区中排第 {rank[0][0]}"
    "（按金额，1 = 最高，未按部门规模调整）。" if rank and rank[0][0] is not None else "",
    f"三公经费决算{sangong_trend}。" if sangong_trend else "",
    f"人员经费/公用经费比值{ratio_trend}。" if ratio_trend else "",
    f"{last['year']} 年一般公共预算财政拨款支出完成率 {fmt_pct(last['gpb_completion_pct'])}"
    f"（预算依据：{core['预算依据'][-1]}）。" if last["gpb_completion_pct"] is not None else "",
    f"逐项说明 {items.height} 条：偏离预算 10% 以上的 {deviating} 条（超预算 {counts.get('over', 0)} 条、"
    f"执行不足 {counts.get('under', 0)} 条），基本持平 {counts.get('on_target', 0)} 条"
    + ("；另有" + "、".join(f"{label} {k} 条" for label, k in zip(("无预算支出", "无预算无支出", "未公开预算"),
                                                                without.values(), strict=True) if k)
       + "，没有完成率，不计入偏离" if sum(without.values()) else "") + "。"
    if items.height else "所选年度的情况说明中没有逐项的预算执行说明。",
)
