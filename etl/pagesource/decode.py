"""Bytes of a saved web page or text file to text: the encoding it declares, else the one it looks like.

Chinese pages are often GBK/GB18030 (the page says so in `<meta charset>` or `http-equiv`), UTF-8 with or
without a BOM, sometimes UTF-16 from Notepad. Order: a BOM; for HTML the declared charset; strict UTF-8;
then charset detection (charset_normalizer, a declared dependency); GB18030 with replacement as the last word.
"""

from __future__ import annotations

import codecs
import re

from etl.document import DocumentError

#: a saved page or text file larger than this is no report (the largest real ones are a few MB)
MAX_BYTES = 40 << 20

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
#: declared names that mean a superset in practice (browsers read gb2312/gbk pages as GB18030)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}


def read_limited(path, limit: int | None = None) -> bytes:
    """The file's bytes; a clear DocumentError when it is larger than `limit` (MAX_BYTES) or cannot be read."""
    limit = MAX_BYTES if limit is None else limit
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise DocumentError(f"file larger than {limit:,} bytes: not read as a web page or text")
    return data


def decode(data: bytes, html: bool) -> tuple[str, str]:
    """(text, encoding used)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    if html:
        declared = _declared(data[:4096])
        if declared:
            return data.decode(declared, errors="replace"), declared
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guessed = _detected(data)
    return data.decode(guessed, errors="replace"), guessed


def _declared(head: bytes) -> str | None:
    m = _META.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None  # a charset name Python does not know: detect instead


_CJK_CODECS = ("gb", "big5", "cp936", "cp950", "hz", "iso2022_cn", "euc_tw")


def _detected(data: bytes) -> str:
    """charset_normalizer's guess on the first 512 KB when it is a Chinese encoding; else GB18030 if the bytes
    decode as such (most non-UTF-8 Chinese pages are GBK, which GB18030 contains, and a short one can look like
    a Latin code page to a detector); else the guess."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 512 << 10]).best()
    name = _WIDER.get(best.encoding.lower(), best.encoding) if best else "gb18030"
    if codecs.lookup(name).name.startswith(_CJK_CODECS):
        return name
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return name
