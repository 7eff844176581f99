"""clean_text, compact and squeeze take shortcuts (str.split for the `\\s+` pattern, spaces collapsed before those
next to 汉字 are removed, common full-width punctuation replaced before NFKC, a dict's own lookup as the memory):
each must give exactly what the plain definition gives, on Chinese text, every Unicode space, full-width forms next
to combining marks, and texts too long to be kept."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

from etl.normalise import _FULL_WIDTH, CJK, REMEMBERED_LENGTH, clean_text, compact, squeeze

_SPACES = re.compile(r"\s+")
_NEXT_TO_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")


def _clean_text(text: str) -> str:
    text = _NEXT_TO_CJK.sub("", unicodedata.normalize("NFC", text).replace("\u3000", " "))
    return _SPACES.sub(" ", text).strip()


def _compact(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).replace("“", "\"").replace("”", "\"")


def _squeeze(text: str) -> str:
    text = _SPACES.sub("", unicodedata.normalize("NFC", text))
    return text.replace("“", '"').replace("”", '"').replace("％", "%")


_SPACE_CHARS = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if _SPACES.fullmatch(chr(cp)))
_ALPHABET = (_SPACE_CHARS + "".join(wide for wide, _ in _FULL_WIDTH) + "\u0301\u0308\u3099\u309a\u20dd"
             + "かはＡａ１２３,.:;()%“”．…①㎡ᄀ하가ｶﾞe" + "一般公共预算财政拨款支出合计万元")


def test_space_pattern_is_str_split_whitespace() -> None:
    assert all(ch.isspace() for ch in _SPACE_CHARS)
    assert sum(1 for cp in range(sys.maxunicode + 1) if chr(cp).isspace()) == len(_SPACE_CHARS)


def test_full_width_replacements_are_their_nfkc_decompositions() -> None:
    for wide, narrow in _FULL_WIDTH:
        assert unicodedata.normalize("NFKD", wide) == narrow and unicodedata.combining(narrow) == 0


def test_text_keys_equal_their_plain_definitions() -> None:
    rnd = random.Random(19)
    texts = ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 16))) for _ in range(20000)]
    texts += ["（一）一般公共预算财政拨款支出：１２３，４５６．７８万元；" * 20]  # longer than REMEMBERED_LENGTH
    assert len(texts[-1]) > REMEMBERED_LENGTH
    for text in texts + texts:  # the second pass answers from memory (the long text: computed again)
        assert clean_text(text) == _clean_text(text)
        assert compact(text) == _compact(text)
        assert squeeze(text) == _squeeze(text)
    assert clean_text(None) == compact(None) == squeeze(None) == ""
