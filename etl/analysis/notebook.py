"""Helpers shared by the notebooks in notebooks/: connection, tables, sentences, chart renderer.

    from etl.analysis.notebook import setup, frame, show, say
    con = setup()                       # DuckDB over $JUESUAN_PARQUET, else <project>/data/parquet
    df = frame(con, "SELECT ...")       # polars DataFrame; DECIMAL columns as Float64 for charting
    show(df, money=["决算数"], n="部门数")  # a formatted HTML table (thousands separators, units)

Where the data are: $JUESUAN_PARQUET when set, else `data/parquet` under the project root — the
folder holding juesuan's pyproject.toml, found from the working directory upwards (a kernel started
in notebooks/ or anywhere inside the project) or from this package's location — so the notebooks
run from JupyterLab or `jupyter nbconvert --execute` in notebooks/ with no environment variable.

Charts: one renderer everywhere (`juesuan`), registered and enabled by `setup()`. Each chart is
text/html: a <div> and a small script calling the global `vegaEmbed`. The first chart of a session
(after each `setup()`) also carries the vega / vega-lite / vega-embed bundle shipped by
vl-convert-python inline, so a notebook executed by a user (JupyterLab, `jupyter nbconvert
--execute --to html`) renders its charts with no network access. `juesuan report` (which sets
JUESUAN_REPORT=1) inlines the bundle once in each page's <head> instead, so there the charts carry
only their spec. Nothing is loaded from a CDN either way.

Data are text, never markup (etl/textsafety.py): `say`/`note` show a plain string as written,
whatever a department name or a reason holds; bold or other Markdown comes only from a template,
`note(md("**{}**（{}）", name, region))`, whose values are escaped. `show` escapes every cell and
the chart specs are embedded with `script_json`.

Conventions the report test checks: every table is rendered by `show` and either names its count
column (`n=`, an aggregate) or is a listing whose caption gives its row count; every chart shows
its n — a tooltip field named like 部门数 / 部门-年度数 / 条数 / 文件数, or "n = …" in its title for a
chart whose marks are single department-years.
"""

from __future__ import annotations

import math
import os
import tomllib
import uuid
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import altair as alt
import duckdb
import polars as pl

from etl.analysis import DEFAULT_PARQUET, connect, default_parquet_dir
from etl.analysis.select import SelectionError, format_years
from etl.textsafety import Markdown as Markdown  # re-exported: the notebooks import md from here
from etl.textsafety import as_markdown, html_text, script_json
from etl.textsafety import md as md

#: CSS font stack with CJK fonts first (Debian: fonts-noto-cjk, fonts-wqy-zenhei).
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif"
CHART_CLASS = "juesuan-chart"
TABLE_CLASS = "juesuan-table"
#: Default chart width in px: a report page is about 1,300 px wide with its margins.
WIDTH = 860
#: Names of count columns / tooltip fields that state an aggregate's n (the report test uses it).
N_FIELD_WORDS = ("部门数", "部门-年度数", "条数", "文件数", "个数", "样本数", "n")


# ---------------------------------------------------------------- where the data are

def _is_juesuan_project(folder: Path) -> bool:
    try:
        with open(folder / "pyproject.toml", "rb") as f:
            return tomllib.load(f).get("project", {}).get("name") == "juesuan"
    except (OSError, tomllib.TOMLDecodeError):
        return False


def project_root(start: str | os.PathLike | None = None) -> Path | None:
    """The folder holding juesuan's pyproject.toml: from `start` (default: the working directory)
    upwards, else from this package's location upwards; None when neither is inside the project."""
    package = Path(__file__).resolve().parent
    for base in (Path(start or Path.cwd()).resolve(), package):
        for folder in (base, *base.parents):
            if _is_juesuan_project(folder):
                return folder
    return None


def notebook_parquet_dir() -> Path:
    """$JUESUAN_PARQUET, else <project root>/data/parquet: unlike the command line's default
    (etl.analysis.default_parquet_dir, relative to where it runs), a kernel started in notebooks/
    still finds the project's data."""
    root = project_root()
    if os.environ.get("JUESUAN_PARQUET") or root is None:
        return default_parquet_dir()
    return root / DEFAULT_PARQUET


# ---------------------------------------------------------------- chart renderer

@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """The vega / vega-lite / vega-embed JavaScript shipped by vl-convert-python (no network)."""
    import vl_convert

    return vl_convert.javascript_bundle()


def bundle_script() -> str:
    """A <script> defining the globals vegaEmbed, vega and vegaLite once per page.

    The bundle declares top-level constants, so it runs inside a function (a second copy on the
    same page, e.g. a re-run notebook in JupyterLab, would otherwise fail to redeclare them) and
    only when vegaEmbed is not defined yet."""
    body = vega_bundle().replace("</script", "<\\/script")
    return ('<script>if (typeof window.vegaEmbed !== "function") { (function () {\n'
            f"{body}\n}})(); }}</script>")


class _Session:
    bundle_sent = False


def _report_mode() -> bool:
    return bool(os.environ.get("JUESUAN_REPORT"))


def chart_html(spec: dict, *, with_bundle: bool) -> str:
    """A chart as HTML: a <div> and a script calling the global vegaEmbed (waiting for it briefly
    when the bundle comes later on the page, and saying so in Chinese when it never comes)."""
    div = f"juesuan-vis-{uuid.uuid4().hex[:12]}"
    payload = script_json(spec)   # names in the spec cannot close the script or open <!--
    script = (
        "<script>(function(){"
        f"var spec={payload};"
        f'var el=document.getElementById("{div}");'
        "function draw(){vegaEmbed(el, spec, {renderer: \"svg\", actions: false})"
        '.then(function(){el.setAttribute("data-rendered","1");})'
        '.catch(function(e){el.setAttribute("data-error", String(e)); console.error(e);});}'
        'if (typeof window.vegaEmbed === "function") { draw(); return; }'
        "var tries=0, timer=setInterval(function(){"
        'if (typeof window.vegaEmbed === "function") { clearInterval(timer); draw(); }'
        "else if (++tries > 100) { clearInterval(timer);"
        'el.setAttribute("data-error", "vega-embed missing");'
        'el.textContent="［图表未显示：页面中没有 vega-embed。请从头运行本笔记本（全部运行），'
        '或用 juesuan report 生成报告。］"; }}, 100);'
        "})();</script>"
    )
    return (bundle_script() + "\n" if with_bundle else "") + f'<div id="{div}" class="{CHART_CLASS}"></div>\n' + script


def juesuan_renderer(spec: dict, **_meta) -> dict:
    """Altair renderer: text/html; the session's first chart carries the bundle (not in reports)."""
    with_bundle = not _report_mode() and not _Session.bundle_sent
    _Session.bundle_sent = _Session.bundle_sent or with_bundle
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    return {"text/html": chart_html(spec, with_bundle=with_bundle),
            "text/plain": f"<图表：{title or '未命名'}>"}


alt.renderers.register("juesuan", juesuan_renderer)


def _theme() -> dict:
    axis = {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 13}
    return {"config": {
        "font": FONT,
        "title": {"font": FONT, "fontSize": 16, "anchor": "start", "subtitleFontSize": 12},
        "axis": axis,
        "axisY": {"labelLimit": 320},
        "axisQuantitative": {"tickCount": 8},
        "axisBand": {"labelLimit": 320},
        "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 13,
                   "labelLimit": 320},
        "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 13},
        "text": {"font": FONT, "fontSize": 12},
        "view": {"continuousWidth": WIDTH, "continuousHeight": 320, "discreteWidth": WIDTH},
    }}


@alt.theme.register("juesuan", enable=False)
def _juesuan_theme():
    return alt.theme.ThemeConfig(_theme())


def setup(parquet_dir: str | os.PathLike | None = None, *, region: str | None = None, years=None,
          all_quality: bool | None = None, sangong_basis: str | None = None,
          **options) -> duckdb.DuckDBPyConnection:
    """Connect to the Parquet output; enable the theme and the renderer.

    The notebooks' parameters cell feeds it: region / years restrict every table and view to those
    documents (etl.analysis.restrict); all_quality=True switches the quality gate off (every
    department-year, as `--all-quality`); sangong_basis 'printed' | 'parts'. A parameter left None
    keeps the default ($JUESUAN_QUALITY / $JUESUAN_SANGONG_BASIS, else the gate on and 'printed').
    Other options go to etl.analysis.connect (crosswalk=). A selection with no document raises
    SelectionError with a Chinese message instead of pages about zero files. Calling it again
    (re-running a notebook from the top) makes the next chart carry the bundle again."""
    alt.theme.enable("juesuan")
    alt.data_transformers.disable_max_rows()
    alt.renderers.enable("juesuan")
    _Session.bundle_sent = False
    path = Path(parquet_dir) if parquet_dir is not None else notebook_parquet_dir()
    if not path.is_dir():
        raise FileNotFoundError(
            f"找不到 Parquet 目录 {path}：请先运行 `make demo` 或 `juesuan etl`，"
            "或用环境变量 JUESUAN_PARQUET 指定目录。")
    if all_quality is not None:
        options["quality"] = "all" if all_quality else "default"
    con = connect(path, region=region, years=years, sangong_basis=sangong_basis or None, **options)
    if not con.execute("SELECT count(*) FROM documents").fetchall()[0][0]:
        raise SelectionError(f"Parquet 目录 {path.name} 中没有任何文件：请先运行 `juesuan etl <PDF 文件夹>`。")
    return con


# ---------------------------------------------------------------- data frames

def frame(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pl.DataFrame:
    """Run SQL, return polars with DECIMAL columns as Float64 (JSON-able for charts)."""
    df = con.sql(sql, params=params).pl() if params else con.sql(sql).pl()
    return df.with_columns(pl.col(pl.Decimal).cast(pl.Float64))


def fill_years(df: pl.DataFrame, by: str | Sequence[str] | None = None, year: str = "年度",
               years: Iterable[int] | None = None) -> pl.DataFrame:
    """Add a row with nulls for every year missing inside the span (per group), so a line drawn
    from it breaks at the gap instead of joining the years on either side."""
    if df.is_empty():
        return df
    span = list(years) if years is not None else list(range(int(df[year].min()), int(df[year].max()) + 1))
    grid = pl.DataFrame({year: span}, schema={year: df.schema[year]})
    if by:
        keys = [by] if isinstance(by, str) else list(by)
        grid = df.select(keys).unique().join(grid, how="cross")
        return grid.join(df, on=[*keys, year], how="left").sort([*keys, year])
    return grid.join(df, on=year, how="left").sort(year)


def year_axis(years: Iterable[int], title: str = "年度") -> alt.Axis:
    """A year axis: whole years only, every year of the span labelled (gaps visible)."""
    ys = [int(y) for y in years if y is not None]
    values = list(range(min(ys), max(ys) + 1)) if ys else alt.Undefined   # no data: an empty chart
    return alt.Axis(title=title, format="d", values=values, tickMinStep=1, labelAngle=0)


def year_scale(years: Iterable[int]) -> alt.Scale:
    ys = [int(y) for y in years if y is not None]
    return alt.Scale(domain=[min(ys) - 0.3, max(ys) + 0.3] if ys else alt.Undefined, zero=False, nice=False)


def _count_step(top: float) -> int:
    return next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9) if top / s <= 10)


def count_axis(title: str, top: int | float | None = None) -> alt.Axis:
    """An axis of counts: whole numbers only (explicit ticks up to `top` when given; pair it with
    count_scale(top) so that the last tick closes the axis)."""
    if top is None:
        return alt.Axis(title=title, format="d", tickMinStep=1)
    step = _count_step(top)
    return alt.Axis(title=title, format="d", values=list(range(0, int(math.ceil(top / step)) * step + 1, step)))


def count_scale(top: int | float) -> alt.Scale:
    """A count scale from 0 to the first tick of count_axis at or above `top`."""
    step = _count_step(top)
    return alt.Scale(domain=[0, int(math.ceil(top / step)) * step], nice=False)


def log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 tick values inside [lo, hi] for a log axis."""
    out = []
    for exp in range(math.floor(math.log10(max(lo, 1e-9))) - 1, math.ceil(math.log10(max(hi, 1e-9))) + 1):
        for m in (1, 2, 5):
            v = m * 10.0 ** exp
            if lo <= v <= hi:
                out.append(round(v, 10))
    return out


def n_title(text: str, n: int, unit: str = "个部门-年度") -> str:
    return f"{text}（n = {n:,} {unit}）"


# ---------------------------------------------------------------- tables

# The classes are doubled to outrank JupyterLab's `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td`
# (right-aligned, centred fixed-layout tables) in Lab and in the exported pages.
_T = f"table.{TABLE_CLASS}.{TABLE_CLASS}"
_TABLE_CSS = f"""<style>
{_T} {{ border-collapse: collapse; margin: 0.4em 0 1.2em; font-size: 13px; table-layout: auto; }}
{_T} caption {{ caption-side: top; text-align: left; font-weight: 600; padding: 0.3em 0; }}
{_T} th, {_T} td {{ padding: 0.3em 0.7em; border-bottom: 1px solid #ddd; vertical-align: top; }}
{_T} th {{ border-bottom: 2px solid #999; background: #f4f4f4; }}
{_T} td.txt, {_T} th.txt {{ text-align: left; }}
{_T} td.txt {{ min-width: 5em; }}
{_T} td.num, {_T} th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
{_T} td.num {{ white-space: nowrap; }}
</style>"""

_YEAR_NAMES = ("年度", "年份", "年")


def _is_yearish(name: str) -> bool:
    return name in _YEAR_NAMES or name.endswith("年度")


def _fmt(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "money":
        return f"{float(value):,.2f}"
    if kind == "pct":
        return f"{float(value):,.1f}"
    if kind == "ratio":
        return f"{float(value):,.2f}"
    if kind == "plain":
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, (list, tuple)):
        return "、".join(_fmt(v, "text") for v in value)
    return str(value)


def _header(name: str, kind: str) -> str:
    if kind == "money" and "万元" not in name:
        return f"{name}（万元）"
    if kind == "pct" and "%" not in name:
        return f"{name}（%）"
    return name


def table_html(df: pl.DataFrame, *, money: Sequence[str] = (), pct: Sequence[str] = (),
               ratio: Sequence[str] = (), plain: Sequence[str] = (), n: str | None = None,
               caption: str | None = None, unit: str = "行", links: dict[str, str] | None = None) -> str:
    """A polars frame as an HTML table (see `show`)."""
    links = links or {}
    hrefs = {c: df[h].to_list() for c, h in links.items()}
    df = df.drop([h for h in links.values() if h in df.columns])
    kinds: dict[str, str] = {}
    for col in df.columns:
        dtype = df.schema[col]
        if col in money:
            kinds[col] = "money"
        elif col in pct:
            kinds[col] = "pct"
        elif col in ratio:
            kinds[col] = "ratio"
        elif col in plain or _is_yearish(col):
            kinds[col] = "plain"
        else:
            kinds[col] = "num" if dtype.is_numeric() else "text"
    unknown = [c for c in (*money, *pct, *ratio, *([n] if n else [])) if c not in df.columns]
    if unknown:
        raise KeyError(f"show(): no column {unknown} in {df.columns}")
    numeric = {c for c, k in kinds.items() if k in ("money", "pct", "ratio", "num")
               or (k == "plain" and df.schema[c].is_numeric())}
    head = "".join(f'<th class="{"num" if c in numeric else "txt"}">{html_text(_header(c, kinds[c]))}</th>'
                   for c in df.columns)
    def cell(c: str, v, i: int) -> str:
        text = html_text(_fmt(v, kinds[c]))
        href = hrefs[c][i] if c in hrefs else None
        return f'<a href="{html_text(href)}">{text}</a>' if href else text

    body = "\n".join(
        "<tr>" + "".join(f'<td class="{"num" if c in numeric else "txt"}">{cell(c, v, i)}</td>'
                         for c, v in zip(df.columns, row, strict=True)) + "</tr>"
        for i, row in enumerate(df.iter_rows()))
    count = f"共 {df.height:,} {unit}"
    cap = f"{html_text(caption)}（{count}）" if caption else count
    attrs = f' data-rows="{df.height}"' + (f' data-n="{html_text(n)}"' if n else "")
    return (f'{_TABLE_CSS}<table class="{TABLE_CLASS}"{attrs}><caption>{cap}</caption>'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>")


def show(df: pl.DataFrame, *, money: Sequence[str] = (), pct: Sequence[str] = (), ratio: Sequence[str] = (),
         plain: Sequence[str] = (), n: str | None = None, caption: str | None = None, unit: str = "行",
         empty: str = "没有数据。", links: dict[str, str] | None = None) -> None:
    """Display a polars frame as a formatted HTML table.

    money: amounts in 万元 (two decimals, thousands separators, "（万元）" added to the header);
    pct: percentages (one decimal, "（%）" added); ratio: two decimals; plain: shown as is (years
    are recognised by name). Other integers get thousands separators, booleans read 是/否, NULL
    reads —. n: the column holding each row's count for an aggregate table. links: {column: column
    of hrefs} makes each cell a link (to the PDF page: `pdf_link`); the href column is not shown.
    Every row is shown; the caption gives the row count. An empty frame shows the sentence `empty` instead."""
    from IPython.display import HTML, display
    from IPython.display import Markdown as MarkdownOutput

    if df.is_empty():
        display(MarkdownOutput(as_markdown(empty)))
        return
    display(HTML(table_html(df, money=money, pct=pct, ratio=ratio, plain=plain, n=n, caption=caption,
                            unit=unit, links=links)))


def pdf_link(source_file: str | None, page: int | None) -> str | None:
    """A link to the page in its PDF, relative from where the page is shown: the report folder
    ($JUESUAN_PAGE_DIR, set by `juesuan report`) or the notebook's folder in JupyterLab; the PDFs
    under $JUESUAN_RAW, else the project's data/raw. None when the PDF is not there."""
    from etl.analysis.pdflinks import pdf_href

    root = os.environ.get("JUESUAN_RAW")
    base = Path(root) if root else (project_root() or Path.cwd()) / "data" / "raw"
    return pdf_href(source_file, page, Path(os.environ.get("JUESUAN_PAGE_DIR") or Path.cwd()), base)


# ---------------------------------------------------------------- sentences

def fmt_wan(x) -> str:
    """An amount in 万元 for a sentence."""
    if x is None:
        return "—"
    return f"{float(x):,.2f} 万元"


def fmt_pct(x) -> str:
    return "—" if x is None else f"{float(x):.1f}%"


def fmt_n(x) -> str:
    return "—" if x is None else f"{int(x):,}"


def say(*lines: str | Markdown) -> None:
    """Print findings as a Markdown list (rendered in Lab and in the exported HTML).

    A line is text: whatever a department name or a reason holds shows as written, never as
    Markdown or HTML (etl.textsafety.markdown_text). Formatting comes only from a template:
    say(md("**{}** 的三公经费", name))."""
    from IPython.display import Markdown as MarkdownOutput
    from IPython.display import display

    display(MarkdownOutput("\n".join(f"- {as_markdown(s)}" for s in lines if s)))


def note(*lines: str | Markdown) -> None:
    """Paragraphs of computed prose, one per line; text and `md` templates as in `say`."""
    from IPython.display import Markdown as MarkdownOutput
    from IPython.display import display

    display(MarkdownOutput("\n\n".join(as_markdown(s) for s in lines if s)))


def quality_sentence(con: duckdb.DuckDBPyConnection, names: int = 5) -> str:
    """What the quality gate did, kept apart: department-years left out whole, figures left out
    (the groups a contradiction puts in doubt) and disclosure defects, which drop nothing
    (views quality_gate, department_year_metrics_all)."""
    total, left_out, dropped, defects = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE NOT included),
               count(*) FILTER (WHERE included AND figures_dropped IS NOT NULL),
               count(*) FILTER (WHERE disclosure_defects > 0)
        FROM department_year_metrics_all""").fetchall()[0]
    if not total:
        return "数据中没有部门-年度。"
    text = f"质量筛选：共 {total:,} 个部门-年度，本页纳入 {total - left_out:,} 个"
    if left_out:
        rows = con.execute("""SELECT department || ' ' || year || ' 年' FROM department_year_metrics_all
                              WHERE NOT included ORDER BY region, department, year""").fetchall()
        shown = "、".join(r[0] for r in rows[:names]) + (f" 等 {len(rows):,} 个" if len(rows) > names else "")
        text += f"；{left_out:,} 个整体未计入：{shown}（解析失败，或所有数字都相互矛盾）"
    if dropped:
        groups = con.execute("""SELECT figures_dropped_zh(g), count(*) FROM department_year_metrics_all,
                                       unnest(string_split(figures_dropped, ',')) AS t(g)
                                WHERE included AND figures_dropped IS NOT NULL GROUP BY g ORDER BY g""").fetchall()
        what = "、".join(f"{g} {n:,} 个" for g, n in groups)
        text += f"；{dropped:,} 个只剔除了校验显示相互矛盾的数字（{what}），其余数字照常计入"
    if defects:
        text += f"；{defects:,} 个有披露缺陷（如占位符、年度写错、缺表），数字不受影响，照常计入"
    if not (left_out or dropped or defects):
        return text + "，没有排除任何部门-年度或数字。"
    return text + "。原因见“01 语料概览”的质量筛选表。"


def coverage_sentence(con: duckdb.DuckDBPyConnection, table: str = "department_year_metrics") -> str:
    """Regions by level (区县 apart from 中央 and other levels: region_level in
    105_comparison_rows.sql) and the years actually present (gaps named), from the gated
    department-years; units' own reports are counted apart."""
    years, n, n_units = con.execute(
        f"SELECT list(DISTINCT year ORDER BY year), count(*), count(*) FILTER (WHERE report_scope = 'unit')"
        f" FROM {table} WHERE year IS NOT NULL").fetchall()[0]
    if not n:
        return "筛选后没有部门-年度。"
    levels = dict(con.execute(
        f"SELECT region_level(region), count(DISTINCT region) FROM {table} WHERE year IS NOT NULL GROUP BY 1"
    ).fetchall())
    parts = [f"{levels[k]} 个{label}" for k, label in
             (("district", "区县"), ("city", "地市"), ("province", "省级地区")) if levels.get(k)]
    where = "、".join(parts) if parts else "没有地区"
    if levels.get("central"):
        where += "（另有中央部门，不计为地区）"
    missing = [y for y in range(min(years), max(years) + 1) if y not in years]
    gap = f"（其间缺 {format_years(missing)} 年）" if missing else ""
    units = f"（其中 {n_units:,} 个是所属单位自己的报告，不计入地区合计）" if n_units else ""
    return f"覆盖 {where}，{format_years(years)} 年度{gap}的 {n:,} 个部门-年度{units}。"


def describe_series(points: Sequence[tuple[int, float | None]], fmt=lambda v: f"{v:.2f}") -> str:
    """A series in words: from the first to the last value, and the peak / trough when the series
    passes a maximum or minimum between its endpoints (so "3.87 → 4.00" never hides an 11.06 in
    between). Years without a value are skipped; '' when fewer than two values."""
    pts = [(y, float(v)) for y, v in points if v is not None]
    if len(pts) < 2:
        return ""
    (y0, v0), (y1, v1) = pts[0], pts[-1]
    text = f"从 {y0} 年的 {fmt(v0)} 变为 {y1} 年的 {fmt(v1)}"
    inner = pts[1:-1]
    extra = []
    if inner:
        top = max(inner, key=lambda p: p[1])
        low = min(inner, key=lambda p: p[1])
        if top[1] > max(v0, v1):
            extra.append(f"{top[0]} 年最高（{fmt(top[1])}）")
        if low[1] < min(v0, v1):
            extra.append(f"{low[0]} 年最低（{fmt(low[1])}）")
    return text + ("，其间 " + "、".join(extra) if extra else "")
