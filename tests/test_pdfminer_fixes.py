"""pdfminer's recovery of corrupted Flate data, made linear, must return exactly what pdfminer's
own byte-by-byte version returns (or raise where it raises)."""

from __future__ import annotations

import random
import zlib

import pytest
from pdfminer import pdftypes

import etl.pages  # noqa: F401  (importing the page reader applies the fix)
from etl.pdfminer_fixes import decompress_corrupted


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
    from etl.parse import parse_pdf

    data = bytearray(real_pdfs["finance"].read_bytes())
    data[int(len(data) * 0.14)] ^= 0xFF
    path = tmp_path / "flipped.pdf"
    path.write_bytes(bytes(data))
    doc = parse_pdf(path, "flipped")
    assert doc.document["status"] == "ok" and doc.document["department"] == "上海市普陀区财政局"
