"""Copies of a real PDF rewritten the way other producers and tools rewrite PDFs, to hold the parser to
"same document, same figures" whatever the rewrite.

    rotate_pages(src, dst, angles)      /Rotate on pages (pypdf `page.rotate`), an angle per page (cycled)
    rotate_content(src, dst, angles)    the page's drawing turned by a `cm` rotation inside q … Q on a page
                                        whose MediaBox is swapped (a landscape table on a portrait sheet)
    mutool_convert(src, dst)            `mutool convert`: every stroked ("fake bold") glyph drawn twice,
                                        once filled and once stroked, at the same place
    qpdf_encrypt(src, dst, "rc4"|"aes") "copy protection": empty user password, RC4-128 or AES-256
    make_copies(src, folder)            all of them for one PDF, named after the rewrite

External tools are called as the public does; a missing tool skips the test (fails under JUESUAN_REQUIRE_ALL: CI).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from prerequisites import system_tool
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, NameObject, RectangleObject

__all__ = ["REWRITES", "make_copies", "mutool_convert", "qpdf_encrypt", "rotate_content", "rotate_pages"]


def _tool(name: str) -> str:
    return system_tool(name)  # skipped when absent, failed under JUESUAN_REQUIRE_ALL


def rotate_pages(src: Path, dst: Path, angles: list[int]) -> Path:
    """Set /Rotate on every page: page i gets angles[i % len(angles)] (0 leaves it upright)."""
    writer = PdfWriter(clone_from=PdfReader(src))
    for i, page in enumerate(writer.pages):
        if angles[i % len(angles)]:
            page.rotate(angles[i % len(angles)])
    writer.write(dst)
    return dst


def rotate_content(src: Path, dst: Path, angles: list[int]) -> Path:
    """Draw page i's content turned by angles[i % len(angles)] (90 or 270 counter-clockwise, 0 = as is)
    on an unrotated page of swapped size: the text is rotated in the content stream, not by /Rotate."""
    writer = PdfWriter(clone_from=PdfReader(src))
    for i, page in enumerate(writer.pages):
        angle = angles[i % len(angles)]
        if not angle:
            continue
        box = page.mediabox
        x0, y0, w, h = float(box.left), float(box.bottom), float(box.width), float(box.height)
        shift = (h, 0) if angle == 90 else (0, w)
        page.add_transformation(Transformation().translate(-x0, -y0).rotate(angle).translate(*shift))
        page.mediabox = RectangleObject([0, 0, h, w])
        for name in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            page.pop(NameObject(name), None)
    writer.write(dst)
    return dst


def mutool_convert(src: Path, dst: Path) -> Path:
    """`mutool convert -o dst src`. mupdf re-embeds each font and rebuilds its ToUnicode from the
    font's own cmap; the subsets in these reports carry none, so mupdf ≤ 1.2x writes no ToUnicode and
    the text layer would be lost for a reason that is not the one under test. Each font's ToUnicode is
    therefore carried over from the source font of the same name (codes are unchanged: Identity-H)."""
    proc = subprocess.run([_tool("mutool"), "convert", "-o", str(dst), str(src)], capture_output=True, text=True)
    if proc.returncode != 0 or not dst.exists():
        raise RuntimeError(f"mutool convert failed: {proc.stderr[-500:]}")
    _carry_over_tounicode(src, dst)
    return dst


def _fonts(reader: PdfReader) -> dict[str, object]:
    fonts: dict[str, object] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for ref in (font_dict.get_object().values() if font_dict else []):
            font = ref.get_object()
            fonts.setdefault(str(font.get("/BaseFont")), font)
    return fonts


def _carry_over_tounicode(src: Path, dst: Path) -> None:
    source = {name: f for name, f in _fonts(PdfReader(src)).items() if "/ToUnicode" in f}
    writer = PdfWriter(clone_from=PdfReader(dst))
    for page in writer.pages:
        font_dict = page["/Resources"].get_object().get("/Font")
        for ref in (font_dict.get_object().values() if font_dict else []):
            font = ref.get_object()
            original = source.get(str(font.get("/BaseFont")))
            if "/ToUnicode" not in font and original is not None:
                font[NameObject("/ToUnicode")] = writer._add_object(_stream(_gid_tounicode(original)))
    writer.write(dst)


def _gid_tounicode(font) -> bytes:
    """The source font's ToUnicode re-keyed from its CIDs to glyph ids (mupdf writes glyph ids as codes:
    the source's CIDToGIDMap, when it has one, is applied)."""
    from io import BytesIO

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    umap = FileUnicodeMap()
    CMapParser(umap, BytesIO(font["/ToUnicode"].get_object().get_data())).run()
    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else {}
    gidmap = descendant.get("/CIDToGIDMap")
    table = gidmap.get_object().get_data() if gidmap is not None and hasattr(gidmap.get_object(), "get_data") else None
    entries = []
    for cid, text in umap.cid2unichr.items():
        gid = int.from_bytes(table[2 * cid : 2 * cid + 2], "big") if table and 2 * cid + 2 <= len(table) else cid
        entries.append(f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>")
    body = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
                   for chunk in (entries[i : i + 100] for i in range(0, len(entries), 100)))
    return (_CMAP_HEAD + body + _CMAP_TAIL).encode()


_CMAP_HEAD = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
"""
_CMAP_TAIL = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def _stream(data: bytes) -> DecodedStreamObject:
    obj = DecodedStreamObject()
    obj.set_data(data)
    return obj


def qpdf_encrypt(src: Path, dst: Path, cipher: str) -> Path:
    """Encrypt with an empty user password (opens without asking) and an owner password: RC4-128 or
    AES-256, as "copy protection" tools do."""
    opts = {"rc4": ["128", "--use-aes=n"], "aes": ["256"]}[cipher]
    cmd = [_tool("qpdf"), "--allow-weak-crypto", "--encrypt", "", "owner", *opts, "--", str(src), str(dst)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 3) or not dst.exists():  # 3 = warnings only
        raise RuntimeError(f"qpdf failed: {proc.stderr[-500:]}")
    return dst


REWRITES = {
    "rotate90": lambda s, d: rotate_pages(s, d, [90]),
    "rotate180": lambda s, d: rotate_pages(s, d, [180]),
    "rotate270": lambda s, d: rotate_pages(s, d, [270]),
    "rotate-some": lambda s, d: rotate_pages(s, d, [0, 90, 0, 270, 180]),
    "content-rotated": lambda s, d: rotate_content(s, d, [90, 0, 270]),
    "mutool": mutool_convert,
    "rc4": lambda s, d: qpdf_encrypt(s, d, "rc4"),
    "aes256": lambda s, d: qpdf_encrypt(s, d, "aes"),
}


def make_copies(src: Path, folder: Path, rewrites: list[str] | None = None) -> dict[str, Path]:
    """Each rewrite of `src` as folder/<rewrite>/<src name> (same file name, so truth matches by name)."""
    out = {}
    for name in rewrites or list(REWRITES):
        target = folder / name / src.name
        target.parent.mkdir(parents=True, exist_ok=True)
        out[name] = REWRITES[name](src, target)
    return out


def mismap_glyphs(src: Path, dst: Path, mapping: dict[str, str], pages: list[int] | None = None) -> Path:
    """A copy whose fonts' ToUnicode CMaps map a few Chinese glyphs to other characters (Ghostscript's minority
    mis-mapping: 上 → P, 公 → |, 、 → 1); the glyphs drawn, and so their widths, are unchanged. `pages` (1-based)
    keeps only those pages, to keep an OCR fixture short."""
    from io import BytesIO

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    writer = PdfWriter(clone_from=PdfReader(src))
    if pages is not None:
        for index in sorted((i for i in range(len(writer.pages)) if i + 1 not in pages), reverse=True):
            del writer.pages[index]
    changed = 0
    for font in _fonts(writer).values():
        if "/ToUnicode" not in font:
            continue
        data = font["/ToUnicode"].get_object().get_data()
        umap = FileUnicodeMap()
        CMapParser(umap, BytesIO(data)).run()
        width = 1 if re.search(rb"begincodespacerange\s*<[0-9A-Fa-f]{2}>", data) else 2
        entries = []
        for code, text in sorted(umap.cid2unichr.items()):
            changed += text in mapping
            text = mapping.get(text, text)
            entries.append(f"<{code:0{2 * width}X}> <{text.encode('utf-16-be').hex().upper()}>")
        body = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
                       for chunk in (entries[i : i + 100] for i in range(0, len(entries), 100)))
        space = "<00> <FF>" if width == 1 else "<0000> <FFFF>"
        font[NameObject("/ToUnicode")] = writer._add_object(
            _stream((_CMAP_HEAD.replace("<0000> <FFFF>", space) + body + _CMAP_TAIL).encode()))
    if not changed:
        raise ValueError(f"none of {''.join(mapping)} is drawn by a font of {src.name}")
    writer.write(dst)
    return dst
