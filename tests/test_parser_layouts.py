"""One small PDF per real-world layout problem, built by the test itself, through the real parser.

The real PDFs we hold cover two Shanghai producers; these fixtures hold the parser to the other
forms disclosures take (unruled Word/Distiller tables, continuation pages, 元 documents …).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from etl.document import ParsedDocument
from etl.parsing.parse import parse_pdf
from tests.pdf_fixtures import FixturePage, cover, function_table_page, write_pdf

D = Decimal
GPB = "一般公共预算财政拨款支出决算表"
ROWS = [
    ("201", "一般公共服务支出", ["1,234.50", "1,000.00", "234.50"]),
    ("20106", "财政事务", ["1,234.50", "1,000.00", "234.50"]),
    ("2010601", "行政运行", ["1,000.00", "1,000.00", ""]),
    ("2010602", "一般行政管理事务", ["234.50", "", "234.50"]),
]
TOTAL = ("", "合计", ["1,234.50", "1,000.00", "234.50"])


def parse(tmp_path: Path, pages: list[FixturePage], name: str = "doc.pdf") -> ParsedDocument:
    return parse_pdf(write_pdf(tmp_path / name, pages), "t")


def gpb_rows(doc: ParsedDocument) -> dict[str | None, dict]:
    return {r["code"]: r for r in doc.rows["function_expenditure"] if r["table_key"] == "gpb_expenditure"}


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_table_with_and_without_ruling_lines(tmp_path, ruled):
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019),
                           function_table_page(GPB, [TOTAL, *ROWS], ruled=ruled)])
    rows = gpb_rows(doc)
    assert doc.document["region"] == "广州市天河区" and doc.document["year"] == 2019
    assert (rows[None]["level"], rows[None]["total"]) == ("total", D("1234.50"))
    assert (rows["2010601"]["basic"], rows["2010601"]["project"]) == (D("1000.00"), D("0.00"))
    assert (rows["2010602"]["basic"], rows["2010602"]["project"]) == (D("0.00"), D("234.50"))
    assert rows["20106"]["level"] == "section"


def test_continuation_page_without_repeated_header(tmp_path):
    first = function_table_page(GPB, [TOTAL, *ROWS[:2]], ruled=False)
    rest = function_table_page("", ROWS[2:], ruled=False, header=False, start_top=80)
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), first, rest])
    rows = gpb_rows(doc)
    assert rows["2010602"]["page"] == 3 and rows["2010602"]["project"] == D("234.50")
    found = {r["table_key"]: r for r in doc.rows["tables_found"]}
    assert (found["gpb_expenditure"]["first_page"], found["gpb_expenditure"]["last_page"]) == (2, 3)


def test_continuation_page_repeating_title_header_and_total_row(tmp_path):
    first = function_table_page(GPB, [TOTAL, *ROWS[:2]], ruled=True)
    again = function_table_page(GPB, [TOTAL, *ROWS[2:]], ruled=True)
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), first, again])
    totals = [r for r in doc.rows["function_expenditure"] if r["level"] == "total"]
    assert len(totals) == 1
    assert set(gpb_rows(doc)) == {None, "201", "20106", "2010601", "2010602"}


def test_document_printed_in_yuan_is_converted_to_wan(tmp_path):
    yuan_rows = [(c, n, [f"{D(a.replace(',', '')) * 10000:,.2f}" if a else "" for a in amts])
                 for c, n, amts in [TOTAL, *ROWS]]
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), function_table_page(GPB, yuan_rows, ruled=True,
                                                                               unit="元")])
    assert doc.document["unit"] == "元"
    assert gpb_rows(doc)["2010601"]["total"] == D("1000.00")


def test_label_wrapped_over_two_lines_in_an_unruled_table(tmp_path):
    rows = [TOTAL, ("208", "社会保障和就业支出", ["10.82", "10.82", ""]),
            ("2080505", "机关事业单位基本养老保险", ["6.18", "6.18", ""]),
            ("2080506", "机关事业单位职业年金缴费支出", ["4.64", "4.64", ""])]
    page = function_table_page(GPB, rows, ruled=False, wrap={2: "缴费支出"})
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), page])
    got = gpb_rows(doc)
    assert got["2080505"]["name"] == "机关事业单位基本养老保险缴费支出"
    assert got["2080506"]["name"] == "机关事业单位职业年金缴费支出"


@pytest.mark.parametrize("zero", ["-", "—", "0.00", ""])
def test_dash_blank_and_zero_cells_mean_zero(tmp_path, zero):
    rows = [TOTAL, ("2010601", "行政运行", ["1,234.50", "1,234.50", zero])]
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), function_table_page(GPB, rows, ruled=True)])
    assert gpb_rows(doc)["2010601"]["project"] == D("0.00")
    assert gpb_rows(doc)["2010601"]["basic"] == D("1234.50")


def test_table_saying_the_department_has_none_is_found_and_empty(tmp_path):
    page = FixturePage(landscape=True).text(250, 80, "政府性基金预算财政拨款收入支出决算表", 16)
    page.text(60, 130, "项目", 10).text(300, 130, "本年收入", 10).text(60, 170, "合计", 10)
    page.text(60, 220, "注：本部门无政府性基金预算财政拨款收入支出，故本表无数据。", 10)
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), page])
    found = {r["table_key"]: r for r in doc.rows["tables_found"]}
    assert found["gov_fund"]["empty"] is True and found["gov_fund"]["rows"] == 0


def test_budget_disclosure_is_recognised_and_writes_no_figures(tmp_path):
    page = FixturePage().text(150, 80, "一般公共预算财政拨款支出预算表", 16)
    page.text(60, 150, "2010601", 10, latin=True).text(140, 150, "行政运行", 10).right(400, 150, "1,000.00")
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2020, kind="部门预算"), page])
    assert doc.document["doc_kind"] == "budget" and doc.document["status"] == "ok"
    assert not any(v for k, v in doc.rows.items() if k != "document_pages") and "预算" in doc.document["error"]


def test_unrelated_document_is_other(tmp_path):
    page = FixturePage().text(100, 100, "关于开展2024年度安全生产检查的通知", 16)
    page.text(72, 160, "各单位：请按要求开展检查。", 11)
    doc = parse(tmp_path, [page])
    assert doc.document["doc_kind"] == "other" and not any(v for k, v in doc.rows.items() if k != "document_pages")
    assert doc.document["status"] == "failed" and "not a final-accounts report" in doc.document["error"]


def test_narrative_numbers_in_another_font_off_the_baseline(tmp_path):
    page = FixturePage().text(72, 80, "第三部分 广州市天河区财政局2019年度部门决算情况说明", 14)
    y = 120
    page.text(72, y, "一般公共预算财政拨款支出年初预算为", 11).text(262, y, "1,300.00", 11, latin=True, rise=2.5)
    page.text(310, y, "万元，支出决算为", 11)
    page.text(72, y + 16, "1,234.50", 11, latin=True, rise=-2).text(120, y + 16, "万元，完成年初预算的", 11)
    page.text(240, y + 16, "94.96", 11, latin=True, rise=2.5).text(270, y + 16, "%。", 11)
    page.text(72, y + 40, "1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为", 11)
    page.text(72, y + 56, "1,100.00", 11, latin=True, rise=3).text(120, y + 56, "万元，支出决算为", 11)
    page.text(210, y + 56, "1,000.00", 11, latin=True, rise=-3)
    page.text(258, y + 56, "万元。决算数小于预算数的主要原因：人员减少。", 11)
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), function_table_page(GPB, [TOTAL, *ROWS], ruled=True),
                           page])
    stmts = {r["scope"]: r for r in doc.rows["budget_execution"]}
    assert (stmts["gpb_total"]["initial_budget"], stmts["gpb_total"]["actual"]) == (D("1300.00"), D("1234.50"))
    assert stmts["gpb_total"]["completion_pct"] == D("94.96")
    item = stmts["item"]
    assert (item["path"], item["initial_budget"], item["actual"]) == ("一般公共服务支出/财政事务/行政运行",
                                                                      D("1100.00"), D("1000.00"))
    assert item["code"] == "2010601" and item["reason"] == "人员减少"


def test_sangong_in_budget_and_actual_blocks_with_column_numbers(tmp_path):
    """Guangzhou 2017: 预算数 over six columns, then 决算数 over six; a 栏次 row 1 … 12."""
    page = FixturePage(landscape=True).text(250, 60, "一般公共预算财政拨款“三公”经费支出决算表", 16)
    left, width = 60, 60
    centre = [left + width * i + width / 2 for i in range(12)]
    page.text(centre[2] + 10, 110, "预算数", 10).text(centre[8] + 10, 110, "决算数", 10)
    for block in (0, 6):
        page.text(centre[block] - 10, 130, "合计", 10).text(centre[block + 1] - 20, 130, "因公出国", 10)
        page.text(centre[block + 1] - 20, 142, "（境）费", 10)
        page.text(centre[block + 2] - 10, 130, "公务用车购置及运行费", 10)
        page.text(centre[block + 5] - 15, 130, "公务接", 10).text(centre[block + 5] - 15, 142, "待费", 10)
        page.text(centre[block + 2] - 10, 156, "小计", 10).text(centre[block + 3] - 15, 156, "购置费", 10)
        page.text(centre[block + 4] - 15, 156, "运行费", 10)
    values = ["6.00", "0.00", "3.00", "0.00", "3.00", "3.00", "1.65", "0.00", "1.65", "0.00", "1.65", "0.00"]
    for i, c in enumerate(centre):
        page.text(c - 3, 176, str(i + 1), 9, latin=True)
        page.right(c + 20, 196, values[i])
    doc = parse(tmp_path, [cover("广州市天河区人民政府政务管理办公室", 2017), page])
    sg = {r["item"]: r for r in doc.rows["sangong"]}
    assert (sg["total"]["budget"], sg["total"]["actual"]) == (D("6.00"), D("1.65"))
    assert (sg["vehicle_total"]["budget"], sg["vehicle_operation"]["actual"]) == (D("3.00"), D("1.65"))
    assert (sg["reception"]["budget"], sg["reception"]["actual"]) == (D("3.00"), D("0.00"))
    assert doc.document["department_type"] == "政务服务数据管理局"


def test_summary_with_line_number_columns(tmp_path):
    """Guangzhou 2017 table 01 prints a 行次 column beside each side's amounts."""
    page = FixturePage(landscape=True).text(300, 60, "收入支出决算总表", 16).text(330, 80, "公开01表", 10)
    page.text(60, 110, "部门：广州市天河区财政局", 10).text(650, 110, "单位：万元", 10)
    page.text(60, 130, "项目", 10).text(230, 130, "行次", 10).text(300, 130, "决算数", 10)
    page.text(420, 130, "项目", 10).text(620, 130, "行次", 10).text(690, 130, "决算数", 10)
    lines = [("一、财政拨款收入", "1", "3,457.23", "一、一般公共服务支出", "26", "3,207.16"),
             ("六、其他收入", "6", "6.74", "十二、农林水支出", "37", "250.10"),
             ("本年收入合计", "22", "3,463.97", "本年支出合计", "47", "3,457.26"),
             ("年初结转和结余", "24", "4.19", "年末结转和结余", "49", "10.90"),
             ("总计", "25", "3,468.16", "总计", "50", "3,468.16")]
    for i, (l1, n1, a1, l2, n2, a2) in enumerate(lines):
        y = 155 + 22 * i
        page.text(60, y, l1, 10).text(235, y, n1, 10, latin=True).right(350, y, a1)
        page.text(420, y, l2, 10).text(625, y, n2, 10, latin=True).right(740, y, a2)
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2017), page])
    items = {(r["side"], r["item"]): r["amount"] for r in doc.rows["summary_items"]}
    assert items[("income", "fiscal_appropriation_income")] == D("3457.23")
    assert items[("income", "income_total")] == D("3463.97")
    assert items[("expenditure", "carryover_end")] == D("10.90")
    assert items[("expenditure", "grand_total")] == D("3468.16")


def test_sangong_printed_down_one_row_per_item(tmp_path):
    """Some regions print 三公 with one row per item and 预算数 / 决算数 columns."""
    page = FixturePage().text(120, 80, "财政拨款“三公”经费支出决算表", 16).text(450, 110, "单位：万元", 9)
    page.text(80, 130, "项目", 10).text(330, 130, "预算数", 10).text(450, 130, "决算数", 10)
    rows = [("合计", "12.00", "9.50"), ("1.因公出国（境）费", "2.00", "0.00"),
            ("2.公务用车购置及运行维护费", "6.00", "5.50"), ("（1）公务用车购置费", "", ""),
            ("（2）公务用车运行维护费", "6.00", "5.50"), ("3.公务接待费", "4.00", "4.00")]
    for i, (label, budget, actual) in enumerate(rows):
        y = 155 + 22 * i
        page.text(80, y, label, 10)
        if budget:
            page.right(370, y, budget).right(490, y, actual)
    page.grid([150 + 22 * i for i in range(len(rows) + 1)], [70, 300, 400, 510])
    doc = parse(tmp_path, [cover("上海市普陀区财政局", 2024), page])
    sg = {r["item"]: (r["budget"], r["actual"]) for r in doc.rows["sangong"]}
    assert sg["total"] == (D("12.00"), D("9.50"))
    assert sg["overseas"] == (D("2.00"), D("0.00"))
    assert sg["vehicle_total"] == (D("6.00"), D("5.50"))
    assert sg["vehicle_purchase"] == (D("0.00"), D("0.00"))
    assert sg["vehicle_operation"] == (D("6.00"), D("5.50"))
    assert sg["reception"] == (D("4.00"), D("4.00"))


def test_code_printed_against_its_name(tmp_path):
    rows = [TOTAL, ("", "2010601行政运行", ["1,000.00", "1,000.00", ""])]
    doc = parse(tmp_path, [cover("广州市天河区财政局", 2019), function_table_page(GPB, rows, ruled=True)])
    assert gpb_rows(doc)["2010601"]["name"] == "行政运行"


def test_basic_expenditure_as_one_list_with_personnel_and_public_columns(tmp_path):
    """A 06 variant: one list of economic codes with 合计 | 人员经费 | 公用经费 columns."""
    page = FixturePage().text(120, 80, "一般公共预算财政拨款基本支出决算表", 16).text(450, 110, "单位：万元", 9)
    page.text(60, 130, "科目编码", 10).text(150, 130, "科目名称", 10)
    page.text(330, 130, "合计", 10).text(410, 130, "人员经费", 10).text(500, 130, "公用经费", 10)
    rows = [("301", "工资福利支出", "100.00", "100.00", ""), ("30101", "基本工资", "60.00", "60.00", ""),
            ("302", "商品和服务支出", "20.50", "", "20.50"), ("30201", "办公费", "20.50", "", "20.50"),
            ("", "合计", "120.50", "100.00", "20.50")]
    for i, (code, name, total, personnel, public) in enumerate(rows):
        y = 155 + 22 * i
        page.text(60, y, code, 10, latin=True).text(150, y, name, 10)
        for x1, value in ((370, total), (460, personnel), (550, public)):
            if value:
                page.right(x1, y, value)
    doc = parse(tmp_path, [cover("上海市普陀区财政局", 2024), page])
    econ = {r["code"]: r["amount"] for r in doc.rows["economic_expenditure"]}
    assert econ == {"301": D("100.00"), "30101": D("60.00"), "302": D("20.50"), "30201": D("20.50")}
    costs = doc.rows["cost_totals"][0]
    assert (costs["personnel_cost"], costs["public_cost"]) == (D("100.00"), D("20.50"))


def test_basic_expenditure_split_into_personnel_and_public_columns(tmp_path):
    """Some 05 tables divide 基本支出 into 小计 | 人员经费 | 公用经费: 小计 is the basic column."""
    page = FixturePage(landscape=True).text(250, 60, GPB, 16).text(700, 95, "单位：万元", 9)
    page.text(60, 120, "科目编码", 10).text(150, 120, "科目名称", 10).text(330, 120, "合计", 10)
    page.text(500, 110, "基本支出", 10).text(700, 120, "项目支出", 10)
    page.text(420, 132, "小计", 10).text(500, 132, "人员经费", 10).text(590, 132, "公用经费", 10)
    rows = [("", "合计", ["150.00", "120.00", "100.00", "20.00", "30.00"]),
            ("2010601", "行政运行", ["150.00", "120.00", "100.00", "20.00", "30.00"])]
    for i, (code, name, amounts) in enumerate(rows):
        y = 160 + 22 * i
        page.text(60, y, code, 10, latin=True).text(150, y, name, 10)
        for x1, value in zip((370, 450, 550, 640, 750), amounts, strict=True):
            page.right(x1, y, value)
    doc = parse(tmp_path, [cover("北京市西城区财政局", 2023), page])
    row = gpb_rows(doc)["2010601"]
    assert (row["total"], row["basic"], row["project"]) == (D("150.00"), D("120.00"), D("30.00"))


def test_department_named_on_its_own_cover_line(tmp_path):
    page = FixturePage().text(180, 300, "2024年度部门决算", 20).text(150, 340, "上海市普陀区民政局", 20)
    doc = parse(tmp_path, [page, function_table_page(GPB, [TOTAL, *ROWS], ruled=True)])
    assert (doc.document["department"], doc.document["region"], doc.document["year"]) == (
        "上海市普陀区民政局", "上海市普陀区", 2024)


def test_contents_page_listing_table_titles_is_not_a_table(tmp_path):
    contents = FixturePage().text(250, 60, "目录", 16)
    for i, title in enumerate(["收入支出决算总表", "收入决算表", "支出决算表", GPB]):
        contents.text(100, 100 + 20 * i, title, 11)
    doc = parse(tmp_path, [cover("上海市普陀区民政局", 2024), contents,
                           function_table_page(GPB, [TOTAL, *ROWS], ruled=True)])
    found = {r["table_key"]: r for r in doc.rows["tables_found"]}
    assert set(found) == {"gpb_expenditure"} and found["gpb_expenditure"]["first_page"] == 3


def test_split_codes_with_class_printed_only_on_its_first_row(tmp_path):
    """Merged 类 (and 款) cells: 201 on the class row, then only 06, then 06 01 / 01 below it."""
    page = FixturePage().text(150, 80, GPB, 16).text(450, 110, "单位：万元", 9)
    page.text(60, 125, "类", 10).text(90, 125, "款", 10).text(120, 125, "项", 10).text(200, 125, "科目名称", 10)
    page.text(350, 125, "合计", 10).text(430, 125, "基本支出", 10).text(520, 125, "项目支出", 10)
    rows = [("201", "", "", "一般公共服务支出", ["30.00", "20.00", "10.00"]),
            ("201", "06", "", "财政事务", ["30.00", "20.00", "10.00"]),
            ("201", "06", "01", "行政运行", ["20.00", "20.00", ""]),
            ("", "", "02", "一般行政管理事务", ["10.00", "", "10.00"]),
            ("208", "", "", "社会保障和就业支出", ["5.00", "5.00", ""]),
            ("", "05", "", "行政事业单位养老支出", ["5.00", "5.00", ""]),
            ("", "05", "05", "机关事业单位基本养老保险缴费支出", ["5.00", "5.00", ""])]
    for i, (cls, kuan, xiang, name, amounts) in enumerate(rows):
        y = 150 + 22 * i
        page.text(60, y, cls, 10, latin=True).text(90, y, kuan, 10, latin=True).text(120, y, xiang, 10, latin=True)
        page.text(150, y, name, 10)
        for x1, value in zip((400, 490, 580), amounts, strict=True):
            if value:
                page.right(x1, y, value)
    got = gpb_rows(parse(tmp_path, [cover("北京市西城区财政局", 2023), page]))
    assert set(got) == {"201", "20106", "2010601", "2010602", "208", "20805", "2080505"}
    assert got["2010602"]["project"] == D("10.00") and got["20805"]["level"] == "section"


def test_scanned_page_amid_text_pages_is_read_by_ocr_or_without_it_makes_the_document_partial(tmp_path):
    from tests.test_batch_bad_input import _scanned  # an image-only page, as a scanner makes it

    text_pdf = write_pdf(tmp_path / "text.pdf", [cover("上海市普陀区民政局", 2024),
                                                 function_table_page(GPB, [TOTAL, *ROWS], ruled=True)])
    scan = tmp_path / "scan.pdf"
    _scanned(scan)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for source in (text_pdf, scan):
        for page in PdfReader(source).pages:
            writer.add_page(page)
    with open(tmp_path / "mixed.pdf", "wb") as fh:
        writer.write(fh)
    doc = parse_pdf(tmp_path / "mixed.pdf", "mixed", ocr="off")  # OCR off: the scanned pages stay unread
    assert doc.document["status"] == "partial"
    assert "without a text layer" in doc.document["error"] and "income_expenditure_summary" in doc.document["error"]
    assert gpb_rows(doc)["2010601"]["total"] == D("1000.00")  # what was read is kept
    doc = parse_pdf(tmp_path / "mixed.pdf", "mixed")  # OCR auto: the scanned pages are read by OCR, noted
    ocr = next(c for c in doc.rows["checks"] if c["check_id"] == "source.ocr_pages")
    assert (ocr["status"], ocr["pages"]) == ("fail", "3,4")
    assert "without a text layer" not in (doc.document["error"] or "")
    assert gpb_rows(doc)["2010601"]["total"] == D("1000.00")


def test_department_named_without_its_city_takes_the_city_from_the_report(tmp_path):
    intro = FixturePage().text(72, 80, "第一部分 普陀区财政局概况", 14)
    intro.text(72, 120, "普陀区财政局是上海市普陀区人民政府主管全区财政工作的工作部门。", 11)
    doc = parse(tmp_path, [cover("普陀区财政局", 2024), intro, function_table_page(GPB, [TOTAL, *ROWS], ruled=True)])
    assert (doc.document["department"], doc.document["region"], doc.document["department_type"]) == (
        "普陀区财政局", "上海市普陀区", "财政局")


def test_two_tables_on_one_page(tmp_path):
    """Small or empty tables (08 and 09 here) often share a page: each is found with its own note."""
    page = FixturePage(landscape=True)
    tables = ((60, "政府性基金预算财政拨款收入支出决算表", "本部门无政府性基金预算财政拨款收入支出，故本表无数据。"),
              (320, "国有资本经营预算财政拨款收入支出决算表", "本部门无国有资本经营预算财政拨款支出，故本表无数据。"))
    for top, title, note in tables:
        page.text(250, top, title, 16).text(700, top + 30, "单位：万元", 9)
        page.text(60, top + 50, "项目", 10).text(300, top + 50, "本年收入", 10).text(60, top + 90, "合计", 10)
        page.text(60, top + 140, "注：" + note, 10)
    doc = parse(tmp_path, [cover("上海市普陀区民政局", 2024), function_table_page(GPB, [TOTAL, *ROWS], ruled=True),
                           page])
    found = {r["table_key"]: r for r in doc.rows["tables_found"]}
    assert found["gov_fund"]["first_page"] == found["state_capital"]["first_page"] == 3
    assert found["gov_fund"]["empty"] and found["state_capital"]["empty"]
    assert gpb_rows(doc)["2010601"]["total"] == D("1000.00")
