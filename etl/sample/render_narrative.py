"""Flowing narrative text: headings and paragraphs on portrait pages.

With `number_font`, digit runs are set in Times-Roman a little off the baseline, as in the
ONLYOFFICE-made real report; the CJK text stays in the embedded CJK font. With the Doc's `wrap_anywhere`,
a line breaks at whatever character fills it, inside a number or between 万 and 元 too, as some real
producers wrap CJK text (catalogue 2026-12-05 §8); each break is recorded in `doc.wraps`.
"""

from __future__ import annotations

import re

from etl.sample import fonts
from etl.sample.pages import Doc

NUM_RUN = re.compile(r"[0-9][0-9,.]*%?")
NOBREAK_START = set("，。、；：）》”％%")


def _runs(text: str, number_font: bool) -> list[tuple[str, bool]]:
    """Split text into (piece, is_number) runs."""
    if not number_font:
        return [(text, False)]
    out, pos = [], 0
    for m in NUM_RUN.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


class Flow:
    def __init__(self, doc: Doc, number_font: bool = False, size: float = 12.5, margin: float = 72, rise: float = 0.8):
        self.doc, self.number_font, self.size, self.margin, self.rise = doc, number_font, size, margin, rise
        self.y = 0.0
        self.leading = size * 1.9
        self.line_pages: list[tuple[int, int]] = []  # (offset in the text, page) of each line of the last paragraph

    def new_page(self) -> None:
        self.doc.new_page(False)
        self.y = self.doc.size[1] - 72

    def ensure(self, h: float) -> None:
        if not self.doc.started or self.doc.landscape or self.y - h < 60:
            self.new_page()

    def heading(self, text: str, size: float | None = None, center: bool = False, space: float = 10) -> None:
        size = size or self.size + 1.5
        self.ensure(size * 2 + space)
        self.y -= space + size
        c = self.doc.c
        c.setFont(fonts.CJK, size)
        w = self.doc.size[0]
        if center:
            c.drawCentredString(w / 2, self.y, text)
        else:
            c.drawString(self.margin, self.y, text)
        # a second pass slightly offset gives the heading a bold look without a bold face
        c.setFont(fonts.CJK, size)
        self.y -= size * 0.8

    def _tokens(self, text: str) -> list[tuple[str, bool, float]]:
        toks = self._words(text)
        if not self.doc.wrap_anywhere:
            return toks
        font = {True: fonts.LATIN, False: fonts.CJK}
        return [(ch, is_num, fonts.width(ch, font[is_num and self.number_font], self.size))
                for piece, is_num, _ in toks for ch in piece]

    def _words(self, text: str) -> list[tuple[str, bool, float]]:
        toks = []
        for piece, is_num in _runs(text, self.number_font):
            font = fonts.LATIN if is_num else fonts.CJK
            if is_num:
                toks.append((piece, True, fonts.width(piece, font, self.size)))
            else:
                for m in re.finditer(r"[A-Za-z0-9.,%]+|.", piece):
                    toks.append((m.group(), False, fonts.width(m.group(), font, self.size)))
        return toks

    def paragraph(self, text: str, indent: bool = True) -> None:
        width = self.doc.size[0] - 2 * self.margin
        toks = self._tokens(text)
        lines: list[list[tuple[str, bool, float]]] = [[]]
        cur = self.size * 2 if indent else 0.0
        for tok in toks:
            if lines[-1] and cur + tok[2] > width and tok[0][0] not in NOBREAK_START:
                lines.append([])
                cur = 0.0
            lines[-1].append(tok)
            cur += tok[2]
        if self.doc.wrap_anywhere:
            texts = ["".join(tok[0] for tok in line) for line in lines]
            self.doc.wraps += [(a[-8:], b[:8]) for a, b in zip(texts, texts[1:], strict=False)]
        c = self.doc.c
        self.line_pages = []
        offset = 0
        for n, line in enumerate(lines):
            self.ensure(self.leading)
            self.line_pages.append((offset, self.doc.page))
            offset += sum(len(tok[0]) for tok in line)
            self.y -= self.leading
            x = self.margin + (self.size * 2 if indent and n == 0 else 0)
            t = c.beginText(x, self.y)
            for piece, is_num, _w in line:
                if is_num:
                    t.setFont(fonts.LATIN, self.size)
                    t.setRise(self.rise)
                    t.textOut(piece)
                    t.setRise(0)
                else:
                    t.setFont(fonts.CJK, self.size)
                    t.textOut(piece)
            c.drawText(t)

    def page_of(self, offset: int) -> int:
        """The page the character at `offset` of the last paragraph was printed on."""
        return max((page for start, page in self.line_pages if start <= offset), default=self.doc.page)

    def gap(self, h: float) -> None:
        self.y -= h
