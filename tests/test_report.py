"""Execute every notebook against a small generated Parquet set, export the HTML reports, and
open each page in headless Chromium with the network disabled: every chart must render (SVG
marks present), with no script error and no request leaving the file system."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from etl.analysis.synthetic import write_synthetic
from etl.report import build_reports, execute_notebook, notebook_sources, read_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = os.environ.get("JUESUAN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("JUESUAN_ARTIFACTS", ROOT / "tmp" / "artifacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXPECTED = ["01_overview", "02_sangong", "03_personnel_public", "04_budget_completion",
            "05_department_profile"]


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


def test_notebooks_are_paired_and_stripped():
    stems = [p.stem for p in notebook_sources(NOTEBOOKS)]
    assert stems == EXPECTED
    for stem in EXPECTED:
        ipynb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        py = read_notebook(NOTEBOOKS / f"{stem}.py")
        assert [c.source for c in ipynb.cells] == [c.source for c in py.cells], f"{stem}: run jupytext --sync"
        for c in ipynb.cells:
            if c.cell_type == "code":
                assert not c.outputs and c.execution_count is None, f"{stem}: outputs not stripped"
        assert ipynb.cells[0].cell_type == "markdown" and "What this shows" in ipynb.cells[0].source
        assert "Findings" in ipynb.cells[-2].source


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
        # findings are computed sentences, not left empty
        findings = page.split("Findings")[-1]
        assert "<li>" in findings, e["file"]


def test_department_profile_parameters(parquet, monkeypatch):
    monkeypatch.setenv("JUESUAN_REGION", "广州市海珠区")
    monkeypatch.setenv("JUESUAN_DEPARTMENT", "教育局")
    monkeypatch.setenv("JUESUAN_YEARS", "2022-2023")
    nb = execute_notebook(NOTEBOOKS / "05_department_profile.py", parquet)
    text = json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"], ensure_ascii=False)
    assert "广州市海珠区教育局" in text and "[2022, 2023]" in text
    assert "2021 年" not in text


def _require_chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install-system-deps.sh "
                    "(apt: chromium, fonts-noto-cjk) or set JUESUAN_CHROMIUM", pytrace=False)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("playwright (python) is missing: uv sync --dev", pytrace=False)


def test_html_renders_offline_in_chromium(reports, tmp_path):
    _require_chromium()
    from playwright.sync_api import sync_playwright

    out, entries = reports
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, offline=True, viewport={"width": 1200, "height": 900})
        external = []
        ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (external.append(route.request.url), route.abort()))
        for e in entries + [{"file": "index.html"}]:
            page = ctx.new_page()
            errors = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.goto((out / e["file"]).as_uri())
            n = page.locator(".juesuan-chart").count()
            if e["file"] != "index.html":
                assert n > 0, f"{e['file']}: no charts"
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.juesuan-chart')].every("
                    "d => d.dataset.rendered || d.dataset.error)", timeout=30_000)
            charts = page.evaluate("""() => [...document.querySelectorAll('.juesuan-chart')].map(d => ({
                id: d.id, rendered: d.dataset.rendered === '1', error: d.dataset.error || null,
                marks: d.querySelectorAll('svg g[class*="mark-"] > *').length}))""")
            for c in charts:
                if not c["rendered"] or c["error"] or c["marks"] == 0:
                    problems.append(f"{e['file']} {c}")
            problems += [f"{e['file']}: {x}" for x in errors]
            page.screenshot(path=str(ARTIFACTS / f"{Path(e['file']).stem}.png"), full_page=True)
            page.close()
        # tooltips work offline: hover a bar in the 三公 page and the vega-tooltip element shows
        page = ctx.new_page()
        page.goto((out / "02_sangong.html").as_uri())
        page.wait_for_selector("#juesuan-vis-1 svg g.mark-rect path", timeout=30_000)
        page.locator("#juesuan-vis-1 svg g.mark-rect path").first.hover(force=True)
        page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
        tip = page.inner_text("#vg-tooltip-element")
        page.screenshot(path=str(ARTIFACTS / "02_sangong_tooltip.png"))
        ctx.close()
    assert "决算数" in tip
    assert not external, f"requests left the file system: {external[:5]}"
    assert not problems, "\n".join(problems)
