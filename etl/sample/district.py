"""One national-form report (district, legacy district, central department or unit) drawn into a
shared `Doc` under family options: which parts it has, how its tables are titled and numbered,
where its 三公 is stated, an unknown extra table. Several reports may share one Doc (a volume).

The default corpus does not come through here (document.generate draws it); this is the
configurable path the report families use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.document import _blocks
from etl.sample.extras import indented, other_table
from etl.sample.figures import Printed, build_printed, raw_figures
from etl.sample.fmt import pct as fpct
from etl.sample.fmt import wan
from etl.sample.layout import Layout
from etl.sample.narrative import Narrative, rated_item
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Ind, Sp, Style, TableSpec, draw_table
from etl.sample.table_specs import Builder
from etl.sample.table_variants import Variant, apply, toc_entry

#: 2013–2015 wording of the national form (applied to every printed string, longest first).
LEGACY = (("一般公共预算财政拨款", "公共财政拨款"), ("一般公共预算", "公共财政预算"))


@dataclass
class Opts:
    """How a family report differs from the default district report."""

    template: str = "district"
    scope: str = "department"  # department / unit (单位决算)
    sangong: str = "table"  # table / narrative (no 三公 table, figures only in the text)
    central_wording: bool = False  # the 三公 paragraph gives 预算/决算/完成预算 per item (central wording)
    legacy: bool = False  # 公共财政 wording, no 国有资本经营预算 table
    numbered: bool = False  # titles 表一 … 表N
    other: bool = False  # an unknown table after a standard one
    indent_names: bool = False  # 科目名称 indented by level
    parts: tuple[str, ...] = ("cover", "contents", "overview", "tables", "statements", "glossary")
    tables_heading: str | None = None  # heading above the first table (None: 第二部分 …; "": none)
    title_suffix: str = ""  # after 部门决算 on the cover/title, e.g. （说明）
    central: bool = False  # a central organ: 国务院 wording in the 概况
    rows_per_page: int | None = None  # force continuation pages
    long_tables: bool = False  # rows per page chosen so that the 支出决算表 runs over ≥3 pages
    variant: Variant | None = None  # a table-set/title variant of real reports (etl.sample.table_variants)


@dataclass
class Drawn:
    """What a report drew: its figures, narrative truth, tables, unknown tables' titles."""

    p: Printed
    narr: dict
    tables: set[str]
    others: list[str] = field(default_factory=list)
    title: str = ""
    related: list[dict] = field(default_factory=list)  # related_costs truth (三公-table extras)
    #: what the report prints, in order, for its web-page and text forms (etl.sample.webpage)
    content: list = field(default_factory=list)


def sub_text(text, pairs) -> str:
    """Apply replacements to a printed string, keeping its drawing type (spaced out, indented)."""
    if not isinstance(text, str):
        return text
    new = text
    for a, b in pairs:
        new = new.replace(a, b)
    if isinstance(text, Sp):
        return Sp(new)
    if isinstance(text, Ind):
        return Ind(new, text.level)
    return new


def sub_spec(spec: TableSpec, pairs) -> None:
    spec.title = sub_text(spec.title, pairs)
    for row in spec.header:
        for h in row:
            h.text = sub_text(h.text, pairs)
    spec.body = [
        [(sub_text(c[0], pairs), c[1]) if isinstance(c, tuple) else sub_text(c, pairs) for c in row]
        for row in spec.body
    ]
    spec.note = [sub_text(n, pairs) for n in spec.note]


def sub_blocks(blocks: list, pairs) -> list:
    out = []
    for kind, content in blocks:
        if kind == "table":
            sub_spec(content, pairs)
            out.append((kind, content))
        else:
            out.append((kind, sub_text(content, pairs)))
    return out


class FamilyBuilder(Builder):
    """The standard tables, with names indented by level when asked."""

    def __init__(self, p: Printed, lay: Layout, dept: str, year: int, indent: bool):
        super().__init__(p, lay, dept, year)
        self.indent = indent

    def func_body(self, rows, nvals_print) -> list[list]:
        body = super().func_body(rows, nvals_print)
        if self.indent:
            for line, r in zip(body, rows, strict=True):
                if r.level != "total":
                    line[self.n_code_cols] = indented(r)
        return body


class FamilyNarrative(Narrative):
    """The narrative with a central-wording 三公 paragraph and a central 概况 when asked."""

    def __init__(self, *a, opts: Opts, **kw):
        super().__init__(*a, **kw)
        self.opts = opts

    def overview(self) -> list:
        blocks = super().overview()
        if self.opts.central:
            blocks[2] = (
                "p",
                f"{self.dept}是国务院有关部门管理的机构（或其所属单位）。主要职责是：贯彻落实党中央、"
                "国务院关于本领域工作的方针政策和决策部署，拟订并组织实施相关规划和标准，"
                "承担本领域的监督管理和公共服务工作，完成上级交办的其他任务。",
            )
        return blocks

    def _sangong(self) -> list:
        blocks = super()._sangong()
        if self.opts.central_wording or self.opts.sangong == "narrative":
            blocks[2] = ("p", central_sangong(self.p, self.year, self.rng))
            b, a = self.p.sangong_budget, self.p.sangong_actual  # every item prints its 预算; three their rate
            self.truth["sangong_item_execution"] = [
                rated_item(k, a[k], b[k]) if k in ("overseas", "reception", "vehicle_total") else
                rated_item(k, a[k], 0) for k in ("overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation",
                                                 "reception")]
        return blocks


def central_sangong(p: Printed, year: int, rng: random.Random) -> str:
    """`2024年度“三公”经费财政拨款支出预算为X万元，支出决算为Y万元，完成预算的Z%。其中：…` with the
    three parts in a varying order and the vehicle split after them."""
    b, a = p.sangong_budget, p.sangong_actual

    def part(label: str, k: str) -> str:
        s = f"{label}支出预算为{wan(b[k])}万元，支出决算为{wan(a[k])}万元"
        return s + (f"，完成预算的{fpct(a[k] * 100 / b[k])}%" if b[k] else "")

    parts = [
        part("因公出国（境）费", "overseas"),
        part("公务接待费", "reception"),
        part("公务用车购置及运行维护费", "vehicle_total"),
    ]
    rng.shuffle(parts)
    head = part(f"{year}年度“三公”经费财政拨款", "total")
    return (
        f"{head}。其中：" + "；".join(parts) + "。其中：公务用车购置费支出预算为"
        f"{wan(b['vehicle_purchase'])}万元，支出决算为{wan(a['vehicle_purchase'])}万元；公务用车运行维护费支出预算为"
        f"{wan(b['vehicle_operation'])}万元，支出决算为{wan(a['vehicle_operation'])}万元。"
    )


def kind_word(o: Opts) -> str:
    return "单位决算" if o.scope == "unit" else "部门决算"


def report_title(dept: str, year: int, o: Opts) -> str:
    return f"{dept}{year}年度{kind_word(o)}{o.title_suffix}"


def pairs_for(o: Opts) -> list[tuple[str, str]]:
    pairs = list(LEGACY) if o.legacy else []
    if o.scope == "unit":
        pairs += [("部门决算单位构成", "机构设置"), ("部门决算", "单位决算"), ("本部门", "本单位")]
    return pairs


def build_tables(p: Printed, lay: Layout, dept: str, year: int, o: Opts, rng: random.Random) -> tuple[list, list, list]:
    """The tables in print order (keys, specs), the titles of unknown tables among them, related_costs truth."""
    tables = FamilyBuilder(p, lay, dept, year, o.indent_names).all()
    if o.sangong == "narrative":
        tables = [(k, s) for k, s in tables if k != "sangong"]
    if o.legacy:
        tables = [(k, s) for k, s in tables if k != "state_capital"]
    pairs = pairs_for(o)
    for _, spec in tables:
        sub_spec(spec, pairs)
        if o.legacy or o.template == "central":
            spec.number = None
    if o.variant:
        return apply(o.variant, tables, p, lay, rng)
    if o.numbered:
        for n, (_, spec) in enumerate(tables, 1):
            spec.title = f"表{cat.cn_ordinal(n)} {spec.title}"
    others = []
    if o.other:
        basic = 1 + next(n for n, (k, _) in enumerate(tables) if k == "gpb_basic_expenditure")
        at = len(tables) if o.numbered else basic  # a numbered unknown table follows the last standard one
        prefix = f"表{cat.cn_ordinal(len(tables) + 1)}" if o.numbered else rng.choice([None, "附表"])
        extra = other_table(rng, prefix, lay.unit)
        tables.insert(at, ("other", extra))
        others.append(extra.title)
    return tables, others, []


def draw_report(
    doc: Doc, seed: int, region: str, dept: str, dtype: cat.DeptType, year: int, lay: Layout, o: Opts, city: str
) -> Drawn:
    """Draw one report (its requested parts) into `doc`."""
    raw = raw_figures(seed, region, dtype, year, city)
    prev = raw_figures(seed, region, dtype, year - 1, city)
    p = build_printed(raw, prev, year, lay.split_fiscal)
    rng = random.Random(f"{seed}|family|{region}|{dtype.key}|{year}")
    narr = FamilyNarrative(p, lay, dept, dtype.key, year, rng, region=region, opts=o)
    tables, others, related = build_tables(p, lay, dept, year, o, rng)
    pairs = pairs_for(o)
    title = report_title(dept, year, o)
    content: list = []  # what is printed, in order (Drawn.content)
    if "cover" in o.parts:
        content.append(("cover", _cover(doc, dept, year, o)))
    if doc.running_header and "cover" in o.parts:  # a report of a volume: its own running header
        doc.running_header = title
    if "contents" in o.parts:
        content.append(("contents", _contents(doc, dept, year, [(s.title, k != "other") for k, s in tables], o)))
    if "overview" in o.parts:
        content += _text(doc, lay, sub_blocks(narr.overview(), pairs))
    tables_last = o.variant is not None and o.variant.tables_last  # 四川: 附表 after 名词解释
    if "tables" in o.parts and not tables_last:
        content += _draw_tables(doc, tables, p, lay, o, f"第二部分 {dept}{year}年度{kind_word(o)}表")
    statements = narr.statements()  # always composed: the truth's narrative figures come from it
    if "statements" in o.parts:
        content += _text(doc, lay, sub_blocks(statements, pairs))
    if "glossary" in o.parts:
        content += _text(doc, lay, sub_blocks(narr.glossary(), pairs))
    if "tables" in o.parts and tables_last:
        if o.variant is not None and o.variant.annex:
            content += _annex(doc, dept, year, lay)
        attached = o.variant is not None and o.variant.attachment
        heading = f"附件1：{dept}{year}年度{kind_word(o)}表" if attached else "第五部分 附表"
        content += _draw_tables(doc, tables, p, lay, o, heading)
    return Drawn(p, narr.truth, {k for k, _ in tables if k != "other"}, others, title, related, content)


def _text(doc: Doc, lay: Layout, blocks: list) -> list:
    """Narrative blocks drawn from a new page on; returns them (for Drawn.content)."""
    _blocks(Flow(doc, number_font=lay.number_font), blocks, lay)
    return blocks


def _annex(doc: Doc, dept: str, year: int, lay: Layout) -> list:
    """四川: a 附件 part (the department's performance self-assessment) between 名词解释 and the 附表."""
    flow = Flow(doc, number_font=lay.number_font)
    flow.new_page()
    blocks = [("h", "附件"), ("h", f"附件1：{dept}{year}年度部门整体支出绩效自评情况"),
              ("p", "本部门按照预算绩效管理要求，对年度部门整体支出开展了绩效自评，各项目按计划完成年度工作任务，"
                    "资金使用规范，绩效目标总体完成。")]
    flow.heading(blocks[0][1], center=True)
    flow.heading(blocks[1][1])
    flow.paragraph(blocks[2][1])
    return blocks


def _draw_tables(doc: Doc, tables: list, p: Printed, lay: Layout, o: Opts, default_heading: str) -> list:
    """The tables in print order, the first under the tables part's heading; returns what it printed."""
    style = Style(
        ruled=lay.ruled,
        repeat_header=lay.repeat_header,
        rows_per_page=o.rows_per_page or lay.rows_per_page,
        number_font=lay.table_number_font,
    )
    long = Style(
        ruled=lay.ruled,
        repeat_header=False,
        rows_per_page=max(3, min(8, (len(p.exp_rows) - 1) // 3)),
        number_font=lay.table_number_font,
    )
    heading = o.tables_heading if o.tables_heading is not None else default_heading
    for n, (key, spec) in enumerate(tables):
        st = long if o.long_tables and key == "expenditure" else style
        if n == 0 and heading:
            doc.new_page(spec.landscape)
            w, h = doc.size
            doc.c.setFont(fonts.CJK, 16)
            doc.c.drawCentredString(w / 2, h - 70, heading)
            draw_table(doc, spec, st, start_new_page=False, y_start=h - 90)
        else:
            draw_table(doc, spec, st)
    return [("part", heading)] * bool(heading) + [("table", spec) for _, spec in tables]


def _cover(doc: Doc, dept: str, year: int, o: Opts) -> list[str]:
    doc.new_page(False)
    doc.cover = True
    w, h = doc.size
    y = h * 0.62
    lines = [dept, f"{year}年度{kind_word(o)}{o.title_suffix}"]
    for ln in lines:
        size = 26 if fonts.width(ln, fonts.CJK, 26) < w - 100 else 20
        doc.c.setFont(fonts.CJK, size)
        doc.c.drawCentredString(w / 2, y, ln)
        y -= 44
    return lines


def _contents(doc: Doc, dept: str, year: int, titles: list[tuple[str, bool]], o: Opts) -> list[str]:
    """The 目录; `titles` are (printed title, standard table?) in print order. Returns its lines."""
    flow = Flow(doc, size=12)
    flow.new_page()
    flow.heading("目  录", size=18, center=True)
    k = kind_word(o)
    room = doc.size[0] - 2 * flow.margin
    pages = iter(range(3, 400))  # page numbers of a contents printing them (the variant's toc)
    lines = ["目录"]

    def entry(text: str, indent: bool = True) -> None:
        lines.append(toc_entry(o.variant, text, next(pages), room - (2 * flow.size if indent else 0)))
        flow.paragraph(lines[-1], indent)

    entry(f"第一部分 {dept}概况", indent=False)
    if "tables" in o.parts:
        attached = o.variant is not None and o.variant.attachment
        entry(f"第二部分 {dept}{year}年度{k}表" + ("（见附件1）" if attached else ""), indent=False)
        n = 0
        for t, standard in titles:
            n += standard
            entry(f"{cat.cn_ordinal(n)}、{t}" if standard and not o.numbered else t)
    if "statements" in o.parts:
        entry(f"第三部分 {dept}{year}年度{k}情况说明", indent=False)
    entry("第四部分 名词解释", indent=False)
    return lines
