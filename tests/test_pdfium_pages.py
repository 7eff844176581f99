"""The PDFium page source gives the reference's (pdfplumber's) page model, one small fixture per problem met.

Where PDFium reads a file otherwise than pdfminer (glyphs without a Unicode mapping, content it cannot parse, a
page tree it cannot walk, a stream length past the file's end), those pages or files go to the reference, so the
words and the failure reasons are the reference's. The whole corpora are compared Parquet to Parquet in
tests/test_page_sources.py.
"""

from __future__ import annotations

import ctypes
import shutil
from pathlib import Path

import hostile_pdfs as hostile
import numpy as np
import pypdfium2 as pdfium
import pytest

from etl.document import DocumentError
from etl.pagesource import pdfium_calls, pdfium_drawings, pdfium_frame, pdfium_layer, pdfium_native, text_layer
from etl.pagesource.page import Page

#: A CID font (Identity-H) with no ToUnicode: pdfminer writes (cid:N), PDFium guesses letters from the codes.
_CID_FONT = [
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
    b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
    b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
    b"/Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>",
    b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
]


def _model(pages: list[Page]) -> list[tuple]:
    """What the parser reads of each page: texts and counts exactly, positions apart (`_positions`)."""
    return [(p.number, p.width, p.height, [w.text for w in p.words], len(p.hrules), len(p.vrules),
             p.char_count, p.image_count, p.curve_count, p.misdrawn) for p in pages]


def _positions(pages: list[Page]) -> list[float]:
    return [v for p in pages for w in p.words for v in (w.x0, w.x1, w.top, w.bottom)] + [
        v for p in pages for rule in p.hrules + p.vrules for v in rule]


def _outcome(load, path: Path) -> object:
    try:
        return _model(load(path))
    except DocumentError as exc:
        return f"DocumentError: {exc}"


def test_a_real_report_reads_the_same_page_model_from_both_sources(real_pdfs: dict[str, Path]) -> None:
    pdfium_pages = pdfium_layer.load_pages(real_pdfs["social"])
    reference = text_layer.load_pages(real_pdfs["social"])
    assert _model(pdfium_pages) == _model(reference)
    assert max(abs(a - b) for a, b in zip(_positions(pdfium_pages), _positions(reference), strict=True)) < 0.01
    assert sum(len(p.words) for p in pdfium_pages) > 1000


def test_page_size_is_the_number_the_file_wrote_not_its_single_precision_copy(real_pdfs: dict[str, Path]) -> None:
    page = pdfium_layer.load_pages(real_pdfs["template"])[0]
    assert (page.width, page.height) == (595.3, 841.9)  # PDFium holds 595.2999877929688


def test_glyphs_without_a_unicode_mapping_come_out_as_pdfminer_cids(tmp_path: Path) -> None:
    content = hostile.stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET BT /F2 12 Tf 72 700 Td <0012003400560078> Tj ET")
    pdf = tmp_path / "cid.pdf"
    pdf.write_bytes(hostile.one_page(content, resources=b"<< /Font << /F1 4 0 R /F2 8 0 R >> >>", more=_CID_FONT))
    words = [w.text for w in pdfium_layer.load_pages(pdf)[0].words]
    assert words == ["Hello", "(cid:18)(cid:52)(cid:86)(cid:120)"]  # so a garbled page still goes to OCR
    assert _outcome(pdfium_layer.load_pages, pdf) == _outcome(text_layer.load_pages, pdf)


@pytest.mark.parametrize("trap", ["huge_length", "kids_loop", "deep_nesting"])
def test_a_hostile_file_fails_or_reads_as_with_the_reference(trap: str, tmp_path: Path) -> None:
    """A stream /Length of a terabyte (PDFium repairs it, pdfminer runs out of memory), a /Kids loop (PDFium
    cannot load the page), resources nested 100 deep (PDFium drops the page's content): the reference's outcome."""
    pdf = tmp_path / f"{trap}.pdf"
    pdf.write_bytes(hostile.deep_nesting(100) if trap == "deep_nesting" else getattr(hostile, trap)())
    expected = _outcome(text_layer.load_pages, pdf)
    assert _outcome(pdfium_layer.load_pages, pdf) == expected
    assert {"huge_length": str, "kids_loop": list, "deep_nesting": list}[trap] is type(expected)


def test_lines_rectangles_and_curves_give_pdfminers_edges(tmp_path: Path) -> None:
    """Each subpath classified as pdfminer does (line, rectangle, curve), a Bézier by its end points only, closed
    subpaths closed, form XObjects entered: the edges pdfplumber gives, in its order."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "drawings.pdf"
    c = canvas.Canvas(str(pdf))
    c.circle(200, 400, 50)
    c.roundRect(100, 100, 200, 100, 20, stroke=1, fill=0)
    c.line(50, 50, 300, 50)
    c.rect(60, 600, 200, 30, fill=1)
    path = c.beginPath()
    path.moveTo(10, 700)
    path.lineTo(100, 700)
    path.lineTo(100, 760)
    path.close()
    path.moveTo(300, 700)
    path.curveTo(320, 720, 340, 700, 360, 760)
    c.drawPath(path)
    c.beginForm("grid")
    c.line(100, 300, 400, 300)
    c.endForm()
    c.doForm("grid")
    c.showPage()
    c.save()
    import pdfplumber
    import pypdfium2 as pdfium

    with pdfplumber.open(pdf) as reference:
        page = reference.pages[0]
        expected = [(e["x0"], e["x1"], e["top"], e["bottom"], e["orientation"]) for e in page.edges]
        curves = len(page.curves)
    first = pdfium.PdfDocument(str(pdf))[0]
    drawings = pdfium_drawings.Drawings(pdfium_frame.Frame(first))
    drawings.read(first.raw)
    got = [(e["x0"], e["x1"], e["top"], e["bottom"], e["orientation"]) for e in drawings.edges()]
    assert len(got) == len(expected) == 23 and drawings.curves == curves == 4
    for mine, theirs in zip(got, expected, strict=True):
        assert mine[4] == theirs[4] and max(abs(a - b) for a, b in zip(mine[:4], theirs[:4], strict=True)) < 1e-3


def _text_pdf(folder: Path) -> Path:
    """One page showing "Total 12" in Helvetica."""
    from reportlab.pdfgen import canvas

    folder.mkdir()
    c = canvas.Canvas(str(folder / "text.pdf"))
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Total 12")
    c.save()
    return folder / "text.pdf"


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def test_the_compiled_glyph_helper_is_built_into_its_cache_folder(tmp_path: Path, monkeypatch) -> None:
    """Built on first use where a C compiler is (the fresh-clone case), then loaded from the cache."""
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: the Python loop runs (tested identical in test_page_sources)")
    monkeypatch.setenv(pdfium_native.CACHE_ENV, str(tmp_path))
    library = pdfium_native._library()
    assert [p.name for p in tmp_path.iterdir()] == [library.name]  # no temporary file left behind
    built = library.stat().st_mtime_ns
    assert pdfium_native._library() == library and library.stat().st_mtime_ns == built  # not built again
    document = pdfium.PdfDocument(str(_text_pdf(tmp_path / "text")))
    page = document[0]  # held: the text page lives no longer than it
    textpage = pdfium_calls.load_text(ctypes.cast(page.raw, ctypes.c_void_p).value)
    assert pdfium_calls.count_chars(textpage) == len("Total 12")
    native = pdfium_native.Helper(ctypes.CDLL(str(library)))
    found = native.glyphs(textpage, _codes("Total 12"))
    assert found.index.tolist() == list(range(8))  # the space is drawn (not made up by PDFium): kept, as pdfminer
    assert native.glyphs(textpage, _codes("Total\n12")).index.tolist() == [0, 1, 2, 3, 4, 6, 7]  # a newline never
    assert found.object_of.tolist() == [0] * 8 and found.first.tolist() == [0]  # one string shown: one text object
    assert found.size.tolist() == [12.0] and found.font[0] and found.matrix.tolist() == [[1.0, 0.0, 0.0, 1.0]]
    assert found.origin[0].tolist() == [72.0, 720.0] and (found.box[:, 2] > found.box[:, 0]).all()
    pdfium_calls.close_text(textpage)
    page.close()
    document.close()


def test_the_switches_and_a_missing_compiler_choose_the_python_loop(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(pdfium_native.NATIVE_ENV, "0")
    assert pdfium_native.helper() is None
    monkeypatch.delenv(pdfium_native.NATIVE_ENV)
    monkeypatch.setenv(pdfium_native.FALLBACKS_ENV, "1")
    assert pdfium_native.helper() is None
    monkeypatch.delenv(pdfium_native.FALLBACKS_ENV)
    monkeypatch.setenv(pdfium_native.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(pdfium_native.shutil, "which", lambda name: None)
    pdfium_native._built.cache_clear()
    try:
        assert pdfium_native.helper() is None
        page = pdfium_layer.load_pages(_text_pdf(tmp_path / "text"))[0]
        assert [w.text for w in page.words] == ["Total", "12"]
    finally:
        pdfium_native._built.cache_clear()  # the next test builds (or loads) the helper again
