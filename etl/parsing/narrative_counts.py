"""The counts and scales the narrative prints (the denominators a comparison needs), as rows of the `counts`
table (etl/schema.py COUNTS): 公务用车保有量/购置数, 因公出国（境）团组/人次, 公务接待批次/人次 (国内/外事 where split),
决算单位构成, 编制/实有人数, 机关运行经费, 政府采购 (货物/工程/服务, 授予中小企业), 国有资产 (车辆, 大型设备).

General rules over the wording (catalogue §5, §7 and the real reports), never one report's sentence:
- a count is a whole number followed by its count word (辆, 个/次, 人次/人, 批次, 台（套）): a figure followed by
  元/万元 is never a count, and a money kind only takes a figure followed by 元/万元 (元 converted to 万元);
- a count may be printed in Chinese numerals (一辆, 十二人);
- each figure is read in its own sentence (cut at 。), and the first statement of a kind wins for the total
  row: a report repeats a figure (三公 section and 国有资产 section), the first is where it is defined.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from etl.normalise import parse_amount
from etl.pagesource.page import Page
from etl.parsing.narrative import line_spans, narrative_text, page_at

#: a count: Arabic digits (a thousands comma tolerated) or Chinese numerals
_CN = "零〇一二两三四五六七八九十百千"
N = rf"(?P<n>\d[\d,]*|[{_CN}]+)"
M = rf"(?P<m>\d[\d,]*|[{_CN}]+)"
#: a money figure and its unit (a stray point before the unit tolerated, as narrative.UNIT)
MONEY = r"(?P<x>\d[\d,]*(?:\.\d+)?)\.?(?P<u>万元|元)"
_OPEN, _CLOSE = r"[（(]", r"[）)]"

#: (kind, unit, scope, needles, pattern): the first match of a kind's pattern in a sentence gives one row; `needles`
#: are words one of which every match holds (the literal the pattern cannot match without): a sentence holding none
#: is not searched
_COUNT_PATTERNS: tuple[tuple[str, str, str | None, tuple[str, ...], re.Pattern], ...] = tuple(
    (kind, unit, scope, needles, re.compile(pattern)) for kind, unit, scope, needles, pattern in (
        ("vehicles_held", "辆", None, ("辆",),
         rf"(?:保有量|保有|共有公务用车|公务用车(?:数量|总数)|实有公务用车)(?:总数|数量)?(?:为|是|共|共计|合计)?{N}辆"),
        ("vehicles_purchased", "辆", None, ("辆",),
         rf"(?:购置|购买|更新)(?:公务用车|车辆|公务车)?(?:数量|数)?(?:为|共|共计)?{N}辆"),
        ("vehicles_owned", "辆", None, ("辆",), rf"共有(?:各类)?车辆(?:共计|合计)?{N}辆"),
        ("equipment_over_50", "台（套）", None, ("50万元",),
         rf"(?:单价|单位价值)50万元{_OPEN}?含?{_CLOSE}?以上(?:的)?(?:通用|专用)?设备(?:{_OPEN}不含车辆{_CLOSE})?(?:共计|共)?{N}台"),
        ("equipment_over_100", "台（套）", None, ("100万元",),
         rf"(?:单价|单位价值)100万元{_OPEN}?含?{_CLOSE}?以上(?:的)?(?:通用|专用)?设备(?:{_OPEN}不含车辆{_CLOSE})?(?:共计|共)?{N}台"),
        ("overseas_groups", "个", None, ("团组",), rf"(?<!来访)团组(?:数)?(?:共计|共|合计)?[，,]?{N}(?:个|次)"),
        ("units_consolidated", "个", None, ("范围", "单位构成", "纳入本部门"),
         rf"(?:决算编[制报]范围|决算单位构成|单位构成|纳入本部门)[^。]{{0,40}}?"
         rf"(?:单位(?:共计|共|合计|包括|有)|(?:共计|共有|共|合计|包括|包含))[^。\d{_CN}]{{0,6}}?{N}(?:个|家)"),
        ("staff_authorised", "人", None, ("编制",),
         rf"(?<![行政事业工勤机关参公])(?:人员)?编制(?:数|人数|总数)?(?:为|共|共计|合计|核定)?{N}(?:人|名)(?!次)"),
        ("staff_actual", "人", None, ("实有",),
         rf"实有(?:人员|人数|在职人员|在编人员)?(?:总数)?(?:为|共|共计|合计)?{N}(?:人|名)(?!次)"),
    ))

#: the 因公出国（境） travellers in a 团组 sentence: 累计M人次 · 出国（境）M人 · 人数M人
_TRAVELLERS = re.compile(rf"(?:累计|共计|合计)?(?:出国{_OPEN}?境?{_CLOSE}?)?(?:人数|人次)?(?:为)?{M}(?:人次|人)")

#: 公务接待: N批次 and its 人次, the scope from the words just before (国内 / 外事)
_BATCHES = re.compile(rf"(?P<who>国内公务接待|国内接待|外事接待|接待国外来访团组|接待外宾|公务接待|接待)"
                      rf"(?:共计|共|合计|累计)?(?:批次为|批次)?[^。，,；;（(]{{0,6}}?{N}(?:批次|批|个批次|个|次)(?!数)")
_RECEIVED = re.compile(rf"(?:接待人次为|人数|累计|共|来访外宾)?{M}(?:人次|人)(?!员)")
#: 国内公务接待共N批次（其中外事接待K批次）: N is every reception (the parenthesis is a part of it)
_PART_OF = re.compile(rf"{_OPEN}其中外事接待(?:共)?{N}批次")

#: money kinds: (kind, subject); the figure is the first amount after the subject in its sentence
_MONEY_SUBJECTS: tuple[tuple[str, re.Pattern], ...] = tuple((k, re.compile(p)) for k, p in (
    ("admin_operation_cost", r"机关运行经费(?:支出|决算)?(?:决算)?(?:数)?(?:合计|共计)?(?:为|是)?(?=\d)"),
    ("procurement_total", r"政府采购(?:支出|合同|采购)?(?:总额|总金额|金额|合计)"
                          r"(?:[（(]以合同签订为准[）)])?(?:共计|合计)?(?:为|是)?"),
    ("procurement_goods", r"(?:政府采购)?货物(?:采购)?(?:支出|金额)?(?:为)?(?=\d)"),
    ("procurement_works", r"(?:政府采购)?工程(?:采购)?(?:支出|金额)?(?:为)?(?=\d)"),
    ("procurement_services", r"(?:政府采购)?服务(?:采购)?(?:支出|金额)?(?:为)?(?=\d)"),
    ("procurement_sme", r"授予中小企业合同(?:金额|总额)?(?:共计|合计)?(?:为|是)?"),
))
_PROCUREMENT = {"procurement_goods", "procurement_works", "procurement_services"}

#: a heading line: a numbered title with no sentence punctuation (（二）政府采购支出情况), never part of a sentence
_CN_ORDINAL = "[一二三四五六七八九十]+"
_HEADING = re.compile(rf"^(?:{_CN_ORDINAL}、|[（(](?:{_CN_ORDINAL}|\d+)[）)]|第{_CN_ORDINAL}部分)[^，。；,;]{{0,30}}$")


def read_counts(pages: list[Page]) -> list[dict]:
    """counts rows (without doc_id) for the counts and scales the narrative pages print."""
    text, marks = narrative_text(pages)
    headings = [end for start, end, _ in line_spans(pages) if _HEADING.match(text[start:end])]
    return count_rows(text, marks, headings)


def sentences(text: str, cuts: list[int] = ()) -> Iterator[tuple[int, str]]:
    """(start, sentence) of the text cut after each 。 and at each heading's end (`cuts`)."""
    ends = sorted({m.end() for m in re.finditer("。", text)} | set(cuts) | {len(text)})
    start = 0
    for end in ends:
        if text[start:end].strip():
            yield start, text[start:end]
        start = end


def count_rows(text: str, marks: list[tuple[int, int]], headings: list[int] = ()) -> list[dict]:
    """One row per kind and scope, the first statement of it in the text (headings cut off a sentence)."""
    rows: list[dict] = []
    seen: set[tuple[str, str | None]] = set()
    for start, sentence in sentences(text, headings):
        for row in _sentence_rows(sentence, start):
            key = (row["kind"], row["scope"])
            if key in seen:
                continue
            seen.add(key)
            rows.append({**row, "page": page_at(marks, row["span"][0])})
    return rows


def _sentence_rows(s: str, start: int) -> Iterator[dict]:
    def row(kind: str, unit: str, scope: str | None, value: Decimal, pos: int) -> dict:
        return {"kind": kind, "value": float(value), "unit": unit, "scope": scope, "sentence": s,
                "span": (start + pos, start + len(s))}

    for kind, unit, scope, needles, pattern in _COUNT_PATTERNS:
        for needle in needles:
            if needle in s:
                break
        else:
            continue  # a word the pattern cannot match without is missing: most sentences state no count
        if (m := pattern.search(s)) and (n := count_value(m.group("n"))) is not None:
            yield row(kind, unit, scope, n, m.start())
            if kind == "overseas_groups" and (t := _TRAVELLERS.search(s, m.end())) \
                    and (v := count_value(t.group("m"))) is not None:
                yield row("overseas_people", "人次", None, v, t.start())
    if "接待" in s:  # every 公务接待 pattern (_BATCHES, _PART_OF) holds it
        yield from (row(*r) for r in _reception(s))
    if "元" not in s:
        return  # no money figure (MONEY ends in 元/万元)
    for kind, subject in _MONEY_SUBJECTS:
        if kind in _PROCUREMENT and "采购" not in s:
            continue  # 货物/工程/服务 figures are procurement only in a 政府采购 sentence
        # the first mention followed by an amount (机关运行经费2024年度… names a year, not the figure)
        found = ((m, x) for m in subject.finditer(s) if (x := re.match(MONEY, s[m.end():])))
        if (hit := next(found, None)) and (value := _wan(hit[1].group("x"), hit[1].group("u"))) is not None:
            yield row(kind, "万元", None, value, hit[0].start())


def _wan(number: str, unit: str) -> Decimal | None:
    """A money figure in 万元; 元 divided by 10,000 without rounding (a count of 元 keeps its cents)."""
    value = parse_amount(number)
    return value / 10000 if value is not None and unit == "元" else value


def _reception(s: str) -> Iterator[tuple]:
    """(kind, unit, scope, value, pos) of the 公务接待 batches and people of a sentence: 国内 → domestic, 外事 →
    foreign, else the total; 国内…共N批次（其中外事接待K批次） → N the total, K foreign."""
    part_of = _PART_OF.search(s)
    for b in _BATCHES.finditer(s):
        if "接待" not in s[:b.end()] or (part_of and b.start() > part_of.start()):
            continue
        who = b.group("who")
        scope = None if part_of else "domestic" if "国内" in who else "foreign" if re.search("外事|国外|外宾", who) \
            else None
        n = count_value(b.group("n"))
        if n is None:
            continue
        yield "reception_batches", "批次", scope, n, b.start()
        tail = s[(part_of.end() if part_of else b.end()):]
        tail = tail[: m.start()] if (m := re.search(r"外事接待|国内(?:公务)?接待|发生国内", tail)) else tail
        if (p := _RECEIVED.search(tail)) and (v := count_value(p.group("m"))) is not None:
            yield "reception_people", "人次", scope, v, b.start()
    if part_of and (k := count_value(part_of.group("n"))) is not None:
        yield "reception_batches", "批次", "foreign", k, part_of.start()


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def count_value(token: str) -> Decimal | None:
    """A printed count as a number: 12 / 1,024 / 十二 / 一百零五; None when it is no number."""
    if token[0].isdigit():
        return Decimal(token.replace(",", ""))
    total, digit = 0, None
    for ch in token:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            return None
    return Decimal(total + (digit or 0))
