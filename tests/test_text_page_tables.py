"""A web page's text (tests of etl.pagesource.text_page with etl.parsing.locate): problems met when the report
variants were saved as text, one hand-written fixture each."""

from __future__ import annotations

from etl.pagesource.text_page import text_pages
from etl.parsing.locate import locate_tables

TABLE = "{title}\n单位：万元\n项目\t决算数\n合计\t12.00\n工资福利支出\t12.00\n"
NARRATIVE = ("第三部分 某局2023年度部门决算情况说明\n一、收入支出决算总体情况说明\n"
             "某局2023年度收入、支出总计均为12.00万元。\n")
NONTAX = "非税收入征缴情况表\n单位：万元\n科目名称\t合计\n合计\t1.00\n"


def _keys(text: str) -> list[tuple[str, str]]:
    return [(t.key, t.title) for t in locate_tables(text_pages(text))]


def test_contents_entries_with_dot_leaders_are_not_cut_into_table_titles():
    """`表（一）收入支出决算总表.......5` longer than a line: wrapped as prose, its title became a line of its own
    and a page of its own, read as the table itself (nothing after it was found)."""
    leaders = "." * 90
    text = ("某局\n目录\n第一部分 某局概况" + leaders + "3\n第二部分 某局2023年度部门决算表" + leaders + "4\n"
            + "".join(f"表（{n}）{t}{leaders}{k}\n" for n, t, k in (("一", "收入支出决算总表", 5),
                                                                  ("二", "收入决算表", 6), ("三", "支出决算表", 7)))
            + "第一部分 某局概况\n一、主要职能\n某局是主管本区工作的部门。\n"
            + TABLE.format(title="表（一）收入支出决算总表") + TABLE.format(title="表（三）支出决算表"))
    assert [k for k, _ in _keys(text)] == ["income_expenditure_summary", "expenditure"]


def test_a_contents_list_cut_from_its_heading_is_no_table():
    """The 目录's entries on a page of their own (its 第二部分 line starts a new page): a list, not a table."""
    text = ("某局\n目录\n第一部分 某局概况\n第二部分 某局2023年度部门决算表\n一、收入支出决算总表\n二、收入决算表\n"
            "三、支出决算表\n国有资产占用情况表\n第三部分 某局2023年度部门决算情况说明\n"
            "第一部分 某局概况\n一、主要职能\n某局是主管本区工作的部门。\n"
            + TABLE.format(title="收入支出决算总表") + TABLE.format(title="支出决算表"))
    assert [k for k, _ in _keys(text)] == ["income_expenditure_summary", "expenditure"]


def test_a_tables_note_printed_as_its_own_block_does_not_let_the_narrative_open_new_tables():
    """`注：本表反映…` under the last table, a block of its own in the text: the 情况说明 after it still ends the
    tables part, so a table printed inside the narrative (非税收入征缴情况表) is read as there, not as a table of
    the tables part — as from the PDF."""
    text = (TABLE.format(title="收入支出决算总表") + "注：本表反映部门本年度的总收支。\n" + NARRATIVE + NONTAX
            + "第四部分 名词解释\n")
    pdf_like = TABLE.format(title="收入支出决算总表") + NARRATIVE + NONTAX + "第四部分 名词解释\n"
    assert _keys(text) == _keys(pdf_like) == [("income_expenditure_summary", "收入支出决算总表")]


def test_a_table_inside_a_narrative_printed_before_the_tables_is_none_of_the_tables_part():
    """四川 prints its 情况说明 before the tables (a trailing 附表 part): a table inside that narrative
    (非税收入征缴情况表) is the narrative's, as where the tables come first — not an `other` table, and not the
    first table (which would put the 名词解释 after it and hide the 四川 form)."""
    text = (NARRATIVE + NONTAX + "第四部分 名词解释\n一、财政拨款收入：指本年度从本级财政部门取得的财政拨款。\n"
            + "第五部分 附表\n" + TABLE.format(title="收入支出决算总表") + TABLE.format(title="国有资产占用情况表"))
    assert _keys(text) == [("income_expenditure_summary", "收入支出决算总表"), ("other", "国有资产占用情况表")]


def test_the_same_in_a_web_page_whose_narrative_starts_mid_page(tmp_path):
    """In a web page the 情况说明's heading falls inside a page (after the 概况), not among its first lines."""
    from etl.pagesource.html_page import load_html_pages

    def table(title: str) -> str:
        return (f"<p>{title}</p><p>单位：万元</p><table><tr><td>项目</td><td>决算数</td></tr>"
                "<tr><td>合计</td><td>12.00</td></tr><tr><td>工资福利支出</td><td>12.00</td></tr></table>")

    page = ("<html><body><p>第一部分 某局概况</p>" + "<p>某局是主管本区工作的部门。</p>" * 8
            + "<p>第三部分 某局2023年度部门决算情况说明</p><p>一、收入支出决算总体情况说明</p>"
            "<p>某局2023年度收入、支出总计均为12.00万元。</p>" + table("非税收入征缴情况表")
            + "<p>第四部分 名词解释</p><p>一、财政拨款收入：指本年度从本级财政部门取得的财政拨款。</p>"
            "<p>第五部分 附表</p>" + table("收入支出决算总表") + "</body></html>")
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    assert [(t.key, t.title) for t in locate_tables(load_html_pages(path))] == [
        ("income_expenditure_summary", "收入支出决算总表")]
