"""The fonts embedded in generated PDFs.

CJK text uses WenQuanYi Micro Hei, a TrueType font shipped on PyPI by `paperang-p2-fonts-cjk`
(a project dependency, so `uv sync` is the whole install); reportlab embeds a subset of it with a
ToUnicode map, so pdfplumber extracts the right characters. Figures may be set in Times-Roman
(one of the PDF standard fonts), as real reports set them in Times New Roman.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CJK = "WQYMicroHei"
LATIN = "Times-Roman"


@cache
def register() -> str:
    import paperang_p2_fonts_cjk
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    pdfmetrics.registerFont(TTFont(CJK, str(path), subfontIndex=0))
    return CJK


def width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)
