"""Hand-crafted hostile PDFs: bytes written object by object, with a correct xref table, so each
file is a well-formed PDF up to the one trap it sets (a /Kids loop, nesting thousands deep, a
stream /Length past the end of the file, a decompression bomb, an image claiming gigapixels,
actions that would run code if anything executed them)."""

from __future__ import annotations

import zlib
from pathlib import Path

from pypdf import PdfWriter

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"


def assemble(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these objects (object n is objects[n-1]); object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", length: int | None = None) -> bytes:
    size = len(data) if length is None else length
    return b"<< /Length %d %s >>\nstream\n" % (size, extra) + data + b"\nendstream"


def one_page(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>", catalog_extra: bytes = b"",
             more: list[bytes] | None = None) -> bytes:
    """Catalog 1, Pages 2, Page 3, Font 4, content stream 5, then `more` objects from 6."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog_extra,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents 5 0 R >>" % resources,
        FONT,
        content,
        *(more or []),
    ])


def kids_loop() -> bytes:
    """The page tree points back at itself: Pages 2 → Pages 3 → Pages 2 …"""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
    ])


def deep_nesting(depth: int = 100_000) -> bytes:
    """A page whose resources hold arrays and dictionaries nested `depth` levels deep."""
    arrays = b"[" * depth + b"]" * depth
    dicts = b"<< /A " * depth + b"1" + b" >>" * depth
    return one_page(stream(TEXT), resources=b"<< /Font << /F1 4 0 R >> /Deep %s /Deeper %s >>" % (arrays, dicts))


def huge_length() -> bytes:
    """A content stream whose /Length claims a terabyte."""
    return one_page(stream(TEXT, length=1 << 40))


def flate_bomb(gigabytes: int = 4) -> bytes:
    """A content stream of a few MB that inflates to `gigabytes` GiB of zeros.

    Blocks compressed after a full flush are identical, so one is compressed and repeated (the
    final checksum is wrong, which a reader only notices after inflating everything)."""
    block = b"\0" * (1 << 24)
    compressor = zlib.compressobj(9)
    head = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = head + repeat * (gigabytes * 64 - 2) + compressor.flush()
    return one_page(stream(data, b"/Filter /FlateDecode"))


def huge_image(side: int = 200_000) -> bytes:
    """A page drawing an image that claims side × side RGB pixels (120 GB), its data a bomb too."""
    data = zlib.compress(b"\0" * (1 << 24), 9)
    image = stream(data, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                         b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side))
    content = stream(b"q 500 0 0 500 50 150 cm /Im1 Do Q " + TEXT)
    return one_page(content, resources=b"<< /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >>", more=[image])


def active_content(marker: Path) -> bytes:
    """JavaScript on open and a /Launch action that would create `marker` if anything ran them."""
    command = f"touch {marker}".encode()
    js = b"app.alert('x'); this.exportDataObject({cName: 'a', nLaunch: 2});"
    return one_page(
        stream(TEXT),
        catalog_extra=b"/OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 7 0 R] >> >> "
                      b"/AA << /WC 8 0 R >>",
        more=[
            b"<< /S /Launch /F (%s) /Win << /F (cmd.exe) /P (/c %s) >> /Next 7 0 R >>" % (command, command),
            b"<< /S /JavaScript /JS (%s) >>" % js,
            b"<< /S /Launch /F (/bin/sh) /P (-c '%s') >>" % command,
        ],
    )


def many_pages(path: Path, pages: int) -> None:
    """`pages` blank pages (pypdf: a few KB, a second to write)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    with open(path, "wb") as fh:
        writer.write(fh)
