"""The report's text: 概况, the 情况说明 statements a parser reads, 名词解释 — with regional wordings.

Returns blocks: ("part", text) part titles, ("h", text) headings, ("p", text) paragraphs,
("table", TableSpec) an inline table; and records the narrative figures for the truth.
"""

from __future__ import annotations

import re

from etl.sample import catalog as cat
from etl.sample import claim_errors
from etl.sample.audit_errors import Injected, variant
from etl.sample.figures import Printed, pct
from etl.sample.fmt import pct as fpct
from etl.sample.fmt import wan
from etl.sample.layout import Layout
from etl.sample.render_tables import Col, HCell, TableSpec
from etl.sample.totals_errors import joined_totals, stray_point

REASONS_LESS = [
    "严格控制一般性支出，厉行节约",
    "人员变动引起实际支出低于预算",
    "部分项目根据实际进度调整支付",
    "政府采购节约资金",
    "预算按充分保障预估，实际执行基本贴合预期",
]
REASONS_MORE = [
    "年中追加人员经费调整支出",
    "年中新增专项工作任务经费",
    "根据国家政策调整基本工资及社会保险缴费基数",
    "使用上年结转资金安排支出",
]


#: Audit errors printed into the plain wording's sentences (its completion rate, its 决算数大于/小于预算数).
PLAIN_WORDING_ERRORS = {"completion_pct_wrong", "comparison_word_wrong", "blank_table_with_narrative_figures",
                        *claim_errors.RATED_ERRORS}
#: How the department total's completion is worded (template-variants catalogue §5–§6).
GPB_WORDINGS = ("initial", "budget_after", "unqualified", "difference", "yuan")
#: More of §6, printed only where a family forces them (Layout.gpb_wording): 决算数为Y，完成预算Z% with no
#: budget; 全年预算 defined as 按规定程序调整后的全年预算数; a bare 财政拨款支出 under the 一般公共预算 heading
#: with a whole-万元 年初预算数.
GPB_FORCED_WORDINGS = ("rate_no_budget", "full_year_defined", "under_heading", "items_rate_only")
#: The department total as in the 年初 wording, each 项 as 支出决算为X万元，完成预算Z%，决算数与预算数持平/大于/小于
#: (§6 per item: a rate without 的 and with no budget figure).
ITEMS_RATE_ONLY = "items_rate_only"
#: How the 三公 total is worded: 年初预算 / unqualified 预算 / budget after 完成 / a difference only / no budget.
SANGONG_WORDINGS = ("initial", "unqualified", "budget_after", "difference_only", "no_budget")
#: More 三公 wordings of catalogue §5, printed only where a family forces them (Layout.sangong_wording), so the
#: seed-drawn choice above, and with it the default corpus, is unchanged: 完成预算Z% without 的; a rate with no
#: budget figure; a difference and its percent; budget and actual compared in words (决算数未超过预算数).
SANGONG_FORCED_WORDINGS = ("rate_no_de", "rate_no_budget", "difference_pct", "word_comparison")
#: How the 三公 total's year-on-year sentence is worded (§5), forced only (Layout.sangong_yoy_wording): a percent
#: only; a 0 prior year (增长--（基数为0，不可比）) with a second base, 2019 (疫情前); a negative after 下降.
SANGONG_YOY_WORDINGS = ("pct_only", "zero_base", "negative_decline")
#: The pre-pandemic year a zero_base sentence compares with besides last year.
PRE_PANDEMIC = 2019


_SANGONG_PARTS = (("因公出国（境）费", "overseas"), ("公务用车购置及运行维护费", "vehicle_total"),
                  ("公务接待费", "reception"))


def _rate(actual: int, budget: int) -> str:
    """完成预算的 Z%, or no rate on a 0 budget (`--%（基数为0，不可比）`)."""
    return f"{fpct(pct(actual, budget))}%" if budget else "--%（基数为0，不可比）"


def rated_item(item: str, actual: int, budget: int, basis: str = "unqualified") -> dict:
    """The truth of a 三公 item's budget statement (budget_execution scope sangong_item) whose clause prints a budget
    or a rate: the rate as printed (none on a 0 budget), the basis it is against."""
    rate = float(fpct(pct(actual, budget))) if budget else None
    return {"item": item, "completion_pct": rate, "budget_basis": basis if rate is not None else None,
            "budget_difference": None}


def yuan(c: int) -> str:
    """An amount of c hundredths of 万元 printed in 元 with thousands separators (1 万元 = 10,000 元)."""
    return f"{c * 100:,}.00"


def _cmp(a: int, b: int) -> tuple[str, str, str]:
    """(增加/减少, 增长/下降, 大于/小于) of a vs b."""
    return ("增加", "增长", "大于") if a >= b else ("减少", "下降", "小于")


def _change(a: int, b: int) -> str:
    inc, grow, _ = _cmp(a, b)
    if a == b:
        return "持平"
    return f"{inc}{wan(abs(a - b))}万元，{grow}{fpct(pct(abs(a - b), b) if b else 100.0)}%"


def _yoy_truth(scope: str, path: str | None, a: int, b: int | None, change: bool = True, rate: bool = True) -> dict:
    """The truth of a year-on-year statement of a (this year) against b (the prior year it states), in cents:
    the printed change and rate, signed (持平 0 and 0), and the prior value the statement means."""
    up = a >= b if b is not None else True
    r = (0.0 if a == b else float(fpct(pct(abs(a - b), b) if b else 100.0))) if b is not None else None  # 持平
    return {"scope": scope, "path": path, "actual": a / 100,
            "change": (a - b) / 100 if change and b is not None else None,
            "change_pct": (r if up else -r) if rate and r is not None else None,
            "prior": b / 100 if b is not None else None}


def _printed_yoy(scope: str, a: int, printed: str) -> dict:
    """The truth of a change printed in a wording an audit error may have altered (its figures as printed):
    the prior it implies is this year's less the printed change."""
    if printed == "持平":
        return {"scope": scope, "path": None, "actual": a / 100, "change": 0.0, "change_pct": 0.0, "prior": a / 100}
    c = re.search(r"(增加|减少)([\d,.]+)万元", printed)
    r = re.search(r"(增长|下降)([\d.]+)%", printed)
    change = float(c.group(2).replace(",", "")) * (-1 if c.group(1) == "减少" else 1) if c else None
    return {"scope": scope, "path": None, "actual": a / 100, "change": change,
            "change_pct": float(r.group(2)) * (-1 if r.group(1) == "下降" else 1) if r else None,
            "prior": round(a / 100 - change, 2) if change is not None else None}


_SANGONG_YOY_PARTS = (("因公出国（境）费", "overseas"), ("公务用车购置及运行维护费", "vehicle_total"),
                      ("公务接待费", "reception"))


def restates_prior(dept: str, year: int) -> bool:
    """The department-years whose gpb_total year-on-year statement states a restated prior year (3 % above the
    prior report's own figure): about one in nine, never the first year of a panel."""
    return year > 2019 and variant(f"{dept}|{year}|restated", 9) == 0


#: the counts of 其他重要事项 (机关运行经费, 政府采购, 国有资产): a report without that part prints none of them
OTHER_MATTERS_COUNTS = {"admin_operation_cost", "procurement_total", "procurement_goods", "procurement_works",
                        "procurement_services", "procurement_sme", "vehicles_owned", "equipment_over_100"}


class Narrative:
    def __init__(
        self, p: Printed, lay: Layout, dept: str, dept_key: str, year: int, rng, error: str | None = None,
        region: str = "",
    ):
        self.p, self.lay, self.dept, self.key, self.year, self.rng = p, lay, dept, dept_key, year, rng
        self.truth: dict = {"prior_year_statements": []}
        self.t = lay.thousands  # narratives mostly follow the tables' separators
        self.error, self.region = error, region  # an audit error to print (audit_errors.AUDIT_ERRORS)
        self.injected: Injected | None = None  # set where the text carries it

    def _yoy(self, scope: str, path: str | None, a: int, b: int) -> str:
        """_change(a, b) as printed, its truth recorded."""
        self.truth["prior_year_statements"].append(_yoy_truth(scope, path, a, b))
        return _change(a, b)

    def _gpb_prior(self) -> int:
        """Last year's 一般公共预算财政拨款支出 as this report states it: the prior report's figure, or 3 % above
        it where this department-year restates its prior year (recorded in the truth)."""
        prev = self.p.prev["gpb"]
        if not restates_prior(self.dept, self.year):
            return prev
        stated = prev + prev * 3 // 100
        self._restated("gpb_total", stated, prev)
        return stated

    def _restated(self, scope: str, stated: int, reported: int) -> None:
        """Record in the truth that a year-on-year statement states a prior differing from last year's report."""
        if stated != reported:
            self.truth.setdefault("prior_year_restated", []).append(
                {"scope": scope, "stated_prior": stated / 100, "reported_prior": reported / 100})

    def _variant(self, n: int) -> int:
        return variant(f"{self.dept}|{self.year}|{self.error}", n)

    def _wording(self, kind: str, options: tuple[str, ...]) -> str:
        """The layout's wording, else one chosen per document; the plain wording where an audit error is printed
        into its sentences."""
        chosen = getattr(self.lay, f"{kind}_wording", None)
        if chosen is not None:
            return chosen
        if self.error in PLAIN_WORDING_ERRORS:
            return options[0]
        return options[variant(f"{self.dept}|{self.year}|{kind}-wording", len(options))]

    def w(self, c: int) -> str:
        return wan(c, self.t)

    def count(self, kind: str, value: float, unit: str, scope: str | None = None) -> None:
        """Record a count or scale the text prints (the truth's `counts`, etl/parsing/narrative_counts)."""
        self.truth.setdefault("counts", []).append({"kind": kind, "scope": scope, "value": value, "unit": unit})

    def _pick(self, what: str, n: int) -> int:
        """A wording chosen per document by hashing, never from rng: the seed-drawn corpus stays as it was."""
        return variant(f"{self.dept}|{self.year}|{what}", n)

    def staff(self) -> str:
        """人员情况 in one of the real wordings, or absent (a third of the reports print none)."""
        authorised = 8 + self._pick("staff-authorised", 120)
        actual = authorised - self._pick("staff-vacant", 4)
        wording = self._pick("staff-wording", 3)
        if wording == 2:
            return ""
        self.count("staff_authorised", authorised, "人")
        self.count("staff_actual", actual, "人")
        return (f"年末人员编制{authorised}人，实有人数{actual}人。" if wording == 0 else
                f"本部门编制人数为{authorised}名，实有人员{actual}名。")

    def overview(self) -> list:
        d, y = self.dept, self.year
        units = self.rng.randint(1, 4)
        head = f"第一部分 {d}概况"
        if self.error == "placeholder_name":
            ph = ("XX", "××")[self._variant(2)]
            head = f"第一部分 {self.region}{ph}局概况"
            detail = f"第一部分标题的部门名称为占位符：{self.region}{ph}局（应为{d}）"
            self.injected = Injected(self.error, detail, head)
        self.count("units_consolidated", units, "个")
        staff = self.staff()
        return [
            ("part", head),
            ("h", "一、主要职能"),
            (
                "p",
                f"{d}是主管本区{self.key.replace('局', '').replace('委员会', '')}工作的部门。主要职责是：贯彻执行国家、"
                "省、市有关方针政策和法律法规，拟订本区相关政策措施并组织实施；负责本行业、本领域的统筹规划、"
                "监督管理和公共服务工作；完成区委、区政府交办的其他任务。",
            ),
            ("h", "二、部门决算单位构成"),
            (
                "p",
                f"纳入{d}{y}年度部门决算编制范围的单位共{units}个，包括：{d}本级"
                + (f"和下属{units - 1}个事业单位。" if units > 1 else "。") + staff,
            ),
        ]

    def statements(self) -> list:
        p, lay, d, y = self.p, self.lay, self.dept, self.year
        rng = self.rng
        head = f"第三部分 {d}{y}年度部门决算情况说明"
        if self.error == "heading_wrong_year" and not self._variant(2):
            head = f"第三部分 {d}{y - 1}年度部门决算情况说明"
            self.injected = Injected(self.error, f"第三部分标题写{y - 1}年度，报告年度为{y}年", head)
        out: list = [("part", head)]
        # 一 总体
        out.append(("h", "一、收入支出决算总体情况说明"))
        gt = p.grand_total
        if self.error == "narrative_total_mismatch":
            gt = (0, gt - gt // 10)[self._variant(2)]
            self.injected = Injected(
                self.error,
                f"情况说明收入、支出总计{self.w(gt)}万元，收入支出决算总表总计{self.w(p.grand_total)}万元",
                f"收入、支出总计均为{self.w(gt)}万元",
            )
        out.append(
            (
                "p",
                f"{d}{y}年度{self._totals(gt)}。与{y - 1}年度相比，收入、支出总计"
                f"{self._yoy('grand_total', None, gt, p.prev['grand_total'])}。主要原因：{rng.choice(REASONS_MORE)}。",
            )
        )
        out.append(("h", "二、收入决算情况说明"))
        s = (
            f"本年收入合计{self.w(p.income_total)}万元，其中：财政拨款收入{self.w(p.gpb_income + p.gf_income)}万元，"
            f"占{fpct(pct(p.gpb_income + p.gf_income, p.income_total))}%"
        )
        if p.other_income:
            s += f"；其他收入{self.w(p.other_income)}万元，占{fpct(pct(p.other_income, p.income_total))}%"
        out.append(("p", s + "。"))
        out.append(("h", "三、支出决算情况说明"))
        bt, pt, et = p.extra["basic_total"], p.extra["project_total"], p.expenditure_total
        bshare = pct(bt, et)
        if self.error == "share_wrong":
            right = bshare
            bshare = float(f"{right - 10 if right > 20 else right + 10:.2f}")
            self.injected = Injected(
                self.error,
                f"基本支出{self.w(bt)}万元占本年支出合计{self.w(et)}万元的{fpct(bshare)}%，应为{fpct(right)}%",
                f"基本支出{self.w(bt)}万元，占{fpct(bshare)}%",
            )
        out.append(
            (
                "p",
                f"本年支出合计{self.w(et)}万元，其中：基本支出{self.w(bt)}万元，占{fpct(bshare)}%；"
                f"项目支出{self.w(pt)}万元，占{fpct(pct(pt, et))}%。",
            )
        )
        out.append(("h", "四、财政拨款收入支出决算总体情况说明"))
        ft = p.extra["fiscal_total"]
        out.append(
            (
                "p",
                f"{d}{y}年度财政拨款收入支出总计{self.w(ft)}万元。与{y - 1}年度相比，财政拨款收入支出总计"
                + self._yoy("fiscal_total", None, ft, p.prev["fiscal_total"])
                + f"。主要原因：{rng.choice(REASONS_MORE)}。",
            )
        )
        # 五 一般公共预算
        out.append(("h", "五、一般公共预算财政拨款支出决算情况说明"))
        g = p.gpb_rows[0].values[0]
        out.append(("h", "（一）一般公共预算财政拨款支出决算总体情况"))
        out.append(
            (
                "p",
                f"一般公共预算财政拨款支出{self.w(g)}万元，占本年支出合计的{fpct(pct(g, et))}%。与{y - 1}年度相比，"
                "一般公共预算财政拨款支出" + self._yoy("gpb_total", None, g, self._gpb_prior())
                + f"。主要原因：{rng.choice(REASONS_MORE)}。",
            )
        )
        out.append(("h", "（二）一般公共预算财政拨款支出决算结构情况"))
        parts = [
            f"{r.name}（类）{self.w(r.values[0])}万元，占{fpct(pct(r.values[0], g))}%"
            for r in p.gpb_rows
            if r.level == "class"
        ]
        out.append(("p", f"一般公共预算财政拨款支出{self.w(g)}万元，主要用于以下方面：" + "；".join(parts) + "。"))
        out.append(("h", "（三）一般公共预算财政拨款支出决算具体情况"))
        out += self._budget_execution()
        # 六 基本支出
        out.append(("h", "六、一般公共预算财政拨款基本支出决算情况说明"))
        gb = p.gpb_rows[0].values[1]
        out.append(
            (
                "p",
                f"一般公共预算财政拨款基本支出{self.w(gb)}万元。其中：人员经费{self.w(p.personnel_cost)}万元，"
                "主要包括：基本工资、津贴补贴、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、住房公积金等；"
                f"公用经费{self.w(p.public_cost)}万元，主要包括：办公费、印刷费、邮电费、差旅费、维修（护）费、"
                "劳务费、委托业务费、工会经费、福利费、其他交通费用等。",
            )
        )
        out += self._sangong()
        out.append(("h", "八、政府性基金预算财政拨款收入支出决算情况说明"))
        if p.gf_income:
            out.append(
                (
                    "p",
                    f"{d}{y}年度政府性基金预算财政拨款收入{self.w(p.gf_income)}万元，支出"
                    f"{self.w(p.gf_income)}万元，主要用于{self.p.gf_rows[-1].name}。",
                )
            )
        else:
            out.append(("p", f"{d}{y}年度无政府性基金预算财政拨款收入和支出。"))
        if lay.state_capital:
            out.append(("h", "九、国有资本经营预算财政拨款收入支出决算情况说明"))
            out.append(("p", f"{d}{y}年度无国有资本经营预算财政拨款收入和支出。"))
        out += self._other()
        return out

    def _totals(self, gt: int) -> str:
        """The 收入/支出总计 clause: 均为 X, or (catalogue §8) both totals joined by a half-width comma."""
        if self.lay.totals_wording == "comma_joined" or self.error == "joined_totals_differ":
            clause, injected = joined_totals(self.error, f"{self.dept}|{self.year}|{self.error}", gt, self.w)
            self.injected = injected or self.injected
            return clause
        return f"收入、支出总计均为{self.w(gt)}万元"

    def _budget_execution(self) -> list:
        p, lay, y, rng = self.p, self.lay, self.year, self.rng
        v = lay.narrative_variant
        a, i, f = p.gpb_actual_narrative, p.gpb_initial, p.gpb_full_year
        z = pct(a, i)
        more = _cmp(a, i)[2]
        full = lay.full_year_budget
        if self.error == "completion_pct_wrong":
            right = z
            z = float(f"{right - 7.35 if right > 50 else right + 7.35:.2f}")
            self.injected = Injected(
                self.error,
                f"一般公共预算财政拨款支出决算{self.w(a)}万元、年初预算{self.w(i)}万元，"
                f"完成年初预算的{fpct(z)}%，应为{fpct(right)}%",
                f"完成年初预算的{fpct(z)}%",
            )
        z = claim_errors.gpb_full_completion(self, z)
        word = more
        if self.error == "comparison_word_wrong" and not (lay.family == "gz" and v == 1) and a != i:
            word = ("小于" if more == "大于" else "大于", "等于")[self._variant(2)]
            self.injected = Injected(
                self.error,
                f"一般公共预算财政拨款支出决算{self.w(a)}万元、年初预算{self.w(i)}万元，文字写决算数{word}预算数",
                f"决算数{word}预算数",
            )
        if lay.family == "gz" and v == 1:
            s = (
                f"{y}年度一般公共预算财政拨款支出年初预算{self.w(i)}万元，"
                f"支出决算{self.w(a)}万元，完成年初预算的{fpct(z)}%。其中："
            )
            full = False
        else:
            reason = rng.choice(REASONS_LESS if more == "小于" else REASONS_MORE)
            s, record = self._gpb_sentence(self._wording("gpb", GPB_WORDINGS), fpct(z), word, reason)
            full = full and record.pop("full", True)
        truth = {"initial_budget": i / 100, "full_year_budget": f / 100 if full else None, "actual": a / 100,
                 "completion_pct": z, "unqualified_budget": None, "budget_basis": "initial", "budget_difference": None}
        if not (lay.family == "gz" and v == 1):
            truth.update(record)
        self.truth["gpb_budget_execution"] = truth
        out = [("p", s)]
        items = []
        for n, it in enumerate(p.item_exec, 1):
            kl, se, nm = it["path"].split("/")
            ia, ii, iff = it["actual"], it["initial"], it["full_year"]
            iz = pct(ia, ii)
            purpose = cat.ITEM_PURPOSE.get(it["code"]) or cat.ITEM_PURPOSE.get(it["code"][-2:]) or f"{nm}相关工作支出"
            cmpw = "与预算数持平" if ia == ii else f"{_cmp(ia, ii)[2]}预算数"
            reason = rng.choice(REASONS_LESS if ia < ii else REASONS_MORE)
            head = f"{kl}（类）{se}（款）{nm}（项）"
            rec = {
                "path": it["path"],
                "initial_budget": None,
                "full_year_budget": None,
                "actual": ia / 100,
                "completion_pct": None,
            }
            if claim_errors.item_full_completion(self, it):  # 年初预算 printed, 100% while exceeded
                rec |= {"initial_budget": ii / 100, "completion_pct": 100.0}
                s = (f"{f'（{n}）' if lay.family == 'gz' else f'{n}、'}{head}年初预算为{self.w(ii)}万元，"
                     f"支出决算为{self.w(ia)}万元，完成年初预算的100.00%。决算数大于预算数的主要原因：{reason}。")
            elif lay.family == "gz":
                s = f"（{n}）{head}支出{self.w(ia)}万元"
                if lay.item_pct:
                    s += f"，完成年初预算的{fpct(iz)}%"
                    rec["completion_pct"] = iz
                s += "。" + ("" if ia == ii else f"预决算产生差异的主要原因：{reason}。")
            elif lay.gpb_wording == ITEMS_RATE_ONLY:
                s = (f"{n}、{head}。主要用于：{purpose}。支出决算为{self.w(ia)}万元，完成预算{fpct(iz)}%，"
                     f"决算数{cmpw}。" + ("" if ia == ii else f"主要原因：{reason}。"))
                rec["completion_pct"] = iz
            else:
                s = f"{n}、{head}。主要用于：{purpose}。年初预算为{self.w(ii)}万元，"
                rec["initial_budget"] = ii / 100
                if lay.full_year_budget:
                    s += f"全年预算为{self.w(iff)}万元，"
                    rec["full_year_budget"] = iff / 100
                s += f"支出决算为{self.w(ia)}万元"
                if lay.item_pct:
                    s += f"，完成年初预算的{fpct(iz)}%"
                    rec["completion_pct"] = iz
                s += "。" + (f"决算数{cmpw}。" if ia == ii else f"决算数{cmpw}的主要原因：{reason}。")
            items.append(rec)
            out.append(("p", s))
        self.truth["item_budget_execution"] = items
        return out

    def _gpb_sentence(self, wording: str, z: str, word: str, reason: str) -> tuple[str, dict]:
        """The department total's sentence in one wording (z the rate printed, an audit error's where one is
        injected), and how its truth differs from the 年初 wording's."""
        a, i, f, lay = self.p.gpb_actual_narrative, self.p.gpb_initial, self.p.gpb_full_year, self.lay
        g = "一般公共预算财政拨款支出"
        tail = f"决算数{word}预算数的主要原因：{reason}。其中："
        if wording == "budget_after":
            return f"{g}决算为{self.w(a)}万元，完成年初预算{self.w(i)}万元的{z}%。{tail}", {"full": False}
        if wording == "unqualified":
            return (f"{g}预算为{self.w(i)}万元，支出决算为{self.w(a)}万元，完成预算的{z}%。{tail}",
                    {"full": False, "initial_budget": None, "unqualified_budget": i / 100,
                     "budget_basis": "unqualified"})
        if wording in GPB_FORCED_WORDINGS and wording != ITEMS_RATE_ONLY:
            return self._gpb_forced(wording, z, tail)
        if wording == "difference" and a != i:
            return (f"{g}年初预算为{self.w(i)}万元，支出决算为{self.w(a)}万元，完成年初预算{z}%，决算数{word}预算数"
                    f"{self.w(abs(a - i))}万元。主要原因：{reason}。其中：",
                    {"full": False, "budget_difference": (a - i) / 100})
        full = f"全年预算为{yuan(f)}元，" if lay.full_year_budget else ""
        if wording == "yuan":
            return f"{g}年初预算为{yuan(i)}元，{full}支出决算为{yuan(a)}元，完成年初预算的{z}%。{tail}", {}
        full = f"全年预算为{self.w(f)}万元，" if lay.full_year_budget else ""
        return f"{g}年初预算为{self.w(i)}万元，{full}支出决算为{self.w(a)}万元，完成年初预算的{z}%。{tail}", {}

    def _gpb_forced(self, wording: str, z: str, tail: str) -> tuple[str, dict]:
        """_gpb_sentence's GPB_FORCED_WORDINGS: the sentence and how its truth differs from the 年初 wording's."""
        a, i, f = self.p.gpb_actual_narrative, self.p.gpb_initial, self.p.gpb_full_year
        g = "一般公共预算财政拨款支出"
        if wording == "rate_no_budget":
            return (f"{g}决算数为{self.w(a)}万元，完成预算{z}%。{tail}",
                    {"full": False, "initial_budget": None, "budget_basis": "unqualified"})
        if wording == "full_year_defined":
            zf = pct(a, f)
            return (f"{g}年初预算为{self.w(i)}万元，按规定程序调整后的全年预算数为{self.w(f)}万元，支出决算为"
                    f"{self.w(a)}万元，完成全年预算的{fpct(zf)}%。{tail}",
                    {"full": False, "full_year_budget": f / 100, "completion_pct": zf, "budget_basis": "full_year"})
        whole = (i + 50) // 100 * 100  # the 年初预算数 in whole 万元
        zw = pct(a, whole)
        return (f"财政拨款支出年初预算数为{whole // 100:,}万元，支出决算数为{self.w(a)}万元，"
                f"完成年初预算的{fpct(zw)}%。{tail}",
                {"full": False, "initial_budget": whole / 100, "completion_pct": zw})

    def _sangong(self) -> list:
        p, lay, d, y = self.p, self.lay, self.dept, self.year
        b, a = p.sangong_budget, p.sangong_actual
        out = [("h", "七、财政拨款“三公”经费支出决算情况说明"), ("h", "（一）“三公”经费财政拨款支出决算总体情况说明")]
        z = pct(a["total"], b["total"]) or 0.0
        zs = {k: pct(a[k], b[k]) or 0.0 for k in b}
        wrong = claim_errors.sangong_rates(self)
        if lay.family == "gz":
            z, zs = wrong.get("total", z), zs | wrong
            s = (
                f"{d}{y}年度“三公”经费财政拨款支出决算为{self.w(a['total'])}万元，完成预算{self.w(b['total'])}万元的"
                f"{fpct(z)}%。其中：因公出国（境）费支出决算为{self.w(a['overseas'])}万元，完成预算"
                f"{self.w(b['overseas'])}万元的{fpct(zs['overseas'])}%；公务用车购置及运行费支出决算为"
                f"{self.w(a['vehicle_total'])}万元，完成预算{self.w(b['vehicle_total'])}万元的{fpct(zs['vehicle_total'])}%；"
                f"公务接待费支出决算为{self.w(a['reception'])}万元，完成预算{self.w(b['reception'])}万元的"
                f"{fpct(zs['reception'])}%。"
            )
        else:
            wording = self._wording("sangong", SANGONG_WORDINGS)
            differs = a["total"] != b["total"] and (wording != "difference_pct" or b["total"])
            s, stated = self._sangong_sentence(wording if wording not in ("difference_only", "difference_pct")
                                               or differs else "no_budget", wrong)
        s, injected = stray_point(self.error, s, self.w(a["total"]))  # a scored figure: read past the point
        self.injected = injected or self.injected
        word = _cmp(a["total"], b["total"])[2]
        if self.error == "comparison_word_wrong" and self.injected is None and a["total"] != b["total"]:
            word = ("小于" if word == "大于" else "大于", "等于")[self._variant(2)]
            self.injected = Injected(
                self.error,
                f"“三公”经费支出决算{self.w(a['total'])}万元、预算{self.w(b['total'])}万元，文字写决算数{word}预算数",
                f"“三公”经费支出决算数{word}预算数",
            )
        if lay.family == "gz":
            stated = {"budget_total": b["total"] / 100, "completion_pct": z, "budget_basis": "unqualified",
                      "budget_difference": None}
            # a 0 budget still prints 完成预算0.00万元的0.00%: a rate of 0
            self.truth["sangong_item_execution"] = [
                {**rated_item(k, a[k], b[k]), "completion_pct": float(fpct(zs[k])), "budget_basis": "unqualified"}
                for k in ("overseas", "vehicle_total", "reception")]
        compared = stated["budget_total"] is not None or stated["budget_difference"] is not None
        out.append(
            (
                "p",
                s + (f"{y}年度“三公”经费支出决算数{word}预算数的主要原因：" if compared else "主要原因：")
                + "认真贯彻落实中央八项规定精神和厉行节约要求，从严控制“三公”经费开支。",
            )
        )
        prev = p.prev["sangong_total"]
        yoy = {"change_vs_last_year": (a["total"] - prev) / 100,
               "change_pct_vs_last_year": (pct(a["total"] - prev, prev) if prev else None)}
        if lay.sangong_yoy_wording:
            text, yoy = self._sangong_yoy(lay.sangong_yoy_wording, a["total"], prev)
            out.append(("p", text))
        else:
            out.append(
                (
                    "p",
                    f"与上年相比，{y}年度“三公”经费财政拨款支出决算数比{y - 1}年度"
                    + self._yoy("sangong_total", None, a["total"], prev) + "。"
                    + "其中：" + "；".join(
                        f"{label}支出决算{self._yoy('sangong_item', k, a[k], p.prev[f'sangong_{k}'])}"
                        for label, k in _SANGONG_YOY_PARTS) + "。",
                )
            )
        out.append(("h", "（二）“三公”经费财政拨款支出决算具体情况说明"))
        out.append(
            (
                "p",
                f"1．因公出国（境）费支出{self.w(a['overseas'])}万元。{claim_errors.trips(self)}"
                f"2．公务用车购置及运行维护费支出{self.w(a['vehicle_total'])}万元，其中：公务用车购置费"
                f"{self.w(a['vehicle_purchase'])}万元{claim_errors.purchase_rate(self)}，公务用车运行维护费"
                f"{self.w(claim_errors.vehicle_operation(self))}万元，"
                f"年末公务用车保有量为{p.extra['vehicles']}辆。{self._purchased(a['vehicle_purchase'])}"
                f"3．公务接待费支出{self.w(a['reception'])}万元。{self._receptions(a['reception'])}",
            )
        )
        self.count("vehicles_held", p.extra["vehicles"], "辆")
        out += claim_errors.sangong_shares(self)
        self.truth["sangong_narrative"] = {
            **stated,
            "actual_total": a["total"] / 100,
            **yoy,
        }
        return out

    def _purchased(self, purchase: int) -> str:
        """购置公务用车N辆 where the year bought vehicles (N ≤ the 保有量), in numerals or Chinese numerals."""
        held = self.p.extra["vehicles"]
        if not purchase or not held:
            return ""
        n = 1 + self._pick("vehicles-bought", held)
        self.count("vehicles_purchased", n, "辆")
        return f"本年购置公务用车{'一二三四五'[n - 1] if self._pick('bought-numerals', 2) and n <= 5 else n}辆。"

    def _receptions(self, reception: int) -> str:
        """The 公务接待 counts in the real wordings (catalogue §5): the total with its 外事 part in brackets, 国内 and
        外事 printed apart, the total alone, or none; no batch where nothing was spent."""
        wording = self._pick("reception-wording", 4)
        if wording == 3:
            return ""
        home = (1 + self._pick("reception-batches", 30)) if reception else 0
        abroad = self._pick("reception-foreign", 3) if reception else 0
        home_people, abroad_people = home * (3 + self._pick("reception-size", 6)), abroad * 4
        total, people = home + abroad, home_people + abroad_people
        if wording == 0:
            self.count("reception_batches", total, "批次")
            self.count("reception_people", people, "人次")
            self.count("reception_batches", abroad, "批次", "foreign")
            return f"国内公务接待共{total}批次（其中外事接待{abroad}批次），{people}人次。"
        if wording == 1:
            for scope, n, m in (("domestic", home, home_people), ("foreign", abroad, abroad_people)):
                self.count("reception_batches", n, "批次", scope)
                self.count("reception_people", m, "人次", scope)
            return (f"其中：国内公务接待{home}批次，{home_people}人次；外事接待{abroad}批次，{abroad_people}人次。")
        self.count("reception_batches", total, "批次")
        self.count("reception_people", people, "人次")
        return f"全年公务接待批次为{total}个，接待人次为{people}人。"

    def _sme(self) -> str:
        """授予中小企业合同金额 (half the goods and services, as the 政府采购 table of extras.py), printed by half."""
        if self._pick("sme-wording", 2):
            return ""
        sme = self.p.extra["proc_goods"] // 2 + self.p.extra["proc_services"] // 2
        self.count("procurement_sme", sme / 100, "万元")
        return f"授予中小企业合同金额{self.w(sme)}万元。"

    def _sangong_yoy(self, wording: str, a: int, prev: int) -> tuple[str, dict]:
        """The 三公 total's year-on-year paragraph in a forced wording (SANGONG_YOY_WORDINGS), without the items'
        clause, and what it states: the change and the rate as printed, signed, None where not printed. The
        prior year is the narrative's own figure (printed nowhere else): 0 for zero_base, below this year's for
        negative_decline (a template that prints 下降 whatever the sign)."""
        y = self.year
        head = f"与上年相比，{y}年度“三公”经费财政拨款支出决算数"
        if wording == "zero_base":
            pre = a + a // 3 + 100  # before the pandemic: more than this year
            text = (f"{head}比{y - 1}年度增加{self.w(a)}万元，增长--（基数为0，不可比）；比{PRE_PANDEMIC}年（疫情前）"
                    f"{_change(a, pre)}。")
            self.truth["prior_year_statements"].append(_yoy_truth("sangong_total", None, a, 0, rate=False))
            self._restated("sangong_total", 0, prev)  # a 0 prior year the prior report does not print
            return text, {"change_vs_last_year": a / 100, "change_pct_vs_last_year": None}
        if wording == "negative_decline":
            reported, prev = prev, prev if prev < a else a * 9 // 10
            self._restated("sangong_total", prev, reported)
            up = pct(a - prev, prev) if prev else 100.0
            text = f"{head}比{y - 1}年度减少-{self.w(a - prev)}万元，下降-{fpct(up)}%。"
            self.truth["prior_year_statements"].append(_yoy_truth("sangong_total", None, a, prev))
            return text, {"change_vs_last_year": (a - prev) / 100, "change_pct_vs_last_year": float(fpct(up))}
        grow = _cmp(a, prev)[1]
        rate = pct(abs(a - prev), prev) if prev else 100.0
        signed = float(fpct(rate)) * (1 if grow == "增长" else -1)
        self.truth["prior_year_statements"].append(_yoy_truth("sangong_total", None, a, prev, change=False))
        return (f"{head}较{y - 1}年决算数{grow}{fpct(rate)}%。",
                {"change_vs_last_year": None, "change_pct_vs_last_year": signed if prev else None})

    def _sangong_sentence(self, wording: str, wrong: dict[str, float] | None = None) -> tuple[str, dict]:
        """The 三公 total's sentence (and its parts' actuals) in one wording, and what it states of the budget;
        `wrong` the rates an audit error prints instead (claim_errors.sangong_rates)."""
        b, a, wrong = self.p.sangong_budget, self.p.sangong_actual, wrong or {}
        head, bt, at = "“三公”经费财政拨款支出", self.w(b["total"]), self.w(a["total"])
        rate = f"{fpct(wrong['total'])}%" if "total" in wrong else _rate(a["total"], b["total"])
        stated = {"budget_total": b["total"] / 100, "completion_pct": wrong.get("total", pct(a["total"], b["total"])),
                  "budget_basis": "initial", "budget_difference": None}
        rated = wording in ("initial", "unqualified")
        rates = {k: f"{fpct(wrong[k])}%" if k in wrong else _rate(a[k], b[k]) for _, k in _SANGONG_PARTS}
        parts = "；".join(f"{label}支出决算为{self.w(a[k])}万元" + (f"，完成预算的{rates[k]}" if rated else "")
                         for label, k in _SANGONG_PARTS)
        if wording == "unqualified":
            s = f"{head}预算为{bt}万元，支出决算为{at}万元，完成预算的{rate}"
            stated["budget_basis"] = "unqualified"
        elif wording == "budget_after":
            s = f"{head}决算为{at}万元，完成全年预算{bt}万元的{rate}"
            stated["budget_basis"] = "full_year"
        elif wording == "difference_only":
            inc = _cmp(a["total"], b["total"])[0]
            s = f"{head}决算为{at}万元，比年初预算{inc}{self.w(abs(a['total'] - b['total']))}万元"
            stated = {"budget_total": None, "completion_pct": None, "budget_basis": None,
                      "budget_difference": (a["total"] - b["total"]) / 100}
        elif wording == "rate_no_de":
            s = f"{head}预算为{bt}万元，支出决算为{at}万元，完成预算{rate}"
            stated["budget_basis"] = "unqualified"
        elif wording == "rate_no_budget":
            s = f"{head}决算为{at}万元，完成年初预算的{rate}"
            stated["budget_total"] = None
        elif wording == "difference_pct":
            inc, grow, _ = _cmp(a["total"], b["total"])
            diff = abs(a["total"] - b["total"])
            s = f"{head}决算为{at}万元，比年初预算数{inc}{self.w(diff)}万元，{grow}{fpct(pct(diff, b['total']))}%"
            stated = {"budget_total": None, "completion_pct": None, "budget_basis": None,
                      "budget_difference": (a["total"] - b["total"]) / 100}
        elif wording == "word_comparison":
            over = "超过" if a["total"] > b["total"] else "未超过"
            s = f"本年度“三公”经费预算为{bt}万元，实际支出“三公经费”决算为{at}万元，决算数{over}预算数"
            stated = {"budget_total": b["total"] / 100, "completion_pct": None, "budget_basis": None,
                      "budget_difference": None, "budget_kind": "unqualified"}
        elif wording == "no_budget":
            s = f"{head}决算为{at}万元"
            stated = {"budget_total": None, "completion_pct": None, "budget_basis": None, "budget_difference": None}
        else:
            s = f"{head}年初预算为{bt}万元，支出决算为{at}万元，完成预算的{rate}"
        if stated["completion_pct"] is None:
            stated["budget_basis"] = None  # 0 budget: printed as no rate
        # an item's --% on a 0 budget states nothing against it: no statement
        self.truth["sangong_item_execution"] = [
            rated_item(k, a[k], b[k]) if k not in wrong else
            {"item": k, "completion_pct": wrong[k], "budget_basis": "unqualified", "budget_difference": None}
            for _, k in _SANGONG_PARTS if rated and (b[k] or k in wrong)]
        return f"{s}，其中：{parts}。", stated

    def _other(self) -> list:
        p, lay, d, y = self.p, self.lay, self.dept, self.year
        n = 10 if lay.state_capital else 9
        out = [("h", f"{cat.cn_ordinal(n)}、其他重要事项的情况说明"), ("h", "（一）机关运行经费支出情况")]
        ac = p.extra["agency_cost"]
        change = claim_errors.agency_change(self, ac, _change(ac, p.prev["agency_cost"]))
        if self.error == "stated_change_wrong":
            change = self._wrong_change(ac, p.prev["agency_cost"])
            self.injected = Injected(
                self.error,
                f"机关运行经费支出{self.w(ac)}万元，上年{self.w(p.prev['agency_cost'])}万元，文字写比上年{change}",
                change,
            )
        self.truth["prior_year_statements"].append(_printed_yoy("admin_operation", ac, change))
        out.append(
            (
                "p",
                f"{y}年度本部门机关运行经费支出{self.w(ac)}万元，比{y - 1}年度"
                f"{change}。主要原因：加强日常公用经费管理。",
            )
        )
        self.count("admin_operation_cost", ac / 100, "万元")
        out.append(("h", "（二）政府采购支出情况"))
        out.append(
            (
                "p",
                f"{d}{y}年度政府采购支出总额{self.w(p.extra['proc_total'])}万元，其中：政府采购货物支出"
                f"{self.w(p.extra['proc_goods'])}万元、政府采购工程支出{self.w(p.extra['proc_works'])}万元、"
                f"政府采购服务支出{self.w(p.extra['proc_services'])}万元。{self._sme()}",
            )
        )
        for kind in ("total", "goods", "works", "services"):
            self.count(f"procurement_{kind}", p.extra[f"proc_{kind}"] / 100, "万元")
        out.append(("h", "（三）国有资产占有使用情况"))
        dated = y
        if self.error == "dated_statement_wrong_year":
            dated = y - 1
            self.injected = Injected(
                self.error, f"国有资产占有使用情况写截至{dated}年12月31日，报告年度为{y}年", f"截至{dated}年12月31日"
            )
        out.append(
            (
                "p",
                f"截至{dated}年12月31日，{d}共有车辆{p.extra['vehicles']}辆，其中：机要通信用车0辆、应急保障用车"
                f"{p.extra['vehicles']}辆、执法执勤用车0辆、其他用车0辆。单价100万元（含）以上设备（不含车辆）0台（套）。",
            )
        )
        self.count("vehicles_owned", p.extra["vehicles"], "辆")
        self.count("equipment_over_100", 0, "台（套）")
        if lay.nontax_table:
            nt = p.extra["nontax"]
            out.append(("h", "（四）非税收入征缴情况说明"))
            out.append(("p", f"本部门{y}年度各类非税收入合计{self.w(nt)}万元，纳入预算管理已缴国库{self.w(nt)}万元。"))
            v = "0.00" if not nt else wan(nt, self.t)
            if nt:
                body = [["合计", v, v, ""], ["一、国有资源（资产）有偿使用收入", v, v, ""], ["利息收入", v, v, ""]]
                out.append(("table", nontax_table(body, "非税收入征缴情况表")))
        return out

    def _wrong_change(self, cur: int, prev: int) -> str:
        """增加/减少 X万元，增长/下降 Y% with Y the true rate and X off, so that X fits neither the
        current figure (prior = current ∓ X) nor the rate (X ÷ prior, X ÷ current), by a point or more."""
        inc, grow, _ = _cmp(cur, prev)
        x = abs(cur - prev)
        y = pct(x, prev) if prev else 100.0
        d = max(cur // 5, 1000)
        while True:
            x2 = x + d
            prior = cur - x2 if inc == "增加" else cur + x2
            fits = [pct(x2, cur)] + ([pct(x2, prior)] if prior > 0 else [])
            if all(r is None or abs(r - y) >= 1 for r in fits):
                return f"{inc}{self.w(x2)}万元，{grow}{fpct(y)}%"
            d *= 2

    @staticmethod
    def glossary() -> list:
        terms = [
            (
                "财政拨款收入",
                "指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款和政府性基金预算财政拨款。",
            ),
            ("事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。"),
            ("其他收入", "指单位取得的除上述收入以外的各项收入。"),
            ("年初结转和结余", "指以前年度尚未完成、结转到本年按有关规定继续使用的资金。"),
            (
                "年末结转和结余",
                "指本年度或以前年度预算安排、因客观条件发生变化无法按原计划实施，需延迟到以后年度按有关规定继续使用的资金。",
            ),
            ("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
            ("项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
            ("“三公”经费", "指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"),
            ("机关运行经费", "指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。"),
        ]
        out: list = [("part", "第四部分 名词解释")]
        for k, (t, d) in enumerate(terms, 1):
            out.append(("p", f"{cat.cn_ordinal(k)}、{t}：{d}"))
        return out


def nontax_table(body: list[list[str]], title: str = "") -> TableSpec:
    """The Guangzhou 非税收入征缴情况表 of the narrative (rows: name, 合计, 国库, 财政专户)."""
    return TableSpec(
        title=title,
        cols=[Col(3.0), Col(1.2, num=True), Col(1.4, num=True), Col(1.4, num=True)],
        header=[
            [HCell(t) for t in ("科目名称", "合计", "纳入预算管理已缴国库小计", "纳入财政专户管理已缴财政专户小计")],
            [HCell("栏次"), HCell("1"), HCell("2"), HCell("3")],
        ],
        body=body,
        unit="万元",
        note=[],
    )
