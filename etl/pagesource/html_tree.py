"""A saved web page parsed into a small element tree, bounded against hostile input.

The standard library's tokenizer (html.parser) reads the markup; this builder closes what HTML leaves
implicitly open (`<p>`, `<td>`, `<tr>`, `<li>`), drops scripts, styles and the head, and ignores comments and
Word's conditional comments (`<!--[if gte mso 9]>…<![endif]-->`, a stray `<![endif]>`). Nesting deeper than
MAX_DEPTH and more than MAX_NODES elements are refused with a clear DocumentError, so a hostile page costs a
bounded amount of memory and no recursion overflow later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from etl.document import DocumentError

MAX_DEPTH = 200
MAX_NODES = 500_000

#: elements whose content is never text of the report
_SKIP = {"script", "style", "head", "noscript", "template", "svg", "object", "iframe", "select", "textarea"}
_VOID = {"br", "img", "meta", "link", "hr", "input", "area", "base", "col", "embed", "param", "source", "track",
         "wbr"}
#: a start tag closes these open elements first (HTML's implied end tags, the cases saved pages rely on)
_CLOSES = {
    "td": {"td", "th"}, "th": {"td", "th"}, "tr": {"tr", "td", "th"}, "p": {"p"}, "li": {"li"},
    "thead": {"thead", "tbody", "tfoot", "tr", "td", "th"}, "tbody": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "tfoot": {"thead", "tbody", "tfoot", "tr", "td", "th"},
}
#: an implied close never crosses these (a `<td>` inside a nested table does not close the outer cell)
_SCOPES = {"table", "html", "body"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node | str] = field(default_factory=list)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, 1)
        self.stack: list[Node] = [self.root]
        self.skipping = 0  # depth inside a skipped element
        self.nodes = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in _SKIP and tag not in _VOID:
                self.skipping += 1
            return
        if tag in _SKIP:
            self.skipping = 1
            return
        self._close_implied(tag)
        node = Node(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise DocumentError(f"web page with more than {MAX_NODES} elements: not read")
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)
            if len(self.stack) > MAX_DEPTH:
                raise DocumentError(f"web page nested deeper than {MAX_DEPTH} elements: not read")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag not in _SKIP:
            self.handle_starttag(tag, attrs)
            if tag not in _VOID and self.stack[-1].tag == tag:
                self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in _SKIP:
                self.skipping -= 1
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
            if self.stack[i].tag in _SCOPES:
                return  # a stray end tag: ignored

    def handle_data(self, data: str) -> None:
        if not self.skipping and data:
            self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        closes = _CLOSES.get(tag)
        if not closes:
            return
        cut = None  # the outermost open element it closes, within the enclosing table
        for i in range(len(self.stack) - 1, 0, -1):
            name = self.stack[i].tag
            if name in _SCOPES:
                break
            if name in closes:
                cut = i
                if tag in ("p", "li"):
                    break  # the nearest open paragraph or list item (lists nest)
            if tag == "li" and name in ("ul", "ol"):
                break
        if cut is not None:
            del self.stack[cut:]


def parse_html(text: str) -> Node:
    """The page's element tree (its root holds the top-level nodes)."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root
