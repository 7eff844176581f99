"""A fix to pdfminer.six applied when juesuan reads PDFs.

pdfminer recovers a corrupted Flate stream by feeding zlib one byte at a time and concatenating
bytes objects: quadratic, so one flipped byte in a 1 MB embedded font costs minutes (pdfminer.six
issue #1163). This version feeds blocks and replays byte by byte only the block where zlib fails,
so it returns exactly what pdfminer's would, in linear time.
"""

from __future__ import annotations

import logging
import zlib

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


def apply() -> None:
    pdfminer.pdftypes.decompress_corrupted = decompress_corrupted
