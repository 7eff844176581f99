"""The narrative readers fold full-width digits and signs with one_for_one (a regular expression) instead of
str.translate, which looks every character of a CJK text up in its table: the folded text must be what
translate gave, character for character, so every offset to the page marks stays valid."""

import pytest

from etl.parsing.narrative import one_for_one

TABLE = {**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "％": "%", "“": '"', "”": '"', "\u3000": " ",
         "﹪": "%"}


@pytest.mark.parametrize("text", ["", "没有要折叠的字", "１２，３４５．６７万元，占５０．００％",
                                  "“三公”经费\u3000增长﹪", "[]^-\\" + "．" * 3])
def test_folding_gives_what_translate_gave(text):
    assert one_for_one(TABLE)(text) == text.translate(str.maketrans(TABLE))


def test_only_single_characters_fold():
    with pytest.raises(ValueError):
        one_for_one({"万元": "元"})
