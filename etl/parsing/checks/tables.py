"""The identities of the printed tables (01 balances, 合计 = Σ rows, 05 = 04, 06 = 05 基本支出,
三公 parts) and the narrative's budget figures against the tables."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from etl.parsing.checks.base import CENT, CheckResult, DocFigures, Rule, Sides, _fmt, compare, declare, skipped

_IDENTITY = "identity of the printed table: when it fails, a printed (or read) figure is wrong"
_COLUMNS = ("total", "basic", "project")
_SIDES = ("budget", "actual")
_ONCE = ("a code printed once, read twice: a row was misread (a section's digits read apart from its class "
         "code, say), and which of the two figures is the code's is unknown")
#: Every check, once. The longest matching prefix gives a check id its rule.
RULES: tuple[Rule, ...] = declare(
    Rule("summary.grand_totals_balance", "error", "收入支出决算总表：收入总计 = 支出总计",
         _IDENTITY, doubts=("totals",)),
    Rule("summary.income_side_adds_up", "error", "收入支出决算总表：本年收入合计 + 年初结转和结余 + 使用结余 = 总计",
         _IDENTITY, doubts=("totals",)),
    Rule("summary.expenditure_side_adds_up", "error",
         "收入支出决算总表：本年支出合计 + 年末结转和结余 + 结余分配 = 总计", _IDENTITY, doubts=("totals",)),
    Rule("summary.income_total_includes_carryover", "error",
         "收入支出决算总表：年初结转和结余不为 0 时，本年收入合计 ≠ 收入总计",
         "the income side's identity broken in its commonest way: 本年收入合计 printed as the 总计 although a "
         "carry-over is printed (or the carry-over left out of the 总计); reported instead of "
         "summary.income_side_adds_up", doubts=("totals",)),
    Rule("summary.income_items_sum", "error", "收入支出决算总表：各项收入之和 = 本年收入合计", _IDENTITY,
         doubts=("totals",)),
    Rule("expenditure.classes_sum_to_total", "error", "支出决算表：各类合计 = 合计行（合计、基本支出、项目支出各列）",
         _IDENTITY, _COLUMNS, doubts=("totals", "items")),
    Rule("expenditure.total_is_basic_plus_project", "error", "支出决算表：每行基本支出 + 项目支出 = 合计",
         _IDENTITY, doubts=("totals", "items")),
    Rule("gpb_expenditure.classes_sum_to_total", "error",
         "一般公共预算财政拨款支出决算表：各类合计 = 合计行（合计、基本支出、项目支出各列）",
         _IDENTITY, _COLUMNS, doubts=("gpb", "items")),
    Rule("gpb_expenditure.total_is_basic_plus_project", "error",
         "一般公共预算财政拨款支出决算表：每行基本支出 + 项目支出 = 合计", _IDENTITY, doubts=("gpb", "items")),
    Rule("gpb_expenditure.total_equals_fiscal_summary", "error",
         "一般公共预算财政拨款支出决算表合计 = 财政拨款收入支出决算总表一般公共预算支出",
         "the same amount printed in two standard tables (05 and 04) must agree", doubts=("gpb",)),
    Rule("gpb_basic_expenditure.costs_equal_basic", "error",
         "基本支出决算表：人员经费 + 公用经费 = 一般公共预算财政拨款基本支出",
         "the same amount printed in two standard tables (06 and 05) must agree", doubts=("cost",)),
    Rule("gpb_basic_expenditure.personnel_classes_sum", "error", "基本支出决算表：人员经费各类之和 = 人员经费合计",
         _IDENTITY, doubts=("cost",)),
    Rule("gpb_basic_expenditure.public_classes_sum", "error", "基本支出决算表：公用经费各类之和 = 公用经费合计",
         _IDENTITY, doubts=("cost",)),
    Rule("sangong.parts_sum_to_total", "warning", "“三公”经费表：因公出国（境）+ 公务用车 + 公务接待 = 合计",
         "三公 parts ≠ printed 合计: the analyst chooses the printed total or the sum of the parts", _SIDES,
         doubts=("sangong",)),
    Rule("sangong.vehicle_parts_sum", "warning", "“三公”经费表：购置费 + 运行维护费 = 公务用车小计",
         "三公 parts ≠ printed 小计: the analyst chooses the printed 小计 or the sum of the parts", _SIDES,
         doubts=("sangong",)),
    Rule("expenditure.codes_unique", "error", "支出决算表：每个功能分类科目编码只出现一次", _ONCE,
         doubts=("totals", "items")),
    Rule("gpb_expenditure.codes_unique", "error", "一般公共预算财政拨款支出决算表：每个功能分类科目编码只出现一次",
         _ONCE, doubts=("gpb", "items")),
    Rule("fiscal_expenditure.codes_unique", "error", "财政拨款支出决算表：每个功能分类科目编码只出现一次", _ONCE,
         doubts=("items",)),
    Rule("gpb_basic_expenditure.codes_unique", "error", "基本支出决算表：每个经济分类科目编码只出现一次", _ONCE,
         doubts=("cost",)),
    Rule("narrative.gpb_actual_matches_table", "warning",
         "情况说明：一般公共预算财政拨款支出决算数 = 一般公共预算财政拨款支出决算表合计",
         "an independent source (the narrative) disagrees; the tables are used", doubts=("gpb",)),
    Rule("narrative.sangong_matches_table", "warning", "情况说明：“三公”经费决算数 = “三公”经费表合计",
         "an independent source (the narrative) disagrees; the tables are used", doubts=("sangong",)),
    Rule("narrative.items_match_table", "warning", "情况说明：各项支出决算数 = 一般公共预算财政拨款支出决算表对应项",
         "an independent source (the narrative) disagrees; the tables are used", doubts=("items",)),
)




def _row(rows: list[dict], key: str, side: str | None = None) -> dict | None:
    for r in rows:
        if r.get("item") == key and (side is None or r.get("side") == side):
            return r
    return None


def _item(rows: list[dict], key: str, side: str | None = None) -> Decimal | None:
    row = _row(rows, key, side)
    return None if row is None else row["amount"]


def _page_of(source) -> int | None:
    """The `page` of a parsed row (dict) or of a narrative statement (object)."""
    page = source.get("page") if isinstance(source, dict) else getattr(source, "page", None)
    return page if isinstance(page, int) and not isinstance(page, bool) else None


def _pages(*sources) -> str | None:
    """Comma-separated sorted unique PDF pages of the rows compared (None when none is known).
    Each source is a row, a statement, None, or a list of them."""
    found: set[int] = set()
    for source in sources:
        for item in source if isinstance(source, (list, tuple)) else [source]:
            if item is not None and (page := _page_of(item)) is not None:
                found.add(page)
    return ",".join(map(str, sorted(found))) or None


def _on(result: CheckResult, *sources) -> CheckResult:
    """The result with the pages of the figures it compared (a skipped check compared none)."""
    if result.status != "skipped":
        result.pages = _pages(*sources)
    return result


_SUMMARY = "收入支出决算总表"


def _summary_checks(f: DocFigures) -> list[CheckResult]:
    s = f.summary
    inc = lambda k: _item(s, k, "income")  # noqa: E731
    exp = lambda k: _item(s, k, "expenditure")  # noqa: E731
    rows = lambda side, *keys: [_row(s, k, side) for k in keys]  # noqa: E731
    parts = income_parts(s)
    return [
        _on(compare("summary.grand_totals_balance", "01 总计 income vs expenditure", [inc("grand_total")],
                    exp("grand_total"), Sides(_SUMMARY, "收入总计", "支出总计")),
            rows("income", "grand_total"), rows("expenditure", "grand_total")),
        _on(_carryover_left_out(compare(
            "summary.income_side_adds_up", "01 本年收入合计 + 年初结转和结余 + 使用结余 = 总计",
            [inc("income_total"), inc("carryover_begin"), inc("use_of_reserves")], inc("grand_total"),
            Sides(_SUMMARY, "本年收入合计 + 年初结转和结余 + 使用结余", "收入总计")), inc("income_total"),
            inc("carryover_begin")),
            rows("income", "income_total", "carryover_begin", "use_of_reserves", "grand_total")),
        _on(compare("summary.expenditure_side_adds_up", "01 本年支出合计 + 年末结转和结余 + 结余分配 = 总计",
                    [exp("expenditure_total"), exp("carryover_end"), exp("surplus_distribution")],
                    exp("grand_total"), Sides(_SUMMARY, "本年支出合计 + 年末结转和结余 + 结余分配", "支出总计")),
            rows("expenditure", "expenditure_total", "carryover_end", "surplus_distribution", "grand_total")),
        _on(compare("summary.income_items_sum", "01 income rows = 本年收入合计", [inc(k) for k in parts],
                    inc("income_total"), Sides(_SUMMARY, "各项收入之和", "本年收入合计")),
            rows("income", *parts, "income_total")),
    ]


def _carryover_left_out(result: CheckResult, income: Decimal | None, carryover: Decimal | None) -> CheckResult:
    """The income side's failure when 本年收入合计 = 收入总计 although a carry-over is printed: the carry-over was
    left out of one of them (catalogue §9), said as such."""
    whole = result.value_b
    if result.status != "fail" or not carryover or carryover <= 0 or income is None or income != whole:
        return result
    return CheckResult(
        "summary.income_total_includes_carryover", "fail", f"01 本年收入合计 = 收入总计 = {_fmt(whole)} although "
        f"年初结转和结余 {_fmt(carryover)} is printed",
        f"{_SUMMARY}：本年收入合计与收入总计同为 {_fmt(whole)}，而年初结转和结余为 {_fmt(carryover)}（未计入总计，"
        "或合计误印为总计）", value_a=result.value_a, source_a=result.source_a, value_b=whole, source_b=result.source_b)


def income_parts(rows: list[dict]) -> list[str]:
    """The items of 01 whose sum is 本年收入合计: 财政拨款收入 in one row, or split by fund."""
    parts = ["fiscal_appropriation_income", "superior_subsidy_income", "business_income", "operating_income",
             "affiliate_income", "other_income"]
    if _item(rows, "fiscal_appropriation_income", "income") is None or _has_split_fiscal(rows):
        parts = ["gpb_income", "gov_fund_income", "state_capital_income", *parts[1:]]
    return parts


def _has_split_fiscal(rows: list[dict]) -> bool:
    return any(r.get("item") == "gpb_income" for r in rows) and not any(
        r.get("item") == "fiscal_appropriation_income" and r.get("label", "").endswith("财政拨款收入")
        and "一般公共预算" not in r.get("label", "") for r in rows)


COLUMNS_ZH = {"total": "合计", "basic": "基本支出", "project": "项目支出"}


def _function_checks(f: DocFigures, table_key: str, name: str, name_zh: str) -> list[CheckResult]:
    rows = [r for r in f.function_rows if r["table_key"] == table_key]
    if not rows:
        return [skipped(f"{table_key}.classes_sum_to_total", f"{name}: not printed", name_zh, "本表")]
    total = next((r for r in rows if r["level"] == "total"), None)
    classes = [r for r in rows if r["level"] == "class"]
    out = [_on(compare(f"{table_key}.classes_sum_to_total.{col}", f"{name} 类 rows {col} = 合计",
                       [r[col] for r in classes], total[col] if total else None,
                       Sides(f"{name_zh}（{COLUMNS_ZH[col]}列）", "各类合计", "合计行")), classes, total)
           for col in _COLUMNS]
    bad = [r for r in rows
           if abs(r["basic"] + r["project"] + r.get("other", 0) - r["total"]) > CENT * 2]
    detail = "; ".join(f"{r['code'] or '合计'}: {_fmt(r['basic'])}+{_fmt(r['project'])} vs {_fmt(r['total'])}"
                       for r in bad[:5])
    summary = f"{name}: {len(bad)} rows where 基本支出 + 项目支出 ≠ 合计" + (f" ({detail})" if bad else "")
    if bad:
        shown = "；".join(f"{r['code'] or '合计'} {_fmt(r['basic'])} + {_fmt(r['project'])} ≠ {_fmt(r['total'])}"
                         for r in bad[:3])
        message = (f"{name_zh}：{len(bad)} 行基本支出 + 项目支出与合计不符（{shown}"
                   + ("；…" if len(bad) > 3 else "") + "）")
    else:
        message = f"{name_zh}：各行基本支出 + 项目支出与合计相符"
    # pages: the rows that disagree when some do, else every row compared
    out.append(CheckResult(f"{table_key}.total_is_basic_plus_project", "fail" if bad else "pass", summary,
                           message, pages=_pages(bad or rows)))
    return out


_GPB_TABLE = "一般公共预算财政拨款支出决算表"
_BASIC_TABLE = "一般公共预算财政拨款基本支出决算表"


def _cross_table_checks(f: DocFigures) -> list[CheckResult]:
    gpb_total = next((r for r in f.function_rows if r["table_key"] == "gpb_expenditure" and r["level"] == "total"),
                     None)
    fiscal_exp = next((r for r in f.fiscal_summary
                       if r["side"] == "expenditure" and r["item"] == "expenditure_total"), None)
    fiscal_gpb = None if fiscal_exp is None else fiscal_exp["values"].get("gpb", fiscal_exp["amount"])
    costs = f.cost_totals or {}
    out = [
        _on(compare("gpb_expenditure.total_equals_fiscal_summary", "05 合计 = 04 本年支出合计 (一般公共预算)",
                    [gpb_total["total"]] if gpb_total else [], fiscal_gpb,
                    Sides(_GPB_TABLE, "合计", "财政拨款收入支出决算总表一般公共预算本年支出合计")),
            gpb_total, fiscal_exp),
        _on(compare("gpb_basic_expenditure.costs_equal_basic", "06 人员经费 + 公用经费 = 05 基本支出",
                    [costs.get("personnel_cost"), costs.get("public_cost")] if costs else [],
                    gpb_total["basic"] if gpb_total else None,
                    Sides(_BASIC_TABLE, "人员经费 + 公用经费", f"{_GPB_TABLE}基本支出")),
            f.cost_totals, gpb_total),
    ]
    for group, key, zh in (("personnel", "personnel_cost", "人员经费"), ("public", "public_cost", "公用经费")):
        class_rows = [r for r in f.economic_rows if r["level"] == "class" and r["cost_group"] == group]
        classes = [r["amount"] for r in class_rows]
        out.append(_on(compare(f"gpb_basic_expenditure.{group}_classes_sum", f"06 {group} 类 rows = {key}",
                               classes, costs.get(key), Sides(_BASIC_TABLE, f"{zh}各类之和", f"{zh}合计")),
                       class_rows, f.cost_totals))
    return out


_SANGONG = "“三公”经费支出决算表"
SIDES_ZH = {"budget": "预算数", "actual": "决算数"}


def _sangong_checks(f: DocFigures) -> list[CheckResult]:
    if not f.sangong:
        return [skipped("sangong.parts_sum_to_total", "三公 table not printed", _SANGONG, "本表")]
    by = {r["item"]: r for r in f.sangong}
    out = []
    for side in _SIDES:
        subject = f"{_SANGONG}（{SIDES_ZH[side]}）"
        out.append(_on(compare(f"sangong.parts_sum_to_total.{side}", f"三公 {side}: 出国 + 公务用车 + 接待 = 合计",
                               [by[k][side] for k in ("overseas", "vehicle_total", "reception")],
                               by["total"][side], Sides(subject, "因公出国（境）+ 公务用车 + 公务接待", "合计")),
                       [by[k] for k in ("overseas", "vehicle_total", "reception", "total")]))
        out.append(_on(compare(f"sangong.vehicle_parts_sum.{side}", f"三公 {side}: 购置 + 运行 = 公务用车小计",
                               [by[k][side] for k in ("vehicle_purchase", "vehicle_operation")],
                               by["vehicle_total"][side],
                               Sides(subject, "公务用车购置费 + 运行维护费", "公务用车小计")),
                       [by[k] for k in ("vehicle_purchase", "vehicle_operation", "vehicle_total")]))
    return out


def _narrative_checks(f: DocFigures) -> list[CheckResult]:
    gpb_total = next((r for r in f.function_rows if r["table_key"] == "gpb_expenditure" and r["level"] == "total"),
                     None)
    stmt = next((s for s in f.statements if s.scope == "gpb_total"), None)
    out = [_on(compare("narrative.gpb_actual_matches_table", "narrative 一般公共预算财政拨款支出决算 = 05 合计",
                       [stmt.actual] if stmt else [], gpb_total["total"] if gpb_total else None,
                       Sides("情况说明与表", "情况说明中一般公共预算财政拨款支出决算数", f"{_GPB_TABLE}合计")),
               stmt, gpb_total)]
    sg = next((s for s in f.statements if s.scope == "sangong_total"), None)
    sg_total = next((r for r in f.sangong if r["item"] == "total"), None)
    if sg and sg_total:
        out.append(_on(compare("narrative.sangong_matches_table", "narrative 三公 决算 = table 合计 决算数",
                               [sg.actual], sg_total["actual"],
                               Sides("情况说明与表", "情况说明中“三公”经费决算数", f"{_SANGONG}合计决算数")),
                       sg, sg_total))
    out.append(_items_check(f))
    return out


def _items_check(f: DocFigures) -> CheckResult:
    check_id, subject = "narrative.items_match_table", "情况说明与表"
    items = [s for s in f.statements if s.scope == "item" and s.actual is not None]
    if not items:
        return skipped(check_id, "no per-项 statements", subject, "情况说明中各项支出的决算数")
    table = {r["code"]: r for r in f.function_rows if r["table_key"] == "gpb_expenditure" and r["code"]}
    bad, bad_zh, linked = [], [], 0
    compared, disagreeing = [], []  # the statements and rows compared, and those that disagree (pages)
    for s in items:
        row = table.get(getattr(s, "code", None) or "")
        if row is None:
            continue
        linked += 1
        compared += [s, row]
        if abs(row["total"] - s.actual) > CENT:
            disagreeing += [s, row]
            bad.append(f"{s.path}: narrative {_fmt(s.actual)} vs table {_fmt(row['total'])}")
            bad_zh.append(f"{(s.path or '').split('/')[-1]} 说明 {_fmt(s.actual)}、表 {_fmt(row['total'])}")
    if not linked:
        return CheckResult(check_id, "skipped", "no statement linked to a 05 row",
                           f"{subject}：情况说明中的项均未对应到{_GPB_TABLE}的行，未校验")
    detail = f"{linked} linked 项 statements; {len(bad)} disagree" + (": " + "; ".join(bad[:5]) if bad else "")
    if bad:
        message = (f"{subject}：情况说明中 {len(bad)} 个项的决算数与{_GPB_TABLE}不符（" + "；".join(bad_zh[:3])
                   + ("；…" if len(bad) > 3 else "") + "）")
    else:
        message = f"{subject}：情况说明中 {linked} 个项的决算数与{_GPB_TABLE}相符"
    return CheckResult(check_id, "fail" if bad else "pass", detail, message, pages=_pages(disagreeing or compared))


_CODED_TABLES = {"expenditure": "支出决算表", "gpb_expenditure": _GPB_TABLE, "fiscal_expenditure": "财政拨款支出决算表",
                 "gpb_basic_expenditure": _BASIC_TABLE}


def _codes_unique_checks(f: DocFigures) -> list[CheckResult]:
    """Each table with coded rows: every code once (no result for a table not read)."""
    by_table = {key: [r for r in f.function_rows if r["table_key"] == key] for key in _CODED_TABLES}
    by_table["gpb_basic_expenditure"] = f.economic_rows
    out = []
    for key, rows in by_table.items():
        codes = [r["code"] for r in rows if r.get("code")]
        if not codes:
            continue
        twice = sorted({c for c in codes if codes.count(c) > 1})
        zh = _CODED_TABLES[key]
        if not twice:
            out.append(CheckResult(f"{key}.codes_unique", "pass", f"{len(codes)} codes, each once",
                                   f"{zh}：{len(codes)} 个科目编码各出现一次，相符", pages=_pages(rows)))
            continue
        shown = "、".join(twice[:5]) + ("等" if len(twice) > 5 else "")
        out.append(CheckResult(f"{key}.codes_unique", "fail", f"codes read more than once: {', '.join(twice)}",
                               f"{zh}：科目编码 {shown} 出现不止一次，其中一行可能误读",
                               pages=_pages([r for r in rows if r.get("code") in twice])))
    return out


#: The table checks, in the order their results are written.
TABLE_CHECKS: list[Callable[[DocFigures], list[CheckResult]]] = [
    _summary_checks,
    lambda f: _function_checks(f, "expenditure", "03 支出决算表", "支出决算表"),
    lambda f: _function_checks(f, "gpb_expenditure", "05 一般公共预算财政拨款支出决算表", _GPB_TABLE),
    _cross_table_checks,
    _codes_unique_checks,
    _sangong_checks,
    _narrative_checks,
]
