"""One whole report: cover, contents, 概况, the tables, the 情况说明, 名词解释 — and its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.audit_errors import Injected, variant
from etl.sample.figures import build_printed, inject, raw_figures
from etl.sample.fmt import money
from etl.sample.layout import Layout
from etl.sample.narrative import Narrative
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Style, draw_table
from etl.sample.table_specs import TITLES, Builder
from etl.sample.totals_errors import TABLE_OF, row_page, table_error, table_injected
from etl.sample.truth import truth_record


@dataclass
class Generated:
    file_name: str
    pdf: bytes
    truth: dict
    #: what the PDF prints, in order, for the web-page and text forms (etl.sample.webpage); None when the
    #: document was drawn without it
    content: list | None = None
    #: with wrap_anywhere: (a line's end, the next line's start) at each break of the narrative
    wraps: list = field(default_factory=list)


def report_title(dept: str, year: int, lay: Layout) -> str:
    if lay.family == "gz":
        return f"{year}年{dept}决算公开报告" if lay.narrative_variant == 1 else f"{dept}{year}年部门决算"
    return f"{dept}{year}年度部门决算"


def generate(
    seed: int,
    city: str,
    district: str,
    street: str,
    dept_type: cat.DeptType,
    year: int,
    lay: Layout,
    audit_error: str | None = None,
    wrap_anywhere: bool = False,
) -> Generated:
    """One report; `audit_error` (a kind of audit_errors.AUDIT_ERRORS) prints that mistake into it; with
    `wrap_anywhere` the narrative breaks at any character (pages.Doc.wrap_anywhere), its breaks returned in
    `Generated.wraps`."""
    region = city + district
    dept = cat.department_name(city, district, street, dept_type)
    raw = raw_figures(seed, region, dept_type, year, city)
    prev = raw_figures(seed, region, dept_type, year - 1, city)
    p = build_printed(raw, prev, year, lay.split_fiscal)
    if lay.inconsistency:
        inject(p, lay.inconsistency)
    totals_detail = table_error(audit_error, f"{dept}|{year}|{audit_error}", p)
    rng = random.Random(f"{seed}|text|{region}|{dept_type.key}|{year}")
    title = report_title(dept, year, lay)
    doc = Doc(title, title if lay.header_footer else None, lay.page_number_style if lay.header_footer else None)
    doc.wrap_anywhere = wrap_anywhere
    narr = Narrative(p, lay, dept, dept_type.key, year, rng, error=audit_error, region=region)
    builder = Builder(p, lay, dept, year)
    tables = builder.all()
    err = _TableError(audit_error, f"{dept}|{year}|{audit_error}", tables, p, lay, dept, year)
    listed = [k for k, _ in tables if k not in err.unlisted]
    tables = [(k, spec) for k, spec in tables if k not in err.dropped]
    totals_inj = table_injected(audit_error, totals_detail, dict(tables), builder.v, p)
    _cover(doc, dept, year, lay)
    listed_pages = _contents(doc, dept, year, listed, lay)
    flow = Flow(doc, number_font=lay.number_font)
    overview = narr.overview()
    _blocks(flow, overview, lay, inj=narr.injected)
    style = Style(
        ruled=lay.ruled,
        repeat_header=lay.repeat_header,
        rows_per_page=lay.rows_per_page,
        number_font=lay.table_number_font,
    )
    for n, (key, spec) in enumerate(tables):
        if err.injected and key == err.table:
            err.injected.page = doc.page + 1  # every table starts on a new page
        if totals_inj and key == TABLE_OF[totals_inj.kind]:
            totals_inj.page = doc.page + 1
        y = draw_table(doc, spec, style) if n else _first_table(doc, spec, style, dept, year, lay, err)
        del y
        if totals_inj and key == TABLE_OF[totals_inj.kind]:
            # the note under the table is where the table ends; a figure, on its row's page (01's 总计 and
            # 本年收入合计 rows fall on a continuation page when the table runs on)
            noted = totals_inj.kind == "items_off_by_cent_noted"
            totals_inj.page = doc.page if noted else row_page(spec, totals_inj.printed) or totals_inj.page
    statements, glossary = narr.statements(), narr.glossary()
    _blocks(Flow(doc, number_font=lay.number_font), statements, lay, style, inj=narr.injected)
    _blocks(Flow(doc, number_font=lay.number_font), glossary, lay)
    pdf = doc.finish()
    content = [("cover", _cover_lines(dept, year, lay)), ("contents", _contents_lines(dept, year, listed)),
               *overview, ("part", f"第二部分 {dept}{err.heading_year}年度部门决算表"),
               *(("table", spec) for _, spec in tables), *statements, *glossary]
    name = f"{title}.pdf"
    truth = truth_record(name, pdf, region, dept, year, p, lay, narr.truth, {k for k, _ in tables},
                         peer_type=dept_type.function)
    injected = narr.injected or err.injected or totals_inj
    if err.dropped and err.injected and err.injected.kind == "contents_table_missing":
        err.injected.page = listed_pages[err.table]
    if audit_error:
        if injected is None or injected.kind != audit_error:
            raise RuntimeError(f"audit error {audit_error!r} could not be printed into {name}")
        truth.update(err.truth_changes)
        truth["injected_errors"] = [injected.record()]
        truth["notes"].append(f"Deliberate audit error ({audit_error}): {injected.detail}.")
    return Generated(name, pdf, truth, content, doc.wraps)


class _TableError:
    """The audit errors that are about the tables: which to leave out of the body (and of the 目录),
    which to print blank or under the wrong unit; and what the truth then records for that table."""

    def __init__(self, kind: str | None, key: str, tables: list, p, lay: Layout, dept: str, year: int):
        self.dropped: set[str] = set()
        self.unlisted: set[str] = set()
        self.table: str | None = None
        self.injected: Injected | None = None
        self.truth_changes: dict = {}  # truth keys -> what the changed table prints
        self.heading_year: int = year
        specs = dict(tables)
        if kind == "contents_table_missing":
            self.table = "state_capital" if "state_capital" in specs else "gov_fund"
            self.dropped = {self.table}
            title = specs[self.table].title
            self.injected = Injected(kind, f"目录列有“{title}”，正文无此表", title)
        elif kind == "mandatory_table_missing":
            self.table = ("income", "fiscal_summary")[variant(key, 2)]
            self.dropped = self.unlisted = {self.table}
            title = specs[self.table].title
            self.injected = Injected(kind, f"必备的“{title}”既不在正文也不在目录", title)
        elif kind == "blank_table_with_narrative_figures":
            self.table = "sangong"
            spec = specs["sangong"]
            spec.body = [[""] * len(spec.cols)]
            if variant(key, 2):
                spec.note = [f"注：{dept}{year}年度无财政拨款“三公”经费支出，故本表无数据。"]
            b, a = p.sangong_budget, p.sangong_actual
            self.injected = Injected(
                kind,
                f"“三公”经费表空白，情况说明写预算{b['total'] / 100:.2f}万元、决算{a['total'] / 100:.2f}万元",
                spec.title,
            )
            self.truth_changes = {"sangong": {"budget": {k: 0.0 for k in b}, "actual": {k: 0.0 for k in a}}}
        elif kind == "unit_inconsistent":
            # the 基本支出 table printed in 元 (as a 元 document prints it) under 单位：万元, while the
            # text gives its 人员经费/公用经费 in 万元
            self.table = "gpb_basic_expenditure"
            spec = Builder(p, replace(lay, unit="元"), dept, year).basic()
            spec.unit = "万元"
            for n, (k, _) in enumerate(tables):
                if k == self.table:
                    tables[n] = (k, spec)
            pc = p.personnel_cost
            self.injected = Injected(
                kind,
                f"基本支出决算表单位：万元，人员经费合计印{money(pc * 10000, lay.thousands)}（以元计的数字），"
                f"情况说明写人员经费{money(pc, lay.thousands)}万元",
                money(pc * 10000, lay.thousands),
            )
            self.truth_changes = {  # what the table prints, read in its stated unit
                "personnel_cost": float(pc * 100),
                "public_cost": float(p.public_cost * 100),
                "economic_class": {k: float(v * 100) for k, v in sorted(p.economic_class.items())},
            }
        elif kind == "heading_wrong_year" and variant(f"{dept}|{year}|{kind}", 2):
            self.heading_year = year - 1
            self.injected = Injected(
                kind, f"第二部分标题写{year - 1}年度，报告年度为{year}年", f"第二部分 {dept}{year - 1}年度部门决算表"
            )


def _cover(doc: Doc, dept: str, year: int, lay: Layout) -> None:
    doc.new_page(False)
    w, h = doc.size
    c = doc.c
    c.setFont(fonts.CJK, 26)
    y = h * 0.62
    for ln in _cover_lines(dept, year, lay):
        size = 26 if fonts.width(ln, fonts.CJK, 26) < w - 100 else 20
        c.setFont(fonts.CJK, size)
        c.drawCentredString(w / 2, y, ln)
        y -= 44


def _cover_lines(dept: str, year: int, lay: Layout) -> list[str]:
    if lay.family == "gz" and lay.narrative_variant == 1:
        return [f"{year}年{dept}", "决算公开报告"]
    if lay.family == "gz":
        return [dept, f"{year}年部门决算"]
    return [dept, f"{year}年度部门决算"]


def _contents_lines(dept: str, year: int, keys: list[str]) -> list[str]:
    """The 目录's lines as _contents prints them."""
    return ["目录", f"第一部分 {dept}概况", "一、主要职能", "二、部门决算单位构成",
            f"第二部分 {dept}{year}年度部门决算表",
            *(f"{cat.cn_ordinal(k)}、{TITLES[key]}" for k, key in enumerate(keys, 1)),
            f"第三部分 {dept}{year}年度部门决算情况说明", "第四部分 名词解释"]


def _contents(doc: Doc, dept: str, year: int, keys: list[str], lay: Layout) -> dict[str, int]:
    """The 目录 page; returns the page each table is listed on."""
    flow = Flow(doc, size=12)
    flow.new_page()
    flow.heading("目  录", size=18, center=True)
    flow.paragraph(f"第一部分 {dept}概况", indent=False)
    flow.paragraph("一、主要职能", indent=True)
    flow.paragraph("二、部门决算单位构成", indent=True)
    flow.paragraph(f"第二部分 {dept}{year}年度部门决算表", indent=False)
    pages = {}
    for k, key in enumerate(keys, 1):
        flow.paragraph(f"{cat.cn_ordinal(k)}、{TITLES[key]}", indent=True)
        pages[key] = doc.page
    flow.paragraph(f"第三部分 {dept}{year}年度部门决算情况说明", indent=False)
    flow.paragraph("第四部分 名词解释", indent=False)
    return pages


def _first_table(doc, spec, style, dept, year, lay, err: _TableError) -> float:
    """The tables part starts with its own part heading above the first table."""
    doc.new_page(spec.landscape)
    w, h = doc.size
    doc.c.setFont(fonts.CJK, 16)
    doc.c.drawCentredString(w / 2, h - 70, f"第二部分 {dept}{err.heading_year}年度部门决算表")
    if err.heading_year != year and err.injected:
        err.injected.page = doc.page
    return draw_table(doc, spec, style, start_new_page=False, y_start=h - 90)


def _blocks(flow: Flow, blocks: list, lay: Layout, style: Style | None = None, inj: Injected | None = None) -> None:
    """Draw the blocks; the page of the block printing `inj` (an injected error) is recorded on it."""
    first = True
    mark = inj and (inj.marker or inj.printed)
    for kind, content in blocks:
        if kind == "part":
            if first:
                flow.new_page()
            flow.heading(content, size=16, center=True, space=16)
            if mark and content == mark:
                inj.page = flow.doc.page
        elif kind == "h":
            flow.heading(content)
        elif kind == "p":
            flow.paragraph(content)
            if mark and mark in content:
                inj.page = flow.page_of(content.index(mark))
        elif kind == "table":
            flow.y = draw_table(flow.doc, content, style or Style(), start_new_page=flow.y < 200, y_start=flow.y - 10)
            if flow.doc.landscape:
                flow.new_page()
        first = False
