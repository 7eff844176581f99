"""One whole report: cover, contents, 概况, the tables, the 情况说明, 名词解释 — and its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.figures import build_printed, inject, raw_figures
from etl.sample.layout import Layout
from etl.sample.narrative import Narrative
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Style, draw_table
from etl.sample.table_specs import TITLES, Builder
from etl.sample.truth import truth_record


@dataclass
class Generated:
    file_name: str
    pdf: bytes
    truth: dict


def report_title(dept: str, year: int, lay: Layout) -> str:
    if lay.family == "gz":
        return f"{year}年{dept}决算公开报告" if lay.narrative_variant == 1 else f"{dept}{year}年部门决算"
    return f"{dept}{year}年度部门决算"


def generate(
    seed: int, city: str, district: str, street: str, dept_type: cat.DeptType, year: int, lay: Layout
) -> Generated:
    region = city + district
    dept = cat.department_name(city, district, street, dept_type)
    raw = raw_figures(seed, region, dept_type, year, city)
    prev = raw_figures(seed, region, dept_type, year - 1, city)
    p = build_printed(raw, prev, year, lay.split_fiscal)
    if lay.inconsistency:
        inject(p, lay.inconsistency)
    rng = random.Random(f"{seed}|text|{region}|{dept_type.key}|{year}")
    title = report_title(dept, year, lay)
    doc = Doc(title, title if lay.header_footer else None, lay.page_number_style if lay.header_footer else None)
    narr = Narrative(p, lay, dept, dept_type.key, year, rng)
    builder = Builder(p, lay, dept, year)
    tables = builder.all()
    _cover(doc, dept, year, lay)
    _contents(doc, dept, year, [TITLES[k] for k, _ in tables])
    flow = Flow(doc, number_font=lay.number_font)
    _blocks(flow, narr.overview(), lay)
    style = Style(
        ruled=lay.ruled,
        repeat_header=lay.repeat_header,
        rows_per_page=lay.rows_per_page,
        number_font=lay.table_number_font,
    )
    for n, (_key, spec) in enumerate(tables):
        y = draw_table(doc, spec, style) if n else _first_table(doc, spec, style, dept, year, lay)
        del y
    _blocks(Flow(doc, number_font=lay.number_font), narr.statements(), lay, style)
    _blocks(Flow(doc, number_font=lay.number_font), narr.glossary(), lay)
    pdf = doc.finish()
    name = f"{title}.pdf"
    truth = truth_record(name, pdf, region, dept, year, p, lay, narr.truth, {k for k, _ in tables})
    return Generated(name, pdf, truth)


def _cover(doc: Doc, dept: str, year: int, lay: Layout) -> None:
    doc.new_page(False)
    w, h = doc.size
    c = doc.c
    c.setFont(fonts.CJK, 26)
    if lay.family == "gz" and lay.narrative_variant == 1:
        lines = [f"{year}年{dept}", "决算公开报告"]
    elif lay.family == "gz":
        lines = [dept, f"{year}年部门决算"]
    else:
        lines = [dept, f"{year}年度部门决算"]
    y = h * 0.62
    for ln in lines:
        size = 26 if fonts.width(ln, fonts.CJK, 26) < w - 100 else 20
        c.setFont(fonts.CJK, size)
        c.drawCentredString(w / 2, y, ln)
        y -= 44


def _contents(doc: Doc, dept: str, year: int, table_titles: list[str]) -> None:
    flow = Flow(doc, size=12)
    flow.new_page()
    flow.heading("目  录", size=18, center=True)
    flow.paragraph(f"第一部分 {dept}概况", indent=False)
    flow.paragraph("一、主要职能", indent=True)
    flow.paragraph("二、部门决算单位构成", indent=True)
    flow.paragraph(f"第二部分 {dept}{year}年度部门决算表", indent=False)
    for k, t in enumerate(table_titles, 1):
        flow.paragraph(f"{cat.cn_ordinal(k)}、{t}", indent=True)
    flow.paragraph(f"第三部分 {dept}{year}年度部门决算情况说明", indent=False)
    flow.paragraph("第四部分 名词解释", indent=False)


def _first_table(doc, spec, style, dept, year, lay) -> float:
    """The tables part starts with its own part heading above the first table."""
    doc.new_page(spec.landscape)
    w, h = doc.size
    doc.c.setFont(fonts.CJK, 16)
    doc.c.drawCentredString(w / 2, h - 70, f"第二部分 {dept}{year}年度部门决算表")
    return draw_table(doc, spec, style, start_new_page=False, y_start=h - 90)


def _blocks(flow: Flow, blocks: list, lay: Layout, style: Style | None = None) -> None:
    first = True
    for kind, content in blocks:
        if kind == "part":
            if first:
                flow.new_page()
            flow.heading(content, size=16, center=True, space=16)
        elif kind == "h":
            flow.heading(content)
        elif kind == "p":
            flow.paragraph(content)
        elif kind == "table":
            flow.y = draw_table(flow.doc, content, style or Style(), start_new_page=flow.y < 200, y_start=flow.y - 10)
            if flow.doc.landscape:
                flow.new_page()
        first = False
