"""Is a page's text layer worth reading? Pages where it is not are read by OCR instead.

    text_layer_usable(page) -> (usable, reason)

Unusable: no words at all; a few stray characters over an image (a scan with a page number as text); a
minority of glyphs mis-mapped inside otherwise correct 汉字 runs (上 → P, 公 → |, 、 → 1; told by their width,
see etl.pagesource.glyph_widths, as the chars are read: one is enough, a label holding it is lost); and a broken
font mapping, as Ghostscript's pdfwrite (and PDF printer drivers built on it) leaves Chinese fonts: glyphs
extracted as `(cid:N)`, or as Latin letters, Latin-1 signs and symbols (上 → P, 二 → Ð, 公 → |, 三 → O), or as
Chinese characters that are not the report's. It reads only the words already extracted — one pass over the
page's characters, no PDF access — so it costs next to nothing on good pages.

A page of sound Latin text (an English document, an ASCII-heavy cover) is usable although few of its glyphs are
Chinese: no `(cid:N)`, next to no other signs (private use, replacement characters, Latin-1 symbols), and most of
its letters in word-shaped tokens — 1–20 letters, lower case, Capitalised or ALL CAPS, with a vowel, wrapped in
at most some punctuation — whose vowels make up an English-like share of the letters. A mis-mapped Chinese font
gives none of that: each 汉字 becomes one arbitrary glyph, so a run of Chinese becomes one long token of
symbols and letters of random case (`PÐbc|AÆ`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import numpy as np

from etl.pagesource.page import Page

STRAY_CHARS = 20  # fewer characters than this over an image: the text layer is not the page
MIN_GLYPHS = 8  # fewer letter-like glyphs than this: too little text to judge the mapping
MIN_CJK_SHARE = 0.5  # of letter-like glyphs (汉字, Latin letters, other signs, unmapped cids)
MIN_VOCAB_SHARE = 0.25  # of 汉字 that occur in the report's standard vocabulary, judged on pages with ≥ VOCAB_PAGE
VOCAB_PAGE = 60
#: Latin glyphs drawn as 汉字-wide squares inside a Chinese run (etl.pagesource.glyph_widths) that make a page
#: unusable: one is a 汉字 lost from its label already
MIN_MISDRAWN = 1

_CID = re.compile(r"\(cid:\d+\)")
#: A word as English prints it: optional opening punctuation, letters (lower, Capitalised or ALL CAPS; joined by
#: a hyphen or an apostrophe), optional closing punctuation.
_LATIN_WORD = re.compile(r"[(\[\"'“‘]*((?:[A-Z]?[a-z]+|[A-Z]+)(?:[-'’](?:[A-Z]?[a-z]+|[A-Z]+))*)[)\]\"'”’.,;:!?]*")
_VOWELS = frozenset("aeiouyAEIOUY")
MIN_WORD_LETTER_SHARE = 0.8  # of a Latin page's letters, in word-shaped tokens
MAX_WORD_LETTERS = 20
VOWEL_SHARE = (0.25, 0.6)  # English prose: ~0.4 of letters are vowels (y counted), all-caps headings similar
#: English draws ~80% of its letters from its 12 commonest (uniformly random letters: 46%); a mis-mapping, whose
#: letters follow the order of glyphs in a font, lands far lower.
COMMON_LETTERS = frozenset("etaoinshrdluETAOINSHRDLU")
MIN_COMMON_SHARE = 0.65
MAX_OTHER_SHARE = 0.05  # of letters: Latin-1 and other signs (accents of loan words, a © or §)

# The standard vocabulary of a final-accounts report (table titles, headers, row labels, narrative formulae):
# any page of a real report draws most of its 汉字 from these; a mis-mapped font draws from anywhere.
VOCABULARY = (
    "部门决算预算单位万元合计总计小计项目收入支出本年年初年末结转结余财政拨款一般公共政府性基金国有资本经营"
    "上级补助事业附属上缴其他基本功能分类经济科目编码名称类款项表说明情况主要原因增加减少增长下降持平用于包括"
    "工资福利商品和服务对个人家庭的补助津贴奖金社会保障就业医疗卫生健康住房公积金改革行政运行机关养老保险缴费"
    "职业年金离退休管理事务信息化建设委托业务教育科学技术文化旅游体育传媒节能环保城乡社区农林水交通运输资源勘探"
    "工业商业金融援助地区自然海洋气象粮油物资储备灾害防治应急债务付息发行三公因公出国境公务用车购置维护接待费"
    "办公印刷咨询手续水电邮电物业差旅维修租赁会议培训专用材料劳务工会工作其他交通资产占有采购绩效评价目标名词"
    "解释指从本级取得包括安排使用中为是与相比占比较由于全年数决按实际人员变动新成立日常开支局委区市省县镇街道"
    "办厅院所中心站队处室部分第一二三四五六七八九十概况职能构成负责贯彻落实组织拟订制度政策方案实施监督检查"
)
_VOCAB = frozenset(VOCABULARY)


#: a page without text drawing this many curves may carry its text as outlines: worth reading by OCR
OUTLINED_TEXT_CURVES = 100


def usable_pages(pages: list[Page]) -> Iterator[tuple[bool, str]]:
    """`text_layer_usable` of each page, in order, the glyphs of all the pages counted in one pass (a document's
    pages are asked together: counted page by page, the counting cost more than the verdicts)."""
    return map(text_layer_usable, pages, _glyph_counts_of(pages))


def text_layer_usable(page: Page, counts: dict[str, int] | None = None) -> tuple[bool, str]:
    """(True, "") when the page's words can be trusted; else (False, why) and the page should be read by OCR.
    `counts`: the page's `_glyph_counts`, where they are known already."""
    if not page.words:  # OCR can read something only from a scan, or from text drawn as outlines
        if page.image_count or page.curve_count >= OUTLINED_TEXT_CURVES:
            return False, "no text layer"
        return True, ""  # a blank page, or one of rules only: nothing to read
    if counts is None:
        counts = _glyph_counts(_text(page))
    total = sum(counts.values())
    if page.image_count and total < STRAY_CHARS:
        return False, f"only {total} characters over an image"
    if len(page.misdrawn) >= MIN_MISDRAWN:  # a minority of glyphs is enough: each one loses its label
        # named by code point: the glyphs are the PDF's, and a reason travels to reports and terminals as is
        codes = " ".join(f"U+{ord(ch):04X}" for ch in list(dict.fromkeys(page.misdrawn))[:6])
        return False, (f"mis-mapped glyphs: {len(page.misdrawn)} Latin glyph(s) drawn as wide as the 汉字 beside "
                       f"them ({codes}), 汉字 read as the wrong characters")
    letters = counts["cjk"] + counts["latin"] + counts["other"] + counts["cid"]
    if letters >= MIN_GLYPHS and counts["cjk"] < MIN_CJK_SHARE * letters and not _sound_latin(page, counts):
        return False, (f"garbled font mapping: {letters - counts['cjk']} of {letters} letter glyphs are not Chinese "
                       f"({counts['cid']} unmapped, {counts['latin']} Latin, {counts['other']} other signs)")
    if counts["cjk"] >= VOCAB_PAGE and counts["vocab"] < MIN_VOCAB_SHARE * counts["cjk"]:
        return False, f"garbled font mapping: only {counts['vocab']} of {counts['cjk']} 汉字 are report vocabulary"
    return True, ""


def _sound_latin(page: Page, counts: dict[str, int]) -> bool:
    """Whether the page's Latin letters read as words of a Latin-script language (see the module docstring)."""
    if counts["cid"] or counts["other"] > MAX_OTHER_SHARE * max(counts["latin"], 1) or counts["latin"] < MIN_GLYPHS:
        return False
    in_words = vowels = common = 0
    for word in page.words:
        match = _LATIN_WORD.fullmatch(word.text)
        if match is None:
            continue
        letters = [ch for ch in match.group(1) if ch.isalpha()]
        found = sum(ch in _VOWELS for ch in letters)
        if len(letters) <= MAX_WORD_LETTERS and (found or _abbreviation(letters)):
            in_words += len(letters)
            vowels += found
            common += sum(ch in COMMON_LETTERS for ch in letters)
    low, high = VOWEL_SHARE
    return (in_words >= MIN_WORD_LETTER_SHARE * counts["latin"] and low * in_words <= vowels <= high * in_words
            and common >= MIN_COMMON_SHARE * in_words)


def _abbreviation(letters: list[str]) -> bool:
    """A short all-caps word without a vowel ('GDP', 'PRC', 'NPC')."""
    return 2 <= len(letters) <= 4 and all(ch.isupper() for ch in letters)


def _text(page: Page) -> str:
    return "".join([w.text for w in page.words])


def _glyph_counts_of(pages: list[Page]) -> list[dict[str, int]]:
    """`_glyph_counts` of each page's text, counted over the document's code points at once (where no page holds
    an unmapped `(cid:N)`, which is taken out of its page's text first)."""
    texts = [_text(page) for page in pages]
    text = "".join(texts)
    if "(cid:" in text:
        return [_glyph_counts(t) for t in texts]
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    page_of = np.repeat(np.arange(len(texts)), [len(t) for t in texts])
    per_page = np.bincount(page_of * len(_KINDS) + _kinds()[np.minimum(codes, 0xFFFF)],
                           minlength=len(_KINDS) * len(texts)).reshape(len(texts), len(_KINDS)).tolist()
    return [_named_counts(0, n) for n in per_page]


def _glyph_counts(text: str) -> dict[str, int]:
    """Glyphs by kind: unmapped `(cid:N)`, 汉字 (and how many are vocabulary), digits, punctuation (ASCII, CJK,
    full-width), Latin letters, and other signs (Latin-1, symbols, private use). Counted over the code points
    with a table of kinds (`_kinds`): a Python test per character cost more than the rest of the page check."""
    cids = len(_CID.findall(text)) if "(cid:" in text else 0
    if cids:
        text = _CID.sub("", text)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # beyond the BMP every character is another sign: U+FFFF, which the table holds as one, stands for them all
    return _named_counts(cids, np.bincount(_kinds()[np.minimum(codes, 0xFFFF)], minlength=len(_KINDS)).tolist())


def _named_counts(cids: int, n: list[int]) -> dict[str, int]:
    """The counts by kind (`_KINDS`) under their names."""
    return {"cid": cids, "cjk": n[_CJK] + n[_VOCAB_CJK], "vocab": n[_VOCAB_CJK], "digit": n[_DIGIT],
            "punct": n[_PUNCT], "latin": n[_LATIN], "other": n[_OTHER]}


_KINDS = _BLANK, _CJK, _VOCAB_CJK, _DIGIT, _PUNCT, _LATIN, _OTHER = range(7)
#: the whitespace beyond ASCII outside the CJK punctuation block (U+3000 is counted as punctuation)
_WIDE_SPACES = (0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F)


@functools.cache
def _kinds() -> np.ndarray:
    """Each BMP character's kind for `_glyph_counts`: a 汉字 (of the vocabulary or not); in ASCII a digit, a letter,
    punctuation or a blank; CJK and full-width punctuation and a few typographic signs; a blank; else another sign
    (tests/test_glyph_count_table.py holds it to the per-character tests on every code point)."""
    table = np.full(0x10000, _OTHER, dtype=np.uint8)
    for code in range(0x80):
        ch = chr(code)
        table[code] = _DIGIT if ch.isdigit() else _LATIN if ch.isalpha() else _BLANK if ch.isspace() else _PUNCT
    table[list(_WIDE_SPACES)] = _BLANK
    table[0x3000:0x3040] = table[0xFF00:0xFFF0] = _PUNCT
    table[[ord(ch) for ch in "“”‘’…—–·×√"]] = _PUNCT
    table[0x4E00:0xA000] = table[0x3400:0x4DC0] = _CJK
    vocabulary = [ord(ch) for ch in _VOCAB]
    table[vocabulary] = np.where(table[vocabulary] == _CJK, _VOCAB_CJK, table[vocabulary])
    return table


def latin_document(pages: list[Page]) -> bool:
    """Whether the text layer reads as a document in a Latin-script language: sound Latin text on at least half
    of its pages and not one page of Chinese. Such a document is no Chinese report, so none of its pages is worth
    OCR (a page of figures in an English annex would otherwise cost seconds each, to no end)."""
    latin = 0
    for page in pages:
        counts = _glyph_counts(_text(page)) if page.words else None
        if counts is None:
            continue
        letters = counts["cjk"] + counts["latin"] + counts["other"] + counts["cid"]
        if counts["cjk"] >= MIN_GLYPHS or (letters and counts["cjk"] >= MIN_CJK_SHARE * letters):
            return False
        latin += _sound_latin(page, counts)
    return latin >= max(1, len(pages) / 2)
