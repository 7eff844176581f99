"""How an amount read by OCR is taken: what its printed form settles, and what only the table's identities can.

    amount_reading(text)        the printed form settles it: a ruling read as `|`, a speck read as a point, a
                                decimal point lost or read as a comma where the thousands grouping proves it
    letters_as_digits(text)     look-alike letters in an amount (`1O2.5O` → `102.50`): a reading the identities
                                must confirm (the word keeps what OCR read in `OcrWord.read_as`)
    alternative_readings(text)  other amounts OCR may have misread as this one (`28282` for `282.82`): tried by
                                etl.parsing.readings only where an identity fails and exactly one of them restores it

Pure string rules (no image, no engine), so the parser may ask them without loading OpenCV.
"""

from __future__ import annotations

import re

_RULE_GLYPHS = "|丨｜"
#: thousands groups whose last group ran into the decimals: 101,25262 is 101,252.62 with its point unseen
_POINT_LOST = re.compile(r"^(\d{1,3}(?:,\d{3})*,\d{3})(\d{2})$")
#: a point read as a comma: two digits after a comma at the end are decimals, never a thousands group
_POINT_AS_COMMA = re.compile(r"^(\d{1,3}(?:,\d{3})*),(\d{2})$")
#: commas read as points before the decimals: 1.234.56 has one decimal point only, the last
_COMMAS_AS_POINTS = re.compile(r"^\d{1,3}(?:\.\d{3})+\.\d{2}$")
_AMOUNT_LIKE = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?$|^\d+(?:\.\d{1,2})?$")
#: what is printed complete without a trailing point: an amount with its decimals, a 3/5/7-digit code
_COMPLETE = re.compile(r"^\d[\d,]*\.\d{2}$|^\d{3}$|^\d{5}$|^\d{7}$")
_SPECK_MARKS = ".·:："


def amount_reading(text: str) -> str:
    """An amount as printed, from OCR's reading of it, where the printed form itself settles it: a ruling line
    read as `|` at its edge dropped (`185,436.36|`), a speck read as a point after a complete amount or code
    dropped (`17.70.`, `221.`), and a decimal point OCR did not see, or read as a comma, restored where the
    thousands grouping proves it (`101,25262` and `101,252,62` are `101,252.62`; `1.234.56` is `1,234.56`). A
    reading the form does not settle (`28282`) is left as read: the identities decide (alternative_readings)."""
    stripped = text.strip(_RULE_GLYPHS)
    if stripped != text and _AMOUNT_LIKE.match(stripped):
        text = stripped
    stripped = text.rstrip(_SPECK_MARKS)  # a speck of the scan beside a complete figure (`17.70.`, `221.`)
    if stripped != text and _COMPLETE.match(stripped):
        text = stripped
    if _COMMAS_AS_POINTS.match(text):
        head, decimals = text.rsplit(".", 1)
        return f"{head.replace('.', ',')}.{decimals}"
    settled = _POINT_LOST.match(text) or _POINT_AS_COMMA.match(text)
    return f"{settled.group(1)}.{settled.group(2)}" if settled else text


#: letters OCR reads for the digits they resemble (in an amount, where no letter is ever printed)
LOOKALIKE_DIGITS = {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1", "i": "1", "|": "1",
                    "丨": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2"}
_LOOKALIKES = re.compile("[" + re.escape("".join(LOOKALIKE_DIGITS)) + "]")
#: what a table prints as an amount: decimals (two) or a thousands grouping
_PRINTED_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{2})?$|^\d+\.\d{2}$")


def letters_as_digits(text: str) -> str | None:
    """The amount a reading with look-alike letters stands for (`1O2.5O` → `102.50`, `l,234.56` → `1,234.56`), or
    None: only when the result has an amount's printed shape and the letters are no more than the digits (so a
    label such as `IOI` is never taken for a number)."""
    core = text.strip(_RULE_GLYPHS)  # a ruling at the edge is no digit
    letters = len(_LOOKALIKES.findall(core))
    if not letters or letters > sum(ch.isdigit() for ch in core):
        return None
    replaced = amount_reading(_LOOKALIKES.sub(lambda m: LOOKALIKE_DIGITS[m.group(0)], core))
    return replaced if _PRINTED_AMOUNT.match(replaced) else None


def alternative_readings(text: str) -> list[str]:
    """Other amounts that OCR may have read as `text`: a decimal point lost in an ungrouped amount (`28282` for
    `282.82`), and commas read as points in an amount with three decimals (`1.234` for `1,234`)."""
    out = []
    if re.fullmatch(r"\d{3,}", text):
        out.append(f"{text[:-2]}.{text[-2:]}")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        out.append(text.replace(".", ","))
    return out
