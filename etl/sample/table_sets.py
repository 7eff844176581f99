"""Table sets still missing from `table_variants` (catalogue 2026-12-05 §1–§3): 6, 7, 10 and 20+ tables, the 三公
table with 会议费 and 培训费 printed across, titles of other provinces, an empty table printed as one line, a
contents with page numbers, tables after 名词解释 and a 附件, and tables listed （一）…（九） "见附件1".
One document per variant (family `table_sets`), with exact truth through `table_variants.apply`.
"""

from __future__ import annotations

from collections.abc import Iterator

from etl.sample.document import Generated
from etl.sample.table_variants import Variant

#: 新疆 2017: 部门收支总体情况 (11 tables), 财政拨款收支情况 (9), then 资产负债. Standard tables keep their
#: standard titles; the rest are `other` (some end like a standard title: 人员经费支出决算表 is not 03).
XINJIANG = (
    "income_expenditure_summary", "income", "expenditure", "支出决算明细表", "一般公共预算财政拨款项目支出决算表",
    "人员经费支出决算表", "行政事业性收费收入决算表", "部门基本情况表", "政府采购支出决算表", "非税收入征缴情况表",
    "资金结转和结余情况表",
    "fiscal_summary", "gpb_expenditure", "gpb_basic_expenditure", "sangong", "gov_fund", "state_capital",
    "财政拨款结转和结余情况表", "财政专户管理资金收入支出决算表", "国有资产占用情况表",
    "资产负债情况表",
)
STANDARD = ("income_expenditure_summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure",
            "gpb_basic_expenditure", "sangong", "gov_fund", "state_capital")

STATE_CAPITAL_EXPENDITURE = "国有资本经营预算财政拨款支出决算表"
ALL_FUNDS = "财政拨款支出决算表"

VARIANTS = (
    # 6 tables numbered 表（一）…, a contents with dot leaders and page numbers; 云南 ≤2022's 三公 table with
    # 机关运行经费 below
    Variant("six_tables", "biao_paren", "admin_operation", toc="dots",
            drop=("gpb_basic_expenditure", "gov_fund", "state_capital"),
            titles={"sangong": "“三公”经费、行政参公单位机关运行经费情况表",
                    "gpb_expenditure": "一般公共预算财政拨款收入支出决算表"}),  # 云南's 05 title
    # 10 tables: 四川's 国有资本经营 收入支出 and 支出 tables; 08, 09 and the second printed as one line "本部门
    # 没有相关数据…" (a department with no 政府性基金); 陕西/四川 titles; the tables after
    # 名词解释 and a 附件 (第五部分 附表)
    Variant("ten_tables", "", sequence=(*STANDARD, STATE_CAPITAL_EXPENDITURE), tables_last=True, annex=True,
            empty=("gov_fund", "state_capital", STATE_CAPITAL_EXPENDITURE),
            titles={"income": "收入决算总表", "expenditure": "支出决算总表",
                    "gpb_expenditure": "一般公共预算财政拨款支出决算明细表",
                    "gpb_basic_expenditure": "一般公共预算财政拨款基本支出决算明细表",
                    "sangong": "一般公共预算财政拨款开支的“三公”经费决算情况表"}),
    # 7 tables, 三公 with 会议费/培训费 printed across in 预算数/决算数 column pairs, Word field codes in the
    # contents; 江苏 2015: the 财政拨款 expenditure of every fund (instead of 05) and its 基本支出 (standing for 06)
    Variant("seven_tables", "", "across_pairs", toc="pageref", drop=("gov_fund", "state_capital"),
            titles={"gpb_expenditure": ALL_FUNDS, "gpb_basic_expenditure": "财政拨款基本支出决算表"}),
    # 21 tables (新疆 2017), 三公 printed across with 预算数 and 决算数 as rows; 09 under the central title of
    # 2020 (when central reports went from 8 to 9 tables)
    Variant("xinjiang_21", "", "across_rows", sequence=XINJIANG,
            titles={"state_capital": STATE_CAPITAL_EXPENDITURE}),
    # 9 tables listed （一）…（九） under "…决算表（见附件1）", printed after the text as 附件1
    Variant("attachment_list", "paren", tables_last=True, attachment=True),
)


def table_sets(seed: int, n: int) -> Iterator[Generated]:
    """District reports under the table sets above, one variant after the other."""
    from etl.sample import catalog as cat
    from etl.sample.district import Opts
    from etl.sample.family_docs import _single

    for k in range(n):
        city, district, street = cat.REGIONS[k % len(cat.REGIONS)]
        v = VARIANTS[k % len(VARIANTS)]
        o = Opts(variant=v, numbered=v.numbering in ("biao_cn", "biao_num", "paren", "biao_paren"))
        dtypes = cat.DEPT_TYPES
        if v.titles.get("gpb_expenditure") == ALL_FUNDS or "gov_fund" in v.empty:
            # every fund's table is 05's, and 08 has no figures, only for a department without 政府性基金
            dtypes = [d for d in dtypes if not d.gov_fund]
        g = _single(seed, city, district, street, dtypes[(k + 2) % len(dtypes)], 2023 - k // 12, o, state_capital=True)
        yield _as_printed(g, v)


def _as_printed(g: Generated, v: Variant) -> Generated:
    """The truth of what the variant prints instead of a standard table: no 06, no 经济分类, 人员经费 or 公用经费
    figures; 05 printed as the table of every fund (a department with no 政府性基金: the same rows), its
    figures under fiscal_expenditure."""
    t = g.truth
    if not t["tables_present"]["gpb_basic_expenditure"]:
        t.update(economic_class={}, personnel_cost=None, public_cost=None)
    if v.titles.get("gpb_expenditure") == ALL_FUNDS:
        t["tables_present"] |= {"gpb_expenditure": False, "fiscal_expenditure": True}
        t.update(fiscal_expenditure_total_row=t["gpb_expenditure_total_row"], fiscal_items=t["gpb_items"],
                 gpb_expenditure_total_row=None, gpb_items=[])
    return g
