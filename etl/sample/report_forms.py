"""Province report forms as generated reports (catalogue 2026-12-05 §4, §1 "no table list"), with exact truth.

A form is the STRUCTURE of the report: which parts it has, in which order, under which headings, how its
情况说明 items are grouped and numbered, whether the tables come second or last and whether a 目录 lists them
(one by one, in one line, or not at all). The sentences are the national narrative's (etl.sample.narrative):
its 情况说明 is cut into sections by their headings and re-assembled in the form's order, so every figure
the truth records is still printed once. Sections a form does not print (云南's 第三部分 has 4 items) carry
no truth figure. The tables are those of a table variant (etl.sample.table_variants).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from etl.sample import catalog as cat
from etl.sample import fonts
from etl.sample.district import (
    Drawn,
    FamilyNarrative,
    Opts,
    _draw_tables,
    build_tables,
)
from etl.sample.document import Generated, _blocks
from etl.sample.family_docs import _doc, _layout, family_truth
from etl.sample.figures import build_printed, raw_figures
from etl.sample.fmt import wan
from etl.sample.pages import Doc
from etl.sample.render_narrative import Flow
from etl.sample.table_variants import Variant

#: An item of the 情况说明: its heading (without its number) and the narrative sections or texts it prints.
Item = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Form:
    name: str
    report_form: str | None  # the truth: what the parser should recognise (None: no heading of its own)
    region: tuple[str, str]  # (city, district) of the province
    statements: tuple[tuple[str, tuple[Item, ...]], ...]  # (part heading, items) in print order
    tables: Variant
    own_level: bool = False  # （本级） after the department's name in the title
    contents: str = "full"  # full (every table listed) / one_line (…决算表) / none (no 目录 at all)
    tables_last: bool = False  # the tables in a trailing 附表 part (四川) / after the text (重庆)
    glossary: str = "名词解释"  # its part title: 专业名词解释 (陕西), 名称解释 (江苏)
    numbered_paragraphs: bool = False  # 重庆: sub-items as paragraphs `1.总体情况。…`
    title_tail: str = "部门决算"
    extra_parts: tuple[tuple[str, str], ...] = ()  # (part heading, text) after the 情况说明, before 名词解释
    related_in_text: bool = False  # 会议费/培训费 of the 三公 table stated in the 三公 section too
    notes: tuple[str, ...] = field(default_factory=tuple)


_STANDARD = (("收入支出决算总体情况说明", ("overall",)), ("收入决算情况说明", ("income",)),
             ("支出决算情况说明", ("expenditure",)), ("财政拨款收入支出决算总体情况说明", ("fiscal",)),
             ("一般公共预算财政拨款支出决算情况说明", ("gpb",)),
             ("一般公共预算财政拨款基本支出决算情况说明", ("basic",)),
             ("财政拨款“三公”经费支出决算情况说明", ("sangong",)),
             ("政府性基金预算财政拨款收入支出决算情况说明", ("gov_fund",)),
             ("国有资本经营预算财政拨款收入支出决算情况说明", ("state_capital",)))
#: sub-headings of the sections printed together under one 其他重要事项 item
_SUB_TITLES = {"agency": "机关运行经费支出情况", "procurement": "政府采购支出情况", "assets": "国有资产占用情况",
               "performance": "部门绩效管理情况", "purchased_services": "政府购买服务情况"}


def _part3(name: str = "部门决算情况说明") -> str:
    return "第三部分 {dept}{year}年度" + name


FORMS = (
    Form("yunnan", "yunnan", ("昆明市", "五华区"), (
        (_part3(), (("收入决算情况说明", ("overall", "income")), ("支出决算情况说明", ("expenditure",)),
                    ("一般公共预算财政拨款支出决算情况说明", ("gpb",)),
                    ("财政拨款“三公”经费支出决算情况说明", ("sangong",)))),
        ("第四部分 其他重要事项及相关口径情况说明", (
            ("机关运行经费支出情况", ("agency",)), ("国有资产占用情况", ("assets",)),
            ("政府采购支出情况", ("procurement",)), ("预算绩效管理情况（绩效自评）", ("performance",)),
            ("其他重要事项的情况说明", ("other_matters",)), ("相关口径情况说明", ("caliber",)))),
    ), Variant("yunnan", "", "yunnan_pair", titles={"income_expenditure_summary": "收入支出决算表",
                                                     "fiscal_summary": "财政拨款收入支出决算表"}),
        own_level=True, glossary="第五部分 名词解释"),
    Form("yunnan_special_account", "yunnan", ("曲靖市", "麒麟区"), (
        (_part3(), (("收入决算情况说明", ("overall", "income")), ("支出决算情况说明", ("expenditure",)),
                    ("一般公共预算财政拨款支出决算情况说明", ("gpb",)),
                    ("财政拨款“三公”经费支出决算情况说明", ("sangong",)))),
        ("第四部分 其他重要事项及相关口径情况说明", (
            ("机关运行经费支出情况", ("agency",)), ("国有资产占用情况", ("assets",)),
            ("政府采购支出情况", ("procurement",)), ("纳入财政专户管理情况", ("special_account",)),
            ("绩效自评情况", ("performance",)), ("其他重要事项的情况说明", ("other_matters",)),
            ("相关口径情况说明", ("caliber",)))),
    ), Variant("yunnan_special_account", "", others=("财政专户管理资金收入支出决算表",)),
        glossary="第五部分 名词解释"),
    Form("guangxi", "guangxi", ("南宁市", "青秀区"), (
        (_part3(), (("收入支出决算总体情况说明", ("overall", "income", "expenditure", "fiscal")),
                    ("一般公共预算财政拨款支出决算情况说明", ("gpb",)),
                    ("一般公共预算财政拨款基本支出决算情况说明", ("basic",)),
                    ("政府性基金预算财政拨款收入支出决算情况说明", ("gov_fund",)),
                    ("国有资本经营预算财政拨款收入支出决算情况说明", ("state_capital",)),
                    ("一般公共预算财政拨款“三公”经费支出决算情况说明", ("sangong",)),
                    ("其他重要事项的情况说明", ("agency", "procurement", "assets")))),
    ), Variant("guangxi", "biao_cn", titles={"sangong": "一般公共预算财政拨款安排的“三公”经费支出决算表"}),
        glossary="第四部分 名词解释"),
    Form("jiangxi", None, ("南昌市", "东湖区"), (
        (_part3(), (("收入决算情况说明", ("overall", "income")), ("支出决算情况说明", ("expenditure",)),
                    ("财政拨款支出决算情况说明", ("fiscal", "gpb")),
                    ("一般公共预算财政拨款基本支出决算情况说明", ("basic",)),
                    ("“三公”经费支出决算情况说明", ("sangong",)), ("机关运行经费支出情况说明", ("agency",)),
                    ("政府采购支出情况说明", ("procurement",)), ("国有资产占用情况说明", ("assets",)),
                    ("预算绩效情况说明", ("performance",)))),
    ), Variant("jiangxi"), contents="one_line", glossary="第四部分 名词解释"),
    Form("chongqing", "chongqing", ("重庆市", "渝中区"), (
        ("", (("决算情况说明", ("overall", "income", "expenditure", "fiscal", "gpb", "basic", "sangong",
                               "gov_fund", "state_capital")),
              ("其他需要说明的情况", ("agency", "procurement", "assets")))),
    ), Variant("chongqing"), own_level=True, contents="none", tables_last=True, glossary="",
        numbered_paragraphs=True, title_tail="部门决算公开说明"),
    Form("shaanxi", None, ("西安市", "碑林区"), (
        (_part3(), _STANDARD + (("其他重要事项的情况说明", ("agency", "procurement", "assets", "performance")),)),
    ), Variant("shaanxi", "", "meeting_training"), glossary="第四部分 专业名词解释", related_in_text=True),
    Form("hubei", None, ("武汉市", "江岸区"), (
        (_part3(), _STANDARD + (("其他重要事项的情况说明", ("agency", "procurement", "assets",
                                                          "purchased_services")),)),
    ), Variant("hubei"), extra_parts=(("第四部分 专项转移支付资金安排情况说明", "transfer"),),
        glossary="第五部分 名称解释"),
    Form("sichuan14", "sichuan", ("成都市", "锦江区"), (
        ("第二部分 {dept}{year}年度部门决算情况说明", _STANDARD + (
            ("机关运行经费支出情况", ("agency",)), ("一般性支出情况", ("general_spending",)),
            ("政府采购支出情况", ("procurement",)), ("国有资产占用情况", ("assets",)),
            ("专项转移支付情况", ("transfer",)))),
    ), Variant("sichuan14", "heading"), tables_last=True, glossary="第三部分 名词解释"),
    Form("sichuan13", "sichuan", ("绵阳市", "涪城区"), (
        ("第二部分 {dept}{year}年度部门决算情况说明", _STANDARD + (
            ("机关运行经费支出情况", ("agency",)), ("一般性支出情况", ("general_spending",)),
            ("政府采购支出情况", ("procurement",)), ("国有资产占用情况", ("assets",)))),
    ), Variant("sichuan13", "heading"), tables_last=True, glossary="第三部分 名词解释"),
)

#: Texts of the items real reports print without a figure the truth records.
TEXTS = {
    "performance": "本部门按要求对{year}年度一般公共预算项目支出开展绩效自评，自评结果已按规定公开。",
    "other_matters": "本部门无其他需要说明的重要事项。",
    "caliber": "本报告中“三公”经费、机关运行经费等的统计口径按财政部门部门决算编报要求执行。",
    "special_account": "本部门{year}年度无纳入财政专户管理的资金收入和支出。",
    "purchased_services": "本部门{year}年度政府购买服务项目按规定纳入政府采购管理，具体情况见政府采购支出情况。",
    "general_spending": "本部门严格执行厉行节约规定，压减会议、培训、差旅等一般性支出。",
    "transfer": "本部门{year}年度无专项转移支付资金安排。",
}


def form(k: int) -> Form:
    return FORMS[k % len(FORMS)]


# --- the national 情况说明 cut into its sections -------------------------------------------------------

_TOP = re.compile(r"^[一二三四五六七八九十]+、")
_SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
#: the first word that tells a top heading's section (checked in this order: 政府性基金's heading holds
#: 财政拨款收入支出, the fiscal one holds 收入支出决算总体)
_SECTION_WORDS = (("sangong", "三公"), ("gov_fund", "政府性基金"), ("state_capital", "国有资本"),
                  ("other", "其他重要事项"), ("basic", "基本支出"), ("fiscal", "财政拨款收入支出"),
                  ("gpb", "一般公共预算财政拨款支出"), ("overall", "收入支出决算总体"), ("income", "收入决算"),
                  ("expenditure", "支出决算"))
_OTHER_WORDS = (("agency", "机关运行"), ("procurement", "政府采购"), ("assets", "国有资产"), ("nontax", "非税"))


def _key(heading: str, words: tuple[tuple[str, str], ...]) -> str:
    return next(k for k, w in words if w in heading)


def sections(statements: list) -> dict[str, list]:
    """The national 情况说明's blocks by section (its top headings and part title dropped); the 其他重要事项
    section split into its sub-sections (agency, procurement, assets)."""
    out: dict[str, list] = {}
    current: list | None = None
    for kind, content in statements:
        if kind == "h" and _TOP.match(content):
            current = out.setdefault(_key(content, _SECTION_WORDS), [])
        elif kind != "part" and current is not None:
            current.append((kind, content))
    for kind, content in out.pop("other", []):
        if kind == "h" and _SUB.match(content):
            current = out.setdefault(_key(content, _OTHER_WORDS), [])
        else:
            current.append((kind, content))
    return out


def _numbered(blocks: list) -> list:
    """重庆: a sub-heading `（一）X` becomes the lead of its first paragraph, `1.X。…`."""
    out, lead, n = [], None, 0
    for kind, content in blocks:
        if kind == "h" and _SUB.match(content):
            n += 1
            lead = f"{n}.{_SUB.sub('', content)}。"
        elif kind == "p" and lead:
            out.append(("p", lead + content))
            lead = None
        else:
            out.append((kind, content))
    return out


#: 重庆's 决算情况说明: each section under a sub-item `（一）group`; a section with a label opens with the
#: numbered paragraph `1.label。…`, one without keeps its own sub-headings, turned into numbered paragraphs.
_CHONGQING = {"overall": ("收入支出决算总体情况", "总体情况"), "income": ("收入支出决算总体情况", "收入情况"),
              "expenditure": ("收入支出决算总体情况", "支出情况"),
              "fiscal": ("财政拨款收入支出决算总体情况", "总体情况"),
              "gpb": ("一般公共预算财政拨款支出决算情况", ""),
              "basic": ("一般公共预算财政拨款基本支出决算情况", "人员经费和公用经费情况"),
              "sangong": ("“三公”经费支出决算情况", ""),
              "gov_fund": ("政府性基金预算财政拨款收入支出决算情况", "收支情况"),
              "state_capital": ("国有资本经营预算财政拨款收入支出决算情况", "收支情况"),
              "agency": ("机关运行经费支出情况", ""), "procurement": ("政府采购支出情况", ""),
              "assets": ("国有资产占用情况", "")}


def _chongqing(keys: tuple[str, ...], parts: dict[str, list]) -> list:
    out: list = []
    group, n, m = "", 0, 0
    for key in keys:
        heading, label = _CHONGQING[key]
        if heading != group:
            group, n, m = heading, n + 1, 0
            out.append(("h", f"（{cat.cn_ordinal(n)}）{heading}"))
        blocks = parts.get(key, [])
        if label and blocks:
            m += 1
            blocks = [("p", f"{m}.{label}。{blocks[0][1]}"), *blocks[1:]]
        out += _numbered(blocks)
    return out


def structure(f: Form, parts: dict[str, list], dept: str, year: int, extra: dict[str, str]) -> list:
    """The form's 情况说明: its parts, items numbered 一、二、… (重庆: sub-items `（一）`, paragraphs `1.`)."""
    out: list = []
    texts = {k: [("p", t.format(year=year))] for k, t in TEXTS.items()} | {k: [("p", t)] for k, t in extra.items()}
    for part, items in f.statements:
        if part:
            out.append(("part", part.format(dept=dept, year=year)))
        first = 2 if f.numbered_paragraphs else 1  # 重庆: 一、基本情况 comes first
        for n, (heading, keys) in enumerate(items, first):
            out.append(("h", f"{cat.cn_ordinal(n)}、{heading}"))
            if f.numbered_paragraphs:
                out += _chongqing(keys, parts)
                continue
            for j, key in enumerate(keys, 1):
                if len(keys) > 1 and key in _SUB_TITLES:  # 其他重要事项 under one item: its sub-headings
                    out.append(("h", f"（{cat.cn_ordinal(j)}）{_SUB_TITLES[key]}"))
                out += parts.get(key) or texts.get(key) or []
    return out


def _overview(narr: FamilyNarrative, f: Form) -> list:
    blocks = narr.overview()
    if not f.numbered_paragraphs:
        return blocks
    # 重庆: 一、基本情况 （一）职能职责 （二）机构设置, no part title
    return [("h", "一、基本情况"), ("h", "（一）职能职责"), blocks[2], ("h", "（二）机构设置"), blocks[4]]


def _glossary(narr: FamilyNarrative, f: Form) -> list:
    blocks = narr.glossary()
    if f.glossary:
        return [("part", f.glossary), *blocks[1:]]
    n = 2 + len(f.statements[0][1])  # 重庆: the item after the 情况说明's
    return [("h", f"{cat.cn_ordinal(n)}、名词解释"), *blocks[1:]]


def _meeting_training(related: list[dict], year: int) -> list:
    """The 三公 section's own item on the 会议费/培训费 the 三公 table prints beside it (陕西)."""
    got = {r["item"]: r for r in related}
    m, t = (wan(round(got[k]["actual"] * 100)) for k in ("meeting", "training"))
    return [("h", "（三）会议费、培训费支出情况说明"),
            ("p", f"{year}年度会议费支出决算为{m}万元，培训费支出决算为{t}万元，均未列入“三公”经费。")]


def report_title(dept: str, year: int, f: Form) -> str:
    return f"{dept}{'（本级）' if f.own_level else ''}{year}年度{f.title_tail}"


def draw_form(doc: Doc, seed: int, city: str, district: str, dtype: cat.DeptType, year: int, f: Form) -> tuple:
    """Draw one report of form f; returns (Drawn, layout, department name, content for the web/text forms)."""
    region = city + district
    dept = cat.department_name(city, district, "", dtype)
    lay = _layout(seed, city, region, year, dtype.key, state_capital=True, nontax_table=False, unit="万元")
    o = Opts(variant=f.tables)
    p = build_printed(raw_figures(seed, region, dtype, year, city), raw_figures(seed, region, dtype, year - 1, city),
                      year, lay.split_fiscal)
    rng = random.Random(f"{seed}|form|{region}|{dtype.key}|{year}")
    narr = FamilyNarrative(p, lay, dept, dtype.key, year, rng, region=region, opts=o)
    tables, others, related = build_tables(p, lay, dept, year, o, rng)
    parts = sections(narr.statements())
    if f.related_in_text:
        parts["sangong"] = [*parts["sangong"], *_meeting_training(related, year)]
    extra = {k: TEXTS[k].format(year=year) for _, k in f.extra_parts}
    title = report_title(dept, year, f)
    content: list = [("cover", _cover_lines(dept, year, f))]
    _cover(doc, content[0][1])
    if f.contents != "none":
        content.append(("contents", _contents_lines(f, dept, year, [s.title for _, s in tables])))
        _contents(doc, content[-1][1])
    text = [_overview(narr, f)]
    tables_heading = f"第二部分 {dept}{year}年度部门决算表"
    if f.tables_last:
        tables_heading = "附件：部门决算公开表" if f.numbered_paragraphs else "第四部分 附表"
    else:
        _text(doc, lay, text, content)
        text = []
        _draw_tables(doc, tables, p, lay, o, tables_heading)
        content += [("part", tables_heading), *(("table", spec) for _, spec in tables)]
    text += [structure(f, parts, dept, year, extra), *([("part", h), ("p", extra[k])] for h, k in f.extra_parts),
             _glossary(narr, f)]
    _text(doc, lay, text, content)
    if f.tables_last:
        _draw_tables(doc, tables, p, lay, o, tables_heading)
        content += [("part", tables_heading), *(("table", spec) for _, spec in tables)]
    keys = {k for k, _ in tables if k != "other"}
    return Drawn(p, narr.truth, keys, others, title, related), lay, dept, content


def _text(doc: Doc, lay, parts: list[list], content: list) -> None:
    """Draw each part of the text (a part starts on a new page) and add its blocks to the content."""
    for blocks in parts:
        _blocks(Flow(doc, number_font=lay.number_font), blocks, lay)
        content += blocks


def _cover_lines(dept: str, year: int, f: Form) -> list[str]:
    return [dept + ("（本级）" if f.own_level else ""), f"{year}年度{f.title_tail}"]


def _cover(doc: Doc, lines: list[str]) -> None:
    doc.new_page(False)
    doc.cover = True
    w, h = doc.size
    y = h * 0.62
    for ln in lines:
        size = 26 if fonts.width(ln, fonts.CJK, 26) < w - 100 else 20
        doc.c.setFont(fonts.CJK, size)
        doc.c.drawCentredString(w / 2, y, ln)
        y -= 44


def _contents_lines(f: Form, dept: str, year: int, titles: list[str]) -> list[str]:
    """The 目录: the form's parts; the tables listed one by one (full) or as one line (one_line)."""
    lines = ["目录", f"第一部分 {dept}概况"]
    if not f.tables_last:
        lines.append(f"第二部分 {dept}{year}年度部门决算表")
        if f.contents == "full":
            lines += [t if f.tables.numbering else f"{cat.cn_ordinal(n)}、{t}" for n, t in enumerate(titles, 1)]
    lines += [part.format(dept=dept, year=year) for part, _ in f.statements]
    lines += [heading for heading, _ in f.extra_parts] + [f.glossary]
    return lines + (["第四部分 附表"] if f.tables_last else [])


def _contents(doc: Doc, lines: list[str]) -> None:
    flow = Flow(doc, size=12)
    flow.new_page()
    flow.heading("目  录", size=18, center=True)
    for line in lines[1:]:
        flow.paragraph(line, indent=not line.startswith("第"))


def report_forms(seed: int, n: int) -> Iterator[Generated]:
    """One report per province form (FORMS), in turn."""
    for k in range(n):
        f = form(k)
        dtype = cat.DEPT_TYPES[(k + 2) % len(cat.DEPT_TYPES)]
        if dtype.key == "街道办事处":
            dtype = cat.DEPT_TYPES[(k + 3) % len(cat.DEPT_TYPES)]
        city, district = f.region
        year = 2023 - k // len(FORMS)
        dept = cat.department_name(city, district, "", dtype)
        title = report_title(dept, year, f)
        doc = _doc(title, _layout(seed, city, city + district, year, dtype.key))
        d, lay, dept, content = draw_form(doc, seed, city, district, dtype, year, f)
        pdf = doc.finish()
        rec = family_truth(f"{title}.pdf", pdf, city + district, dept, year, d, lay, Opts(variant=f.tables))
        rec["report_form"] = f.report_form
        rec["form_variant"] = f.name
        rec["scope_printed"] = "own_level" if f.own_level else None
        rec["notes"].append(f"Report form {f.name}: parts and 情况说明 items in that province's order.")
        yield Generated(f"{title}.pdf", pdf, rec, content)
