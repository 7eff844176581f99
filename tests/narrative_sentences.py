"""A held-out-like set of narrative passages, written from the FORMS of the template-variants catalogue
(../shared/reviews/2026-12-05-template-variants.md §5–§8) with figures of our own, each with the figures it states.

`\\n` in a passage is a printed line break (each line is one line of the page, so a number or a unit can be cut by
it). Expected keys:
  g.*  the department's 一般公共预算财政拨款支出 statement (budget_execution scope gpb_total)
  s.*  the 三公 total statement (scope sangong_total)
       .i 年初预算 · .f 全年/调整预算 · .u unqualified 预算 · .a 决算 · .p completion % · .d difference (决算 − 预算)
       .basis initial / full_year / unqualified (asserted per form; not a figure, not in the share)
  o / v / vp / vo / r  三公 items (因公出国 / 用车购置及运行 / 购置 / 运行 / 接待): .b budget, .a actual,
       .p completion %, .d difference (budget_execution scope sangong_item)
  x:<path>  a 项 statement: .i .f .u .a .p .d
A figure the passage does not print has no key: reading one there is a miss (a count read as money, say).
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    form: str       # the catalogue form it stands for (tests are named after these)
    text: str
    expected: dict[str, str]


S = "“三公”经费财政拨款支出"
CASES: list[Case] = [
    # -- §5 支出预算为X,支出决算为Y,完成预算的Z% (unqualified budget) ---------------------------------------
    Case("unqualified_budget", f"2023年度{S}预算为86.40万元，支出决算为71.25万元，完成预算的82.47%。",
         {"s.u": "86.40", "s.a": "71.25", "s.p": "82.47", "s.basis": "unqualified"}),
    Case("unqualified_budget", f"{S}支出预算为12.00万元,支出决算为9.80万元,完成预算的81.67%。其中:因公出国(境)费"
         "支出预算为0万元,支出决算为0万元;公务用车购置及运行维护费支出预算为8.00万元,支出决算为7.10万元,完成预算的"
         "88.75%;公务接待费支出预算为4.00万元,支出决算为2.70万元,完成预算的67.50%。",
         {"s.u": "12.00", "s.a": "9.80", "s.p": "81.67", "s.basis": "unqualified", "o.b": "0.00", "o.a": "0.00",
          "v.b": "8.00", "v.a": "7.10", "v.p": "88.75", "r.b": "4.00", "r.a": "2.70", "r.p": "67.50"}),
    Case("unqualified_budget", "“三公”经费支出预算为1,356,000元，支出决算为1,204,311.50元，完成预算的88.81%。",
         {"s.u": "135.60", "s.a": "120.43", "s.p": "88.81", "s.basis": "unqualified"}),
    Case("unqualified_budget", f"本部门{S}预算数为45.60万元，决算数为45.60万元，完成预算的100.00%。"
         "其中：公务接待费预算数为5.60万元，决算数为5.60万元。",
         {"s.u": "45.60", "s.a": "45.60", "s.p": "100.00", "s.basis": "unqualified", "r.b": "5.60", "r.a": "5.60"}),
    Case("unqualified_budget", f"{S}预算为230.15万元，支出决算为198.04万元，完成预算的86.05%，其中：因公出国（境）费"
         "预算为40.00万元，支出决算为31.22万元；公务用车购置及运行费预算为150.15万元，支出决算为139.82万元，其中："
         "公务用车购置费预算为60.00万元，支出决算为59.90万元，公务用车运行费预算为90.15万元，支出决算为79.92万元；"
         "公务接待费预算为40.00万元，支出决算为27.00万元。",
         {"s.u": "230.15", "s.a": "198.04", "s.p": "86.05", "s.basis": "unqualified", "o.b": "40.00", "o.a": "31.22",
          "v.b": "150.15", "v.a": "139.82", "vp.b": "60.00", "vp.a": "59.90", "vo.b": "90.15", "vo.a": "79.92",
          "r.b": "40.00", "r.a": "27.00"}),
    Case("unqualified_budget", f"{S}预算为7.5万元，支出决算为6.25万元，完成预算的83.3%。",
         {"s.u": "7.50", "s.a": "6.25", "s.p": "83.3", "s.basis": "unqualified"}),
    Case("unqualified_budget", f"{S}预算为18.20万元,支出决算为20.02万元,完成预算的110.00%,决算数大于预算数的主要原因"
         "是新增外事任务。",
         {"s.u": "18.20", "s.a": "20.02", "s.p": "110.00", "s.basis": "unqualified"}),
    Case("unqualified_budget", f"{S}预算为3.00万元，支出决算为2.85万元，完成预算的95%。",
         {"s.u": "3.00", "s.a": "2.85", "s.p": "95", "s.basis": "unqualified"}),
    # -- §5 (支出)年初预算为X…支出决算为Y…完成(年初)预算的Z% ------------------------------------------------
    Case("initial_budget", f"{S}年初预算为52.30万元，支出决算为48.77万元，完成年初预算的93.25%。",
         {"s.i": "52.30", "s.a": "48.77", "s.p": "93.25", "s.basis": "initial"}),
    Case("initial_budget", f"{S}年初预算为9.90万元，支出决算为6.93万元，完成预算的70.00%。",
         {"s.i": "9.90", "s.a": "6.93", "s.p": "70.00", "s.basis": "initial"}),
    Case("initial_budget", f"{S}年初预算14.60万元，支出决算12.41万元，完成年初预算的85.00%。",
         {"s.i": "14.60", "s.a": "12.41", "s.p": "85.00", "s.basis": "initial"}),
    Case("initial_budget", f"{S}支出年初预算为102.00万元，支出决算为96.90万元，完成年初预算的95.00%，其中：因公出国"
         "（境）费支出年初预算为30.00万元，支出决算为27.00万元；"
         "公务接待费支出年初预算为12.00万元，支出决算为9.90万元。",
         {"s.i": "102.00", "s.a": "96.90", "s.p": "95.00", "s.basis": "initial", "o.b": "30.00", "o.a": "27.00",
          "r.b": "12.00", "r.a": "9.90"}),
    Case("initial_budget", f"{S}年初预算为5.00万元，全年预算为6.50万元，支出决算为6.11万元，完成全年预算的94.00%。",
         {"s.i": "5.00", "s.f": "6.50", "s.a": "6.11", "s.p": "94.00", "s.basis": "full_year"}),
    Case("initial_budget", "\"三公\"经费财政拨款支出年初预算为8.80万元,支出决算为7.04万元,完成年初预算的80.00%.",
         {"s.i": "8.80", "s.a": "7.04", "s.p": "80.00", "s.basis": "initial"}),
    Case("initial_budget", f"{S}年初预算为60.00万元，调整预算为64.00万元，支出决算为63.36万元，完成调整预算的99.00%。",
         {"s.i": "60.00", "s.f": "64.00", "s.a": "63.36", "s.p": "99.00", "s.basis": "full_year"}),
    # -- §5 支出决算为Y,完成(全年)预算X万元的Z% (budget after 完成) ---------------------------------------------
    Case("budget_after_completion", f"{S}决算为33.60万元，完成全年预算40.00万元的84.00%。其中：因公出国（境）费支出决算"
         "为0万元，完成预算5.00万元的0.00%；公务用车购置及运行费支出决算为25.60万元，完成预算27.00万元的94.81%；"
         "公务接待费支出决算为8.00万元，完成预算8.00万元的100.00%。",
         {"s.f": "40.00", "s.a": "33.60", "s.p": "84.00", "s.basis": "full_year", "o.b": "5.00", "o.a": "0.00",
          "o.p": "0.00", "v.b": "27.00", "v.a": "25.60", "v.p": "94.81", "r.b": "8.00", "r.a": "8.00",
          "r.p": "100.00"}),
    Case("budget_after_completion", f"2021年度{S}决算为2.48万元，完成预算3.10万元的80.00%。",
         {"s.u": "3.10", "s.a": "2.48", "s.p": "80.00", "s.basis": "unqualified"}),
    Case("budget_after_completion", f"{S}决算为117.72万元，完成年初预算120.12万元的98.00%。",
         {"s.i": "120.12", "s.a": "117.72", "s.p": "98.00", "s.basis": "initial"}),
    Case("budget_after_completion", "一般公共预算财政拨款支出决算为4,512.30万元，完成全年预算4,700.00万元的96.01%。",
         {"g.f": "4700.00", "g.a": "4512.30", "g.p": "96.01", "g.basis": "full_year"}),
    # -- §5 决算为Y,完成年初预算的Z%, no budget figure --------------------------------------------------------
    Case("rate_without_budget", f"{S}决算为21.40万元，完成年初预算的89.17%。",
         {"s.a": "21.40", "s.p": "89.17", "s.basis": "initial"}),
    Case("rate_without_budget", f"{S}决算为0.96万元，完成预算的48.00%。",
         {"s.a": "0.96", "s.p": "48.00", "s.basis": "unqualified"}),
    # -- §5 完成预算Z% (no 的) --------------------------------------------------------------------------------
    Case("rate_without_de", f"{S}预算为16.00万元，支出决算为12.00万元，完成预算75.00%。",
         {"s.u": "16.00", "s.a": "12.00", "s.p": "75.00", "s.basis": "unqualified"}),
    Case("rate_without_de", "一般公共预算财政拨款支出决算数为2,210.64万元，完成预算96.12%。",
         {"g.a": "2210.64", "g.p": "96.12", "g.basis": "unqualified"}),
    Case("rate_without_de", "一般公共预算财政拨款支出年初预算为800.00万元，支出决算为800.00万元，完成年初预算100%，"
         "决算数大于预算数0万元。",
         {"g.i": "800.00", "g.a": "800.00", "g.p": "100", "g.basis": "initial", "g.d": "0.00"}),
    # -- §5 difference only ------------------------------------------------------------------------------------
    Case("difference_only", f"{S}决算为44.10万元，比预算增加3.10万元。",
         {"s.a": "44.10", "s.d": "3.10"}),
    Case("difference_only", f"{S}决算为27.30万元，比年初预算数减少2.70万元，下降9.00%。",
         {"s.a": "27.30", "s.d": "-2.70"}),
    Case("difference_only", f"{S}年初预算为19.00万元，支出决算为17.50万元，差值为1.50万元。",
         {"s.i": "19.00", "s.a": "17.50", "s.d": "-1.50"}),
    Case("difference_only", "本年度“三公”经费预算为11.00万元，实际支出“三公经费”决算为8.25万元，决算数未超过预算数。",
         {"s.u": "11.00", "s.a": "8.25"}),
    Case("difference_only", f"{S}决算为61.00万元，与2022年度预算相比，增加1.00万元，增长1.67%。",
         {"s.a": "61.00", "s.d": "1.00"}),
    Case("difference_only", f"{S}决算为15.90万元,比年初预算节约4.10万元。",
         {"s.a": "15.90", "s.d": "-4.10"}),
    Case("difference_only", "一般公共预算财政拨款支出决算为960.00万元，决算数小于预算数40.00万元。",
         {"g.a": "960.00", "g.d": "-40.00"}),
    # -- §5 no budget at all -----------------------------------------------------------------------------------
    Case("no_budget", f"{S}决算为13.75万元，比上年减少1.25万元，下降8.33%。",
         {"s.a": "13.75"}),
    Case("no_budget", f"{S}决算为4.20万元，其中：因公出国（境）费0万元，"
         "公务用车购置及运行费3.00万元，公务接待费1.20万元。",
         {"s.a": "4.20", "o.a": "0.00", "v.a": "3.00", "r.a": "1.20"}),
    # -- §5 per item, vehicle split / unsplit, shares ----------------------------------------------------------
    Case("item_rates_without_item_budgets", f"{S}预算为50.00万元，支出决算为40.00万元，完成预算的80.00%。其中：因公出国"
         "（境）费支出决算为10.00万元，完成预算的66.67%；公务用车购置及运行维护费支出决算为24.00万元，完成预算的"
         "88.89%；公务接待费支出决算为6.00万元，完成预算的75.00%。",
         {"s.u": "50.00", "s.a": "40.00", "s.p": "80.00", "s.basis": "unqualified", "o.a": "10.00", "o.p": "66.67",
          "v.a": "24.00", "v.p": "88.89", "r.a": "6.00", "r.p": "75.00"}),
    Case("vehicle_unsplit", f"{S}决算为9.00万元。其中：公务用车购置及运行维护费9.00万元（购置费与运行维护费未分列）。",
         {"s.a": "9.00", "v.a": "9.00"}),
    Case("vehicle_split", f"{S}决算为30.00万元。公务用车购置及运行费25.00万元，其中：公务用车购置费20.00万元，"
         "公务用车运行维护费5.00万元。",
         {"s.a": "30.00", "v.a": "25.00", "vp.a": "20.00", "vo.a": "5.00"}),
    Case("shares", f"{S}决算为20.00万元，其中：因公出国（境）费支出5.00万元，占25.00%；公务用车购置及运行费支出"
         "12.00万元，占60.00%；公务接待费支出3.00万元，占15.00%。",
         {"s.a": "20.00", "o.a": "5.00", "v.a": "12.00", "r.a": "3.00"}),
    # -- §5 zero budgets ---------------------------------------------------------------------------------------
    Case("zero_budget", f"{S}年初预算为0万元，支出决算为0万元，完成年初预算的100%。",
         {"s.i": "0.00", "s.a": "0.00", "s.p": "100", "s.basis": "initial"}),
    Case("zero_budget", f"{S}决算为0万元，完成预算0万元的--%（基数为0，不可比）。",
         {"s.u": "0.00", "s.a": "0.00"}),
    Case("zero_budget", f"{S}年初预算为2.00万元，支出决算为0万元，完成年初预算的0%。",
         {"s.i": "2.00", "s.a": "0.00", "s.p": "0", "s.basis": "initial"}),
    Case("zero_budget", f"{S}预算为0万元，支出决算为1.20万元，完成预算的--。",
         {"s.u": "0.00", "s.a": "1.20"}),
    # -- §5 year on year (never a budget difference) -----------------------------------------------------------
    Case("year_on_year", f"{S}决算为8.00万元，比2022年度增加0.50万元，增长6.67%。",
         {"s.a": "8.00"}),
    Case("year_on_year", f"{S}年初预算为9.00万元，支出决算为8.10万元，完成年初"
         "预算的90.00%。较上年减少0.90万元，下降10.00%。",
         {"s.i": "9.00", "s.a": "8.10", "s.p": "90.00", "s.basis": "initial"}),
    Case("year_on_year", f"{S}决算为3.30万元，较2021年决算数下降12.00%，增长--（基数为0，不可比）。",
         {"s.a": "3.30"}),
    # -- §5 counts (never money) -------------------------------------------------------------------------------
    Case("counts", f"{S}决算为12.00万元。因公出国（境）费支出6.00万元，全年组织团组2个，累计12人次。",
         {"s.a": "12.00", "o.a": "6.00"}),
    Case("counts", f"{S}决算为5.00万元。因公出国（境）团组共计，1个；公务用车保有量为3辆；公务接待费5.00万元，"
         "国内公务接待共8批次（其中外事接待1批次），96人次。",
         {"s.a": "5.00", "r.a": "5.00"}),
    Case("counts", f"{S}决算为2.40万元。列入财政拨款开支的公务用车保有量为4辆，本年购置数0辆；公务接待费支出2.40万元，"
         "批次为6个，接待人次为40人。",
         {"s.a": "2.40", "r.a": "2.40"}),
    Case("counts", f"{S}决算为7.00万元。因公出国（境）费支出7.00万元，团组1次，出国（境）5人；共有公务用车2辆。",
         {"s.a": "7.00", "o.a": "7.00"}),
    Case("counts", f"{S}决算为3.00万元。公务接待费支出3.00万元，接待12批次，人数150人（不包括陪同人员）。",
         {"s.a": "3.00", "r.a": "3.00"}),
    # -- §5 scope -------------------------------------------------------------------------------------------------
    Case("department_summary", f"本部门{S}决算为部门汇总数，包含本级和所属单位。{S}"
         "预算为66.00万元，支出决算为55.00万元，"
         "完成预算的83.33%。",
         {"s.u": "66.00", "s.a": "55.00", "s.p": "83.33", "s.basis": "unqualified"}),
    # -- §6 一般公共预算财政拨款 -------------------------------------------------------------------------------
    Case("gpb_initial", "一般公共预算财政拨款支出年初预算为3,250.00万元，支"
         "出决算为3,101.23万元，完成年初预算的95.42%。",
         {"g.i": "3250.00", "g.a": "3101.23", "g.p": "95.42", "g.basis": "initial"}),
    Case("gpb_under_heading", "（三）一般公共预算财政拨款支出决算情况\n财政拨款支出年初预算数为120万元，支出决算数为4\n"
         "12.36万元，完成年初预算的343.63%。",
         {"g.i": "120.00", "g.a": "412.36", "g.p": "343.63", "g.basis": "initial"}),
    Case("gpb_full_year_defined", "一般公共预算财政拨款支出年初预算为500.00万元"
         "，按规定程序调整后的全年预算数为640.00万元，"
                                  "支出决算为633.60万元，完成全年预算的99.00%。",
         {"g.i": "500.00", "g.f": "640.00", "g.a": "633.60", "g.p": "99.00", "g.basis": "full_year"}),
    Case("gpb_unqualified", "一般公共预算财政拨款支出预算为1,800.00万元，支出决算为1,710.00万元，完成预算的95.00%。",
         {"g.u": "1800.00", "g.a": "1710.00", "g.p": "95.00", "g.basis": "unqualified"}),
    Case("gpb_yuan", "一般公共预算财政拨款支出年初预算为12,345,600.00元，支"
         "出决算为11,111,040.00元，完成年初预算的90.00%。",
         {"g.i": "1234.56", "g.a": "1111.10", "g.p": "90.00", "g.basis": "initial"}),
    Case("item_completion_without_de", "其中：1、一般公共服务支出（类）人大事务（款"
         "）行政运行（项）。支出决算为210.00万元，"
         "完成预算100%，决算数与预算数持平。",
         {"x:一般公共服务支出/人大事务/行政运行.a": "210.00", "x:一般公共服务支出/人大事务/行政运行.p": "100"}),
    Case("item_unqualified_budget", "其中：2、教育支出（类）普通教育（款）小学教育（项"
         "）。预算为80.00万元，支出决算为72.00万元，"
         "完成预算的90.00%。",
         {"x:教育支出/普通教育/小学教育.u": "80.00", "x:教育支出/普通教育/小学教育.a": "72.00",
          "x:教育支出/普通教育/小学教育.p": "90.00"}),
    Case("item_difference", "其中：3、卫生健康支出（类）公共卫生（款）疾病预防"
         "控制机构（项）。年初预算为40.00万元，支出决算为"
         "46.00万元，比年初预算增加6.00万元。",
         {"x:卫生健康支出/公共卫生/疾病预防控制机构.i": "40.00", "x:卫生健康支出/公共卫生/疾病预防控制机构.a": "46.00",
          "x:卫生健康支出/公共卫生/疾病预防控制机构.d": "6.00"}),
    # -- §8 / §9 text artefacts --------------------------------------------------------------------------------
    Case("pinyin_mirror", "“三公”經費財政撥款支出預(yù)算為25.00萬元，支出決(jué)算為20.00萬元，完成預(yù)算的80.00%。",
         {"s.u": "25.00", "s.a": "20.00", "s.p": "80.00", "s.basis": "unqualified"}),
    Case("pinyin_mirror", "一般公共預(yù)算財政撥款支出年初預(yù)算數(shù)為900.00萬元，支出決算數(shù)為855.00萬元，"
         "完成年初預(yù)算的95.00%。",
         {"g.i": "900.00", "g.a": "855.00", "g.p": "95.00", "g.basis": "initial"}),
    Case("digits_split_by_line_wrap", f"{S}年初预算为1,2\n34.56万元，支出决算为1,100.\n00万元，完成年初预算的89.10%。",
         {"s.i": "1234.56", "s.a": "1100.00", "s.p": "89.10", "s.basis": "initial"}),
    Case("digits_split_by_line_wrap", f"{S}预算为1, 200.00万元，支出决算为1. 23万元，完成预算的0.10%。",
         {"s.u": "1200.00", "s.a": "1.23", "s.p": "0.10", "s.basis": "unqualified"}),
    Case("unit_wrapped", f"{S}年初预算为45.00万\n元，支出决算为40.50万\n元，完成年初预算的90.00%。",
         {"s.i": "45.00", "s.a": "40.50", "s.p": "90.00", "s.basis": "initial"}),
    Case("stray_point", f"{S}预算为123.4. 万元，支出决算为100.2. 万元，完成预算的81.20%。",
         {"s.u": "123.40", "s.a": "100.20", "s.p": "81.20", "s.basis": "unqualified"}),
    Case("html_residue", f"<![endif]>{S}年初预算为6.00万元，<![endif]>支出决算为5.40万元，完成年初预算的90.00%。",
         {"s.i": "6.00", "s.a": "5.40", "s.p": "90.00", "s.basis": "initial"}),
    Case("full_width_percent", f"{S}预算为10.00万元，支出决算为9.00万元，完成预算的90.00％。",
         {"s.u": "10.00", "s.a": "9.00", "s.p": "90.00", "s.basis": "unqualified"}),
    Case("yuan_with_blank", f"{S}预算为 56,000 元，支出决算为 42,000 元，完成预算的75.00%。",
         {"s.u": "5.60", "s.a": "4.20", "s.p": "75.00", "s.basis": "unqualified"}),
    # -- more wordings met in §5–§6: 实际支出, 执行率, 经费/费用, 为0, 一般公共预算支出, 超预算 ----------------------
    Case("actual_worded_as_spent", "2022年三公经费年初预算为20.00万元，实际支出16.40万元，完成年初预算的82.00%。",
         {"s.i": "20.00", "s.a": "16.40", "s.p": "82.00", "s.basis": "initial"}),
    Case("execution_rate", f"{S}预算为35.00万元，决算为31.50万元，预算执行率为90.00%。",
         {"s.u": "35.00", "s.a": "31.50", "s.p": "90.00", "s.basis": "unqualified"}),
    Case("item_names_with_jingfei", f"{S}决算为14.00万元。其中：因公出国（境）"
         "经费支出4.00万元；公务用车购置及运行维护费用"
         "支出6.00万元；公务接待费用支出4.00万元。",
         {"s.a": "14.00", "o.a": "4.00", "v.a": "6.00", "r.a": "4.00"}),
    Case("zero_without_unit", f"{S}决算为2.00万元，其中：因公出国（境）费支出决算为0；公务接待费支出决算为2.00万元。",
         {"s.a": "2.00", "o.a": "0.00", "r.a": "2.00"}),
    Case("gpb_without_caibo", "一般公共预算支出年初预算为1,020.00万元，支出决算为1,009.80万元，完成年初预算的99.00%。",
         {"g.i": "1020.00", "g.a": "1009.80", "g.p": "99.00", "g.basis": "initial"}),
    Case("over_budget", f"{S}年初预算为10.00万元，支出决算为10.80万元，超预算0.80万元。",
         {"s.i": "10.00", "s.a": "10.80", "s.d": "0.80"}),
    Case("rate_as_share_of_budget", "一般公共预算财政拨款支出决算数为650.00万元，为年初预算的104.00%。",
         {"g.a": "650.00", "g.p": "104.00", "g.basis": "initial"}),
    Case("budget_in_a_sentence_of_its_own", f"本年度{S}年初预算为31.00万元。{S}决算为29.45万元，完成年初预算的95.00%。",
         {"s.i": "31.00", "s.a": "29.45", "s.p": "95.00", "s.basis": "initial"}),
    Case("unit_slip", f"{S}预算为123,456.00万元，支出决算为11.23万元，完成预算的90.97%。",
         {"s.u": "123456.00", "s.a": "11.23", "s.p": "90.97", "s.basis": "unqualified"}),
    Case("gpb_difference_after_rate", "一般公共预算财政拨款支出年初预算为300.00"
         "万元，支出决算为330.00万元，完成年初预算的"
         "110.00%，决算数大于预算数30.00万元。",
         {"g.i": "300.00", "g.a": "330.00", "g.p": "110.00", "g.basis": "initial", "g.d": "30.00"}),
    Case("item_budget_compared_in_yoy_words", "其中：1、一般公共服务支出（类）财政事务（款"
         "）行政运行（项）。支出决算为55.00万元，"
         "与2023年度预算相比，减少5.00万元，下降8.33%。",
         {"x:一般公共服务支出/财政事务/行政运行.a": "55.00", "x:一般公共服务支出/财政事务/行政运行.d": "-5.00"}),
    Case("half_width_everything", '"三公"经费支出年初预算为4.40万元,支出决算为3.96万元,完成年初预算的90.00%;其中:'
         "公务接待费支出年初预算为4.40万元,支出决算为3.96万元。",
         {"s.i": "4.40", "s.a": "3.96", "s.p": "90.00", "s.basis": "initial", "r.b": "4.40", "r.a": "3.96"}),
]

_STATEMENT_FIELDS = {"i": "initial_budget", "f": "full_year_budget", "u": "unqualified_budget", "a": "actual",
                     "p": "completion_pct", "d": "budget_difference", "basis": "budget_basis"}
_ITEMS = {"overseas": "o", "vehicle_total": "v", "vehicle_purchase": "vp", "vehicle_operation": "vo",
          "reception": "r"}


def pages_of(text: str, number: int = 5) -> list:
    """One page whose lines are the passage's lines (`\\n` a printed line break)."""
    from etl.pagesource.page import Page, Word

    words = [Word(line, 60.0, 60.0 + 14 * max(len(line), 1), 90.0 + 22 * i, 104.0 + 22 * i)
             for i, line in enumerate(text.split("\n"))]
    return [Page(number, 595.0, 842.0, words)]


def read(text: str) -> dict[str, object]:
    """What the narrative reader reads from a passage, under the keys of `Case.expected` (figures as Decimal).
    Only public readers are used, so the same harness measures an older reader (fields it lacks are absent)."""
    from etl.parsing import narrative_sangong
    from etl.parsing.narrative import gpb_total_statement, item_statements, narrative_text, sangong_total_statement
    from etl.parsing.narrative_sangong import read_sangong_narrative

    pages = pages_of(text)
    joined, marks = narrative_text(pages)
    out: dict[str, object] = {}
    for prefix, statement in (("g", gpb_total_statement(joined, marks)), ("s", sangong_total_statement(joined, marks))):
        _put(out, prefix, statement)
    for statement in item_statements(joined, marks):
        _put(out, f"x:{statement.path}", statement)
    for row in read_sangong_narrative(pages):
        if row["item"] in _ITEMS:
            for side, key in (("budget", "b"), ("actual", "a")):
                if row.get(side) is not None:
                    out[f"{_ITEMS[row['item']]}.{key}"] = row[side]
    item_statements_of = getattr(narrative_sangong, "read_sangong_item_statements", lambda pages: [])
    for statement in item_statements_of(pages):  # rates and differences only: budget and actual are the row's
        for key, name in (("p", "completion_pct"), ("d", "budget_difference")):
            if getattr(statement, name) is not None:
                out[f"{_ITEMS[statement.path]}.{key}"] = getattr(statement, name)
    return out


def _put(out: dict, prefix: str, statement) -> None:
    if statement is None:
        return
    for key, name in _STATEMENT_FIELDS.items():
        value = getattr(statement, name, None)
        if value is not None:
            out[f"{prefix}.{key}"] = value


def is_figure(key: str) -> bool:
    return not key.endswith(".basis")


def score(cases: list[Case] = CASES) -> tuple[int, int, list[str]]:
    """(figures read exactly, figures stated + figures read that are not stated, the misses)."""
    from decimal import Decimal

    hits, total, misses = 0, 0, []
    for n, case in enumerate(cases):
        got = read(case.text)
        want = {k: Decimal(v) for k, v in case.expected.items() if is_figure(k)}
        extra = {k: v for k, v in got.items() if is_figure(k) and k not in want}
        for key, value in want.items():
            total += 1
            if got.get(key) == value:
                hits += 1
            else:
                misses.append(f"#{n} {case.form} {key}: want {value}, got {got.get(key)}")
        for key, value in extra.items():
            total += 1
            misses.append(f"#{n} {case.form} {key}: not stated, read {value}")
    return hits, total, misses


if __name__ == "__main__":  # measure any checkout's reader: PYTHONPATH=<checkout> python tests/narrative_sentences.py
    hits, total, misses = score()
    print("\n".join(misses))
    print(f"{len(CASES)} passages, {hits}/{total} figures read exactly = {hits / total:.3f}")
