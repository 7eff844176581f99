"""What the narrative (情况说明) states, read sentence by sentence: the figures it gives, the changes
against last year or the budget it states (增加/减少 C 万元，增长/下降 P%，持平), the shares (占 N%),
the completion rates (完成…预算的 Z%) and the comparison words (大于/小于/等于/持平/超过/未达到).

The text is the narrative rebuilt by `etl.parsing.narrative.narrative_text` (squeezed: no spaces, numbers set
off the baseline kept in their sentence) with its page marks; every claim keeps its sentence and page.
Amounts are Decimal 万元 (元 converted) with the number of decimals printed, so the checks can allow
exactly the rounding of the printed figures. `etl/parsing/checks/claims.py` compares the claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from etl.normalise import parse_amount
from etl.parsing.narrative import narrative_text, one_for_one, page_at

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: Full-width digits and signs folded one for one (offsets to the page marks stay valid).
_fold = one_for_one({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "％": "%", "“": '"', "”": '"',
                      "\u3000": " "})
_SENTENCE_END = re.compile(r"[。！？!?]")
#: Clause boundaries: full-width punctuation, and an ASCII comma that is not a thousands separator.
_CLAUSE = re.compile(r"[，；;：:]|,(?!\d{3}(?:\D|$))")
_AMOUNT = re.compile(rf"(?<![\d.])({NUM})\.?(万元|元)")  # `123.4. 万元`: a stray point tolerated
#: What precedes a subject in its clause: headings, the year, the department's own name for itself.
_LEAD = re.compile(r"^.*(?:\d{4}年度?|情况说明|情况|说明|本部门|本单位|我单位|我办|我局|其中|以下方面|主要用于|持平"
                   r"|(?<!\d)\d{1,2}[、.](?!\d)|[（(]\d{1,2}[）)])")
_NUMBERING = re.compile(r"^(?:\d{1,2}[、.]|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]+[）)]"
                        r"|[一二三四五六七八九十]+、)+")
_ROLE_TAIL = re.compile(r"(?:均为|为|是|达|数|决算|(?:年初|全年|调整后?)?预算)$")
_CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|节约|超支|调减|调增|相差|差额|减|增)$")
_GENERIC = {"", "支出", "完成", "收入"}


@dataclass
class Sentence:
    text: str
    start: int
    page: int
    last_page: int

    @property
    def pages(self) -> str:
        return str(self.page) if self.page == self.last_page else f"{self.page},{self.last_page}"

    def excerpt(self, around: int | None = None, width: int = 40) -> str:
        if around is None or len(self.text) <= width:
            return self.text[:width] + ("…" if len(self.text) > width else "")
        lo = max(0, min(around - self.start - width // 2, len(self.text) - width))
        return ("…" if lo else "") + self.text[lo: lo + width] + ("…" if lo + width < len(self.text) else "")


@dataclass
class Amount:
    """A figure the text states: `topic` the normalised subject, `role` actual / initial_budget /
    full_year_budget / budget / None (a plain figure)."""

    value: Decimal
    decimals: int
    subject: str
    topic: str
    role: str | None
    sentence: Sentence
    pos: int          # offset in the narrative text
    segment: int      # index of the segment of its sentence (segments split at 其中 and ；)
    change: bool = False  # the C of 增加 C 万元, not a figure of its own


@dataclass
class Change:
    """增加/减少 C 万元，增长/下降 P%（or 持平） of `topic` against last year or a budget."""

    topic: str
    direction: str | None      # 增加 / 减少 / 持平
    amount: Amount | None      # C
    pct_word: str | None       # 增长 / 下降
    pct: Decimal | None
    pct_decimals: int
    base: str                  # prior_year / initial_budget / budget
    current: Amount | None     # A, the figure the change is of
    sentence: Sentence
    pos: int


@dataclass
class Share:
    """占 N% of a total: `figure` ÷ `total` × 100 = N."""

    figure: Amount
    pct: Decimal
    pct_decimals: int
    total_name: str | None
    total: Amount | None
    sentence: Sentence
    pos: int
    group: int                 # shares of one list share a group


@dataclass
class Completion:
    """完成(年初/全年)预算(X 万元)的 Z%."""

    actual: Amount | None
    budgets: list[Amount]
    kind: str | None           # 年初 / 全年 / None
    pct: Decimal
    pct_decimals: int
    sentence: Sentence
    pos: int


@dataclass
class Comparison:
    """决算数 大于/小于/等于/持平/超过/未达到 (年初/全年)预算数."""

    word: str
    kind: str | None
    actual: Amount | None
    budgets: list[Amount]
    sentence: Sentence
    pos: int


@dataclass
class TripCount:
    """因公出国（境）团组 N 个（次），（累计）M 人次（人）: the groups and the travellers a counts sentence states."""

    groups: int
    travellers: int
    sentence: Sentence
    pos: int


@dataclass
class Claims:
    sentences: list[Sentence] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    completions: list[Completion] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    trips: list[TripCount] = field(default_factory=list)


# -- numbers -------------------------------------------------------------------------------------


def decimals_of(token: str) -> int:
    return len(token.split(".")[1]) if "." in token else 0


def to_wan(token: str, unit: str) -> tuple[Decimal, int]:
    """A printed amount in 万元 and the decimals it carries in 万元 (元 → 万元 adds four)."""
    value = parse_amount(token) or Decimal(0)
    if unit == "元":
        return value / 10000, decimals_of(token) + 4
    return value, decimals_of(token)


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-decimals - 1)


# -- subjects --------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def topic_of(subject: str) -> tuple[str, str | None]:
    """(topic, role) of a subject as printed before its figure: 'XX局2021年度"三公"经费财政拨款支出年初预算为'
    → ('三公经费财政拨款支出', 'initial_budget'). Cached: a pure function of the string, asked for every amount and
    clause, and the narrative is read twice (the prior-year rows and the claim checks read overlapping texts)."""
    s = unicodedata.normalize("NFKC", subject)
    s = _QUOTES_SPACES.sub("", s)
    s = _LEAD.sub("", s)
    s = _NUMBERING.sub("", s)
    role = None
    tail = _ROLE_WORD.search(s)
    if tail:
        role = {"年初预算": "initial_budget", "全年预算": "full_year_budget", "决算": "actual"}.get(
            tail.group(1), "full_year_budget" if tail.group(1).startswith("调整") else "budget")
    while (cut := _ROLE_TAIL.sub("", s)) != s:
        s = cut
    s = _DONE_LEAD.sub("", s).replace("、", "").replace("决算", "")
    return s, role


_QUOTES_SPACES = re.compile(r"[\"'“”‘’\s]")
_ROLE_WORD = re.compile(r"(年初预算|全年预算|调整后?预算|预算|决算)(?:数)?(?:均为|为|是|达)?$")
_DONE_LEAD = re.compile(r"^(?:完成|共计|合计为)")


# -- extraction ----------------------------------------------------------------------------------


def split_sentences(text: str, marks: list[tuple[int, int]]) -> list[Sentence]:
    """Sentences, ending at 。 (and the like) — and where the narrative jumps over pages (tables in
    between): text before a jump never runs on into the text after it."""
    jumps = {offset for (offset, page), (_, before) in zip(marks[1:], marks, strict=False) if page - before > 1}
    ends = sorted({m.end() for m in _SENTENCE_END.finditer(text + "。")} | jumps)
    out, start = [], 0
    for end in ends:
        piece = text[start:min(end, len(text))]
        if piece.strip():
            out.append(Sentence(piece, start, page_at(marks, start), page_at(marks, max(start, end - 2))))
        start = end
    return out


def _clauses(s: Sentence) -> list[tuple[int, str, int]]:
    """(absolute start, text, segment) of each clause; a new segment starts at 其中 and after ；."""
    return [(s.start + pos, text, segment) for pos, text, segment in _clause_spans(s.text)]


@lru_cache(maxsize=4096)
def _clause_spans(sentence: str) -> tuple[tuple[int, str, int], ...]:
    """_clauses relative to the sentence's start: cached by its text, which both readings of the narrative and
    _amounts and _changes split alike."""
    out, pos, segment = [], 0, 0
    for m in list(_CLAUSE.finditer(sentence)) + [None]:
        end = m.start() if m else len(sentence)
        text = sentence[pos:end]
        if text.startswith("其中") or (out and sentence[pos - 1: pos] in "；;"):
            segment += 1
        out.append((pos, text, segment))
        if m is None:
            break
        pos = m.end()
    return tuple(out)


_OPEN, _CLOSE = "（(", "）)"


def _inside_open_parenthesis(subject: str) -> str:
    """The subject of an amount printed inside parentheses is what the parentheses say, never the item
    before them: in "国内公务接待支出0.39万（含外宾接待支出0.00万元）" 0.00 is 外宾接待's, not 公务接待's."""
    if "（" not in subject and "(" not in subject:
        return subject  # no parenthesis opens: the subject is whole (most amounts)
    depth = 0
    for i in range(len(subject) - 1, -1, -1):
        if subject[i] in _CLOSE:
            depth += 1
        elif subject[i] in _OPEN:
            if depth == 0:
                return subject[i + 1:]
            depth -= 1
    return subject


#: Two totals in one clause (catalogue §8): 收、支总计各是X,Y万元 / 收入支出总计分别为X，Y万元 — X the 收入总计,
#: Y the 支出总计, the unit printed once after Y. NUM takes a thousands separator only before three digits, so
#: X's end is found even when the joining comma is half-width.
_JOINED_TOTALS = re.compile(rf"收入?[、和与及]?支出?总计(?:各|分别)(?:是|为)[:：]?(?P<x>{NUM})[,，、](?P<y>{NUM})"
                            r"(?P<unit>万元|元)")


#: An amount as _amount_readings reads it from a sentence's text alone: (value, decimals, subject, topic, role,
#: offset in the sentence, segment, change) — the Amount less its sentence.
_Reading = tuple[Decimal, int, str, str, "str | None", int, int, bool]


def _joined_totals(sentence: str) -> tuple[list[_Reading], str]:
    """The amounts of joined totals, and the sentence with them masked so the clause reader skips them."""
    out, text = [], sentence
    for m in _JOINED_TOTALS.finditer(sentence):
        for group, topic in (("x", "收入总计"), ("y", "支出总计")):
            value, decimals = to_wan(m.group(group), m.group("unit"))
            out.append((value, decimals, m.group(0), topic, None, m.start(group), 0, False))
        text = text[: m.start()] + "#" * (m.end() - m.start()) + text[m.end():]
    return out, text


def joined_pairs(amounts: list[Amount]) -> list[tuple[Amount, Amount]]:
    """The (收入总计, 支出总计) amounts read from each joined-totals clause (`_joined_totals`)."""
    return [(x, y) for x, y in zip(amounts, amounts[1:], strict=False)
            if x.sentence is y.sentence and x.subject == y.subject and _JOINED_TOTALS.fullmatch(x.subject)
            and (x.topic, y.topic) == ("收入总计", "支出总计")]


def _amounts(s: Sentence) -> list[Amount]:
    """The amounts of a sentence: new Amount objects each time (extract sets a budget's role on its own)."""
    return [Amount(value, decimals, subject, topic, role, s, s.start + at, segment, change)
            for value, decimals, subject, topic, role, at, segment, change in _amount_readings(s.text)]


@lru_cache(maxsize=4096)
def _amount_readings(sentence: str) -> tuple[_Reading, ...]:
    """The amounts a sentence's text states, relative to its start: cached by the text, since both readings of
    the narrative (the prior-year rows' and the claim checks') read mostly the same sentences."""
    out, masked = _joined_totals(sentence)
    topic_before = ""
    for start, text, segment in _clause_spans(masked):
        prev_end = 0
        for m in _AMOUNT.finditer(text) if "元" in text else ():  # every amount ends in 元 (most clauses hold none)
            subject = _inside_open_parenthesis(text[prev_end: m.start()])
            value, decimals = to_wan(m.group(1), m.group(2))
            topic, role = topic_of(subject)
            is_change = bool(_CHANGE_WORD.search(_TRAILING_PARTICLE.sub("", subject)))
            if topic in _GENERIC and not is_change:
                topic = topic_before
            out.append((value, decimals, subject, topic, role, start + m.start(1), segment, is_change))
            if not is_change and topic:
                topic_before = topic
            prev_end = m.end()
        if prev_end == 0:
            t, _ = topic_of(text)
            if t and t not in _GENERIC and not _COMPARING.search(text):
                topic_before = t
    return tuple(out)


#: (compiled once: _amounts runs them for every amount and clause of the narrative)
_TRAILING_PARTICLE = re.compile(r"(?:了|为)$")
_COMPARING = re.compile(r"相比|比|较")
_PCT = re.compile(rf"(增长|下降|增幅为?|降幅为?)({NUM})%")
_DIRECTION = re.compile(rf"(增加|减少)({NUM})(万元|元)|(增加|减少)(?!{NUM})|(持平)")
_BASE = re.compile(r"(?:比|较|与)(上年|上一年|\d{4}年度?|年初预算|全年预算|调整后?预算|预算)")
_YEAR_WORD = re.compile(r"上年|\d{4}年")
_COMPARED_TAIL = re.compile(r"(?:相比|相较)$")


def _changes(s: Sentence, amounts: list[Amount], before: list[Amount], claims: list[Change]) -> None:
    if "增加" not in s.text and "减少" not in s.text and "持平" not in s.text:
        return  # no clause holds a direction word (_DIRECTION): most sentences, seen without splitting them
    clauses = _clauses(s)
    for ci, (start, text, _segment) in enumerate(clauses):
        d = _DIRECTION.search(text)
        if not d:
            continue
        direction = d.group(1) or d.group(4) or d.group(5)
        # the base (比上年 / 与2023年度相比 / 比年初预算数) in this clause or the one before it
        window = text[: d.start()]
        b = _BASE.search(window) or (_BASE.search(clauses[ci - 1][1]) if ci else None)
        base_word = b.group(1) if b else "上年"
        follows = s.text.startswith("其中") and claims and claims[-1].sentence.start < s.start
        if not b and "预算" not in window and not _YEAR_WORD.search(s.text) and not follows:
            continue  # 增加 without a base: not a year-on-year statement
        if not b and follows:
            base_word = {"initial_budget": "年初预算", "budget": "预算"}.get(claims[-1].base, "上年")
        base = ("initial_budget" if base_word == "年初预算" else
                "budget" if "预算" in base_word else "prior_year")
        amount = next((a for a in amounts if a.change and start + d.start() <= a.pos < start + d.end()), None)
        rest = text[d.end():] + "，" + (clauses[ci + 1][1] if ci + 1 < len(clauses) else "")
        p = _PCT.search(rest[:20]) if direction != "持平" else None
        pct_word = ("增长" if p.group(1).startswith("增") else "下降") if p else None
        # the subject of the change: the words before the base or the direction word
        subject = window[: b.start()] if b and b.string is window else window
        subject = _COMPARED_TAIL.sub("", subject)
        topic, _ = topic_of(subject)
        current = None
        if topic not in _GENERIC:
            current = next((a for a in reversed(before + [a for a in amounts if a.pos < start])
                            if a.topic == topic and not a.change and a.role in (None, "actual")), None)
        elif ci:  # "X万元，比上年增加…": the figure of the clause before
            prior = [a for a in amounts if a.pos < start and not a.change]
            current = prior[-1] if prior and prior[-1].pos >= clauses[ci - 1][0] else None
            topic = current.topic if current else topic
        claims.append(Change(topic, direction, amount, pct_word, Decimal(p.group(2).replace(",", "")) if p else None,
                             decimals_of(p.group(2)) if p else 2, base, current, s, start + d.start()))


_SHARE = re.compile(rf"占(?P<base>[^，,；;。%]{{0,24}}?)(?:的)?(?:比重为?|比例为?)?(?P<n>{NUM})%")
_COMPLETION = re.compile(rf"完成(?P<kind>年初|全年|调整后?)?预算(?:数)?(?:(?P<b>{NUM})(?P<bu>万元|元))?的(?P<z>{NUM})%"
                         rf"|(?:预算完成率|执行率)(?:为)?(?P<z2>{NUM})%")
_COMPARE = re.compile(r"决算(?:数)?(?:比|较)?(?P<w>大于|小于|等于|超过|未达到|高于|低于)"
                      r"(?P<kind>年初|全年|调整后?)?预算"
                      r"|决算(?:数)?与(?P<kind2>年初|全年|调整后?)?预算(?:数)?(?P<w2>基本持平|持平|相等|一致)")


#: 团组N个，累计M人次 · 团组N次，累计出国（境）M人次 · 团组N次，出国（境）M人 · 团组共计 ，N 个 (catalogue §5)
_TRIPS = re.compile(r"团组(?:共计|合计)?[\s,，]*(?P<n>\d+)\s*[个次][^。；;]{0,12}?(?P<m>\d+)\s*人次?")


def _budgets(amounts: list[Amount], segment_of: Amount | None, sentence: Sentence) -> list[Amount]:
    if segment_of is None:
        return []
    return [a for a in amounts if a.sentence is sentence and a.segment == segment_of.segment and not a.change
            and a.role in ("initial_budget", "full_year_budget", "budget")]


def _actual_before(amounts: list[Amount], pos: int, sentence: Sentence) -> Amount | None:
    cands = [a for a in amounts if a.sentence is sentence and a.pos < pos and not a.change
             and a.role in (None, "actual")]
    return cands[-1] if cands else None


def extract(text: str, marks: list[tuple[int, int]]) -> Claims:
    """Every claim of a narrative text (as rebuilt by etl.parsing.narrative.narrative_text) and its page marks."""
    text = _fold(text)
    claims = Claims(sentences=split_sentences(text, marks))
    group = 0
    for i, s in enumerate(claims.sentences):
        amounts = _amounts(s)
        _changes(s, amounts, claims.amounts, claims.changes)
        claims.amounts += amounts
        # each pattern is run only on a sentence holding a word it cannot match without (most hold none)
        for m in (_COMPLETION.finditer(s.text) if "%" in s.text else ()):
            pos = s.start + m.start()
            actual = _actual_before(amounts, pos, s)
            z = m.group("z") or m.group("z2")
            inline = [a for a in amounts if a.pos == s.start + m.start("b")] if m.group("b") else []
            for a in inline:
                a.role = "budget"
            kind = m.group("kind")
            budgets = inline or _budgets(amounts, actual, s)
            claims.completions.append(Completion(actual, budgets, kind[:2] if kind else None,
                                                 Decimal(z.replace(",", "")), decimals_of(z), s, pos))
        group += 1
        for m in (_SHARE.finditer(s.text) if "占" in s.text else ()):
            base = m.group("base")
            if "预算" in base:
                continue  # 占年初预算的 Z%: a completion rate
            pos = s.start + m.start()
            before = [a for a in amounts if a.pos < pos and not a.change]
            if not before:
                continue
            figure = before[-1]
            total = None
            if not base:  # the head of the list: the figure just before 其中 / ：
                total = list_head(s, amounts, figure)
            claims.shares.append(Share(figure, Decimal(m.group("n").replace(",", "")), decimals_of(m.group("n")),
                                       base or None, total, s, pos, group))
        claims.trips += [TripCount(int(m.group("n")), int(m.group("m")), s, s.start + m.start())
                         for m in (_TRIPS.finditer(s.text) if "团组" in s.text else ())]
        for m in (_COMPARE.finditer(s.text) if "决算" in s.text else ()):
            pos = s.start + m.start()
            word = m.group("w") or m.group("w2")
            kind = m.group("kind") or m.group("kind2")
            actual, budgets = _pair(claims, i, amounts, pos, s.text[: m.start()])
            claims.comparisons.append(Comparison(word, kind[:2] if kind else None, actual, budgets, s, pos))
    return claims


_INTRO = re.compile(r"其中|[：:]")


def list_head(s: Sentence, amounts: list[Amount], figure: Amount) -> Amount | None:
    intros = [m for m in _INTRO.finditer(s.text) if s.start + m.start() < figure.pos]
    if not intros:
        return None
    intro = intros[-1]
    heads = [a for a in amounts if a.pos < s.start + intro.start() and not a.change]
    if not heads or "占" in s.text[heads[-1].pos - s.start: intro.start()]:
        return None
    return heads[-1]


def _pair(claims: Claims, index: int, amounts: list[Amount], pos: int, before_text: str):
    """The actual and budget a comparison word relates: in its own sentence, else in the nearest earlier
    sentence (at most three back, a 其中 sentence belonging to the one before it) that states both,
    preferring one on the same subject (三公 / 一般公共预算) when the comparison names it."""
    s = claims.sentences[index]
    actual = _actual_before(amounts, pos, s)
    budgets = _budgets(amounts, actual, s)
    if actual and budgets:
        return actual, budgets
    key = "三公" if "三公" in before_text else "一般公共预算" if "一般公共预算" in before_text else None
    for back in range(index - 1, max(-1, index - 4), -1):
        prev = claims.sentences[back]
        if prev.text.startswith("其中") and back > 0:
            continue
        own = [a for a in claims.amounts if a.sentence is prev]
        for a in own:
            if a.change or a.role not in (None, "actual"):
                continue
            budgets = _budgets(own, a, prev)
            if budgets and (key is None or key in a.topic):
                return a, budgets
    return None, []


def read_claims(pages) -> Claims:
    """The claims of the narrative pages (etl.pagesource.page.Page list)."""
    text, marks = narrative_text(pages)
    return extract(text, marks)
