"""Reports of bodies below a department: hospitals, schools and 乡镇/街道 (catalogue 2026-12-05 §4 last line, §7, §10).

A hospital or school publishes its own 单位决算 (or a 部门（单位）决算): its 收入支出决算总表 lists its income as
such units book it (财政补助收入, 上级补助收入, 事业收入 with 医疗收入 as its part, 其他收入), its spending sits in
210 卫生健康 or 205 教育 items, and its 事业收入 is large (a hospital) or small (a school). A 乡镇 prints a
部门汇总数 of its own level and its units, many functions (201, 208, 210, 212, 213) and its 三公 in the text;
a 街道 may print its own level only (（本级）). The short hospital/school style has no 概况 and few sections.
One case per body (BODIES), each with exact truth: body_kind, report_scope, scope_printed and every figure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.district import (
    Drawn,
    FamilyBuilder,
    FamilyNarrative,
    Opts,
    _contents,
    _draw_tables,
    pairs_for,
    sub_blocks,
    sub_spec,
)
from etl.sample.document import Generated, _blocks
from etl.sample.family_docs import _doc, _layout, family_truth
from etl.sample.figures import Item, Printed, build_printed, pct, raw_figures
from etl.sample.fmt import pct as fpct
from etl.sample.narrative import OTHER_MATTERS_COUNTS
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow

#: summary (01) income rows as hospitals and schools print them: (label, key of BodyIncome)
HOSPITAL_ROWS = (("一、财政补助收入", "fiscal"), ("二、上级补助收入", "superior"), ("三、事业收入", "business"),
                 ("其中：医疗收入", "medical"), ("四、经营收入", None), ("五、附属单位上缴收入", None),
                 ("六、其他收入", "other"))
SCHOOL_ROWS = (("一、财政补助收入", "fiscal"), ("二、上级补助收入", "superior"), ("三、事业收入", "business"),
               ("四、经营收入", None), ("五、附属单位上缴收入", None), ("六、其他收入", "other"))


@dataclass(frozen=True)
class Body:
    case: str
    kind: str  # hospital / school / town: documents.body_kind
    dtype: cat.DeptType
    name: str  # after city and district; {street} is the region's street
    scope: str = "unit"  # unit (单位决算) / department: documents.report_scope
    title_word: str = ""  # how the title names the report when not 单位决算/部门决算: 部门（单位）决算
    own_level: bool = False  # （本级） after the name: documents.scope_printed own_level
    consolidated: int = 0  # 所属单位 in the 部门汇总数 (scope_printed consolidated)
    short: bool = False  # the short hospital/school style: no 概况, no 目录, four sections
    sangong: str = "table"  # table / narrative (三公 in the text only)
    rows: tuple = ()  # the 01 income rows (HOSPITAL_ROWS / SCHOOL_ROWS); () the standard rows
    nonfiscal: float = 0.0  # 非财政 income against 一般公共预算 spending (事业收入 of a hospital ≫ a school's)
    remap: dict[str, str] = field(default_factory=dict)  # items as the body books them (事业单位医疗 …)
    main: str | None = None  # the item its 非财政 income pays for, where not its 行政运行/综合医院 (…01) item
    region: tuple[str, str, str] | None = None  # (city, county, street) of a county body; None: cat.REGIONS
    city_printed: bool = True  # False: named from its county on (城口县青龙乡人民政府), the city only in the text


#: a 事业单位 books its staff's pensions and medical insurance under the 事业单位 items
INSTITUTION = {"2080501": "2080502", "2101101": "2101102"}

BODIES = (
    Body("hospital", "hospital", cat.DeptType("人民医院", 9000, 0.35, "21002", ("2100408", "2100409"), 3.0),
         "人民医院", rows=HOSPITAL_ROWS, nonfiscal=2.5, remap=INSTITUTION),
    Body("health_centre_short", "hospital",
         cat.DeptType("社区卫生服务中心", 2500, 0.55, "21003", ("2100408", "2100409"), 0.8),
         "{street}社区卫生服务中心", short=True, rows=HOSPITAL_ROWS, nonfiscal=0.6, remap=INSTITUTION),
    Body("kindergarten", "school", cat.DeptType("幼儿园", 1500, 0.70, "20502", ("2050299",), 0.5),
         "第一幼儿园", rows=SCHOOL_ROWS, nonfiscal=0.08, remap=INSTITUTION),
    Body("primary_short", "school", cat.DeptType("中心小学", 2200, 0.80, "20502", ("2050299", "2050801"), 0.4),
         "第一中心小学", title_word="部门（单位）决算", short=True, rows=SCHOOL_ROWS,
         remap=INSTITUTION | {"2050201": "2050202"}),
    Body("maternal_county", "hospital", cat.DeptType("妇幼保健院", 3000, 0.45, "21002", ("2100409",), 1.0),
         "妇幼保健院", title_word="部单位决算", rows=HOSPITAL_ROWS, nonfiscal=1.2,
         remap=INSTITUTION | {"2100201": "2100206"}, main="2100206", region=("重庆市", "城口县", "")),
    Body("town", "town",
         cat.DeptType("镇人民政府", 12000, 0.40, "20103", ("2080208", "2100408", "2120501", "2130705"), 5.0, False,
                      ("2120899",)),
         "新桥镇人民政府", scope="department", consolidated=3, sangong="narrative"),
    Body("township_county", "town",
         cat.DeptType("乡人民政府", 4000, 0.45, "20103", ("2080208", "2100408", "2130705"), 2.0),
         "青龙乡人民政府", scope="department", region=("重庆市", "城口县", ""), city_printed=False),
    Body("street_own_level", "town",
         cat.DeptType("街道办事处（本级）", 7000, 0.50, "20103", ("2010399", "2120501", "2080208"), 4.0),
         "人民政府{street}办事处", scope="department", own_level=True),
)

#: the units a 乡镇's 部门汇总数 includes
TOWN_UNITS = ("社区事务受理服务中心", "农业综合服务中心", "文化体育服务中心", "城市运行管理中心")


def body(k: int) -> Body:
    return BODIES[k % len(BODIES)]


@dataclass
class BodyIncome:
    """A body's income as its 01 and 02 tables print it (cents of 万元); all but `fiscal` add up to
    `Printed.other_income`."""

    fiscal: int
    superior: int = 0
    business: int = 0
    medical: int = 0
    other: int = 0

    def get(self, key: str | None) -> int:
        return getattr(self, key) if key else 0


def _remap(items: list[Item], remap: dict[str, str]) -> list[Item]:
    """Items under the codes the body books them to (amounts and budgets of merged items added)."""
    out: dict[str, Item] = {}
    for it in items:
        code = remap.get(it.code, it.code)
        m = out.setdefault(code, Item(code, 0, 0))
        m.basic, m.project = m.basic + it.basic, m.project + it.project
        m.initial, m.full_year = m.initial + it.initial, m.full_year + it.full_year
    return sorted(out.values(), key=lambda i: i.code)


def _missing_projects(items: list[Item], b: Body, key: str) -> list[Item]:
    """The body's project items the draw left out: every function a body spends on is printed (a 乡镇's many)."""
    rng = random.Random(f"{key}|{b.case}|projects")
    have = {i.code for i in items}
    out = []
    for code in b.dtype.projects:
        if code not in have:
            amount = int(b.dtype.scale * 10_000 * rng.uniform(0.02, 0.06))
            out.append(Item(code, 0, amount, amount, amount))
    return out


def _raw(seed: int, region: str, b: Body, year: int, city: str):
    """The department-year figures of a body: its own items, and its 非财政 income spent on its main item."""
    raw = raw_figures(seed, region, b.dtype, year, city)
    raw.items = _remap(raw.items + _missing_projects(raw.items, b, f"{seed}|{region}|{year}"), b.remap)
    if b.rows:  # none but the body's own 非财政 income (a school's may be none)
        rng = random.Random(f"{seed}|body-income|{region}|{b.case}|{year}")
        raw.other_income = int(raw.gpb_total * b.nonfiscal * rng.uniform(0.85, 1.15))
        raw.other_spent = int(raw.other_income * rng.uniform(0.9, 0.99))
    return raw


def split_income(p: Printed, b: Body, rng: random.Random) -> BodyIncome:
    """财政补助收入 (every 财政拨款) and the 非财政 income split into 上级补助, 事业 (医疗 its part) and 其他."""
    fiscal = p.gpb_income + p.gf_income
    if not b.rows:
        return BodyIncome(fiscal, other=p.other_income)
    rest = p.other_income
    superior = rest * rng.randrange(2, 6) // 100 if b.kind == "hospital" else 0
    business = rest * rng.randrange(88, 95) // 100
    medical = business * rng.randrange(85, 97) // 100 if b.kind == "hospital" else 0
    return BodyIncome(fiscal, superior, business, medical, rest - superior - business)


class BodyBuilder(FamilyBuilder):
    """The standard tables, the 01 income side and the 02 income columns as the body books its income."""

    def __init__(self, p: Printed, lay, dept: str, year: int, b: Body, inc: BodyIncome):
        super().__init__(p, lay, dept, year, indent=False)
        self.b, self.inc = b, inc

    def summary(self):
        spec = super().summary()
        if not self.b.rows:
            return spec
        gz = self.lay.family == "gz"
        n = len(spec.body) - 4  # the side rows before the four closing rows
        rows = list(self.b.rows) + [("", None)] * (n - len(self.b.rows))
        for line, (label, key) in zip(spec.body[:n], rows, strict=True):
            line[0] = label
            line[2 if gz else 1] = self.v(self.inc.get(key)) if label else ""
        return spec

    def income(self):
        spec = super().income()
        if not self.b.rows:
            return spec
        i = self.inc
        for line, r in zip(spec.body, self.p.income_rows, strict=True):
            other = r.values[2]
            if other and other != self.p.other_income:  # only the main item is paid from 非财政 income
                raise ValueError(f"{self.dept}: 非财政 income spread over several items")
            parts = (i.superior, i.business, 0, 0, i.other) if other else (0, 0, 0, 0, 0)
            line[-5:] = [self.v(x) for x in parts]
        return spec


class BodyNarrative(FamilyNarrative):
    """The 概况 and 情况说明 of a body: its own functions and scope, income as it books it, the short style."""

    def __init__(self, *a, b: Body, inc: BodyIncome, **kw):
        super().__init__(*a, **kw)
        self.b, self.inc = b, inc

    def overview(self) -> list:
        d, y, b, r = self.dept, self.year, self.b, self.region  # the region in full: 重庆市城口县
        duty = {"hospital": f"{d}是{r}卫生健康委员会主管的公益性事业单位，主要承担辖区内的医疗、预防、保健和"
                            "健康教育等任务。",
                "school": f"{d}是{r}教育局主管的公办学校，主要承担辖区内适龄儿童少年的教育教学和学生管理工作。",
                "town": f"{d}是{r}人民政府的派出机构（或基层人民政府），主要负责辖区内的经济发展、社会事务、"
                        "城市管理、公共服务和平安建设等工作。"}[b.kind]
        if b.consolidated:
            units = TOWN_UNITS[: b.consolidated]
            scope = (f"本部门决算为部门汇总数，包含{d}本级和所属{len(units)}个单位（" + "、".join(units) + "）的决算。")
        elif b.own_level:
            scope = f"本决算仅反映{d}本级的收支情况。"
        else:
            scope = f"纳入{d}{y}年度决算编制范围的单位为{d}本级。"
        return [("part", f"第一部分 {d}概况"), ("h", "一、主要职能"), ("p", duty), ("h", "二、机构设置"), ("p", scope)]

    def statements(self) -> list:
        out = super().statements()
        at = next(n for n, (k, c) in enumerate(out) if k == "h" and c.startswith("二、收入决算"))
        if self.b.rows:
            out[at + 1] = ("p", self._income())
        if self.b.kind == "hospital":
            main = next(r for r in self.p.exp_rows if r.level == "item" and r.code.startswith(self.b.dtype.section))
            out.insert(at + 4, ("p", f"按支出用途分，医疗业务支出{self.w(main.values[0])}万元，主要用于"
                                     "医疗服务、药品和卫生材料等。"))
        if not self.b.short:
            return out
        # the short style: 总体, 收入, 支出 and 三公 only; neither the 一般公共预算 execution nor its items
        self.truth["gpb_budget_execution"], self.truth["item_budget_execution"] = None, []
        self.truth["counts"] = [c for c in self.truth.get("counts", []) if c["kind"] not in OTHER_MATTERS_COUNTS]
        sangong = next(n for n, (k, c) in enumerate(out) if k == "h" and "“三公”经费支出决算情况说明" in c)
        end = next(n for n, (k, c) in enumerate(out) if n > sangong and k == "h" and c.startswith("八、"))
        fourth = next(n for n, (k, c) in enumerate(out) if k == "h" and c.startswith("四、"))
        head = f"{self.dept}{self.year}年度{report_word(self.b)}情况说明"
        return [("part", head), *out[1:fourth], ("h", "四、“三公”经费支出决算情况说明"), *out[sangong + 1:end]]

    def _income(self) -> str:
        i, total = self.inc, self.p.income_total
        parts = [f"财政补助收入{self.w(i.fiscal)}万元，占{fpct(pct(i.fiscal, total))}%"]
        if i.superior:
            parts.append(f"上级补助收入{self.w(i.superior)}万元")
        if i.business:
            parts.append(f"事业收入{self.w(i.business)}万元，占{fpct(pct(i.business, total))}%"
                         + (f"（其中：医疗收入{self.w(i.medical)}万元）" if i.medical else ""))
        if i.other:
            parts.append(f"其他收入{self.w(i.other)}万元")
        return f"本年收入合计{self.w(total)}万元，其中：" + "；".join(parts) + "。"


def body_name(b: Body, city: str, district: str, street: str) -> str:
    return f"{city if b.city_printed else ''}{district}{b.name.format(street=street)}"


def report_word(b: Body) -> str:
    return b.title_word or ("单位决算" if b.scope == "unit" else "部门决算")


def title_lines(b: Body, dept: str, year: int) -> tuple[str, str]:
    """The cover's two lines: the name (with （本级） where printed) and the year's report."""
    return (f"{dept}（本级）" if b.own_level else dept), f"{year}年度{report_word(b)}"


def _cover(doc: Doc, lines: tuple[str, str]) -> None:
    doc.new_page(False)
    doc.cover = True
    w, h = doc.size
    for n, ln in enumerate(lines):
        size = 26 if fonts.width(ln, fonts.CJK, 26) < w - 100 else 20
        doc.c.setFont(fonts.CJK, size)
        doc.c.drawCentredString(w / 2, h * 0.62 - 44 * n, ln)


def draw_body(doc: Doc, seed: int, b: Body, region: str, dept: str, year: int, lay, o: Opts, city: str
              ) -> tuple[Drawn, BodyIncome, list]:
    """Draw one body's report into `doc`; its figures, tables and narrative truth, its income as booked, and what
    it prints in order (Generated.content, for its web-page and text forms)."""
    p = build_printed(_raw(seed, region, b, year, city), _raw(seed, region, b, year - 1, city), year,
                      lay.split_fiscal, b.main)
    rng = random.Random(f"{seed}|body|{region}|{b.case}|{year}")
    inc = split_income(p, b, rng)
    narr = BodyNarrative(p, lay, dept, b.dtype.key, year, rng, region=region, opts=o, b=b, inc=inc)
    tables = [(k, s) for k, s in BodyBuilder(p, lay, dept, year, b, inc).all()
              if not (k == "sangong" and b.sangong == "narrative")]
    pairs = pairs_for(o)
    for _, spec in tables:
        sub_spec(spec, pairs)
        if spec.dept_line and b.scope == "unit":  # a unit's tables name it as 单位名称
            spec.dept_line = spec.dept_line.replace("部门：", "单位名称：")
    cover = title_lines(b, dept, year)
    _cover(doc, cover)
    content: list = [("cover", list(cover))]
    heading = f"第二部分 {dept}{year}年度{'单位决算' if b.scope == 'unit' else '部门决算'}表"
    if not b.short:
        _contents(doc, dept, year, [(s.title, True) for _, s in tables], o)
        content.append(("contents", ["目录", f"第一部分 {dept}概况", heading, *(s.title for _, s in tables)]))
        content += _draw_blocks(doc, sub_blocks(narr.overview(), pairs), lay)
        content.append(("part", heading))
    _draw_tables(doc, tables, p, lay, o, heading if not b.short else "")
    content += [("table", spec) for _, spec in tables]
    content += _draw_blocks(doc, sub_blocks(narr.statements(), pairs), lay)
    if not b.short:
        content += _draw_blocks(doc, sub_blocks(narr.glossary(), pairs), lay)
    return Drawn(p, narr.truth, {k for k, _ in tables}), inc, content


def _draw_blocks(doc: Doc, blocks: list, lay) -> list:
    _blocks(Flow(doc, number_font=lay.number_font), blocks, lay)
    return blocks


def generate_body(seed: int, k: int) -> Generated:
    """The k-th body report (BODIES in turn), with its truth."""
    b = body(k)
    city, district, street = b.region or cat.REGIONS[k % len(cat.REGIONS)]
    region, year = city + district, 2024 - k // len(BODIES)
    dept = body_name(b, city, district, street)
    o = Opts(scope=b.scope, sangong=b.sangong, tables_heading="" if b.short else None)
    title = "".join(title_lines(b, dept, year))
    lay = _layout(seed, city, region, year, b.dtype.key, state_capital=True)
    doc = _doc(title, lay)
    d, inc, content = draw_body(doc, seed, b, region, dept, year, lay, o, city)
    pdf = doc.finish()
    rec = family_truth(f"{title}.pdf", pdf, region, dept, year, d, lay, o)
    rec["summary"] |= {"fiscal_appropriation_income": inc.fiscal / 100 if b.rows else rec["summary"][
        "fiscal_appropriation_income"], "other_income": inc.other / 100}
    if b.rows:
        rec["body_income"] = {k: getattr(inc, k) / 100 for k in ("fiscal", "superior", "business", "medical", "other")}
    rec |= {"body_case": b.case, "body_kind": b.kind, "report_form": None,
            "scope_printed": "own_level" if b.own_level else "consolidated" if b.consolidated else None}
    rec["notes"].append(f"Body report ({b.case}): {b.kind}" + (", short style" if b.short else "")
                        + ("; 01 income rows as the body books them (财政补助收入 …)" if b.rows else "") + ".")
    return Generated(f"{title}.pdf", pdf, rec, content)
