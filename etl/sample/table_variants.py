"""Table-set and title variants met in real reports (catalogue 2026-12-05 §1–§3, §10), with exact truth.

A variant renames and numbers the standard tables (表一：, 表 1：, （一）, a (公开NN表) suffix, a 财决公开NN表
heading), reorders them (三公 last), adds tables no standard one covers (项目支出决算表, 国有资产, 财政专户,
政府采购) and prints the 三公 table with the costs real templates print beside it: 会议费 and 培训费,
机关运行经费, the 三公 of 政府性基金 (in its own columns, or a table of its own), or 云南's pair (an all-fund
三公 and 机关运行经费 table, then the 一般公共预算 one). The truth's `sangong` stays the 一般公共预算 三公;
everything beside it is in `related_costs` (item, fund, budget, actual in 万元).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.extras import other_table
from etl.sample.figures import Printed
from etl.sample.fmt import cell
from etl.sample.layout import Layout
from etl.sample.render_tables import Col, HCell, TableSpec
from etl.sample.table_specs import NOTES, ORDER


@dataclass(frozen=True)
class Variant:
    name: str
    numbering: str = ""  # biao_cn 表一： / biao_num 表 1： / paren （一） / suffix （公开01表） / heading 财决公开01表
    #                      / biao_paren 表（一）
    #: meeting_training / admin_operation / gov_fund_columns / gov_fund_table / yunnan_pair (printed down);
    #: across_pairs / across_rows: items (and 会议费、培训费) as columns, 预算/决算 as column pairs or as rows
    sangong: str = ""
    others: tuple[str, ...] = ()  # titles of tables none of the standard ones, printed after 06
    sangong_last: bool = False  # (公开07表) listed and printed after 08 and 09
    tables_last: bool = False  # 四川: 情况说明 and 名词解释 first, the tables in a trailing 附表 part
    titles: dict[str, str] = field(default_factory=dict)  # standard tables printed under another title
    drop: tuple[str, ...] = ()  # standard tables the report does not print (8 tables: no 三公 table at all)
    #: the print order when set: standard keys, `|` a group heading in the contents, any other text an other table
    sequence: tuple[str, ...] = ()
    #: tables (standard keys, or titles of the sequence's other tables) printed with the one line
    #: "本部门没有相关数据，故本表无数据"; only tables the report has no figures for (the generator's 09)
    empty: tuple[str, ...] = ()
    toc: str = ""  # contents with page numbers: dots (dot leaders) / pageref (Word PAGEREF field codes left in)
    annex: bool = False  # a 附件 part between 名词解释 and the trailing 附表 (with tables_last)
    #: the contents say the tables are 见附件1 and the tables follow the text as 附件1 (with tables_last)
    attachment: bool = False


VARIANTS = (
    Variant("biao_cn", "biao_cn", "meeting_training"),
    Variant("biao_num", "biao_num", "admin_operation", others=("一般公共预算财政拨款项目支出决算表",)),
    Variant("paren", "paren", "gov_fund_columns"),
    Variant("suffix", "suffix", sangong_last=True,
            others=("一般公共预算财政拨款项目支出决算表", "国有资产使用情况表")),  # 11 tables
    Variant("sichuan", "heading", "gov_fund_table", tables_last=True,
            others=("一般公共预算财政拨款项目支出决算表", "财政专户管理资金收入支出决算表", "政府采购支出决算表",
                    "国有资产占用情况表")),  # 14 tables
    Variant("yunnan", "", "yunnan_pair",
            titles={"income_expenditure_summary": "收入支出决算表", "fiscal_summary": "财政拨款收入支出决算表"}),
    Variant("eight_no_sangong", drop=("sangong",)),  # 8 tables, 三公 stated in the text only
    Variant("sichuan13", "heading", tables_last=True,
            others=("一般公共预算财政拨款项目支出决算表", "财政专户管理资金收入支出决算表", "政府采购支出决算表",
                    "国有资产占用情况表")),  # 13 tables
)

SANGONG_TITLES = {
    "meeting_training": "“三公”经费及会议费、培训费支出决算表",
    "admin_operation": "一般公共预算财政拨款“三公”经费及机关运行经费支出决算表",
    "gov_fund_columns": "一般公共预算及政府性基金财政拨款“三公”经费支出决算表",
    "gov_fund_table": "一般公共预算财政拨款“三公”经费支出决算表",
    "yunnan_pair": "一般公共预算财政拨款“三公”经费情况表",
    "across_pairs": "“三公”经费及会议费、培训费支出决算表",
    "across_rows": "“三公”经费及会议费、培训费支出决算表",
}
GOV_FUND_SANGONG = "政府性基金预算财政拨款“三公”经费支出决算表"
YUNNAN_FIRST = "财政拨款“三公”经费、行政参公单位机关运行经费情况表"
ROWS = (("“三公”经费合计", "total"), ("1.因公出国（境）费", "overseas"),
        ("2.公务用车购置及运行维护费", "vehicle_total"), ("其中：公务用车购置费", "vehicle_purchase"),
        ("公务用车运行维护费", "vehicle_operation"), ("3.公务接待费", "reception"))
EXTRA_LABELS = {"meeting": "会议费", "training": "培训费", "admin_operation": "机关运行经费"}
EMPTY_LINE = "本部门没有相关数据，故本表无数据"


def variant(k: int) -> Variant:
    return VARIANTS[k % len(VARIANTS)]


def _draw_sangong(rng: random.Random, scale: int) -> dict[str, tuple[int, int]]:
    """(budget, actual) cents per 三公 item, every item non-zero, the parts adding up."""
    parts = {k: rng.randrange(max(scale // 20, 50), max(scale // 4, 100)) for k in
             ("overseas", "vehicle_purchase", "vehicle_operation", "reception")}
    out = {}
    for k, b in parts.items():
        out[k] = (b, b * rng.randrange(80, 100) // 100)
    side = [(out["vehicle_purchase"][i] + out["vehicle_operation"][i]) for i in (0, 1)]
    out["vehicle_total"] = (side[0], side[1])
    out["total"] = tuple(out["overseas"][i] + out["vehicle_total"][i] + out["reception"][i] for i in (0, 1))
    return out


def _row(item: str, fund: str | None, pair: tuple[int, int]) -> dict:
    return {"item": item, "fund": fund, "budget": pair[0] / 100, "actual": pair[1] / 100}


def _down_table(title: str, blocks: list[tuple[str, dict[str, tuple[int, int]]]], extras: dict[str, tuple[int, int]],
                lay: Layout, note: str) -> TableSpec:
    """A 三公 table printed down (a row per item), a 预算数/决算数 pair per fund block, extra cost rows last."""
    cols = [Col(3.2)] + [Col(1.2, num=True)] * (2 * len(blocks))
    header = [[HCell("项目", rowspan=2)] + [HCell(head, colspan=2) for head, _ in blocks],
              [HCell(s) for _ in blocks for s in ("预算数", "决算数")]]
    body = [[label] + [cell(v, lay) for _, fig in blocks for v in fig[key]] for label, key in ROWS]
    for n, (key, pair) in enumerate(extras.items(), start=4):
        body.append([f"{n}.{EXTRA_LABELS[key]}"] + [cell(v, lay) for v in pair] + [""] * (2 * len(blocks) - 2))
    return TableSpec(title=title, cols=cols, header=header, body=body, unit=lay.unit, note=[note], landscape=False)


def _across_table(title: str, fig: dict[str, tuple[int, int]], extras: dict[str, tuple[int, int]], lay: Layout,
                  note: str, rows: bool) -> TableSpec:
    """A 三公 table printed across (an item per column, 会议费 and 培训费 beside the 三公): 预算数 and 决算数 as
    two rows (`rows`), or as a column pair under each item."""
    items = [("合计", "total"), ("因公出国（境）费", "overseas"), ("小计", "vehicle_total"),
             ("公务用车购置费", "vehicle_purchase"), ("公务用车运行维护费", "vehicle_operation"),
             ("公务接待费", "reception")] + [(EXTRA_LABELS[k], k) for k in extras]
    values = fig | extras
    n_sg, n_ex, w = 6, len(extras), 1 if rows else 2
    top = [HCell("“三公”经费", colspan=n_sg * w)] + [HCell(EXTRA_LABELS[k], colspan=w, rowspan=3) for k in extras]
    mid = [HCell("合计", colspan=w, rowspan=2), HCell("因公出国（境）费", colspan=w, rowspan=2),
           HCell("公务用车购置及运行维护费", colspan=3 * w), HCell("公务接待费", colspan=w, rowspan=2)]
    low = [HCell(label, colspan=w) for label, _ in items[2:5]]
    if rows:
        header = [[HCell("项目", rowspan=3)] + top, mid, low]
        body = [[side] + [cell(values[key][i], lay) for _, key in items] for i, side in enumerate(("预算数", "决算数"))]
        cols = [Col(1.4)] + [Col(1.0, num=True)] * (n_sg + n_ex)
    else:
        header = [top, mid, low, [HCell(t) for _ in items for t in ("预算数", "决算数")]]
        body = [[cell(values[key][i], lay) for _, key in items for i in (0, 1)]]
        cols = [Col(1.0, num=True)] * (2 * (n_sg + n_ex))
    return TableSpec(title=title, cols=cols, header=header, body=body, unit=lay.unit, note=[note], landscape=True)


def sangong_tables(v: Variant, p: Printed, lay: Layout, rng: random.Random) -> tuple[list, list[dict]]:
    """The 三公 table(s) of a variant as (key, spec) pairs, and the related_costs truth rows."""
    gpb = {k: (p.sangong_budget[k], p.sangong_actual[k]) for k in p.sangong_budget}
    scale = max(p.sangong_budget["total"], 1000)
    note = NOTES["sangong"]
    if v.sangong in ("across_pairs", "across_rows"):
        extras = {k: _pair(rng, scale) for k in ("meeting", "training")}
        spec = _across_table(SANGONG_TITLES[v.sangong], gpb, extras, lay, note, v.sangong == "across_rows")
        return [("sangong", spec)], [_row(k, None, pair) for k, pair in extras.items()]
    if v.sangong in ("meeting_training", "admin_operation"):
        keys = ("meeting", "training") if v.sangong == "meeting_training" else ("admin_operation",)
        extras = {k: _pair(rng, scale * (8 if k == "admin_operation" else 1)) for k in keys}
        fund = "gpb" if "一般公共预算" in v.titles.get("sangong", SANGONG_TITLES[v.sangong]) else None
        spec = _down_table(SANGONG_TITLES[v.sangong], [("“三公”经费", gpb)], extras, lay, note)
        return [("sangong", spec)], [_row(k, fund, pair) for k, pair in extras.items()]
    gov = _draw_sangong(rng, scale)
    if v.sangong == "gov_fund_columns":
        blocks = [("一般公共预算财政拨款", gpb), ("政府性基金预算财政拨款", gov)]
        spec = _down_table(SANGONG_TITLES[v.sangong], blocks, {}, lay, note)
        return [("sangong", spec)], _fund_rows(gov, "gov_fund")
    if v.sangong == "gov_fund_table":
        main = _down_table(SANGONG_TITLES[v.sangong], [("“三公”经费", gpb)], {}, lay, note)
        second = _down_table(GOV_FUND_SANGONG, [("“三公”经费", gov)], {}, lay, note)
        return [("sangong", main), ("sangong_related", second)], _fund_rows(gov, "gov_fund")
    # yunnan_pair: every fund's 三公 and 机关运行经费 first, then the 一般公共预算 三公 (07)
    every = {k: (gpb[k][0] + gov[k][0], gpb[k][1] + gov[k][1]) for k in gpb}
    admin = _pair(rng, scale * 8)
    first = _down_table(YUNNAN_FIRST, [("“三公”经费", every)], {"admin_operation": admin}, lay, note)
    main = _down_table(SANGONG_TITLES[v.sangong], [("“三公”经费", gpb)], {}, lay, note)
    related = [_row("admin_operation", "all", admin), *_fund_rows(every, "all")]
    return [("sangong_related", first), ("sangong", main)], related


def _fund_rows(figures: dict[str, tuple[int, int]], fund: str) -> list[dict]:
    return [_row(key, fund, figures[key]) for _, key in ROWS]


def _pair(rng: random.Random, scale: int) -> tuple[int, int]:
    budget = rng.randrange(max(scale // 10, 100), max(scale // 2, 200))
    return budget, budget * rng.randrange(75, 100) // 100


def apply(v: Variant, tables: list, p: Printed, lay: Layout, rng: random.Random) -> tuple[list, list[str], list[dict]]:
    """The variant's tables in print order (key, spec), the titles of the `other` tables among them, and the
    related_costs truth. `tables` are the standard (key, spec) pairs of the report, unnumbered."""
    related: list[dict] = []
    tables = [(k, spec) for k, spec in tables if k not in v.drop]
    if v.sangong:
        at = next(i for i, (k, _) in enumerate(tables) if k == "sangong")
        sangong, related = sangong_tables(v, p, lay, rng)
        tables = tables[:at] + sangong + tables[at + 1:]
    for key, spec in tables:
        spec.title = v.titles.get(key, spec.title)
        spec.number = None
        if key in v.empty:
            _empty(spec)
    if v.sequence:
        tables = _in_sequence(v, tables, lay, rng)
    else:
        basic = 1 + next((i for i, (k, _) in enumerate(tables) if k == "gpb_basic_expenditure"), len(tables) - 1)
        others = [("other", _other(title, lay, rng)) for title in v.others]
        tables = tables[:basic] + others + tables[basic:]
    if v.sangong_last:
        tables = [t for t in tables if t[0] != "sangong"] + [t for t in tables if t[0] == "sangong"]
    _number(v, tables)
    return tables, [s.title for k, s in tables if k == "other"], related


def _empty(spec: TableSpec) -> None:
    """The table's header over one line saying it has no figures (no 合计 row, no blank rows, no note)."""
    spec.body = [[(EMPTY_LINE, len(spec.cols))]]
    spec.blank_rows, spec.note = 0, []


def _in_sequence(v: Variant, tables: list, lay: Layout, rng: random.Random) -> list:
    """The tables in the variant's own order: a standard key takes its table (a 三公 key every table the
    variant prints for it), any other text is the title of an other table."""
    by_key: dict[str, list] = {}
    for key, spec in tables:
        by_key.setdefault("sangong" if key == "sangong_related" else key, []).append((key, spec))
    out = []
    for entry in v.sequence:
        out += by_key.get(entry, []) if entry in ORDER else [("other", _other(entry, lay, rng))]
        if out and out[-1][0] == "other" and entry in v.empty:
            _empty(out[-1][1])
    return out


def _other(title: str, lay: Layout, rng: random.Random) -> TableSpec:
    """A table of another subject under its real-report title (its columns those of a generic other table)."""
    spec = other_table(rng, None, lay.unit)
    spec.title = title
    return spec


def _number(v: Variant, tables: list) -> None:
    """Number every table as the variant prints it; the (公开NN表) code is the standard order's (07 = 三公)."""
    codes = {key: n for n, key in enumerate(("income_expenditure_summary", "income", "expenditure", "fiscal_summary",
                                             "gpb_expenditure", "gpb_basic_expenditure", "sangong", "gov_fund",
                                             "state_capital"), 1)}
    for n, (key, spec) in enumerate(tables, 1):
        if v.numbering == "biao_cn":
            spec.title = f"表{cat.cn_ordinal(n)}：{spec.title}"
        elif v.numbering == "biao_num":
            spec.title = f"表 {n}：{spec.title}"
        elif v.numbering == "biao_paren":
            spec.title = f"表（{cat.cn_ordinal(n)}）{spec.title}"
        elif v.numbering == "paren":
            spec.title = f"（{cat.cn_ordinal(n)}）{spec.title}"
        elif v.numbering == "suffix" and key in codes:
            spec.title = f"{spec.title}（公开{codes[key]:02d}表）"
        elif v.numbering == "heading" and key in codes:
            spec.number = f"财决公开{codes[key]:02d}表"


def toc_entry(v: Variant | None, text: str, page: int, room: float) -> str:
    """A contents line as the variant prints it: with dot leaders filling `room` (pt at 12 pt) to its page
    number, or with the Word field code of the entry's page number left in the text (PAGEREF _Toc… \\h N)."""
    if v is None or not v.toc:
        return text
    if v.toc == "pageref":
        return f"{text} PAGEREF _Toc{505_000_000 + 7 * page} \\h {page}"
    dot = fonts.width(".", fonts.CJK, 12)
    used = fonts.width(text, fonts.CJK, 12) + fonts.width(str(page), fonts.CJK, 12)
    return f"{text}{'.' * max(3, int((room - used) / dot) - 2)}{page}"
