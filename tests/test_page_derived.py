"""Values kept with a page's lines (Page.derived): computed once, yet never stale — after set_words, in a
dataclasses.replace copy, and equal to what a fresh page computes."""

from __future__ import annotations

from dataclasses import replace

from etl.pagesource.page import Page, Word
from etl.parsing.narrative import line_spans, narrative_text


def _line_words(*lines: str) -> list[Word]:
    return [Word(text, 60.0, 60.0 + 14 * len(text), 90.0 + 22 * i, 104.0 + 22 * i) for i, text in enumerate(lines)]


def _page(*lines: str, number: int = 3) -> Page:
    return Page(number, 595.0, 842.0, _line_words(*lines))


def test_derived_is_computed_once_per_lines_and_afresh_for_new_lines():
    page, calls = _page("一、部门决算说明", "本年支出合计100.00万元"), []

    def count(lines):
        calls.append(len(lines))
        return [ln.text for ln in lines]

    first = page.derived("texts", count)
    assert page.derived("texts", count) is first and calls == [2]  # the second ask is answered from the page
    page.set_words(_line_words("只剩一行"))
    assert page.derived("texts", count) == ["只剩一行"] and calls == [2, 1]  # new lines: computed again
    copy = replace(page, words=_line_words("甲", "乙", "丙"), _lines=None)
    assert copy.derived("texts", count) == ["甲", "乙", "丙"] and calls == [2, 1, 3]
    assert page.derived("texts", count) == ["只剩一行"] and calls == [2, 1, 3]  # the original keeps its own


def test_narrative_text_after_set_words_equals_a_fresh_pages():
    pages = [_page("（一）收入支出决算总体情况", "2023年度收入总计120.50万元。", number=4),
             _page("支出总计120.50万元，比上年增加3.00万元。", number=5)]
    before = narrative_text(pages)
    assert before == narrative_text(pages)  # asked again (every narrative reader does): the same string and marks
    pages[1].set_words(_line_words("支出总计99.00万元。"))
    fresh = [_page("（一）收入支出决算总体情况", "2023年度收入总计120.50万元。", number=4),
             _page("支出总计99.00万元。", number=5)]
    assert narrative_text(pages) == narrative_text(fresh) != before
    assert narrative_text(pages)[0] == "（一）收入支出决算总体情况2023年度收入总计120.50万元。支出总计99.00万元。"
    text = narrative_text(pages)[0]
    assert "".join(text[a:b] for a, b, _ in line_spans(pages)) == text  # spans tile the string, in order
