"""The 2017 Guangzhou Tianhe 政务管理办公室 report (the seed), re-rendered in its own layout.

Tables come from `seed_data` (typeset by the Guangzhou-family table code), the text from
`seed_text.txt` with its original line breaks; the truth is the shared seed record plus sha256.
"""

from __future__ import annotations

from importlib import resources

from etl.sample import fonts
from etl.sample import seed_data as S
from etl.sample.document import Generated
from etl.sample.figures import SANGONG_KEYS, FuncRow, Printed
from etl.sample.layout import Layout
from etl.sample.narrative import nontax_table
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Style, draw_table
from etl.sample.table_specs import ORDER, Builder
from etl.sample.truth import truth_record

#: the counts and scales seed_text.txt prints (read off the text: 部门决算单位构成, the 三公 section's 团组/车辆/接待
#: sentences, 其他重要事项's 机关运行经费, 政府采购 and 国有资产)
SEED_COUNTS = (
    ("units_consolidated", None, 2, "个"), ("overseas_groups", None, 0, "个"), ("overseas_people", None, 0, "人次"),
    ("vehicles_purchased", None, 0, "辆"), ("vehicles_held", None, 1, "辆"),
    ("reception_batches", "foreign", 0, "批次"), ("reception_people", "foreign", 0, "人次"),
    ("reception_batches", "domestic", 0, "批次"), ("reception_people", "domestic", 0, "人次"),
    ("admin_operation_cost", None, 93.21, "万元"), ("procurement_total", None, 1063.06, "万元"),
    ("procurement_goods", None, 112.06, "万元"), ("procurement_works", None, 0, "万元"),
    ("procurement_services", None, 951.00, "万元"), ("procurement_sme", None, 112.06, "万元"),
    ("vehicles_owned", None, 1, "辆"), ("equipment_over_50", None, 0, "台（套）"),
    ("equipment_over_100", None, 0, "台（套）"),
)


def c(s: str) -> int:
    """'3,457.23' -> 345723."""
    return round(float(s.replace(",", "")) * 100)


def _level(code: str | None) -> str:
    return {None: "total", 3: "class", 5: "section", 7: "item"}[None if code is None else len(code)]


def _rows(table) -> list[FuncRow]:
    return [
        FuncRow(code, "合计" if code is None else S.NAMES[code], _level(code), [c(v) for v in vals])
        for code, *vals in table
    ]


def seed_printed() -> Printed:
    sg_b = dict(zip(SANGONG_KEYS, map(c, S.SANGONG_BUDGET), strict=True))
    sg_a = dict(zip(SANGONG_KEYS, map(c, S.SANGONG_ACTUAL), strict=True))
    t = {k: c(v) for k, v in S.SUMMARY_TOTALS.items()}
    gf_rows = [FuncRow(code, name, _level(code), [0] * 6) for code, name in S.GOV_FUND]
    econ_class = {code: c(v) for code, _, v in S.BASIC_PERSONNEL + S.BASIC_PUBLIC if len(code) == 3}
    p = Printed(
        year=S.YEAR,
        summary_income=[("fiscal", c(S.SUMMARY_INCOME["fiscal"])), ("other", c(S.SUMMARY_INCOME["other"]))],
        summary_exp={k: c(v) for k, v in S.SUMMARY_EXP.items()},
        income_total=t["income_total"],
        fiscal_income=c(S.SUMMARY_INCOME["fiscal"]),
        gpb_income=c(S.FISCAL_INCOME["gpb"]),
        gf_income=c(S.FISCAL_INCOME["gf"]),
        other_income=c(S.SUMMARY_INCOME["other"]),
        expenditure_total=t["expenditure_total"],
        carry_begin=t["carry_begin"],
        carry_end=t["carry_end"],
        grand_total=t["grand_total"],
        income_rows=_rows(S.INCOME),
        exp_rows=_rows(S.EXPENDITURE),
        gpb_rows=_rows(S.GPB),
        fiscal_exp={k: tuple(map(c, v)) for k, v in S.FISCAL_EXP.items()},
        gf_rows=gf_rows,
        econ_personnel=[(a, b, c(v)) for a, b, v in S.BASIC_PERSONNEL],
        econ_public=[(a, b, c(v)) for a, b, v in S.BASIC_PUBLIC],
        personnel_cost=c(S.PERSONNEL_COST),
        public_cost=c(S.PUBLIC_COST),
        economic_class=econ_class,
        sangong_budget=sg_b,
        sangong_actual=sg_a,
        gpb_initial=0,
        gpb_full_year=0,
        gpb_actual_narrative=0,
        item_exec=[],
    )
    p.extra = {"fiscal_total": c(S.FISCAL_INCOME["total"])}
    return p


SEED_LAYOUT = Layout(
    family="gz",
    ruled=True,
    repeat_header=True,
    zero="0.00",
    thousands=True,
    unit="万元",
    spaced=True,
    narrow_labels=True,
    landscape=False,
    header_footer=True,
    page_number_style="plain",
    number_font=False,
    table_number_font=True,
    rows_per_page=11,
    state_capital=False,
    nontax_table=True,
)


def _sections() -> dict[str, list[str]]:
    text = resources.files("etl.sample").joinpath("seed_text.txt").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    cur = None
    for ln in text.splitlines():
        if ln.startswith("# "):
            continue
        if ln.startswith("## "):
            cur = out.setdefault(ln[3:].strip(), [])
        elif cur is not None:
            cur.append(ln)
    return out


def _lines(flow: Flow, lines: list[str]) -> None:
    """Print text lines as they were broken in the original, part titles centred."""
    prev = "。"
    for ln in lines:
        if ln.startswith(("第一部分", "第三部分", "第四部分", "附件")):
            flow.new_page()
            flow.heading(ln, size=16, center=True, space=16)
            prev = "。"
            continue
        indent = prev[-1:] in "。：；" or ln.startswith(("（", "一、", "二、", "三、", "四、"))
        flow.paragraph(ln, indent=indent)
        prev = ln


def generate_seed() -> Generated:
    lay = SEED_LAYOUT
    p = seed_printed()
    title = S.FILE_NAME[:-4]
    doc = Doc(title, None, "plain")
    doc.new_page(False)
    w, h = doc.size
    doc.c.setFont(fonts.CJK, 22)
    doc.c.drawCentredString(w / 2, h * 0.62, f"{S.YEAR} 年{S.DEPARTMENT[:-3]}")
    doc.c.drawCentredString(w / 2, h * 0.62 - 40, "办公室决算公开报告")
    sec = _sections()
    flow = Flow(doc, size=13)
    _lines(flow, sec["part1"])
    builder = Builder(p, lay, S.DEPARTMENT, S.YEAR)
    style = Style(ruled=True, repeat_header=True, rows_per_page=lay.rows_per_page, number_font=True)
    tables = [t for t in builder.all() if t[0] != "state_capital"]
    for n, (_key, spec) in enumerate(tables):
        if n == 0:
            doc.new_page(False)
            doc.c.setFont(fonts.CJK, 15)
            doc.c.drawCentredString(w / 2, h - 70, f"第二部分 {S.DEPARTMENT} {S.YEAR} 年部门决算表")
            draw_table(doc, spec, style, start_new_page=False, y_start=h - 90)
        else:
            draw_table(doc, spec, style)
    flow = Flow(doc, size=13)
    _lines(flow, sec["part3"])
    nontax = nontax_table([[name, a, b, ""] for name, a, b in S.NONTAX])
    flow.y = draw_table(doc, nontax, style, start_new_page=flow.y < 200, y_start=flow.y - 10)
    _lines(flow, sec["part4"])
    pdf = doc.finish()
    narr = {
        "gpb_budget_execution": dict(S.GPB_EXECUTION),
        "item_budget_execution": [
            {"path": path, "initial_budget": None, "actual": a, "completion_pct": z} for path, a, z in S.ITEM_EXECUTION
        ],
        "sangong_narrative": dict(S.SANGONG_NARRATIVE),
        "counts": [{"kind": k, "scope": scope, "value": v, "unit": u} for k, scope, v, u in SEED_COUNTS],
    }
    tables_present = {k for k, _ in tables}
    truth = truth_record(S.FILE_NAME, pdf, S.REGION, S.DEPARTMENT, S.YEAR, p, lay, narr, tables_present,
                         peer_type=S.FUNCTION)
    truth["other_figures"] = dict(S.OTHER_FIGURES)
    truth["notes"] = list(S.NOTES)
    truth.pop("layout", None)
    assert set(ORDER) >= tables_present
    return Generated(S.FILE_NAME, pdf, truth)
