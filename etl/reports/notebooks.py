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
import os
import re
import sys
import time
from pathlib import Path

from etl.textsafety import html_text, terminal_text

EXIT_FAILED = 1
ROOT = Path(__file__).resolve().parents[2]  # the project: etl/reports/notebooks.py
DEFAULT_NOTEBOOKS = ROOT / "notebooks"

_CJK_CSS = """
<style>
body, .jp-RenderedHTMLCommon, .jp-RenderedMarkdown, table, .vega-embed {
  font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei',
               'PingFang SC', system-ui, sans-serif;
}
.juesuan-chart { margin: 0.5em 0 1.5em; }
#vg-tooltip-element { font-family: 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; }
</style>
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="Parquet directory (default: $JUESUAN_PARQUET or data/parquet)")
    parser.add_argument("--out", metavar="DIR", default="reports", help="output directory (default reports/)")
    parser.add_argument("--notebooks", metavar="DIR", default=str(DEFAULT_NOTEBOOKS),
                        help="notebook directory (default: the project's notebooks/)")
    parser.add_argument("--code", action="store_true", help="include code cells in the HTML")
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout, seconds (default 600)")


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


def execute_notebook(src: Path, parquet: Path, timeout: int = 600):
    import tempfile

    from nbclient import NotebookClient

    nb = read_notebook(src)
    os.environ["JUESUAN_PARQUET"] = str(parquet)
    os.environ["JUESUAN_REPORT"] = "1"
    with tempfile.TemporaryDirectory(prefix="juesuan-kernel-") as sockets:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", config=kernel_config(sockets),
                                resources={"metadata": {"path": str(src.parent)}})
        client.execute()
    return nb


def export_html(nb, bundle: str, title: str, code: bool = False) -> str:
    import jinja2
    from nbconvert import HTMLExporter

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
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = unwrap_cjk(cell.source)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return make_offline(body, bundle)


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


def write_index(out: Path, entries: list[dict], parquet: Path) -> Path:
    items = "\n".join(
        f'<li><a href="{html_text(e["file"])}">{html_text(e["title"])}</a>'
        + (f' <span class="err">执行失败：{html_text(e["error"])}</span>' if e.get("error") else "")
        + f'<p>{html_text(re.sub(r"[*`]", "", e["summary"]))}</p></li>'
        for e in entries
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>juesuan 报告</title>{_CJK_CSS}
<style>body{{max-width:52em;margin:2em auto;line-height:1.6}} li{{margin-bottom:1em}} .err{{color:#c00}}</style>
</head><body>
<h1>juesuan 部门决算分析报告</h1>
<p>数据：<code>{html_text(parquet)}</code> · 生成于 {time.strftime('%Y-%m-%d %H:%M')}</p>
<ol>
{items}
</ol>
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def build_reports(parquet: Path, out: Path, nb_dir: Path = DEFAULT_NOTEBOOKS, code: bool = False,
                  timeout: int = 600, log=print) -> list[dict]:
    """Execute and export every notebook; return one dict per notebook (file, title, error)."""
    from nbclient.exceptions import CellExecutionError

    out.mkdir(parents=True, exist_ok=True)
    bundle = vega_bundle()
    entries = []
    for src in notebook_sources(nb_dir):
        t0 = time.perf_counter()
        entry = {"file": f"{src.stem}.html", "source": str(src), "error": None}
        try:
            nb = execute_notebook(src, parquet, timeout)
        except CellExecutionError as exc:
            entry["error"] = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            nb = read_notebook(src)
        entry["title"], entry["summary"] = notebook_title(nb, src.stem)
        (out / entry["file"]).write_text(export_html(nb, bundle, entry["title"], code), encoding="utf-8")
        log(f"{'FAILED' if entry['error'] else 'ok':6} {terminal_text(src.name)} -> {terminal_text(out / entry['file'])} "
            f"({time.perf_counter() - t0:.1f} s){': ' + terminal_text(entry['error']) if entry['error'] else ''}")
        entries.append(entry)
    write_index(out, entries, parquet)
    return entries


def run(args: argparse.Namespace) -> int:
    from etl.analysis import default_parquet_dir, snapshot_dir

    parquet = Path(args.parquet) if args.parquet else default_parquet_dir()
    if not parquet.is_dir():
        print(f"juesuan report: Parquet directory not found: {terminal_text(parquet)}", file=sys.stderr)
        return EXIT_FAILED
    # Resolved once: every notebook (each connects on its own) reads the same snapshot.
    entries = build_reports(snapshot_dir(parquet), Path(args.out), Path(args.notebooks), args.code, args.timeout)
    if not entries:
        print(f"juesuan report: no notebooks in {terminal_text(args.notebooks)}", file=sys.stderr)
        return EXIT_FAILED
    failed = [e for e in entries if e["error"]]
    print(f"{len(entries) - len(failed)} of {len(entries)} notebooks exported to {terminal_text(args.out)}/index.html")
    return EXIT_FAILED if failed else 0
