"""部门预算 documents (the budget, not the final accounts): a full one with its 预算编制说明, or the
tables only. The parser must recognise them as budgets; their truth holds no figures."""

from __future__ import annotations

import hashlib

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.district import sub_text
from etl.sample.document import Generated, _blocks
from etl.sample.extras import empty_figures, family_keys
from etl.sample.figures import Printed, build_printed, raw_figures
from etl.sample.fmt import money
from etl.sample.layout import choose_layout
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Col, HCell, Style, TableSpec, draw_table
from etl.sample.table_specs import ORDER, Builder

#: final-accounts table key -> its budget counterpart's title
BUDGET_TITLES = {
    "income_expenditure_summary": "收支预算总表",
    "income": "收入预算表",
    "expenditure": "支出预算表",
    "fiscal_summary": "财政拨款收支预算总表",
    "gpb_expenditure": "一般公共预算支出预算表",
    "gpb_basic_expenditure": "一般公共预算基本支出预算表",
    "sangong": "“三公”经费支出预算表",
    "gov_fund": "政府性基金预算支出表",
}
YEAR = 2025


BUDGET_WORDS = (("决算数", "预算数"), ("决算", "预算"), ("本年度", "预算年度"))


def _to_budget(text):
    return sub_text(text, BUDGET_WORDS)


def budget_tables(p: Printed, lay, dept: str) -> list[TableSpec]:
    """The eight budget tables, from the final-accounts builders with budget titles and wording."""
    built = dict(Builder(p, lay, dept, YEAR).all())
    specs = []
    for key, title in BUDGET_TITLES.items():
        spec = _sangong_budget(p, lay.unit) if key == "sangong" else built[key]
        spec.title = title
        for row in spec.header:
            for h in row:
                h.text = _to_budget(h.text)
        spec.body = [
            [(_to_budget(c[0]), c[1]) if isinstance(c, tuple) else _to_budget(c) for c in r] for r in spec.body
        ]
        spec.note = [_to_budget(n) for n in spec.note]
        spec.number = None
        specs.append(spec)
    return specs


def _sangong_budget(p: Printed, unit: str) -> TableSpec:
    b = p.sangong_budget
    keys = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
    header = [
        [
            HCell("合计", rowspan=2),
            HCell("因公出国（境）费", rowspan=2),
            HCell("公务用车购置及运行费", colspan=3),
            HCell("公务接待费", rowspan=2),
        ],
        [HCell("小计"), HCell("公务用车购置费"), HCell("公务用车运行费")],
    ]
    return TableSpec(
        title="",
        cols=[Col(1.0, num=True)] * 6,
        header=header,
        body=[[money(b[k]) for k in keys]],
        unit=unit,
        note=[],
        landscape=True,
    )


def _narrative(p: Printed, dept: str) -> list:
    g = p.gpb_rows[0].values
    return [
        ("part", f"第三部分 {dept}{YEAR}年度部门预算情况说明"),
        ("h", "一、收支预算总体情况"),
        ("p", f"{dept}{YEAR}年度收入预算总计{money(p.grand_total)}万元，支出预算总计{money(p.grand_total)}万元。"),
        ("h", "二、财政拨款收支预算总体情况"),
        (
            "p",
            f"{YEAR}年度财政拨款收入预算{money(p.extra['fiscal_total'])}万元，支出预算"
            f"{money(p.extra['fiscal_total'])}万元。",
        ),
        ("h", "三、一般公共预算支出预算情况"),
        (
            "p",
            f"{YEAR}年度一般公共预算支出预算{money(g[0])}万元，其中：基本支出{money(g[1])}万元，项目支出"
            f"{money(g[2])}万元。",
        ),
        ("h", "四、“三公”经费预算情况"),
        ("p", f"{YEAR}年度“三公”经费预算数为{money(p.sangong_budget['total'])}万元。"),
    ]


def generate_budget(seed: int, k: int, tables_only: bool) -> Generated:
    """The k-th budget document (a Shanghai district department)."""
    city, district, street = cat.REGIONS[1 + 2 * (k % 3)]
    dtype = cat.DEPT_TYPES[(k + 2 + k // 12) % len(cat.DEPT_TYPES)]
    region = city + district
    dept = cat.department_name(city, district, street, dtype)
    lay = choose_layout(seed, city, region, YEAR, dtype.key, {"inconsistency": None, "unit": "万元"})
    raw = raw_figures(seed, region, dtype, YEAR, city)
    p = build_printed(raw, raw_figures(seed, region, dtype, YEAR - 1, city), YEAR, True)
    title = (
        (f"{dept}{YEAR}年部门预算公开表" if k % 2 == 0 else f"{YEAR}年部门预算表格")
        if tables_only
        else f"{dept}{YEAR}年度部门预算"
    )
    doc = Doc(title, title if lay.header_footer else None, "plain")
    specs = budget_tables(p, lay, dept)
    if tables_only:
        _title_page(doc, [title] if k % 2 == 0 else [dept, title])
    else:
        _title_page(doc, [dept, f"{YEAR}年度部门预算"])
        flow = Flow(doc, size=12)
        flow.new_page()
        flow.heading("目  录", size=18, center=True)
        for line in (
            f"第一部分 {dept}概况",
            f"第二部分 {dept}{YEAR}年度部门预算表",
            f"第三部分 {dept}{YEAR}年度部门预算情况说明",
        ):
            flow.paragraph(line, indent=False)
        _blocks(
            Flow(doc),
            [
                ("part", f"第一部分 {dept}概况"),
                ("h", "一、部门职责"),
                ("p", f"{dept}负责本区相关领域的统筹规划、监督管理和公共服务工作。"),
                ("h", "二、机构设置"),
                ("p", f"纳入{dept}{YEAR}年度部门预算编制范围的单位包括{dept}本级。"),
            ],
            None,
        )
    style = Style(ruled=lay.ruled, repeat_header=lay.repeat_header, rows_per_page=lay.rows_per_page)
    for spec in specs:
        draw_table(doc, spec, style)
    if not tables_only:
        _blocks(Flow(doc), _narrative(p, dept), None)
    pdf = doc.finish()
    name = f"{title}.pdf" if k % 2 == 0 or not tables_only else f"{dept}{YEAR}年部门预算表格.pdf"
    return Generated(name, pdf, figureless_truth(name, pdf, region, dept, YEAR, "budget"))


def _title_page(doc: Doc, lines: list[str]) -> None:
    doc.new_page(False)
    w, h = doc.size
    y = h * 0.62
    for ln in lines:
        size = 24 if fonts.width(ln, fonts.CJK, 24) < w - 100 else 18
        doc.c.setFont(fonts.CJK, size)
        doc.c.drawCentredString(w / 2, y, ln)
        y -= 40


def figureless_truth(name: str, pdf: bytes, region: str | None, dept: str | None, year: int | None, kind: str) -> dict:
    """A record for a document that is not a final account (budget, blank template): no figures."""

    rec = {
        "source_file": name,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "region": region,
        "department": dept,
        "year": year,
        "unit": "万元",
        "tables_present": {k: False for k in ORDER},
    }
    rec |= empty_figures()
    rec["notes"] = [f"Generated by juesuan sample (doc_kind {kind}): not a final account, no figures recorded."]
    rec |= family_keys("district", "department" if dept else None, doc_kind=kind, sangong_source=None)
    return rec
