"""A blank national template form (附件：部门决算模板): placeholders XX区 / XX局 / 20XX年, the nine
tables printed with empty cells and a few example rows, instructions instead of a narrative."""

from __future__ import annotations

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.budget import figureless_truth
from etl.sample.document import Generated, _blocks
from etl.sample.figures import build_printed, raw_figures
from etl.sample.layout import choose_layout
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Style, TableSpec, draw_table
from etl.sample.table_specs import TITLES, Builder

FUNC_TABLES = ("income", "expenditure", "gpb_expenditure", "gov_fund", "state_capital")
SECTIONS = [
    "一、收入支出决算总体情况说明",
    "二、收入决算情况说明",
    "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明",
    "五、一般公共预算财政拨款支出决算情况说明",
    "六、一般公共预算财政拨款基本支出决算情况说明",
    "七、财政拨款“三公”经费支出决算情况说明",
    "八、政府性基金预算财政拨款收入支出决算情况说明",
    "九、国有资本经营预算财政拨款收入支出决算情况说明",
    "十、预算绩效管理情况",
    "十一、其他重要事项说明",
]


def _blank(spec: TableSpec, key: str) -> None:
    """Empty every figure cell; function tables keep 合计 and three example rows then an ellipsis row."""
    nums = [c.num for c in spec.cols]

    def clear(row: list) -> list:
        out, col = [], 0
        for cell in row:
            span = cell[1] if isinstance(cell, tuple) else 1
            out.append("" if nums[col] and not isinstance(cell, tuple) else cell)
            col += span
        return out

    body = [clear(r) for r in spec.body]
    if key in FUNC_TABLES:
        width = len(spec.cols)
        body = body[:4] + [["…", "…"] + [""] * (width - 2)]
    spec.body = body
    spec.note = spec.note[:1]
    spec.blank_rows = 0


def generate_blank(seed: int, k: int) -> Generated:
    """The k-th blank template (k varies only the example department type behind the row labels)."""
    city, district, street = cat.REGIONS[1]
    dtype = cat.DEPT_TYPES[(k + 1) % len(cat.DEPT_TYPES)]
    region = city + district
    lay = choose_layout(
        seed, city, region, 2024, dtype.key, {"inconsistency": None, "unit": "万元", "zero": "", "state_capital": True}
    )
    p = build_printed(
        raw_figures(seed, region, dtype, 2024, city), raw_figures(seed, region, dtype, 2023, city), 2024, True
    )
    dept, year = ("XX区XX局", "20XX") if k % 2 == 0 else ("上海市XX区XX局", "20XX")
    specs = Builder(p, lay, dept, 2024).all()
    for key, spec in specs:
        _blank(spec, key)
    title = f"{dept}{year}年度部门决算"
    doc = Doc("部门决算模板", None, "plain")
    doc.new_page(False)
    w, h = doc.size
    doc.c.setFont(fonts.CJK, 26)
    doc.c.drawCentredString(w / 2, h * 0.62, dept)
    doc.c.drawCentredString(w / 2, h * 0.62 - 44, f"{year}年度部门决算")
    flow = Flow(doc, size=12)
    flow.new_page()
    flow.heading("目  录", size=18, center=True)
    flow.paragraph(f"第一部分 {dept}概况", indent=False)
    flow.paragraph(f"第二部分 {dept}{year}年度部门决算表", indent=False)
    for n, key in enumerate(TITLES, 1):
        flow.paragraph(f"{cat.cn_ordinal(n)}、{TITLES[key]}")
    flow.paragraph(f"第三部分 {dept}{year}年度部门决算情况说明", indent=False)
    for s in SECTIONS:
        flow.paragraph(s)
    flow.paragraph("第四部分 名词解释", indent=False)
    _blocks(
        Flow(doc),
        [
            ("part", f"第一部分 {dept}概况"),
            ("h", "一、主要职能"),
            ("p", "由主管部门根据三定方案等相关规定中有关主要职能填写。"),
            ("h", "二、部门决算单位构成"),
            ("p", f"纳入{dept}{year}年度部门决算编制范围的单位包括：{dept}（本级）、XX中心、XX研究所……"),
        ],
        None,
    )
    style = Style(ruled=True, repeat_header=True, rows_per_page=40)
    for n, (_, spec) in enumerate(specs):
        if n == 0:
            doc.new_page(spec.landscape)
            doc.c.setFont(fonts.CJK, 16)
            doc.c.drawCentredString(doc.size[0] / 2, doc.size[1] - 70, f"{dept}{year}年度部门决算表")
            draw_table(doc, spec, style, start_new_page=False, y_start=doc.size[1] - 90)
        else:
            draw_table(doc, spec, style)
    blocks: list = [("part", f"第三部分 {dept}{year}年度部门决算情况说明")]
    for s in SECTIONS:
        blocks += [
            ("h", s),
            (
                "p",
                f"{dept}{year}年度XX（收入/支出）总计XX万元。与{year}年度相比，增加（减少）XX万元，"
                "增长（下降）XX%。主要原因是：……（请按实际情况填写）",
            ),
        ]
    blocks += [
        ("part", "第四部分 名词解释"),
        ("p", "一、财政拨款收入：指单位从同级政府财政部门取得的财政预算资金。"),
        ("p", "二、（请根据部门实际补充名词解释）"),
    ]
    _blocks(Flow(doc), blocks, None)
    pdf = doc.finish()
    name = f"附件{k + 2}：部门决算模板.pdf" if k < 2 else f"附件{k + 2}：{title}模板.pdf"
    rec = figureless_truth(name, pdf, None, None, None, "template")
    rec["notes"].append("A blank form with placeholders (XX区/XX局/20XX年); tables printed with empty cells.")
    return Generated(name, pdf, rec)
