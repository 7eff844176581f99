"""The documents of each report family and their truth: legacy district, 三公 only in the text,
layouts, central department and units, split narrative/tables files, multi-report volumes.

Each generator takes (seed, n) and yields n `Generated` (a volume's truth is a list, one record
per report). Which documents get an unknown extra table: every second one (k odd).
"""

from __future__ import annotations

from collections.abc import Iterator

from etl.sample import catalog as cat
from etl.sample.blank import generate_blank
from etl.sample.budget import generate_budget
from etl.sample.district import Drawn, Opts, draw_report, report_title
from etl.sample.document import Generated
from etl.sample.extras import empty_figures, family_keys
from etl.sample.layout import Layout, choose_layout
from etl.sample.pages import Doc
from etl.sample.table_specs import ORDER
from etl.sample.truth import truth_record

DEPTS = {d.key: d for d in cat.DEPT_TYPES}

#: Central organs (made-up scale) and two of their affiliated units each.
CENTRAL = [
    (
        cat.DeptType("中国地震局", 150_000, 0.55, "22406", ("2240602", "2240604", "2240605"), 80.0, True),
        ("中国地震局机关服务中心", "中国地震局地震预测研究所"),
    ),
    (
        cat.DeptType("国家林业和草原局", 300_000, 0.35, "21302", ("2130205", "2130207", "2130234"), 120.0, True),
        ("国家林业和草原局信息中心", "国家林业和草原局机关服务局"),
    ),
]
PLANNING = cat.DeptType("规划和自然资源局", 8_000, 0.45, "22001", ("2200104", "2200106"), 3.0)


def _unit_type(parent: cat.DeptType, unit: str) -> cat.DeptType:
    """An affiliated unit: the parent's classification at a tenth of its size."""
    return cat.DeptType(
        unit, parent.scale / 10, parent.basic_share, parent.section, parent.projects[:2], parent.sangong / 8, True
    )


def _layout(seed: int, city: str, region: str, year: int, key: str, **force) -> Layout:
    return choose_layout(seed, city, region, year, key, {"inconsistency": None, **force})


def _doc(title: str, lay: Layout) -> Doc:
    return Doc(title, title if lay.header_footer else None, lay.page_number_style if lay.header_footer else None)


def family_truth(name: str, pdf: bytes, region: str, dept: str, year: int, d: Drawn, lay: Layout, o: Opts) -> dict:
    """The shared-schema record plus the family keys."""
    rec = truth_record(name, pdf, region, dept, year, d.p, lay, d.narr, d.tables)
    source = "table" if "sangong" in d.tables else "narrative"
    rec |= family_keys(o.template, o.scope, sangong_source=source, other=d.others)
    rec["related_costs"] = d.related
    if o.variant:
        rec["table_variant"] = o.variant.name
        rec["report_form"] = "sichuan" if o.variant.tables_last else None
        rec["body_kind"] = "town" if dept.endswith("街道办事处") else None
    rec["notes"].append(
        f"Family: template={o.template}, scope={o.scope}, 三公 from the {source}"
        + (", 2013-2015 公共财政 wording" if o.legacy else "")
        + "."
    )
    return rec


def _single(
    seed: int, city: str, district: str, street: str, dtype: cat.DeptType, year: int, o: Opts, **force
) -> Generated:
    """One district report in a file of its own."""
    region = city + district
    dept = cat.department_name(city, district, street, dtype)
    lay = _layout(seed, city, region, year, dtype.key, **force)
    title = report_title(dept, year, o)
    doc = _doc(title, lay)
    d = draw_report(doc, seed, region, dept, dtype, year, lay, o, city)
    pdf = doc.finish()
    return Generated(f"{title}.pdf", pdf, family_truth(f"{title}.pdf", pdf, region, dept, year, d, lay, o), d.content)


def district_legacy(seed: int, n: int) -> Iterator[Generated]:
    """2013–2015 form: 公共财政 wording, 8 tables; unnumbered with a 三公 table, or 表一… with 三公 in the text."""
    for k in range(n):
        city, district, street = cat.REGIONS[k % len(cat.REGIONS)]
        alt = k % 2 == 1
        o = Opts(
            template="district_legacy", legacy=True, numbered=alt, sangong="narrative" if alt else "table", other=alt
        )
        yield _single(
            seed,
            city,
            district,
            street,
            cat.DEPT_TYPES[k % len(cat.DEPT_TYPES)],
            (2014, 2015, 2013)[(k // 12) % 3],
            o,
            family="gz",
            state_capital=False,
            split_codes=False,
        )


def table_variants(seed: int, n: int) -> Iterator[Generated]:
    """District reports under the table-set and title variants of real reports (etl.sample.table_variants),
    one variant after the other: numbering, (公开NN表) out of order, tables after 名词解释, 6 to 14 tables, the
    三公 table with 会议费/培训费/机关运行经费/政府性基金 beside it."""
    from etl.sample.table_variants import variant

    for k in range(n):
        city, district, street = cat.REGIONS[k % len(cat.REGIONS)]
        v = variant(k)
        o = Opts(variant=v, numbered=v.numbering in ("biao_cn", "biao_num", "paren"),
                 sangong="narrative" if "sangong" in v.drop else "table")
        yield _single(seed, city, district, street, cat.DEPT_TYPES[(k + 5) % len(cat.DEPT_TYPES)], 2023 - k // 12, o,
                      state_capital=True)  # 9 standard tables before a variant adds or drops any


def sangong_narrative(seed: int, n: int) -> Iterator[Generated]:
    """District reports of either form with no 三公 table: its figures only in the narrative."""
    for k in range(n):
        city, district, street = cat.REGIONS[k % len(cat.REGIONS)]
        o = Opts(sangong="narrative", other=k % 2 == 1)
        yield _single(seed, city, district, street, cat.DEPT_TYPES[(k + 3) % len(cat.DEPT_TYPES)], 2024 - k // 6, o)


def layouts(seed: int, n: int) -> Iterator[Generated]:
    """One 科目编码 column with indented names, landscape tables among portrait pages, a 支出决算表 over ≥3 pages
    with its header on the first page only."""
    for k in range(n):
        city, district, street = cat.REGIONS[(k + 1) % len(cat.REGIONS)]  # Shanghai first
        o = Opts(indent_names=True, long_tables=True, other=k % 2 == 1)
        yield _single(
            seed,
            city,
            district,
            street,
            cat.DEPT_TYPES[(k + 1) % len(cat.DEPT_TYPES)],
            2023 - k // 12,
            o,
            split_codes=False,
            landscape=True,
            repeat_header=False,
        )


def _central_opts(scope: str, other: bool) -> Opts:
    return Opts(template="central", scope=scope, central_wording=True, central=True, other=other)


def _central_report(doc: Doc, seed: int, dtype: cat.DeptType, year: int, o: Opts) -> tuple[Drawn, Layout]:
    lay = _layout(seed, "北京市", "中央", year, dtype.key, state_capital=True)
    d = draw_report(doc, seed, "中央", dtype.key, dtype, year, lay, o, "北京市")
    return d, lay


def central(seed: int, n: int) -> Iterator[Generated]:
    """A central department's 部门决算 and its units' 单位决算 in turn."""
    for k in range(n):
        parent, units = CENTRAL[(k // 3) % len(CENTRAL)]
        year = 2024 - k // 6
        if k % 3 == 0:
            dtype, o = parent, _central_opts("department", False)
        else:
            dtype, o = _unit_type(parent, units[k % 3 - 1]), _central_opts("unit", k % 2 == 1)
        title = report_title(dtype.key, year, o)
        lay = _layout(seed, "北京市", "中央", year, dtype.key, state_capital=True)
        doc = _doc(title, lay)
        d, lay = _central_report(doc, seed, dtype, year, o)
        pdf = doc.finish()
        rec = family_truth(f"{title}.pdf", pdf, "中央", dtype.key, year, d, lay, o)
        rec["parent_department"] = parent.key if o.scope == "unit" else None
        yield Generated(f"{title}.pdf", pdf, rec, d.content)


def split_files(seed: int, n: int) -> Iterator[Generated]:
    """A department-year as two files: the narrative (…部门决算（说明）) and the tables without a cover, headed
    `第二部分 <full name>…` or, in the other variant, by a name without the district."""
    for k in range(n):
        city, district, street = cat.REGIONS[1]  # one district: its short names complete to one department
        dtype = PLANNING if k % 2 else cat.DEPT_TYPES[k % len(cat.DEPT_TYPES)]
        region, year = city + district, 2024 - k // 2  # the short name recurs: one year per pair
        dept = cat.department_name(city, district, street, dtype)
        lay = _layout(seed, city, region, year, dtype.key)
        shown = dept.replace(district, "") if k % 2 else dept
        heading = f"{shown}{year}年度部门决算表" if k % 2 else f"第二部分 {dept}{year}年度部门决算表"
        o_narr = Opts(title_suffix="（说明）", parts=("cover", "contents", "overview", "statements", "glossary"))
        o_tab = Opts(parts=("tables",), tables_heading=heading, other=k % 2 == 1)
        narr_name = f"{report_title(dept, year, o_narr)}.pdf"
        tab_name = f"{shown}{year}年度部门决算表.pdf"
        doc = _doc(narr_name[:-4], lay)
        dn = draw_report(doc, seed, region, dept, dtype, year, lay, o_narr, city)
        narr_pdf = doc.finish()
        doc = _doc(tab_name[:-4], lay)
        dt = draw_report(doc, seed, region, shown, dtype, year, lay, o_tab, city)  # prints only the shown name
        dt.narr = dn.narr  # the narrative's figures are recorded with the tables
        tab_pdf = doc.finish()
        tab = family_truth(tab_name, tab_pdf, region, dept, year, dt, lay, o_tab)
        tab["companion"] = narr_name
        tab["notes"].append("Tables only; the narrative is the companion file, its figures are recorded here.")
        narr = _figureless(family_truth(narr_name, narr_pdf, region, dept, year, dn, lay, o_narr))
        narr["companion_of"] = tab_name
        narr["notes"].append("Narrative only; every figure is recorded with the tables file (companion_of).")
        yield Generated(narr_name, narr_pdf, narr)
        yield Generated(tab_name, tab_pdf, tab)




def _figureless(rec: dict) -> dict:
    """A record that keeps region/department/year and says the document holds no figures."""
    rec["tables_present"] = {k: False for k in ORDER}
    rec.update(empty_figures())
    rec["other_tables"] = []
    return rec


def volume(seed: int, n: int) -> Iterator[Generated]:
    """Several reports in one PDF: a central department with two of its units, or two district departments."""
    for k in range(n):
        year = 2024 - k // 4
        if k % 2 == 0:
            parent, units = CENTRAL[(k // 2) % len(CENTRAL)]
            members = [(parent, _central_opts("department", False))]
            members += [(_unit_type(parent, u), _central_opts("unit", j == 1)) for j, u in enumerate(units)]
            name = f"{parent.key}{year}年度部门决算（含所属单位决算）.pdf"
            lay0 = _layout(seed, "北京市", "中央", year, parent.key, state_capital=True)
            doc = _doc(name[:-4], lay0)
            drawn = [(_central_report(doc, seed, t, year, o), "中央", t.key, o) for t, o in members]
        else:
            city, district, street = cat.REGIONS[3]
            region = city + district
            types = [cat.DEPT_TYPES[(k + j) % len(cat.DEPT_TYPES)] for j in (0, 5)]
            name = f"{region}{year}年度部门决算汇编（第{k // 2 + 1}册）.pdf"
            doc = _doc(name[:-4], _layout(seed, city, region, year, types[0].key))
            drawn = []
            for j, t in enumerate(types):
                lay = _layout(seed, city, region, year, t.key)
                dept = cat.department_name(city, district, street, t)
                o = Opts(other=j == 1)
                drawn.append(((draw_report(doc, seed, region, dept, t, year, lay, o, city), lay), region, dept, o))
        pdf = doc.finish()
        recs = []
        for part, ((d, lay), region, dept, o) in enumerate(drawn, 1):
            rec = family_truth(name, pdf, region, dept, year, d, lay, o)
            rec["report_part"] = part
            recs.append(rec)
        yield Generated(name, pdf, recs)


def budget(seed: int, n: int) -> Iterator[Generated]:
    for k in range(n):
        yield generate_budget(seed, k, tables_only=False)


def budget_tables_only(seed: int, n: int) -> Iterator[Generated]:
    for k in range(n):
        yield generate_budget(seed, k, tables_only=True)


def blank_template(seed: int, n: int) -> Iterator[Generated]:
    for k in range(n):
        yield generate_blank(seed, k)


def artefacts(seed: int, n: int) -> Iterator[Generated]:
    """Text artefacts and units of real publications in PDF, web page and text (etl.sample.artefacts)."""
    from etl.sample.artefacts import artefacts as generate_artefacts

    yield from generate_artefacts(seed, n)


def sangong_pages(seed: int, n: int) -> Iterator[Generated]:
    """Stand-alone 三公 disclosures and their look-alikes (etl.sample.sangong_page), one case after the other."""
    from etl.sample.sangong_page import sangong_pages as pages

    yield from pages(seed, n)


def wording_variants(seed: int, n: int) -> Iterator[Generated]:
    """District reports printing the 三公 wordings of real reports the seed never draws
    (etl.sample.wording_variants), one variant after the other."""
    from etl.sample.wording_variants import wording_variants as generate_wordings

    yield from generate_wordings(seed, n)
