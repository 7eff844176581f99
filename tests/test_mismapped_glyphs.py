"""A text layer where a minority of a Chinese font's glyphs is mis-mapped (Ghostscript: 上 → P, 公 → |, 、 → 1
inside otherwise correct 汉字 runs) is unusable: such pages go to OCR and give the clean PDF's figures. Real Latin
glyphs beside Chinese (codes, amounts, abbreviations, %, units) raise no alarm: not on the real reports, not on the
generated corpus."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from producer_copies import mismap_glyphs
from pypdf import PdfReader, PdfWriter

from etl.pagesource import read_pages
from etl.pagesource.glyph_widths import misdrawn_glyphs
from etl.pagesource.text_layer import dedupe_overlaid
from etl.parsing.parse import parse_pdf
from etl.sample.families import write_family_corpus

GHOSTSCRIPT_MINORITY = {"上": "P", "公": "|", "、": "1"}


def _figures(doc) -> list[tuple]:
    """The 05 table's rows as figures: code, level and amounts (OCR may add a stray stroke to a name)."""
    return [(r["code"], r["level"], r["total"], r["basic"], r["project"])
            for r in doc.rows["function_expenditure"] if r["table_key"] == "gpb_expenditure"]


def _keep_pages(src: Path, dst: Path, pages: list[int]) -> Path:
    writer = PdfWriter(clone_from=PdfReader(src))
    for index in sorted((i for i in range(len(writer.pages)) if i + 1 not in pages), reverse=True):
        del writer.pages[index]
    writer.write(dst)
    return dst


@pytest.fixture(scope="module")
def gpb_pages(tmp_path_factory) -> tuple[Path, Path]:
    """A generated report's 一般公共预算财政拨款支出决算表 pages (2), clean and with the minority mis-mapping."""
    folder = tmp_path_factory.mktemp("mismapped")
    src = write_family_corpus(folder, ["layouts"], seed=5, per_family=1)[0]
    found = next(r for r in parse_pdf(src, "full").rows["tables_found"] if r["table_key"] == "gpb_expenditure")
    pages = list(range(found["first_page"], found["last_page"] + 1))
    assert 1 <= len(pages) <= 3
    clean = _keep_pages(src, folder / "clean.pdf", pages)
    return clean, mismap_glyphs(src, folder / "mismapped.pdf", GHOSTSCRIPT_MINORITY, pages)


def test_minority_mis_mapped_glyphs_send_the_pages_to_ocr(gpb_pages):
    clean, mismapped = gpb_pages
    read = read_pages(mismapped, "auto")
    assert sorted(read.ocr_reasons) == [1, 2]
    assert all("mis-mapped glyphs" in why and "U+007C" in why for why in read.ocr_reasons.values())  # 公 → |
    assert read_pages(clean, "auto").ocr_reasons == {}


def test_minority_mis_mapped_glyphs_read_by_ocr_give_the_clean_figures(gpb_pages):
    clean, mismapped = gpb_pages
    expected = _figures(parse_pdf(clean, "clean"))
    assert len(expected) >= 10
    assert _figures(parse_pdf(mismapped, "text", ocr="off")) != expected  # the text layer alone loses the table
    doc = parse_pdf(mismapped, "ocr")
    assert doc.document["text_source"] == "ocr" and _figures(doc) == expected
    ocr_check = next(c for c in doc.rows["checks"] if c["check_id"] == "source.ocr_pages")
    assert ocr_check["status"] == "fail" and "mis-mapped glyphs" in ocr_check["detail"]


def _char(text: str, x0: float, size: float = 10.0, width: float | None = None, top: float = 100.0) -> dict:
    width = size if width is None else width
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size}


def _run(spec: list[tuple[str, float]], size: float = 10.0) -> list[dict]:
    """Chars set one after the other: (text, advance in em)."""
    chars, x = [], 50.0
    for text, em in spec:
        chars.append(_char(text, x, size, em * size))
        x += em * size
    return chars


@pytest.mark.parametrize(("spec", "found"), [
    ([("一", 1), ("般", 1), ("|", 1), ("共", 1)], "|"),  # 公 read as |
    ([("P", 1), ("级", 1)], "P"),  # 上 read as P at the start of a run
    ([("工", 1), ("资", 1), ("1", 1), ("津", 1)], "1"),  # 、 read as 1
    ([("经", 1), ("费", 1), ("Ð", 1), ("出", 1)], "Ð"),  # a Latin-1 letter
])
def test_a_latin_glyph_as_wide_as_its_hanzi_neighbour_is_misdrawn(spec, found):
    assert misdrawn_glyphs(_run(spec)) == found


@pytest.mark.parametrize("spec", [
    [("增", 1), ("长", 1), ("1", 0.5), ("2", 0.5), ("%", 0.83), ("，", 1)],  # figures and % in a Chinese font
    [("科", 1), ("目", 1), ("2", 0.5), ("0", 0.5), ("1", 0.5), ("0", 0.5)],  # a code against its name
    [("即", 1), ("G", 0.72), ("D", 0.72), ("P", 0.61), ("的", 1)],  # an abbreviation in a Latin font
    [("第", 1), ("W", 0.944), ("M", 0.889), ("区", 1)],  # Latin glyphs that come near an em
    [("万", 1), ("(cid:12)", 1), ("元", 1)],  # an unmapped glyph: pdfminer's marker, not a Latin glyph
    [("支", 1), ("出", 1), ("(", 1), ("类", 1), (")", 1), (",", 1), ("增", 1)],  # full-width （）， mapped to ASCII
])
def test_real_latin_beside_chinese_is_not_misdrawn(spec):
    assert misdrawn_glyphs(_run(spec)) == ""


def test_a_square_latin_glyph_of_another_size_or_line_is_not_misdrawn():
    bigger = [_char("中", 50), _char("P", 60, size=11, width=10)]  # a 11 pt Latin glyph one 10 pt em wide
    below = [_char("中", 50), _char("P", 60, top=120)]
    apart = [_char("中", 50), _char("P", 70)]
    assert misdrawn_glyphs(bigger) == misdrawn_glyphs(below) == misdrawn_glyphs(apart) == ""


def _misdrawn_pages(pdf: Path) -> list[tuple[int, str]]:
    with pdfplumber.open(pdf) as doc:
        return [(p.page_number, found) for p in doc.pages if (found := misdrawn_glyphs(dedupe_overlaid(p.chars)))]


def test_the_real_reports_raise_no_alarm(real_pdfs):
    for pdf in real_pdfs.values():
        assert _misdrawn_pages(pdf) == [], pdf.name


def test_the_generated_corpus_raises_no_alarm(tmp_path):
    families = ["layouts", "university", "central", "district_legacy", "sangong_narrative", "budget"]
    for pdf in write_family_corpus(tmp_path, families, seed=11, per_family=1):
        assert _misdrawn_pages(pdf) == [], pdf.name
