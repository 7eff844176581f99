"""The one escaping path for untrusted text: PDFs, manifests, file names, web pages.

Every string read from outside (a department name, a narrative reason, a manifest cell, a file
name) goes through one of these functions on its way out, chosen by where it goes:

    html_text(s)          HTML element text or a quoted attribute value   (audit pages, report tables)
    markdown_text(s)      a value inside Markdown that nbconvert/JupyterLab render  (notebook prose)
    md(template, *vals)   Markdown written by the author, with escaped values        (say / note)
    script_json(obj)      JSON placed inside <script>…</script>                      (chart specs)
    spreadsheet_cell(v)   a CSV / xlsx cell: never a formula, no control characters  (exports)
    terminal_text(s)      one line on a terminal: control characters shown as \\x1b, \\n …
    strip_controls(s)     control characters removed (the other functions build on it)

The functions are pure, have no dependency beyond the standard library, and never special-case a
payload: they escape by construction (every character that means something to the target).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

#: C0 controls (NUL, ESC, BEL, CR …), DEL and the C1 controls (0x80–0x9f: 8-bit CSI and OSC).
_CONTROLS = "\x00-\x1f\x7f-\x9f"
#: Characters that reorder or break text without being visible: bidi overrides and isolates
#: (a file name can look like another), the Unicode line and paragraph separators.
_INVISIBLE = "\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection
#: list, with the full-width forms an IME types, which recent Excel also accepts).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

_CONTROL = re.compile(f"[{_CONTROLS}]")
_TERMINAL_UNSAFE = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
_TERMINAL_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: ASCII punctuation Markdown may read as syntax (CommonMark lets a backslash escape any of it);
#: & < > " ' are left to html.escape, which turns them into entities instead.
_MARKDOWN_PUNCT = re.compile(r"""([!#$%()*+,\-./:;=?@\[\\\]^_`{|}~])""")
_SCRIPT_JSON = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def strip_controls(value: object, keep: str = "\t\n") -> str:
    """`value` as text without control characters (NUL, ESC, BEL, C1 …) except those in `keep`."""
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else "", _text(value))


def html_text(value: object) -> str:
    """Text safe as HTML element content or inside a quoted attribute: & < > " ' escaped,
    control characters dropped. None reads as ''."""
    return html.escape(strip_controls(value), quote=True)


def markdown_text(value: object) -> str:
    """Text that renders as itself inside Markdown: no link, image, emphasis, list, heading or raw
    HTML can come out of it. Markdown punctuation is backslash-escaped, & < > " ' become entities,
    line breaks and other controls become spaces (a value never starts a new block)."""
    flat = _TERMINAL_UNSAFE.sub(" ", _text(value))
    return html.escape(_MARKDOWN_PUNCT.sub(r"\\\1", flat), quote=True)


class Markdown(str):
    """Markdown the author wrote (a template), with every interpolated value escaped. `say` and
    `note` render a plain str as text and only this type as Markdown; build it with `md`."""

    __slots__ = ()


def md(template: str, *values: object, **named: object) -> Markdown:
    """The author's Markdown `template` (str.format fields) filled with escaped values:
    md("**{}**（{}）", name, region) → bold name whatever the name holds."""
    return Markdown(template.format(*(markdown_text(v) for v in values),
                                    **{k: markdown_text(v) for k, v in named.items()}))


def as_markdown(value: object) -> str:
    """Markdown for one piece of prose: a `Markdown` as written, anything else escaped as text."""
    return str(value) if isinstance(value, Markdown) else markdown_text(value)


def script_json(obj: Any) -> str:
    """JSON to place inside an HTML <script>: < > & U+2028 U+2029 written as \\u escapes, so no
    value can close the script, open an HTML comment (<!--) or end a JavaScript line. The text
    still parses as the same JSON."""
    text = json.dumps(obj, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_JSON[m.group()], text)


def spreadsheet_cell(value: Any) -> Any:
    """A CSV / xlsx cell: a string loses its control characters (tabs and line breaks inside stay)
    and, when it starts with a formula character (= + - @ tab, full-width ＝＋－＠), gains a
    leading ' so a spreadsheet shows it as text. Numbers, booleans and None pass unchanged:
    a negative amount stays a number."""
    if not isinstance(value, str):
        return value
    cell = strip_controls(value, keep="\t\n")
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def terminal_text(value: object) -> str:
    """One terminal line: control characters (ESC, BEL, CR, line breaks, C1), bidi overrides and
    line separators are shown as Python escapes (\\x1b, \\n, \\u202e), so a file name cannot move
    the cursor, set the title, clear the screen or print a line of its own."""
    return _TERMINAL_UNSAFE.sub(_terminal_escape, _text(value))


def _terminal_escape(m: re.Match[str]) -> str:
    ch = m.group()
    return _TERMINAL_NAMES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) <= 0xFF else f"\\u{ord(ch):04x}")


def terminal_lines(text: str) -> str:
    """A message of several lines for a terminal: each line through terminal_text, the line
    breaks between them kept (values inside the lines must be escaped where they are put in)."""
    return "\n".join(terminal_text(line) for line in text.split("\n"))
