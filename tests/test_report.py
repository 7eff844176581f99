"""The notebooks and their HTML reports, as a Chinese reader and a researcher would check them.

- Every notebook executes against a generated Parquet set and a hand-built one, and exports HTML
  that headless Chromium renders with the network disabled: every chart draws its marks, no script
  fails, no request leaves the file system.
- The pages read as Chinese: no raw dataframe repr, no English prose, every table formatted by
  `show`, every aggregate chart or table shows its n (conventions in etl/analysis/notebook.py).
- The Findings sentences state the figures recomputed here in plain Python from the hand-built
  rows (tests/report_fixture.py), never through the views.
- A notebook a user executes with plain `jupyter nbconvert --execute --to html` inside notebooks/
  renders its charts offline too (the vega bundle travels in the first chart).
- `juesuan report` prints no library noise; notebook 05 takes short names, en dashes and renamed
  departments, and lists the candidates when a name is ambiguous.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
import report_fixture
from prerequisites import chromium_path, require_chromium

from etl.analysis.synthetic import write_synthetic
from etl.reports.notebooks import build_reports, execute_notebook, notebook_sources, read_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = Path(os.environ.get("JUESUAN_ARTIFACTS", ROOT / "tmp" / "artifacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXPECTED = ["01_overview", "02_sangong", "03_personnel_public", "04_budget_completion",
            "05_department_profile", "06_budget_credibility"]
#: A tooltip field titled "…（n）" or a chart title with "n = 123" states a chart's n.
N_TOOLTIP = re.compile(r"（n）")
N_TITLE = re.compile(r"n = [\d,]+")
#: Three or more English words in a row: prose, not a file name or a switch value.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}\b")
DTYPE_CELL = re.compile(r"^(str|i8|i16|i32|i64|u32|u64|f32|f64|bool|date|datetime\[.*\]|decimal\[.*\]|list\[.*\])$")


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    out = tmp_path_factory.mktemp("pq")
    write_synthetic(out, n_regions=4, n_types=6, years=(2021, 2022, 2023), dup_rate=0.08)
    return out


@pytest.fixture(scope="module")
def reports(parquet, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    entries = build_reports(parquet, out, NOTEBOOKS)
    return out, entries


@pytest.fixture(scope="module")
def hand_built(tmp_path_factory):
    return report_fixture.write(tmp_path_factory.mktemp("hand"))


@pytest.fixture(scope="module")
def cli_reports(hand_built, tmp_path_factory):
    """`juesuan report` run as a user runs it, on the hand-built corpus, profile of 天河区卫生健康局."""
    out = tmp_path_factory.mktemp("cli_reports")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")}
    env |= {"PYTHONWARNINGS": ""}
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "report", "--parquet", str(hand_built), "--out", str(out),
                           "--department", "天河区卫生健康局"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    return out, proc


def test_every_notebook_opens_with_what_it_covers_and_ends_with_its_findings():
    """The .py is each notebook's only source (tests/test_fresh_clone.py: no .ipynb tracked, a kernelspec)."""
    stems = [p.stem for p in notebook_sources(NOTEBOOKS)]
    assert stems == EXPECTED
    for stem in EXPECTED:
        py = read_notebook(NOTEBOOKS / f"{stem}.py")
        assert py.cells[0].cell_type == "markdown" and "本页内容" in py.cells[0].source
        assert "## 主要发现" in py.cells[-2].source


def page_file(out: Path, stem: str) -> Path:
    """The one page of a notebook in a reports folder (its name may carry parameters: 05_…--天河区卫生健康局)."""
    found = sorted(out.glob(f"{stem}.html")) + sorted(out.glob(f"{stem}--*.html"))
    assert len(found) == 1, (stem, found)
    return found[0]


def findings(page: str) -> list[str]:
    """The Findings sentences of an exported page, as text."""
    tail = re.split(r">主要发现<", page)[-1]
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", li)).strip() for li in re.findall(r"<li>(.*?)</li>", tail, re.S)]


def test_every_notebook_executes_and_exports(reports):
    out, entries = reports
    assert [e["file"] for e in entries] == [f"{s}.html" for s in EXPECTED]
    assert [e["error"] for e in entries] == [None] * len(EXPECTED)
    index = (out / "index.html").read_text(encoding="utf-8")
    for e in entries:
        assert e["file"] in index
        page = (out / e["file"]).read_text(encoding="utf-8")
        assert page.count("window.vegaEmbed=") == 1, "vega bundle must be inlined exactly once"
        net = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"' >]+|import\(\s*["']https?://[^"']+""",
                         page)
        assert net == [], f"{e['file']} references the network: {net[:3]}"
        assert 'class="juesuan-chart"' in page
        assert "Traceback" not in page
        assert findings(page), f"{e['file']}: no Findings sentences"
        assert "What this shows" not in page and "Findings" not in page


def chart_specs(page: str) -> list[dict]:
    """The Vega-Lite spec of every chart of an exported page (from the renderer's inline scripts)."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(page, m.end())[0] for m in re.finditer(r"var spec=", page)]


def _walk(spec, key):
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(spec, list):
        for v in spec:
            yield from _walk(v, key)


def chart_states_n(spec: dict) -> bool:
    titles = [t if isinstance(t, str) else str(t.get("text", ""))
              for t in _walk(spec, "title") if isinstance(t, (str, dict))]
    if any(N_TITLE.search(t) for t in titles if isinstance(t, str)):
        return True
    for tips in _walk(spec, "tooltip"):
        for tip in tips if isinstance(tips, list) else [tips]:
            if isinstance(tip, dict) and N_TOOLTIP.search(str(tip.get("title", ""))):
                return True
    return False


def test_every_chart_states_its_n(reports, cli_reports):
    for out in (reports[0], cli_reports[0]):
        for stem in EXPECTED:
            page = page_file(out, stem).read_text(encoding="utf-8")
            specs = chart_specs(page)
            assert specs, stem
            missing = [s.get("title") for s in specs if not chart_states_n(s)]
            assert not missing, f"{stem}: charts without n: {missing}"


def test_findings_state_the_figures_recomputed_from_the_rows(cli_reports):
    """Each Findings number against the same figure computed in Python from the hand-built rows."""
    out, proc = cli_reports
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    x = report_fixture.expected()
    page = {stem: " ".join(findings(page_file(out, stem).read_text(encoding="utf-8"))) for stem in EXPECTED}

    assert (f"共 {x['documents']} 个 PDF 文件、{x['documents']} 份报告，覆盖 2 个区县，2019–2020、2022 年度"
            f"（其间缺 2021 年）的 {x['department_years']} 个部门-年度。") in page["01_overview"]
    assert f"质量筛选整体排除了 1 个部门-年度（{x['excluded'][0]}）" in page["01_overview"]

    assert (f"{x['sangong_under']} / {x['sangong_n']} 个部门-年度的三公经费决算不到预算的 90%，"
            f"完成率中位数 {x['sangong_median']:.1f}%") in page["02_sangong"]
    assert f"2022 年 {x['sangong_latest_under']} / {x['sangong_latest_n']} 个部门不到预算的 90%" in page["02_sangong"]
    assert f"构成中占比最大的是{x['top_item']}，占 {x['top_item_share']:.1f}%" in page["02_sangong"]

    p3 = page["03_personnel_public"]
    assert f"共 {x['ratio_n']} 个部门-年度有人员经费/公用经费比值，中位数 {x['ratio_median']:.2f}" in p3
    assert f"{x['ratio_null']} 个部门-年度公用经费为零或缺失" in p3

    p4 = page["04_budget_completion"]
    assert f"{x['gpb_n']} 个部门-年度" in p4 and f"中位数 {x['gpb_median']:.1f}%" in p4
    assert f"其中 {x['gpb_over']} 个超预算（> 110%），{x['gpb_under']} 个执行不足（< 90%）" in p4
    assert (f"逐项说明共 {x['items']} 条，{x['items_with_pct']} 条有完成率（其中 1 条采用文件公开的完成率）") in p4
    assert (f"偏离预算 10% 以上的 {x['items_over'] + x['items_under']} 条（超预算 {x['items_over']} 条、"
            f"执行不足 {x['items_under']} 条）") in p4
    # no_budget / unbudgeted / idle are counted apart, never as deviations
    without = x["items_unbudgeted"] + x["items_idle"] + x["items_no_budget"]
    kinds = (f"无预算支出 {x['items_unbudgeted']} 条、无预算无支出 {x['items_idle']} 条、"
             f"未公开预算 {x['items_no_budget']} 条")
    assert f"另有 {without} 条没有完成率，不计入偏离：{kinds}" in p4

    p5 = page["05_department_profile"]
    assert "广州市天河区卫生健康局：3 个年度（2019–2020、2022）" in p5   # the 2019 name is the same department
    assert (f"逐项说明 {x['items']} 条：偏离预算 10% 以上的 {x['items_over'] + x['items_under']} 条（超预算 "
            f"{x['items_over']} 条、执行不足 {x['items_under']} 条），基本持平 {x['items_on_target']} 条；"
            f"另有{kinds}") in p5


def test_budget_credibility_findings_are_the_pefa_figures_of_the_rows(cli_reports):
    """Notebook 06: PEFA PI-1 (决算 ÷ 年初预算) and its bands, recomputed from the hand-built rows."""
    out, proc = cli_reports
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    p6 = " ".join(findings(page_file(out, "06_budget_credibility").read_text(encoding="utf-8")))
    pi1 = [100 * d["gpb"][1] / d["gpb"][0] for d in report_fixture.included()]
    a = sum(95 <= p <= 105 for p in pi1)
    d = sum(not 85 <= p <= 115 for p in pi1)
    assert f"{len(pi1)} 个部门-年度有 PI-1（决算 ÷ 年初预算），中位数 {statistics.median(pi1):.1f}%；" in p6
    assert f"{a} 个在 95%–105% 之间（A 级），{d} 个超出 85%–115%（D 级）" in p6


def test_pages_state_coverage_gaps_and_what_the_gate_left_out(cli_reports):
    out, _ = cli_reports
    for stem in EXPECTED:
        text = re.sub(r"<[^>]+>", "", page_file(out, stem).read_text(encoding="utf-8"))
        assert "未计入：广州市海珠区财政局 2020 年" in text, stem
        if stem != "05_department_profile":
            assert "2019–2020、2022 年度（其间缺 2021 年）" in text or "缺 2021 年" in text, stem


def test_report_prints_no_library_noise(cli_reports):
    _, proc = cli_reports
    output = proc.stdout + proc.stderr
    for noise in ("WARNING", "without encryption", "Parent appears to have exited", "Traceback"):
        assert noise not in output, output
    lines = [ln for ln in output.splitlines() if ln.strip()]
    exported = f"{len(EXPECTED)} of {len(EXPECTED)} notebooks exported"
    assert all(ln.startswith("ok ") for ln in lines[:-1]) and exported in lines[-1], output


def _profile(parquet, monkeypatch, **values):
    """Notebook 05 with its parameters cell's values set (REGION=, DEPARTMENT=, YEARS=)."""
    nb = execute_notebook(NOTEBOOKS / "05_department_profile.py", parquet, values=values)
    return json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"], ensure_ascii=False)


def test_department_profile_short_names_and_an_en_dash(parquet, monkeypatch):
    text = _profile(parquet, monkeypatch, REGION="海珠区", DEPARTMENT="卫生健康委",
                    YEARS="2022–2023")
    assert "本页年度：2022–2023；该部门有数据的年度：2021–2023" in text
    assert "广州市海珠区卫生健康局：2 个年度（2022–2023）" in text


def test_department_profile_lists_candidates_when_ambiguous(parquet, monkeypatch):
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError) as exc:
        _profile(parquet, monkeypatch, DEPARTMENT="教育局")
    msg = str(exc.value)
    assert "部门「教育局」匹配到 4 个部门，请选定一个" in msg
    for region in ("广州市天河区", "广州市越秀区", "广州市海珠区", "广州市荔湾区"):
        assert f"{region} · {region}教育局" in msg


def test_department_profile_stops_on_years_without_data(parquet, monkeypatch):
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError) as exc:
        _profile(parquet, monkeypatch, REGION="越秀区", DEPARTMENT="财政局", YEARS="2018")
    assert "广州市越秀区财政局在所选年度（2018）没有可用的数据；有数据的年度：2021" in str(exc.value)


def test_department_profile_follows_a_renamed_department(hand_built, monkeypatch):
    text = _profile(hand_built, monkeypatch, DEPARTMENT="天河区卫生和计划生育局")
    assert "广州市天河区卫生健康局" in text and "曾用名：广州市天河区卫生和计划生育局" in text
    assert "本页年度：2019–2020、2022" in text


def test_project_root_is_found_from_the_notebook_folder(monkeypatch, tmp_path):
    from etl.analysis import notebook

    monkeypatch.delenv("JUESUAN_PARQUET", raising=False)
    monkeypatch.chdir(NOTEBOOKS)
    assert notebook.project_root() == ROOT
    assert notebook.notebook_parquet_dir() == ROOT / "data" / "parquet"
    monkeypatch.chdir(tmp_path)                       # outside the project: the package's location
    assert notebook.project_root() == ROOT
    monkeypatch.setenv("JUESUAN_PARQUET", str(tmp_path))
    assert notebook.notebook_parquet_dir() == tmp_path
    with pytest.raises(FileNotFoundError, match="找不到 Parquet 目录"):
        notebook.setup(tmp_path / "nowhere")


def test_renderer_carries_the_bundle_in_the_first_chart_of_a_session(monkeypatch, hand_built):
    import altair as alt
    import polars as pl

    from etl.analysis import notebook

    chart = alt.Chart(pl.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")

    def html() -> str:
        bundle = chart._repr_mimebundle_()
        return (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]

    monkeypatch.delenv("JUESUAN_REPORT", raising=False)
    notebook.setup(hand_built)
    first, second = html(), html()
    assert first.count("window.vegaEmbed=") == 1 and "window.vegaEmbed=" not in second
    assert "vegaEmbed(el, spec" in first and "vegaEmbed(el, spec" in second
    notebook.setup(hand_built)                        # re-running the notebook from the top
    assert "window.vegaEmbed=" in html()
    monkeypatch.setenv("JUESUAN_REPORT", "1")         # juesuan report: the page head carries it
    notebook.setup(hand_built)
    assert "window.vegaEmbed=" not in html()
    # the only URL is the spec's $schema, an identifier vega-embed reads the version from (never fetched)
    rest = re.sub(r'"\$schema": "https://vega\.github\.io/schema/[^"]+"', "", first.replace(notebook.vega_bundle(), ""))
    assert not re.search(r"https?://", rest)


def _require_chromium():
    """Skipped without Playwright or a Chromium (failed under JUESUAN_REQUIRE_ALL): tests/prerequisites.py."""
    require_chromium()


def _offline_context(p, tmp_path):
    ctx = p.chromium.launch_persistent_context(
        user_data_dir=str(tmp_path / "profile"), executable_path=chromium_path(), headless=True,
        args=CHROMIUM_ARGS, offline=True, viewport={"width": 1300, "height": 900})
    external: list[str] = []
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
              else (external.append(route.request.url), route.abort()))
    return ctx, external


_CHARTS_JS = """() => [...document.querySelectorAll('.juesuan-chart')].map(d => ({
    id: d.id, rendered: d.dataset.rendered === '1', error: d.dataset.error || null,
    marks: d.querySelectorAll('svg g[class*="mark-"] > *').length}))"""
_WAIT_JS = ("() => [...document.querySelectorAll('.juesuan-chart')].every("
            "d => d.dataset.rendered || d.dataset.error)")
#: Visible prose of a page: everything but the charts (vega internals) and code.
_TEXT_JS = """() => { const c = document.body.cloneNode(true);
    c.querySelectorAll('.juesuan-chart, script, style, code, pre, #vg-tooltip-element').forEach(e => e.remove());
    return c.innerText; }"""
_TABLES_JS = """() => [...document.querySelectorAll('table')].filter(t => !t.closest('.juesuan-meta')).map(t => ({
    ours: t.classList.contains('juesuan-table'), n: t.dataset.n || null,
    caption: t.caption ? t.caption.innerText : '', rows: t.tBodies.length ? t.tBodies[0].rows.length : 0,
    head: [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()),
    cells: [...t.querySelectorAll('td, th')].map(td => td.innerText.trim())}))"""


def check_page(page, name: str) -> list[str]:
    """What a Chinese reader would object to on one rendered page."""
    problems = []
    for c in page.evaluate(_CHARTS_JS):
        if not c["rendered"] or c["error"] or c["marks"] == 0:
            problems.append(f"{name}: chart {c}")
    text = page.evaluate(_TEXT_JS)
    for bad in ("shape: (", "┌", "│", "╞", "true", "false", "None", "NaN", "What this shows", "Findings"):
        if bad in text:
            problems.append(f"{name}: {bad!r} in the visible text")
    if page.evaluate("() => document.documentElement.lang") != "zh-CN":
        problems.append(f"{name}: not lang=zh-CN")
    has_meta = page.evaluate("() => !!document.querySelector('.juesuan-meta details')")
    if name.split("_hand")[0] != "index" and not has_meta:
        problems.append(f"{name}: no date, version and snapshot (.juesuan-meta)")
    for prose in ("参数单元格", "JUESUAN_", "环境变量"):
        if prose in text:
            problems.append(f"{name}: analyst prose {prose!r} on the reader's page")
    english = ENGLISH_RUN.findall(text)
    if english:
        problems.append(f"{name}: English prose {english[:3]}")
    for t in page.evaluate(_TABLES_JS):
        if not t["ours"]:
            problems.append(f"{name}: a table not rendered by show(): {t['head']}")
            continue
        if t["n"]:
            if not any(h.startswith(t["n"]) for h in t["head"]):
                problems.append(f"{name}: table {t['caption']!r} names n column {t['n']!r} it lacks")
        elif f"共 {t['rows']:,}" not in t["caption"]:
            problems.append(f"{name}: table {t['caption']!r} does not state its {t['rows']} rows")
        dtype_cells = [c for c in t["cells"] if DTYPE_CELL.match(c)]
        quoted = [c for c in t["cells"] if re.match(r'^".*"$', c)]
        if dtype_cells or quoted or "…" in t["cells"]:
            problems.append(f"{name}: raw frame cells {dtype_cells[:3] + quoted[:3]}")
    return problems


def test_html_renders_offline_in_chromium(reports, cli_reports, tmp_path):
    _require_chromium()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as p:
        ctx, external = _offline_context(p, tmp_path)
        for out, suffix, entries in ((reports[0], "", EXPECTED), (cli_reports[0], "_hand", EXPECTED)):
            for stem in [*entries, "index"]:
                page = ctx.new_page()
                errors = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.goto(page_file(out, stem).as_uri())
                if stem != "index":
                    assert page.locator(".juesuan-chart").count() > 0, f"{stem}: no charts"
                    page.wait_for_function(_WAIT_JS, timeout=30_000)
                problems += check_page(page, stem + suffix)
                problems += [f"{stem}{suffix}: {x}" for x in errors]
                page.screenshot(path=str(ARTIFACTS / f"{stem}{suffix}.png"), full_page=True)
                page.close()
        # tooltips work offline: hover a bar in the 三公 page and the vega-tooltip element shows
        page = ctx.new_page()
        page.goto((reports[0] / "02_sangong.html").as_uri())
        page.wait_for_function(_WAIT_JS, timeout=30_000)
        page.locator(".juesuan-chart svg g.mark-rect path").first.hover(force=True)
        page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
        tip = page.inner_text("#vg-tooltip-element")
        page.screenshot(path=str(ARTIFACTS / "02_sangong_tooltip.png"))
        ctx.close()
    assert "部门-年度数（n）" in tip
    assert not external, f"requests left the file system: {external[:5]}"
    assert not problems, "\n".join(problems)


def test_a_notebook_executed_by_plain_nbconvert_renders_offline(hand_built, tmp_path):
    """`jupyter nbconvert --execute --to html` run inside notebooks/, as a user would: the charts carry
    the vega bundle themselves and render with the network off."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")}
    env["JUESUAN_PARQUET"] = str(hand_built)           # the data; the project root default is tested above
    ipynb = tmp_path / "02_sangong.ipynb"              # the .ipynb a user makes from the tracked .py
    jupytext.write(read_notebook(NOTEBOOKS / "02_sangong.py"), ipynb, fmt="ipynb")
    proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", "html",
                           str(ipynb), "--output-dir", str(tmp_path)],
                          cwd=NOTEBOOKS, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    page_html = (tmp_path / "02_sangong.html").read_text(encoding="utf-8")
    assert page_html.count("window.vegaEmbed=") == 1
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://[^"' >]*vega""", page_html)
    with sync_playwright() as p:
        ctx, external = _offline_context(p, tmp_path)
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((tmp_path / "02_sangong.html").as_uri())
        page.wait_for_function(_WAIT_JS, timeout=30_000)
        charts = page.evaluate(_CHARTS_JS)
        page.screenshot(path=str(ARTIFACTS / "02_sangong_nbconvert.png"), full_page=True)
        ctx.close()
    assert len(charts) >= 5 and all(c["rendered"] and c["marks"] > 0 for c in charts), charts
    assert not errors, errors
    # nbconvert's own page template asks for require.js and MathJax (not needed by any chart);
    # nothing the charts use is requested
    assert all(re.search(r"require\.js|require\.min\.js|mathjax", u, re.I) for u in external), external


def test_chinese_paragraphs_are_unwrapped_for_the_browser():
    from etl.reports.notebooks import unwrap_cjk

    src = "## 标题\n第一行，\n第二行\n- 列表一\n- 列表二\n\n**本页内容：** 一二\n三四 abc\ndef"
    assert unwrap_cjk(src) == "## 标题\n第一行，第二行\n- 列表一\n- 列表二\n\n**本页内容：** 一二三四 abc\ndef"


def test_notebooks_run_when_the_quality_gate_leaves_nothing(tmp_path):
    """A corpus whose every department-year fails the gate (or failed to parse): the overview, 三公,
    cost and budget pages still execute and say there is nothing to compare; the department profile
    stops with its Chinese message instead of a traceback."""
    from etl.analysis.synthetic import write_tables

    pq = write_tables(tmp_path / "pq", {"documents": [dict(
        doc_id="x", source_file="x.pdf", sha256="x" * 64, region="广州市天河区", department="广州市天河区财政局",
        department_type="财政局", year=2022, doc_kind="final_accounts", status="failed", error="not a PDF")]})
    entries = {e["file"]: e["error"] for e in build_reports(pq, tmp_path / "reports", NOTEBOOKS)}
    assert [entries[f"{s}.html"] for s in EXPECTED[:4]] == [None] * 4
    assert "没有任何部门-年度" in entries["05_department_profile.html"]
    # no Findings sentence states a fact about reports that do not exist (no report was parsed)
    said = " ".join(findings((tmp_path / "reports" / "01_overview.html").read_text(encoding="utf-8")))
    assert "没有解析成功的报告，无法判断是否缺少标准表" in said and "一致性校验无从进行" in said
    assert "所有报告都找到了" not in said and "没有未通过的错误或警告级" not in said


def _chart_rows(page: str, field: str) -> list[dict]:
    """The data rows of every chart on a page that carry `field` (the specs embedded by chart_html)."""
    rows = []
    for m in re.finditer(r"var spec=", page):
        spec, _ = json.JSONDecoder().raw_decode(page, m.end())
        for data in spec.get("datasets", {}).values():
            rows += [r for r in data if field in r]
    return rows


def test_the_median_trend_quartiles_are_exact(cli_reports):
    """C1: the 02 median trend's quartiles, recomputed from the fixture's rows with linear interpolation
    (statistics 'inclusive' = DuckDB quantile_cont), not truncated to the cents of a DECIMAL."""
    from collections import defaultdict

    out, _ = cli_reports
    got = {(r["地区"], r["年度"]): (r["下四分位"], r["中位数"], r["上四分位"])
           for r in _chart_rows((out / "02_sangong.html").read_text(encoding="utf-8"), "下四分位")
           if r.get("下四分位") is not None}
    groups = defaultdict(list)
    for d in report_fixture.included():
        groups[(d["region"], d["year"])].append(float(d["sangong"]["total"][1]))
    want = {}
    for key, values in groups.items():
        if len(values) >= 3:
            q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
            want[key] = (q1, q2, q3)
    assert want and set(got) == set(want), (sorted(got), sorted(want))
    for key, quartiles in want.items():
        assert got[key] == pytest.approx(quartiles, abs=1e-9), key
