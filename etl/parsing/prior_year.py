"""Every year-on-year statement of the narrative as data: its subject, this year's figure, the printed change
(增加/减少 C 万元, 增长/下降 P%, 持平), the prior figure where printed (上年决算数为 X) and the prior value the
statement implies, with the interval the printed rounding allows (rows of prior_year_statements, etl/schema.py).

A statement is a clause with a direction word after a comparison with last year (上年 / 比2023年度 / 同比) in
its sentence, before the stated reason. Its subject is the last subject word before the direction word in the
sentence (一般公共预算财政拨款支出, “三公”经费, 公务接待费, 机关运行经费, …); this year's figure is the nearest
figure the narrative prints for that subject (the same sentence first, then before it, then after it). The 项
paragraphs are item_yoy's (etl.parsing.narrative_yoy): they are carried over here with scope item.
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.normalise import parse_percent
from etl.parsing.claims import Amount, Claims, Sentence, half_unit, to_wan

#: (scope, path, subject pattern); the most specific first: a sentence naming 公务用车购置费 names no 三公 total.
SUBJECTS: tuple[tuple[str, str | None, str], ...] = (
    ("sangong_item", "vehicle_purchase", r"公务用车购置费"),
    ("sangong_item", "vehicle_operation", r"公务用车运行(?:维护)?费"),
    ("sangong_item", "vehicle_total", r"公务用车购置及运行(?:维护)?费"),
    ("sangong_item", "overseas", r"因公出国[（(]境[)）]费"),
    ("sangong_item", "reception", r"公务接待费"),
    ("sangong_total", None, r"三公[”\"]?经费"),
    ("admin_operation", None, r"机关运行经费"),
    ("gpb_total", None, r"一般公共预算财政拨款支出"),
    ("fiscal_total", None, r"财政拨款收入[、和]?支出(?:总计|合计)"),
    ("grand_total", None, r"收入[、和]?支出(?:总计|合计)"),
    ("income_total", None, r"(?:本年)?收入(?:总计|合计|总额)"),
    ("expenditure_total", None, r"(?:本年)?支出(?:总计|合计|总额)"),
)


def _led_by(starts: str, pattern: str) -> re.Pattern:
    """`pattern` behind a lookahead for the characters (a class's content) its matches can start with. A pattern
    whose alternatives start with a group, an optional part or a class gives the engine no first character of its
    own: it tries every alternative at each position of a sentence; the lookahead turns most positions away at one
    character (the same matches and groups; the subjects' pattern 7× faster)."""
    return re.compile(f"(?=[{starts}])(?:{pattern})")


#: every character a subject can start with (本 of the optional 本年 too): see _led_by
SUBJECT_STARTS = "公因三机一财收支本"
_SUBJECT = _led_by(SUBJECT_STARTS, "|".join(f"(?P<s{i}>{p})" for i, (_, _, p) in enumerate(SUBJECTS)))
_ANCHOR = _led_by("上去比较与同", r"(?:上一?|去)年(?!度?(?:结转|结余|末|预算))度?"
                               r"|(?:比|较|与|同)\d{4}年(?!度?的?(?:年初|全年|调整后?)?预算)|同比")
_BUDGET_BASE = re.compile(r"(?:比|较|与)(?:年初|全年|调整后?)?预算")
_NEG = r"(?P<neg>[-－−])?"
_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_CHANGE = re.compile(r"(?P<dir>增加|减少)了?" + _NEG + _NUM + r"\.?(万元|元)")
_PCT = re.compile(r"(?P<dir>增长|下降|降低|增加|减少)了?" + _NEG + _NUM + r"%")
_DIRECTION_WORDS = ("增加", "减少", "增长", "下降", "降低", "持平")
_DIRECTION = re.compile("|".join(_DIRECTION_WORDS))
_PRIOR = _led_by(r"上\d", r"(?:上一?年度?|\d{4}年度?)(?:决算)?(?:数)?(?:为|是)" + _NUM + r"\.?(万元|元)")
_DOWN = ("减少", "下降", "降低")
#: A figure right after a direction word is a change (减少-5.00万元 the claims do not take for one).
_CHANGE_TAIL = re.compile(r"(?:增加|减少|增长|下降|降低)了?[-－−]?$")


def prior_year_rows(claims: Claims, item_yoy: list[dict], tables: dict | None = None) -> list[dict]:
    """prior_year_statements rows (without doc_id): the whole-department statements, then the 项 rows of item_yoy.
    `tables` the figures the tables print by (scope, path), this year's where the text states none near the
    change (…决算数与2023年度持平 after a sentence giving only the 决算 of an unnamed subject)."""
    rows, anchored = [], False
    for s in claims.sentences:
        # 其中：因公出国（境）费…减少 X 万元 continues the sentence before it, which named last year
        found = _sentence_rows(s, claims.amounts, anchored and s.text.startswith("其中"), tables or {})
        anchored = bool(found)
        rows += found
    rows += [_item_row(r) for r in item_yoy if r["scope"] == "item"]
    return rows


def _sentence_rows(s: Sentence, amounts: list[Amount], continued: bool, tables: dict) -> list[dict]:
    if not any(word in s.text for word in _DIRECTION_WORDS):
        return []  # nor in the part before the reason: most sentences, answered before the reason is sought
    stated = s.text[: m.start()] if (m := _REASON.search(s.text)) else s.text
    if not any(word in stated for word in _DIRECTION_WORDS):
        return []  # no clause states a change (_DIRECTION): not cut into clauses
    if not continued and not _ANCHOR.search(stated):
        return []
    rows, seen = [], set()
    for clause_start, clause in _clauses(stated):
        d = _DIRECTION.search(clause)
        if d is None or _BUDGET_BASE.search(clause[: d.start()]):
            continue
        subject = _last_subject(stated[: clause_start + d.start()])
        if subject is None or subject[:2] in seen:
            continue
        seen.add(subject[:2])
        row = _row(subject, clause[d.start():], s, clause_start, amounts, tables)
        if row:
            rows.append(row)
    return rows


def _clauses(text: str) -> list[tuple[int, str]]:
    """The clauses (split at ；and at a comma before a new subject), each with its offset."""
    out, start = [], 0
    for m in _CLAUSE_CUT.finditer(text):
        out.append((start, text[start: m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return out


#: where a clause ends: ；, or a comma before a new subject (compiled once: every sentence with an anchor is cut)
_CLAUSE_CUT = _led_by("；;，,", r"[；;]|[，,](?=[^，,；;]*?(?:" + _SUBJECT.pattern + r"))")
#: the reason a sentence gives, after its statement
_REASON = re.compile(r"主要原因|原因")  # not (?:主要)?原因: two literals, so the engine skips to 主 or 原


def _last_subject(before: str) -> tuple[str, str | None, int] | None:
    found = list(_SUBJECT.finditer(before))
    if not found:
        return None
    m = found[-1]
    scope, path, _ = SUBJECTS[int(m.lastgroup[1:])]
    return scope, path, m.start()


def _row(subject: tuple[str, str | None, int], after: str, s: Sentence, offset: int,
         amounts: list[Amount], tables: dict) -> dict | None:
    scope, path, at = subject
    change, pct = _CHANGE.match(after), _PCT.search(after[:30])
    flat = after.startswith("持平") and not after.startswith("持平略")
    actual = _actual(scope, path, s, s.start + at, amounts)
    if actual is None and (scope, path) in tables:
        actual = _TableFigure(tables[(scope, path)], 2)
    if actual is None or not (change or pct or flat):
        return None
    prior = _PRIOR.search(s.text)
    row = {"scope": scope, "path": path, "code": None, "actual": actual.value,
           "change": _signed(change, _CHANGE) if change else (Decimal("0.00") if flat else None),
           "change_pct": _signed(pct, _PCT) if pct else (Decimal("0.00") if flat else None),
           "prior_stated": to_wan(prior.group(1), prior.group(2))[0] if prior else None,
           "sentence": s.text, "page": s.page, "span": (s.start, s.start + len(s.text))}
    return {**row, **implied_prior(actual.value, actual.decimals, row["prior_stated"], _places(prior, 1, 2),
                                   row["change"], _places(change, 3, 4), row["change_pct"], _places(pct, 3),
                                   flat=flat and not change and not pct)}


def _actual(scope: str, path: str | None, s: Sentence, pos: int, amounts: list[Amount]) -> Amount | None:
    """This year's figure of the subject: in its sentence before the change, else the nearest the narrative
    prints for the subject (before the sentence first)."""
    pattern = re.compile(next(p for sc, pa, p in SUBJECTS if (sc, pa) == (scope, path)))
    own = [a for a in amounts if not a.change and not _CHANGE_TAIL.search(a.subject)
           and a.role in (None, "actual") and pattern.search(a.subject)
           and _SUBJECT_OF(a) == (scope, path)]
    same = [a for a in own if a.sentence.start == s.start and a.pos >= pos]
    if same:
        return same[0]
    before = [a for a in own if a.pos < s.start]
    after = [a for a in own if a.pos >= s.start + len(s.text)]
    return before[-1] if before else (after[0] if after else None)


class _TableFigure:
    """This year's figure taken from a table (万元, two decimals) where the text prints none for the subject."""

    def __init__(self, value: Decimal, decimals: int):
        self.value, self.decimals = value, decimals


def _SUBJECT_OF(a: Amount) -> tuple[str, str | None] | None:  # noqa: N802 - reads as a relation
    found = _last_subject(a.subject)
    return found[:2] if found else None


def _signed(m: re.Match, pattern: re.Pattern) -> Decimal:
    value = to_wan(m.group(3), m.group(4))[0] if pattern is _CHANGE else parse_percent(m.group(3))
    return -value if (m.group("dir") in _DOWN) != bool(m.group("neg")) else value


def _places(m: re.Match | None, number: int, unit: int | None = None) -> int:
    """Decimals of a printed figure in 万元 (元 adds four); 2 when not printed (the value is then unused)."""
    if m is None:
        return 2
    token = m.group(number)
    places = len(token.split(".")[1]) if "." in token else 0
    return places + (4 if unit is not None and m.group(unit) == "元" else 0)


def implied_prior(actual: Decimal, actual_dec: int, stated: Decimal | None, stated_dec: int,
                  change: Decimal | None, change_dec: int, pct: Decimal | None, pct_dec: int,
                  flat: bool = False) -> dict:
    """The prior value a statement implies and the interval its printed rounding allows: the printed prior
    figure where stated, else actual − change, else actual ÷ (1 + pct/100); a 持平 states prior = actual."""
    ha = half_unit(actual_dec)
    if stated is not None:
        h = half_unit(stated_dec)
        return _implied(stated, "stated", stated - h, stated + h)
    if flat:
        return _implied(actual, "flat", actual - ha, actual + ha)
    if change is not None:
        h = ha + half_unit(change_dec)
        return _implied(actual - change, "change", actual - change - h, actual - change + h)
    if pct is not None and pct > -100:
        hp = half_unit(pct_dec)
        low = (actual - ha) / (1 + (pct + hp) / 100) if pct + hp > -100 else None
        high = (actual + ha) / (1 + (pct - hp) / 100) if pct - hp > -100 else None
        return _implied(actual / (1 + pct / 100), "pct", low, high)
    return {"prior_implied": None, "implied_from": None, "prior_low": None, "prior_high": None}


def _implied(value: Decimal, basis: str, low: Decimal | None, high: Decimal | None) -> dict:
    q = Decimal("0.0001")
    return {"prior_implied": value.quantize(q), "implied_from": basis,
            "prior_low": low.quantize(q) if low is not None else None,
            "prior_high": high.quantize(q) if high is not None else None}


def _item_row(r: dict) -> dict:
    """An item_yoy 项 row in this table's shape (its figures printed with two decimals in 万元)."""
    return {"scope": "item", "path": r["path"], "code": r.get("code"), "actual": r["actual"],
            "change": r["change"], "change_pct": r["change_pct"], "prior_stated": r["prior_actual"],
            "sentence": None, "page": r["page"], "span": r.get("span"),
            **implied_prior(r["actual"], 2, r["prior_actual"], 2, r["change"], 2, r["change_pct"], 2,
                            flat=r["change"] == 0 and r["change_pct"] == 0)}
