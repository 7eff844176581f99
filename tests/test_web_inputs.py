"""Saved web pages and text files as inputs: decoding, what is stripped, the synthetic page model, hostile
pages refused with a clear reason, discovery of every input format, and the kind of publication."""

from __future__ import annotations

import codecs

import pyarrow.parquet as pq
import pytest

from etl.batch.discover import find_pdfs, sniff
from etl.cli import main
from etl.document import DocumentError
from etl.pagesource import decode, html_tree, read_pages, synthetic
from etl.pagesource.formats import source_format
from etl.pagesource.html_page import html_pages
from etl.pagesource.tab_table import tab_table
from etl.pagesource.text_page import text_pages
from etl.parsing.publication import publication

_SENTENCE = "“三公”经费财政拨款支出年初预算为12.50万元，支出决算为10.25万元，完成预算的82.0%。"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _text(pages) -> str:
    return "\n".join(ln.text for p in pages for ln in p.lines())


def test_gbk_page_declared_in_meta_is_decoded(tmp_path):
    path = tmp_path / "a.html"
    path.write_bytes(_page(f"<p>{_SENTENCE}</p>", '<meta http-equiv="Content-Type" content="text/html; '
                                                  'charset=gb2312">').encode("gbk"))
    assert "支出决算为10.25万元" in _text(read_pages(path).pages)


def test_gbk_page_without_a_charset_is_detected(tmp_path):
    path = tmp_path / "a.htm"
    path.write_bytes(_page(f"<p>某某区财政局2023年度部门决算</p><p>{_SENTENCE * 3}</p>").encode("gb18030"))
    text, encoding = decode.decode(path.read_bytes(), html=True)
    assert "支出决算为10.25万元" in text and encoding.startswith("gb")


def test_utf16_text_file_with_bom_is_decoded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + _SENTENCE.encode("utf-16-le"))
    assert "完成预算的82.0%" in _text(read_pages(path).pages)


def test_scripts_styles_and_word_conditional_comments_are_not_text():
    html = _page(f"<!--[if gte mso 9]><xml>预算为99.99万元</xml><![endif]--><p>{_SENTENCE}</p><![endif]>"
                 "<script>var s='支出决算为88.88万元';</script><style>p{{}}</style>",
                 "<title>网站首页</title><script>document.write('<table><tr><td>1.00</td><td>2</td></tr>')</script>")
    text = _text(html_pages(html))
    assert "10.25" in text and "99.99" not in text and "88.88" not in text and "endif" not in text
    assert "网站首页" not in text


def test_html_table_becomes_a_ruled_grid_under_its_title_on_its_own_page():
    html = _page("<p>一、情况说明</p><p>正文一段。</p><p>财政拨款“三公”经费支出决算表</p><p>单位：万元</p>"
                 "<table><tr><td rowspan=2>项目</td><td colspan=2>金额</td></tr><tr><td>预算数</td><td>决算数</td></tr>"
                 "<tr><td>合计</td><td>1,234.50</td><td>999.00</td></tr></table><p>后记。</p>")
    pages = html_pages(html)
    assert len(pages) == 3
    table = pages[1]
    lines = [ln.text for ln in table.lines()]
    assert lines[:2] == ["财政拨款“三公”经费支出决算表", "单位：万元"]
    assert table.hrules and table.vrules and table.position == "第1个表格（源文件第1行）"
    amounts = {w.text: w for w in table.words if w.text in ("1,234.50", "999.00", "金额", "项目", "预算数")}
    assert amounts["1,234.50"].x1 > amounts["预算数"].xc  # amounts right-aligned in their column
    assert amounts["项目"].top > amounts["金额"].top  # a rowspan cell sits in the middle of its rows
    assert "正文一段。" in _text([pages[0]]) and "后记。" in _text([pages[2]])


def test_table_split_in_two_html_tables_is_one_table():
    rows = "".join(f"<tr><td>20101{n:02d}</td><td>项{n}</td><td>{n}.00</td></tr>" for n in range(1, 5))
    pages = html_pages(_page(f"<p>支出决算表</p><table>{rows}</table><table>{rows}</table>"))
    assert len(pages) == 1
    amounts = [w for w in pages[0].words if w.text.endswith(".00")]
    assert len({round(w.x1) for w in amounts}) == 1  # one set of columns


def test_layout_table_holding_the_report_is_read_as_flow():
    inner = "<table><tr><td>合计</td><td>1.00</td></tr></table>"
    pages = html_pages(_page(f"<table><tr><td><p>{_SENTENCE}</p>{inner}</td></tr></table>"))
    assert _SENTENCE in _text(pages).replace(" ", "").replace("\n", "")
    assert any(p.hrules for p in pages)  # the inner data table is still a grid


def test_deeply_nested_page_is_refused():
    with pytest.raises(DocumentError, match="nested deeper than"):
        html_pages("<div>" * 100_000 + "x")


def test_page_with_too_many_elements_is_refused(monkeypatch):
    monkeypatch.setattr(html_tree, "MAX_NODES", 1000)
    with pytest.raises(DocumentError, match="more than 1000 elements"):
        html_pages("<span>a</span>" * 2000)


def test_huge_colspan_and_rowspan_are_bounded():
    pages = html_pages(_page('<table><tr><td colspan="99999999">a</td><td>1.00</td></tr>'
                             '<tr><td rowspan="99999999">b</td><td>2.00</td></tr></table>'))
    assert pages and pages[0].width < 200_000
    with pytest.raises(DocumentError, match="cells, not read"):
        html_pages(_page("<table>" + '<tr><td colspan="1000">a</td></tr>' * 300 + "</table>"))


def test_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_BYTES", 100)
    path = tmp_path / "big.html"
    path.write_text(_page("<p>" + "字" * 200 + "</p>"), encoding="utf-8")
    with pytest.raises(DocumentError, match="larger than 100 bytes"):
        read_pages(path)


def test_text_file_keeps_its_columns_and_breaks_pages_at_form_feeds():
    text = ("第一页正文。\n\f收入支出决算总表\n项目        本年        上年\n合计      1,234.56      99.00\n"
            + "长" * 300 + "\n")
    pages = text_pages(text)
    assert [p.position for p in pages][:2] == ["第1行", "第2–5行"]
    words = {w.text: w for w in pages[1].words}
    assert abs(words["本年"].x0 - words["1,234.56"].x0) < 15  # column positions kept
    assert max(len(ln.text) for p in pages for ln in p.lines()) <= 90  # prose wrapped


def test_text_table_title_starts_a_page_so_the_narrative_stays_apart():
    pages = text_pages("说明一段。\n支出决算表\n合计  1.00\n")
    assert [[ln.text for ln in p.lines()] for p in pages] == [["说明一段。"], ["支出决算表", "合计1.00"]]


def test_every_input_format_is_found_in_any_case(tmp_path):
    for name in ("a.PDF", "b.Html", "c.htm", "d.TXT", "e.shtml", "f.json", "g.csv", "h.docx"):
        (tmp_path / name).write_bytes(b"x")
    found, _ = find_pdfs(tmp_path)
    assert [f.source_file for f in found] == ["a.PDF", "b.Html", "c.htm", "d.TXT", "e.shtml"]
    assert sniff(b"<html>", "b.html") is None and sniff(b"", "d.txt") == "empty file (0 bytes)"
    assert sniff(b"<html>", "a.pdf").startswith("not a PDF, an HTML page")


def test_pdf_saved_under_a_web_name_is_read_as_pdf(tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(b"%PDF-1.7\n...")
    assert source_format(path) == "pdf" and source_format(tmp_path / "x.txt") == "text"


def test_hostile_and_empty_web_pages_fail_with_a_clear_reason(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "deep.html").write_text("<div>" * 50_000, encoding="utf-8")
    (raw / "empty.html").write_bytes(b"")
    (raw / "blank.txt").write_text("\n\n  \n", encoding="utf-8")
    (raw / "notes.txt").write_text("会议纪要：下周开会。\n", encoding="utf-8")
    assert main(["etl", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"]) in (0, 1)
    docs = {r["source_file"]: r for r in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    assert docs["deep.html"]["status"] == "failed" and "nested deeper than" in docs["deep.html"]["error"]
    assert docs["empty.html"]["error"] == "empty file (0 bytes)"
    assert docs["blank.txt"]["error"] == "no text in the text file"
    assert docs["notes.txt"]["status"] == "failed" and docs["notes.txt"]["doc_kind"] == "other"


class _S:
    def __init__(self, scope: str) -> None:
        self.scope = scope


@pytest.mark.parametrize(("tables", "narrative", "statements", "yoy", "sangong", "kind"), [
    ({"sangong", "expenditure"}, True, [], [], [], "full"),
    ({"sangong", "expenditure"}, False, [], [], [], "tables_only"),
    ({"sangong"}, True, [], [], [], "sangong_only"),
    (set(), True, [_S("sangong_total")], [], [{"item": "total"}], "sangong_only"),
    (set(), True, [_S("gpb_total"), _S("sangong_total")], [], [{"item": "total"}], "narrative_only"),
    (set(), True, [], [{"scope": "total"}], [], "narrative_only"),
])
def test_publication_kind(tables, narrative, statements, yoy, sangong, kind):
    assert publication(tables, narrative, statements, yoy, sangong) == kind


def test_audit_cites_a_web_page_or_text_file_by_position():
    from etl.reports.audit import Doc, cited, pages_zh

    doc = Doc({"source_file": "a.html"}, page_files={2: ("a.html", 2, "第1个表格（源文件第40行）"),
                                                     3: ("a.html", 3, "源文件第52–60行")})
    assert pages_zh("2,3", doc) == "a.html 第1个表格（源文件第40行）；a.html 源文件第52–60行"
    assert cited("见第3页", doc) == "见（a.html 源文件第52–60行）"
    pdf = Doc({"source_file": "b.pdf"}, page_files={4: ("b.pdf", 4, None)})
    assert pages_zh("4", pdf) == "b.pdf 第 4 页" and cited("见第4页", pdf) == "见第4页"


_SANGONG_ONLY = """<html><head><meta charset="utf-8"></head><body>
<h2>某市某区民政局2023年度一般公共预算财政拨款“三公”经费支出决算情况说明</h2>
<p>（一）“三公”经费财政拨款支出决算总体情况说明</p>
<p>2023年度“三公”经费财政拨款支出年初预算为{b_total}万元，支出决算为{a_total}万元，完成预算的{pct}%。</p>
<p>（二）“三公”经费财政拨款支出决算具体情况说明</p>
<p>因公出国（境）费支出决算为{a_over}万元；公务用车购置及运行维护费支出决算为{a_veh}万元；公务接待费支出决算为{a_rec}万元。</p>
<p>一般公共预算财政拨款“三公”经费支出决算表</p><p>单位：万元</p>
<table border="1">
<tr><td colspan="12">财政拨款“三公”经费</td></tr>
<tr><td colspan="2" rowspan="2">合计</td><td colspan="2" rowspan="2">因公出国（境）费</td>
<td colspan="6">公务用车购置及运行维护费</td><td colspan="2" rowspan="2">公务接待费</td></tr>
<tr><td colspan="2">小计</td><td colspan="2">公务用车购置费</td><td colspan="2">公务用车运行维护费</td></tr>
<tr>{heads}</tr>
<tr>{cells}</tr>
</table></body></html>
"""


def test_standalone_sangong_disclosure_is_sangong_only_and_owes_no_other_table(tmp_path):
    budget = {"total": "20.00", "over": "5.00", "veh": "10.00", "buy": "0.00", "run": "10.00", "rec": "5.00"}
    actual = {"total": "16.00", "over": "4.00", "veh": "9.00", "buy": "0.00", "run": "9.00", "rec": "3.00"}
    order = ("total", "over", "veh", "buy", "run", "rec")
    page = _SANGONG_ONLY.format(
        b_total=budget["total"], a_total=actual["total"], pct="80.00", a_over=actual["over"], a_veh=actual["veh"],
        a_rec=actual["rec"], heads="".join("<td>预算数</td><td>决算数</td>" for _ in order),
        cells="".join(f"<td>{budget[k]}</td><td>{actual[k]}</td>" for k in order))
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sangong.html").write_text(page, encoding="utf-8")
    assert main(["etl", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"]) in (0, 1)
    doc = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()[0]
    assert (doc["doc_kind"], doc["publication"], doc["source_format"]) == ("final_accounts", "sangong_only", "html")
    assert doc["status"] == "ok", doc["error"]
    checks = {c["check_id"]: c for c in pq.read_table(tmp_path / "out" / "checks.parquet").to_pylist()}
    assert checks["completeness.mandatory_table_missing"]["status"] == "skipped"
    rows = {r["item"]: r for r in pq.read_table(tmp_path / "out" / "sangong.parquet").to_pylist()}
    names = {"total": "total", "over": "overseas", "veh": "vehicle_total", "buy": "vehicle_purchase",
             "run": "vehicle_operation", "rec": "reception"}
    for key, item in names.items():
        assert (float(rows[item]["budget"]), float(rows[item]["actual"])) == (float(budget[key]), float(actual[key]))
    tables = {t["table_key"] for t in pq.read_table(tmp_path / "out" / "tables_found.parquet").to_pylist()}
    assert tables == {"sangong"}  # nothing invented


def test_text_beyond_any_report_length_is_refused_before_it_is_laid_out(monkeypatch):
    monkeypatch.setattr(synthetic, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(DocumentError, match="more than 1,000 characters of text"):
        text_pages("字" * 2000)
    with pytest.raises(DocumentError, match="more than 1,000 characters of text"):
        html_pages(_page("<p>" + "字" * 2000 + "</p>"))


def test_table_flattened_with_single_blanks_sets_its_amounts_in_columns():
    pages = text_pages("一般公共预算财政拨款支出决算表\n合计 基本支出 项目支出\n"
                       "2010601 行政运行 1,511.89 1,503.52 8.37\n2010602 一般行政管理事务 10.00 10.00\n")
    lines = pages[0].lines()
    full, short = [w for w in lines[2].words if "." in w.text], [w for w in lines[3].words if "." in w.text]
    assert [round(w.x1) for w in short] == [round(w.x1) for w in full[:2]]  # first amount in the first column
    header, last = lines[1].words[-1], full[-1]
    assert header.text == "项目支出" and header.x0 < last.x1 and last.x0 < header.x1  # header over its amounts


def _table_words(text: str) -> dict[str, object]:
    pages = text_pages(text)
    table = next(p for p in pages if p.hrules)
    return {w.text: w for w in table.words}


def _under(word, header) -> bool:
    return header.x0 - 30 < word.x1 and word.x0 < header.x1 + 30 and word.x0 > header.x0 - 60


def test_text_row_with_an_empty_middle_cell_keeps_the_next_amount_in_its_column():
    words = _table_words("正文一段。\n一般公共预算财政拨款支出决算表\n单位：万元\n项目\t合计\t基本支出\t项目支出\n"
                         "行政运行\t1,511.89\t\t1,511.89\n一般行政管理事务\t10.25\t3.50\t6.75\n")
    x_of = {t: (w.x0 + w.x1) / 2 for t, w in words.items()}
    assert x_of["6.75"] - 20 < x_of["项目支出"] < x_of["6.75"] + 40  # in 项目支出, not 基本支出
    assert words["1,511.89"].x1 > words["基本支出"].x1  # the first one, under 合计, a column before it
    assert words["3.50"].x0 > words["合计"].x1


def test_text_two_sided_summary_table_keeps_both_sides_apart():
    pages = text_pages("收入支出决算总表\n单位：万元\n收入\t\t支出\t\n项目\t决算数\t项目\t决算数\n"
                       "一、一般公共预算财政拨款收入\t120.50\t一、一般公共服务支出\t100.25\n"
                       "\t\t二、教育支出\t20.25\n本年收入合计\t120.50\t本年支出合计\t120.50\n")
    table = pages[0]
    assert table.position == "第1–7行" and table.hrules and table.vrules
    lines = {ln.text.replace(" ", ""): ln for ln in table.lines()}
    assert "二、教育支出20.25" in lines  # a row with its left side empty keeps its right side on the right
    right = next(w for w in table.words if w.text == "20.25")
    left = next(w for w in table.words if w.text == "120.50")
    assert right.x0 > left.x1 + 100


def test_header_printed_once_spans_its_empty_cells_within_the_heading_above():
    table = tab_table([["预算数", "", "", "决算数", "", ""],
                       ["合计", "公务用车购置及运行费", "", "合计", "公务用车购置及运行费", ""],
                       ["", "购置费", "运行费", "", "购置费", "运行费"],
                       ["3.00", "1.00", "2.00", "2.50", "0.50", "2.00"]], 1)
    spans = [[(c.text, c.colspan, c.rowspan) for c in row] for row in table.rows]
    assert spans[0] == [("预算数", 3, 1), ("决算数", 3, 1)]
    assert spans[1] == [("合计", 1, 2), ("公务用车购置及运行费", 2, 1), ("合计", 1, 2), ("公务用车购置及运行费", 2, 1)]
    assert spans[2] == [("购置费", 1, 1), ("运行费", 1, 1), ("购置费", 1, 1), ("运行费", 1, 1)]
    assert len(spans[3]) == 6


def test_data_row_shorter_than_the_table_has_its_label_span_the_missing_columns():
    table = tab_table([["科目编码", "科目名称", "合计", "基本支出"], ["合计", "12.00", "10.00"],
                       ["2010101", "行政运行", "12.00", "10.00"]], 1)
    assert [(c.text, c.colspan) for c in table.rows[1]] == [("合计", 2), ("12.00", 1), ("10.00", 1)]


def test_a_lone_tab_separated_line_is_text_not_a_table():
    pages = text_pages("一、部门主要职责\n\t本部门负责本区财政工作。\n")
    assert not any(p.hrules for p in pages) and "本部门负责本区财政工作。" in _text(pages)
