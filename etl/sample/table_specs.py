"""The nine standard tables of a report as `TableSpec`s, in the layout family's typesetting."""

from __future__ import annotations

from etl.sample import catalog as cat
from etl.sample.figures import FuncRow, Printed
from etl.sample.fmt import cell
from etl.sample.layout import Layout
from etl.sample.render_tables import Col, HCell, Sp, TableSpec

TITLES = {
    "income_expenditure_summary": "收入支出决算总表",
    "income": "收入决算表",
    "expenditure": "支出决算表",
    "fiscal_summary": "财政拨款收入支出决算总表",
    "gpb_expenditure": "一般公共预算财政拨款支出决算表",
    "gpb_basic_expenditure": "一般公共预算财政拨款基本支出决算表",
    "sangong": "财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "state_capital": "国有资本经营预算财政拨款收入支出决算表",
}
ORDER = list(TITLES)
NOTES = {
    "income_expenditure_summary": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "income": "注：本表反映部门本年度取得的各项收入情况。",
    "expenditure": "注：本表反映部门本年度各项支出情况。",
    "fiscal_summary": "注：本表反映部门本年度财政拨款总收支和年末结转结余情况。",
    "gpb_expenditure": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "gpb_basic_expenditure": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "sangong": "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费年初预算数，"
    "决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。",
    "gov_fund": "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "state_capital": "注：本表反映部门本年度国有资本经营预算财政拨款收入、支出及结转和结余情况。",
}


class Builder:
    def __init__(self, p: Printed, lay: Layout, dept: str, year: int):
        self.p, self.lay, self.dept, self.year = p, lay, dept, year

    # ------------------------------------------------------------------ helpers
    def sp(self, text: str) -> str:
        return Sp(text) if self.lay.spaced else text

    def v(self, c: int | None) -> str:
        return cell(c, self.lay)

    def spec(self, key: str, cols, header, body, landscape=False, **kw) -> TableSpec:
        gz = self.lay.family == "gz"
        title = TITLES[key]
        if gz and key == "sangong":
            title = "一般公共预算财政拨款“三公”经费支出决算表"
        return TableSpec(
            title=title,
            cols=cols,
            header=header,
            body=body,
            number=f"公开{ORDER.index(key) + 1:02d}表" if gz else None,
            dept_line=f"部门：{self.dept}" if gz else None,
            unit=self.lay.unit,
            note=kw.pop("note", [NOTES[key]]),
            landscape=landscape and self.lay.landscape,
            **kw,
        )

    @property
    def n_code_cols(self) -> int:
        return 3 if self.lay.family == "sh" and self.lay.split_codes else 1

    def code_cells(self, r: FuncRow) -> list:
        if self.n_code_cols == 1:
            return [r.code or ""]
        c = r.code or ""
        return [c[:3], c[3:5], c[5:7]]

    def func_header(self, value_heads: list, sub: dict | None = None) -> list[list[HCell]]:
        """项目 / 科目编码 / 科目名称 header; value_heads may be (text, [subheads]) for a grouped column."""
        n = self.n_code_cols
        gz = self.lay.family == "gz"
        depth = 3 if n == 3 else 2
        r1 = [HCell(self.sp("项目"), colspan=n + 1)]
        r2: list[HCell] = []
        r3: list[HCell] = []
        for h in value_heads:
            if isinstance(h, tuple):
                r1.append(HCell(h[0], colspan=len(h[1])))
                for s in h[1]:
                    r2.append(HCell(s, rowspan=depth - 1))
            else:
                r1.append(HCell(h, rowspan=depth))
        code_head = "支出功能分类科目编码" if self.lay.family == "sh" else "功能分类科目编码"
        if n == 3:
            r2 = [HCell(code_head, colspan=3), HCell("科目名称", rowspan=2)] + r2
            r3 = [HCell("类"), HCell("款"), HCell("项")]
            rows = [r1, r2, r3]
        else:
            rows = [r1, [HCell(code_head), HCell("科目名称")] + r2]
        if gz:
            nvals = sum(len(h[1]) if isinstance(h, tuple) else 1 for h in value_heads)
            rows.append([HCell(self.sp("栏次"), colspan=n + 1)] + [HCell(str(i + 1)) for i in range(nvals)])
        return rows

    def func_cols(self, nvals: int) -> list[Col]:
        name_w = 2.2 if self.lay.narrow_labels else 4.2
        codes = [Col(0.55, "c")] * 3 if self.n_code_cols == 3 else [Col(1.3)]
        return codes + [Col(name_w)] + [Col(1.5, num=True) for _ in range(nvals)]

    def func_body(self, rows: list[FuncRow], nvals_print) -> list[list]:
        body = []
        for r in rows:
            vals = [self.v(x) for x in nvals_print(r)]
            if r.level == "total":
                body.append([(self.sp("合计"), self.n_code_cols + 1)] + vals)
            else:
                body.append(self.code_cells(r) + [r.name] + vals)
        return body

    # ------------------------------------------------------------------ tables
    def summary(self) -> TableSpec:
        p, gz = self.p, self.lay.family == "gz"
        classes = cat.summary_classes(self.year)
        right = [
            (f"{cat.cn_ordinal(k + 1)}、{cat.class_name(c, self.year)}", p.summary_exp.get(c, 0))
            for k, c in enumerate(classes)
        ]
        if gz:
            inc = dict(p.summary_income)
            left = [
                (lbl, v) for lbl, v in zip(cat.INCOME_ROWS_OLD, [inc["fiscal"], 0, 0, 0, 0, inc["other"]], strict=False)
            ]
        else:
            inc = dict(p.summary_income)
            vals = [inc["gpb"], inc["gf"], 0, 0, 0, 0, 0, inc["other"]]
            left = list(zip(cat.INCOME_ROWS_NEW, vals, strict=False))
        n = max(len(left), len(right))
        left += [("", None)] * (n - len(left))
        body = []
        for k in range(n):
            (ll, lv), (rl, rv) = left[k], right[k]
            if gz:
                body.append([ll, str(k + 1), self.v(lv) if ll else "", rl, str(n + 4 + k + 1), self.v(rv)])
            else:
                body.append([ll, self.v(lv) if ll else "", rl, self.v(rv)])
        tail = [
            ("本年收入合计", p.income_total, "本年支出合计", p.expenditure_total),
            ("用事业基金弥补收支差额" if gz else "使用非财政拨款结余", 0, "结余分配", 0),
            ("年初结转和结余", p.carry_begin, "年末结转和结余", p.carry_end),
            (self.sp("总计"), p.grand_total, self.sp("总计"), p.grand_total),
        ]
        for k, (ll, lv, rl, rv) in enumerate(tail):
            if gz:
                body.append([ll, str(n + k + 1), self.v(lv), rl, str(2 * n + 4 + k + 1), self.v(rv)])
            else:
                body.append([ll, self.v(lv), rl, self.v(rv)])
        if gz:
            cols = [Col(3.2), Col(0.6, "c"), Col(1.4, num=True), Col(3.6), Col(0.6, "c"), Col(1.4, num=True)]
            header = [
                [HCell("收入", colspan=3), HCell("支出", colspan=3)],
                [
                    HCell(self.sp("项目")),
                    HCell("行次"),
                    HCell("决算数"),
                    HCell(self.sp("项目")),
                    HCell("行次"),
                    HCell("决算数"),
                ],
                [HCell(self.sp("栏次"), colspan=2), HCell("1"), HCell(self.sp("栏次"), colspan=2), HCell("2")],
            ]
        else:
            cols = [Col(3.4), Col(1.3, num=True), Col(3.6), Col(1.3, num=True)]
            header = [
                [HCell("收入", colspan=2), HCell("支出", colspan=2)],
                [HCell(self.sp("项目")), HCell("决算数"), HCell(self.sp("项目")), HCell("决算数")],
            ]
        return self.spec("income_expenditure_summary", cols, header, body)

    def income(self) -> TableSpec:
        heads = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
        body = self.func_body(self.p.income_rows, lambda r: [r.values[0], r.values[1], 0, 0, 0, 0, r.values[2]])
        return self.spec(
            "income",
            self.func_cols(7),
            self.func_header(heads),
            body,
            landscape=True,
            repeat_rows=1 if self.lay.family == "gz" else 0,
        )

    def expenditure(self) -> TableSpec:
        heads = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        body = self.func_body(self.p.exp_rows, lambda r: r.values + [0, 0, 0])
        return self.spec(
            "expenditure",
            self.func_cols(6),
            self.func_header(heads),
            body,
            landscape=True,
            repeat_rows=1 if self.lay.family == "gz" else 0,
        )

    def gpb(self) -> TableSpec:
        p = self.p
        heads = ["合计" if self.lay.family == "sh" else "本年支出合计", "基本支出", "项目支出"]
        rows = list(p.gpb_rows)
        if self.lay.total_at_bottom:
            rows = rows[1:] + rows[:1]
        body = self.func_body(rows, lambda r: r.values)
        return self.spec(
            "gpb_expenditure",
            self.func_cols(3),
            self.func_header(heads),
            body,
            repeat_rows=1 if self.lay.family == "gz" and not self.lay.total_at_bottom else 0,
        )

    def fiscal(self) -> TableSpec:
        p, gz = self.p, self.lay.family == "gz"
        classes = list(cat.summary_classes(self.year))
        if gz and "231" not in classes:
            classes += ["231", "232"]
        names = {"231": "债务还本支出", "232": "债务付息支出"}
        right = []
        for k, c in enumerate(classes):
            t = p.fiscal_exp.get(c, (0, 0, 0))
            right.append((f"{cat.cn_ordinal(k + 1)}、{names.get(c) or cat.class_name(c, self.year)}", t))
        left = [("一、一般公共预算财政拨款", p.gpb_income), ("二、政府性基金预算财政拨款", p.gf_income)]
        if not gz:
            left.append(("三、国有资本经营预算财政拨款", 0))
        n = len(right)
        left += [("", None)] * (n - len(left))
        body = []
        ft = p.extra["fiscal_total"]
        for k in range(n):
            (ll, lv), (rl, (t, g, f)) = left[k], right[k]
            vals = [self.v(t), self.v(g), self.v(f)] + ([] if gz else [self.v(0)])
            if gz:
                body.append([ll, str(k + 1), self.v(lv) if ll else "", rl, str(n + 5 + k + 1)] + vals)
            else:
                body.append([ll, self.v(lv) if ll else "", rl] + vals)
        tail = [
            ("本年收入合计", ft, "本年支出合计", (ft, p.gpb_income, p.gf_income)),
            ("年初财政拨款结转和结余", 0, "年末结转和结余" if gz else "年末财政拨款结转和结余", (0, 0, 0)),
            ("一般公共预算财政拨款", 0, "", None),
            ("政府性基金预算财政拨款", 0, "", None),
            (self.sp("总计"), ft, self.sp("总计"), (ft, p.gpb_income, p.gf_income)),
        ]
        for k, (ll, lv, rl, rv) in enumerate(tail):
            vals = ["", "", ""] if rv is None else [self.v(x) for x in rv]
            if not gz:
                vals.append("" if rv is None else self.v(0))
            if gz:
                body.append([ll, str(n + k + 1), self.v(lv), rl, str(2 * n + 5 + k + 1)] + vals)
            else:
                body.append([ll, self.v(lv), rl] + vals)
        if gz:
            cols = [Col(2.8), Col(0.5, "c"), Col(1.2, num=True), Col(3.0), Col(0.5, "c")] + [Col(1.2, num=True)] * 3
            header = [
                [HCell("收入", colspan=3), HCell("支出", colspan=5)],
                [
                    HCell(self.sp("项目")),
                    HCell("行次"),
                    HCell("金额"),
                    HCell(self.sp("项目")),
                    HCell("行次"),
                    HCell("合计"),
                    HCell("一般公共预算财政拨款"),
                    HCell("政府性基金预算财政拨款"),
                ],
                [
                    HCell(self.sp("栏次"), colspan=2),
                    HCell("1"),
                    HCell(self.sp("栏次"), colspan=2),
                    HCell("2"),
                    HCell("3"),
                    HCell("4"),
                ],
            ]
        else:
            cols = [Col(2.8), Col(1.2, num=True), Col(3.0)] + [Col(1.2, num=True)] * 4
            header = [
                [HCell("收入", colspan=2), HCell("支出", colspan=5)],
                [
                    HCell(self.sp("项目")),
                    HCell("决算数"),
                    HCell(self.sp("项目")),
                    HCell("合计"),
                    HCell("一般公共预算财政拨款"),
                    HCell("政府性基金预算财政拨款"),
                    HCell("国有资本经营预算财政拨款"),
                ],
            ]
        return self.spec("fiscal_summary", cols, header, body, landscape=True)

    def basic(self) -> TableSpec:
        p = self.p
        left = [(c, n, self.v(v)) for c, n, v in p.econ_personnel]
        right = [(c, n, self.v(v)) for c, n, v in p.econ_public]
        n = max(len(left), len(right))
        left += [("", "", "")] * (n - len(left))
        right += [("", "", "")] * (n - len(right))
        body = [list(a) + list(b) for a, b in zip(left, right, strict=False)]
        body.append(
            [
                (self.sp("人员经费合计"), 2),
                self.v(p.personnel_cost),
                (self.sp("公用经费合计"), 2),
                self.v(p.public_cost),
            ]
        )
        name_w = 2.0 if self.lay.narrow_labels else 3.2
        cols = [Col(1.0), Col(name_w), Col(1.2, num=True)] * 2
        sub = [HCell("经济分类科目编码"), HCell("科目名称"), HCell("金额" if self.lay.family == "gz" else "决算数")]
        header = [sub + sub]
        if self.lay.family == "gz":
            header = [[HCell("人员经费", colspan=3), HCell("公用经费", colspan=3)]] + header
        return self.spec("gpb_basic_expenditure", cols, header, body)

    def sangong(self) -> TableSpec:
        b, a = self.p.sangong_budget, self.p.sangong_actual
        keys = ["total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"]
        overseas = self.sp("因公出国（境）费")
        if self.lay.family == "gz":
            grp = [
                HCell("合计", rowspan=2),
                HCell(overseas, rowspan=2),
                HCell("公务用车购置及运行费", colspan=3),
                HCell("公务接待费", rowspan=2),
            ]
            sub = [HCell("小计"), HCell("公务用车购置费"), HCell("公务用车运行费")]
            header = [
                [HCell("预算数", colspan=6), HCell("决算数", colspan=6)],
                grp + grp,
                sub + sub,
                [HCell(str(i + 1)) for i in range(12)],
            ]
            body = [[self.v(b[k]) for k in keys] + [self.v(a[k]) for k in keys]]
        else:
            header = [
                [HCell("财政拨款“三公”经费", colspan=12)],
                [
                    HCell("合计", colspan=2, rowspan=2),
                    HCell(overseas, colspan=2, rowspan=2),
                    HCell("公务用车购置及运行维护费", colspan=6),
                    HCell("公务接待费", colspan=2, rowspan=2),
                ],
                [HCell("小计", colspan=2), HCell("公务用车购置费", colspan=2), HCell("公务用车运行维护费", colspan=2)],
                [HCell(t) for _ in range(6) for t in ("预算数", "决算数")],
            ]
            body = [[self.v(x) for k in keys for x in (b[k], a[k])]]
        cols = [Col(1.0, num=True)] * 12
        return self.spec("sangong", cols, header, body, landscape=True)

    def fund(self, key: str, rows: list[FuncRow]) -> TableSpec:
        heads = ["年初结转和结余", "本年收入", ("本年支出", ["小计", "基本支出", "项目支出"]), "年末结转和结余"]
        if rows:
            body = self.func_body(rows, lambda r: r.values)
            note = [NOTES[key]]
            blank = 0
        else:
            body = [[(self.sp("合计"), self.n_code_cols + 1)] + [""] * 6]
            what = "政府性基金预算" if key == "gov_fund" else "国有资本经营预算"
            note = (
                [NOTES[key], f"说明：{self.dept}{self.year}年度没有{what}财政拨款收入和支出，故本表无数据。"]
                if self.lay.narrative_variant % 2
                else [f"注：本部门无{what}财政拨款收入和支出，故本表无数据。"]
            )
            blank = 4
        return self.spec(
            key, self.func_cols(6), self.func_header(heads), body, landscape=True, note=note, blank_rows=blank
        )

    def all(self) -> list[tuple[str, TableSpec]]:
        out = [
            ("income_expenditure_summary", self.summary()),
            ("income", self.income()),
            ("expenditure", self.expenditure()),
            ("fiscal_summary", self.fiscal()),
            ("gpb_expenditure", self.gpb()),
            ("gpb_basic_expenditure", self.basic()),
            ("sangong", self.sangong()),
            ("gov_fund", self.fund("gov_fund", self.p.gf_rows)),
        ]
        if self.lay.state_capital:
            out.append(("state_capital", self.fund("state_capital", [])))
        return out
