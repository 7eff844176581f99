"""Text and number normalisation shared by every stage: NFC text, CJK spacing, amounts, units."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")
_ZERO_MARKS = {"", "-", "—", "–", "－", "/", "——", "--"}
AMOUNT_RE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)


def clean_text(text: str | None) -> str:
    """NFC text with stray spaces next to Chinese characters removed (`因 公 出 国` → `因公出国`)."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\u3000", " ")
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def compact(text: str | None) -> str:
    """Text with every space removed and full-width forms folded: the key used for matching labels."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace("“", "\"").replace("”", "\"")


def squeeze(text: str | None) -> str:
    """NFC text with every space removed and curly quotes straightened: narrative as printed."""
    if text is None:
        return ""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFC", text))
    return text.replace("“", '"').replace("”", '"').replace("％", "%")


def is_amount(token: str) -> bool:
    return bool(AMOUNT_RE.match(token.strip()))


def is_zero_mark(token: str) -> bool:
    return token.strip() in _ZERO_MARKS


def parse_amount(token: str | None) -> Decimal | None:
    """A printed amount as Decimal; blank, '-' and '—' are zero; None if not a number."""
    if token is None:
        return Decimal(0)
    token = unicodedata.normalize("NFKC", token).strip().replace("−", "-")
    if is_zero_mark(token):
        return Decimal(0)
    if not AMOUNT_RE.match(token):
        return None
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


def to_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    """Convert a printed amount to 万元, rounded to the cent as the contract's DECIMAL(18,2)."""
    if amount is None:
        return None
    if unit == "元":
        amount = amount / TEN_THOUSAND
    return amount.quantize(CENT)


def parse_percent(token: str | None) -> Decimal | None:
    if not token:
        return None
    try:
        return Decimal(unicodedata.normalize("NFKC", token).replace(",", "").strip())
    except InvalidOperation:
        return None
