"""The consistent random figures of one department-year, and what its tables print.

Amounts are generated in whole 元 (as accounts are kept) and every printed cell is rounded to
0.01 万元 on its own, exactly as real reports do — so a printed 合计 may differ from the sum of its
printed rows by a cent or two. Everything printed is held in `Printed` (amounts as integer cents of
万元); the renderers and the ground truth both read it, so truth = print by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from etl.sample import catalog as cat
from etl.sample.catalog import DeptType


def cents(yuan: int) -> int:
    """元 -> printed cents of 万元 (round half up)."""
    return (yuan + 50) // 100


def pct(num: int, den: int) -> float | None:
    """A percentage as printed with two decimals, from printed figures."""
    if den == 0:
        return None
    return float(f"{num * 100 / den:.2f}")


@dataclass
class Item:
    code: str  # 7 digits
    basic: int  # 元, 一般公共预算 basic expenditure
    project: int  # 元
    initial: int = 0  # 年初预算, 元
    full_year: int = 0  # 全年预算, 元

    @property
    def total(self) -> int:
        return self.basic + self.project


@dataclass
class Raw:
    """Whole-元 figures of one department-year."""

    items: list[Item]
    gf_items: list[Item]
    other_income: int
    other_spent: int  # spent from other income on the department's 行政运行 basic
    carry_begin: int
    econ: dict[str, int]  # 款 code -> 元 (基本支出 by economic classification)
    sangong_budget: dict[str, int]
    sangong_actual: dict[str, int]
    agency_cost: int
    procurement: tuple[int, int, int]  # goods, works, services
    vehicles: int
    nontax: int

    @property
    def gpb_total(self) -> int:
        return sum(i.total for i in self.items)


SANGONG_KEYS = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")


def _split(rng: random.Random, total: int, weights: list[float], jitter: float = 0.3) -> list[int]:
    """Split `total` 元 into parts proportional to noisy weights, summing exactly."""
    w = [max(0.0, x * rng.uniform(1 - jitter, 1 + jitter)) for x in weights]
    s = sum(w) or 1.0
    parts = [int(total * x / s) for x in w]
    # the remainder goes to the largest part
    k = max(range(len(parts)), key=lambda i: w[i])
    parts[k] += total - sum(parts)
    return parts


def _yuan(rng: random.Random, wan: float) -> int:
    return max(0, int(wan * 10000) + rng.randrange(0, 10000)) if wan > 0 else 0


def region_multiplier(seed: int, region: str, dept: DeptType) -> float:
    return random.Random(f"{seed}|{region}|{dept.key}|size").uniform(0.6, 1.6)


def raw_figures(seed: int, region: str, dept: DeptType, year: int, city: str) -> Raw:
    """Deterministic whole-元 figures for (seed, region, department type, year)."""
    rng = random.Random(f"{seed}|{region}|{dept.key}|{year}")
    size = dept.scale * region_multiplier(seed, region, dept) * 1.045 ** (year - 2018) * rng.uniform(0.93, 1.07)
    basic_total = size * dept.basic_share * rng.uniform(0.9, 1.1)
    project_total = size - basic_total

    sec = dept.section
    basic_codes: list[tuple[str, float]] = [(sec + "01", 0.70)]
    if dept.has_institution:
        basic_codes.append((sec + "50", 0.22))
    if rng.random() < 0.5:
        basic_codes.append(("2080501", 0.03))
    basic_codes += [("2080505", 0.08), ("2080506", 0.04), ("2101101", 0.035)]
    if dept.has_institution:
        basic_codes.append(("2101102", 0.015))
    basic_codes.append(("2210201", 0.06))
    if city == "广州市" or rng.random() < 0.6:
        basic_codes.append(("2210203", 0.03))
    basic_parts = _split(rng, _yuan(rng, basic_total), [w for _, w in basic_codes], 0.15)
    items = {c: Item(c, b, 0) for (c, _), b in zip(basic_codes, basic_parts, strict=False)}

    projects = [c for c in dept.projects if rng.random() < 0.9] or [dept.projects[0]]
    proj_parts = _split(rng, _yuan(rng, project_total), [1.0] * len(projects), 0.8)
    for c, p in zip(projects, proj_parts, strict=False):
        items.setdefault(c, Item(c, 0, 0)).project += p
    if rng.random() < 0.35:  # the 行政运行 item often carries a little 项目支出 too
        items[sec + "01"].project += _yuan(rng, project_total * rng.uniform(0.005, 0.03))
    item_list = sorted(items.values(), key=lambda i: i.code)

    for it in item_list:  # budgets: social-insurance items are budgeted tightly, projects loosely
        tight = it.code[:3] in ("208", "210", "221") and it.project == 0
        r = 1.0 if rng.random() < 0.2 else (rng.uniform(0.97, 1.03) if tight else rng.uniform(0.85, 1.18))
        it.initial = int(it.total / r)
        it.full_year = int(it.total / rng.uniform(0.96, 1.0)) if r != 1.0 else it.total

    gf_items: list[Item] = []
    if dept.gov_fund and rng.random() < 0.6:
        gf_items = [Item(c, 0, _yuan(rng, size * rng.uniform(0.02, 0.08))) for c in dept.gov_fund]

    other_income = _yuan(rng, size * rng.uniform(0.001, 0.006)) if rng.random() < 0.45 else 0
    other_spent = int(other_income * rng.uniform(0.3, 1.0)) if other_income and rng.random() < 0.6 else 0
    carry_begin = _yuan(rng, size * rng.uniform(0.002, 0.02)) if rng.random() < 0.5 else 0

    # 三公: a falling trend, most departments with no overseas trips and no car purchases
    decline = 0.92 ** (year - 2015)
    sb = dept.sangong * region_multiplier(seed, region, dept) * decline * rng.uniform(0.85, 1.15)
    overseas_b = _yuan(rng, sb * 0.15) if rng.random() < 0.15 else 0
    purchase_b = _yuan(rng, sb * 1.5) if rng.random() < 0.08 else 0
    oper_b = _yuan(rng, sb * 0.55) if rng.random() < 0.85 else 0
    recep_b = _yuan(rng, sb * 0.3)
    budget = {"overseas": overseas_b, "vehicle_purchase": purchase_b, "vehicle_operation": oper_b, "reception": recep_b}
    actual = {k: (int(v * rng.uniform(0.25, 1.0)) if v else 0) for k, v in budget.items()}
    if actual["vehicle_purchase"]:
        actual["vehicle_purchase"] = int(budget["vehicle_purchase"] * rng.uniform(0.9, 1.0))
    for d in (budget, actual):
        d["vehicle_total"] = d["vehicle_purchase"] + d["vehicle_operation"]
        d["total"] = d["overseas"] + d["vehicle_total"] + d["reception"]

    # 基本支出 by economic classification: exactly the gpb basic total
    basic_yuan = sum(i.basic for i in item_list)
    personnel = int(basic_yuan * rng.uniform(0.78, 0.92))
    public = basic_yuan - personnel
    p303 = int(personnel * rng.uniform(0.02, 0.15))
    p310 = int(public * rng.uniform(0.0, 0.06)) if rng.random() < 0.6 else 0
    fixed = {"30217": actual["reception"], "30231": actual["vehicle_operation"]}
    p302 = public - p310
    econ: dict[str, int] = {}
    for rows, total in (
        (cat.ECON_301, personnel - p303),
        (cat.ECON_303, p303),
        (cat.ECON_302, p302 - sum(fixed.values())),
        (cat.ECON_310, p310),
    ):
        parts = _split(rng, total, [w for _, _, w in rows], 0.4)
        econ.update({c: p for (c, _, _), p in zip(rows, parts, strict=False)})
    for c, v in fixed.items():
        econ[c] += v

    agency = int(public * rng.uniform(0.7, 0.95))
    goods = _yuan(rng, size * rng.uniform(0.005, 0.03))
    works = _yuan(rng, size * rng.uniform(0.0, 0.05)) if rng.random() < 0.3 else 0
    services = _yuan(rng, project_total * rng.uniform(0.1, 0.5))
    vehicles = rng.randint(0, 3) if oper_b else 0
    nontax = _yuan(rng, rng.uniform(0.01, 3.0)) if rng.random() < 0.5 else 0
    return Raw(
        item_list,
        gf_items,
        other_income,
        other_spent,
        carry_begin,
        econ,
        budget,
        actual,
        agency,
        (goods, works, services),
        vehicles,
        nontax,
    )


# --------------------------------------------------------------------------- printed figures


@dataclass
class FuncRow:
    """A row of a functional-classification table (printed cents)."""

    code: str | None  # None on 合计
    name: str
    level: str  # total/class/section/item
    values: list[int]


@dataclass
class Printed:
    """Everything a report prints, in cents of 万元."""

    year: int
    summary_income: list[tuple[str, int]]  # label -> amount, in printed order (rows of 01 income side)
    summary_exp: dict[str, int]  # class code -> total
    income_total: int
    fiscal_income: int  # as the truth's fiscal_appropriation_income
    gpb_income: int
    gf_income: int
    other_income: int
    expenditure_total: int
    carry_begin: int
    carry_end: int
    grand_total: int
    income_rows: list[FuncRow]  # [total, fiscal, other]
    exp_rows: list[FuncRow]  # [total, basic, project]
    gpb_rows: list[FuncRow]  # [total, basic, project]
    fiscal_exp: dict[str, tuple[int, int, int]]  # class -> (total, gpb, gf)
    gf_rows: list[FuncRow]  # [begin, income, total, basic, project, end]
    econ_personnel: list[tuple[str, str, int]]  # (code, name, amount) incl. 类 rows
    econ_public: list[tuple[str, str, int]]
    personnel_cost: int
    public_cost: int
    economic_class: dict[str, int]
    sangong_budget: dict[str, int]
    sangong_actual: dict[str, int]
    gpb_initial: int
    gpb_full_year: int
    gpb_actual_narrative: int
    item_exec: list[dict]  # code, path, initial, full_year, actual (cents)
    prev: dict[str, int] = field(default_factory=dict)  # last year's printed figures
    extra: dict[str, int] = field(default_factory=dict)
    injected: str | None = None


def _func_rows(items: list[Item], year: int, cols) -> list[FuncRow]:
    """合计, then 类 / 款 / 项 rows in code order; each printed value rounded from 元 on its own."""
    rows = [FuncRow(None, "合计", "total", [cents(sum(c(i) for i in items)) for c in cols])]
    for klass in sorted({i.code[:3] for i in items}):
        members = [i for i in items if i.code.startswith(klass)]
        rows.append(
            FuncRow(klass, cat.class_name(klass, year), "class", [cents(sum(c(i) for i in members)) for c in cols])
        )
        for sec in sorted({i.code[:5] for i in members}):
            sm = [i for i in members if i.code.startswith(sec)]
            rows.append(FuncRow(sec, cat.SECTIONS[sec], "section", [cents(sum(c(i) for i in sm)) for c in cols]))
            for i in sm:
                rows.append(FuncRow(i.code, cat.item_name(i.code), "item", [cents(c(i)) for c in cols]))
    return rows


def build_printed(raw: Raw, prev: Raw, year: int, split_fiscal: bool, main: str | None = None) -> Printed:
    """What the report prints for `raw` (this year) given `prev` (last year, for comparisons); `main` is the item
    other income is spent on (by default the 行政运行 item: a body's own, e.g. 妇幼保健医院, where it has none)."""
    items, gf = raw.items, raw.gf_items
    op_code = main or next(i.code for i in items if i.code.endswith("01") and i.code[:3] != "208")
    # 03 支出决算表 = gpb + 政府性基金 + what other income paid for
    spent = {i.code: Item(i.code, i.basic, i.project) for i in items + gf}
    spent[op_code].basic += raw.other_spent
    spent_items = sorted(spent.values(), key=lambda i: i.code)
    exp_rows = _func_rows(spent_items, year, [lambda i: i.total, lambda i: i.basic, lambda i: i.project])
    gpb_rows = _func_rows(items, year, [lambda i: i.total, lambda i: i.basic, lambda i: i.project])
    other = {op_code: raw.other_income}
    income_rows = _func_rows(
        sorted(items + gf, key=lambda i: i.code),
        year,
        [lambda i: i.total + other.get(i.code, 0), lambda i: i.total, lambda i: other.get(i.code, 0)],
    )
    gf_rows = (
        _func_rows(
            gf, year, [lambda i: 0, lambda i: i.total, lambda i: i.total, lambda i: 0, lambda i: i.total, lambda i: 0]
        )
        if gf
        else []
    )

    gpb_y = raw.gpb_total
    gf_y = sum(i.total for i in gf)
    exp_y = sum(i.total for i in spent_items)
    inc_y = gpb_y + gf_y + raw.other_income
    carry_end_y = raw.carry_begin + raw.other_income - raw.other_spent
    summary_exp = {r.code: r.values[0] for r in exp_rows if r.level == "class"}
    fiscal_exp = {}
    for klass in sorted({i.code[:3] for i in items + gf}):
        g = sum(i.total for i in items if i.code.startswith(klass))
        f = sum(i.total for i in gf if i.code.startswith(klass))
        fiscal_exp[klass] = (cents(g + f), cents(g), cents(f))

    econ_pers: list[tuple[str, str, int]] = []
    econ_pub: list[tuple[str, str, int]] = []
    economic_class = {}
    for klass, rows, side in (
        ("301", cat.ECON_301, econ_pers),
        ("303", cat.ECON_303, econ_pers),
        ("302", cat.ECON_302, econ_pub),
        ("310", cat.ECON_310, econ_pub),
    ):
        tot = sum(raw.econ[c] for c, _, _ in rows)
        economic_class[klass] = cents(tot)
        side.append((klass, cat.ECON_CLASS_NAMES[klass], cents(tot)))
        side.extend((c, n, cents(raw.econ[c])) for c, n, _ in rows)
    personnel = sum(v for c, v in raw.econ.items() if c[:3] in ("301", "303"))
    public = sum(v for c, v in raw.econ.items() if c[:3] in ("302", "310"))

    item_exec = []
    for i in items:
        path = "/".join([cat.class_name(i.code[:3], year), cat.SECTIONS[i.code[:5]], cat.item_name(i.code)])
        item_exec.append(
            {
                "code": i.code,
                "path": path,
                "initial": cents(i.initial),
                "full_year": cents(i.full_year),
                "actual": cents(i.total),
            }
        )
    if split_fiscal:
        summary_income = [("gpb", cents(gpb_y)), ("gf", cents(gf_y)), ("other", cents(raw.other_income))]
        fiscal_income = cents(gpb_y)
    else:
        summary_income = [("fiscal", cents(gpb_y + gf_y)), ("other", cents(raw.other_income))]
        fiscal_income = cents(gpb_y + gf_y)
    prev_gpb = prev.gpb_total
    prev_total = prev.gpb_total + sum(i.total for i in prev.gf_items) + prev.other_income + prev.carry_begin
    p = Printed(
        year=year,
        summary_income=summary_income,
        summary_exp=summary_exp,
        income_total=cents(inc_y),
        fiscal_income=fiscal_income,
        gpb_income=cents(gpb_y),
        gf_income=cents(gf_y),
        other_income=cents(raw.other_income),
        expenditure_total=cents(exp_y),
        carry_begin=cents(raw.carry_begin),
        carry_end=cents(carry_end_y),
        grand_total=cents(inc_y + raw.carry_begin),
        income_rows=income_rows,
        exp_rows=exp_rows,
        gpb_rows=gpb_rows,
        fiscal_exp=fiscal_exp,
        gf_rows=gf_rows,
        econ_personnel=econ_pers,
        econ_public=econ_pub,
        personnel_cost=cents(personnel),
        public_cost=cents(public),
        economic_class=economic_class,
        sangong_budget={k: cents(raw.sangong_budget[k]) for k in SANGONG_KEYS},
        sangong_actual={k: cents(raw.sangong_actual[k]) for k in SANGONG_KEYS},
        gpb_initial=cents(sum(i.initial for i in items)),
        gpb_full_year=cents(sum(i.full_year for i in items)),
        gpb_actual_narrative=cents(gpb_y),
        item_exec=item_exec,
    )
    p.prev = {
        "gpb": cents(prev_gpb),
        "fiscal_total": cents(prev_gpb + sum(i.total for i in prev.gf_items)),  # as last year's report prints it
        "grand_total": cents(prev_total),
        "basic": cents(sum(i.basic for i in prev.items)),
        "project": cents(sum(i.project for i in prev.items)),
        "agency_cost": cents(prev.agency_cost),
        **{f"sangong_{k}": cents(prev.sangong_actual[k]) for k in SANGONG_KEYS},
    }
    p.extra = {
        "agency_cost": cents(raw.agency_cost),
        "proc_goods": cents(raw.procurement[0]),
        "proc_works": cents(raw.procurement[1]),
        "proc_services": cents(raw.procurement[2]),
        "proc_total": cents(sum(raw.procurement)),
        "vehicles": raw.vehicles,
        "nontax": cents(raw.nontax),
        "fiscal_total": cents(gpb_y + gf_y),
        "basic_total": cents(sum(i.basic for i in spent_items)),
        "project_total": cents(sum(i.project for i in spent_items)),
    }
    return p


#: Deliberate inconsistencies a document may carry: id -> what it breaks.
INCONSISTENCIES = {
    "expenditure_total_vs_class_rows": "支出决算表 合计 本年支出合计 is 100.00 more than its 类 rows sum to",
    "personnel_public_vs_basic": "人员经费合计 + 公用经费合计 differs from the gpb table's 基本支出 by 5.00",
    "sangong_parts_vs_total": "三公 决算 合计 is 1.00 more than its parts",
    "narrative_gpb_actual_vs_table": "narrative 一般公共预算财政拨款 支出决算 is 12.30 over the gpb table 合计",
}


def inject(p: Printed, kind: str) -> None:
    """Make the printed figures of `p` inconsistent in the way `kind` names."""
    if kind == "expenditure_total_vs_class_rows":
        p.exp_rows[0].values[0] += 10000
    elif kind == "personnel_public_vs_basic":
        p.personnel_cost += 500
    elif kind == "sangong_parts_vs_total":
        p.sangong_actual["total"] += 100
    elif kind == "narrative_gpb_actual_vs_table":
        p.gpb_actual_narrative += 1230
    else:
        raise ValueError(kind)
    p.injected = kind
