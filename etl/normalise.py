"""Text and number normalisation shared by every stage: NFC text, CJK spacing, amounts, units."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
#: one space next to a Chinese character, in a text whose runs of spaces are single spaces (see clean_text): led
#: by the literal space, which the engine scans for, instead of trying a lookbehind at every position
_SPACE_NEXT_TO_CJK = re.compile(rf" (?:(?<=[{CJK}] )|(?=[{CJK}]))")
_V = TypeVar("_V")
_ZERO_MARKS = {"", "-", "—", "–", "－", "/", "——", "--"}
AMOUNT_RE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)


#: a text longer than this (a page, a document, a hostile file's word) is computed each time, never kept
REMEMBERED_LENGTH = 256


class _Memory(dict):
    """A pure function of a word's or a line's text, remembered by text: every reader and check asks it again for
    the texts it scans (about 9 000 asks a document, 1 in 11 a new text). The function is this dict's own
    `__getitem__`, a C call: a repeat is answered without running any Python (a Python wrapper around a dict
    lookup cost three times as much); a new text reaches `__missing__`, which computes it and keeps it. Emptied
    when it holds `size` texts; only texts up to REMEMBERED_LENGTH are kept, so the memory held stays a few MB."""

    __slots__ = ("compute", "size")

    def __init__(self, compute: Callable[[str | None], Any], size: int) -> None:
        super().__init__()
        self.compute, self.size = compute, size

    def __missing__(self, text: str | None) -> Any:
        value = self.compute(text)
        if text is None or len(text) <= REMEMBERED_LENGTH:
            if len(self) >= self.size:
                self.clear()
            self[text] = value
        return value


def _remembered(size: int) -> Callable[[Callable[[str | None], _V]], Callable[[str | None], _V]]:
    """The function `compute`, remembered by text in a _Memory of `size` texts (the function is the memory's
    `__getitem__`: called with the text as its one positional argument, as every caller does)."""

    def remember(compute: Callable[[str | None], _V]) -> Callable[[str | None], _V]:
        return _Memory(compute, size).__getitem__

    return remember


#: Full-width punctuation every Chinese text is full of, each with its NFKC form (its compatibility
#: decomposition: one ASCII character, a starter). NFKC of a text is the same after these are replaced (the
#: decomposition that NFKC composes again is unchanged), but a text left without them passes NFKC's quick
#: check and is returned as it is, instead of being decomposed and composed character by character.
_FULL_WIDTH = (("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"), ("％", "%"), ("\u3000", " "))


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), its common full-width punctuation replaced first (see _FULL_WIDTH)."""
    for wide, narrow in _FULL_WIDTH:
        text = text.replace(wide, narrow)
    return unicodedata.normalize("NFKC", text)


@_remembered(8192)
def clean_text(text: str | None) -> str:
    """NFC text with stray spaces next to Chinese characters removed (`因 公 出 国` → `因公出国`)."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\u3000", " ")
    # _SPACES.sub(" ", text).strip() (str.split's whitespace is the pattern's \s), then the spaces next to 汉字
    # removed: the same as removing each run of spaces next to one before collapsing the rest (a run's fate depends
    # only on the characters either side of it), and a new line's text (hundreds a document) is cleaned in 43 % of
    # the instructions
    return _SPACE_NEXT_TO_CJK.sub("", " ".join(text.split()))


@_remembered(8192)
def compact(text: str | None) -> str:
    """Text with every space removed and full-width forms folded: the key used for matching labels."""
    if text is None:
        return ""
    return "".join(_nfkc(text).split()).replace("“", "\"").replace("”", "\"")  # split(): see clean_text


@_remembered(8192)
def squeeze(text: str | None) -> str:
    """NFC text with every space removed and curly quotes straightened: narrative as printed."""
    if text is None:
        return ""
    text = "".join(unicodedata.normalize("NFC", text).split())  # _SPACES.sub("", …): see clean_text
    return text.replace("“", '"').replace("”", '"').replace("％", "%")


@_remembered(65536)
def is_amount(token: str) -> bool:
    """A printed amount (1,234.50, -3, 12.5)."""
    return AMOUNT_RE.match(token.strip()) is not None


def is_zero_mark(token: str) -> bool:
    return token.strip() in _ZERO_MARKS


@_remembered(65536)
def is_figure(token: str) -> bool:
    """is_amount(token) or is_zero_mark(token): a table cell's figure, tested by every pass over a table (its
    columns, anchors, labels, values)."""
    stripped = token.strip()
    return stripped in _ZERO_MARKS or AMOUNT_RE.match(stripped) is not None


@_remembered(65536)
def parse_amount(token: str | None) -> Decimal | None:
    """A printed amount as Decimal; blank, '-' and '—' are zero; None if not a number. Remembered (a Decimal is
    immutable, so one may be shared): a table's figures are read again by the checks."""
    return _parsed_amount(token)


def _parsed_amount(token: str | None) -> Decimal | None:
    if token is None:
        return Decimal(0)
    token = unicodedata.normalize("NFKC", token).strip().replace("−", "-")
    if is_zero_mark(token):
        return Decimal(0)
    if not AMOUNT_RE.match(token):
        return None
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


def to_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    """Convert a printed amount to 万元, rounded to the cent as the contract's DECIMAL(18,2)."""
    if amount is None:
        return None
    if unit == "元":
        amount = amount / TEN_THOUSAND
    return amount.quantize(CENT)


def parse_percent(token: str | None) -> Decimal | None:
    if not token:
        return None
    try:
        return Decimal(unicodedata.normalize("NFKC", token).replace(",", "").strip())
    except InvalidOperation:
        return None


# -- narrative text artefacts (mirrors of web reports, HTML residue) ---------------------------------

#: Pinyin a mirror site injected after a character (`預(yù)算`, `數(shù)`): lower-case Latin letters, tone marks
#: included, in brackets right after a 汉字. A bracketed word of the report itself is never lower-case Latin.
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[）)]")
_PINYIN_START = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]")
#: Conditional-comment residue of Word's HTML export, left in a page's text.
_HTML_RESIDUE = re.compile(r"<!\[(?:end)?if[^\]]*\]>|<!--\[if[^\]]*\]>|<!\[endif\]-->", re.IGNORECASE)
#: Traditional characters met in the mirrored reports, each with one simplified form only (a small table beats a
#: converter here: the text is a fixed, narrow vocabulary, and a one-for-one map keeps every offset valid).
_TRADITIONAL_CHARS = (
    "預數決費經務車購運維護際現關會財撥項專門類國資產與場達說額餘結轉補貼從為個應開據稅計總報機構單體發實對較減"
    "長調議訓練員劃區縣鄉鎮黨廳辦衛醫療險養險農業區貨殺環積極權責屬歲則務與職雜銷購勞傳輸處獎勵帳賬禮儀統範規"
    "幣價錢給貸資產齊壹貳參肆陸柒捌玖佰拾萬億並僅與於後來無響續舊歷當時間項類別級層樣證確認簡單隨導彙彈聯網況這"
)
_SIMPLIFIED_CHARS = (
    "预数决费经务车购运维护际现关会财拨项专门类国资产与场达说额余结转补贴从为个应开据税计总报机构单体发实对较减"
    "长调议训练员划区县乡镇党厅办卫医疗险养险农业区货杀环积极权责属岁则务与职杂销购劳传输处奖励帐账礼仪统范规"
    "币价钱给贷资产齐壹贰参肆陆柒捌玖佰拾万亿并仅与于后来无响续旧历当时间项类别级层样证确认简单随导汇弹联网况这"
)
_TRADITIONAL = {ord(t): s for t, s in zip(_TRADITIONAL_CHARS, _SIMPLIFIED_CHARS, strict=True) if t != s}
_HAS_TRADITIONAL = re.compile("[" + "".join(map(chr, _TRADITIONAL)) + "]")  # a lone class: a fast scan


def has_artefacts(text: str) -> bool:
    """Whether repair_narrative would change the text (a page can be tested once, not line by line)."""
    return (_HAS_TRADITIONAL.search(text) is not None or "<!" in text or "銆" in text or "锛" in text
            or (("(" in text or "（" in text) and _PINYIN_START.search(text) is not None))


#: Between two lines of a page joined for repair: a line break may fall inside pinyin or HTML residue.
_BREAK = "\x00"
_GAP = f"{_BREAK}?"
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_ACROSS = re.compile(rf"(?<=[\u4e00-\u9fff]){_GAP}[（(]{_GAP}(?:[{_PINYIN_LETTERS}]{_GAP}){{1,7}}[）)]")
_RESIDUE_ACROSS = re.compile(rf"<{_GAP}!{_GAP}(?:-{_GAP}-{_GAP})?\[{_GAP}(?:e{_GAP}n{_GAP}d{_GAP})?i{_GAP}f[^\]]*"
                             rf"\]{_GAP}(?:-{_GAP}-{_GAP})?>", re.IGNORECASE)


#: A mirror that printed every 年 as `-` (2023-度, 上-, 支出-初预算): its signature on a page (2023-度, -初预算,
#: 全-预算: words no report prints with a dash), and a `-` standing for 年
#: (after a 汉字, a Chinese punctuation mark or a digit, before a 汉字 other than 万/元 — never a zero mark,
#: which stands before 万元 or a punctuation mark).
_YEAR_DASH_MIRROR = re.compile(rf"(?:19|20)\d{{2}}{_GAP}-{_GAP}度|-{_GAP}初{_GAP}预{_GAP}算|全{_GAP}-{_GAP}预{_GAP}算")
_YEAR_DASH = re.compile(rf"(?<=[{CJK}\d])({_GAP})-(?={_GAP}[\u4e00-\u9fff])(?!{_GAP}[万元])")


def _mojibake(text: str) -> str:
    """Text as a page shows it when its UTF-8 bytes are read as GBK (an undecodable byte as U+FFFD)."""
    return text.encode("utf-8").decode("gbk", errors="replace")


#: Item markers of a mirror that mangled them (catalogue §8: UTF-8 read as GBK, 1、 → 1銆�, （一） → 锛堜竴锛�),
#: each with its last undecodable byte shown as � or ?, mapped back to the marker.
_CN_NUMBERS = [*"一二三四五六七八九十", *(f"十{d}" for d in "一二三四五六七八九"), "二十"]
_MARKERS = ["、", *(f"（{n}）" for n in [*_CN_NUMBERS, *map(str, range(1, 21))]), *(f"{n}、" for n in _CN_NUMBERS)]
_MOJIBAKE_MARKERS = {bad: marker for marker in _MARKERS for bad in (_mojibake(marker), _mojibake(marker)[:-1] + "?")
                     if bad != marker}
_MOJIBAKE = re.compile("|".join(map(re.escape, sorted(_MOJIBAKE_MARKERS, key=len, reverse=True))))


def _keep_breaks(m: re.Match) -> str:
    return _BREAK * m.group().count(_BREAK)


def repair_lines(lines: list[str]) -> list[str]:
    """repair_narrative over a page's squeezed lines, read as one text: pinyin or residue a line break splits
    (`費` | `(fèi)`, `<![en` | `dif]>`) is removed too; on a mirror that printed 年 as `-`, 年 is restored.
    Returns as many lines, in order."""
    joined = _BREAK.join(lines)
    dashed = _YEAR_DASH_MIRROR.search(joined) is not None
    if not dashed and not has_artefacts(joined):
        return lines
    joined = _BREAK.join(text.replace(_BREAK, "") for text in lines)  # a text layer's own NULs never split a line
    if dashed:
        joined = _YEAR_DASH.sub(r"\1年", joined)
    joined = _PINYIN_ACROSS.sub(_keep_breaks, _RESIDUE_ACROSS.sub(_keep_breaks, joined))
    if "銆" in joined or "锛" in joined:
        joined = _MOJIBAKE.sub(lambda m: _MOJIBAKE_MARKERS[m.group()], joined)
    return joined.translate(_TRADITIONAL).split(_BREAK)


def repair_narrative(text: str) -> str:
    """A squeezed narrative line with the artefacts of mirrored web reports undone: injected pinyin dropped,
    traditional characters mapped to simplified, HTML residue removed. Applied per line, so a line's length
    may shrink but every reader sees the same string."""
    if not has_artefacts(text):
        return text
    text = _PINYIN.sub("", _HTML_RESIDUE.sub("", text))
    return text.translate(_TRADITIONAL)
