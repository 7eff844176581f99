# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
# ---

# %% [markdown]
# # 05 部门画像 · Department profile
#
# **What this shows:** one department over the years — its 三公 items, personnel and public cost,
# budget completion overall and per 项, and how it compares with the same department type in other
# districts. Parameters (papermill-style cell below, or environment variables `JUESUAN_REGION`,
# `JUESUAN_DEPARTMENT`, `JUESUAN_YEARS` like `2021-2023`): left empty, the department with the
# most years (then the largest 三公) is chosen.

# %% tags=["parameters"]
import os

REGION = os.environ.get("JUESUAN_REGION") or None
DEPARTMENT = os.environ.get("JUESUAN_DEPARTMENT") or None
YEARS = os.environ.get("JUESUAN_YEARS") or None  # "2021-2023" or "2021,2023"; None = all

# %%
import altair as alt  # noqa: E402  (after the parameters cell)

from etl.analysis.notebook import fmt_pct, fmt_wan, frame, say, setup  # noqa: E402

con = setup()


def parse_years(spec):
    if not spec:
        return None
    if "-" in str(spec):
        a, b = str(spec).split("-", 1)
        return list(range(int(a), int(b) + 1))
    return [int(y) for y in str(spec).split(",")]


pick = con.execute("""
    SELECT region, department FROM department_year_metrics
    WHERE (? IS NULL OR region = ?) AND (? IS NULL OR department = ? OR department_type = ?)
    GROUP BY ALL ORDER BY count(*) DESC, sum(sangong_actual) DESC NULLS LAST, department LIMIT 1""",
    [REGION, REGION, DEPARTMENT, DEPARTMENT, DEPARTMENT]).fetchall()
if not pick:
    raise SystemExit(f"没有找到部门：region={REGION!r} department={DEPARTMENT!r}")
REGION, DEPARTMENT = pick[0]
year_list = parse_years(YEARS)
con.execute("CREATE OR REPLACE TEMP TABLE sel AS SELECT * FROM department_year_metrics "
            "WHERE region = ? AND department = ? AND (? IS NULL OR list_contains(?, year))",
            [REGION, DEPARTMENT, year_list, year_list])
print(f"{DEPARTMENT}（{REGION}）", "年度：", year_list or "全部")

# %% [markdown]
# ## 核心指标

# %%
frame(con, """SELECT year AS 年度, total_expenditure AS 支出合计, gpb_expenditure AS 一般公共预算支出,
                     personnel_cost AS 人员经费, public_cost AS 公用经费,
                     round(personnel_public_ratio, 2) AS 人员公用比,
                     sangong_budget AS 三公预算, sangong_actual AS 三公决算,
                     round(gpb_completion_pct, 1) AS 预算完成率, versions AS 版本数
              FROM sel ORDER BY year""")

# %% [markdown]
# ## 三公经费分项

# %%
sg = frame(con, """
    SELECT s.year AS 年度, s.item_label AS 项目, s.budget AS 预算数, s.actual AS 决算数, s.completion_pct AS 完成率
    FROM budget_completion_sangong s JOIN sel USING (region, department, year)
    WHERE s.item IN ('overseas', 'vehicle_purchase', 'vehicle_operation', 'reception')""")
alt.Chart(sg, title=f"{DEPARTMENT} 三公经费分项决算").mark_bar().encode(
    x=alt.X("年度:O", title="年度"), y=alt.Y("决算数:Q", title="决算数（万元）"),
    color=alt.Color("项目:N", title="项目"),
    tooltip=["年度", "项目", alt.Tooltip("预算数:Q", format=",.2f"), alt.Tooltip("决算数:Q", format=",.2f"),
             alt.Tooltip("完成率:Q", format=".1f")],
)

# %% [markdown]
# ## 与同类部门比较（人员公用比）

# %%
peers = frame(con, """
    SELECT p.region AS 地区, p.department AS 部门, p.year AS 年度, p.ratio AS 人员公用比, p.robust_z AS 稳健z值,
           p.region = ? AND p.department = ? AS 本部门
    FROM personnel_public_ratio p
    WHERE p.department_type = (SELECT any_value(department_type) FROM sel)
      AND p.year IN (SELECT year FROM sel) AND p.ratio IS NOT NULL""", [REGION, DEPARTMENT])
alt.Chart(peers, title="同类部门人员经费/公用经费比值").mark_circle(size=90).encode(
    x=alt.X("年度:O", title="年度"), y=alt.Y("人员公用比:Q", title="人员经费 ÷ 公用经费"),
    color=alt.Color("本部门:N", title="本部门", scale=alt.Scale(domain=[True, False], range=["#e45756", "#bab0ac"])),
    tooltip=["地区", "部门", "年度", alt.Tooltip("人员公用比:Q", format=".2f"), alt.Tooltip("稳健z值:Q", format=".2f")],
)

# %% [markdown]
# ## 预算执行（按项）

# %%
items = frame(con, """
    SELECT i.year AS 年度, i.item_name AS 项, i.code AS 编码, coalesce(i.initial_budget, i.full_year_budget) AS 预算,
           i.actual AS 决算, round(i.completion_pct, 1) AS 完成率, i.flag AS 执行情况, i.reason AS 原因
    FROM budget_completion_item i JOIN sel USING (region, department, year) ORDER BY i.year, i.item_name""")
alt.Chart(items, title="各项完成率").mark_bar().encode(
    x=alt.X("完成率:Q", title="完成率（%）"), y=alt.Y("项:N", title=None), color=alt.Color("年度:N", title="年度"),
    yOffset="年度:N",
    tooltip=["年度", "项", "编码", alt.Tooltip("预算:Q", format=",.2f"), alt.Tooltip("决算:Q", format=",.2f"),
             "完成率", "原因"],
)

# %% [markdown]
# ## Findings

# %%
m = frame(con, "SELECT * FROM sel ORDER BY year")
first, last = (m.head(1).to_dicts()[0], m.tail(1).to_dicts()[0]) if m.height else (None, None)
rank = con.execute("""SELECT rank_in_type, regions_in_type FROM sangong_region_year_type
                      WHERE region = ? AND department_type = ? AND year = ?""",
                   [REGION, last["department_type"], last["year"]]).fetchall() if last else []
say(
    f"{DEPARTMENT}：{m.height} 个年度（{first['year']}–{last['year']}）。" if m.height else "所选年度没有数据。",
    f"{last['year']} 年三公经费决算 {fmt_wan(last['sangong_actual'])}，预算 {fmt_wan(last['sangong_budget'])}"
    f"（完成 {fmt_pct(last['sangong_completion_pct'])}）。" if last else "",
    f"在 {rank[0][1]} 个地区的同类部门中三公决算排第 {rank[0][0]}。" if rank else "",
    f"人员经费/公用经费比值从 {first['personnel_public_ratio']:.2f} 变为 {last['personnel_public_ratio']:.2f}。"
    if last and first['personnel_public_ratio'] is not None and last['personnel_public_ratio'] is not None else "",
    f"{last['year']} 年一般公共预算完成率 {fmt_pct(last['gpb_completion_pct'])}。" if last else "",
    f"{items.filter(items['执行情况'] != 'on_target').height} 条按项说明偏离预算 10% 以上。" if items.height else "",
)
