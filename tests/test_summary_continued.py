"""收入支出决算总表 running onto a second page (a university's 表1: 上年结转和结余 and the closing total printed as
合计 on the continuation), and the rows of a hospital's or school's 总表 (财政补助收入, 医疗业务支出 …)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from etl.parsing.parse import parse_pdf
from etl.sample.university import generate_university
from tests.pdf_fixtures import FixturePage, write_pdf


@pytest.mark.parametrize("k", [0, 3])  # k = 3: the corpus's own continued university (every fourth one)
def test_a_summary_table_continued_on_a_second_page_is_read_whole(tmp_path, k):
    generated = generate_university(5, k, 2024, other=False, summary_continued=True)
    pdf = tmp_path / generated.file_name
    pdf.write_bytes(generated.pdf)
    doc = parse_pdf(pdf, "u")
    found = next(t for t in doc.rows["tables_found"] if t["table_key"] == "income_expenditure_summary")
    assert found["last_page"] == found["first_page"] + 1
    rows = doc.rows["summary_items"]
    read = {r["item"]: r["amount"] for r in rows if r["item"] in generated.truth["summary"]}
    assert read == {k: Decimal(str(v)).quantize(Decimal("0.01")) for k, v in generated.truth["summary"].items()}
    continued = {(r["side"], r["item"]) for r in rows if r["page"] == found["last_page"]}
    assert {("income", "carryover_begin"), ("income", "grand_total"), ("expenditure", "grand_total")} <= continued


HOSPITAL_ROWS = [  # (income label, amount, expenditure label, amount)
    ("一、财政补助收入", "1,200.50", "一、医疗业务支出", "5,300.25"),
    ("二、上级补助收入", "0.00", "二、财政项目补助支出", "400.00"),
    ("三、事业收入", "4,600.75", "三、科教项目支出", "150.00"),
    ("其中：医疗收入", "4,500.00", "四、管理费用", "80.00"),
    ("四、科教项目收入", "150.00", "", ""),
    ("五、其他收入", "10.00", "", ""),
    ("本年收入合计", "5,961.25", "本年支出合计", "5,930.25"),
    ("上年结转和结余", "100.00", "年末结转和结余", "131.00"),
    ("合计", "6,061.25", "合计", "6,061.25"),
]


def _hospital_summary() -> FixturePage:
    page = FixturePage(landscape=True).text(300, 60, "收入支出决算总表", 16)
    page.text(40, 95, "单位名称：某市第一人民医院", 9).text(700, 95, "单位：万元", 9)
    page.text(60, 120, "项目", 10).text(300, 120, "决算数", 10).text(430, 120, "项目", 10).text(700, 120, "决算数", 10)
    for i, (left, a, right, b) in enumerate(HOSPITAL_ROWS):
        top = 140 + 20 * i
        page.text(60, top, left, 10).right(360, top, a)
        if right:
            page.text(430, top, right, 10).right(760, top, b)
    return page


def test_a_hospital_summary_table_maps_its_rows_or_keeps_their_labels(tmp_path: Path):
    doc = parse_pdf(write_pdf(tmp_path / "hospital.pdf", [_hospital_summary()]), "h")
    read = {(r["side"], r["label"]): (r["item"], r["amount"]) for r in doc.rows["summary_items"]}
    amount = {label: Decimal(a.replace(",", "")) for label, a, _, _ in HOSPITAL_ROWS}
    spent = {label: Decimal(b.replace(",", "")) for _, _, label, b in HOSPITAL_ROWS if label}
    assert read[("income", "一、财政补助收入")] == ("fiscal_appropriation_income", amount["一、财政补助收入"])
    assert read[("income", "三、事业收入")] == ("business_income", amount["三、事业收入"])
    assert read[("income", "上年结转和结余")] == ("carryover_begin", amount["上年结转和结余"])
    assert read[("income", "合计")] == ("grand_total", amount["合计"])
    for label in ("其中：医疗收入", "四、科教项目收入"):  # no key means them: read, label kept, no item
        assert read[("income", label)] == (None, amount[label])
    for label in ("一、医疗业务支出", "二、财政项目补助支出", "三、科教项目支出", "四、管理费用"):
        assert read[("expenditure", label)] == (None, spent[label])  # not 功能分类 classes
    assert read[("expenditure", "合计")] == ("grand_total", spent["合计"])
