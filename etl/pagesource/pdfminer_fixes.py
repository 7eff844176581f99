"""Fixes to pdfminer.six applied when juesuan reads PDFs: two quadratic loops made linear, and
glyph boxes kept near their baseline when a font descriptor's Descent is impossible.

Flate recovery: pdfminer recovers a corrupted Flate stream by feeding zlib one byte at a time and concatenating
bytes objects: quadratic, so one flipped byte in a 1 MB embedded font costs minutes (pdfminer.six
issue #1163). This version feeds blocks and replays byte by byte only the block where zlib fails,
so it returns exactly what pdfminer's would, in linear time.

RC4 decryption: pdfminer's Arcfour builds its output with `r += bytes(...)`, quadratic in the
length, so an RC4 "copy protected" PDF with a 3 MB embedded font takes minutes. Arcfour here is the
same cipher over the same key schedule: through `cryptography` (a pdfminer.six dependency) when its
ARC4 accepts the key length, else a pure-Python loop writing into a bytearray (linear).

Font Descent: pdfminer hangs every glyph box from baseline + Descent. Rewriters derive Descent from a
FontBBox in other units (mupdf writes -1050 for a font whose own descriptor said -120), which drops a
font's glyphs a whole line below their baseline. A Descent deeper than half an em is not a descent:
it is rescaled by the font's ascent-to-descent span (taken as the em it should be), at most half an em.
"""

from __future__ import annotations

import logging
import zlib

import pdfminer.arcfour
import pdfminer.pdfdocument
import pdfminer.pdffont
import pdfminer.pdftypes

logger = logging.getLogger("pdfminer.pdftypes")
BLOCK = 1 << 16


def decompress_corrupted(data: bytes) -> bytes:
    """Decode Flate data whose checksum is broken: everything zlib yields before the error; the
    error is raised unless it falls in the last 3 bytes (the checksum), as pdfminer does."""
    d = zlib.decompressobj()
    out: list[bytes] = []
    for start in range(0, len(data), BLOCK):
        block = data[start : start + BLOCK]
        before = d.copy()
        try:
            out.append(d.decompress(block))
        except zlib.error:
            d = before
            _replay(d, data, start, block, out)
            break
    return b"".join(out)


def _replay(d, data: bytes, start: int, block: bytes, out: list[bytes]) -> None:
    for i in range(len(block)):
        try:
            out.append(d.decompress(block[i : i + 1]))
        except zlib.error:
            if start + i < len(data) - 3:
                raise
            logger.warning("Data-loss while decompressing corrupted data")
            return


class Arcfour:
    """RC4 with pdfminer's interface (`Arcfour(key).decrypt(data)`), linear in the data length."""

    def __init__(self, key: bytes, *, openssl: bool = True) -> None:
        key = bytes(key)
        self._fast = _openssl_rc4(key) if openssl else None
        if self._fast is None:
            self._s, self._i, self._j = _key_schedule(key), 0, 0

    def process(self, data: bytes) -> bytes:
        if self._fast is not None:
            return self._fast.update(bytes(data))
        return self._process_python(data)

    def _process_python(self, data: bytes) -> bytes:
        s, i, j = self._s, self._i, self._j
        out = bytearray(data)
        for n in range(len(out)):
            i = (i + 1) & 255
            j = (j + s[i]) & 255
            s[i], s[j] = s[j], s[i]
            out[n] ^= s[(s[i] + s[j]) & 255]
        self._i, self._j = i, j
        return bytes(out)

    encrypt = decrypt = process


def _key_schedule(key: bytes) -> list[int]:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    return s


def _openssl_rc4(key: bytes):
    """An ARC4 encryptor from `cryptography`, or None when unavailable or the key length is one its
    ARC4 does not take (PDF keys are 5-16 bytes; it takes 5, 7, 8, 10, 16 …)."""
    try:
        from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
        from cryptography.hazmat.primitives.ciphers import Cipher
    except ImportError:
        return None
    if not key or len(key) * 8 not in ARC4.key_sizes:
        return None
    try:
        return Cipher(ARC4(key), mode=None).encryptor()
    except Exception:  # an OpenSSL built without RC4: fall back to the Python loop
        return None


MAX_DESCENT = 0.5  # em


def get_descent(self: pdfminer.pdffont.PDFFont) -> float:
    """Descent below the baseline in text space units (negative), never deeper than MAX_DESCENT em."""
    descent = self.descent * self.vscale
    if descent >= -MAX_DESCENT:
        return descent
    span = (self.ascent - self.descent) * self.vscale
    return max(descent / span if span > 1 else descent, -MAX_DESCENT)


def apply() -> None:
    pdfminer.pdftypes.decompress_corrupted = decompress_corrupted
    pdfminer.arcfour.Arcfour = Arcfour
    pdfminer.pdfdocument.Arcfour = Arcfour
    pdfminer.pdffont.PDFFont.get_descent = get_descent
