"""Stand-alone 三公 disclosures (catalogue 2026-12-05 §4 last line, §5, §8 end) and their look-alikes, with truth.

17 of 75 real disclosures are a page of their own: the 三公 table and/or its （一）总体情况 / （二）具体情况 text.
One document per case (CASES), each in a province's wording:
  anhui       一般公共预算财政拨款“三公”经费支出决算表 + text; per item `与YYYY年度预算相比，增加X万元，增长Y%`
  yunnan      the “三公”经费、行政参公单位机关运行经费情况表 (年初预算数), 机关运行经费 a related cost
  guangdong   `支出决算为Y万元，完成全年预算X万元的Z%` (全年 for the total, 预算 for items); text only
  shanghai    `年初预算为X万元，支出决算为Y万元，完成年初预算的Z%` per item; text only
  difference  `与年初预算对比，年初预算为X万元，差值为D万元`, with the table
  zero        zero budgets: `完成预算0万元的--%（基数为0，不可比）` and 0/0 stated as 100%; text only
  unit        a short hospital page: 决算 only, no budget
  school      a short school page: two items listed as one, `因公出国（境）费、公务用车购置及运行维护费无支出`
  web         the anhui page published as a web page (tables as HTML tables)
  text        the yunnan page saved as text (the web page's text, table cells TAB-separated)
  aggregate   look-alike: a region's 本级汇总 三公 page whose “三公” total includes 会议费、培训费 (no department's)
  budget      look-alike: a 三公 预算 page from the same portal (never a 决算)
  comparison  `预算为X万元，实际支出“三公经费”决算为Y万元，决算数未超过预算数` (no rate); year on year from a 0
              prior year (`增长--（基数为0，不可比）`) beside a second base, `比2019年（疫情前）`; text only
Every page states counts (团组N个，累计M人次; 公务用车保有量为N辆; 接待N批次（其中外事接待K批次），M人次), which
carry no money and are never read as figures. Truth keys beyond the shared schema: `publication`,
`sangong_case`, `sangong_basis` (budget_basis of each sangong row), `sangong_statement` (the budget_execution
row of the 三公 total, or None) and the family keys of etl.sample.extras.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from etl.sample.budget import figureless_truth
from etl.sample.document import Generated, _blocks
from etl.sample.extras import empty_figures, family_keys
from etl.sample.fmt import money, pct
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Col, HCell, Style, TableSpec, draw_table
from etl.sample.table_specs import ORDER
from etl.sample.webpage import text_file, web_page

ITEMS = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
NAMES = {"overseas": "因公出国（境）费", "vehicle_total": "公务用车购置及运行维护费",
         "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
ROWS = (("“三公”经费合计", "total"), ("1.因公出国（境）费", "overseas"),
        ("2.公务用车购置及运行维护费", "vehicle_total"), ("其中：公务用车购置费", "vehicle_purchase"),
        ("公务用车运行维护费", "vehicle_operation"), ("3.公务接待费", "reception"))
ANHUI_TITLE = "一般公共预算财政拨款“三公”经费支出决算表"
YUNNAN_TITLE = "“三公”经费、行政参公单位机关运行经费情况表"


@dataclass(frozen=True)
class Case:
    name: str
    dept: str  # department (or, for the aggregate, the region) as the page names it
    region: str
    year: int
    table: str | None = None  # title of the 三公 table printed, None: text only
    form: str = "pdf"  # pdf, html (a saved web page) or text (the web page's text, table cells TAB-separated)


CASES = (
    Case("anhui", "合肥市蜀山区民政局", "合肥市蜀山区", 2023, ANHUI_TITLE),
    Case("yunnan", "昆明市五华区司法局", "昆明市五华区", 2022, YUNNAN_TITLE),
    Case("guangdong", "广州市天河区统计局", "广州市天河区", 2023),
    Case("shanghai", "上海市普陀区民政局", "上海市普陀区", 2024),
    Case("difference", "成都市武侯区商务局", "成都市武侯区", 2023, ANHUI_TITLE),
    Case("zero", "南宁市青秀区档案馆", "南宁市青秀区", 2023),
    Case("unit", "上海市普陀区中心医院", "上海市普陀区", 2024),
    Case("school", "上海市普陀区曹杨第二中学", "上海市普陀区", 2024),
    Case("web", "芜湖市镜湖区人力资源和社会保障局", "芜湖市镜湖区", 2023, ANHUI_TITLE, form="html"),
    Case("text", "曲靖市麒麟区水务局", "曲靖市麒麟区", 2021, YUNNAN_TITLE, form="text"),
    Case("aggregate", "合肥市包河区", "合肥市包河区", 2023),
    Case("budget", "合肥市蜀山区民政局", "合肥市蜀山区", 2024),
    Case("comparison", "南宁市青秀区文化旅游局", "南宁市青秀区", 2023),
)


@dataclass
class Figures:
    """Cents of 万元 per 三公 item: budget and actual, and the counts the text states."""

    budget: dict[str, int]
    actual: dict[str, int]
    groups: int
    travellers: int
    vehicles: int
    receptions: int
    foreign: int
    guests: int


def draw(rng: random.Random, zero: tuple[str, ...] = ()) -> Figures:
    """Items with budget ≥ actual, the parts adding up; an item in `zero` has neither budget nor actual."""
    budget, actual = {}, {}
    for k in ("overseas", "vehicle_purchase", "vehicle_operation", "reception"):
        b = 0 if k in zero else rng.randrange(3_00, 60_00)
        budget[k], actual[k] = b, b * rng.randrange(70, 100) // 100
    for side in (budget, actual):
        side["vehicle_total"] = side["vehicle_purchase"] + side["vehicle_operation"]
        side["total"] = side["overseas"] + side["vehicle_total"] + side["reception"]
    receptions = rng.randrange(8, 60)
    return Figures(budget, actual, rng.randrange(1, 4), rng.randrange(3, 15), rng.randrange(1, 9), receptions,
                   rng.randrange(0, 3), receptions * rng.randrange(3, 8))


def rate(actual: int, budget: int) -> str:
    return pct(actual * 100 / budget)


def _pct_value(actual: int, budget: int) -> float:
    return round(actual * 100 / budget, 2)


#: the counts sentences of real pages (catalogue §5), one form of each per variant: 团组/人次, 保有量, 接待
COUNTS = (
    ("{year}年度全年因公出国（境）团组{groups}个，累计{travellers}人次。",
     "截至{year}年12月31日，公务用车保有量为{vehicles}辆。",
     "国内公务接待共{receptions}批次（其中外事接待{foreign}批次），{guests}人次。"),
    ("全年因公出国（境）团组{groups}次，累计出国（境）{travellers}人次。", "共有公务用车{vehicles}辆。",
     "国内公务接待{receptions}批次，{guests}人次（不包括陪同人员）。"),
    ("因公出国（境）团组共计 ，{groups} 个，出国（境）{travellers}人。",
     "列入财政拨款开支的公务用车保有量为{vehicles}辆。", "公务接待批次为{receptions}个，接待人次为{guests}人。"),
)


def counts_sentences(f: Figures, year: int, form: int = 0) -> list[str]:
    """The counts three item paragraphs state (never money), in one of the COUNTS forms."""
    values = {**vars(f), "year": year}
    return [s.format(**values) for s in COUNTS[form % len(COUNTS)]]


# -- wordings ------------------------------------------------------------------------------------------------


def _w(c: int) -> str:
    return money(c)


def anhui_text(c: Case, f: Figures) -> tuple[list, dict]:
    b, a = f.budget, f.actual
    total = (f"{c.year}年度一般公共预算财政拨款“三公”经费支出预算为{_w(b['total'])}万元，支出决算为{_w(a['total'])}"
             f"万元，完成预算的{rate(a['total'], b['total'])}%。")
    items = []
    for key in ("overseas", "vehicle_total", "reception"):
        d = a[key] - b[key]
        words = ("增加", "增长") if d > 0 else ("减少", "下降")
        items.append(f"{NAMES[key]}支出决算为{_w(a[key])}万元，与{c.year}年度预算相比，{words[0]}{_w(abs(d))}万元，"
                     f"{words[1]}{rate(abs(d), b[key])}%。")
    counts = counts_sentences(f, c.year)
    blocks = [("h", "（一）“三公”经费财政拨款支出决算总体情况说明"), ("p", total),
              ("h", "（二）“三公”经费财政拨款支出决算具体情况说明"),
              ("p", items[0] + counts[0]), ("p", items[1] + counts[1]), ("p", items[2] + counts[2])]
    return blocks, _statement(a["total"], unqualified=b["total"], pct=_pct_value(a["total"], b["total"]),
                              basis="unqualified")


def yunnan_text(c: Case, f: Figures) -> tuple[list, dict]:
    b, a = f.budget, f.actual
    total = (f"{c.year}年度财政拨款“三公”经费支出年初预算为{_w(b['total'])}万元，支出决算为{_w(a['total'])}万元，"
             f"完成年初预算的{rate(a['total'], b['total'])}%。")
    items = [f"{NAMES[k]}年初预算为{_w(b[k])}万元，支出决算为{_w(a[k])}万元，完成年初预算的{rate(a[k], b[k])}%。"
             for k in ("overseas", "vehicle_total", "reception")]
    counts = counts_sentences(f, c.year, form=1)
    blocks = [("h", "（一）“三公”经费支出总体情况"), ("p", total), ("h", "（二）“三公”经费支出具体情况"),
              *(("p", i + n) for i, n in zip(items, counts, strict=True))]
    return blocks, _statement(a["total"], initial=b["total"], pct=_pct_value(a["total"], b["total"]), basis="initial")


def guangdong_text(c: Case, f: Figures) -> tuple[list, dict]:
    """广东: the budget after 完成: 全年预算 for the total, 预算 for the items."""
    b, a = f.budget, f.actual
    total = (f"{c.year}年度“三公”经费财政拨款支出决算为{_w(a['total'])}万元，完成全年预算{_w(b['total'])}万元的"
             f"{rate(a['total'], b['total'])}%。")
    items = [f"{NAMES[k]}支出决算为{_w(a[k])}万元，完成预算{_w(b[k])}万元的{rate(a[k], b[k])}%。"
             for k in ITEMS[1:]]
    counts = counts_sentences(f, c.year, form=2)
    blocks = [("h", "（一）“三公”经费支出总体情况"), ("p", total), ("h", "（二）“三公”经费支出具体情况"),
              ("p", items[0] + counts[0]), ("p", "".join(items[1:4]) + counts[1]), ("p", items[4] + counts[2])]
    return blocks, _statement(a["total"], full_year=b["total"], pct=_pct_value(a["total"], b["total"]),
                              basis="full_year")


def shanghai_text(c: Case, f: Figures) -> tuple[list, dict]:
    b, a = f.budget, f.actual
    total = (f"{c.year}年度“三公”经费财政拨款支出年初预算为{_w(b['total'])}万元，支出决算为{_w(a['total'])}万元，"
             f"完成年初预算的{rate(a['total'], b['total'])}%。")
    items = [f"{NAMES[k]}年初预算为{_w(b[k])}万元，支出决算为{_w(a[k])}万元，完成年初预算的{rate(a[k], b[k])}%。"
             for k in ITEMS[1:]]
    counts = counts_sentences(f, c.year, form=1)
    blocks = [("h", "（一）“三公”经费财政拨款支出决算总体情况说明"), ("p", total),
              ("h", "（二）“三公”经费财政拨款支出决算具体情况说明"),
              ("p", items[0] + counts[0]), ("p", "".join(items[1:4]) + counts[1]), ("p", items[4] + counts[2])]
    return blocks, _statement(a["total"], initial=b["total"], pct=_pct_value(a["total"], b["total"]), basis="initial")


def difference_text(c: Case, f: Figures) -> tuple[list, dict]:
    """与年初预算对比 and 差值 (unsigned: the sentence's own 预算 and 决算 give its direction)."""
    b, a = f.budget, f.actual
    d = a["total"] - b["total"]
    total = (f"{c.year}年度“三公”经费支出决算为{_w(a['total'])}万元，与年初预算对比，年初预算为{_w(b['total'])}万元，"
             f"差值为{_w(abs(d))}万元。")
    counts = counts_sentences(f, c.year, form=2)
    items = [f"{NAMES[k]}支出决算为{_w(a[k])}万元。" for k in ("overseas", "vehicle_total", "reception")]
    blocks = [("h", "（一）“三公”经费支出总体情况"), ("p", total), ("h", "（二）“三公”经费支出具体情况"),
              *(("p", i + n) for i, n in zip(items, counts, strict=True))]
    return blocks, _statement(a["total"], initial=b["total"], difference=d)


def zero_text(c: Case, f: Figures) -> tuple[list, dict]:
    """Zero budgets: an item of 0 budget and 0 actual stated as 100% (0/0) or as --%（基数为0，不可比）."""
    b, a = f.budget, f.actual
    total = (f"{c.year}年度“三公”经费财政拨款支出预算为{_w(b['total'])}万元，支出决算为{_w(a['total'])}万元，"
             f"完成预算的{rate(a['total'], b['total'])}%。")
    items = [f"因公出国（境）费支出预算为{_w(b['overseas'])}万元，支出决算为{_w(a['overseas'])}万元，完成预算的100%。",
             f"公务用车购置及运行维护费支出决算为{_w(a['vehicle_total'])}万元，完成预算{_w(b['vehicle_total'])}万元的"
             f"{rate(a['vehicle_total'], b['vehicle_total'])}%。其中：公务用车购置费支出决算为"
             f"{_w(a['vehicle_purchase'])}万元，完成预算{_w(b['vehicle_purchase'])}万元的--%（基数为0，不可比）；"
             f"公务用车运行维护费支出决算为{_w(a['vehicle_operation'])}万元，完成预算{_w(b['vehicle_operation'])}"
             f"万元的{rate(a['vehicle_operation'], b['vehicle_operation'])}%。",
             f"公务接待费支出预算为{_w(b['reception'])}万元，支出决算为{_w(a['reception'])}万元，完成预算的"
             f"{rate(a['reception'], b['reception'])}%。"]
    counts = counts_sentences(f, c.year, form=1)
    blocks = [("h", "（一）“三公”经费支出总体情况"), ("p", total), ("h", "（二）“三公”经费支出具体情况"),
              *(("p", i + n) for i, n in zip(items, counts, strict=True))]
    return blocks, _statement(a["total"], unqualified=b["total"], pct=_pct_value(a["total"], b["total"]),
                              basis="unqualified")


def unit_text(c: Case, f: Figures) -> tuple[list, dict]:
    """A short hospital page: the 决算 of the total and items, no budget."""
    a = f.actual
    text = (f"{c.year}年度我院“三公”经费支出决算为{_w(a['total'])}万元。其中：因公出国（境）费{_w(a['overseas'])}"
            f"万元；公务用车运行维护费{_w(a['vehicle_operation'])}万元；公务接待费{_w(a['reception'])}万元。")
    counts = counts_sentences(f, c.year, form=2)
    return [("p", text), ("p", counts[1] + counts[2])], _statement(a["total"])


def school_text(c: Case, f: Figures) -> tuple[list, dict]:
    """A short school page: only 公务接待费 spent, the other items listed together as 无支出."""
    a = f.actual
    text = (f"{c.year}年度我校“三公”经费支出决算为{_w(a['total'])}万元，其中：公务接待费{_w(a['reception'])}万元；"
            "因公出国（境）费、公务用车购置及运行维护费无支出。")
    return [("p", text), ("p", counts_sentences(f, c.year)[2])], _statement(a["total"])


def comparison_text(c: Case, f: Figures) -> tuple[list, dict]:
    """Budget and actual compared in words, no rate; the year on year from a 0 prior year (no 三公 last year) and
    against 2019 (疫情前), which is not last year. Each item states its budget and its 决算."""
    b, a = f.budget, f.actual
    pre = a["total"] + a["total"] // 3 + 1_00  # before the pandemic: more than this year
    total = (f"本年度“三公”经费预算为{_w(b['total'])}万元，实际支出“三公经费”决算为{_w(a['total'])}万元，"
             "决算数未超过预算数。")
    yoy = (f"与上年相比，{c.year}年度“三公”经费支出决算数比{c.year - 1}年度增加{_w(a['total'])}万元，增长--（基数为0，"
           f"不可比）；比2019年（疫情前）减少{_w(pre - a['total'])}万元，下降{rate(pre - a['total'], pre)}%。")
    items = [f"{NAMES[k]}预算为{_w(b[k])}万元，决算为{_w(a[k])}万元。" for k in ITEMS[1:]]
    counts = counts_sentences(f, c.year, form=1)
    blocks = [("h", "（一）“三公”经费支出总体情况"), ("p", total), ("p", yoy), ("h", "（二）“三公”经费支出具体情况"),
              ("p", items[0] + counts[0]), ("p", "".join(items[1:4]) + counts[1]), ("p", items[4] + counts[2])]
    return blocks, _statement(a["total"], unqualified=b["total"])


def _statement(actual: int, initial: int | None = None, full_year: int | None = None, unqualified: int | None = None,
               pct: float | None = None, basis: str | None = None, difference: int | None = None) -> dict:
    """The budget_execution row of the 三公 total as the text states it (万元, percent)."""
    def w(v: int | None) -> float | None:
        return None if v is None else v / 100
    return {"initial_budget": w(initial), "full_year_budget": w(full_year), "unqualified_budget": w(unqualified),
            "actual": w(actual), "completion_pct": pct, "budget_basis": basis, "budget_difference": w(difference)}


TEXTS = {"anhui": anhui_text, "web": anhui_text, "yunnan": yunnan_text, "text": yunnan_text,
         "guangdong": guangdong_text, "shanghai": shanghai_text, "difference": difference_text, "zero": zero_text,
         "unit": unit_text, "school": school_text, "comparison": comparison_text}


# -- tables --------------------------------------------------------------------------------------------------


def across_table(title: str, f: Figures) -> TableSpec:
    """The national form printed across: a 预算数/决算数 pair per item."""
    header = [[HCell("财政拨款“三公”经费", colspan=12)],
              [HCell("合计", colspan=2, rowspan=2), HCell("因公出国（境）费", colspan=2, rowspan=2),
               HCell("公务用车购置及运行维护费", colspan=6), HCell("公务接待费", colspan=2, rowspan=2)],
              [HCell("小计", colspan=2), HCell("公务用车购置费", colspan=2), HCell("公务用车运行维护费", colspan=2)],
              [HCell(t) for _ in range(6) for t in ("预算数", "决算数")]]
    body = [[money(x) for k in ITEMS for x in (f.budget[k], f.actual[k])]]
    return TableSpec(title=title, cols=[Col(1.0, num=True)] * 12, header=header, body=body, landscape=False)


def yunnan_table(f: Figures, admin: tuple[int, int]) -> TableSpec:
    """云南 ≤2022: a row per item under 年初预算数/决算数, 机关运行经费 last."""
    header = [[HCell("项目"), HCell("年初预算数"), HCell("决算数")]]
    body = [[label, money(f.budget[k]), money(f.actual[k])] for label, k in ROWS]
    body.append(["4.行政参公单位机关运行经费", money(admin[0]), money(admin[1])])
    return TableSpec(title=YUNNAN_TITLE, cols=[Col(3.2), Col(1.4, num=True), Col(1.4, num=True)], header=header,
                     body=body, landscape=False)


# -- documents -----------------------------------------------------------------------------------------------


def page_title(c: Case) -> str:
    if c.table == YUNNAN_TITLE:
        return f"{c.dept}{c.year}年度“三公”经费支出决算情况说明"
    if c.table == ANHUI_TITLE:
        return f"{c.dept}{c.year}年度一般公共预算财政拨款“三公”经费支出决算情况说明"
    return f"{c.dept}{c.year}年度“三公”经费决算情况"


def _render(title: str, blocks: list, tables: list[TableSpec], same_page: bool = False) -> bytes:
    """The page: its title, the text, then each table on a page of its own or (`same_page`) right below the text."""
    doc = Doc(title, None, None)
    flow = Flow(doc, size=12)
    flow.new_page()
    flow.heading(title, size=15, center=True, space=8)
    _blocks(flow, blocks, None)  # type: ignore[arg-type]
    for spec in tables:
        if same_page and flow.y > 200:
            flow.y = draw_table(doc, spec, Style(rows_per_page=30), start_new_page=False, y_start=flow.y - 20)
        else:
            flow.y = draw_table(doc, spec, Style(rows_per_page=30))
    return doc.finish()


#: the items a case prints as 0 (neither budget nor actual)
ZERO_ITEMS = {"zero": ("overseas", "vehicle_purchase"), "unit": ("vehicle_purchase",),
              "school": ("overseas", "vehicle_purchase", "vehicle_operation")}


def disclosure(seed: int, c: Case) -> Generated:
    """A stand-alone 三公 disclosure of a department or unit, in PDF, as a web page or as its text."""
    rng = random.Random(f"{seed}|sangong_page|{c.name}")
    f = draw(rng, zero=ZERO_ITEMS.get(c.name, ()))
    blocks, statement = TEXTS[c.name](c, f)
    title = page_title(c)
    related: list[dict] = []
    tables = []
    if c.table == YUNNAN_TITLE:
        admin_budget = rng.randrange(100_00, 900_00)
        admin = (admin_budget, admin_budget * rng.randrange(80, 100) // 100)
        tables.append(yunnan_table(f, admin))
        related.append({"item": "admin_operation", "fund": None, "budget": admin[0] / 100, "actual": admin[1] / 100})
    elif c.table:
        tables.append(across_table(c.table, f))
    content = [("part", title), *blocks, *(("table", t) for t in tables)]
    if c.form == "html":
        data, name = web_page(content, title), f"{title}.html"
    elif c.form == "text":
        data, name = text_file(content), f"{title}.txt"
    else:
        data, name = _render(title, blocks, tables, same_page=c.name == "anhui"), f"{title}.pdf"
    sangong = _sangong_truth(f, c)
    basis = {k: _basis(c, k, statement) for k in sangong["actual"]}
    truth = _truth(name, data, c, sangong, statement, related, basis)
    truth["sangong_item_execution"] = _items_truth(c, f)
    truth["counts"] = counts_truth(f, c.year, blocks)
    return Generated(name, data, truth, content)


def counts_truth(f: Figures, year: int, blocks: list) -> list[dict]:
    """The counts rows of the COUNTS sentences the text prints: 国内公务接待共N批次（其中外事接待K批次） is every
    reception with its 外事 part; 国内公务接待N批次 the domestic ones; 公务接待批次为N个 every one."""
    text = "".join(b[1] for b in blocks if b[0] == "p")
    rows: list[dict] = []

    def add(kind: str, value: int, unit: str, scope: str | None = None) -> None:
        rows.append({"kind": kind, "scope": scope, "value": value, "unit": unit})

    for form in range(len(COUNTS)):
        trips, vehicles, receptions = counts_sentences(f, year, form)
        if trips in text:
            add("overseas_groups", f.groups, "个")
            add("overseas_people", f.travellers, "人次")
        if vehicles in text:
            add("vehicles_held", f.vehicles, "辆")
        if receptions in text:
            scope = "domestic" if form == 1 else None
            add("reception_batches", f.receptions, "批次", scope)
            add("reception_people", f.guests, "人次", scope)
            if form == 0:
                add("reception_batches", f.foreign, "批次", "foreign")
    return rows


def _item(item: str, pct: str | None = None, basis: str | None = None, difference: int | None = None) -> dict:
    return {"item": item, "completion_pct": None if pct is None else float(pct), "budget_basis": basis,
            "budget_difference": None if difference is None else difference / 100}


def _items_truth(c: Case, f: Figures) -> list[dict]:
    """What each item's sentence states against its budget, as the wordings above print it (budget_execution
    scope sangong_item): a rate and its basis, or a difference; nothing where an item states no budget."""
    b, a = f.budget, f.actual
    three = ("overseas", "vehicle_total", "reception")
    if c.name in ("anhui", "web"):  # 与YYYY年度预算相比，增加/减少 D: a difference, no rate
        return [_item(k, difference=a[k] - b[k]) for k in three]
    if c.name in ("yunnan", "text"):
        return [_item(k, rate(a[k], b[k]), "initial") for k in three]
    if c.name in ("guangdong", "shanghai"):
        basis = "unqualified" if c.name == "guangdong" else "initial"
        return [_item(k, rate(a[k], b[k]), basis) for k in ITEMS[1:]]
    if c.name == "zero":  # 0/0 printed as 100%; a 0 budget's --% states the budget, no rate
        return [_item("overseas", "100", "unqualified"),
                *(_item(k, rate(a[k], b[k]), "unqualified") for k in ("vehicle_total",)),
                _item("vehicle_purchase"),
                *(_item(k, rate(a[k], b[k]), "unqualified") for k in ("vehicle_operation", "reception"))]
    if c.name == "comparison":  # each item's 预算 and 决算, no rate
        return [_item(k) for k in ITEMS[1:]]
    return []  # difference, unit, school: the items' 决算 only


def _basis(c: Case, item: str, statement: dict) -> str | None:
    """The budget_basis of a sangong row: the table's 预算 heading, else the text's (广东: 全年 for the total only)."""
    if c.table:
        return "initial" if c.table == YUNNAN_TITLE else "unqualified"
    if c.name == "guangdong" and item != "total":
        return "unqualified"
    # a 预算 stated without a rate (compared in words) is still an unqualified one
    return statement["budget_basis"] or ("unqualified" if statement["unqualified_budget"] is not None else None)


def _sangong_truth(f: Figures, c: Case) -> dict:
    """What the sangong table holds: the table's figures, or the items the text states (with or without budget)."""
    if c.name in ("unit", "school"):  # no budget stated; the hospital states 公务用车 by its 运行维护费 only
        keys = ("total", "overseas", "vehicle_operation" if c.name == "unit" else "vehicle_total", "reception")
        return {"budget": {}, "actual": {k: f.actual[k] / 100 for k in keys}}
    keys = ITEMS  # a table prints every item; the text-only pages state every item with its budget
    return {"budget": {k: f.budget[k] / 100 for k in keys}, "actual": {k: f.actual[k] / 100 for k in keys}}


def _truth(name: str, data: bytes, c: Case, sangong: dict, statement: dict, related: list[dict],
           basis: dict[str, str | None]) -> dict:
    rec = {"source_file": name, "sha256": hashlib.sha256(data).hexdigest(), "region": c.region,
           "department": c.dept, "year": c.year, "unit": "万元",
           "tables_present": {k: k == "sangong" and c.table is not None for k in ORDER}}
    rec |= empty_figures()
    # the national form's family, read as for any report; a hospital's or school's page names no scope
    rec |= family_keys("district", "department", sangong_source="table" if c.table else "narrative")
    if c.name in ("unit", "school"):
        del rec["report_scope"]
    rec["sangong"] = sangong
    rec["sangong_narrative"] = {"budget_total": statement["initial_budget"], "actual_total": statement["actual"]}
    rec |= {"publication": "sangong_only", "sangong_case": c.name, "sangong_basis": basis,
            "sangong_statement": statement, "related_costs": related}
    rec["notes"] = [f"Generated by juesuan sample: a stand-alone 三公 disclosure ({c.name}); counts sentences "
                    "(团组, 保有量, 接待批次) carry no money."]
    return rec


def aggregate_page(seed: int, c: Case) -> Generated:
    """Look-alike: a region's 本级汇总 三公 page (every department together), its “三公” total counting 会议费 and
    培训费. No department's report: recorded as `other`, no figure written."""
    rng = random.Random(f"{seed}|sangong_page|{c.name}")
    f = draw(rng)
    meeting, training = rng.randrange(50_00, 400_00), rng.randrange(50_00, 400_00)
    a = f.actual
    whole = a["total"] + meeting + training
    title = f"{c.region}{c.year}年度区本级“三公”经费及会议费、培训费支出决算情况"
    text = (f"{c.year}年度，区本级一般公共预算安排的“三公”经费及会议费、培训费支出决算合计{_w(whole)}万元，"
            f"其中：因公出国（境）费{_w(a['overseas'])}万元，公务用车购置及运行维护费{_w(a['vehicle_total'])}万元，"
            f"公务接待费{_w(a['reception'])}万元，会议费{_w(meeting)}万元，培训费{_w(training)}万元。"
            f"区本级汇总数包含区级各部门及其所属单位。")
    blocks = [("h", "一、“三公”经费及会议费、培训费总体情况"), ("p", text),
              ("p", counts_sentences(f, c.year)[1])]
    data = _render(title, blocks, [])
    name = f"{title}.pdf"
    rec = figureless_truth(name, data, None, None, c.year, "other")  # names no department, so no region read
    rec |= {"sangong_case": c.name, "publication": None, "template": None, "sangong_basis": {},
            "sangong_statement": None}
    del rec["report_scope"]  # no department's scope
    return Generated(name, data, rec, [("part", title), *blocks])


def budget_page(seed: int, c: Case) -> Generated:
    """Look-alike: the same department's 三公 预算 page (the coming year's budget): a budget, never a 决算."""
    rng = random.Random(f"{seed}|sangong_page|{c.name}")
    f = draw(rng)
    b = f.budget
    title = f"{c.dept}{c.year}年度“三公”经费预算情况说明"
    text = (f"{c.year}年度“三公”经费财政拨款预算为{_w(b['total'])}万元，其中：因公出国（境）费{_w(b['overseas'])}"
            f"万元，公务用车购置及运行维护费{_w(b['vehicle_total'])}万元，公务接待费{_w(b['reception'])}万元。")
    header = [[HCell("合计"), HCell("因公出国（境）费"), HCell("公务用车购置及运行维护费"), HCell("公务接待费")]]
    spec = TableSpec(title="“三公”经费支出预算表", cols=[Col(1.0, num=True)] * 4, header=header,
                     body=[[money(b[k]) for k in ("total", "overseas", "vehicle_total", "reception")]])
    blocks = [("h", "一、“三公”经费预算总体情况"), ("p", text), ("p", counts_sentences(f, c.year - 1)[1])]
    data = _render(title, blocks, [spec])
    name = f"{title}.pdf"
    rec = figureless_truth(name, data, c.region, c.dept, c.year, "budget")
    rec |= {"sangong_case": c.name, "publication": None, "sangong_basis": {}, "sangong_statement": None}
    return Generated(name, data, rec, [("part", title), *blocks, ("table", spec)])


def case(k: int) -> Case:
    return CASES[k % len(CASES)]


def sangong_pages(seed: int, n: int) -> Iterator[Generated]:
    """n documents, CASES in turn; each further round a year earlier, with other figures (the seed moves on)."""
    for k in range(n):
        rounds = k // len(CASES)
        c, s = replace(case(k), year=case(k).year - rounds), seed + rounds
        if c.name == "aggregate":
            yield aggregate_page(s, c)
        elif c.name == "budget":
            yield budget_page(s, c)
        else:
            yield disclosure(s, c)
