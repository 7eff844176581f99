"""`juesuan audit`: one readable review page (审核报告) per document, and a corpus summary.

    juesuan audit [--parquet DIR] [--out audit/]

Reads `documents` and `checks` from the Parquet output (DuckDB, through the same base views as
etl.analysis: a column an older output lacks reads as NULL) and writes

- `<out>/<doc_id>_<department>_<year>.html` for every document: what the document is (name,
  year, file), its quality grade with the number of errors and warnings, the failed checks grouped
  by severity (错误 / 警告 / 提示), each with its Chinese message, the PDF page(s), the two figures
  compared and where each was read; then the checks that passed and those not run, collapsed;
- `<out>/index.html`: documents by quality, the rules that failed most often (their Chinese labels
  from etl.parsing.checks.RULES) and every document with a link to its page;

and prints a short table to the terminal. The pages are plain HTML and CSS: no script, no font or
stylesheet from the network (the CJK font stack of etl/reports/notebooks.py), so they open offline. A page
written by an earlier run for a document no longer in the Parquet is removed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from etl.batch.command import command_line
from etl.parsing.quality import QUALITY_ZH, UNGRADED_KINDS, grade
from etl.textsafety import html_text, terminal_text

#: wrong or empty input (no Parquet output, 0 documents): 2, like a missing RAW_DIR for `juesuan etl`
EXIT_USAGE = 2
SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"ok": "正常", "partial": "部分表格未能读取", "failed": "解析失败"}
KIND_ZH = {"final_accounts": "部门决算", "budget": "部门预算（未校验）", "template": "空白模板（未校验）",
           "other": "非决算文件（未校验）"}
UNGRADED_ZH = "未评级"
QUALITY_ORDER = ("fail", "warn", "clean", None)
TOP_RULES = 15
#: A page this module wrote: 16 hex digits of the document's key, then its name.
_PAGE_NAME = re.compile(r"^[0-9a-f]{16}_.*\.html$")

_CSS = """
<style>
body { max-width: 64em; margin: 2em auto; padding: 0 1em; line-height: 1.6; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.6em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.q { display: inline-block; white-space: nowrap; padding: 0.05em 0.6em; border-radius: 0.3em; color: #fff;
     font-weight: bold; }
.q-fail { background: #c62828; } .q-warn { background: #e08a00; } .q-clean { background: #2e7d32; }
.q-none { background: #888; }
.finding { border-left: 4px solid #ccc; padding: 0.3em 0.8em; margin: 0.8em 0; background: #fafafa; }
.sev-error { border-color: #c62828; } .sev-warning { border-color: #e08a00; } .sev-info { border-color: #1565c0; }
.finding h3 { margin: 0.2em 0; font-size: 1.05em; }
.muted { color: #666; font-size: 0.9em; }
code { font-size: 0.85em; color: #555; }
details { margin: 0.8em 0; } summary { cursor: pointer; font-weight: bold; }
</style>
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="Parquet directory (default: $JUESUAN_PARQUET or data/parquet)")
    parser.add_argument("--out", metavar="DIR", default="audit", help="output directory (default audit/)")


# -- reading ----------------------------------------------------------------------------------------

@dataclass
class Finding:
    """One check result of a document, with its rule's Chinese label."""

    check_id: str
    status: str
    severity: str | None
    label: str
    message: str | None
    detail: str | None
    pages: str | None
    value_a: Decimal | None
    source_a: str | None
    value_b: Decimal | None
    source_b: str | None
    rule: str                                       # the rule's prefix (the check id when undeclared)


@dataclass
class Doc:
    row: dict[str, Any]
    checks: list[Finding] = field(default_factory=list)
    file: str = ""
    #: the document's page numbers -> (the file the page is in, its own page number there, its position in a web
    #: page or text file or None), from document_pages
    page_files: dict[int, tuple[str, int, str | None]] = field(default_factory=dict)
    #: the folder the page is written to, for links to the PDF (etl.reports.pages.pdf_href); None: no links
    page_dir: Path | None = None

    def href(self, page: int) -> str | None:
        """A link to the page in its PDF (`…/file.pdf#page=N`) when the PDF is under the raw folder."""
        from etl.analysis.pdflinks import pdf_href

        file, own, position = self.page_files.get(page, (self.row.get("source_file") or "", page, None))
        if self.page_dir is None or position is not None:
            return None
        return pdf_href(file, own, self.page_dir)

    def cite(self, page: int) -> str:
        """A page as a reader finds it: `<file> 第 N 页` in that file's own numbering; for a web page or text file
        (synthetic pages) the place in it: `<file> 第3个表格（源文件第120行）`, `<file> 第12–40行`."""
        file, own, position = self.page_files.get(page, (self.row.get("source_file") or "", page, None))
        where = position or f"第 {own} 页"
        return f"{file} {where}" if file else where

    def renumbered(self, page: int) -> bool:
        """The page is not the same page of documents.source_file (a companion narrative, another file), or is a
        synthetic page (cited by its position)."""
        file, own, position = self.page_files.get(page, (self.row.get("source_file"), page, None))
        return file != self.row.get("source_file") or own != page or position is not None

    @property
    def quality(self) -> str | None:
        return self.row.get("quality")

    def failed(self, severity: str | None = None) -> list[Finding]:
        return [c for c in self.checks if c.status == "fail" and (severity is None or c.severity == severity)]


def _rule(check_id: str) -> tuple[str, str, str | None]:
    """(prefix, Chinese label, severity) of a check's declared rule; the id itself when undeclared."""
    from etl.parsing.checks import rule_for

    try:
        rule = rule_for(check_id)
    except KeyError:
        return check_id, check_id, None
    return rule.prefix, rule.label, rule.severity


def read_corpus(parquet: Path) -> list[Doc]:
    """Every document of the Parquet output with its checks, graded (documents.quality; for an
    output written before the grade existed, the same grade computed from its status and checks)."""
    import duckdb

    from etl.analysis import base_view_sql, snapshot_dir

    snap = snapshot_dir(parquet)  # once: documents and checks from the same build
    con = duckdb.connect()
    try:
        for table in ("documents", "checks", "document_pages"):
            con.execute(base_view_sql(snap, table, con))
        docs_rows = con.sql("SELECT * FROM documents").to_arrow_table().to_pylist()
        check_rows = con.sql("SELECT * FROM checks").to_arrow_table().to_pylist()
        has_position = "position" in {c[0] for c in con.sql("DESCRIBE document_pages").fetchall()}
        page_rows = con.sql("SELECT doc_id, page, source_file, file_page, "  # an output before web pages has none
                            + ("position" if has_position else "NULL") + " FROM document_pages").fetchall()
    finally:
        con.close()
    by_doc: dict[str, list[dict]] = {}
    for c in check_rows:
        by_doc.setdefault(c["doc_id"], []).append(c)
    pages: dict[str, dict[int, tuple[str, int, str | None]]] = {}
    for doc_id, page, file, own, position in page_rows:
        pages.setdefault(doc_id, {})[page] = (file, own, position)
    docs = []
    for row in docs_rows:
        rows = by_doc.get(row["doc_id"], [])
        findings = []
        for c in rows:
            prefix, label, severity = _rule(c["check_id"])
            findings.append(Finding(c["check_id"], c["status"], c.get("severity") or severity, label,
                                    c.get("message"), c.get("detail"), c.get("pages"), c.get("value_a"),
                                    c.get("source_a"), c.get("value_b"), c.get("source_b"), prefix))
        if row.get("quality") is None and row.get("doc_kind") not in UNGRADED_KINDS:
            computed = grade(row.get("status"), row.get("doc_kind"),
                             [{"status": f.status, "severity": f.severity} for f in findings] if rows else None)
            row.update({k: v for k, v in computed.items() if row.get(k) is None})
        docs.append(Doc(row, findings, page_files=pages.get(row["doc_id"], {})))
    docs.sort(key=_doc_order)
    _name_files(docs)
    return docs


def _doc_order(d: Doc) -> tuple:
    r = d.row
    q = r.get("quality")
    return (QUALITY_ORDER.index(q) if q in QUALITY_ORDER else len(QUALITY_ORDER), r.get("region") or "\uffff",
            r.get("department") or "\uffff", r.get("year") or 0, r.get("source_file") or "")


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name part: letters, digits, CJK and - only (anything else becomes _)."""
    cleaned = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", text, flags=re.UNICODE).strip("_")
    return cleaned[:limit] or "_"


def _name_files(docs: list[Doc]) -> None:
    used: set[str] = set()
    for d in docs:
        r = d.row
        base = "_".join([safe_name(str(r["doc_id"]), 16), safe_name(r.get("department") or "未知部门"),
                         str(r["year"]) if r.get("year") else "未知年度"])
        name, n = f"{base}.html", 1
        while name in used:  # doc_id is unique in documents; this only guards a hand-built table
            n += 1
            name = f"{base}_{n}.html"
        used.add(name)
        d.file = name


# -- formatting -------------------------------------------------------------------------------------

def e(x: Any) -> str:
    """Any value as HTML text (etl.textsafety.html_text): every value on these pages goes through it."""
    return html_text(x)


def num(x: Any) -> str:
    """Thousands separators; amounts with two decimals; '—' for a missing figure."""
    if x is None:
        return "—"
    if isinstance(x, (Decimal, float)):
        return f"{x:,.2f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def pages_zh(pages: str | None, doc: Doc | None = None) -> str:
    """A check's pages; with the document, each cited in its own file's numbering (`<file> 第 N 页`)."""
    numbers = [p.strip() for p in (pages or "").split(",") if p.strip()]
    if not numbers:
        return "页码未知"
    if doc is None or not all(p.isdigit() for p in numbers):
        return "第 " + "、".join(numbers) + " 页"
    return "；".join(doc.cite(int(p)) for p in numbers)


def page_links(pages: str | None, doc: Doc | None) -> str:
    """Links that open each cited page in the PDF (none when the PDF is not under the raw folder)."""
    if doc is None:
        return ""
    links = [(p, doc.href(int(p))) for p in (pages or "").split(",") if p.strip().isdigit()]
    return "".join(f' <a class="pdf" href="{e(h)}">打开 PDF 第 {e(h.rsplit("#page=", 1)[-1])} 页</a>'
                   for _, h in links if h and "#page=" in h)


_PAGE_REF = re.compile(r"第\s*(\d+)\s*页")


def cited(text: str | None, doc: Doc | None) -> str | None:
    """A message or source with each `第N页` that is not the same page of the document's file (a narrative read
    from its companion file) cited in its own file's numbering."""
    if not text or doc is None:
        return text
    return _PAGE_REF.sub(lambda m: f"（{doc.cite(int(m.group(1)))}）" if doc.renumbered(int(m.group(1)))
                         else m.group(0), text)


def quality_badge(quality: str | None) -> str:
    return f'<span class="q q-{e(quality or "none")}">{e(QUALITY_ZH.get(quality, UNGRADED_ZH))}</span>'


def doc_title(r: dict) -> str:
    name = r.get("department") or Path(r.get("source_file") or "").stem or r["doc_id"]
    year = f"{r['year']} 年度" if r.get("year") else "年度未知"
    return f"{name} {year}"


def _page(title: str, body: str) -> str:
    from etl.reports.notebooks import _CJK_CSS

    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title>{_CJK_CSS}{_CSS}</head>\n<body>\n{body}\n</body></html>\n")


# -- one document -----------------------------------------------------------------------------------

def _counts_zh(d: Doc) -> str:
    r = d.row
    if r.get("checks_errors") is None and r.get("checks_warnings") is None and not d.checks:
        return "未运行校验"
    info = len(d.failed("info"))
    return (f"错误 {num(r.get('checks_errors') or 0)} 项、警告 {num(r.get('checks_warnings') or 0)} 项、"
            f"提示 {num(info)} 项")


def _finding_html(f: Finding, doc: Doc | None = None) -> str:
    gap = abs(f.value_a - f.value_b) if f.value_a is not None and f.value_b is not None else None
    figures = ""
    if f.value_a is not None or f.value_b is not None or f.source_a or f.source_b:
        figures = ("<table><thead><tr><th>比较项</th><th>来源</th><th>金额（万元）</th></tr></thead><tbody>"
                   f'<tr><td>比较数一</td><td>{e(cited(f.source_a, doc)) or "—"}</td>'
                   f'<td class="num">{num(f.value_a)}</td></tr>'
                   f'<tr><td>比较数二</td><td>{e(cited(f.source_b, doc)) or "—"}</td>'
                   f'<td class="num">{num(f.value_b)}</td></tr>'
                   + (f'<tr><td>差额</td><td>比较数一 − 比较数二</td><td class="num">{num(f.value_a - f.value_b)}'
                      f"</td></tr>" if gap is not None else "")
                   + "</tbody></table>")
    return (f'<div class="finding sev-{e(f.severity)}" data-check="{e(f.check_id)}" data-pages="{e(f.pages)}">'
            f"<h3>{e(f.label)}</h3>"
            f"<p>{e(cited(f.message, doc)) or '（无说明）'}</p>"
            f'<p class="muted">页码：<span class="pages">{e(pages_zh(f.pages, doc))}</span>{page_links(f.pages, doc)}'
            f" · 校验编号 <code>{e(f.check_id)}</code></p>"
            f"{figures}"
            + (f'<p class="muted">技术细节：<code>{e(f.detail)}</code></p>' if f.detail else "")
            + "</div>")


def _check_table(checks: list[Finding], doc: Doc | None = None) -> str:
    rows = "".join(
        f"<tr><td>{e(c.label)}</td><td>{e(SEVERITY_ZH.get(c.severity or '', '—'))}</td>"
        f"<td>{e(cited(c.message, doc))}</td>"
        f"<td>{e(pages_zh(c.pages, doc) if c.pages else '—')}</td></tr>" for c in checks)
    return ("<table><thead><tr><th>规则</th><th>严重程度</th><th>说明</th><th>页码</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def document_page(d: Doc) -> str:
    r = d.row
    meta = [
        ("部门", e(r.get("department") or "未识别")), ("地区", e(r.get("region") or "未识别")),
        ("年度", e(r.get("year") or "未识别")), ("文件", f"<code>{e(r.get('source_file'))}</code>"),
        ("文件标识", f"<code>{e(r['doc_id'])}</code>"),
        ("文件类型", e(KIND_ZH.get(r.get("doc_kind"), "未识别"))),
        ("页数", num(r.get("pages")) if r.get("pages") is not None else "—"),
        ("解析状态", e(STATUS_ZH.get(r.get("status"), r.get("status")))
         + (f'<br><span class="muted">原因：<code>{e(r.get("error"))}</code></span>' if r.get("error") else "")),
        ("质量", f'{quality_badge(d.quality)} <span class="counts">{e(_counts_zh(d))}</span>'),
    ]
    parts = ['<p class="muted"><a href="index.html">← 返回审核总览</a></p>',
             f"<h1>审核报告：{e(doc_title(r))}</h1>",
             "<table class=\"meta\"><tbody>"
             + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in meta) + "</tbody></table>"]
    failed = d.failed()
    parts.append(f"<h2>发现的问题（{num(len(failed))} 项）</h2>")
    if not d.checks:
        parts.append("<p>本文件未运行校验（解析失败或不是部门决算）。</p>")
    elif not failed:
        parts.append("<p>所有已运行的校验均通过。</p>")
    for severity in SEVERITY_ORDER:
        group = sorted(d.failed(severity), key=lambda f: _first_page(f.pages))
        if group:
            parts.append(f'<h3 class="sev-head" id="sev-{severity}">{SEVERITY_ZH[severity]}'
                         f"（{num(len(group))} 项）</h3>")
            parts += [_finding_html(f, d) for f in group]
    other = [f for f in failed if f.severity not in SEVERITY_ORDER]
    if other:
        parts.append(f"<h3>未分级（{num(len(other))} 项）</h3>")
        parts += [_finding_html(f, d) for f in other]
    passed = [c for c in d.checks if c.status == "pass"]
    skipped = [c for c in d.checks if c.status not in ("pass", "fail")]
    if passed:
        parts.append(f'<details class="passed"><summary>通过的校验（{num(len(passed))} 项）</summary>'
                     f"{_check_table(passed, d)}</details>")
    if skipped:
        parts.append(f'<details class="skipped"><summary>未校验（数据未列示，{num(len(skipped))} 项）</summary>'
                     f"{_check_table(skipped, d)}</details>")
    parts.append(f'<p class="muted">金额单位：万元。生成于 {time.strftime("%Y-%m-%d %H:%M")}。</p>')
    return _page(f"审核报告：{doc_title(r)}", "\n".join(parts))


def _first_page(pages: str | None) -> int:
    first = (pages or "").split(",")[0].strip()
    return int(first) if first.isdigit() else 10**9


# -- the corpus ---------------------------------------------------------------------------------------

def quality_counts(docs: list[Doc]) -> dict[str | None, int]:
    counts = Counter(d.quality for d in docs)
    return {q: counts.get(q, 0) for q in QUALITY_ORDER if counts.get(q, 0) or q is not None}


def top_rules(docs: list[Doc], limit: int | None = TOP_RULES) -> list[dict[str, Any]]:
    """The rules that failed most often: prefix, label, severity, failures, documents."""
    failures: Counter[str] = Counter()
    documents: dict[str, set[str]] = {}
    meta: dict[str, tuple[str, str | None]] = {}
    for d in docs:
        for f in d.failed():
            failures[f.rule] += 1
            documents.setdefault(f.rule, set()).add(d.row["doc_id"])
            meta[f.rule] = (f.label, f.severity)
    ranked = sorted(failures, key=lambda k: (-failures[k], -len(documents[k]), k))
    return [{"rule": k, "label": meta[k][0], "severity": meta[k][1], "failures": failures[k],
             "documents": len(documents[k])} for k in ranked[:limit]]


def index_page(docs: list[Doc], parquet: Path, reports_href: str | None = None) -> str:
    """The corpus summary; the data named by their snapshot id (never the machine's path), a link to
    the reports when `juesuan report` wrote them beside the audit (reports/ next to audit/)."""
    from etl.reports.pages import snapshot_id

    counts = quality_counts(docs)
    total = len(docs)
    q_rows = "".join(
        f'<tr data-quality="{e(q or "none")}"><td>{quality_badge(q)}</td><td class="num">{num(n)}</td>'
        f'<td class="num">{(100 * n / total if total else 0):.1f}%</td></tr>' for q, n in counts.items())
    findings = Counter(f.severity for d in docs for f in d.failed())
    rules = top_rules(docs)
    rule_rows = "".join(
        f'<tr data-rule="{e(x["rule"])}"><td>{e(x["label"])}</td><td>{e(SEVERITY_ZH.get(x["severity"] or "", "—"))}'
        f'</td><td class="num">{num(x["failures"])}</td><td class="num">{num(x["documents"])}</td>'
        f'<td><code>{e(x["rule"])}</code></td></tr>' for x in rules)
    doc_rows = "".join(
        f'<tr data-doc="{e(d.row["doc_id"])}"><td>{e(d.row.get("region") or "—")}</td>'
        f'<td><a href="{e(d.file)}">{e(d.row.get("department") or Path(d.row.get("source_file") or "").stem)}</a></td>'
        f'<td>{e(d.row.get("year") or "—")}</td><td>{quality_badge(d.quality)}</td>'
        f'<td class="num">{num(d.row.get("checks_errors")) if d.row.get("checks_errors") is not None else "—"}</td>'
        f'<td class="num">{num(d.row.get("checks_warnings")) if d.row.get("checks_warnings") is not None else "—"}'
        f'</td><td>{e(STATUS_ZH.get(d.row.get("status"), d.row.get("status")))}</td>'
        f'<td><code>{e(d.row.get("source_file"))}</code></td></tr>' for d in docs)
    nav = (f'<p class="muted"><a href="{e(reports_href)}">← 分析报告目录</a></p>' if reports_href else "")
    stamp_now = time.strftime('%Y-%m-%d %H:%M')
    body = f"""{nav}<h1>部门决算审核总览</h1>
<p>数据快照：<code>{e(snapshot_id(parquet))}</code> · 共 {num(total)} 个文件 · 生成于 {stamp_now}</p>
<p>质量评级：存在“错误”级问题或解析失败为<b>未通过</b>；存在“警告”级问题或部分表格未能读取为<b>有警告</b>；
其余为<b>无问题</b>；部门预算和非决算文件不评级。发现的问题共：错误 {num(findings.get("error", 0))} 项、
警告 {num(findings.get("warning", 0))} 项、提示 {num(findings.get("info", 0))} 项。</p>
<h2>按质量统计</h2>
<table class="by-quality"><thead><tr><th>质量</th><th>文件数</th><th>占比</th></tr></thead>
<tbody>{q_rows}</tbody></table>
<h2>最常见的未通过规则</h2>
{('<table class="top-rules"><thead><tr><th>规则</th><th>严重程度</th><th>未通过次数</th><th>涉及文件数</th>'
  '<th>规则编号</th></tr></thead><tbody>' + rule_rows + '</tbody></table>') if rules else '<p>没有未通过的校验。</p>'}
<h2>文件列表（共 {num(total)} 个）</h2>
<table class="documents"><thead><tr><th>地区</th><th>部门（审核报告）</th><th>年度</th><th>质量</th><th>错误</th>
<th>警告</th><th>解析状态</th><th>文件</th></tr></thead><tbody>{doc_rows}</tbody></table>"""
    return _page("部门决算审核总览", body)


def write_audit(parquet: Path, out: Path) -> list[Doc]:
    """Write every document's page and index.html into `out`; return the documents (in page order)."""
    docs = read_corpus(parquet)
    out.mkdir(parents=True, exist_ok=True)
    written = set()
    for d in docs:
        d.page_dir = out
        (out / d.file).write_text(document_page(d), encoding="utf-8")
        written.add(d.file)
    for stale in out.glob("*.html"):
        if _PAGE_NAME.match(stale.name) and stale.name not in written:
            stale.unlink()
    from etl.layout import snapshot_dir
    from etl.reports.pages import relative_href

    reports = out.resolve().parent / "reports" / "index.html"
    href = relative_href(reports, out) if reports.is_file() else None
    (out / "index.html").write_text(index_page(docs, snapshot_dir(parquet), href), encoding="utf-8")
    return docs


def terminal_summary(docs: list[Doc], index: Path) -> str:
    """The short table printed by `juesuan audit`; every value from the data through terminal_text."""
    t = terminal_text
    counts = quality_counts(docs)
    lines = [f"audit: {len(docs)} documents -> {t(index)}", "", f"  {'quality':<12}{'documents':>10}"]
    for q, n in counts.items():
        lines.append(f"  {(q or 'not graded'):<12}{n:>10,}  {QUALITY_ZH.get(q, UNGRADED_ZH)}")
    rules = top_rules(docs, 10)
    if rules:
        lines += ["", f"  {'failures':>8}{'documents':>10}  {'severity':<8}  rule"]
        for x in rules:
            lines.append(f"  {x['failures']:>8,}{x['documents']:>10,}  {t(x['severity'] or '-'):<8}  "
                         f"{t(x['rule'])}  {t(x['label'])}")
    else:
        lines += ["", "  no failing checks"]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from etl.analysis import default_parquet_dir

    parquet = Path(args.parquet) if args.parquet else default_parquet_dir()
    problem = _nothing_to_audit(parquet)
    if problem:  # before anything is written: no page that states facts about zero documents
        etl = command_line("etl", "RAW_DIR", "--out", parquet)
        print(f"juesuan audit: error: {terminal_text(problem)}; run `{etl}` first (RAW_DIR: the folder of the "
              "PDFs), then this command again", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out)
    docs = write_audit(parquet, out)
    print(terminal_summary(docs, out / "index.html"))
    return 0


def _nothing_to_audit(parquet: Path) -> str | None:
    """Why `parquet` holds no document to audit (no folder, no ETL output, 0 documents), or None."""
    if not parquet.is_dir():
        return f"no Parquet output: the folder {parquet} does not exist"
    import duckdb

    from etl.analysis import base_view_sql, snapshot_dir

    con = duckdb.connect()
    try:
        con.execute(base_view_sql(snapshot_dir(parquet), "documents", con))
        documents = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    finally:
        con.close()
    return None if documents else f"the Parquet output in {parquet} holds 0 documents: nothing to audit"
