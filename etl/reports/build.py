"""The report folder's bookkeeping: which pages are up to date, and an index of every page in it.

A page's inputs are its notebook source, the data snapshot id, the parameters it takes, whether
code is shown and the juesuan version; their digest is kept per page in `<out>/.juesuan-reports.json`.
A page whose digest is unchanged (and whose file is there and did not fail) is not executed again,
so a second `juesuan report` with nothing changed executes nothing. The index lists every page the
folder holds, grouped by parameters, so profiles of several departments sit side by side.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from etl import __version__
from etl.reports.pages import CJK_CSS, CSS, Snapshot, relative_href
from etl.textsafety import html_text

MANIFEST = ".juesuan-reports.json"


def stamp(source: Path, snapshot: Snapshot, values: dict, code: bool) -> str:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    key = {"source": digest, "snapshot": snapshot.ident, "params": values, "code": code, "version": __version__}
    return hashlib.sha256(json.dumps(key, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_manifest(out: Path) -> dict:
    try:
        pages = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("pages", {})
        return pages if isinstance(pages, dict) else {}
    except (OSError, ValueError):
        return {}


def audit_href(out: Path, audit: Path | None) -> str | None:
    """The link to the audit index when it exists (default: audit/ beside the reports folder)."""
    index = (audit if audit is not None else out.resolve().parent / "audit") / "index.html"
    return relative_href(index, out) if index.is_file() else None


def write_index(out: Path, pages: dict, href: str | None) -> Path:
    """index.html: every page of the folder that is still there, grouped by parameters and snapshot."""
    import re

    groups: dict[tuple[str, str, int], list[dict]] = {}
    for file in sorted(pages):
        e = pages[file]
        if (out / file).is_file():
            groups.setdefault((e.get("params", ""), e.get("snapshot", ""), e.get("documents", 0)), []).append(e)
    sections = []
    for (params_zh, ident, documents), entries in groups.items():
        items = "\n".join(
            f'<li><a href="{html_text(e["file"])}">{html_text(e["title"])}</a>'
            + (f' <span class="err">执行失败：{html_text(e["error"])}</span>' if e.get("error") else "")
            + f'<p>{html_text(re.sub(r"[*`]", "", e.get("summary", "")))}</p></li>' for e in entries)
        built = time.strftime("%Y-%m-%d %H:%M", time.localtime(max(e.get("built", 0) for e in entries)))
        sections.append(f"<h2>{html_text(params_zh)}</h2>\n<p class=\"juesuan-meta\">生成于 {built} · 数据快照 "
                        f"<code>{html_text(ident)}</code>，{int(documents):,} 份报告</p>\n<ol>\n{items}\n</ol>")
    audit = (f'<a href="{html_text(href)}">审核页面（逐份文件的校验结果）</a>' if href
             else "审核页面尚未生成")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>juesuan 报告</title>{CJK_CSS}{CSS}
<style>body{{max-width:52em;margin:2em auto;line-height:1.6}} li{{margin-bottom:1em}} .err{{color:#c00}}</style>
</head><body>
<nav class="juesuan-nav"><span class="here">报告目录</span> {audit}</nav>
<h1>juesuan 部门决算分析报告</h1>
<p class="juesuan-meta">juesuan {html_text(__version__)} · 目录更新于 {time.strftime('%Y-%m-%d %H:%M')}</p>
{chr(10).join(sections)}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
