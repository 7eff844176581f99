"""The 高等学校 (university) final-accounts template: a central unit report with four tables.

Portrait narrative pages and LANDSCAPE table pages; 表1 高等学校收支决算总表, 表2 收入决算表,
表3 高等学校支出决算表, 表4 财政拨款支出决算表 (all funds). Codes in ONE 科目编码 column (3/5/7
digits) with names indented by level; 表3 and 表4 run over several pages with title and header on
the first page only. No 三公 anywhere. The narrative compares each 项 of 表4 (and its total) with
last year's 决算 — the truth's item_yoy / total_yoy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.document import Generated, _blocks
from etl.sample.extras import change_words, empty_figures, family_keys, indented, other_table
from etl.sample.figures import FuncRow, _func_rows, cents, pct
from etl.sample.fmt import money
from etl.sample.fmt import pct as fpct
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.render_tables import Col, HCell, Style, TableSpec, draw_table

#: Made-up, real-looking central universities.
UNIVERSITIES = ("北方交通工程大学", "华中资源环境大学", "东海海洋科技大学", "西部民族师范大学")

#: (code, weight of the fiscal part, weight of the non-fiscal part, basic share, always present?)
PLAN = [
    ("2050205", 0.62, 0.70, 0.6, True),
    ("2050801", 0.01, 0.01, 0.0, False),
    ("2060201", 0.03, 0.02, 0.8, False),
    ("2060203", 0.05, 0.0, 0.0, False),
    ("2060302", 0.03, 0.04, 0.0, False),
    ("2069999", 0.02, 0.08, 0.0, True),
    ("2080502", 0.05, 0.03, 1.0, True),
    ("2080505", 0.05, 0.03, 1.0, True),
    ("2080506", 0.02, 0.01, 1.0, True),
    ("2101102", 0.03, 0.02, 1.0, True),
    ("2210201", 0.05, 0.03, 1.0, True),
    ("2210202", 0.02, 0.01, 1.0, False),
    ("2210203", 0.02, 0.02, 1.0, True),
]
REASONS_UP = ("学校事业发展和人员经费增加", "中央高校改善基本办学条件专项资金增加", "科研项目经费增加")
REASONS_DOWN = ("部分项目完成后支出减少", "严格控制一般性支出", "上年一次性项目支出本年不再安排")


@dataclass
class UItem:
    """One 项 of a university's spending, in 元: fiscal basic/project, other basic/project, 经营."""

    code: str
    fb: int
    fp: int
    nb: int
    np: int
    op: int = 0
    shiye: int = 0  # 事业收入
    jingying: int = 0  # 经营收入
    other: int = 0  # 其他收入

    @property
    def fiscal(self) -> int:
        return self.fb + self.fp

    @property
    def spent(self) -> int:
        return self.fb + self.fp + self.nb + self.np + self.op

    @property
    def income(self) -> int:
        return self.fiscal + self.shiye + self.jingying + self.other


def raw_items(seed: int, name: str, year: int) -> tuple[list[UItem], int]:
    """The items (a fixed set per university) and the 年初结转和结余 of one year, in 元."""
    fixed = random.Random(f"{seed}|univ|{name}")
    size = fixed.uniform(60_000, 250_000) * 10_000
    codes = [p for p in PLAN if p[4] or fixed.random() < 0.6]
    rng = random.Random(f"{seed}|univ|{name}|{year}")
    size *= 1.04 ** (year - 2020) * rng.uniform(0.92, 1.08)
    fshare = fixed.uniform(0.38, 0.55)
    items = []
    for code, wf, wn, bshare, _ in codes:
        f = int(size * fshare * wf * rng.uniform(0.8, 1.2))
        n = int(size * (1 - fshare) * wn * rng.uniform(0.8, 1.2))
        b = bshare if bshare in (0.0, 1.0) else bshare * rng.uniform(0.85, 1.15)
        it = UItem(code, int(f * b), f - int(f * b), int(n * b), n - int(n * b))
        it.shiye = int(n * rng.uniform(0.95, 1.08))
        items.append(it)
    top = items[0]
    top.op = int(size * rng.uniform(0.003, 0.012))
    top.jingying = int(top.op * rng.uniform(1.0, 1.1))
    top.other = int(size * rng.uniform(0.001, 0.004))
    return items, int(size * rng.uniform(0.12, 0.3))


@dataclass
class UPrinted:
    year: int
    income_rows: list[FuncRow]
    exp_rows: list[FuncRow]
    fiscal_rows: list[FuncRow]
    summary: dict[str, int]
    exp_by_class: dict[str, int]
    prior_fiscal: dict[str, int]  # code -> last year's printed 7-digit fiscal total ("" for the 合计)


def printed(seed: int, name: str, year: int) -> UPrinted:
    """What the four tables print (cents of 万元), plus last year's 表4 figures for the comparisons."""
    items, carry = raw_items(seed, name, year)
    prev, _ = raw_items(seed, name, year - 1)
    exp_rows = _func_rows(
        items,
        year,
        [lambda i: i.spent, lambda i: i.fb + i.nb, lambda i: i.fp + i.np, lambda i: 0, lambda i: i.op, lambda i: 0],
    )
    fiscal_rows = _func_rows([i for i in items if i.fiscal], year, [lambda i: i.fiscal, lambda i: i.fb, lambda i: i.fp])
    income_rows = _func_rows(
        items,
        year,
        [
            lambda i: i.income,
            lambda i: i.fiscal,
            lambda i: 0,
            lambda i: i.shiye,
            lambda i: i.jingying,
            lambda i: 0,
            lambda i: i.other,
        ],
    )
    inc = sum(i.income for i in items)
    exp = sum(i.spent for i in items)
    summary = {
        "fiscal": cents(sum(i.fiscal for i in items)),
        "shiye": cents(sum(i.shiye for i in items)),
        "jingying": cents(sum(i.jingying for i in items)),
        "other": cents(sum(i.other for i in items)),
        "income_total": cents(inc),
        "expenditure_total": cents(exp),
        "carry_begin": cents(carry),
        "carry_end": cents(carry + inc - exp),
        "grand_total": cents(carry + inc),
    }
    prior = {i.code: cents(i.fiscal) for i in prev}
    prior[""] = cents(sum(i.fiscal for i in prev))
    by_class = {r.code: r.values[0] for r in exp_rows if r.level == "class"}
    return UPrinted(year, income_rows, exp_rows, fiscal_rows, summary, by_class, prior)


# --------------------------------------------------------------------------- tables


def _code_table(title: str, heads: list[str], rows: list[FuncRow], pick, name: str) -> TableSpec:
    """A table with ONE 科目编码 column (3/5/7 digits) and names indented by level."""
    body = []
    for r in rows:
        vals = [money(v) if v else "" for v in pick(r)]
        body.append([("合计", 2)] + vals if r.level == "total" else [r.code, indented(r)] + vals)
    cols = [Col(1.1), Col(3.6)] + [Col(1.3, num=True) for _ in heads]
    header = [[HCell("科目编码"), HCell("科目名称")] + [HCell(h) for h in heads]]
    return TableSpec(
        title=title, cols=cols, header=header, body=body, dept_line=f"单位名称：{name}", note=[], landscape=True
    )


#: the 表1 wording of a report whose table runs onto a second page: 上年 for 年初, the closing total as 合计
CONTINUED_WORDS = {"年初结转和结余": "上年结转和结余", "总计": "合计"}


def _summary_table(p: UPrinted, name: str, continued: bool = False) -> TableSpec:
    """表1; `continued` prints the wording of a report whose 表1 runs onto a second page (CONTINUED_WORDS)."""
    s = p.summary
    left = list(zip(cat.INCOME_ROWS_OLD, [s["fiscal"], 0, s["shiye"], s["jingying"], 0, s["other"]], strict=True))
    right = [
        (f"{cat.cn_ordinal(k + 1)}、{cat.class_name(c, p.year)}", v)
        for k, (c, v) in enumerate(sorted(p.exp_by_class.items()))
    ]
    n = max(len(left), len(right))
    left += [("", None)] * (n - len(left))
    right += [("", None)] * (n - len(right))

    def v(x: int | None) -> str:
        return "" if x is None else money(x)

    body = [[ll, v(lv), rl, v(rv)] for (ll, lv), (rl, rv) in zip(left, right, strict=True)]
    body += [
        ["本年收入合计", v(s["income_total"]), "本年支出合计", v(s["expenditure_total"])],
        ["用事业基金弥补收支差额", "", "结余分配", ""],
        ["年初结转和结余", v(s["carry_begin"]), "年末结转和结余", v(s["carry_end"])],
        ["总计", v(s["grand_total"]), "总计", v(s["grand_total"])],
    ]
    if continued:
        body[-2:] = [[CONTINUED_WORDS.get(c, c) for c in row] for row in body[-2:]]
    cols = [Col(3.4), Col(1.4, num=True), Col(3.4), Col(1.4, num=True)]
    header = [
        [HCell("收入", colspan=2), HCell("支出", colspan=2)],
        [HCell("项目"), HCell("决算数"), HCell("项目"), HCell("决算数")],
    ]
    return TableSpec(
        title="表1 高等学校收支决算总表",
        cols=cols,
        header=header,
        body=body,
        dept_line=f"单位名称：{name}",
        note=[],
        landscape=True,
    )


def tables(p: UPrinted, name: str, continued: bool = False) -> list[tuple[str, TableSpec]]:
    inc_heads = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    exp_heads = ["合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    return [
        ("income_expenditure_summary", _summary_table(p, name, continued)),
        ("income", _code_table("表2 收入决算表", inc_heads, p.income_rows, lambda r: r.values, name)),
        ("expenditure", _code_table("表3 高等学校支出决算表", exp_heads, p.exp_rows, lambda r: r.values, name)),
        (
            "fiscal_expenditure",
            _code_table(
                "表4 财政拨款支出决算表", ["合计", "基本支出", "项目支出"], p.fiscal_rows, lambda r: r.values, name
            ),
        ),
    ]


# --------------------------------------------------------------------------- narrative


def narrative(p: UPrinted, name: str, rng: random.Random) -> tuple[list, list[dict], dict, list[dict]]:
    """The 决算情况说明 blocks, item_yoy, total_yoy and the counts it prints (its 政府采购 total)."""
    s, y = p.summary, p.year
    out: list = [
        ("part", f"第三部分 {name}{y}年度决算情况说明"),
        ("h", "一、收入支出决算总体情况说明"),
        ("p", f"{name}{y}年度收入总计{money(s['grand_total'])}万元，支出总计{money(s['grand_total'])}万元。"),
    ]
    out += [
        ("h", "二、收入决算情况说明"),
        (
            "p",
            f"本年收入合计{money(s['income_total'])}万元，其中：财政拨款收入{money(s['fiscal'])}万元，占"
            f"{fpct(pct(s['fiscal'], s['income_total']))}%；事业收入{money(s['shiye'])}万元，占"
            f"{fpct(pct(s['shiye'], s['income_total']))}%；经营收入{money(s['jingying'])}万元；其他收入"
            f"{money(s['other'])}万元。",
        ),
    ]
    t = p.exp_rows[0].values
    out += [
        ("h", "三、支出决算情况说明"),
        (
            "p",
            f"本年支出合计{money(t[0])}万元，其中：基本支出{money(t[1])}万元，占{fpct(pct(t[1], t[0]))}%；"
            f"项目支出{money(t[2])}万元，占{fpct(pct(t[2], t[0]))}%；经营支出{money(t[4])}万元，占"
            f"{fpct(pct(t[4], t[0]))}%。",
        ),
    ]
    ft = p.fiscal_rows[0].values[0]
    words, ch, chp = change_words(ft, p.prior_fiscal[""])
    total_yoy = {"actual": ft / 100, "change": ch, "change_pct": chp}
    out += [
        ("h", "四、财政拨款支出决算总体情况说明"),
        ("p", f"{y}年度财政拨款支出{money(ft)}万元，{words}，主要原因是{rng.choice(REASONS_UP + REASONS_DOWN)}。"),
    ]
    out.append(("h", "五、财政拨款支出决算具体情况说明"))
    yoy = []
    n = 0
    for r in p.fiscal_rows:
        if r.level != "item":
            continue
        n += 1
        kl = cat.class_name(r.code[:3], y)
        se = cat.SECTIONS[r.code[:5]]
        a = r.values[0]
        words, ch, chp = change_words(a, p.prior_fiscal[r.code])
        why = "" if ch == 0 else f"，主要原因是{rng.choice(REASONS_UP if ch > 0 else REASONS_DOWN)}"
        out.append(
            (
                "p",
                f"（{cat.cn_ordinal(n)}）{kl}（类）{se}（款）{r.name}（项）。{y}年度决算为{money(a)}万元，"
                f"{words}{why}。",
            )
        )
        yoy.append(
            {
                "scope": "item",
                "path": f"{kl}/{se}/{r.name}",
                "code": r.code,
                "actual": a / 100,
                "prior_actual": None,
                "change": ch,
                "change_pct": chp,
            }
        )
    procurement = cents(rng.randrange(10**9, 9 * 10**9))
    out += [
        ("h", "六、其他重要事项的情况说明"),
        ("p", f"{name}{y}年度政府采购支出总额{money(procurement)}万元，主要用于教学科研设备购置。"),
    ]
    counts = [{"kind": "procurement_total", "scope": None, "value": procurement / 100, "unit": "万元"}]
    return out, yoy, total_yoy, counts


def _front(doc: Doc, name: str, year: int, title: str, keys: list[TableSpec]) -> None:
    """Cover, 目录 and 第一部分 学校基本情况."""
    doc.new_page(False)
    w, h = doc.size
    doc.c.setFont(fonts.CJK, 26)
    doc.c.drawCentredString(w / 2, h * 0.62, name)
    doc.c.drawCentredString(w / 2, h * 0.62 - 44, title[len(name) :])
    flow = Flow(doc, size=12)
    flow.new_page()
    flow.heading("目  录", size=18, center=True)
    flow.paragraph(f"第一部分 {name}基本情况", indent=False)
    flow.paragraph(f"第二部分 {name}{year}年度决算表", indent=False)
    for spec in keys:
        flow.paragraph(spec.title, indent=True)
    flow.paragraph(f"第三部分 {name}{year}年度决算情况说明", indent=False)
    flow.paragraph("第四部分 名词解释", indent=False)
    _blocks(
        Flow(doc),
        [
            ("part", f"第一部分 {name}基本情况"),
            ("h", "一、学校职能"),
            (
                "p",
                f"{name}是中央部门所属全日制普通高等学校，主要承担人才培养、科学研究、社会服务和文化传承创新等职能。",
            ),
            ("h", "二、机构设置"),
            ("p", f"纳入{name}{year}年度决算编制范围的单位为{name}本级。"),
        ],
        None,
    )


GLOSSARY = [
    ("part", "第四部分 名词解释"),
    ("p", "一、财政拨款收入：指学校从同级财政部门取得的各类财政拨款。"),
    ("p", "二、事业收入：指学校开展教学、科研及其辅助活动取得的收入。"),
    ("p", "三、基本支出：指为保障学校正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
    ("p", "四、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
]


#: rows of 表1 printed on its second page when it continues there (弥补/结余分配, 结转和结余, the closing 合计)
CONTINUED_ROWS = 3


def generate_university(seed: int, k: int, year: int, other: bool, summary_continued: bool | None = None) -> Generated:
    """The k-th university's report for `year`; `other` adds an unknown 表5 after 表4. `summary_continued` (by
    default every fourth university) runs 表1 onto a second page, its last rows worded 上年结转和结余 and 合计."""
    continued = k % 4 == 3 if summary_continued is None else summary_continued
    name = UNIVERSITIES[k % len(UNIVERSITIES)]
    rng = random.Random(f"{seed}|univ-text|{name}|{year}")
    p = printed(seed, name, year)
    title = f"{name}{year}年度" + ("单位决算" if k % 2 else "决算")
    doc = Doc(title, title, "dash")
    specs = tables(p, name, continued)
    others = []
    if other:
        extra = other_table(rng, "表5", landscape=True)
        extra.dept_line = f"单位名称：{name}"
        specs.append(("other", extra))
        others.append(extra.title)
    _front(doc, name, year, title, [s for _, s in specs])
    style = Style(ruled=True, repeat_header=False, rows_per_page=rng.choice([9, 10, 11]))
    for n, (_, spec) in enumerate(specs):
        if n == 0:  # 表1 fits on its page (unless continued), under the part heading
            doc.new_page(True)
            w, h = doc.size
            doc.c.setFont(fonts.CJK, 16)
            doc.c.drawCentredString(w / 2, h - 70, f"第二部分 {name}{year}年度决算表")
            rows = len(spec.body) - CONTINUED_ROWS if continued else 40
            draw_table(doc, spec, Style(rows_per_page=rows, size=8, repeat_header=not continued), start_new_page=False,
                       y_start=h - 90)
        else:
            draw_table(doc, spec, style)
    blocks, yoy, total_yoy, counts = narrative(p, name, rng)
    _blocks(Flow(doc), blocks, None)
    _blocks(Flow(doc), GLOSSARY, None)
    pdf = doc.finish()
    rec = truth(f"{title}.pdf", pdf, name, year, p, yoy, total_yoy, others)
    rec["counts"] = counts
    return Generated(f"{title}.pdf", pdf, rec)


def _row(r: FuncRow) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "total": r.values[0] / 100,
        "basic": r.values[1] / 100,
        "project": r.values[2] / 100,
    }


def truth(
    file: str, pdf: bytes, name: str, year: int, p: UPrinted, yoy: list, total_yoy: dict, others: list[str]
) -> dict:
    import hashlib

    from etl.sample.table_specs import ORDER

    s = p.summary
    present = {k: k in ("income_expenditure_summary", "income", "expenditure") for k in ORDER}
    rec = {
        "source_file": file,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "region": "中央",
        "department": name,
        "year": year,
        "unit": "万元",
        "tables_present": present | {"fiscal_expenditure": True},
        **empty_figures(),  # 05, 06 and 三公 are not in this family; their keys stay empty
        "summary": {
            "income_total": s["income_total"] / 100,
            "fiscal_appropriation_income": s["fiscal"] / 100,
            "other_income": s["other"] / 100,
            "expenditure_total": s["expenditure_total"] / 100,
            "carryover_begin": s["carry_begin"] / 100,
            "carryover_end": s["carry_end"] / 100,
            "grand_total": s["grand_total"] / 100,
        },
        "expenditure_by_class": [_row(r) for r in p.exp_rows if r.level == "class"],
        "expenditure_total_row": {
            k: v / 100 for k, v in zip(("total", "basic", "project"), p.exp_rows[0].values, strict=False)
        },
        "notes": [
            "Generated by juesuan sample (family university); every figure is printed in the PDF as recorded.",
            "高等学校 template: 表4 财政拨款支出决算表 covers all funds (fiscal_expenditure); no 三公.",
        ],
    }
    rec |= family_keys("university", "unit", sangong_source=None, other=others)
    rec["fiscal_expenditure_total_row"] = {
        k: v / 100 for k, v in zip(("total", "basic", "project"), p.fiscal_rows[0].values, strict=True)
    }
    rec["fiscal_items"] = [_row(r) for r in p.fiscal_rows if r.level == "item"]
    rec["item_yoy"] = yoy
    rec["total_yoy"] = total_yoy
    return rec
