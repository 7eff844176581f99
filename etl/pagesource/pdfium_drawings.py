"""The vector drawing of a page read by PDFium, as pdfminer sees it: pdfplumber's edges, images and curves.

Each path is split into subpaths, each classified as pdfminer's converter does (a line, a rectangle or a
curve: LTLine, LTRect, LTCurve), a Bézier by its end point; form XObjects are entered. The edges come in
pdfplumber's order (lines, rectangles' edges, curves' edges) for `text_layer.ruling_lines`.

With the compiled helper the whole walk is one C call per page (`Helper.drawing`, the same arithmetic in the same
order) giving the edges as an `EdgeTable`, whose rules are found in one more call (over arrays without the helper)
and whose dicts are made only when asked for (a turned page); without it, or on forms nested deeper than the C
walk goes, the Python loop below.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Literal, NamedTuple

import numpy as np
import pypdfium2.raw as raw

from etl.pagesource.pdfium_calls import (
    form_count,
    form_object,
    object_matrix,
    object_type,
    page_object,
    path_segment,
    segment_close,
    segment_count,
    segment_point,
    segment_type,
)
from etl.pagesource.pdfium_frame import Frame, as_tuple, compose
from etl.pagesource.pdfium_native import Helper, helper

_LINE_SHAPES = ("ml", "mlh")
_MOVETO, _BEZIER = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
_RECT_SHAPES = ("mlllh", "mllll")
_PASSED_OVER = -1  # the compiled helper's type for a Bézier control point
_ORIENTATIONS = ("h", "v", None)  # the compiled helper's orientation codes 0, 1, 2


class EdgeTable(NamedTuple):
    """Edges as columns (from the compiled helper), in pdfplumber's order: what `text_layer.ruling_lines` needs
    without a dict per edge."""

    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    code: np.ndarray  # pdfplumber's orientation: 0 "h", 1 "v", 2 none (a slanted curve chord)
    values: np.ndarray  # the helper's n × 5 array itself, for its rules (`Helper.rules`)

    @classmethod
    def of(cls, values: np.ndarray) -> EdgeTable:
        """From the helper's n × 5 array (x0, x1, top, bottom, code): its columns as views."""
        return cls(values[:, 0], values[:, 1], values[:, 2], values[:, 3], values[:, 4].astype(np.intp), values)

    def labelled(self, orientation: str) -> np.ndarray:
        """Which edges pdfplumber labels `orientation` ("h" or "v")."""
        return self.code == _ORIENTATIONS.index(orientation)

    def dicts(self) -> list[dict]:
        """The edges as pdfplumber's dicts (the Python loop's, value for value)."""
        labels = [_ORIENTATIONS[k] for k in self.code.tolist()]
        columns = (self.x0.tolist(), self.x1.tolist(), self.top.tolist(), self.bottom.tolist(), labels)
        return [{"x0": x0, "x1": x1, "top": top, "bottom": bottom, "orientation": o}
                for x0, x1, top, bottom, o in zip(*columns, strict=True)]


_NO_EDGES = EdgeTable.of(np.empty((0, 5)))  # a page drawn with text alone (most pages)


class Drawings:
    """pdfminer's view of the page's vector drawing: each path split into subpaths, each subpath a line, a
    rectangle or a curve (LTLine, LTRect, LTCurve), and the images; form XObjects entered."""

    def __init__(self, frame: Frame, native: Helper | None | Literal["ask"] = "ask") -> None:
        """`native`: the compiled helper (or None for the Python loop) where the caller asked for it already, once
        a document (asking reads the environment, ~5 µs); else asked here."""
        self.frame = frame
        self.native = helper() if native == "ask" else native
        # user space to the displayed page, y still up (flipped from `frame.height` per point)
        self.page = frame.ctm[:4] + (frame.ctm[4] + frame.x_shift, frame.ctm[5])
        self.lines: list[dict] = []
        self.rects: list[dict] = []
        self.curve_edges: list[dict] = []
        self.curves = 0
        self.images = 0
        self.table: EdgeTable | None = None  # the compiled helper's edges (lines, rects, curves stay empty)

    def edges(self) -> list[dict]:
        """In pdfplumber's order: lines, then rectangles' edges, then curves' edges."""
        if self.table is not None:
            return self.table.dicts()
        return self.lines + self.rects + self.curve_edges

    def edge_table(self) -> list[dict] | EdgeTable:
        """The edges for `text_layer.page_from_objects`: the helper's columns, else the Python loop's dicts."""
        return self.edges() if self.table is None else self.table

    def read(self, page_raw) -> None:
        page = ctypes.cast(page_raw, ctypes.c_void_p).value
        if self.native is not None:
            drawing = self.native.drawing(page, self.page, self.frame.height, _BEZIER)
            if drawing is not None:
                self.table = EdgeTable.of(drawing.edges) if len(drawing.edges) else _NO_EDGES
                self.images, self.curves = drawing.images, drawing.curves
                return
        count = raw.FPDFPage_CountObjects(page_raw)
        self._objects([page_object(page, i) for i in range(count)], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))

    def _objects(self, objects: list[int], outer: tuple) -> None:
        matrix = raw.FS_MATRIX()
        for obj in objects:
            kind = object_type(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                self.images += 1
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                object_matrix(obj, matrix)
                self._path(obj, compose(compose(as_tuple(matrix), outer), self.page))
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                object_matrix(obj, matrix)
                inner = [form_object(obj, i) for i in range(form_count(obj))]
                self._objects(inner, compose(as_tuple(matrix), outer))

    def _path(self, obj: int, matrix: tuple) -> None:
        """The path's subpaths in pdfminer's terms: a shape (m, l, c, h) and its points, a Bézier's end point only
        (PDFium stores a Bézier as three points, pdfminer's curve keeps the last)."""
        a, b, c, d, e, f = matrix
        height = self.frame.height
        shape: list[str] = []
        points: list[tuple[float, float]] = []
        for kind, closes, x, y in self._segments(obj):
            if kind == _MOVETO and shape:
                self._subpath("".join(shape), points)
                shape, points = [], []
            points.append((a * x + c * y + e, height - (b * x + d * y + f)))
            shape.append("m" if kind == _MOVETO or not shape else "c" if kind == _BEZIER else "l")
            if closes:
                shape.append("h")
                points.append(points[0])
        if shape:
            self._subpath("".join(shape), points)

    def _segments(self, obj: int) -> Iterator[tuple[int, int, float, float]]:
        """Each segment the path keeps (a Bézier's two control points passed over): type, whether it closes the
        subpath, its point; from the compiled helper in one call, else a few PDFium calls per segment."""
        count = segment_count(obj)
        if self.native is not None:
            kinds, closes, point = self.native.path(obj, count, _BEZIER)
            for i, kind in enumerate(kinds):
                if kind != _PASSED_OVER:
                    yield kind, closes[i], point[2 * i], point[2 * i + 1]
            return
        x, y = ctypes.c_float(), ctypes.c_float()
        at_x, at_y, path = ctypes.byref(x), ctypes.byref(y), ctypes.c_void_p(obj)
        controls = 0
        for i in range(count):
            segment = path_segment(path, i)
            kind = segment_type(segment)
            if kind == _BEZIER:
                controls = (controls + 1) % 3
                if controls:
                    continue
            segment_point(segment, at_x, at_y)
            yield kind, segment_close(segment), x.value, y.value

    def _subpath(self, shape: str, points: list) -> None:
        """One subpath (points on the displayed page) as pdfminer's converter classifies it (PDFLayoutAnalyzer.
        paint_path, which tests its points after the page's rotation too)."""
        if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
            shape, points = shape[:-2] + "h", points[:-2] + points[-1:]
        if shape in _LINE_SHAPES:
            self.lines.append(_edge(points[0], points[1], line=True))
        elif shape in _RECT_SHAPES and _square(points):
            self.rects.extend(_rect_edges(points[0], points[2]))
        elif len(shape) > 1:
            self.curves += 1
            self.curve_edges.extend(_edge(p, q) for p, q in zip(points, points[1:], strict=False))


def _square(points: list) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    closed = points[0] == points[4]
    return closed and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                       or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))


def _edge(p: tuple, q: tuple, line: bool = False) -> dict:
    top, bottom = min(p[1], q[1]), max(p[1], q[1])
    # pdfplumber labels a line "h" only when its ends' y are equal, a curve's chord by either axis
    orientation = ("h" if top == bottom else "v") if line else ("v" if p[0] == q[0] else "h" if p[1] == q[1] else None)
    return {"x0": min(p[0], q[0]), "x1": max(p[0], q[0]), "top": top, "bottom": bottom, "orientation": orientation}


def _rect_edges(p: tuple, q: tuple) -> list[dict]:
    """pdfplumber's rect_to_edges: top, bottom, left, right."""
    x0, x1 = min(p[0], q[0]), max(p[0], q[0])
    top, bottom = min(p[1], q[1]), max(p[1], q[1])
    return [{"x0": x0, "x1": x1, "top": top, "bottom": top, "orientation": "h"},
            {"x0": x0, "x1": x1, "top": bottom, "bottom": bottom, "orientation": "h"},
            {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "orientation": "v"},
            {"x0": x1, "x1": x1, "top": top, "bottom": bottom, "orientation": "v"}]
