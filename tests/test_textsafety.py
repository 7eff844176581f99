"""etl/textsafety.py, rule by rule: each escape fires on what it must and leaves plain text alone."""

from __future__ import annotations

import html
import json
import logging
from decimal import Decimal

import polars as pl
import pytest
from nbconvert.filters.markdown import markdown2html

from etl.analysis.export import spreadsheet_frame, write_csv
from etl.analysis.notebook import chart_html
from etl.batch.runlog import Readable
from etl.textsafety import (
    Markdown,
    as_markdown,
    html_text,
    markdown_text,
    md,
    script_json,
    spreadsheet_cell,
    strip_controls,
    terminal_lines,
    terminal_text,
)

PLAIN = "广州市天河区教育局 2022 年决算"


def test_strip_controls():
    assert strip_controls("a\x00b\x1b[2J\x07\x9bc") == "ab[2Jc"
    assert strip_controls("一\t二\n三") == "一\t二\n三"            # tabs and line breaks stay by default
    assert strip_controls("a\nb", keep="") == "ab"
    assert strip_controls(None) == ""
    assert strip_controls(PLAIN) == PLAIN


def test_html_text():
    assert html_text('<script>alert("x")</script>&\'') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#x27;"
    assert html_text("a\x00b") == "ab"
    assert html_text(None) == "" and html_text(12) == "12"
    assert html_text(PLAIN) == PLAIN


@pytest.mark.parametrize("payload", [
    "<script>alert(origin)</script>", "<!--<script>", "</script><b>x</b>", "<img/src=x/onerror=alert(1)>",
    "[点击](javascript:alert(1))", "![x](http://evil.example/x.png)", "**粗体** _斜体_ `代码`", "# 标题",
    "1. 列表", "http://evil.example/x", "<http://evil.example>", "a\n\n    code", "| a | b |", "x\\y&amp;",
])
def test_markdown_text_renders_as_itself(payload):
    """Whatever the value holds, Markdown renders exactly its text: no tag, link, emphasis or block."""
    rendered = markdown2html(markdown_text(payload)).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner, rendered                              # no element came out of it
    assert html.unescape(inner) == payload.replace("\n", " ")     # the text is unchanged (line breaks flattened)


def test_markdown_text_leaves_plain_text_alone():
    assert markdown_text(PLAIN) == PLAIN
    assert markdown_text("「严格控制一般性支出」") == "「严格控制一般性支出」"


def test_md_escapes_values_and_keeps_the_template():
    out = md("**{}**（{}）", "<b>x</b>*", "广州市")
    assert isinstance(out, Markdown)
    assert markdown2html(out).strip() == "<p><strong>&lt;b&gt;x&lt;/b&gt;*</strong>（广州市）</p>"
    assert as_markdown(out) == out                                 # a template is Markdown as written
    assert as_markdown("**x**") == "\\*\\*x\\*\\*"                 # a plain str is text, whatever it holds
    assert as_markdown(out + "**x**") != out + "**x**"             # str + Markdown is a str again: escaped


def test_script_json():
    obj = {"name": "</script><!--<script>&\u2028\u2029"}
    text = script_json(obj)
    assert not any(c in text for c in "<>&\u2028\u2029")
    assert json.loads(text) == obj                                 # the same JSON
    assert script_json({"name": PLAIN}) == json.dumps({"name": PLAIN}, ensure_ascii=False)


def test_chart_html_embeds_the_spec_with_script_json():
    page = chart_html({"title": "</script><!--<script>"}, with_bundle=False)
    assert "</script><!--" not in page and "\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e" in page


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(1)", "\tx", "＝1", "＋1", "－1", "＠x"])
def test_spreadsheet_cell_prefixes_a_formula_start(cell):
    assert spreadsheet_cell(cell) == "'" + cell


def test_spreadsheet_cell_leaves_the_rest():
    assert spreadsheet_cell(PLAIN) == PLAIN
    assert spreadsheet_cell("a-b=c") == "a-b=c"                    # only the first character counts
    assert spreadsheet_cell(-2.5) == -2.5 and spreadsheet_cell(Decimal("-2.50")) == Decimal("-2.50")
    assert spreadsheet_cell(None) is None and spreadsheet_cell(True) is True
    assert spreadsheet_cell("a\x00b\x1b") == "ab" and spreadsheet_cell("一\n二") == "一\n二"
    assert spreadsheet_cell("\r=1") == "'=1"                        # CR dropped, then the = is seen


def test_csv_export_keeps_negative_amounts_numeric(tmp_path):
    df = pl.DataFrame({"reason": ["-2+3", "正常", None], "amount": [Decimal("-2.50"), Decimal("1.00"), None]},
                      schema={"reason": pl.String, "amount": pl.Decimal(18, 2)})
    assert spreadsheet_frame(df)["reason"].to_list() == ["'-2+3", "正常", None]
    write_csv(df, None, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "reason,amount", "'-2+3,-2.50", "正常,1.00", ","]


def test_terminal_text():
    assert terminal_text("a\nfailed: x\x1b]0;t\x07\x1b[2J\r\t\u202e\x9b") == \
        "a\\nfailed: x\\x1b]0;t\\x07\\x1b[2J\\r\\t\\u202e\\x9b"
    assert terminal_text(PLAIN) == PLAIN


def test_terminal_lines_keep_the_message_lines():
    assert terminal_lines("one\x1b[2J\ntwo") == "one\\x1b[2J\ntwo"
    assert terminal_lines(PLAIN) == PLAIN


def test_readable_log_lines_hold_no_control_character():
    record = logging.LogRecord("juesuan.run", logging.INFO, __file__, 1, "x\x1b]0;pwned\x07 y", None, None)
    line = Readable().format(record)
    assert "\x1b" not in line and "\x07" not in line and line.endswith("x\\x1b]0;pwned\\x07 y")
