"""page_from_objects calls split_glued_amounts and split_code_from_name only on words they can split
(text_layer._split_printed_together): the words out must be those of calling both on every word."""

from __future__ import annotations

from etl.pagesource.page import Word, split_code_from_name, split_glued_amounts
from etl.pagesource.text_layer import _split_printed_together

TEXTS = ["2010601行政运行", "201行政", "20101一般", "２０１行政", "٢٠١行政", "²⁰¹行政", "182,194,900.00145,477,200.00",
         "1.002.00", "1.00", "1,234.56", "12.34.56", "2010601行政.00.01", "行政运行", "", "a.b.c", "1", "123",
         "123\n行政", "1234567行", "12345678行", "12行政", "3.50201行政", "合计", "（一）", "9.99x9.99"]


def test_split_precheck_gives_the_words_of_both_splits_on_every_word() -> None:
    words = [Word(text, 10.5 + i, 40.25 + 2 * i, 100.0 + i, 110.0 + i) for i, text in enumerate(TEXTS)]
    expected = [part for w in words for glued in split_glued_amounts(w) for part in split_code_from_name(glued)]
    assert _split_printed_together(words) == expected
    assert len(expected) > len(words)  # some did split
