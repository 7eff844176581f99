"""split_glued_amounts / split_code_from_name, which every word of every page passes, answer a word they cannot
split before their pattern runs: the same answers as the patterns'."""

from __future__ import annotations

from etl.pagesource.page import _CODE_THEN_NAME, _GLUED_AMOUNTS, Word, split_code_from_name, split_glued_amounts


def test_split_words_quick_tests_answer_as_the_patterns_do() -> None:
    """split_glued_amounts / split_code_from_name return a word untouched before their pattern runs when it has
    fewer than two points / does not start with a decimal digit: the same answer the patterns give."""
    texts = ["182,194,900.00145,477,200.00", "1.002.00", "12.00", "2010601行政运行", "201行政", "٢٠١行政", "２０１行政",
             "²01行政", "行政运行", "", "1.2.3", "123", "12345合计", "0.00", "1,234.561.00", "1.00\n2.00"]
    for text in texts:
        word = Word(text, 10.0, 90.0, 5.0, 15.0)
        parts = _GLUED_AMOUNTS.findall(text)
        glued = [word] if len(parts) < 2 or "".join(parts) != text else None
        assert (split_glued_amounts(word) == [word]) == (glued is not None), text
        assert (split_code_from_name(word) == [word]) == (_CODE_THEN_NAME.match(text) is None), text
