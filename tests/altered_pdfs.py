"""Altered copies of a real PDF, edited the way a person editing the PDF would: in the page's content
stream, with the glyphs of the fonts the page already embeds.

A page's text is drawn by text-showing operators (Tj, TJ, ', ") whose strings are glyph codes of the
current font (Tf). For a CID font (Identity-H, two-byte codes) the font's ToUnicode CMap says which
character each code draws; its inverse says which code draws a character *in that subset*. So:

    replace_text(pdf_in, pdf_out, page, old, new)   rewrite `old` (found in the page's decoded text)
                                                    to `new`, each new character drawn with a glyph of
                                                    the font that drew the character it replaces
    drop_text(pdf_in, pdf_out, page, pattern)       drop every text-showing string whose decoded text
                                                    fully matches the regex (e.g. a table's figures)
    drop_page(pdf_in, pdf_out, page)                delete a page
    page_text(pdf, page) / font_chars(pdf, page)    the decoded text; the characters each font can draw

A character the font subset has no glyph for raises GlyphMissing naming the font and listing what
it can draw: an edit never falls back silently to another font or to a wrong glyph. Only when the
caller asks (replace_text(..., fallback_font="Helvetica")) is such a character drawn in a standard,
non-embedded font added to the page, as a PDF editor does when a typed character is not in the subset.
Pages are 1-based. Only the page's own content stream is edited (not Form XObjects); that is where
these reports draw their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, DictionaryObject, NameObject

__all__ = ["AlterError", "GlyphMissing", "drop_page", "drop_text", "font_chars", "page_text", "replace_text"]


class AlterError(ValueError):
    """The edit cannot be made as asked (text not found, ambiguous, unsupported font)."""


class GlyphMissing(AlterError):
    """The font subset that draws the text has no glyph for a character of the new text."""


# -- fonts: code <-> character through the ToUnicode CMap ----------------------------------------------


@dataclass
class _Font:
    name: str                     # resource name (/F1)
    base: str                     # /BaseFont (BAAAAA+FangSong)
    width: int                    # bytes per code (2 for Identity-H)
    to_char: dict[int, str]
    to_code: dict[str, int]

    def decode(self, data: bytes) -> list[tuple[int, str]]:
        """(code, character(s)) of each glyph of a string."""
        w = self.width
        if len(data) % w:
            raise AlterError(f"font {self.base}: string of {len(data)} bytes is not a whole number of {w}-byte codes")
        codes = [int.from_bytes(data[i: i + w], "big") for i in range(0, len(data), w)]
        return [(c, self.to_char.get(c, "\ufffd")) for c in codes]

    def encode(self, text: str, page: int) -> bytes:
        out = bytearray()
        for ch in text:
            if ch not in self.to_code:
                can = "".join(sorted(c for c in self.to_code if c.isprintable()))
                raise GlyphMissing(
                    f"page {page}: font {self.base} ({self.name}) has no glyph for {ch!r} (U+{ord(ch):04X}); "
                    f"the subset draws {len(can)} characters: {can[:300]}{'…' if len(can) > 300 else ''}")
            out += self.to_code[ch].to_bytes(self.width, "big")
        return bytes(out)


def _hex(token: bytes) -> int:
    return int(token, 16)


def _utf16(hexstr: bytes) -> str:
    raw = bytes.fromhex(hexstr.decode("ascii"))
    return raw.decode("utf-16-be", errors="replace")


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_CODESPACE = re.compile(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", re.S)


def _parse_cmap(data: bytes) -> tuple[int, dict[int, str]]:
    """(bytes per code, code -> characters) of a ToUnicode CMap: bfchar and bfrange (both forms)."""
    m = _CODESPACE.search(data)
    width = len(m.group(1)) // 2 if m else 2
    to_char: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            to_char[_hex(src)] = _utf16(dst)
    for block in _BFRANGE.findall(data):
        for lo, hi, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            lo_i, hi_i = _hex(lo), _hex(hi)
            if rest.startswith(b"["):
                for i, dst in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", rest)):
                    to_char[lo_i + i] = _utf16(dst)
            else:
                start = bytes.fromhex(rest[1:-1].decode("ascii"))
                base = int.from_bytes(start, "big")
                for i in range(hi_i - lo_i + 1):
                    to_char[lo_i + i] = (base + i).to_bytes(len(start), "big").decode("utf-16-be", errors="replace")
    return width, to_char


def _fonts(page, number: int) -> dict[str, _Font]:
    resources = page.get("/Resources") or DictionaryObject()
    fonts = resources.get("/Font") or DictionaryObject()
    out = {}
    for name, ref in fonts.items():
        font = ref.get_object()
        base = str(font.get("/BaseFont", name))
        if "/ToUnicode" not in font:
            continue  # cannot be decoded: its text is never matched, never edited
        encoding = str(font.get("/Encoding", ""))
        width, to_char = _parse_cmap(font["/ToUnicode"].get_object().get_data())
        if font.get("/Subtype") == "/Type0" and encoding not in ("/Identity-H", "/Identity-V"):
            raise AlterError(f"page {number}: font {base} uses encoding {encoding}; only Identity-H/V is supported")
        if font.get("/Subtype") != "/Type0":
            width = 1
        to_code: dict[str, int] = {}
        for code, ch in sorted(to_char.items()):
            if len(ch) == 1 and code != 0:
                to_code.setdefault(ch, code)
        out[str(name)] = _Font(str(name), base, width, to_char, to_code)
    return out


# -- the page's text-showing strings ------------------------------------------------------------------


@dataclass
class _Glyph:
    op: int        # index of the operation in the content stream
    item: int      # index of the string among the operation's operands (TJ: in its array)
    pos: int       # index of the glyph in that string
    char: str


@dataclass
class _Page:
    reader: PdfReader
    page: object
    number: int
    fonts: dict[str, _Font]
    content: ContentStream
    glyphs: list[_Glyph]
    strings: dict[tuple[int, int], tuple[_Font, list[tuple[int, str]]]]   # (op, item) -> font, glyphs
    sizes: dict[int, object]      # op -> the font size (Tf operand) it draws with

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def _raw(s) -> bytes:
    """The bytes of a PDF string operand (pypdf may have decoded it to text)."""
    if isinstance(s, bytes):
        return bytes(s)
    original = getattr(s, "original_bytes", None)
    if original is not None:
        return bytes(original)
    return str(s).encode("latin-1")


def _string_slots(operator: bytes, operands: list) -> list[tuple[int, object]]:
    """(item index, string) of each string a text-showing operator draws."""
    if operator in (b"Tj", b"'"):
        return [(0, operands[0])]
    if operator == b'"':
        return [(2, operands[2])]
    if operator == b"TJ":
        return [(i, x) for i, x in enumerate(operands[0]) if isinstance(x, (str, bytes))]
    return []


def _read(pdf: Path | PdfReader, number: int) -> _Page:
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(str(pdf))
    if not 1 <= number <= len(reader.pages):
        raise AlterError(f"page {number} out of range (1–{len(reader.pages)})")
    page = reader.pages[number - 1]
    fonts = _fonts(page, number)
    contents = page.get_contents()
    if contents is None:
        raise AlterError(f"page {number} has no content stream")
    content = contents if isinstance(contents, ContentStream) else ContentStream(contents, reader)
    glyphs: list[_Glyph] = []
    strings = {}
    sizes = {}
    font: _Font | None = None
    size = None
    for i, (operands, operator) in enumerate(content.operations):
        if operator == b"Tf":
            font, size = fonts.get(str(operands[0])), operands[1]
            continue
        for item, s in _string_slots(operator, operands):
            if font is None:
                continue
            decoded = font.decode(_raw(s))
            strings[(i, item)] = (font, decoded)
            sizes[i] = size
            glyphs += [_Glyph(i, item, k, ch) for k, (_, ch) in enumerate(decoded)]
    return _Page(reader, page, number, fonts, content, glyphs, strings, sizes)


def page_text(pdf: Path, page: int) -> str:
    """The page's text as its text-showing operators draw it, in content-stream order, no spaces added."""
    return _read(Path(pdf), page).text


def font_chars(pdf: Path, page: int) -> dict[str, str]:
    """Each font of the page (BaseFont) and the characters its subset can draw."""
    return {f.base: "".join(sorted(f.to_code)) for f in _read(Path(pdf), page).fonts.values()}


# -- editing ---------------------------------------------------------------------------------------------

#: A glyph of an edited string: (code in the string's font, character), or (None, character) for a
#: character drawn in the fallback font; None for a glyph dropped.
_Entry = tuple[int | None, str] | None
_FALLBACK_RESOURCE = "/FAlt"


def _find(text: str, old: str, occurrence: int | None, number: int) -> int:
    starts = [m.start() for m in re.finditer(re.escape(old), text)]
    if not starts:
        raise AlterError(f"page {number}: {old!r} not found in the page's text")
    if occurrence is None:
        if len(starts) > 1:
            raise AlterError(f"page {number}: {old!r} occurs {len(starts)} times; give occurrence= or more context")
        return starts[0]
    if not 0 <= occurrence < len(starts):
        raise AlterError(f"page {number}: {old!r} occurs {len(starts)} times, no occurrence {occurrence}")
    return starts[occurrence]


def _runs(font: _Font, entries: list[_Entry]) -> list[tuple[bool, bytes]]:
    """The kept glyphs of a string as runs: (in the fallback font?, bytes)."""
    runs: list[tuple[bool, bytes]] = []
    for e in entries:
        if e is None:
            continue
        code, ch = e
        fallback = code is None
        data = ch.encode("cp1252") if fallback else code.to_bytes(font.width, "big")
        if runs and runs[-1][0] == fallback:
            runs[-1] = (fallback, runs[-1][1] + data)
        else:
            runs.append((fallback, data))
    return runs


def _rewrite_op(p: _Page, op: int, edits: dict[int, list[_Entry]]) -> list[tuple[list, bytes]]:
    """The operations that replace operation `op` whose strings (by item) are edited."""
    operands, operator = p.content.operations[op]
    font = p.strings[(op, next(iter(edits)))][0]
    runs_by_item = {item: _runs(font, entries) for item, entries in edits.items()}
    if not any(fb for runs in runs_by_item.values() for fb, _ in runs):
        if operator == b"TJ":
            array = ArrayObject(operands[0])
            for item, runs in runs_by_item.items():
                array[item] = ByteStringObject(b"".join(d for _, d in runs))
            return [([array], operator)]
        operands = list(operands)
        for item, runs in runs_by_item.items():
            operands[item] = ByteStringObject(b"".join(d for _, d in runs))
        return [(operands, operator)]
    if operator not in (b"Tj", b"TJ"):
        raise AlterError(f"page {p.number}: a fallback-font character inside a {operator.decode()} operator")
    # split the operator: strings in the page's font, then Tf fallback / Tj / Tf back, and so on; the text
    # position advances over each piece as it would over the whole string
    size = p.sizes[op]
    items = list(operands[0]) if operator == b"TJ" else [operands[0]]
    out: list[tuple[list, bytes]] = []
    pending: list = []

    def flush() -> None:
        if pending:
            out.append(([ArrayObject(pending.copy())], b"TJ"))
            pending.clear()

    for i, x in enumerate(items):
        if i not in runs_by_item:
            pending.append(x)
            continue
        for fallback, data in runs_by_item[i]:
            if not fallback:
                pending.append(ByteStringObject(data))
                continue
            flush()
            out.append(([NameObject(_FALLBACK_RESOURCE), size], b"Tf"))
            out.append(([ByteStringObject(data)], b"Tj"))
            out.append(([NameObject(font.name), size], b"Tf"))
    flush()
    return out


def _write(p: _Page, edits: dict[tuple[int, int], list[_Entry]], pdf_out: Path, fallback_font: str | None) -> None:
    """Apply the edited strings and save the document to pdf_out."""
    by_op: dict[int, dict[int, list[_Entry]]] = {}
    for (op, item), entries in edits.items():
        by_op.setdefault(op, {})[item] = entries
    ops = []
    for i, operation in enumerate(p.content.operations):
        ops.extend(_rewrite_op(p, i, by_op[i]) if i in by_op else [operation])
    p.content.operations = ops
    writer = PdfWriter(clone_from=p.reader)
    page = writer.pages[p.number - 1]
    if fallback_font is not None and any(e is not None and e[0] is None for v in edits.values() for e in v):
        resources = page[NameObject("/Resources")]
        fonts = resources[NameObject("/Font")]
        fonts[NameObject(_FALLBACK_RESOURCE)] = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/" + fallback_font),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    page.replace_contents(p.content)
    pdf_out = Path(pdf_out)
    pdf_out.parent.mkdir(parents=True, exist_ok=True)
    with open(pdf_out, "wb") as fh:
        writer.write(fh)


def _entries(p: _Page) -> dict[tuple[int, int], list[_Entry]]:
    return {key: list(decoded) for key, (_, decoded) in p.strings.items()}


#: The standard 14 fonts a reader always has (no embedding): a fallback font must be one of them.
STANDARD_FONTS = ("Helvetica", "Helvetica-Bold", "Times-Roman", "Times-Bold", "Courier", "Courier-Bold")


def _entry(font: _Font, ch: str, page: int, fallback_font: str | None) -> tuple[int | None, str]:
    if ch in font.to_code:
        return font.to_code[ch], ch
    if fallback_font is not None and ch.isascii() and ch.isprintable():
        return None, ch
    font.encode(ch, page)  # raises GlyphMissing with the font's repertoire
    raise AssertionError("unreachable")


def replace_text(pdf_in: Path, pdf_out: Path, page_number: int, old: str, new: str, *,
                 occurrence: int | None = None, fallback_font: str | None = None) -> None:
    """Rewrite `old` to `new` on one page (`old` must occur once, or give `occurrence`, 0-based).

    Only the part that differs is touched (common prefix and suffix kept): its characters replace the
    old ones glyph for glyph, each in the font of the glyph it replaces; extra new characters follow
    the last replaced glyph in its font; extra old glyphs are dropped. A character that font has no
    glyph for raises GlyphMissing — unless `fallback_font` (one of STANDARD_FONTS) is given and the
    character is printable ASCII: it is then drawn in that font (added to the page's resources, not
    embedded), as a PDF editor does when the embedded subset lacks a typed character."""
    if fallback_font is not None and fallback_font not in STANDARD_FONTS:
        raise AlterError(f"fallback font {fallback_font!r} is not one of {STANDARD_FONTS}")
    p = _read(Path(pdf_in), page_number)
    if any(len(g.char) != 1 for g in p.glyphs):  # text index = glyph index only when each draws one character
        raise AlterError(f"page {page_number}: a glyph decodes to several characters (a ligature); not supported")
    start = _find(p.text, old, occurrence, page_number)
    pre = 0
    while pre < min(len(old), len(new)) and old[pre] == new[pre]:
        pre += 1
    suf = 0
    while suf < min(len(old), len(new)) - pre and old[len(old) - 1 - suf] == new[len(new) - 1 - suf]:
        suf += 1
    old_part = p.glyphs[start + pre: start + len(old) - suf]
    new_part = new[pre: len(new) - suf]
    if not old_part and not new_part:
        raise AlterError(f"page {page_number}: {old!r} and {new!r} are the same text")
    edits = _entries(p)
    touched: set[tuple[int, int]] = set()

    def font_of(g: _Glyph) -> _Font:
        touched.add((g.op, g.item))
        return p.strings[(g.op, g.item)][0]

    if not old_part:  # a pure insertion: after the glyph before it (or before the glyph after it)
        after = start + pre > 0
        anchor = p.glyphs[start + pre - 1] if after else p.glyphs[start + pre]
        font = font_of(anchor)
        at = anchor.pos + 1 if after else anchor.pos
        edits[(anchor.op, anchor.item)][at:at] = [_entry(font, ch, page_number, fallback_font) for ch in new_part]
    else:
        paired = min(len(old_part), len(new_part))
        for g, ch in zip(old_part[:paired], new_part[:paired], strict=True):
            edits[(g.op, g.item)][g.pos] = _entry(font_of(g), ch, page_number, fallback_font)
        for g in old_part[paired:]:
            font_of(g)
            edits[(g.op, g.item)][g.pos] = None
        if len(new_part) > paired:  # paired >= 1 here: old_part and new_part are both non-empty
            last = old_part[paired - 1]
            font = font_of(last)
            edits[(last.op, last.item)][last.pos + 1: last.pos + 1] = [
                _entry(font, ch, page_number, fallback_font) for ch in new_part[paired:]]
    _write(p, {k: edits[k] for k in touched}, Path(pdf_out), fallback_font)


def drop_text(pdf_in: Path, pdf_out: Path, page_number: int, pattern: str) -> int:
    r"""Drop, on one page, every string a text-showing operator draws whose decoded text fully matches
    the regex `pattern` (e.g. r"[\d,]+\.\d{2}" blanks a table's figures). Returns how many were
    dropped; AlterError when none matched."""
    p = _read(Path(pdf_in), page_number)
    regex = re.compile(pattern)
    edits: dict[tuple[int, int], list[_Entry]] = {}
    for key, (_, decoded) in p.strings.items():
        text = "".join(ch for _, ch in decoded)
        if text and regex.fullmatch(text):
            edits[key] = []
    if not edits:
        raise AlterError(f"page {page_number}: no drawn string matches {pattern!r}")
    _write(p, edits, Path(pdf_out), None)
    return len(edits)


def drop_page(pdf_in: Path, pdf_out: Path, page_number: int) -> None:
    """Delete one page (the rest of the document, its fonts and outline, kept)."""
    writer = PdfWriter(clone_from=str(pdf_in))
    if not 1 <= page_number <= len(writer.pages):
        raise AlterError(f"page {page_number} out of range (1–{len(writer.pages)})")
    writer.remove_page(page_number - 1)
    pdf_out = Path(pdf_out)
    pdf_out.parent.mkdir(parents=True, exist_ok=True)
    with open(pdf_out, "wb") as fh:
        writer.write(fh)
