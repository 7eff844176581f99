"""The grammar of a budget statement: what one clause of the narrative says about one subject.

A clause (the text after a subject — 三公 total or item, 一般公共预算财政拨款支出, a 项 — up to the next subject
or the end of its sentence) is read as a set of independent parts, in any order the reports use:
  budget      (年初|全年|调整后?|)预算(数)?(为)? X 万元 — its kind kept: initial / full_year / unqualified
  actual      (支出)?决算(数)?(为)? Y 万元 (never 上年决算), or a figure right after the subject
  completion  完成(年初|全年|调整)?预算(X万元)?(的)? Z% · 预算完成率 Z% · 为年初预算的 Z%;
              `--` / `--%` / (基数为0,不可比) is "no rate"
  difference  比(…)预算(数)?增加|减少 X · 决算数大于|小于预算数 X · 与(…)预算相比,增加|减少 X · 差值为 X
Each figure carries its own unit (万元 or 元, converted to 万元). Counts (团组 N 个, N 辆, N 批次) carry no
money unit and are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from etl.normalise import CENT, parse_amount, parse_percent

#: A printed amount: thousands groups only where they are groups of three (so `X,Y万元` is not one number),
#: and a stray point before the unit (`123.4.万元`) tolerated.
AMOUNT = r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\.?(?P<unit>万元|元)"
_AMOUNT_2 = AMOUNT.replace("num", "num2").replace("unit", "unit2")
_KIND = r"(?P<kind>年初|全年|调整后?的?|按规定程序调整后的全年)?"
_IS = r"(?:为|是|共计|合计|安排|总计)?[:：]?"
#: 比预算…, 超预算 X, 大于预算数 X: a difference, not a budget
_NOT_A_BUDGET_BEFORE = (r"(?<!上年)(?<!上年度)(?<!比)(?<!较)(?<!超)(?<!超过)(?<!超出)"
                        r"(?<!大于)(?<!小于)(?<!低于)(?<!高于)")
_BUDGET = re.compile(_NOT_A_BUDGET_BEFORE + _KIND + r"预算(?:数|金额|资金)?" + _IS + AMOUNT)
_ACTUAL = re.compile(r"(?<!上年)(?<!上年度)(?<!上一年度)(?<!比)(?<!较)(?<!与)"
                     r"(?:支出)?决算(?:数|金额)?" + _IS + AMOUNT)
_THIS_YEAR_ACTUAL = re.compile(r"(?:本年度?|当年)(?:支出)?决算(?:数|金额)?" + _IS + AMOUNT
                               + r"|实际(?:支出|完成|使用)(?:数|金额)?" + _IS + _AMOUNT_2)
_LEADING = re.compile(r"^[：:，,]?(?:财政拨款)?(?:支出)?(?:决算)?(?:数)?" + _IS + AMOUNT)
_NO_RATE = r"(?P<none>-{1,2}%?|—{1,2}%?|[（(]?基数为0[，,]?不可比[）)]?)"
_RATE = r"(?:(?P<pct>\d+(?:\.\d+)?)%|" + _NO_RATE + ")"
_COMPLETION = re.compile(
    r"(?:完成了?" + _KIND + r"预算(?:数)?(?:(?P<b>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\.?(?P<bu>万元|元))?的?"
    r"|(?:为|占)" + _KIND.replace("kind", "kind2") + r"预算(?:数)?的|预算(?:完成|执行)率(?:为|是|达)?)" + _RATE
)
_DIRECTION = {"超": 1, "增加": 1, "多": 1, "超支": 1, "超出": 1, "超过": 1, "大于": 1, "高于": 1,
              "减少": -1, "少": -1, "节约": -1, "节余": -1, "小于": -1, "低于": -1}
_DIR = r"(?P<dir>增加|减少|节约|节余|超支|超出|超过|大于|小于|高于|低于|多|少)了?"
_DIFFERENCE = re.compile(
    r"(?:(?:比|较)" + _KIND + r"预算(?:数)?" + _DIR
    + r"|与(?:\d{4}年度?)?" + _KIND.replace("kind", "kind2") + r"预算(?:数)?相比[，,]?" + _DIR.replace("dir", "dir2")
    + r"|决算(?:数)?" + _DIR.replace("dir", "dir3") + r"(?:年初|全年|调整后?)?预算(?:数)?"
    + r"|(?P<over>超(?:出|过)?)(?:年初|全年|调整后?)?预算(?:数)?"
    + r")" + AMOUNT
)
_SPREAD = re.compile(r"差(?:值|额)(?:为|是)?[:：]?(?P<neg>[-−])?" + AMOUNT)
BASES = {"年初": "initial", "全年": "full_year", "调整": "full_year", "调整后": "full_year", "调整的": "full_year",
         "调整后的": "full_year", "按规定程序调整后的全年": "full_year", "": "unqualified", None: "unqualified"}


@dataclass
class Figures:
    """What a clause states, in 万元 and percent; offsets are into the clause."""

    initial: Decimal | None = None
    full_year: Decimal | None = None
    unqualified: Decimal | None = None
    actual: Decimal | None = None
    actual_at: int | None = None
    pct: Decimal | None = None
    basis: str | None = None          # the budget the completion % is against (NULL when no rate)
    difference: Decimal | None = None  # 决算 − 预算 as printed, signed

    def budget(self) -> tuple[Decimal | None, str | None]:
        """The budget a single-budget column takes and its basis: the one the rate is against, else the first
        printed of 年初, 全年, unqualified."""
        named = {"initial": self.initial, "full_year": self.full_year, "unqualified": self.unqualified}
        if self.basis and named[self.basis] is not None:
            return named[self.basis], self.basis
        return next(((v, k) for k, v in named.items() if v is not None), (None, None))

    def states_budget(self) -> bool:
        return any(v is not None for v in (self.initial, self.full_year, self.unqualified, self.pct,
                                           self.difference)) or self.basis is not None


def wan(number: str | None, unit: str | None) -> Decimal | None:
    """A printed amount in 万元 (元 divided by 10,000), to the cent."""
    value = parse_amount(number) if number is not None else None
    if value is None:
        return None
    return (value / 10000 if unit == "元" else value).quantize(CENT)


def read_clause(clause: str, leading: bool = True, actual: bool = True) -> Figures:
    """The figures one clause states about its subject; the first of each part counts. `leading`: a bare figure
    right after the subject (…费支出 12.00 万元) is its 决算; `actual`: False where the caller reads the 决算."""
    f = Figures()
    about_budget = "预算" in clause  # every budget, rate and difference form names it, but 差值
    if about_budget:
        _read_budgets(clause, f)
        _read_completion(clause, f)
    if actual:
        _read_actual(clause, f, leading)
    if about_budget or "差" in clause:
        _read_difference(clause, f)
    return f


def _read_budgets(clause: str, f: Figures) -> None:
    for m in _BUDGET.finditer(clause):
        basis = BASES.get(m.group("kind"), "full_year")
        value = wan(m.group("num"), m.group("unit"))
        if basis == "initial" and f.initial is None:
            f.initial = value
        elif basis == "full_year" and f.full_year is None:
            f.full_year = value
        elif basis == "unqualified" and f.unqualified is None:
            f.unqualified = value


def _read_completion(clause: str, f: Figures) -> None:
    m = _COMPLETION.search(clause)
    if m is None:
        return
    kind = m.group("kind") if m.group("kind") is not None else m.group("kind2")
    basis = BASES.get(kind or "", "full_year")
    if basis == "unqualified" and not m.group("b"):
        basis = _only_printed_basis(f) or basis  # 年初预算为X…完成预算的Z%: the 预算 is the one printed
    if m.group("none"):
        return  # no rate: no basis either
    f.pct = parse_percent(m.group("pct"))
    f.basis = basis


def _only_printed_basis(f: Figures) -> str | None:
    printed = [k for k, v in (("initial", f.initial), ("full_year", f.full_year), ("unqualified", f.unqualified))
               if v is not None]
    return printed[0] if len(printed) == 1 else None


def _read_actual(clause: str, f: Figures, leading: bool) -> None:
    m = _THIS_YEAR_ACTUAL.search(clause) or _ACTUAL.search(clause)
    if m is None and leading:
        m = _LEADING.match(clause)
    if m is not None:
        num = "num" if m.group("num") is not None else "num2"
        f.actual, f.actual_at = wan(m.group(num), m.group(num.replace("num", "unit"))), m.start(num)


def _read_difference(clause: str, f: Figures) -> None:
    m = _DIFFERENCE.search(clause)
    if m is not None:
        word = m.group("dir") or m.group("dir2") or m.group("dir3") or "超"
        value = wan(m.group("num"), m.group("unit"))
        f.difference = value * _DIRECTION[word] if value is not None else None
        return
    s = _SPREAD.search(clause)
    if s is None:
        return
    value = wan(s.group("num"), s.group("unit"))
    if value is None:
        return
    budget = f.budget()[0]
    if s.group("neg"):
        value = -value
    elif budget is not None and f.actual is not None and f.actual - budget == -value:
        value = -value  # 差值 printed unsigned: the sentence's own 预算 and 决算 give its direction
    f.difference = value


def merge(f: Figures, earlier: Figures) -> Figures:
    """`f` with the parts it does not state taken from an earlier clause about the same subject."""
    for name in ("initial", "full_year", "unqualified", "pct", "basis", "difference"):
        if getattr(f, name) is None:
            setattr(f, name, getattr(earlier, name))
    return f
