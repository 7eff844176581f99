"""strip_running_lines keeps a page's lines as grouped when it drops running headers and page numbers (no second
grouping of the page), but only when regrouping the words left is proven to give the same lines: these pages check
it against a regrouping, including pages where dropping a header changes how the words below it group."""

from __future__ import annotations

import random

from etl.pagesource.page import (
    _CODE_THEN_NAME,
    _GLUED_AMOUNTS,
    Line,
    Page,
    Word,
    group_lines,
    split_code_from_name,
    split_glued_amounts,
    strip_running_lines,
)


def _shape(lines: list[Line]) -> list[tuple]:
    return [(ln.text, ln.top, ln.bottom, ln.x0, [(w.text, w.x0, w.x1, w.top, w.bottom) for w in ln.words])
            for ln in lines]


def _page(number: int, body: list[Word]) -> Page:
    header = [Word("某某局2023年度部门决算", 200.0, 400.0, 20.0, 32.0)]
    footer = [Word(str(number), 295.0, 305.0, 800.0, 810.0)]
    return Page(number, 595.0, 842.0, header + body + footer)


def _check(pages: list[Page]) -> None:
    for page in pages:
        page.lines()  # grouped before stripping, as parse_report's metadata reading does
    strip_running_lines(pages)
    for page in pages:
        assert _shape(page.lines()) == _shape(group_lines(page.words))


def test_running_lines_dropped_keep_the_lines_a_regrouping_gives() -> None:
    rng = random.Random(19)
    pages = []
    for number in range(1, 9):
        body = []
        for row in range(rng.randint(0, 25)):
            top = 60.0 + row * 24 + rng.choice([0.0, 0.5, 3.0, -2.5])
            for col in range(rng.randint(1, 5)):
                height = rng.choice([10.0, 12.0, 14.5])
                body.append(Word(f"字{row}-{col}", 40.0 + col * 100, 120.0 + col * 100, top, top + height))
        pages.append(_page(number, body))
    _check(pages)


def test_crowded_margins_and_tall_boxes_keep_the_lines_a_regrouping_gives() -> None:
    """Boxes of every height in and near the margins, overlapping the running header and the page number, so that
    words' searches stop at, pass and join lines around the dropped ones."""
    rng = random.Random(23)
    for _ in range(40):
        pages = []
        for number in range(1, 7):
            body = []
            for _word in range(rng.randint(0, 30)):
                top = rng.choice([rng.uniform(0.0, 120.0), rng.uniform(700.0, 842.0)])
                height = rng.choice([3.0, 10.0, 12.0, rng.uniform(1.0, 90.0)])
                x0 = rng.uniform(0.0, 500.0)
                body.append(Word(rng.choice(["收入", "2", "合计", "第3页"]), x0, x0 + 40.0, top, top + height))
            pages.append(_page(number, body))
        _check(pages)


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
