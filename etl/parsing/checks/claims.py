"""What the narrative states, checked: its figures against the tables, its stated changes, shares and
completion rates against its own figures, its comparison words against the figures they relate.

Tolerance is the rounding of the printed figures: each printed figure stands for an interval (±half a
unit of its last printed decimal); a stated percentage passes when it is the rounded — or truncated —
value of some ratio of figures inside their intervals. Slightly outside that is a warning (a rounding
convention, e.g. shares nudged so a list sums to 100); beyond, an error. Figures already checked by
etl/parsing/checks/tables.py (the budget statements' 决算数 of the 一般公共预算 total, the 三公 total and each
项) are not checked again here.
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.parsing.checks.base import CENT, CheckResult, DocFigures, Rule, _fmt, declare, name_key, skipped
from etl.parsing.claims import Amount, Claims, half_unit, joined_pairs, list_head, read_claims

_TEXT = "the narrative contradicts the tables or its own figures beyond the rounding of the printed figures"
_ROUND = "a gap no larger than a rounding convention explains: reported, the figures are used as printed"
RULES: tuple[Rule, ...] = declare(
    Rule("claims.total_matches_table", "error",
         "情况说明所述金额 = 表中对应数（收入支出总计、本年收入/支出合计、一般公共预算财政拨款支出及基本/项目支出、"
         "人员经费/公用经费、各类支出、“三公”经费预算数与各项决算数）", _TEXT,
         doubts=("totals", "gpb", "cost", "items", "sangong")),
    Rule("claims.total_matches_table.rounding", "warning", "情况说明所述金额与表中对应数相差不超过 0.01", _ROUND,
         doubts=("totals", "gpb", "cost", "items", "sangong")),
    Rule("claims.total_matches_table.basis", "warning",
         "情况说明所述一般公共预算财政拨款金额与另一口径（全部资金的支出决算表）的对应数相同：口径错写，表中数字不受影响",
         "a disclosure slip, not a wrong figure: the narrative gives the all-funds figure where it names the "
         "gpb one (or the reverse); the tables agree with each other and are used", doubts=()),
    Rule("claims.total_matches_table.fiscal_total", "warning",
         "情况说明所述财政拨款收入支出总计 = 财政拨款收入支出决算总表总计",
         "the narrative's 财政拨款收入支出总计 is stated on different bases across templates (with or without "
         "carry-overs); a mismatch is reported for review and the table is used", doubts=()),
    Rule("claims.stated_change", "error",
         "情况说明：增加/减少 C 万元、增长/下降 P% 与本年数及由此推得的上年（或预算）数相符；"
         "持平即 C = 0、P = 0", _TEXT, doubts=("narrative",)),
    Rule("claims.stated_change.rounding", "warning", "情况说明：增减百分比与金额相差不超过 0.01 个百分点", _ROUND,
         doubts=("narrative",)),
    Rule("claims.comparison_word", "error",
         "情况说明：大于/小于/等于/持平/超过/未达到、比预算增加/减少与所比较的两个数相符", _TEXT,
         doubts=("narrative",)),
    Rule("claims.share", "error", "情况说明：占 N% = 金额 ÷ 总额 × 100", _TEXT, doubts=("narrative",)),
    Rule("claims.share.rounding", "warning",
         "情况说明：占比与计算值相差不超过 0.1 个百分点，或同一列举的占比之和在 100 ± 0.1 以内但不等于 100", _ROUND,
         doubts=("narrative",)),
    Rule("claims.completion_pct", "error", "情况说明：完成预算的 Z% = 决算数 ÷ 预算数 × 100", _TEXT,
         doubts=("gpb", "items", "sangong", "cost")),
    Rule("claims.completion_pct.rounding", "warning", "情况说明：完成率与计算值相差不超过 0.01 个百分点", _ROUND,
         doubts=("gpb", "items", "sangong", "cost")),
    # the printed errors of real reports (template-variants catalogue §9), each told apart from a plain wrong
    # figure because the reviewer's fix differs: swap back, recompute, rescale, drop the rate
    Rule("claims.shares_swapped", "error", "情况说明：同一列举中两项的占比未互换（未写成对方的 金额 ÷ 总额）", _TEXT,
         doubts=("narrative",)),
    Rule("claims.shares_copy_rates", "error", "情况说明：各项占比不是照抄其完成预算的比率", _TEXT,
         doubts=("narrative",)),
    Rule("claims.zero_part", "error", "情况说明：小计大于 0 时“其中”所列分项与表中对应数相符，不印作 0", _TEXT,
         doubts=("totals", "gpb", "cost", "items", "sangong")),
    Rule("claims.completion_is_change", "error", "情况说明：完成预算的 Z% 不是同一项目比上年的增减幅度", _TEXT,
         doubts=("gpb", "items", "sangong", "cost")),
    Rule("claims.full_completion_over_budget", "error", "情况说明：决算数超过预算数时不写完成预算的 100%", _TEXT,
         doubts=("gpb", "items", "sangong", "cost")),
    Rule("claims.zero_base_full_completion", "warning", "情况说明：预算与决算均为 0 时不写完成预算的 100%",
         "0 ÷ 0 is no rate: no figure is contradicted (决算 0 within 预算 0) and some reports use the wording as a "
         "convention, so it is reported for review, not as a wrong figure", doubts=()),
    Rule("claims.rate_as_ratio", "error", "情况说明：增长/下降 Y% 不是实际幅度的百分之一（比率误作百分比）", _TEXT,
         doubts=("narrative",)),
    Rule("claims.counts", "error", "情况说明：因公出国（境）团组 0 个时累计人次为 0，团组不为 0 时人次不为 0",
         "a counts sentence that contradicts itself: the disclosure is defective (the counts table keeps both "
         "figures as printed; the other counts checks are counts.*)",
         doubts=()),
)

#: Printed errors of totals (catalogue §9): declared apart from RULES so each group of kinds stays on its own.
TOTALS_RULES: tuple[Rule, ...] = declare(
    Rule("claims.joined_totals_equal", "error", "情况说明“收、支总计各是X，Y万元”：X = Y（收入总计恒等于支出总计）",
         "a 决算's 收入总计 and 支出总计 are one figure: two different figures in the joined sentence mean one of "
         "them is misprinted (the result names the table's 总计; the pair is not compared with the table again)",
         doubts=("totals",)),
)

_SUMMARY = "收入支出决算总表"
_FISCAL = "财政拨款收入支出决算总表"
_GPB = "一般公共预算财政拨款支出决算表"
_EXP = "支出决算表"
_BASIC = "一般公共预算财政拨款基本支出决算表"
_SANGONG = "“三公”经费支出决算表"
_SANGONG_ITEMS = [("因公出国", "overseas", "因公出国（境）费"),
                  ("公务用车购置费", "vehicle_purchase", "公务用车购置费"),
                  ("公务用车运行", "vehicle_operation", "公务用车运行维护费"),
                  ("公务用车购置及运行", "vehicle_total", "公务用车购置及运行（维护）费"),
                  ("公务接待", "reception", "公务接待费"), ("三公", "total", "合计")]


def _where(a: Amount) -> str:
    return f"情况说明第{a.sentence.page}页"


def _quote(a: Amount) -> str:
    return f"“{a.sentence.excerpt(a.pos)}”"


# -- the table figure a narrative figure stands for ------------------------------------------------


def _summary_row(f: DocFigures, side: str, item: str) -> dict | None:
    return next((r for r in f.summary if r.get("side") == side and r.get("item") == item), None)


def _summary(f: DocFigures, side: str, item: str) -> Decimal | None:
    row = _summary_row(f, side, item)
    return row["amount"] if row else None


#: What the narrative calls a figure of 收入支出决算总表 (01): (wording, side, item, the table's label).
_SUMMARY_FIGURES = (
    (r"(?:部门)?收入支出总计|收入总计|总收入|收入和支出总计", "income", "grand_total", "收入总计"),
    (r"支出总计|总支出", "expenditure", "grand_total", "支出总计"),
    (r"本年收入(?:合计)?", "income", "income_total", "本年收入合计"),
    (r"本年支出(?:合计)?", "expenditure", "expenditure_total", "本年支出合计"),
)
#: the patterns compiled once: table_figure_row tries each for every amount of the narrative
_SUMMARY_PATTERNS = tuple((re.compile(p), *rest) for p, *rest in _SUMMARY_FIGURES)


#: the topics table_figure_row reads by pattern (compiled once: it is asked for every amount of the narrative)
_GPB_BASIC = re.compile(r"一般公共预算财政拨款(?:本年)?基本支出")
_GPB_PROJECT = re.compile(r"一般公共预算财政拨款(?:本年)?项目支出")
_CLASS = re.compile(r"(.+?)[(]类[)]")
_CHANGED = re.compile(r"增加|减少|比|较")


def _row(f: DocFigures, key: str, level: str = "total") -> dict | None:
    return next((r for r in f.function_rows if r["table_key"] == key and r["level"] == level), None)


def table_figure(f: DocFigures, a: Amount) -> tuple[Decimal, str, str] | None:
    """(figure, where it is printed, check id) of the table row a narrative figure names; None when no
    table carries it (or it is a figure tables.py already checks)."""
    found = table_figure_row(f, a)
    return found[:3] if found else None


def table_figure_row(f: DocFigures, a: Amount) -> tuple[Decimal, str, str, int | None] | None:
    """table_figure and the page the table figure is printed on (None when the row does not say)."""
    t, role = a.topic, a.role
    check = "claims.total_matches_table"

    def at(value, where, check_id, row) -> tuple[Decimal, str, str, int | None] | None:
        if value is None:
            return None
        page = row.get("page") if isinstance(row, dict) else None
        return value, where, check_id, page if isinstance(page, int) else None

    if role in ("initial_budget", "full_year_budget") and "三公" not in t:
        return None
    for pattern, side, item, label in _SUMMARY_PATTERNS:
        if role is None and pattern.fullmatch(t):
            row = _summary_row(f, side, item)
            return at(row["amount"], f"{_SUMMARY} {label}", check, row) if row else None
    if t == "财政拨款收入支出总计" and role is None:
        row = next((r for r in f.fiscal_summary if r.get("item") == "grand_total"), None)
        return at(row["amount"], f"{_FISCAL} 总计", check + ".fiscal_total", row) if row else None
    gpb = _row(f, "gpb_expenditure")
    if t == "一般公共预算财政拨款支出" and role is None and gpb:
        return at(gpb["total"], f"{_GPB} 合计", check, gpb)
    if role is None and gpb and _GPB_BASIC.fullmatch(t):
        return at(gpb["basic"], f"{_GPB} 合计行基本支出", check, gpb)
    if role is None and gpb and _GPB_PROJECT.fullmatch(t):
        return at(gpb["project"], f"{_GPB} 合计行项目支出", check, gpb)
    exp = _row(f, "expenditure")
    if t in ("基本支出", "项目支出") and role is None and exp:
        col = "basic" if t == "基本支出" else "project"
        return at(exp[col], f"{_EXP} 合计行{t}", check, exp)
    costs = f.cost_totals or {}
    if t in ("人员经费", "公用经费") and role is None:
        key = "personnel_cost" if t == "人员经费" else "public_cost"
        return at(costs.get(key), f"{_BASIC} {t}合计", check, costs)
    m = _CLASS.fullmatch(t)
    if m and role is None:
        key = name_key(m.group(1))
        row = next((r for r in f.function_rows if r["table_key"] == "gpb_expenditure" and r["level"] == "class"
                    and name_key(r.get("name")) == key), None)
        return at(row["total"], f"{_GPB} {row.get('name') or key}", check, row) if row else None
    if "三公" in t or any(k in t for k, _, _ in _SANGONG_ITEMS):
        if "sangong" in f.empty_tables or not f.sangong:
            return None  # a blank or missing table is the completeness checks' finding
        item = next(((key, zh) for k, key, zh in _SANGONG_ITEMS if k in t), None)
        if item is None or _CHANGED.search(a.subject):
            return None
        side = "budget" if role in ("initial_budget", "full_year_budget", "budget") else "actual"
        if item[0] == "total" and side == "actual":
            return None  # narrative.sangong_matches_table
        row = next((r for r in f.sangong if r["item"] == item[0]), None)
        return at(row[side], f"{_SANGONG} {item[1]}{'预算数' if side == 'budget' else '决算数'}", check,
                  row) if row else None
    return None


def figure_group(where: str) -> str:
    """The figure group (base.FIGURE_GROUPS) of the table figure `table_figure` names by `where`: a
    failed comparison puts in doubt that group only, not every figure the rule could compare."""
    table, _, cell = where.partition(" ")
    if table == _SANGONG:
        return "sangong"
    if table == _BASIC:
        return "cost"
    if table == _GPB:
        return "gpb" if cell.startswith("合计") else "items"
    if table == _EXP:
        return "totals"  # 03 合计行基本/项目支出: the all-funds department totals
    return "totals"  # 01 收入/支出总计, 本年收入/支出合计; 财政拨款收入支出总计


def _closed(out: list[CheckResult], check_id: str, checked: int, what: str, subject: str, missing: str,
            agreed: str, related: tuple[str, ...] = ()) -> list[CheckResult]:
    """A rule's results: its failures; else one pass naming how many were checked; skipped when
    the narrative states nothing the rule can check. `related`: the ids of the printed errors (§9) the
    rule tells apart from its own failure — one of them failing, the rule does not pass either."""
    if not checked:
        return [skipped(check_id, f"no {what} to check", subject, missing)]
    if not any(r.check_id == check_id or r.check_id in related for r in out):
        out.append(CheckResult(check_id, "pass", f"{checked} {what} checked", f"{subject}：{agreed}"))
    return out


def _total_checks(f: DocFigures, claims: Claims) -> list[CheckResult]:
    out, checked = [], 0
    unequal = {id(a) for pair in joined_pairs(claims.amounts) if pair[0].value != pair[1].value for a in pair}
    for a in claims.amounts:
        if a.change or id(a) in unequal:  # a joined pair that disagrees with itself: _joined_totals_checks
            continue
        found = table_figure_row(f, a)
        if found is None:
            continue
        value, where, check, table_page = found
        checked += 1
        gap = abs(a.value - value)
        allowed = half_unit(a.decimals) + half_unit(2)
        if gap == 0 or (gap <= allowed and a.decimals < 2):
            continue
        if value and a.value and (value == a.value * 10000 or a.value == value * 10000):
            continue  # the same digits read as 元 in one place and 万元 in the other: metadata.unit_consistent
        name = a.topic or a.subject
        slip = _other_basis(f, a, where)
        if slip is not None:
            out.append(slip)
            continue
        check = check if gap > CENT or check.endswith("fiscal_total") else "claims.total_matches_table.rounding"
        if check == "claims.total_matches_table" and _zero_part(claims, a, value):
            check = "claims.zero_part"
        out.append(CheckResult(
            check, "fail", f"narrative {name} {_fmt(a.value)} vs {where} {_fmt(value)} (gap {_fmt(gap)})",
            f"情况说明第{a.sentence.page}页{_quote(a)}：{name} {_fmt(a.value)} 与{where} {_fmt(value)} 不符"
            f"（差 {_fmt(gap)}）", pages=_with_page(a.sentence.pages, table_page), value_a=a.value.quantize(CENT),
            source_a=_where(a), value_b=value, source_b=_on_page(where, table_page), doubts=figure_group(where)
            if not check.endswith("fiscal_total") else None))
    return _closed(out, "claims.total_matches_table", checked, "narrative figures vs tables",
                   "情况说明与表", "情况说明中可与表对照的金额", f"情况说明中 {checked} 个金额与表中对应数相符",
                   related=("claims.zero_part",))


def _zero_part(claims: Claims, a: Amount, table: Decimal) -> bool:
    """A part printed 0 under its list's head (`X万元，其中：…0万元`) that is not 0, while the table's figure is:
    a placeholder 0 (catalogue §9), told apart from a wrong figure."""
    if a.value != 0 or table <= 0:
        return False
    head = list_head(a.sentence, [x for x in claims.amounts if x.sentence is a.sentence], a)
    return head is not None and head.value > 0


def _joined_totals_checks(f: DocFigures, claims: Claims) -> list[CheckResult]:
    """`收、支总计各是X，Y万元` (catalogue §8–§9): X and Y are the same figure of a 决算; the table's 总计 is named."""
    pairs = joined_pairs(claims.amounts)
    if not pairs:
        return []
    row = _summary_row(f, "income", "grand_total")
    table = f"，{_SUMMARY}总计 {_fmt(row['amount'])}" if row else ""
    out = []
    for x, y in pairs:
        if x.value == y.value:
            continue
        gap = abs(x.value - y.value)
        out.append(CheckResult(
            "claims.joined_totals_equal", "fail", f"joined totals {_fmt(x.value)} vs {_fmt(y.value)}",
            f"情况说明第{x.sentence.page}页{_quote(x)}：收入总计 {_fmt(x.value)} 与支出总计 {_fmt(y.value)} 不等"
            f"（差 {_fmt(gap)}）{table}", pages=_with_page(x.sentence.pages, _int(row.get("page")) if row else None),
            value_a=x.value.quantize(CENT), source_a=_where(x), value_b=y.value.quantize(CENT), source_b=_where(y)))
    if not out:
        out.append(CheckResult("claims.joined_totals_equal", "pass", f"{len(pairs)} joined totals equal",
                               f"情况说明：{len(pairs)} 处并列的收、支总计相等"))
    return out


def _int(page) -> int | None:
    return page if isinstance(page, int) and not isinstance(page, bool) else None


def _with_page(pages: str | None, page: int | None) -> str | None:
    """A check's pages: the narrative's and the table figure's (both figures compared can be cited)."""
    numbers = {int(p) for p in (pages or "").split(",") if p.strip().isdigit()}
    if page is not None:
        numbers.add(page)
    return ",".join(map(str, sorted(numbers))) if numbers else pages


def _on_page(where: str, page: int | None) -> str:
    """Where a table figure is printed, with its page: `一般公共预算财政拨款支出决算表 合计（第12页）`."""
    return f"{where}（第{page}页）" if page is not None else where


_COLUMN_ZH = {"total": "合计", "basic": "基本支出", "project": "项目支出"}


def _other_basis(f: DocFigures, a: Amount, where: str) -> CheckResult | None:
    """A basis slip: the narrative's figure for a column of one table's 合计 row (05, gpb) is the same column of
    the other basis's table (03, all funds) or the reverse — a real misprint that leaves the tables right."""
    table, _, cell = where.partition(" ")
    if table not in (_GPB, _EXP) or not cell.startswith("合计"):
        return None
    other_key, other_zh = ("expenditure", _EXP) if table == _GPB else ("gpb_expenditure", _GPB)
    row = _row(f, other_key)
    column = next((c for c, zh in _COLUMN_ZH.items() if where.endswith(zh)), "total")
    value = row.get(column) if row else None
    if value is None or abs(a.value - value) > half_unit(a.decimals) + half_unit(2):
        return None
    name = a.topic or a.subject
    page = row.get("page") if isinstance(row.get("page"), int) else None
    other = f"{other_zh} 合计行{_COLUMN_ZH[column]}"
    return CheckResult(
        "claims.total_matches_table.basis", "fail", f"narrative {name} {_fmt(a.value)} is {other} (another basis)",
        f"情况说明第{a.sentence.page}页{_quote(a)}：{name} {_fmt(a.value)} 是{other}的数（口径错写），"
        f"{where}为另一数；表格数字不受影响", pages=_with_page(a.sentence.pages, page), value_a=a.value.quantize(CENT),
        source_a=_where(a), value_b=value, source_b=_on_page(other, page))


# -- percentages -----------------------------------------------------------------------------------


def _ratio_range(num: Decimal, dn: int, den: Decimal, dd: int) -> tuple[Decimal, Decimal] | None:
    """min and max of num ÷ den × 100 over the intervals the printed figures stand for."""
    hn, hd = half_unit(dn), half_unit(dd)
    lo_den, hi_den = den - hd, den + hd
    if lo_den <= 0:
        return None
    return max(num - hn, Decimal(0)) / hi_den * 100, (num + hn) / lo_den * 100


def pct_gap(pct: Decimal, decimals: int, rng: tuple[Decimal, Decimal]) -> Decimal:
    """How far a printed percentage is from the range of ratios it may stand for, allowing rounding and
    truncation of the printed figure (0 when it fits)."""
    lo, hi = pct - half_unit(decimals), pct + Decimal(1).scaleb(-decimals)
    if hi < rng[0]:
        return rng[0] - hi
    if lo > rng[1]:
        return lo - rng[1]
    return Decimal(0)


def _grade(check: str, gap: Decimal, soft: Decimal) -> str | None:
    if gap == 0:
        return None
    return f"{check}.rounding" if gap <= soft else check


def _change_checks(f: DocFigures, claims: Claims) -> list[CheckResult]:
    out, checked = [], 0
    for c in claims.changes:
        s = c.sentence
        where = f"情况说明第{s.page}页“{s.excerpt(c.pos)}”"
        signs = {"增加": 1, "减少": -1}.get(c.direction or "")
        pct_sign = {"增长": 1, "下降": -1}.get(c.pct_word or "")
        if c.direction == "持平" or (c.amount is None and c.pct is None):
            continue
        checked += 1
        if signs and pct_sign and signs != pct_sign:
            out.append(CheckResult("claims.stated_change", "fail", f"{c.direction} with {c.pct_word}",
                                   f"{where}：{c.direction}与{c.pct_word}方向矛盾", pages=s.pages))
            continue
        if c.amount is not None and c.pct is not None and c.amount.value == 0 and c.pct != 0:
            out.append(CheckResult(
                "claims.stated_change", "fail", f"change {_fmt(c.amount.value)} with {c.pct}%",
                f"{where}：变动金额 {_fmt(c.amount.value)} 与变动幅度 {c.pct}% 矛盾", pages=s.pages,
                value_a=c.amount.value.quantize(CENT), source_a=f"情况说明第{s.page}页 增减额"))
            continue
        if c.current is None or c.amount is None or c.pct is None or signs is None:
            continue
        a, ch = c.current, c.amount
        prior = a.value - signs * ch.value
        h_prior = half_unit(a.decimals) + half_unit(ch.decimals)
        if prior - h_prior <= 0:
            continue  # from (about) zero: no rate to check
        rng = (max(ch.value - half_unit(ch.decimals), Decimal(0)) / (prior + h_prior) * 100,
               (ch.value + half_unit(ch.decimals)) / (prior - h_prior) * 100)
        gap = pct_gap(c.pct, c.pct_decimals, rng)
        check = _grade("claims.stated_change", gap, CENT)
        if check is None:
            continue
        base = "年初预算数" if c.base != "prior_year" else "上年数"
        rate = ch.value / prior * 100
        if check == "claims.stated_change" and not pct_gap(c.pct * 100, c.pct_decimals - 2, rng):
            check = "claims.rate_as_ratio"  # 增长1.25% for 125%: the ratio printed as a percentage
        out.append(CheckResult(
            check, "fail", f"{c.topic}: {c.direction} {_fmt(ch.value)} from {_fmt(a.value)} gives {rate:.2f}%, "
            f"printed {c.pct}%",
            f"{where}：{c.topic or '本项'}本年 {_fmt(a.value)}、{c.direction} {_fmt(ch.value)}，"
            f"推得{base} {_fmt(prior)}，"
            f"{c.pct_word}应为 {rate:.2f}%，说明为 {c.pct}%", pages=f"{a.sentence.pages}" if a.sentence is s
            else f"{a.sentence.page},{s.page}", value_a=Decimal(c.pct).quantize(CENT),
            source_a=f"情况说明第{s.page}页 增减幅度",
            value_b=rate.quantize(CENT), source_b=f"{_where(ch)} 增减额 ÷ {base}"))
    return _closed(out, "claims.stated_change", checked, "stated changes", "情况说明", "增减金额与幅度",
                   f"{checked} 处增减金额与幅度相符", related=("claims.rate_as_ratio",))


def _share_checks(f: DocFigures, claims: Claims) -> list[CheckResult]:
    out, checked, wrong = [], 0, []
    groups: dict[tuple[int, int], list] = {}
    for sh in claims.shares:
        total, where_total = _share_total(f, claims, sh)
        if total is None:
            continue
        checked += 1
        fig = sh.figure
        tv, td = (total.value, total.decimals) if isinstance(total, Amount) else (total, 2)
        groups.setdefault((sh.group, id(sh.total) if sh.total else -1), []).append((sh, tv))
        rng = _ratio_range(fig.value, fig.decimals, tv, td)
        if rng is None:
            continue
        gap = pct_gap(sh.pct, sh.pct_decimals, rng)
        check = _grade("claims.share", gap, Decimal("0.1"))
        if check is not None:
            wrong.append((sh, fig.value / tv * 100, check, where_total, tv))
    kinds = _share_errors(claims, [w for w in wrong if w[2] == "claims.share"])
    for sh, rate, check, where_total, tv in wrong:
        check, why = kinds.get(id(sh), (check, ""))
        fig, s = sh.figure, sh.sentence
        out.append(CheckResult(
            check, "fail", f"{fig.topic} {_fmt(fig.value)} / {_fmt(tv)} = {rate:.2f}%, printed {sh.pct}%",
            f"情况说明第{s.page}页“{s.excerpt(sh.pos)}”：{fig.topic} {_fmt(fig.value)} ÷ {where_total} {_fmt(tv)} = "
            f"{rate:.2f}%，说明为 {sh.pct}%{why}", pages=s.pages, value_a=sh.pct.quantize(CENT),
            source_a=f"情况说明第{s.page}页 占比", value_b=rate.quantize(CENT),
            source_b=f"{_where(fig)} 金额 ÷ {where_total}"))
    for members in groups.values():
        if len(members) < 2:
            continue
        tv = members[0][1]
        parts = sum((sh.figure.value for sh, _ in members), Decimal(0))
        total_pct = sum((sh.pct for sh, _ in members), Decimal(0))
        off = abs(total_pct - 100)
        if abs(parts - tv) > CENT * len(members) or off <= half_unit(2) * len(members) or off > Decimal("0.1"):
            continue  # a partial list, within the rounding of its shares, or off enough to flag the shares
        s = members[0][0].sentence
        out.append(CheckResult(
            "claims.share.rounding", "fail", f"shares of one list sum to {total_pct}%",
            f"情况说明第{s.page}页“{s.excerpt(members[0][0].pos)}”：同一列举的占比之和为 {total_pct}%，不等于 100%",
            pages=s.pages, value_a=total_pct.quantize(CENT), source_a=f"情况说明第{s.page}页 各项占比之和",
            value_b=Decimal("100.00"), source_b="100%"))
    return _closed(out, "claims.share", checked, "shares", "情况说明", "占比及其总额", f"{checked} 处占比与金额相符",
                   related=("claims.shares_swapped", "claims.shares_copy_rates"))


def _share_errors(claims: Claims, wrong: list[tuple]) -> dict[int, tuple[str, str]]:
    """The printed errors (catalogue §9) among the wrong shares, by id of the share: two shares of one list
    that are each other's (swapped), a share that is the completion rate stated for the same figure."""
    out: dict[int, tuple[str, str]] = {}
    for i, (a, rate_a, *_rest) in enumerate(wrong):
        for b, rate_b, *_ in wrong[i + 1:]:
            if a.group == b.group and _near(a.pct, rate_b, a.pct_decimals) and _near(b.pct, rate_a, b.pct_decimals):
                out[id(a)] = ("claims.shares_swapped", f"（与{b.figure.topic}的占比互换）")
                out[id(b)] = ("claims.shares_swapped", f"（与{a.figure.topic}的占比互换）")
    for sh, *_ in wrong:
        if id(sh) not in out and any(c.actual is not None and c.actual.value == sh.figure.value and c.pct == sh.pct
                                     for c in claims.completions):
            out[id(sh)] = ("claims.shares_copy_rates", "（为该项完成预算的比率，不是占比）")
    return out


def _near(printed: Decimal, value: Decimal, decimals: int) -> bool:
    """A printed percentage is value rounded (or truncated) to its decimals."""
    return -half_unit(decimals) <= printed - value <= Decimal(1).scaleb(-decimals)


def _share_total(f: DocFigures, claims: Claims, sh) -> tuple[Amount | Decimal | None, str]:
    if sh.total is not None:
        return sh.total, sh.total.topic or "总额"
    if sh.total_name:
        from etl.parsing.claims import topic_of

        name, _ = topic_of(sh.total_name)
        for a in reversed([a for a in claims.amounts if a.pos < sh.pos and not a.change]):
            if a.topic == name or a.topic + "合计" == name:
                return a, name
        fake = Amount(Decimal(0), 2, name, name, None, sh.sentence, sh.pos, 0)
        found = table_figure(f, fake)
        return (found[0], found[1]) if found else (None, "")
    if re.search(r"[(]类[)]$", sh.figure.topic):  # a list of 类: of the 一般公共预算 total
        for a in reversed([a for a in claims.amounts if a.pos < sh.pos and not a.change]):
            if a.topic == "一般公共预算财政拨款支出" and a.role is None:
                return a, a.topic
        row = _row(f, "gpb_expenditure")
        return (row["total"], f"{_GPB} 合计") if row else (None, "")
    return None, ""


def _completion_group(actual: Amount) -> str:
    """A completion rate of the 一般公共预算财政拨款 total puts the gpb figures in doubt (its 决算, budget and
    completion); one of the 三公 their group (sangong); one of a 类/款/项 that row's figures (items)."""
    topic = re.sub(r"[(（][^)）]*[)）]", "", actual.topic or "")
    if "三公" in topic or any(k in topic for k, _, _ in _SANGONG_ITEMS):
        return "sangong"
    if topic in ("人员经费", "公用经费"):
        return "cost"
    return "gpb" if re.fullmatch(r"(?:一般公共预算)?(?:财政拨款)?(?:本年)?支出(?:合计)?|一般公共预算财政拨款支出"
                                 r"|一般公共预算财政拨款", topic) else "items"


def _completion_checks(f: DocFigures, claims: Claims) -> list[CheckResult]:
    out, checked = [], 0
    for c in claims.completions:
        if c.actual is None:
            continue
        named = {"年初": "initial_budget", "全年": "full_year_budget", "调整": "full_year_budget"}.get(c.kind or "")
        budgets = sorted((b for b in c.budgets if b.value > 0), key=lambda b: b.role != named)
        if c.actual.value == 0 and c.pct == 100 and not budgets:
            checked += 1
            out.append(_zero_base(c))
            continue
        if not budgets:
            continue
        checked += 1
        gaps = []
        for b in budgets:
            rng = _ratio_range(c.actual.value, c.actual.decimals, b.value, b.decimals)
            gaps.append((pct_gap(c.pct, c.pct_decimals, rng) if rng else Decimal(0), b))
        gap, b = min(gaps, key=lambda g: g[0])
        check = _grade("claims.completion_pct", gap, CENT)
        if check is None:
            continue
        b = budgets[0]
        rate = c.actual.value / b.value * 100
        s = c.sentence
        if check == "claims.completion_pct":
            check = _completion_error(claims, c, budgets)
        out.append(CheckResult(
            check, "fail",
            f"{c.actual.topic}: {_fmt(c.actual.value)} / {_fmt(b.value)} = {rate:.2f}%, printed {c.pct}%",
            f"情况说明第{s.page}页“{s.excerpt(c.pos)}”：决算 {_fmt(c.actual.value)} ÷ 预算 {_fmt(b.value)} = "
            f"{rate:.2f}%，"
            f"说明完成 {c.pct}%{_unit_slip(c.actual.value, c.actual.decimals, b, c.pct, c.pct_decimals)}",
            pages=s.pages, value_a=c.pct.quantize(CENT), source_a=f"情况说明第{s.page}页 完成率",
            value_b=rate.quantize(CENT), source_b=f"{_where(c.actual)} 决算数 ÷ 预算数",
            doubts=_completion_group(c.actual)))
    return _closed(out, "claims.completion_pct", checked, "completion rates", "情况说明", "完成率及其预算数",
                   f"{checked} 处完成率与决算数、预算数相符",
                   related=("claims.completion_is_change", "claims.full_completion_over_budget",
                            "claims.zero_base_full_completion"))


def _completion_error(claims: Claims, c, budgets: list[Amount]) -> str:
    """Which printed error (catalogue §9) a wrong completion rate is: 100% while the 决算 exceeds every budget
    printed; the change against last year stated for the same figure; else a wrong rate."""
    a = c.actual
    if c.pct == 100 and all(a.value - half_unit(a.decimals) > b.value + half_unit(b.decimals) for b in budgets):
        return "claims.full_completion_over_budget"
    for ch in claims.changes:
        same = ch.current is a or (ch.current is not None and ch.current.value == a.value) or ch.topic == a.topic
        if same and ch.pct is not None and ch.base == "prior_year" and _near(c.pct, ch.pct, ch.pct_decimals):
            return "claims.completion_is_change"
    return "claims.completion_pct"


def _zero_base(c) -> CheckResult:
    """完成预算的100% of a 决算 of 0 with no budget above 0: a rate on a zero base, not a completion rate."""
    s = c.sentence
    return CheckResult(
        "claims.zero_base_full_completion", "fail", f"{c.actual.topic}: 0 / 0 stated as {c.pct}%",
        f"情况说明第{s.page}页“{s.excerpt(c.pos)}”：决算为 0、预算为 0（或未列），完成率无从计算，说明为 {c.pct}%",
        pages=s.pages, value_a=c.pct.quantize(CENT), source_a=f"情况说明第{s.page}页 完成率",
        value_b=c.actual.value.quantize(CENT), source_b=f"{_where(c.actual)} 决算数")


# -- counts ----------------------------------------------------------------------------------------


def _count_checks(claims: Claims) -> list[CheckResult]:
    """团组 N 个，累计 M 人次: no group without travellers, no travellers without a group."""
    out = []
    for t in claims.trips:
        if (t.groups == 0) == (t.travellers == 0):
            continue
        s = t.sentence
        out.append(CheckResult(
            "claims.counts", "fail", f"{t.groups} groups with {t.travellers} travellers",
            f"情况说明第{s.page}页“{s.excerpt(t.pos)}”：因公出国（境）团组 {t.groups} 个、累计 {t.travellers} 人次，"
            "自相矛盾", pages=s.pages, value_a=Decimal(t.groups), source_a=f"情况说明第{s.page}页 团组数",
            value_b=Decimal(t.travellers), source_b=f"情况说明第{s.page}页 人次"))
    return _closed(out, "claims.counts", len(claims.trips), "counts sentences", "情况说明", "团组数与人次",
                   f"{len(claims.trips)} 处团组数与人次相符")


def _unit_slip(actual: Decimal, decimals: int, budget: Amount, pct: Decimal, pct_decimals: int) -> str:
    """A note when the printed rate fits only with the 决算 and 预算 10,000 times apart (one of them a 元 amount
    labelled 万元 or the reverse, catalogue §7): the figures stay as printed, the reviewer is told."""
    for scale, extra in ((Decimal("0.0001"), 4), (Decimal(10000), 0)):
        rng = _ratio_range(actual, decimals, budget.value * scale, budget.decimals + extra)
        if rng and pct_gap(pct, pct_decimals, rng) == 0:
            return "（决算数与预算数按一万倍之差计则完成率相符：疑为元/万元单位误标，数字按原文记录）"
    return ""


_FITS = {
    "大于": lambda a, b: a > b, "超过": lambda a, b: a > b, "高于": lambda a, b: a > b,
    "小于": lambda a, b: a < b, "低于": lambda a, b: a < b, "未达到": lambda a, b: a < b,
    "等于": lambda a, b: a == b, "持平": lambda a, b: a == b, "相等": lambda a, b: a == b, "一致": lambda a, b: a == b,
    "基本持平": lambda a, b: abs(a - b) <= max(CENT, abs(b) / 100),
}


def _comparison_checks(f: DocFigures, claims: Claims) -> list[CheckResult]:
    out, checked = [], 0
    for c in claims.comparisons:
        if c.actual is None or not c.budgets:
            continue
        named = {"年初": "initial_budget", "全年": "full_year_budget", "调整": "full_year_budget"}.get(c.kind or "")
        budgets = [b for b in c.budgets if b.role == named] or c.budgets
        checked += 1
        a = c.actual.value
        if any(_FITS[c.word](a, b.value) for b in budgets):
            continue
        b = budgets[0]
        s = c.sentence
        out.append(CheckResult(
            "claims.comparison_word", "fail", f"决算 {_fmt(a)} {c.word} 预算 {_fmt(b.value)} does not hold",
            f"情况说明第{s.page}页“{s.excerpt(c.pos)}”：决算数 {_fmt(a)}、预算数 {_fmt(b.value)}，“{c.word}”不符",
            pages=s.pages if c.actual.sentence is s else f"{c.actual.sentence.page},{s.page}",
            value_a=a.quantize(CENT), source_a=f"{_where(c.actual)} 决算数", value_b=b.value.quantize(CENT),
            source_b=f"{_where(b)} 预算数"))
    for c in claims.changes:  # 比年初预算增加/减少: the direction against the budget the text states
        if c.base == "prior_year" or c.current is None or c.direction not in ("增加", "减少"):
            continue
        budgets = [b for b in claims.amounts if b.topic == c.topic and b.role in ("initial_budget", "budget")
                   and not b.change]
        if not budgets:
            continue
        checked += 1
        diff = c.current.value - budgets[0].value
        if (diff > 0) == (c.direction == "增加") or diff == 0:
            continue
        s = c.sentence
        out.append(CheckResult(
            "claims.comparison_word", "fail", f"{c.direction} vs budget {_fmt(budgets[0].value)}",
            f"情况说明第{s.page}页“{s.excerpt(c.pos)}”：决算数 {_fmt(c.current.value)} 比预算数 "
            f"{_fmt(budgets[0].value)} 实为{'增加' if diff > 0 else '减少'}，说明为“{c.direction}”", pages=s.pages,
            value_a=c.current.value.quantize(CENT), source_a=_where(c.current),
            value_b=budgets[0].value.quantize(CENT), source_b=_where(budgets[0])))
    return _closed(out, "claims.comparison_word", checked, "comparison words", "情况说明", "比较用语及其数字",
                   f"{checked} 处比较用语与数字相符")


def narrative_pages(f: DocFigures) -> list:
    table_pages = {p.number for t in f.tables for p in t.pages}
    return [p for p in f.pages if p.number not in table_pages]


def claim_checks(f: DocFigures, claims: Claims | None = None) -> list[CheckResult]:
    if claims is None:
        pages = narrative_pages(f)
        claims = read_claims(pages) if pages else Claims()
    return [*_total_checks(f, claims), *_change_checks(f, claims), *_comparison_checks(f, claims),
            *_share_checks(f, claims), *_completion_checks(f, claims), *_count_checks(claims),
            *_joined_totals_checks(f, claims)]


CLAIM_CHECKS = [claim_checks]
