"""`juesuan report`: execute every notebook headless and export offline HTML reports.

    juesuan report [--parquet DIR] [--out reports/] [--notebooks notebooks/] [--code]

Each notebook in notebooks/ (the jupytext percent `.py` is the source; the paired `.ipynb` is used
when there is no `.py`) is executed with nbclient against the Parquet directory
(JUESUAN_PARQUET) with JUESUAN_REPORT=1, which tells the `juesuan` chart renderer
(etl/analysis/notebook.py) not to carry the vega bundle in the charts. The HTML is exported with
nbconvert, every script or stylesheet that points at the network is removed, and the vega /
vega-lite / vega-embed bundle shipped by vl-convert-python is inlined ONCE in the page head, so the
charts (tooltips and selections included) render with no network access. index.html links the
pages.

The kernel talks to nbclient over IPC (Unix sockets in a private temporary folder) rather than
TCP on localhost: nothing is reachable from the network, and ipykernel has no reason to print its
"Kernel is running over TCP without encryption" warning once per notebook.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import time
from pathlib import Path

from etl import __version__
from etl.reports.build import MANIFEST, audit_href, read_manifest, stamp, write_index
from etl.reports.pages import CJK_CSS, Snapshot, dress, meta_html, nav_html, read_snapshot
from etl.reports.params import ReportParams, applied, describe_zh, inject, output_name
from etl.textsafety import terminal_text

EXIT_FAILED = 1
#: nothing to report on (no Parquet, no document, a selection matching nothing): exit 2, as etl, audit and export
EXIT_USAGE = 2
ROOT = Path(__file__).resolve().parents[2]  # the project: etl/reports/notebooks.py
DEFAULT_NOTEBOOKS = ROOT / "notebooks"

_CJK_CSS = CJK_CSS  # the CJK font stack (etl/reports/pages.py), also used by the audit pages


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="Parquet directory (default: $JUESUAN_PARQUET or data/parquet)")
    parser.add_argument("--out", metavar="DIR", default="reports", help="output directory (default reports/)")
    parser.add_argument("--notebooks", metavar="DIR", default=str(DEFAULT_NOTEBOOKS),
                        help="notebook directory (default: the project's notebooks/)")
    parser.add_argument("--code", action="store_true", help="include code cells in the HTML")
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout, seconds (default 600)")
    parser.add_argument("--region", metavar="NAME", help="only this region (e.g. 天河区; short names match)")
    parser.add_argument("--years", metavar="SPAN", help="only these years (e.g. 2020-2022 or 2020,2022)")
    parser.add_argument("--department", metavar="NAME", help="the department profiled by 05 (e.g. 卫生健康局)")
    parser.add_argument("--all-quality", action="store_true",
                        help="switch the quality gate off: every department-year enters the pages")
    parser.add_argument("--sangong-basis", choices=("printed", "parts"), default=None,
                        help="三公 total: the printed 合计 (default) or the sum of its parts")
    parser.add_argument("--audit", metavar="DIR", default=None,
                        help="the audit pages to link to (default: audit/ beside the output folder)")
    parser.add_argument("--force", action="store_true", help="rebuild every report even if up to date")
    parser.add_argument("--pdfs", metavar="DIR", default=None,
                        help="the PDFs juesuan etl read, for links to the cited pages "
                             "(default: $JUESUAN_RAW or data/raw)")


def notebook_sources(nb_dir: Path) -> list[Path]:
    """One source per notebook stem: the .py (jupytext percent) if present, else the .ipynb."""
    by_stem: dict[str, Path] = {}
    for p in sorted(nb_dir.glob("*.ipynb")):
        by_stem[p.stem] = p
    for p in sorted(nb_dir.glob("*.py")):
        if "# %%" in p.read_text(encoding="utf-8"):
            by_stem[p.stem] = p
    return [by_stem[k] for k in sorted(by_stem)]


def read_notebook(path: Path):
    import jupytext
    import nbformat

    if path.suffix == ".py":
        return jupytext.read(path, fmt="py:percent")
    return nbformat.read(path, as_version=4)


_NET_TAG = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//[^>]*>\s*</script>"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>"""
    r"""|<script\b[^>]*\bsrc\s*=\s*(?:""|'')[^>]*>\s*</script>""",
    re.IGNORECASE,
)


def make_offline(page: str, bundle_script: str) -> str:
    """Drop every network script/stylesheet; inline the vega bundle <script> and CJK CSS once in <head>."""
    page = _NET_TAG.sub("", page)
    return page.replace("</head>", f"{bundle_script}\n{_CJK_CSS}</head>", 1)


def vega_bundle() -> str:
    """The vega bundle as one <script> (defines the global vegaEmbed; see etl.analysis.notebook)."""
    from etl.analysis.notebook import bundle_script

    return bundle_script()


def kernel_config(socket_dir: str):
    """nbclient config: the kernel listens on Unix sockets in socket_dir (TCP where there are none).

    Given as config rather than as a kernel manager object, so that nbclient still owns the
    kernel manager and shuts the kernel down after each notebook."""
    from traitlets.config import Config

    config = Config()
    if os.name == "posix":
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(socket_dir, "kernel")
    return config


def execute_notebook(src: Path, parquet: Path, timeout: int = 600, values: dict | None = None,
                     page_dir: Path | None = None):
    """Execute a notebook against `parquet`, with `values` injected after its parameters cell; links to
    the PDFs (etl.analysis.notebook.pdf_link) relative from page_dir, where the page will be written."""
    import tempfile

    from nbclient import NotebookClient

    nb = read_notebook(src)
    inject(nb, values or {})
    os.environ["JUESUAN_PARQUET"] = str(parquet)
    os.environ["JUESUAN_REPORT"] = "1"
    os.environ["JUESUAN_PAGE_DIR"] = str((page_dir or src.parent).resolve())
    with tempfile.TemporaryDirectory(prefix="juesuan-kernel-") as sockets:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", config=kernel_config(sockets),
                                resources={"metadata": {"path": str(src.parent)}})
        client.execute()
    return nb


#: Cells a reader's page leaves out: instructions for the analyst in Lab, and the parameters cells
#: (the parameters are stated in the page's metadata instead).
READER_HIDDEN_TAGS = ("analyst", "parameters", "injected-parameters")


def export_html(nb, bundle: str, title: str, code: bool = False, chrome: str = "") -> str:
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    # JupyterLab's template minus the blocks that load require.js, MathJax and mermaid from a CDN.
    offline_template = (
        "{%- extends 'lab/index.html.j2' -%}\n"
        "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
        "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
        "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    )
    # Not sanitize_html=True: nbconvert's sanitizer (bleach) strips the <script> of every chart and
    # escapes the <h2>/<p> of every Markdown cell into visible text. The data reach the page
    # escaped instead: prose through say/note (markdown_text), tables through show (html_text),
    # chart specs through script_json (etl/textsafety.py).
    exporter = HTMLExporter(
        template_name="lab", template_file="juesuan_offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"juesuan_offline.html.j2": offline_template})],
        exclude_input=not code, exclude_input_prompt=True, exclude_output_prompt=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(READER_HIDDEN_TAGS)), enabled=True)
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = unwrap_cjk(cell.source)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return make_offline(dress(body, chrome), bundle)   # dressed first: the bundle holds "<body>" in strings


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”"
_CJK_END = re.compile(f"[{_CJK}]$")


_BLOCK_START = re.compile(r"^\s*(#|[-*+] |\d+\. |>|\||```|$)")


def unwrap_cjk(markdown: str) -> str:
    """Join the wrapped lines of Chinese paragraphs: a browser renders a line break inside a
    paragraph as a space, and Chinese text has none. Headings, list items, quotes, tables and
    code fences keep their own lines."""
    out: list[str] = []
    for line in markdown.splitlines():
        prev = out[-1] if out else ""
        if (prev and not _BLOCK_START.match(prev) and not _BLOCK_START.match(line)
                and _CJK_END.search(prev) and _CJK_END.match(line[:1])):
            out[-1] = prev + line
        else:
            out.append(line)
    return "\n".join(out)


def _join(lines: list[str]) -> str:
    """Join wrapped lines of a paragraph: no space between two Chinese characters."""
    out = ""
    for ln in lines:
        out += ("" if not out or (_CJK_END.search(out) and _CJK_END.match(ln[:1] or " ")) else " ") + ln
    return out


def notebook_title(nb, fallback: str) -> tuple[str, str]:
    """(title, first paragraph, without its 本页内容 label) from the first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [ln.strip() for ln in cell.source.splitlines()]
            title = next((ln.lstrip("# ") for ln in lines if ln.startswith("#")), fallback)
            paragraph = []
            for ln in lines:
                if ln.startswith("#"):
                    continue
                if not ln and paragraph:
                    break
                if ln:
                    paragraph.append(ln)
            text = re.sub(r"^\*\*本页内容：\*\*\s*", "", _join(paragraph))
            return title, text
    return fallback, ""


def _build(snap: Path, out: Path, nb_dir: Path, *, code: bool, timeout: int, log, params: ReportParams,
          audit: Path | None, force: bool) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    snapshot = read_snapshot(snap, params.region, params.years)
    pages = read_manifest(out)
    plan = []
    nav_pages = []
    for src in notebook_sources(nb_dir):
        nb = read_notebook(src)
        values = applied(nb, params)
        plan.append((src, values, output_name(src.stem, values), stamp(src, snapshot, values, code)))
        nav_pages.append((plan[-1][2], notebook_title(nb, src.stem)[0]))
    href = audit_href(out, audit)
    entries = []
    for src, values, file, digest in plan:
        old = pages.get(file, {})
        if not force and old.get("stamp") == digest and not old.get("error") and (out / file).is_file():
            log(f"{'ok':6} {terminal_text(src.name)} -> {terminal_text(out / file)} (up to date, not executed)")
            entries.append({**old, "file": file, "executed": False})
            continue
        entry = _build_one(src, values, file, snap, out, snapshot, nav_pages, href, code, timeout, log)
        entries.append({**entry, "stamp": digest, "executed": True})
        pages[file] = {k: v for k, v in entries[-1].items() if k != "executed"}
    (out / MANIFEST).write_text(json.dumps({"pages": pages}, ensure_ascii=False, indent=1), encoding="utf-8")
    write_index(out, pages, href)
    return entries


def _build_one(src: Path, values: dict, file: str, snap: Path, out: Path, snapshot: Snapshot,
               nav_pages: list[tuple[str, str]], href: str | None, code: bool, timeout: int, log) -> dict:
    from nbclient.exceptions import CellExecutionError

    t0 = time.perf_counter()
    error = None
    try:
        nb = execute_notebook(src, snap, timeout, values, page_dir=out)
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        nb = read_notebook(src)
    title, summary = notebook_title(nb, src.stem)
    params_zh = describe_zh(values)
    built = time.time()
    chrome = nav_html(file, nav_pages, href) + meta_html(snapshot, __version__, params_zh, built)
    (out / file).write_text(export_html(nb, vega_bundle(), title, code, chrome), encoding="utf-8")
    log(f"{'FAILED' if error else 'ok':6} {terminal_text(src.name)} -> {terminal_text(out / file)} "
        f"({time.perf_counter() - t0:.1f} s){': ' + terminal_text(error) if error else ''}")
    return {"file": file, "source": src.name, "title": title, "summary": summary, "error": error,
            "params": params_zh, "snapshot": snapshot.ident, "documents": snapshot.documents, "built": built}


def build_reports(parquet: Path, out: Path, nb_dir: Path = DEFAULT_NOTEBOOKS, code: bool = False,
                  timeout: int = 600, log=print, params: ReportParams | None = None,
                  audit: Path | None = None, force: bool = False) -> list[dict]:
    """Execute and export every notebook whose inputs changed; return one dict per notebook
    (file, title, error, executed). `parquet` is a resolved snapshot (etl.analysis.snapshot_dir)."""
    return _build(parquet, out, nb_dir, code=code, timeout=timeout, log=log, params=params or ReportParams(),
                 audit=audit, force=force)


def run(args: argparse.Namespace) -> int:
    from etl.analysis import default_parquet_dir, snapshot_dir
    from etl.analysis.select import SelectionError
    from etl.reports.pages import read_snapshot

    parquet = Path(args.parquet) if args.parquet else default_parquet_dir()
    first = "请先运行 juesuan etl <PDF 文件夹> --out " + terminal_text(parquet) + "，再生成报告。"
    if not parquet.is_dir():
        print(f"juesuan report: 没有 Parquet 目录 {terminal_text(parquet)}。{first}", file=sys.stderr)
        return EXIT_USAGE
    snap = snapshot_dir(parquet)  # resolved once: every notebook reads the same snapshot
    params = ReportParams(args.region, args.department, args.years, args.all_quality, args.sangong_basis)
    try:
        selected = read_snapshot(snap, params.region, params.years)
    except SelectionError as exc:
        print(f"juesuan report: {terminal_text(exc)}没有生成报告。", file=sys.stderr)
        return EXIT_USAGE
    if not selected.documents:
        print(f"juesuan report: Parquet 目录 {terminal_text(parquet)} 中没有任何文件。{first}", file=sys.stderr)
        return EXIT_USAGE
    audit = Path(args.audit) if args.audit else None
    from etl.analysis.pdflinks import pdf_root

    # absolute for the kernels, which run in the notebooks' folder
    os.environ["JUESUAN_RAW"] = str((Path(args.pdfs) if args.pdfs else pdf_root()).resolve())
    entries = build_reports(snap, Path(args.out), Path(args.notebooks), args.code, args.timeout,
                            params=params, audit=audit, force=args.force)
    if not entries:
        print(f"juesuan report: no notebooks in {terminal_text(args.notebooks)}", file=sys.stderr)
        return EXIT_FAILED
    failed = [e for e in entries if e["error"]]
    executed = sum(e["executed"] for e in entries)
    if not executed:
        print(f"all {len(entries)} reports up to date (nothing changed): nothing executed; "
              f"{terminal_text(args.out)}/index.html")
        return 0
    print(f"{len(entries) - len(failed)} of {len(entries)} notebooks exported to {terminal_text(args.out)}/index.html"
          + (f" ({len(entries) - executed} up to date)" if executed < len(entries) else ""))
    return EXIT_FAILED if failed else 0
