"""Helpers shared by the notebooks in notebooks/: connection, chart theme, offline renderer.

    from etl.analysis.notebook import setup, frame
    con = setup()                       # DuckDB over $JUESUAN_PARQUET (default data/parquet)
    df = frame(con, "SELECT ...")       # polars DataFrame; DECIMAL columns as Float64 for charting

Rendering: in JupyterLab Altair's default (mimetype) renderer is used, which Lab renders offline.
When `juesuan report` executes the notebooks it sets JUESUAN_REPORT=1 and the `juesuan_offline`
renderer is used instead: each chart becomes a <div> plus a small inline script calling
`vegaEmbed`, and the report inlines the vega/vega-lite/vega-embed bundle once per page
(see etl/report.py). No CDN is referenced either way.
"""

from __future__ import annotations

import itertools
import json
import os

import altair as alt
import duckdb
import polars as pl

from etl.analysis import connect, default_parquet_dir

#: CSS font stack with CJK fonts first (Debian: fonts-noto-cjk, fonts-wqy-zenhei).
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif"
CHART_CLASS = "juesuan-chart"
_ids = itertools.count(1)


def _theme():
    return {"config": {
        "font": FONT,
        "title": {"font": FONT, "fontSize": 15, "anchor": "start"},
        "axis": {"labelFont": FONT, "titleFont": FONT},
        "legend": {"labelFont": FONT, "titleFont": FONT},
        "header": {"labelFont": FONT, "titleFont": FONT},
        "view": {"continuousWidth": 560, "continuousHeight": 300, "discreteWidth": 560},
    }}


def offline_renderer(spec: dict, **_meta) -> dict:
    """Chart -> HTML that needs only a global `vegaEmbed` (inlined once per page by the report)."""
    div = f"juesuan-vis-{next(_ids)}"
    payload = json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")
    html = (
        f'<div id="{div}" class="{CHART_CLASS}"></div>\n'
        "<script>(function(){"
        f"var spec={payload};"
        f'var el=document.getElementById("{div}");'
        'if (typeof vegaEmbed === "undefined") {'
        'el.textContent="[图表需要 vega-embed：请用 juesuan report 导出的页面查看]"; return;}'
        'vegaEmbed(el, spec, {renderer: "svg", actions: false})'
        '.then(function(){el.setAttribute("data-rendered","1");})'
        '.catch(function(e){el.setAttribute("data-error", String(e)); console.error(e);});'
        "})();</script>"
    )
    return {"text/html": html}


alt.renderers.register("juesuan_offline", offline_renderer)


@alt.theme.register("juesuan", enable=False)
def _juesuan_theme():
    return alt.theme.ThemeConfig(_theme())


def setup(parquet_dir: str | None = None) -> duckdb.DuckDBPyConnection:
    """Connect to the Parquet output, enable the theme and the right renderer."""
    alt.theme.enable("juesuan")
    alt.data_transformers.disable_max_rows()
    if os.environ.get("JUESUAN_REPORT"):
        alt.renderers.enable("juesuan_offline")
    return connect(parquet_dir or default_parquet_dir())


def frame(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pl.DataFrame:
    """Run SQL, return polars with DECIMAL columns as Float64 (JSON-able for charts)."""
    df = con.sql(sql, params=params).pl() if params else con.sql(sql).pl()
    return df.with_columns(pl.col(pl.Decimal).cast(pl.Float64))


def fmt_wan(x) -> str:
    """An amount in 万元 for a sentence."""
    if x is None:
        return "—"
    return f"{float(x):,.2f} 万元"


def fmt_pct(x) -> str:
    return "—" if x is None else f"{float(x):.1f}%"


def say(*lines: str) -> None:
    """Print findings as Markdown (rendered in Lab and in the exported HTML)."""
    from IPython.display import Markdown, display

    display(Markdown("\n".join(f"- {s}" for s in lines if s)))
