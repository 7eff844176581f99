"""The printed errors of the narrative's claims (template-variants catalogue §9) a generated report can carry:
swapped or copied 三公 shares, a completion rate that is the change against last year, a growth printed as a
ratio, 100% completion of a zero budget or of a budget the 决算 exceeds, 团组 0 with travellers.

Each function prints one kind into the sentence the narrative builds (etl/sample/narrative.py calls them)
and records it on the narrative (`narr.injected`); it returns what to print instead, or the default when
the document carries another kind. The figures the truth records stay as they are; where the sentence
states a rate the reader takes as data, the truth records the rate as printed.
"""

from __future__ import annotations

from typing import Any

from etl.sample.audit_errors import Injected, variant
from etl.sample.figures import pct
from etl.sample.fmt import pct as fpct

#: Kinds printed into the plain (年初预算) wordings, whose sentences state every rate they need.
RATED_ERRORS = {"completion_is_decline", "zero_budget_full_completion", "shares_copy_rates",
                "full_completion_over_budget"}
_ITEMS = (("因公出国（境）费", "overseas"), ("公务用车购置及运行维护费", "vehicle_total"), ("公务接待费", "reception"))
_GZ_LABELS = {"overseas": "因公出国（境）费", "vehicle_total": "公务用车购置及运行费", "reception": "公务接待费"}


def sangong_rates(narr: Any) -> dict[str, float]:
    """The 三公 rates printed instead of the true ones (key 'total' or an item): the change against last year
    as the total's completion rate, or 100% for an item whose budget and 决算 are both 0."""
    if narr.error == "completion_is_decline":
        return _decline_as_completion(narr)
    if narr.error == "zero_budget_full_completion":
        return _zero_base_full(narr)
    return {}


def _decline_as_completion(narr: Any) -> dict[str, float]:
    p, w = narr.p, narr.w
    a, b, prev = p.sangong_actual["total"], p.sangong_budget["total"], p.prev["sangong_total"]
    if not prev or not b or a == prev:
        return {}
    change, right = pct(abs(a - prev), prev), pct(a, b)
    if abs(change - right) < 1:
        return {}  # the change happens to be the completion rate: no error to print
    budget = f"{w(b)}万元" if narr.lay.family == "gz" else ""
    narr.injected = Injected(
        narr.error, f"“三公”经费决算{w(a)}万元、预算{w(b)}万元，完成率应为{fpct(right)}%；文字写完成预算的"
        f"{fpct(change)}%，即比上年（{w(prev)}万元）的变动幅度", f"完成预算{budget}的{fpct(change)}%")
    return {"total": change}


def _zero_base_full(narr: Any) -> dict[str, float]:
    b, a = narr.p.sangong_budget, narr.p.sangong_actual
    key = next((k for _, k in _ITEMS if not a[k] and not b[k]), None)
    if key is None:
        return {}
    zero = narr.w(0)
    if narr.lay.family == "gz":
        printed = f"{_GZ_LABELS[key]}支出决算为{zero}万元，完成预算{zero}万元的100.00%"
    else:
        printed = f"{dict((k, n) for n, k in _ITEMS)[key]}支出决算为{zero}万元，完成预算的100.00%"
    narr.injected = Injected(narr.error, f"{key} 预算与决算均为0，文字写完成预算的100.00%（0/0 不是完成率）", printed)
    return {key: 100.0}


def purchase_rate(narr: Any) -> str:
    """完成预算的100.00% after a 公务用车购置费 of 0 in the 具体 paragraph: the 0/0 item where no item of the total's
    sentence has a zero budget and 决算 (its rate is not read as a statement of the 三公 items)."""
    b, a = narr.p.sangong_budget, narr.p.sangong_actual
    if narr.error != "zero_budget_full_completion" or narr.injected is not None or a["vehicle_purchase"] \
            or b["vehicle_purchase"]:
        return ""
    printed = f"公务用车购置费{narr.w(0)}万元（完成预算的100.00%）"
    narr.injected = Injected(narr.error, "公务用车购置费预算与决算均为0，文字写完成预算的100.00%（0/0 不是完成率）",
                             printed)
    return "（完成预算的100.00%）"


def gpb_full_completion(narr: Any, z: float) -> float:
    """The 一般公共预算 total's rate printed as 100% while its 决算 exceeds the budgets the sentence prints."""
    p, lay, w = narr.p, narr.lay, narr.w
    a, i, f = p.gpb_actual_narrative, p.gpb_initial, p.gpb_full_year
    if narr.error != "full_completion_over_budget" or a <= i or (lay.full_year_budget and a <= f):
        return z
    narr.injected = Injected(
        narr.error, f"一般公共预算财政拨款支出决算{w(a)}万元超过年初预算{w(i)}万元{w(a - i)}万元，"
        "文字写完成年初预算的100.00%",
        "完成年初预算的100.00%")
    return 100.0


def item_full_completion(narr: Any, it: dict) -> bool:
    """Whether this 项's sentence states its 年初预算 (only) and 完成年初预算的100.00% while its 决算 exceeds it (the
    first such 项, where the total could not carry it)."""
    if narr.error != "full_completion_over_budget" or narr.injected is not None:
        return False
    ia, ii = it["actual"], it["initial"]
    if ia <= ii:
        return False
    narr.injected = Injected(
        narr.error, f"{it['path']} 决算{narr.w(ia)}万元超过年初预算{narr.w(ii)}万元，文字写完成年初预算的100.00%",
        f"支出决算为{narr.w(ia)}万元，完成年初预算的100.00%")
    return True


def sangong_shares(narr: Any) -> list:
    """A sentence of the 三公 items' shares (占X%) of the total, printed only where a share error is: two
    items' shares swapped, or every share a copy of the item's completion rate."""
    if narr.error not in ("share_swapped", "shares_copy_rates"):
        return []
    a, b = narr.p.sangong_actual, narr.p.sangong_budget
    right = {k: pct(a[k], a["total"]) or 0.0 for _, k in _ITEMS}
    printed = dict(right)
    if narr.error == "share_swapped":  # two items whose shares differ, spent ones first
        pairs = (("vehicle_total", "reception"), ("overseas", "reception"), ("overseas", "vehicle_total"))
        pair = next((p for p in pairs if abs(right[p[0]] - right[p[1]]) >= 1), None)
        if pair is None:
            return []
        printed[pair[0]], printed[pair[1]] = right[pair[1]], right[pair[0]]
        what = f"{pair[0]} 与 {pair[1]} 的占比互换"
    else:
        printed = {k: (pct(a[k], b[k]) if b[k] else right[k]) for _, k in _ITEMS}
        if all(abs(printed[k] - right[k]) < 1 for k in printed):
            return []
        what = "各项占比照抄其完成预算的比率"
    parts = "；".join(f"{label}{narr.w(a[k])}万元，占{fpct(printed[k])}%" for label, k in _ITEMS)
    s = f"“三公”经费财政拨款支出决算{narr.w(a['total'])}万元，其中：{parts}。"
    narr.injected = Injected(narr.error, f"{what}：应为" + "、".join(f"{fpct(right[k])}%" for _, k in _ITEMS), s)
    return [("p", s)]


def vehicle_operation(narr: Any) -> int:
    """公务用车运行维护费 as printed: 0 where the shares copy the rates and the vehicle subtotal is not 0."""
    a = narr.p.sangong_actual
    if narr.error == "shares_copy_rates" and a["vehicle_operation"] and a["vehicle_total"]:
        return 0
    return a["vehicle_operation"]


def agency_change(narr: Any, cur: int, default: str) -> str:
    """机关运行经费's change with its growth printed as a ratio: 增长1.25% for a rate of 125%. The printed
    amount makes the rate over 100% (X ÷ (本年 − X)); the truth records neither."""
    if narr.error != "rate_as_ratio" or cur <= 0:
        return default
    x = cur - cur * 4 // 9  # the prior year about 4/9 of this year: a rate of about 125%
    rate = pct(x, cur - x)
    change = f"增加{narr.w(x)}万元，增长{fpct(rate / 100)}%"
    narr.injected = Injected(narr.error, f"机关运行经费支出{narr.w(cur)}万元、增加{narr.w(x)}万元，增幅应为"
                             f"{fpct(rate)}%，文字写{fpct(rate / 100)}%（百分之一）", change)
    return change


def trips(narr: Any) -> str:
    """The 团组/人次 counts sentence, printed only where it is the error: 团组0个 with M>0 travellers."""
    if narr.error != "groups_without_trips":
        return ""
    m = 3 + variant(f"{narr.dept}|{narr.year}|trips", 9)
    s = f"全年因公出国（境）团组0个，累计{m}人次。"
    narr.count("overseas_groups", 0, "个")
    narr.count("overseas_people", m, "人次")
    narr.injected = Injected(narr.error, f"团组0个却累计出国（境）{m}人次", s)
    return s
