"""Page reading under producers' rewrites, on one-page fixtures: a page stored turned (/Rotate or a
rotation `cm`) reads as the upright page; a glyph drawn twice on itself (fake bold) reads once; a
digit repeated in an amount stays repeated."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdf_fixtures import FixturePage, function_table_page, write_pdf
from producer_copies import rotate_content, rotate_pages

from etl.pagesource.text_layer import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    dedupe_overlaid,
    dominant_direction,
    read_page,
    ruling_lines,
    to_upright,
)

ROWS = [("201", "一般公共服务支出", ["1,503.52", "1,495.15", "8.37"]),
        ("20106", "财政事务", ["211.00", "11.00", "200.00"]),
        ("2010601", "行政运行", ["1,111.11", "1,111.11", ""])]


def _read(path: Path):
    with pdfplumber.open(path) as pdf:
        return read_page(pdf.pages[0])


def _words(page) -> list[tuple[str, float, float]]:
    return sorted((w.text, round(w.x0, 1), round(w.top, 1)) for w in page.words)


def _rules(page) -> tuple[list, list]:
    def rnd(rules):
        return sorted(tuple(round(v, 1) for v in r) for r in rules)
    return rnd(page.hrules), rnd(page.vrules)


@pytest.fixture(scope="module")
def upright(tmp_path_factory) -> Path:
    page = function_table_page("一般公共预算财政拨款支出决算表", ROWS, ruled=True)
    return write_pdf(tmp_path_factory.mktemp("rot") / "upright.pdf", [page])


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_page_turned_by_rotate_reads_as_upright(upright, tmp_path, angle):
    """/Rotate 90 used to drop every word as not upright; 180 read the words backwards."""
    turned = rotate_pages(upright, tmp_path / f"r{angle}.pdf", [angle])
    want, got = _read(upright), _read(turned)
    assert (got.width, got.height) == (want.width, want.height)
    assert _words(got) == _words(want) and len(want.words) > 20
    assert _rules(got) == _rules(want) and want.hrules and want.vrules


@pytest.mark.parametrize("angle", [90, 270])
def test_text_drawn_rotated_on_unrotated_page_reads_as_upright(upright, tmp_path, angle):
    """A landscape-sized MediaBox whose content is turned by a `cm` rotation, no /Rotate."""
    turned = rotate_content(upright, tmp_path / f"cm{angle}.pdf", [angle])
    with pdfplumber.open(turned) as pdf:
        assert pdf.pages[0].rotation == 0 and pdf.pages[0].width > pdf.pages[0].height
    want, got = _read(upright), _read(turned)
    assert (got.width, got.height) == (want.width, want.height)
    assert _words(got) == _words(want)
    assert _rules(got) == _rules(want)


def _doubled(offset: float) -> FixturePage:
    """Every text drawn twice, the second `offset` pt to the right (0: fill then stroke, as mutool writes)."""
    single = function_table_page("一般公共预算财政拨款支出决算表", ROWS, ruled=True)
    page = FixturePage()
    for op in single.ops:
        page.ops.append(op)
        if op[0] in ("text", "right"):
            page.ops.append((op[0], op[1] + offset, *op[2:]))
    return page


@pytest.mark.parametrize("offset", [0.0, 0.4])
def test_doubled_glyphs_read_once(upright, tmp_path, offset):
    doubled = write_pdf(tmp_path / "doubled.pdf", [_doubled(offset)])
    with pdfplumber.open(doubled) as pdf, pdfplumber.open(upright) as one:
        assert len(pdf.pages[0].chars) == 2 * len(one.pages[0].chars)  # the fixture really doubles
    want, got = _read(upright), _read(doubled)
    assert [w.text for w in got.words] == [w.text for w in want.words]
    assert "一般公共服务支出" in {w.text for w in got.words}


def test_repeated_digits_in_an_amount_are_not_collapsed(upright):
    texts = {w.text for w in _read(upright).words}
    assert {"11.00", "1,111.11", "211.00"} <= texts


def test_dedupe_keeps_adjacent_repeats_and_drops_overlaid_ones():
    def char(text: str, x0: float, top: float = 100.0) -> dict:
        return {"text": text, "x0": x0, "top": top}

    eleven = [char("1", 10.0), char("1", 15.5), char(".", 21.0), char("0", 23.75), char("0", 29.25)]
    assert dedupe_overlaid(eleven) is eleven
    fake_bold = [char("财", 10.0), char("政", 22.0), char("财", 10.3, 100.2), char("政", 21.5, 99.4)]
    assert [c["x0"] for c in dedupe_overlaid(fake_bold)] == [10.0, 22.0]
    assert len(dedupe_overlaid([char("政", 10.0), char("政", 11.5)])) == 2  # 1.5 pt apart: two glyphs


def test_dominant_direction_follows_most_glyphs():
    """A short vertical stamp on an upright page does not turn the page; a turned page is turned."""
    right, down = (1, 0, 0, 1, 0, 0), (0, -1, 1, 0, 0, 0)
    chars = [{"matrix": right}] * 10 + [{"matrix": down}] * 3
    assert dominant_direction(chars) == RIGHT
    assert dominant_direction([{"matrix": down}] * 10 + [{"matrix": right}] * 3) == DOWN
    assert dominant_direction([{"matrix": (-1, 0, 0, -1, 0, 0)}] * 4) == LEFT
    assert dominant_direction([{"matrix": (0, 2, -2, 0, 0, 0)}] * 4) == UP
    assert dominant_direction([]) == RIGHT


def test_a_ruling_turned_a_quarter_changes_orientation():
    edge = {"x0": 100.0, "x1": 300.0, "top": 50.0, "bottom": 50.0, "orientation": "h"}
    turned = to_upright(edge, DOWN, 842.0, 595.0)
    assert (turned["x0"], turned["x1"], turned["top"], turned["bottom"]) == (50.0, 50.0, 542.0, 742.0)
    assert ruling_lines([turned]) == ([], [(50.0, 542.0, 742.0)])
    assert ruling_lines([to_upright(edge, LEFT, 842.0, 595.0)]) == ([(545.0, 542.0, 742.0)], [])


def test_a_rule_with_float_noise_in_its_ends_stays_horizontal():
    """pdfplumber labels a line "v" unless both ends have exactly the same y (a rotation `cm` leaves 1e-13)."""
    noisy = {"x0": 144.0, "x1": 210.0, "top": 455.2756, "bottom": 455.27560000000005, "orientation": "v"}
    slanted = {"x0": 10.0, "x1": 60.0, "top": 10.0, "bottom": 40.0, "orientation": "v"}
    assert ruling_lines([noisy, slanted]) == ([(455.2756, 144.0, 210.0)], [(10.0, 10.0, 40.0)])
