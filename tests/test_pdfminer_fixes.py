"""pdfminer's recovery of corrupted Flate data, made linear, must return exactly what pdfminer's
own byte-by-byte version returns (or raise where it raises)."""

from __future__ import annotations

import random
import zlib

import pytest
from pdfminer import pdftypes
from pypdf import PdfReader

import etl.pagesource.text_layer  # noqa: F401  (importing the text-layer reader applies the fix)
from etl.pagesource.pdfminer_fixes import decompress_corrupted


def _pdfminer_reference(data: bytes) -> bytes:
    """pdfminer.six's algorithm, kept here as the reference the fix must match."""
    d = zlib.decompressobj()
    result, i = b"", 0
    try:
        for i in range(len(data)):
            result += d.decompress(data[i : i + 1])
    except zlib.error:
        if i < len(data) - 3:
            raise
    return result


def _corpus() -> list[bytes]:
    rng = random.Random(7)
    text = bytes(rng.randrange(32, 127) for _ in range(300_000))
    good = zlib.compress(text)
    bad_crc = good[:-2] + bytes([good[-2] ^ 0xFF, good[-1]])
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x55
    return [good, bad_crc, good[: len(good) // 3], bytes(flipped), good[:-4]]


def test_the_fix_is_installed():
    assert pdftypes.decompress_corrupted is decompress_corrupted


@pytest.mark.parametrize("case", range(5), ids=["intact", "bad-checksum", "truncated", "flipped", "no-checksum"])
def test_same_result_or_same_error_as_pdfminer(case):
    data = _corpus()[case]
    try:
        expected = _pdfminer_reference(data)
    except zlib.error:
        with pytest.raises(zlib.error):
            decompress_corrupted(data)
        return
    assert decompress_corrupted(data) == expected


def test_real_pdf_with_a_flipped_byte_in_its_font_is_read(real_pdfs, tmp_path):
    """Found by fuzzing: this one-byte change kept pdfminer busy past any sensible time limit."""
    from etl.parsing.parse import parse_pdf

    data = bytearray(real_pdfs["finance"].read_bytes())
    data[int(len(data) * 0.14)] ^= 0xFF
    path = tmp_path / "flipped.pdf"
    path.write_bytes(bytes(data))
    doc = parse_pdf(path, "flipped")
    assert doc.document["status"] == "ok" and doc.document["department"] == "上海市普陀区财政局"


# -- RC4: pdfminer's Arcfour is quadratic; the fix must be the same cipher --------------------------


def test_rc4_fix_is_installed_where_pdfminer_decrypts():
    from pdfminer import arcfour, pdfdocument

    from etl.pagesource.pdfminer_fixes import Arcfour

    assert pdfdocument.Arcfour is Arcfour and arcfour.Arcfour is Arcfour


def _pdfminer_rc4(key: bytes, data: bytes) -> bytes:
    """pdfminer.six's Arcfour (kept here: the module's class is replaced once etl.pagesource.text_layer is imported)."""
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = b""
    for c in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out += bytes((c ^ s[(s[i] + s[j]) % 256],))
    return out


@pytest.mark.parametrize("key_len", [5, 7, 10, 12, 16])  # 12 bytes: no OpenSSL ARC4 size, Python path
def test_rc4_matches_pdfminer_for_every_pdf_key_length(key_len):
    from etl.pagesource.pdfminer_fixes import Arcfour

    rng = random.Random(key_len)
    key = bytes(rng.randrange(256) for _ in range(key_len))
    data = bytes(rng.randrange(256) for _ in range(5000))
    assert Arcfour(key).decrypt(data) == _pdfminer_rc4(key, data)
    cipher = Arcfour(key)  # a stream cipher: two calls continue the key stream
    assert cipher.process(data[:1234]) + cipher.process(data[1234:]) == _pdfminer_rc4(key, data)


def test_rc4_python_path_matches_pdfminer():
    """The pure-Python path (an OpenSSL without RC4, or a key length its ARC4 does not take)."""
    from etl.pagesource.pdfminer_fixes import Arcfour

    key, data = b"\x01\x02\x03\x04\x05", bytes(range(256)) * 8
    assert Arcfour(key, openssl=False).process(data) == _pdfminer_rc4(key, data)


def test_rc4_protected_real_pdf_reads_like_the_original(real_pdfs, tmp_path):
    """qpdf RC4-128 "copy protection" with an empty user password: pdfminer took ~400 s on this file."""
    from producer_copies import qpdf_encrypt

    from etl.parsing.parse import parse_pdf

    protected = qpdf_encrypt(real_pdfs["social"], tmp_path / "rc4.pdf", "rc4")
    encrypt = PdfReader(protected).trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"], encrypt["/Length"]) == (2, 3, 128)  # RC4, 128-bit key
    doc, original = parse_pdf(protected, "same"), parse_pdf(real_pdfs["social"], "same")
    assert doc.document["status"] == "ok" and doc.document["department"] == original.document["department"]
    assert doc.rows == original.rows


# -- font Descent: a rewriter's impossible Descent must not drop glyphs a line down -------------------


class _Font:
    def __init__(self, ascent: float, descent: float, vscale: float = 0.001):
        self.ascent, self.descent, self.vscale = ascent, descent, vscale


def test_plausible_descent_is_left_alone():
    from etl.pagesource.pdfminer_fixes import get_descent

    assert get_descent(_Font(880, -120)) == pytest.approx(-0.12)
    assert get_descent(_Font(1420, -442)) == pytest.approx(-0.442)  # ONLYOFFICE's Times New Roman
    assert get_descent(_Font(0, 0)) == 0


def test_descent_deeper_than_half_an_em_is_rescaled_by_its_span():
    from pdfminer.pdffont import PDFFont

    from etl.pagesource.pdfminer_fixes import MAX_DESCENT, get_descent

    assert PDFFont.get_descent is get_descent
    assert get_descent(_Font(1810, -1050)) == pytest.approx(-1050 / 2860)  # mupdf's rewrite of Noto Sans KR
    assert get_descent(_Font(100, -900)) == -MAX_DESCENT  # span under an em: clamped
