"""OCR amount readings decided by the tables' identities, never against them.

Three levels: the string rules (what the printed form settles, look-alike letters, the alternatives tried);
hand-built rows and identities (a reading is changed only when exactly one alternative of one figure restores a
failing identity and breaks none; a text-layer figure never); and the real reports, their text pages re-typed as
OCR words with misreadings injected into figures picked from the clean parse, which must come out exactly as the
clean parse, each correction listed on its page, and two misreadings one identity cannot tell apart left as read
and flagged by the failing check.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from etl.normalise import parse_amount
from etl.pagesource import read_pages
from etl.pagesource.ocr_readings import alternative_readings, amount_reading, letters_as_digits
from etl.pagesource.page import OcrWord, Page, Word
from etl.parsing.identities import Cell, Identity
from etl.parsing.parse import parse_report
from etl.parsing.readings import ocr_confidence, settle_readings
from etl.parsing.tables.grid import WORDS

# -- the string rules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("read", "printed"), [
    ("282,82", "282.82"), ("1,234,56", "1,234.56"), ("1.234.56", "1,234.56"), ("1,234.56", "1,234.56"),
    ("28282", "28282"),
])
def test_a_point_read_as_a_comma_is_settled_by_the_grouping(read, printed):
    assert amount_reading(read) == printed


@pytest.mark.parametrize(("read", "taken"), [
    ("1O2.5O", "102.50"), ("l,234.56", "1,234.56"), ("2O,0O0.00", "20,000.00"), ("1S.8B", "15.88"),
    ("IOI", None), ("行政运行", None), ("1O2", None), ("O.OO", None), ("282.82", None),
])
def test_lookalike_letters_are_taken_for_digits_only_in_an_amounts_printed_shape(read, taken):
    assert letters_as_digits(read) == taken


@pytest.mark.parametrize(("read", "alternatives"), [
    ("28282", ["282.82"]), ("500", ["5.00"]), ("1.234", ["1,234"]), ("282.82", []), ("1,234.56", []), ("12", []),
])
def test_alternative_readings_of_an_amount(read, alternatives):
    assert alternative_readings(read) == alternatives


# -- hand-built rows: what the solver may and may not change ------------------------------------------------------


def _ocr(text: str, read_as: str = "", confidence: float = 0.9) -> OcrWord:
    return OcrWord(text, 0, 10, 0, 10, confidence, read_as)


def _row(word: Word, **extra) -> dict:
    """A one-figure row whose amount was read from `word` (in 万元)."""
    return {"amount": parse_amount(word.text).quantize(Decimal("0.01")), WORDS: {"amount": word}, **extra}


def _sum(name: str, parts: list[dict], total: dict) -> Identity:
    return Identity(name, [Cell(r, "amount", "t") for r in parts], Cell(total, "amount", "t"))


def _settle(identities: list[Identity], rows: list[dict]):
    return settle_readings(identities, [("t", r) for r in rows], {"t": "万元"})


def test_a_lost_decimal_point_one_alternative_explains_is_restored():
    a, b, total = _row(_ocr("28282")), _row(_ocr("17.18")), _row(_ocr("300.00"))
    settled = _settle([_sum("a + b = 合计", [a, b], total)], [a, b, total])
    assert a["amount"] == Decimal("282.82")
    assert [(r.read, r.taken, r.identities) for r in settled.corrected] == [("28282", "282.82", ["a + b = 合计"])]
    assert settled.corrected[0].read_value == Decimal("28282.00")
    assert settled.corrected[0].taken_value == Decimal("282.82")


def test_a_figure_in_the_tables_unit_of_yuan_is_corrected_in_wan():
    a, b, total = _row(_ocr("2828200")), _row(_ocr("171800.00")), _row(_ocr("200082.00"))
    for r in (a, b, total):
        r["amount"] = (r["amount"] / 10000).quantize(Decimal("0.01"))
    _settle_in_yuan = settle_readings([_sum("a + b = 合计", [a, b], total)], [("t", r) for r in (a, b, total)],
                                      {"t": "元"})
    assert a["amount"] == Decimal("2.83") and len(_settle_in_yuan.corrected) == 1  # 28,282.00 元


def test_two_figures_either_of_which_would_restore_the_identity_are_left_as_read():
    a, b, total = _row(_ocr("1200")), _row(_ocr("1200")), _row(_ocr("1212.00"))
    settled = _settle([_sum("a + b = 合计", [a, b], total)], [a, b, total])
    assert settled.corrected == [] and a["amount"] == b["amount"] == Decimal("1200.00")


def test_two_lost_points_in_one_identity_are_left_as_read_and_the_identity_still_fails():
    a, b, total = _row(_ocr("1200")), _row(_ocr("1300")), _row(_ocr("25.00"))
    identity = _sum("a + b = 合计", [a, b], total)
    assert _settle([identity], [a, b, total]).corrected == [] and not identity.holds()


def test_a_reading_that_restores_one_identity_but_breaks_another_is_refused():
    a, b, total = _row(_ocr("28282")), _row(_ocr("17.18")), _row(_ocr("300.00"))
    c, other_total = _row(_ocr("0.00")), _row(_ocr("28282.00"))  # a second identity that holds as read
    identities = [_sum("a + b = 合计", [a, b], total), _sum("a + c = 另一合计", [a, c], other_total)]
    assert _settle(identities, [a, b, total, c, other_total]).corrected == []
    assert a["amount"] == Decimal("28282.00")


def test_a_figure_from_the_text_layer_is_never_changed():
    a, b, total = _row(Word("28282", 0, 10, 0, 10)), _row(_ocr("17.18")), _row(_ocr("300.00"))
    assert _settle([_sum("a + b = 合计", [a, b], total)], [a, b, total]).corrected == []
    assert a["amount"] == Decimal("28282.00")


def test_corrections_follow_one_another_until_every_identity_they_explain_holds():
    a, b, total = _row(_ocr("28282")), _row(_ocr("17.18")), _row(_ocr("300.00"))
    c, d, total2 = _row(_ocr("500")), _row(_ocr("5.00")), _row(_ocr("10.00"))
    identities = [_sum("a + b = 合计", [a, b], total), _sum("c + d = 合计二", [c, d], total2)]
    settled = _settle(identities, [a, b, total, c, d, total2])
    assert [r.taken for r in settled.corrected] == ["282.82", "5.00"]
    assert all(i.holds() for i in identities)


def test_a_figure_written_in_two_rows_is_corrected_in_both():
    word = _ocr("28282")
    a, copy, b, total = _row(word), _row(word), _row(_ocr("17.18")), _row(_ocr("300.00"))
    _settle([_sum("a + b = 合计", [a, b], total)], [a, copy, b, total])
    assert a["amount"] == copy["amount"] == Decimal("282.82")


def test_lookalike_readings_stand_confirmed_only_where_their_identities_hold():
    held = _row(_ocr("102.50", read_as="1O2.5O"))
    b, total = _row(_ocr("7.50")), _row(_ocr("110.00"))
    broken = _row(_ocr("10.00", read_as="1O.OO"))
    c, total2 = _row(_ocr("5.00")), _row(_ocr("16.00"))
    alone = _row(_ocr("3.00", read_as="S.OO"))
    settled = _settle([_sum("held", [held, b], total), _sum("broken", [broken, c], total2)],
                      [held, b, total, broken, c, total2, alone])
    assert [(r.read, r.taken, r.identities) for r in settled.unconfirmed] == [
        ("1O.OO", "10.00", ["broken"]), ("S.OO", "3.00", [])]
    assert settled.corrected == []


def test_a_rows_ocr_confidence_is_its_least_sure_word():
    row = {WORDS: {"total": _ocr("1.00", confidence=0.97), "basic": _ocr("1.00", confidence=0.81),
                   "project": Word("0.00", 0, 1, 0, 1)}}
    assert ocr_confidence(row) == pytest.approx(0.81)
    assert ocr_confidence({WORDS: {"total": Word("1.00", 0, 1, 0, 1)}}) is None


def test_a_narrative_figures_confidence_is_that_of_the_lines_it_was_read_from():
    from etl.pagesource.page import Line
    from etl.parsing.readings import narrative_confidence

    lines = [(0, 10, Line([_ocr("a", confidence=0.9)])), (10, 20, Line([_ocr("b", confidence=0.7)])),
             (20, 30, Line([Word("c", 0, 1, 0, 1)])), (30, 40, Line([_ocr("d", confidence=0.5)]))]
    assert narrative_confidence((5, 15), lines) == pytest.approx(0.7)
    assert narrative_confidence((21, 29), lines) is None  # a text-layer line
    assert narrative_confidence((12, 35), lines) == pytest.approx(0.5)
    assert narrative_confidence(None, lines) is None


# -- the real reports, re-typed as OCR words with misreadings -----------------------------------------------------

CONFIDENCE = 0.93


def _as_ocr(pages: list[Page], misread: dict[tuple[int, str], str]) -> list[Page]:
    """The pages as OCR would give them: every word an OcrWord; the word printed `text` on page `n` (unique on its
    page) read as misread[(n, text)] (an amount with letters keeps its reading in read_as)."""
    out = []
    for p in pages:
        words = []
        for w in p.words:
            read = misread.get((p.number, w.text), w.text)
            taken = letters_as_digits(read) or read
            words.append(OcrWord(taken, w.x0, w.x1, w.top, w.bottom, CONFIDENCE, read if taken != read else ""))
        out.append(Page(p.number, p.width, p.height, words, p.hrules, p.vrules, p.char_count, p.image_count,
                        p.curve_count, source="ocr"))
    return out


def _unique_figures(pages: list[Page], rows: list[dict], column: str, below: float = 1000
                    ) -> list[tuple[int, str]]:
    """(page, printed text) of the rows' non-zero `column` figures under `below`, printed once on their page (so the
    injected misreading lands on that figure)."""
    by_page = {p.number: [w.text for w in p.words] for p in pages}
    found = []
    for r in rows:
        value, page = r.get(column), r.get("page")
        if not value or value >= below or page not in by_page:
            continue
        printed = [t for t in {f"{value:.2f}", f"{value:,.2f}"} if by_page[page].count(t) == 1]
        if printed and (page, printed[0]) not in found:
            found.append((page, printed[0]))
    return found


def _figures(doc) -> dict[str, list[dict]]:
    tables = ("summary_items", "function_expenditure", "economic_expenditure", "cost_totals", "sangong")
    return {t: [{k: v for k, v in r.items() if k not in ("ocr_confidence", "doc_id")} for r in doc.rows[t]]
            for t in tables}


@pytest.fixture(scope="module", params=["finance", "social"])
def report(request, real_pdfs):
    """A real report's text pages and its clean parse."""
    pdf = real_pdfs[request.param]
    return pdf, parse_report(read_pages(pdf, "off").pages, "clean")


def _failed(doc) -> set[str]:
    return {c["check_id"] for c in doc.rows["checks"] if c["status"] == "fail" and c["severity"] != "info"}


def test_lost_points_and_lookalike_letters_in_a_real_report_are_restored_by_its_identities(report):
    pdf, clean = report
    pages = read_pages(pdf, "off").pages
    gpb = [r for r in clean.rows["function_expenditure"] if r["table_key"] == "gpb_expenditure"]
    in_gpb = [f for column in ("basic", "project", "total") for f in _unique_figures(pages, gpb, column)]
    lost_point = [*in_gpb[:1], *_unique_figures(pages, clean.rows["economic_expenditure"], "amount")[:1]]
    anywhere = [f for column in ("total", "basic", "project")
                for f in _unique_figures(pages, clean.rows["function_expenditure"], column, below=1e9)]
    lookalike = [(n, t) for n, t in anywhere if set(t) & {"0", "1"} and (n, t) not in lost_point][:1]
    assert len(lost_point) == 2 and len(lookalike) == 1, "the report offers figures to misread"
    misread = {**{(n, t): t.replace(".", "") for n, t in lost_point},
               **{(n, t): t.replace("0", "O").replace("1", "l") for n, t in lookalike}}
    doc = parse_report(_as_ocr(pages, misread), "ocr")
    assert _figures(doc) == _figures(clean)
    corrected = [c for c in doc.rows["checks"] if c["check_id"] == "ocr.readings_corrected"]
    assert sorted((int(c["pages"]), c["value_b"]) for c in corrected) == sorted(
        (n, Decimal(t)) for n, t in lost_point)
    assert all(c["status"] == "fail" and "已更正" in c["message"] for c in corrected)
    unconfirmed = [c for c in doc.rows["checks"] if c["check_id"] == "ocr.readings_unconfirmed"]
    assert [c["status"] for c in unconfirmed] == ["pass"]  # the look-alike reading is confirmed by its identities
    assert _failed(doc) == _failed(clean)
    figure_rows = [r for t in ("function_expenditure", "economic_expenditure") for r in doc.rows[t]
                   if r.get("total") or r.get("amount")]  # a row with a non-zero figure was read from a word
    assert {r["ocr_confidence"] for r in figure_rows} == {CONFIDENCE}
    assert {r["ocr_confidence"] for r in clean.rows["function_expenditure"]} == {None}
    narrative = doc.rows["budget_execution"] + doc.rows["item_yoy"]
    assert narrative and {r["ocr_confidence"] for r in narrative} == {CONFIDENCE}  # read from OCR lines too
    assert {r["ocr_confidence"] for r in clean.rows["budget_execution"]} == {None}


def test_a_misread_digit_no_reading_explains_is_left_as_read_and_flagged(report):
    pdf, clean = report
    pages = read_pages(pdf, "off").pages
    gpb = [r for r in clean.rows["function_expenditure"] if r["table_key"] == "gpb_expenditure"]
    page, text = [f for column in ("basic", "project", "total")
                  for f in _unique_figures(pages, gpb, column, below=1e9)][0]
    wrong = ("9" if text[0] != "9" else "8") + text[1:]  # its first digit misread: no alternative reading
    doc = parse_report(_as_ocr(pages, {(page, text): wrong}), "ocr")
    read = [r for r in doc.rows["function_expenditure"] if r["table_key"] == "gpb_expenditure" and r["page"] == page]
    assert parse_amount(wrong) in {r[c] for r in read for c in ("total", "basic", "project")}  # left as read …
    assert [c["status"] for c in doc.rows["checks"] if c["check_id"] == "ocr.readings_corrected"] == ["pass"]
    assert _failed(doc) - _failed(clean)  # … and flagged by an identity check that held before


def test_two_lost_points_in_the_function_tables_are_each_restored(report):
    pdf, clean = report
    pages = read_pages(pdf, "off").pages
    rows = clean.rows["function_expenditure"]
    targets = [f for column in ("basic", "project", "total") for f in _unique_figures(pages, rows, column)][-2:]
    assert len(targets) == 2, "the report's 03 and 05 offer two figures to misread"
    doc = parse_report(_as_ocr(pages, {(n, t): t.replace(".", "") for n, t in targets}), "ocr")
    assert _figures(doc) == _figures(clean)
    assert len([c for c in doc.rows["checks"] if c["check_id"] == "ocr.readings_corrected"]) == 2


def test_a_lost_point_that_reads_like_a_class_code_in_06_is_no_code(real_pdfs):
    """`3.78` read without its point is `378`, the shape of an economic class code: it must not start a new
    (code, name, amount) group of table 06, and the identities restore it."""
    checked = 0
    for name in ("finance", "social"):
        pages = read_pages(real_pdfs[name], "off").pages
        clean = parse_report(read_pages(real_pdfs[name], "off").pages, "clean")
        for page, text in _unique_figures(pages, clean.rows["economic_expenditure"], "amount", below=10):
            if re.fullmatch(r"[35]\d{2}", text.replace(".", "")):
                misread = {(page, text): text.replace(".", "")}
                doc = parse_report(_as_ocr(read_pages(real_pdfs[name], "off").pages, misread), "ocr")
                assert _figures(doc) == _figures(clean), (name, text)
                checked += 1
    assert checked, "a real report prints an 06 amount whose lost point reads as a class code"


def test_a_section_code_read_apart_from_its_class_code_joins_it(real_pdfs):
    """OCR may read `30218 专用材料费` as `302` and `18.专用材料费`: the two digits before the name are the section's,
    not a second 302 row named `18.专用材料费`."""
    checked = 0
    for name in ("finance", "social"):
        pages = read_pages(real_pdfs[name], "off").pages
        clean = parse_report(read_pages(real_pdfs[name], "off").pages, "clean")
        texts = {p.number: [w.text for w in p.words] for p in pages}
        row = next((r for r in clean.rows["economic_expenditure"] if r["level"] == "section"  # joined codes only:
                    and texts[r["page"]].count(r["code"]) == 1 and texts[r["page"]].count(r["name"]) == 1), None)
        if row is None:  # codes printed split (302 | 18) put the digits in a word of their own already
            continue
        misread = {(row["page"], row["code"]): row["code"][:3],
                   (row["page"], row["name"]): f"{row['code'][3:]}.{row['name']}"}
        doc = parse_report(_as_ocr(read_pages(real_pdfs[name], "off").pages, misread), "ocr")
        assert _figures(doc) == _figures(clean), (name, row["code"])
        checked += 1
    assert checked, "a real report prints 06 codes joined (30218), whose section digits OCR may read apart"


def test_a_code_read_twice_fails_its_tables_codes_unique_check():
    from etl.parsing.checks import DocFigures, run_checks

    def economic(code: str, name: str, page: int) -> dict:
        return {"code": code, "level": "class" if len(code) == 3 else "section", "name": name,
                "amount": Decimal("1.00"), "cost_group": "public", "page": page}

    once = [economic("302", "商品和服务支出", 16), economic("30218", "专用材料费", 16)]
    twice = [economic("302", "商品和服务支出", 16), economic("302", "18.专用材料费", 17)]
    results = {}
    for label, rows in (("once", once), ("twice", twice)):
        checks = run_checks(DocFigures([], [], [], rows, None, [], []))
        results[label] = [(c.check_id, c.status, c.pages) for c in checks if c.check_id.endswith("codes_unique")]
    assert results["once"] == [("gpb_basic_expenditure.codes_unique", "pass", "16")]
    assert results["twice"] == [("gpb_basic_expenditure.codes_unique", "fail", "16,17")]
