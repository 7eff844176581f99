"""`text_quality._glyph_counts` counts over a table of kinds: it must count what the per-character tests it
replaced counted, on every code point and on mixed page texts (with `(cid:N)`, lone surrogates, characters
beyond the BMP)."""

from __future__ import annotations

import random

from etl.pagesource import text_quality
from etl.pagesource.text_quality import _CID, _VOCAB, _glyph_counts


def _counts_by_character(text: str) -> dict[str, int]:
    """The per-character tests `_glyph_counts` made before it had a table (the reference)."""
    cids = len(_CID.findall(text)) if "(cid:" in text else 0
    if cids:
        text = _CID.sub("", text)
    counts = {"cid": cids, "cjk": 0, "vocab": 0, "digit": 0, "punct": 0, "latin": 0, "other": 0}
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
            counts["cjk"] += 1
            counts["vocab"] += ch in _VOCAB
        elif ch.isascii():
            kind = "digit" if ch.isdigit() else "latin" if ch.isalpha() else "punct" if not ch.isspace() else ""
            if kind:
                counts[kind] += 1
        elif "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’…—–·×√":
            counts["punct"] += 1
        elif not ch.isspace():
            counts["other"] += 1
    return counts


def test_the_kind_table_counts_every_code_point_as_the_character_tests_do() -> None:
    kinds = text_quality._kinds()
    names = dict(zip(text_quality._KINDS, ("", "cjk", "cjk", "digit", "punct", "latin", "other"), strict=True))
    differing = []
    for code in range(0x110000):
        expected = _counts_by_character(chr(code))
        found = names[int(kinds[min(code, 0xFFFF)])]
        if [k for k, v in expected.items() if v and k != "vocab"] != ([found] if found else []):
            differing.append(hex(code))
    assert not differing, differing[:20]
    assert all(_glyph_counts(ch) == _counts_by_character(ch) for ch in _VOCAB)


def test_page_texts_are_counted_as_the_character_tests_count_them() -> None:
    rnd = random.Random(19)
    alphabet = "合计部门预算收入支出年1234abcXYZ ,.()（）、，。\u3000\xa0\u2003ÐÆ§©|“”…—·\ue000\ufffd\ud800😀𠀀"
    texts = ["", "(cid:12)(cid:3)合计", "(cid:", "1(cid:x)2"]
    texts += ["".join(rnd.choices(alphabet, k=rnd.randint(0, 200))) + rnd.choice(["", "(cid:7)"]) for _ in range(500)]
    assert all(_glyph_counts(t) == _counts_by_character(t) for t in texts)
