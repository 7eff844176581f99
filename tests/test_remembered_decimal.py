"""pdfium_frame.decimal remembers its answers per value: a remembered answer must be the computed one, and a
zero keeps its sign (-0.0 and 0.0 are one dict key)."""

from __future__ import annotations

import math
import struct

from etl.pagesource import pdfium_frame


def _single(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def test_remembered_decimal_is_the_computed_one_and_zeros_keep_their_sign() -> None:
    values = [0, 0.0, -0.0, 612, 792, _single(595.3), _single(841.89), _single(-12.7), float("inf"), 1e-40]
    for value in values + values:  # the second pass answers from memory
        got, computed = pdfium_frame.decimal(value), pdfium_frame._decimal(value)
        assert type(got) is float and got == computed and math.copysign(1, got) == math.copysign(1, computed)
    assert math.copysign(1, pdfium_frame.decimal(-0.0)) == -1.0
    assert pdfium_frame.decimal(_single(595.3)) == 595.3
