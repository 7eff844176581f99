"""The compiled walk of a page's drawing (`Helper.drawing`, one C call per page) gives the Python walk's edges,
counts and rules bit for bit, on the subpaths pdfminer classifies oddly, turned pages, nested forms and paths
too long for the helper's first buffers. The corpora are compared in tests/test_page_sources.py."""

from __future__ import annotations

import pickle

import pypdfium2 as pdfium
import pytest
from hostile_pdfs import assemble, stream

from etl.pagesource import pdfium_drawings, pdfium_frame, pdfium_native, text_layer

#: Paths pdfminer reads as lines, rectangles or curves, and some that only look like one.
_ODD_SUBPATHS = b"""
10 10 m 100 10 l S
10 20 m 100 20 l h S
10 30 m 100 30 l 100 60 l 10 60 l h S
10 30 m 100 30 l 100 60 l 10 60 l 10 30 l h S
10 30 m 100 30 l 100 60 l 10 60 l 10 30 l S
10 30 m 100 30 l 100 60 l 10 61 l 10 30 l S
10 70 m 50 80 60 90 100 70 c 120 70 l S
10 100 m S
10 110 m 20 110 l h 30 120 l S
200 200 300 50 re f
-0 0 m 0 -0 l 0 0 l S
0 -0 m -0 40 l S
10 10 m 20 10 l 30 30 m 40 30 l 40 40 l 30 40 l h 50 50 m 60 50.0001 l S
q 1 0 0 -1 0 800 cm 10 10 m 100 10 l S 20 20 60 60 re S Q
q 0.8660254 0.5 -0.5 0.8660254 100 100 cm 0 0 m 100 0 l S 0 0 50 50 re S Q
q 0.1 0 0 0.1 0.3 0.7 cm 1 1 m 1000.3 1 l 1000.3 700.1 l 1 700.1 l h S Q
BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI
/Fm0 Do
"""

_FORM = b"q 0 1 -1 0 300 0 cm 5 5 m 400 5 l S 30 30 100 100 re f 0 0 m 10 20 30 40 50 60 c h S Q /Fm1 Do"


def _document(rotations: tuple[int, ...] = (0, 90, 180, 270)) -> bytes:
    """One page per /Rotate, each drawing `_ODD_SUBPATHS` (a form inside a form among them)."""
    pages = 3 + len(rotations)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + k) for k in
                                                                      range(len(rotations))), len(rotations)),
               stream(_ODD_SUBPATHS)]
    resources = b"<< /XObject << /Fm0 %d 0 R >> >>" % (pages + 1)
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 841.9] /Rotate %d /Resources %s "
                b"/Contents 3 0 R >>" % (rotation, resources) for rotation in rotations]
    inner = b"<< /XObject << /Fm1 %d 0 R >> >>" % (pages + 2)
    objects.append(stream(_FORM, b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Matrix [1 0 0 1 7.1 3.3] "
                                 b"/Resources " + inner))
    objects.append(stream(b"0.5 0 0 2 1 1 cm 10 10 m 10 500 l S", b"/Type /XObject /Subtype /Form /BBox [0 0 600 800]"))
    return assemble(objects)


def _nested_forms(depth: int) -> bytes:
    """Form XObjects nested `depth` deep, each shifting and drawing a line (PDFium stops entering them at 40)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /F 5 0 R >> >> "
               b"/Contents 4 0 R >>", stream(b"/F Do")]
    for level in range(depth):
        more = b"/F Do" if level + 1 < depth else b""
        resources = b"<< /XObject << /F %d 0 R >> >>" % (6 + level) if more else b"<< >>"
        objects.append(stream(b"1 0 0 1 0.5 0.25 cm 10 10 m 200 10 l S " + more,
                              b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources " + resources))
    return assemble(objects)


def _long_path(segments: int) -> bytes:
    """One path of `segments` line segments (a curve to pdfminer) and many one-line paths: past the helper's first
    edge and subpath buffers."""
    zigzag = b" ".join(b"%d %d l" % (k % 500, (k * 7) % 700) for k in range(segments))
    lines = b" ".join(b"%d 5 m %d 700 l" % (k % 590, k % 590) for k in range(segments // 10))
    content = b"0 0 m " + zigzag + b" S " + lines + b" S"
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", stream(content)])


def _read(data: bytes) -> list[tuple]:
    """Each page's drawing: edges (dicts), images, curves and rules (from what `page_from_objects` is given)."""
    document = pdfium.PdfDocument(data)
    pages = []
    try:
        for page in document:
            drawings = pdfium_drawings.Drawings(pdfium_frame.Frame(page))
            drawings.read(page.raw)
            rules = text_layer.ruling_lines(drawings.edge_table())
            pages.append((drawings.edges(), drawings.images, drawings.curves, rules))
            page.close()
    finally:
        document.close()
    return pages


@pytest.mark.parametrize("make", [_document, lambda: _nested_forms(60), lambda: _long_path(30_000)],
                         ids=["odd_subpaths", "nested_forms", "long_path"])
def test_the_compiled_drawing_walk_gives_the_python_walks_bits(make, monkeypatch: pytest.MonkeyPatch) -> None:
    if pdfium_native.helper() is None:
        pytest.skip("no compiled helper here (no C compiler?): only the Python loop runs")
    data = make()
    compiled = _read(data)
    monkeypatch.setenv(pdfium_native.NATIVE_ENV, "0")
    fallback = _read(data)
    assert any(edges for edges, *_ in compiled)
    assert pickle.dumps(compiled) == pickle.dumps(fallback)  # -0.0 and 0.0 told apart
    for edges, _images, _curves, rules in fallback:
        assert repr(text_layer.ruling_lines(edges)) == repr(rules)


def test_the_compiled_walk_counts_images_curves_and_enters_forms() -> None:
    if pdfium_native.helper() is None:
        pytest.skip("no compiled helper here (no C compiler?)")
    first = _read(_document((0,)))[0]
    edges, images, curves, (h, v) = first
    assert images == 1 and curves > 3 and h and v
    assert len(_read(_nested_forms(60))[0][0]) == 40  # PDFium enters 40 levels of forms, the walk all it is given


def test_a_page_the_compiled_walk_cannot_take_is_read_by_the_python_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forms nested deeper than the C walk goes (PDFium stops sooner, so it is forced here): the Python walk."""
    if pdfium_native.helper() is None:
        pytest.skip("no compiled helper here (no C compiler?)")
    data = _document()
    expected = _read(data)
    monkeypatch.setattr(pdfium_native.Helper, "drawing", lambda *args: None)
    assert pickle.dumps(_read(data)) == pickle.dumps(expected)
