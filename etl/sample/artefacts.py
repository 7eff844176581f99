"""Text artefacts and unit variants of real publications (catalogue 2026-12-05 §7 units, §8), with exact truth.

An artefact is printed where the real publications show it: line wraps inside a number or between 万 and 元 in
the PDF (the narrative wrapped at any character); mirrors (traditional characters with pinyin injected, item
markers in the wrong encoding, 年 printed as -), Word's `<![endif]>` and chart captions in web pages; OCR-like
text that lost its 、 in a text file. Units: a report in 元 with thousands separators in its text, 元/万元 slips
inside one paragraph (and, in a small unit, a one-digit 三公 total and a two-digit 项目支出 labelled 元),
whole-万元 integers. And a 决算 of year YYYY posted under a "(YYYY+1)年预算公开" title. A
transform changes only how the narrative is printed; where a scored figure is printed otherwise (a slip, a
rounded figure) the truth records it as printed, which is what the reader must keep (the completion check then
flags it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from etl.sample import catalog as cat
from etl.sample.document import Generated, generate
from etl.sample.extras import family_keys
from etl.sample.figures import build_printed, raw_figures
from etl.sample.layout import Layout, choose_layout

#: Traditional forms a mirror prints (one for one, so a figure's position in its sentence is kept).
_SIMPLE = ("预数决费经务车购运维护际现关会财拨项专门类国资产与说额余结转为计总报机构单实对较减长调议训练员"
           "区县乡镇党办卫医疗险养业")
_TRAD = ("預數決費經務車購運維護際現關會財撥項專門類國資產與說額餘結轉為計總報機構單實對較減長調議訓練員"
         "區縣鄉鎮黨辦衛醫療險養業")
_TO_TRADITIONAL = str.maketrans(_SIMPLE + "况万这个发开", _TRAD + "況萬這個發開")
#: Pinyin a mirror injects after a character, half-width brackets (`預(yù)算`, `數(shù)`).
_PINYIN = {"預": "yù", "數": "shù", "決": "jué", "費": "fèi"}
_NUM_WAN = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?万元")


@dataclass(frozen=True)
class Artefact:
    name: str
    form: str  # pdf / html / txt: where the real publications show it
    text: str = ""  # the narrative transform (TRANSFORMS), "" for none
    force: tuple[tuple[str, object], ...] = ()  # layout features forced for the variant
    wrap: bool = False  # PDF: the narrative wrapped at any character (breaks inside numbers, 万|元)
    title_year_ahead: bool = False  # posted under a "(YYYY+1)年预算公开" title
    shanghai: bool = False  # the 2024 national form (item budgets in the text, no narrative 非税收入 table)
    small: bool = False  # a small unit (a two-digit 项目支出 and a one-digit 三公 total, in 万元)
    dept: str = ""  # the department type (catalog.DEPT_TYPES key) the variant needs, "" for the k-th
    spam: bool = False  # a mirror whose page title, cover and 第一部分 carry a spam site's name (SPAM_NAME)


VARIANTS = (
    Artefact("line_wraps", "pdf", wrap=True),
    Artefact("comma_totals", "pdf", force=(("totals_wording", "comma_joined"),)),
    Artefact("mirror_pinyin", "html", "traditional_pinyin"),
    Artefact("mirror_mojibake", "html", "mojibake_markers"),
    Artefact("mirror_year_dash", "html", "year_dash", shanghai=True),
    Artefact("endif_captions", "html", "endif_captions"),
    Artefact("ocr_lost_comma", "txt", "lost_comma", force=(("totals_wording", "comma_joined"),)),
    Artefact("yuan_text", "txt", "yuan", force=(("unit", "元"), ("thousands", True))),
    Artefact("unit_slips", "html", "unit_slips", force=(("item_pct", True),), shanghai=True),
    Artefact("whole_wan", "txt", "whole_wan"),
    Artefact("budget_title", "html", title_year_ahead=True),
    Artefact("stray_points", "html", "stray_points", shanghai=True),
    Artefact("small_yuan_slips", "txt", "small_yuan_slips", force=(("sangong_wording", "initial"),), shanghai=True,
             small=True),
    Artefact("sangong_cell_lines", "txt", "sangong_cell_lines"),
    Artefact("sangong_single_blanks", "txt", "sangong_single_blanks"),
    Artefact("spam_mirror", "html", "spam_mirror", spam=True),
    Artefact("other_town_named", "html", "other_town", dept="街道办事处"),
    Artefact("ocr_elided", "txt", "ocr_elided"),
    Artefact("chart_caption_lines", "txt", "caption_lines"),
    Artefact("sangong_one_line", "txt", "sangong_one_line"),
)

#: the name a spam mirror prints instead of the department's (in its page title, cover and 第一部分 heading)
SPAM_NAME = "星河娱乐平台官方网站"
#: a town (with its county) whose 概况 sentence another town's report copied
OTHER_TOWN = "湖南省长沙市望城区乔口镇"
ELIDED = "（略）"

#: What a kind of wrap splits: the end of one line and the start of the next.
WRAP_KINDS = {
    "inside_digits": re.compile(r"\d,?$"), "after_point": re.compile(r"\d\.$"), "unit": re.compile(r"万$"),
}


def wrap_kinds(wraps: list[tuple[str, str]]) -> set[str]:
    """The kinds of split among a document's line breaks (Doc.wraps)."""
    found = set()
    for end, start in wraps:
        if re.match(r"\d", start) and WRAP_KINDS["after_point"].search(end):
            found.add("after_point")
        elif re.match(r"[\d,]", start) and WRAP_KINDS["inside_digits"].search(end):
            found.add("inside_digits")
        elif start.startswith("元") and WRAP_KINDS["unit"].search(end):
            found.add("unit")
    return found


# -- narrative transforms: (paragraphs and headings, truth) -> paragraphs and headings ----------------------


def _texts(content: list, fn: Callable[[str], str], kinds: tuple[str, ...] = ("p",)) -> list:
    return [(k, fn(v)) if k in kinds and isinstance(v, str) else (k, v) for k, v in content]


def _traditional_pinyin(content: list, truth: dict) -> list:
    def mirror(text: str) -> str:
        text = text.translate(_TO_TRADITIONAL)
        return "".join(ch + (f"({_PINYIN[ch]})" if ch in _PINYIN else "") for ch in text)
    return _texts(content, mirror, ("p", "h"))


_MARKER = re.compile(r"^(?:（(?:[一二三四五六七八九十]{1,3}|\d{1,2})）|(?:[一二三四五六七八九十]{1,3}|\d{1,2})、)")


def _mojibake_markers(content: list, truth: dict) -> list:
    """A mirror (traditional + pinyin) whose item markers were read in the wrong encoding: each paragraph's or
    heading's leading 1、 / 一、 / （一） printed as its UTF-8 bytes read as GBK (1銆�, 锛堜竴锛�)."""
    def mangle(text: str) -> str:
        return _MARKER.sub(lambda m: m.group().encode("utf-8").decode("gbk", errors="replace"), text)
    return _texts(_traditional_pinyin(content, truth), mangle, ("p", "h"))


def _year_dash(content: list, truth: dict) -> list:
    """A mirror that printed every 年 of the text as `-` (2023-度, 上-, -初预算)."""
    return _texts(content, lambda t: t.replace("年", "-"), ("p", "h"))


def _endif_captions(content: list, truth: dict) -> list:
    """Word's residue before paragraphs; a chart caption (rounded figures of the chart) before the statements."""
    out = []
    for kind, item in content:
        statement = isinstance(item, str) and "年初预算" in item and "一般公共预算财政拨款支出" in item
        if kind == "p" and statement:
            rounded = [_round_wan(m) for m in _NUM_WAN.finditer(item)][:2]
            caption = f"图2：一般公共预算财政拨款支出年初预算{rounded[0]}万元，决算{rounded[1]}万元"
            out.append(("p", caption))  # one line, as a chart's
        if kind == "p" and isinstance(item, str):
            item = "<![endif]>" + item
        out.append((kind, item))
    return out


def _round_wan(m: re.Match) -> str:
    return f"{int(_dec(m).quantize(Decimal(1), ROUND_HALF_UP)):,}"


def _dec(m: re.Match) -> Decimal:
    return Decimal(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else ""))


def _stray_points(content: list, truth: dict) -> list:
    """A stray point after figures that already have their decimals (`123.45. 万元`, catalogue §9): the
    department total's and each item's statement."""
    def stray(text: str) -> str:
        if "预算为" not in text:
            return text
        return re.sub(r"(\d\.\d{2})万元", r"\1. 万元", text)
    return _texts(content, stray)


def _lost_comma(content: list, truth: dict) -> list:
    return _texts(content, lambda t: t.replace("、", ""))


def _yuan(content: list, truth: dict) -> list:
    """Every 万元 amount of the text printed in 元 with thousands separators (the same figure)."""
    def to_yuan(m: re.Match) -> str:
        return f"{(_dec(m) * 10000).quantize(Decimal('0.01')):,}元"
    return _texts(content, lambda t: _NUM_WAN.sub(to_yuan, t))


def _whole_wan(content: list, truth: dict) -> list:
    """Every 万元 amount of the text rounded to a whole 万元; the truth keeps the figures as printed."""
    _round_truth(truth, lambda v: float(Decimal(str(v)).quantize(Decimal(1), ROUND_HALF_UP)))
    return _texts(content, lambda t: _NUM_WAN.sub(lambda m: _round_wan(m) + "万元", t))


def _round_truth(truth: dict, fn: Callable[[float], float]) -> None:
    amounts = ("initial_budget", "full_year_budget", "actual", "unqualified_budget", "budget_difference")
    for rec in [truth.get("gpb_budget_execution") or {}, *(truth.get("item_budget_execution") or [])]:
        for key in amounts:
            if rec.get(key) is not None:
                rec[key] = fn(rec[key])


def _unit_slips(content: list, truth: dict) -> list:
    """In the paragraph of the item with the smallest budget: its budget printed as its 元 figure under 万元 (six
    digits before the point when 10 ≤ budget < 100 万元); in the 支出 paragraph 项目支出 in 万元 labelled 元."""
    items = [r for r in truth["item_budget_execution"] if r["initial_budget"]]
    item = min(items, key=lambda r: r["initial_budget"])
    budget = f"年初预算为{_wan_text(item['initial_budget'])}万元"
    slipped = f"年初预算为{Decimal(str(item['initial_budget'])) * 10000:,.2f}万元"
    item["initial_budget"] = float(Decimal(str(item["initial_budget"])) * 10000)
    name = item["path"].rsplit("/", 1)[-1]
    out, done = [], 0
    for kind, text in content:
        if kind == "p" and isinstance(text, str) and f"{name}（项）" in text and budget in text and not done & 1:
            text, done = text.replace(budget, slipped, 1), done | 1
        elif kind == "p" and isinstance(text, str) and "本年支出合计" in text and "项目支出" in text:
            text, done = re.sub(r"(项目支出[\d,.]+)万元", r"\1元", text, count=1), done | 2
        out.append((kind, text))
    if done != 3:
        raise RuntimeError("unit_slips: the item or 支出 paragraph was not printed as expected")
    return out


def _small_yuan_slips(content: list, truth: dict) -> list:
    """Two 万元 amounts labelled 元 (catalogue §7): the 三公 total's 支出决算 with one digit before the point, read
    as printed (the truth's sangong_narrative keeps that 元 figure in 万元), and 项目支出 with two."""
    stated = truth["sangong_narrative"]
    actual = f"支出决算为{_wan_text(stated['actual_total'])}万元"
    if not re.fullmatch(r"\d\.\d{2}", _wan_text(stated["actual_total"])):
        raise RuntimeError("small_yuan_slips: the 三公 total has not one digit before the point")
    truth["sangong_narrative"] = {**stated, "actual_total": float(
        (Decimal(str(stated["actual_total"])) / 10000).quantize(Decimal("0.01")))}
    out, done = [], 0
    head = "“三公”经费财政拨款支出年初预算为"
    for kind, text in content:
        if kind == "p" and isinstance(text, str) and text.startswith(head) and actual in text:
            text, done = text.replace(actual, actual[:-2] + "元", 1), done | 1
        elif kind == "p" and isinstance(text, str) and "本年支出合计" in text:
            text, n = re.subn(r"(项目支出\d{2}\.\d{2})万元", r"\1元", text, count=1)
            done |= 2 * n
        out.append((kind, text))
    if done != 3:
        raise RuntimeError("small_yuan_slips: the 三公 or 支出 paragraph was not printed as expected")
    return out


def _wan_text(v: float) -> str:
    return f"{Decimal(str(v)):,.2f}"


# -- the 三公 table printed across, as web pages saved as text flatten it (catalogue §8) ---------------------

#: the 6 columns of a 三公 table printed across (预算数 and 决算数 as rows), as truth["sangong"] keys them
ACROSS_COLUMNS = (("合计", "total"), ("因公出国（境）费", "overseas"),
                  ("公务用车购置及运行维护费小计", "vehicle_total"), ("公务用车购置费", "vehicle_purchase"),
                  ("公务用车运行维护费", "vehicle_operation"),
                  ("公务接待费", "reception"))


def _across_rows(truth: dict) -> list[list[str]]:
    """The header row (项目 and the 6 items) and the 预算数 and 决算数 rows, every figure printed (0.00 too)."""
    fig = truth["sangong"]
    rows = [["项目", *(label for label, _ in ACROSS_COLUMNS)]]
    for side, key in (("预算数", "budget"), ("决算数", "actual")):
        rows.append([side, *(f"{fig[key][item]:.2f}" for _, item in ACROSS_COLUMNS)])
    return rows


def _flattened_sangong(content: list, truth: dict, lines: Callable[[list[list[str]]], list[str]],
                       sep: str) -> list:
    """The 三公 table (its number, title, unit line and note kept) printed across, its rows as `lines` flattens
    them; `sep` joins the department and unit on their line."""
    out, done = [], False
    for kind, item in content:
        if kind == "table" and "三公" in item.title and not done:
            unit = f"单位：{item.unit}"
            head = [item.number] if item.number else []
            head += [item.title, f"{item.dept_line}{sep}{unit}" if item.dept_line else unit]
            out += [("p", line) for line in [*head, *lines(_across_rows(truth)), *item.note]]
            done = True
            continue
        out.append((kind, item))
    if not done:
        raise RuntimeError("flattened 三公: the report prints no 三公 table")
    return out


def _sangong_cell_lines(content: list, truth: dict) -> list:
    """One cell per line: the header labels, then each row's label and its figures, each on its own line."""
    return _flattened_sangong(content, truth, lambda rows: [c for row in rows for c in row], "  ")


def _sangong_single_blanks(content: list, truth: dict) -> list:
    """A row per line, its cells (and the department and unit line's) separated by one blank: the columns lost."""
    return _flattened_sangong(content, truth, lambda rows: [" ".join(row) for row in rows], " ")


def _sangong_one_line(content: list, truth: dict) -> list:
    """The whole table on one line, every cell one blank apart (the rows' ends lost with the blanks)."""
    return _flattened_sangong(content, truth, lambda rows: [" ".join(c for row in rows for c in row)], " ")


# -- names: a spam mirror, another town's 概况 copied ---------------------------------------------------------


def _spam_mirror(content: list, truth: dict) -> list:
    """A traditional mirror (pinyin injected) whose cover and 第一部分 heading (and its contents line) print
    SPAM_NAME where the department's name stood; the tables' 部门： lines and the statements still name it. The
    truth keeps the department: a researcher files the report under the body it reports on."""
    dept = truth["department"]

    def swap(text: str) -> str:
        return text.replace(dept, SPAM_NAME) if text.startswith("第一部分") else text
    out = []
    for kind, item in content:
        if kind == "cover":
            item = [line.replace(dept, SPAM_NAME) for line in item]
        elif kind == "contents":
            item = [swap(line) for line in item]
        elif kind == "part" and item.startswith("第一部分"):
            item = swap(item)
        out.append((kind, item))
    truth["notes"].append(f"Spam mirror: cover and 第一部分 print {SPAM_NAME}; the department is the report's own.")
    return _traditional_pinyin(out, truth)


def _other_town(content: list, truth: dict) -> list:
    """A 街道's 概况 with a sentence copied from another town's report, naming that town in full."""
    out, done = [], False
    for kind, item in content:
        out.append((kind, item))
        if kind == "h" and item.endswith("主要职能") and not done:
            out.append(("p", f"{OTHER_TOWN}人民政府是{OTHER_TOWN[:-3]}辖下的乡镇一级人民政府，"
                             f"{OTHER_TOWN[-3:]}人民政府主要职责是：落实上级党委政府决策部署，统筹本镇经济社会发展。"))
            done = True
    if not done:
        raise RuntimeError("other_town: no 主要职能 heading")
    return out


# -- OCR'd text: lost 、 and elided text; chart captions on lines of their own ----------------------------


def _ocr_elided(content: list, truth: dict) -> list:
    """OCR'd text: every 、 lost; the 主要职能 paragraph and each reason after 主要原因： elided as （略）."""
    out, after_duties = [], False
    for kind, item in content:
        if kind == "p" and isinstance(item, str):
            item = ELIDED if after_duties else re.sub(r"(主要原因[：:])[^。]*。", rf"\1{ELIDED}。", item)
            item = item.replace("、", "")
        after_duties = kind == "h" and isinstance(item, str) and item.endswith("主要职能")
        out.append((kind, item))
    return out


def _caption_lines(content: list, truth: dict) -> list:
    """A chart's caption as 4 short lines before the 收入 and before the 支出 paragraph: its title, 单位：万元, and
    the year or the chart's legend (a part and its share, the paragraph's own percentage) or its rounded total."""
    out, year = [], truth["year"]
    for kind, item in content:
        if kind == "p" and isinstance(item, str) and item.startswith(("本年收入合计", "本年支出合计")):
            income = item.startswith("本年收入")
            name, share = re.search(r"([\u4e00-\u9fff]{2,8})[\d,.]+万元，占([\d.]+%)", item).groups()
            rounded = _round_wan(next(_NUM_WAN.finditer(item)))
            caption = ([f"图1：{year}年度收入决算结构", "单位：万元", f"{year}年", f"{name}{share}"] if income
                       else ["图2：支出决算结构", "单位：万元", f"{name}{share}", f"合计{rounded}"])
            out += [("p", line) for line in caption]
        out.append((kind, item))
    return out


TRANSFORMS: dict[str, Callable[[list, dict], list]] = {
    "traditional_pinyin": _traditional_pinyin,
    "year_dash": _year_dash,
    "mojibake_markers": _mojibake_markers,
    "endif_captions": _endif_captions,
    "lost_comma": _lost_comma,
    "stray_points": _stray_points,
    "yuan": _yuan,
    "unit_slips": _unit_slips,
    "whole_wan": _whole_wan,
    "small_yuan_slips": _small_yuan_slips,
    "sangong_cell_lines": _sangong_cell_lines,
    "sangong_single_blanks": _sangong_single_blanks,
    "sangong_one_line": _sangong_one_line,
    "spam_mirror": _spam_mirror,
    "other_town": _other_town,
    "ocr_elided": _ocr_elided,
    "caption_lines": _caption_lines,
}


# -- documents -------------------------------------------------------------------------------------------


def _layout(seed: int, k: int, a: Artefact) -> tuple[tuple[str, str, str], cat.DeptType, int, Layout]:
    regions = [cat.REGIONS[(k + n) % len(cat.REGIONS)] for n in range(len(cat.REGIONS))]
    city, district, street = next(r for r in regions if not a.shanghai or r[0] != "广州市")
    dtype = cat.DEPT_TYPES[(k + 2) % len(cat.DEPT_TYPES)]
    if a.dept:
        dtype = next(d for d in cat.DEPT_TYPES if d.key == a.dept)
    year = 2023 - k // 12
    if a.small:
        dtype = _small_unit(seed, city, city + district, year, dtype)
    force = {"inconsistency": None, "gpb_wording": "initial", "unit": "万元", **dict(a.force)}
    lay = choose_layout(seed, city, city + district, year, dtype.key, force)
    return (city, district, street), dtype, year, lay


def _small_unit(seed: int, city: str, region: str, year: int, dtype: cat.DeptType) -> cat.DeptType:
    """The department at the first of a few small scales whose 项目支出 has two digits and whose 三公 total one,
    in 万元 (the amounts the §7 slips print)."""
    for scale in (240, 200, 160, 120, 90, 60, 40, 280, 320):
        small = replace(dtype, scale=scale, sangong=min(dtype.sangong, 1.0))
        raw, prev = raw_figures(seed, region, small, year, city), raw_figures(seed, region, small, year - 1, city)
        p = build_printed(raw, prev, year, split_fiscal=True)
        if 1000 <= p.extra["project_total"] < 10000 and 0 < p.sangong_actual["total"] < 1000:
            return small
    raise RuntimeError(f"small_yuan_slips: no small scale of {dtype.key} gives the amounts the slips print")


def artefact_document(seed: int, k: int) -> Generated:
    """The k-th variant's document (VARIANTS[k % n]) with its truth (keys `artefact`, `wraps` for line wraps)."""
    a = VARIANTS[k % len(VARIANTS)]
    (city, district, street), dtype, year, lay = _layout(seed, k, a)
    if a.form == "pdf":
        g = _pdf(seed, city, district, street, dtype, year, lay, a, k)
    else:
        g = _web(_with_keys(generate(seed, city, district, street, dtype, year, lay)), a, year)
    _with_keys(g)
    g.truth["artefact"] = a.name
    g.truth["notes"].append(f"Text artefact variant {a.name} ({a.form}), catalogue 2026-12-05 §7–§8.")
    return g


def _with_keys(g: Generated) -> Generated:
    """The family truth keys. A table printed inside the narrative (广州's 非税收入征缴情况表) is none of the tables
    part's (the locator ends that part where the narrative starts, whatever the form), so no `other` table."""
    g.truth |= family_keys("district", "department", other=[])
    return g


def _pdf(seed, city, district, street, dtype, year, lay: Layout, a: Artefact, k: int) -> Generated:
    """The PDF; with `wrap`, the first department (from the k-th on) whose narrative's breaks split digits, a
    point and a unit."""
    if not a.wrap:
        return generate(seed, city, district, street, dtype, year, lay)
    for step in range(len(cat.DEPT_TYPES)):
        dtype = cat.DEPT_TYPES[(k + step) % len(cat.DEPT_TYPES)]
        g = generate(seed, city, district, street, dtype, year, replace(lay, number_font=False), wrap_anywhere=True)
        if wrap_kinds(g.wraps) == set(WRAP_KINDS):
            g.truth["line_wraps"] = sorted(wrap_kinds(g.wraps))
            return g
    raise RuntimeError("line_wraps: no department's narrative split digits, a point and a unit")


def _web(g: Generated, a: Artefact, year: int) -> Generated:
    from etl.sample.webpage import text_file, web_page, web_truth

    truth = {**g.truth, "gpb_budget_execution": dict(g.truth["gpb_budget_execution"]),
             "item_budget_execution": [dict(r) for r in g.truth["item_budget_execution"]]}
    content = TRANSFORMS[a.text](list(g.content), truth) if a.text else list(g.content)
    stem = g.file_name.rsplit(".", 1)[0]
    title = stem
    if a.spam:
        title = f"{SPAM_NAME}{year}年部门决算"
    if a.title_year_ahead:
        title = f"{truth['department']}{year + 1}年预算公开"
        content = [("part", title), *content]
    if a.form == "html":
        name, data = f"{stem}.{a.name}.html", web_page(content, title)
    else:
        name, data = f"{stem}.{a.name}.txt", text_file(content)
    return Generated(name, data, web_truth(truth, name, data), content)


def artefacts(seed: int, n: int) -> Iterator[Generated]:
    """n documents, one variant after the other (VARIANTS order)."""
    for k in range(n):
        yield artefact_document(seed, k)
