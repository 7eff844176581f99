"""Values kept with a page's lines (Page.derived) and the header spans' shared rule scan: computed once, yet
never stale — after set_words, in a dataclasses.replace copy, and equal to what a fresh page computes."""

from __future__ import annotations

from dataclasses import replace

from etl.pagesource.page import Page, Word
from etl.parsing.narrative import line_spans, narrative_text
from etl.parsing.tables.grid import Span, _set_spans


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


def _cells(*specs: tuple[float, float, float, float]) -> list[Span]:
    return [Span(x0, x1, "项", top, bottom) for x0, x1, top, bottom in specs]


def test_header_spans_from_rules_shared_by_a_line_match_each_cell_scanned_alone():
    # two header lines: three cells at one height, two at another; rules cross one line or both
    page = Page(1, 595.0, 842.0, [], vrules=[(50.0, 90.0, 140.0), (150.0, 90.0, 140.0), (250.0, 90.0, 115.0),
                                              (350.0, 90.0, 140.0), (300.0, 118.0, 140.0)])
    line1 = [(60.0, 120.0, 100.0, 110.0), (160.0, 220.0, 100.0, 110.0), (260.0, 320.0, 100.0, 110.0)]
    line2 = [(60.0, 140.0, 125.0, 135.0), (160.0, 290.0, 125.0, 135.0)]
    together = _cells(*line1, *line2)
    _set_spans(together, page)
    assert [(c.span_x0, c.span_x1) for c in together] == [(50.0, 150.0), (150.0, 250.0), (250.0, 350.0),
                                                          (50.0, 150.0), (150.0, 300.0)]
    for spec, shared in zip([*line1, *line2], together, strict=True):  # alone: the same rules found
        alone = _cells(spec)
        _set_spans(alone, page)
        assert (alone[0].span_x0, alone[0].span_x1) == (shared.span_x0, shared.span_x1)


def _table_words() -> list[Word]:
    """A small body: coded rows, one label wrapped onto a second line, one amount set a little off its baseline."""
    rows = [("201", "一般公共服务支出", "120.00", 0.0), ("20101", "人大事务", "20.00", 1.5),
            ("2010101", "行政运行（含", "15.00", 0.0), ("", "机关服务）", "", 0.0), ("", "合计", "120.00", -1.0)]
    words = []
    for i, (code, name, amount, shift) in enumerate(rows):
        y = 200.0 + 20 * i
        words += [Word(t, x, x + 12 * len(t), y, y + 10) for t, x in ((code, 40.0), (name, 110.0)) if t]
        if amount:
            words.append(Word(amount, 400.0, 440.0, y + shift, y + 10 + shift))
    return words


def test_rows_keep_the_lines_their_words_group_into():
    from etl.pagesource.page import group_lines
    from etl.parsing.tables.grid import split_rows

    def coded(line) -> bool:
        return line.words[0].text.isdigit() or line.words[0].text == "合计"

    words = _table_words()
    unruled = Page(1, 595.0, 842.0, words)
    ruled = Page(1, 595.0, 842.0, words, hrules=[(195.0 + 20 * i, 30.0, 500.0) for i in range(6)])
    for page in (unruled, ruled):
        rows = split_rows(page, words, 30.0, 500.0, coded)
        assert sum(len(r.words) for r in rows) == len(words)
        for row in rows:  # the lines a row carries are the lines its words group into, computed afresh
            assert row.lines() == group_lines(row.words)
    assert len(split_rows(ruled, words, 30.0, 500.0, coded)) == 5  # by the rules: the wrapped label its own band
    lone = split_rows(unruled, words, 30.0, 500.0, lambda line: False)  # no anchor: a row per line
    assert len(lone) == 5 and all(r.lines() == group_lines(r.words) for r in lone)
