"""What every report page carries for a reader it is handed to: where it sits and what it was made from.

- navigation: the index, the other pages of the same selection, and the audit pages (`juesuan
  audit`) when they exist beside the reports (by default `../audit/index.html` from reports/);
  a link is written only to a file that exists when the page is written;
- the date, the juesuan version, the parameters and the data snapshot: its id, the number of
  documents and each input file with its sha256 (a collapsible list);
- no path of the author's machine: the snapshot is named by its id and the files by their path
  relative to the raw folder (documents.source_file).

Every string from the data passes through etl.textsafety.html_text.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from etl.analysis.pdflinks import relative_href as relative_href  # re-exported
from etl.layout import SNAPSHOT_ID
from etl.textsafety import html_text

CJK_CSS = """
<style>
body, .jp-RenderedHTMLCommon, .jp-RenderedMarkdown, table, .vega-embed {
  font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei',
               'PingFang SC', system-ui, sans-serif;
}
.juesuan-chart { margin: 0.5em 0 1.5em; }
#vg-tooltip-element { font-family: 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; }
</style>
"""


CSS = """<style>
.juesuan-nav { font-size: 0.9em; border-bottom: 1px solid #ddd; padding: 0.4em 0 0.6em; margin-bottom: 1em; }
.juesuan-nav a { margin-right: 0.9em; } .juesuan-nav .here { font-weight: 600; margin-right: 0.9em; }
.juesuan-meta { font-size: 0.85em; color: #555; margin: 0.3em 0 1em; }
.juesuan-meta details { margin-top: 0.3em; } .juesuan-meta code { font-size: 0.95em; }
.juesuan-meta table { border-collapse: collapse; } .juesuan-meta td { padding: 0 0.8em 0 0; }
</style>"""


@dataclass
class Snapshot:
    """The data a report was made from: the snapshot id and the selected input files."""
    ident: str
    files: list[tuple[str, str]] = field(default_factory=list)   # (source_file, sha256), sorted
    documents: int = 0


def snapshot_id(snap: Path) -> str:
    """The juesuan snapshot id; for Parquet juesuan did not write as snapshots (hand-built, older
    output), a digest of its files' names, sizes and modification times."""
    if SNAPSHOT_ID.match(snap.name):
        return snap.name
    digest = hashlib.sha256()
    for p in sorted(snap.rglob("*.parquet")):
        st = p.stat()
        digest.update(f"{p.relative_to(snap).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return "content-" + digest.hexdigest()[:16]


def read_snapshot(snap: Path, region: str | None = None, years=None) -> Snapshot:
    """The documents of the selection (raises SelectionError when the selection matches nothing)."""
    import duckdb

    from etl.analysis import base_view_sql
    from etl.analysis.select import documents_where

    con = duckdb.connect()
    con.execute(base_view_sql(snap, "documents", con))
    where = documents_where(con, region, years)
    rows = con.execute("SELECT source_file, sha256, count(*) FROM documents"
                       + (f" WHERE {where}" if where else "") + " GROUP BY ALL ORDER BY 1").fetchall()
    return Snapshot(snapshot_id(snap), [(f, s) for f, s, _ in rows], sum(n for *_, n in rows))


def nav_html(current: str, pages: list[tuple[str, str]], audit_href: str | None) -> str:
    """The navigation bar: 报告目录, the sibling pages (file, title), 审核页面."""
    links = ['<a href="index.html">报告目录</a>']
    for file, title in pages:
        short = html_text(title)
        links.append(f'<span class="here">{short}</span>' if file == current
                     else f'<a href="{html_text(file)}">{short}</a>')
    links.append(f'<a href="{html_text(audit_href)}">审核页面</a>' if audit_href
                 else '<span class="muted">审核页面尚未生成</span>')
    return f'<nav class="juesuan-nav">{" ".join(links)}</nav>'


def meta_html(snapshot: Snapshot, version: str, params_zh: str, built: float | None = None) -> str:
    """Date, version, parameters and the snapshot with its input files (collapsible)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(built or time.time()))
    rows = "\n".join(f"<tr><td>{html_text(f)}</td><td><code>{html_text(s)}</code></td></tr>"
                     for f, s in snapshot.files)
    return (f'<div class="juesuan-meta">生成于 {when} · juesuan {html_text(version)} · 参数：{html_text(params_zh)}'
            f'<br>数据快照 <code class="snapshot-id">{html_text(snapshot.ident)}</code>，'
            f'{snapshot.documents:,} 份报告、{len(snapshot.files):,} 个文件'
            f'<details class="inputs"><summary>输入文件及其 SHA-256（{len(snapshot.files):,} 个）</summary>'
            f'<table>{rows}</table></details></div>')


_BODY = re.compile(r"<body\b[^>]*>", re.I)
_HTML_LANG = re.compile(r"<html\b[^>]*>", re.I)


def dress(page: str, chrome: str) -> str:
    """The page in Chinese (lang="zh-CN") with the navigation and metadata at the top of its body."""
    page = _HTML_LANG.sub('<html lang="zh-CN">', page, count=1)
    page = page.replace("</head>", CSS + "</head>", 1)
    m = _BODY.search(page)
    return page[: m.end()] + "\n" + chrome + page[m.end():] if m else chrome + page

